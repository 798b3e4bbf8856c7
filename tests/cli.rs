//! The example CLI (`examples/validate.rs`) gives the conformance verdicts too, and
//! keeps its exit-code contract.

mod common;

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

/// The `validate` example, built once per test run.
fn exe() -> PathBuf {
    static BUILT: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BUILT.get_or_init(|| common::example("validate")).clone()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(exe())
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A child that refuses its flags exits without reading: a broken pipe is fine.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

const CTX: [&str; 6] = [
    "--id",
    common::CASE_ID,
    "--owner",
    common::CASE_OWNER,
    "--now",
    "1464853788",
];

#[test]
fn cli_gives_every_default_rules_conformance_verdict() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in common::cases() {
        // The CLI runs the default rules only.
        if case.min_disk_range.is_some() {
            continue;
        }
        ran += 1;
        let out = run(&CTX, &case.body);
        let json: serde_json::Value = match serde_json::from_slice(&out.stdout) {
            Ok(j) => j,
            Err(e) => {
                failures.push(format!("line {}: stdout is not JSON: {e}", case.line));
                continue;
            }
        };
        // Exit 0 prints a record; exit 1 a report, whose status field is the verdict.
        let status = match out.status.code() {
            Some(0) => 201,
            Some(1) => json["status"].as_u64().unwrap_or(0) as u16,
            other => {
                failures.push(format!("line {}: exit {other:?}", case.line));
                continue;
            }
        };
        if let Err(e) = case.check(status, &json) {
            failures.push(format!("line {} ({}): {e}", case.line, case.name));
        }
    }
    assert!(ran >= 49, "ran {ran}");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn cli_reads_a_file_and_warns_on_stderr() {
    let sample = common::root().join("examples/sample-request.json");
    let out = run(&[&CTX[..], &[sample.to_str().unwrap()]].concat(), b"");
    assert_eq!(out.status.code(), Some(0));
    let record: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(record["name"], "test");
    assert_eq!(record["min_disk"], 40);
    assert_eq!(record["created_at"], "2016-06-02T07:49:48Z");
    assert!(out.stderr.is_empty());

    let out = run(&CTX, b"{}");
    assert_eq!(out.status.code(), Some(0));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("warning: name_defaulted"), "{err}");
    assert!(err.contains("warning: os_version_defaulted"), "{err}");
}

#[test]
fn cli_defaults_to_a_random_v4_id_and_the_current_time() {
    let a = run(&[], b"{}");
    let b = run(&[], b"{}");
    let a: serde_json::Value = serde_json::from_slice(&a.stdout).unwrap();
    let b: serde_json::Value = serde_json::from_slice(&b.stdout).unwrap();
    let id = a["id"].as_str().unwrap();
    assert_ne!(a["id"], b["id"]);
    assert_eq!(id.len(), 36);
    assert_eq!(&id[14..15], "4", "{id} is not version 4");
    assert!(
        matches!(&id[19..20], "8" | "9" | "a" | "b"),
        "{id} is not RFC 4122"
    );
    assert_eq!(a["owner"], "b912fb4a4c464b568ecfca1071b21b10");
    let year: u32 = a["created_at"].as_str().unwrap()[..4].parse().unwrap();
    assert!(year >= 2024, "{}", a["created_at"]);
}

#[test]
fn cli_exit_2_on_bad_flags_or_unreadable_file() {
    for args in [
        &["--bogus"][..],
        &["--now"][..],
        &["--now", "yesterday"][..],
        &["--id", "not-a-uuid"][..],
        &["--now", "999999999999999"][..],
        &["a.json", "b.json"][..],
        &["/nonexistent/body.json"][..],
    ] {
        let out = run(args, b"{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}

#[test]
fn cli_prints_the_request_schema() {
    let out = run(&["--schema"], b"");
    assert_eq!(out.status.code(), Some(0));
    let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        schema,
        ims_image_meta::request_schema(&ims_image_meta::Rules::default())
    );
}
