//! The planted faults of the mutant servers: the reference server with one fault each,
//! switched on by a middleware that rewrites the request or the answer. Shared by
//! `tests/mutants.rs` (`ims-conform` must report each fault in its class) and
//! `examples/mutant.rs` (a mutant served on an address, to point other tools at).
#![allow(dead_code)]

use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use ims_image_meta::{Rules, Timestamp};
use ims_image_meta_axum::reference::{router, AppState};
use ims_image_meta_axum::Ims;
use serde_json::Value;

/// One planted fault.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Fault {
    /// Accepts `min_disk` 1, or anything under 40 (it judges the body as if it said 40).
    MinDiskOne,
    /// Answers 400 for a quota's 413.
    QuotaAs400,
    /// Drops `__os_type` from the records it answers.
    DropsOsType,
    /// Answers 500 to a body with a 4-byte character.
    FourByte500,
    /// Lets a patch change `status` (answers 200 with the image).
    PatchStatus,
    /// Accepts a second `/name` replace with a bad value (judges only the first).
    SecondRename,
    /// Answers 204 to a new tag without keeping it.
    TagNotKept,
}

const CAP: usize = 1 << 20;

pub async fn mutate(fault: Fault, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let mut bytes = to_bytes(body, CAP).await.unwrap_or_default().to_vec();
    let is_patch = parts.method == axum::http::Method::PATCH;
    if fault == Fault::TagNotKept
        && parts.method == axum::http::Method::PUT
        && parts.uri.path().contains("/tags/")
    {
        return Response::builder().status(204).body(Body::empty()).unwrap();
    }
    let json: Option<Value> = serde_json::from_slice(&bytes).ok();
    match fault {
        Fault::MinDiskOne => {
            if let Some(Value::Object(mut m)) = json.clone() {
                if m.get("min_disk")
                    .and_then(Value::as_i64)
                    .is_some_and(|d| d < 40)
                {
                    m.insert("min_disk".into(), Value::from(40));
                    bytes = serde_json::to_vec(&m).unwrap();
                }
            }
        }
        Fault::FourByte500 if bytes.iter().any(|&b| b >= 0xF0) => {
            return Response::builder().status(500).body(Body::empty()).unwrap();
        }
        Fault::PatchStatus if is_patch => {
            if let Some(Value::Array(ops)) = &json {
                if ops
                    .iter()
                    .any(|o| o["path"] == "/status" || o["replace"] == "/status")
                {
                    bytes = b"[]".to_vec();
                }
            }
        }
        Fault::SecondRename if is_patch => {
            if let Some(Value::Array(ops)) = &json {
                let renames = |o: &&Value| o["path"] == "/name" || o["replace"] == "/name";
                if ops.iter().filter(renames).count() > 1 {
                    let first: Vec<&Value> = ops.iter().take(1).collect();
                    bytes = serde_json::to_vec(&first).unwrap();
                }
            }
        }
        _ => {}
    }
    let req = Request::from_parts(parts, Body::from(bytes));
    let res = next.run(req).await;
    let (mut parts, body) = res.into_parts();
    let mut bytes = to_bytes(body, CAP).await.unwrap_or_default().to_vec();
    match fault {
        Fault::QuotaAs400 if parts.status == 413 => parts.status = 400.try_into().unwrap(),
        Fault::DropsOsType if parts.status.is_success() => {
            if let Ok(Value::Object(mut m)) = serde_json::from_slice::<Value>(&bytes) {
                m.remove("__os_type");
                bytes = serde_json::to_vec(&m).unwrap();
            }
        }
        _ => {}
    }
    parts.headers.remove("content-length");
    Response::from_parts(parts, Body::from(bytes))
}

impl Fault {
    /// Every fault.
    pub const ALL: [Fault; 7] = [
        Fault::MinDiskOne,
        Fault::QuotaAs400,
        Fault::DropsOsType,
        Fault::FourByte500,
        Fault::PatchStatus,
        Fault::SecondRename,
        Fault::TagNotKept,
    ];

    /// The fault named `name` (its variant's name).
    pub fn from_name(name: &str) -> Option<Fault> {
        Fault::ALL.into_iter().find(|f| format!("{f:?}") == name)
    }
}

/// The reference server (default rules, a fixed clock) with `fault` planted.
pub fn app(fault: Fault) -> Router {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let state =
        AppState::new(Ims::new(Rules::default()), "owner").with_clock(Arc::new(move || now));
    router(state).layer(axum::middleware::from_fn(move |req, next| {
        mutate(fault, req, next)
    }))
}
