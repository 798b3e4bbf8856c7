//! The `ims-image-meta` binary, run as a user runs it: the conformance verdicts, files
//! and stdin, the body cap on an endless pipe under a memory limit, flags and their
//! errors, several files, `--jsonl`, `--format ims`, `--schema`, `--catalog`.

mod common;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use common::bin::{run, stdout_json, BIN};

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const CTX: [&str; 6] = [
    "--id",
    common::CASE_ID,
    "--owner",
    common::CASE_OWNER,
    "--now",
    "1464853788",
];

fn sample() -> String {
    common::root()
        .join("examples/sample-request.json")
        .to_string_lossy()
        .into_owned()
}

/// A scratch directory for this test binary's files.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("cli");
    std::fs::create_dir_all(&dir).unwrap();
    dir.join(name)
}

fn write(name: &str, bytes: &[u8]) -> String {
    let path = scratch(name);
    std::fs::write(&path, bytes).unwrap();
    path.to_string_lossy().into_owned()
}

#[test]
fn every_default_rules_conformance_verdict() {
    let mut failures = Vec::new();
    let mut ran = 0;
    for case in common::cases() {
        // The binary runs named rule sets only: no ad-hoc min_disk range.
        if case.min_disk_range.is_some() {
            continue;
        }
        ran += 1;
        let out = run(&CTX, &case.body);
        let json: Value = match serde_json::from_slice(&out.stdout) {
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

/// Every line of the profiles' conformance file, through the binary with `--profile`.
#[test]
fn every_profile_conformance_verdict() {
    let mut failures = Vec::new();
    let cases = common::profile_cases();
    assert!(cases.len() >= 13, "only {} cases", cases.len());
    for case in &cases {
        let profile = case.profile.unwrap_or_default().to_string();
        let mut args = CTX.to_vec();
        args.extend(["--profile", profile.as_str()]);
        let out = run(&args, &case.body);
        let json: Value = serde_json::from_slice(&out.stdout).unwrap_or_default();
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
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// `--rules FILE` loads a region's rule set; a bad rules file, an unknown profile, or
/// both flags at once is exit 2 with the file, the place and the reason.
#[test]
fn rules_files_and_profiles() {
    let region = common::root().join("examples/rules/dedicated-region.json");
    let region = region.to_string_lossy().into_owned();
    let out = run(&["--rules", &region], br#"{"min_disk": 256}"#);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout_json(&out)["violations"][0]["code"], "out_of_range");
    let out = run(
        &[&format!("--rules={region}")],
        br#"{"min_disk": 255, "name": "a"}"#,
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = write("bad-rules.json", br#"{"min_disk_linux": [50, 40]}"#);
    let out = run(&["--rules", &bad], b"{}");
    assert_eq!(out.status.code(), Some(2));
    let e = stderr(&out);
    assert!(
        e.contains("bad rules") && e.contains("bad-rules.json"),
        "{e}"
    );
    assert!(e.contains("min_disk_linux") && e.contains("empty"), "{e}");
    let unknown = write("unknown-rules.json", br#"{"min_dsk": 1}"#);
    let e = stderr(&run(&["--rules", &unknown], b"{}"));
    assert!(e.contains("unknown field `min_dsk`"), "{e}");
    let out = run(&["--profile", "aws"], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--profile"), "{}", stderr(&out));
    let out = run(&["--profile", "otc", "--rules", &region], b"{}");
    assert_eq!(out.status.code(), Some(2));
    let out = run(&["--profile=huaweicloud"], br#"{"min_disk": 10}"#);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
}

#[test]
fn the_sample_file_gives_its_record() {
    let out = run(&[&CTX[..], &[&sample()]].concat(), b"");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let record = stdout_json(&out);
    assert_eq!(record["name"], "test");
    assert_eq!(record["min_disk"], 40);
    assert_eq!(record["created_at"], "2016-06-02T07:49:48Z");
    assert_eq!(record["id"], common::CASE_ID);
    assert_eq!(record["aaaa"], "11111");
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
    // The record reads back into the library's type.
    let typed: ims_image_meta::Record = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(typed.min_disk, 40);
}

#[test]
fn stdin_is_read_when_there_is_no_file_or_for_dash() {
    for args in [&CTX[..], &[&CTX[..], &["-"]].concat()] {
        let out = run(args, b"{}");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(stdout_json(&out)["name"], "");
        let err = stderr(&out);
        assert!(
            err.starts_with("warning: name_defaulted (/name): "),
            "{err}"
        );
        assert!(
            err.contains("\nwarning: os_version_defaulted (/__os_version): "),
            "{err}"
        );
    }
}

#[test]
fn defaults_to_a_random_v4_id_and_the_current_time() {
    let a = stdout_json(&run(&[], b"{}"));
    let b = stdout_json(&run(&[], b"{}"));
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
fn a_report_exits_1_in_either_format() {
    let body = br#"{"min_disk": 1, "status": "active"}"#;
    let out = run(&CTX, body);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    assert_eq!(report["status"], 403);
    assert_eq!(report["violations"][0]["pointer"], "/min_disk");
    assert_eq!(report["violations"][0]["ims_code"], "IMG.0055");
    assert_eq!(report["violations"][1]["code"], "read_only");
    // It reads back into the library's type, equal to what the library reports.
    let typed: ims_image_meta::Report = serde_json::from_slice(&out.stdout).unwrap();
    let direct = ims_image_meta::validate(body, &ims_image_meta::Rules::default()).unwrap_err();
    assert_eq!(typed, direct);

    for args in [&["--format", "ims"][..], &["--format=ims"][..]] {
        let out = run(args, body);
        assert_eq!(out.status.code(), Some(1));
        assert_eq!(
            stdout_json(&out),
            serde_json::json!({"error": {
                "code": "IMG.0055",
                "message": "Attribute 'min_disk' must be an integer from 40 to 1024, got 1. \
                            Attribute 'status' is read-only."
            }})
        );
    }
    // The format changes only reports.
    let out = run(&["--format", "ims"], b"{}");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out)["status"], "queued");
}

/// The largest body the default rules take, and one byte more.
#[test]
fn the_cap_and_one_byte_more() {
    let cap = ims_image_meta::Rules::default().max_body_bytes();
    let mut body = b"{}".to_vec();
    body.resize(cap, b' ');
    let out = run(&CTX, &body);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    body.push(b' ');
    let out = run(&CTX, &body);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout_json(&out);
    assert_eq!(report["status"], 413);
    assert_eq!(report["violations"][0]["code"], "body_too_large");
}

/// A pipe that never ends, under a 256 MiB address-space limit: the binary reads one
/// byte past the cap, answers 413 and exits, and the writer then meets a broken pipe.
/// A binary that read it all would die of the limit (or never exit).
#[test]
fn an_endless_pipe_is_answered_413_in_bounded_memory() {
    let mut child = Command::new("sh")
        .args(["-c", "ulimit -v 262144 && exec \"$0\" \"$@\"", BIN])
        .args(CTX)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let chunk = vec![b'7'; 1 << 16];
        let mut written: u64 = 0;
        // Until the reader is gone: Rust ignores SIGPIPE, so the write fails instead.
        while input.write_all(&chunk).is_ok() {
            written += chunk.len() as u64;
        }
        written
    });
    let out = child.wait_with_output().unwrap();
    let written = writer.join().unwrap();
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    let report = stdout_json(&out);
    assert_eq!(report["status"], 413);
    assert_eq!(report["violations"][0]["code"], "body_too_large");
    assert_eq!(report["violations"].as_array().unwrap().len(), 1);
    // The writer stopped because the reader left, after at least the cap.
    assert!(written as usize >= ims_image_meta::Rules::default().max_body_bytes() - (1 << 16));
}

#[test]
fn bad_flags_and_unreadable_files_exit_2_with_the_reason() {
    for (args, why) in [
        (&["--bogus"][..], "unknown option '--bogus'"),
        (&["-x"][..], "unknown option '-x'"),
        (&["--now"][..], "--now needs a value"),
        (&["--now", "yesterday"][..], "--now wants Unix seconds"),
        (&["--now=999999999999999"][..], "outside years 0000-9999"),
        (&["--id", "not-a-uuid"][..], "is not a UUID"),
        (&["--owner="][..], "owner project id is empty"),
        (
            &["--format", "xml"][..],
            "--format wants glance, ims or problem",
        ),
        (&["--jsonl=1"][..], "--jsonl takes no value"),
        (&["--schema", "x.json"][..], "--schema reads no FILE"),
        (&["-", "-"][..], "stdin ('-') can be read only once"),
        (
            &["/nonexistent/body.json"][..],
            "cannot read /nonexistent/body.json",
        ),
    ] {
        let out = run(args, b"{}");
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(out.stdout.is_empty(), "{args:?}");
        let err = stderr(&out);
        assert!(err.starts_with("ims-image-meta: "), "{args:?}: {err}");
        assert!(err.contains(why), "{args:?}: {err}");
    }
}

#[test]
fn help_lists_every_flag_with_examples_and_version_prints_the_version() {
    for flag in ["--help", "-h"] {
        let out = run(&[flag], b"");
        assert_eq!(out.status.code(), Some(0));
        let help = String::from_utf8(out.stdout).unwrap();
        for flag in [
            "--id UUID",
            "--owner ID",
            "--now UNIX_SECONDS",
            "--catalog FILE",
            "--profile NAME",
            "--rules FILE",
            "--format glance|ims|problem",
            "--lang en|zh-CN",
            "--jsonl",
            "--schema [request|record|patch|openapi]",
            "-h, --help",
            "-V, --version",
            "--option=value",
            "Examples:",
            "ims-image-meta examples/sample-request.json",
        ] {
            assert!(help.contains(flag), "--help lacks {flag}:\n{help}");
        }
    }
    for flag in ["--version", "-V"] {
        let out = run(&[flag], b"");
        assert_eq!(out.status.code(), Some(0));
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            format!("ims-image-meta {}\n", env!("CARGO_PKG_VERSION"))
        );
    }
}

#[test]
fn several_files_print_each_verdict_and_exit_with_the_worst() {
    let good = sample();
    let bad = write("bad.json", br#"{"min_disk": 1}"#);
    let missing = scratch("missing.json").to_string_lossy().into_owned();

    let out = run(&[&CTX[..], &[&good, &good]].concat(), b"");
    assert_eq!(out.status.code(), Some(0));
    let docs: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2);

    let out = run(&[&CTX[..], &[&good, &bad, &good]].concat(), b"");
    assert_eq!(out.status.code(), Some(1));
    let docs: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[1]["status"], 400);
    assert_eq!(docs[2]["name"], "test");

    // An unreadable file is the worst; the others are still answered.
    let out = run(&[&CTX[..], &[&bad, &missing, &good]].concat(), b"");
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains(&format!("cannot read {missing}")));
    let docs: Vec<Value> = serde_json::Deserializer::from_slice(&out.stdout)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(docs.len(), 2);

    // With several files, warnings name their file.
    let empty = write("empty-object.json", b"{}");
    let out = run(&[&CTX[..], &[&good, &empty]].concat(), b"");
    assert_eq!(out.status.code(), Some(0));
    let err = stderr(&out);
    assert!(
        err.starts_with(&format!("{empty}: warning: name_defaulted")),
        "{err}"
    );
}

#[test]
fn jsonl_gives_one_line_per_file_in_order() {
    let good = sample();
    let bad = write("jsonl-bad.json", br#"{"min_disk": 1, "status": "x"}"#);
    let missing = scratch("jsonl-missing.json").to_string_lossy().into_owned();
    let out = run(
        &[&CTX[..], &["--jsonl", &good, &bad, "-", &missing]].concat(),
        b"{}",
    );
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 4, "{text}");
    assert_eq!(lines[0]["file"], good.as_str());
    assert_eq!(lines[0]["status"], 201);
    assert_eq!(lines[0]["record"]["name"], "test");
    assert_eq!(lines[0]["warnings"], serde_json::json!([]));
    assert_eq!(lines[1]["file"], bad.as_str());
    assert_eq!(lines[1]["status"], 403);
    assert_eq!(lines[1]["report"]["violations"][1]["code"], "read_only");
    assert_eq!(lines[2]["file"], "-");
    assert_eq!(lines[2]["warnings"][0]["code"], "name_defaulted");
    assert_eq!(lines[3]["file"], missing.as_str());
    assert!(lines[3]["error"]
        .as_str()
        .unwrap()
        .starts_with("cannot read"));

    // Without an unreadable file, the worst is the rejection; --format applies inside.
    let out = run(&["--jsonl", "--format=ims", &good, &bad], b"");
    assert_eq!(out.status.code(), Some(1));
    let text = String::from_utf8(out.stdout).unwrap();
    let second: Value = serde_json::from_str(text.lines().nth(1).unwrap()).unwrap();
    assert_eq!(second["report"]["error"]["code"], "IMG.0055");
}

#[test]
fn schema_prints_the_request_or_the_record_schema() {
    let request = ims_image_meta::schema::request_schema(&ims_image_meta::Rules::default());
    for args in [
        &["--schema"][..],
        &["--schema", "request"],
        &["--schema=request"],
    ] {
        let out = run(args, b"");
        assert_eq!(out.status.code(), Some(0), "{args:?}");
        assert_eq!(stdout_json(&out), request, "{args:?}");
    }
    let out = run(&["--schema", "record"], b"");
    assert_eq!(out.status.code(), Some(0));
    assert_eq!(stdout_json(&out), ims_image_meta::schema::record_schema());
}

#[test]
fn catalog_from_csv_or_endpoint_json_by_content() {
    let body = br#"{"__os_version": "Rocky Linux 9.3 64bit", "name": "r"}"#;
    // The built-in catalog does not know it.
    let out = run(&CTX, body);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        stdout_json(&out)["violations"][0]["code"],
        "unknown_os_version"
    );

    let csv = write(
        "catalog.csv",
        b"os_version,os_type,platform,os_bit\nRocky Linux 9.3 64bit,Linux,Other,64\n",
    );
    let json = write(
        "catalog.json",
        br#"  [{"platform": "Other", "version_list": [{"platform": "Other",
              "os_version": "Rocky Linux 9.3 64bit", "os_bit": 64, "os_type": "Linux"}]}]"#,
    );
    for catalog in [&csv, &json] {
        let out = run(&[&CTX[..], &["--catalog", catalog]].concat(), body);
        assert_eq!(out.status.code(), Some(0), "{catalog}: {}", stderr(&out));
        let record = stdout_json(&out);
        assert_eq!(record["__os_version"], "Rocky Linux 9.3 64bit");
        assert_eq!(record["__os_type"], "Linux");
        // The sample's Ubuntu is not in this catalog.
        let out = run(&[&format!("--catalog={catalog}"), &sample()], b"");
        assert_eq!(out.status.code(), Some(1), "{catalog}");
    }

    let broken_csv = write(
        "broken.csv",
        b"os_version,os_type,platform,os_bit\nX,Linux,Other,63\n",
    );
    let broken_json = write("broken.json", br#"[{"version_list": 5}]"#);
    let missing = scratch("no-catalog.csv").to_string_lossy().into_owned();
    for (file, why) in [
        (&broken_csv, format!("bad catalog {broken_csv}: ")),
        (&broken_json, format!("bad catalog {broken_json}: ")),
        (&missing, format!("cannot read catalog {missing}: ")),
    ] {
        let out = run(&["--catalog", file], b"{}");
        assert_eq!(out.status.code(), Some(2), "{file}");
        assert!(out.stdout.is_empty());
        let err = stderr(&out);
        assert!(err.starts_with(&format!("ims-image-meta: {why}")), "{err}");
        // The reason follows the file name.
        assert!(
            err.trim_end().len() > format!("ims-image-meta: {why}").len(),
            "{err}"
        );
    }
}

/// A near miss is a warning on stderr (in the chosen language); `--format problem`
/// prints RFC 9457 problem details.
#[test]
fn near_miss_warnings_problem_json_and_chinese() {
    let out = run(&CTX, br#"{"container-format": "bare"}"#);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("warning: near_miss_key (/container-format): Property key 'container-format' looks like a misspelling of 'container_format'"),
        "{err}"
    );
    let mut args = CTX.to_vec();
    args.extend(["--lang", "zh-CN"]);
    let err = stderr(&run(&args, br#"{"container-format": "bare"}"#));
    assert!(err.contains("疑似'container_format'的拼写错误"), "{err}");
    let out = run(&["--format=problem", "--lang=zh-CN"], br#"{"min_disk": 1}"#);
    assert_eq!(out.status.code(), Some(1));
    let p = stdout_json(&out);
    assert_eq!(p["status"], 400);
    assert_eq!(p["title"], "Bad Request");
    assert_eq!(p["errors"][0]["params"]["max"], 1024);
    assert_eq!(
        p["errors"][0]["detail"],
        "属性'min_disk'的取值为40～1024，实际为1。"
    );
    let out = run(&["--lang", "fr"], b"{}");
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("unknown locale 'fr'"),
        "{}",
        stderr(&out)
    );
}

/// A reader that leaves early (`… | head`): the binary stops quietly with 141 (128 +
/// `SIGPIPE`, what a shell reports for a tool killed by it), with nothing on stderr and
/// never a panic. The OpenAPI document is larger than a pipe's buffer, so a write meets
/// the closed pipe whenever the reader leaves.
#[test]
fn a_reader_that_leaves_early_gets_a_quiet_141() {
    let mut child = Command::new(BIN)
        .args(["--schema", "openapi"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(141), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}
