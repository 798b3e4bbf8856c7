//! A mutant server: the reference server with one planted fault (see
//! `tests/common/mutant.rs`), to point another tool at and compare what it catches
//! with what `ims-conform` catches (docs/conform.md).
//!
//! `cargo run --release -p ims-conform --example mutant -- FAULT [ADDR]` prints
//! `listening on ADDR` and serves until killed; FAULT is one of `MinDiskOne`,
//! `QuotaAs400`, `DropsOsType`, `FourByte500`, `PatchStatus`, `SecondRename`.

#[path = "../tests/common/mutant.rs"]
mod mutant;

fn main() {
    let mut args = std::env::args().skip(1);
    let name = args.next().unwrap_or_default();
    let Some(fault) = mutant::Fault::from_name(&name) else {
        eprintln!(
            "usage: mutant FAULT [ADDR]; FAULT one of {:?}",
            mutant::Fault::ALL
        );
        std::process::exit(2);
    };
    let addr = args.next().unwrap_or_else(|| "127.0.0.1:0".to_owned());
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    rt.block_on(async move {
        let listener = tokio::net::TcpListener::bind(&addr).await.expect("bind");
        println!(
            "listening on {}",
            listener.local_addr().expect("an address")
        );
        axum::serve(listener, mutant::app(fault))
            .await
            .expect("serve");
    });
}
