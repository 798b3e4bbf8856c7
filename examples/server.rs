//! The loopback server moved to the axum integration, where Rust servers live:
//!
//! ```text
//! cargo run --release -p ims-image-meta-axum --example server -- --addr 127.0.0.1:8080
//! ```
//!
//! (`axum/examples/server.rs`: every image call on an in-memory store, the crate's
//! answers through `ims_image_meta_axum`, `GET /openapi.json`; see `docs/axum.md`.)

fn main() -> std::process::ExitCode {
    eprintln!(
        "the server example moved: cargo run --release -p ims-image-meta-axum --example server -- --addr 127.0.0.1:8080 (docs/axum.md)"
    );
    std::process::ExitCode::from(2)
}
