//! The reference server (`ims_image_meta_axum::reference`) on a socket.
//!
//! ```text
//! cargo run --release -p ims-image-meta-axum --example server -- --addr 127.0.0.1:8080 [--profile NAME | --rules FILE] [--owner PROJECT_ID]
//! curl -si -X POST -H 'Content-Type: application/json' --data-binary @examples/sample-request.json http://127.0.0.1:8080/v2/images
//! ```
//!
//! Prints `listening on ADDR` once bound (port 0 picks a free one), and stops on
//! Ctrl-C.

use std::process::ExitCode;
use std::str::FromStr;

use ims_image_meta::{Profile, Rules};
use ims_image_meta_axum::reference::{router, AppState};
use ims_image_meta_axum::Ims;

const USAGE: &str =
    "usage: server [--addr HOST:PORT] [--profile NAME | --rules FILE] [--owner PROJECT_ID]";

struct Config {
    addr: String,
    rules: Rules,
    owner: String,
}

fn parse_args() -> Result<Config, String> {
    let mut c = Config {
        addr: "127.0.0.1:8080".into(),
        rules: Rules::default(),
        owner: "b912fb4a4c464b568ecfca1071b21b10".into(),
    };
    let (mut profile, mut rules_file) = (None, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || {
            args.next()
                .ok_or_else(|| format!("{a} needs a value\n{USAGE}"))
        };
        match a.as_str() {
            "--addr" => c.addr = value()?,
            "--owner" => c.owner = value()?,
            "--profile" => profile = Some(value()?),
            "--rules" => rules_file = Some(value()?),
            "-h" | "--help" => return Err(USAGE.to_owned()),
            other => return Err(format!("unknown argument '{other}'\n{USAGE}")),
        }
    }
    c.rules = match (profile, rules_file) {
        (Some(_), Some(_)) => {
            return Err(format!("--profile and --rules exclude each other\n{USAGE}"))
        }
        (Some(p), None) => {
            Rules::profile(Profile::from_str(&p).map_err(|e| format!("--profile: {e}"))?)
        }
        (None, Some(f)) => {
            let bytes = std::fs::read(&f).map_err(|e| format!("cannot read {f}: {e}"))?;
            Rules::from_json(&bytes).map_err(|e| format!("bad rules {f}: {e}"))?
        }
        (None, None) => Rules::default(),
    };
    Ok(c)
}

#[tokio::main]
async fn main() -> ExitCode {
    let c = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let listener = match tokio::net::TcpListener::bind(&c.addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("cannot listen on {}: {e}", c.addr);
            return ExitCode::FAILURE;
        }
    };
    match listener.local_addr() {
        Ok(a) => println!("listening on {a}"),
        Err(e) => eprintln!("bound, but no address: {e}"),
    }
    let app = router(AppState::new(Ims::new(c.rules), c.owner));
    let stop = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    match axum::serve(listener, app)
        .with_graceful_shutdown(stop)
        .await
    {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("server error: {e}");
            ExitCode::FAILURE
        }
    }
}
