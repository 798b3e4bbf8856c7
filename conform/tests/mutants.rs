//! Mutant servers: the reference server with one planted fault each
//! (`common/mutant.rs`). `ims-conform` must report each fault in its class.

mod common;

use std::net::SocketAddr;
use std::process::Command;

use common::mutant::{app, Fault};
use serde_json::Value;

fn serve(fault: Fault) -> SocketAddr {
    common::spawn(app(fault))
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
        (Fault::TagNotKept, "record_mismatch", "tags"),
    ] {
        let found = classes(fault);
        let hits = found.get(class).cloned().unwrap_or_default();
        assert!(
            hits.iter().any(|h| h.contains(mark)),
            "{fault:?}: no {class} with '{mark}': {found:#?}"
        );
    }
}
