//! What the tests share: the reference server, served on a loopback port, and the
//! mutants (`mutant.rs`, which `examples/mutant.rs` includes on its own).
#![allow(dead_code)]

pub mod mutant;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use ims_image_meta::{Rules, Timestamp};
use ims_image_meta_axum::reference::{router, serve_on_loopback, AppState};
use ims_image_meta_axum::Ims;

/// The reference server on `rules`, its clock fixed.
pub fn reference(rules: Rules) -> Router {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    router(AppState::new(Ims::new(rules), "owner").with_clock(Arc::new(move || now)))
}

/// Serves `app` on a loopback port from a thread of its own; its address.
pub fn spawn(app: Router) -> SocketAddr {
    serve_on_loopback(app).unwrap()
}
