//! Mutant servers: the reference server with one planted fault each, switched on by a
//! middleware that rewrites the request or the answer. `ims-conform` must report each
//! fault in its class.

use std::net::SocketAddr;
use std::process::Command;
use std::sync::Arc;

use axum::body::{to_bytes, Body};
use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use ims_image_meta::{Rules, Timestamp};
use ims_image_meta_axum::reference::{router, AppState};
use ims_image_meta_axum::Ims;
use serde_json::Value;

#[derive(Debug, Clone, Copy, PartialEq)]
enum Fault {
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
}

const CAP: usize = 1 << 20;

async fn mutate(fault: Fault, req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let mut bytes = to_bytes(body, CAP).await.unwrap_or_default().to_vec();
    let is_patch = parts.method == axum::http::Method::PATCH;
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

fn serve(fault: Fault) -> SocketAddr {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let state =
        AppState::new(Ims::new(Rules::default()), "owner").with_clock(Arc::new(move || now));
    let app = router(state).layer(axum::middleware::from_fn(move |req, next| {
        mutate(fault, req, next)
    }));
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .unwrap();
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            tx.send(listener.local_addr().unwrap()).unwrap();
            axum::serve(listener, app).await.unwrap();
        });
    });
    rx.recv().unwrap()
}

/// The classes a run against `fault`'s server reports, with an example case each.
fn classes(fault: Fault) -> std::collections::BTreeMap<String, Vec<String>> {
    let addr = serve(fault);
    let file =
        std::env::temp_dir().join(format!("ims-mutant-{}-{fault:?}.jsonl", std::process::id()));
    let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
        .args([
            &format!("http://{addr}"),
            "--count",
            "400",
            "--seed",
            "9",
            "--jsonl",
        ])
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(1),
        "{fault:?} went unnoticed: {}",
        String::from_utf8_lossy(&out.stdout)
    );
    let mut m: std::collections::BTreeMap<String, Vec<String>> = Default::default();
    for line in std::fs::read_to_string(&file).unwrap().lines() {
        let v: Value = serde_json::from_str(line).unwrap();
        if let Some(c) = v["class"].as_str().filter(|c| *c != "ok") {
            m.entry(c.to_owned())
                .or_default()
                .push(format!("{} {}", v["case"], v["detail"]));
        }
    }
    m
}

#[test]
fn every_planted_fault_is_caught_in_its_class() {
    for (fault, class, mark) in [
        (
            Fault::MinDiskOne,
            "accepted_invalid",
            "min_disk out of range",
        ),
        (Fault::QuotaAs400, "wrong_status", "400, want 413"),
        (Fault::DropsOsType, "record_mismatch", "__os_type"),
        (Fault::FourByte500, "server_error", "500"),
        (Fault::PatchStatus, "accepted_invalid", "read-only"),
        (Fault::SecondRename, "accepted_invalid", "second rename"),
    ] {
        let found = classes(fault);
        let hits = found.get(class).cloned().unwrap_or_default();
        assert!(
            hits.iter().any(|h| h.contains(mark)),
            "{fault:?}: no {class} with '{mark}': {found:#?}"
        );
    }
}
