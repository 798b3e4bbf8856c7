//! `ims-conform` against the axum reference server on loopback: a server on the same
//! rules passes every case (create, patch, tags); a server with a planted fault (another profile's rules:
//! another default disk format, other name and min_disk bounds) is caught, each
//! divergence in its class, with exit status 1; a closed port is `transport`.

use std::net::SocketAddr;
use std::process::Command;

use ims_image_meta::{Profile, Rules};
use serde_json::Value;

mod common;

fn serve(rules: Rules) -> SocketAddr {
    common::spawn(common::reference(rules))
}

/// Runs the binary; its exit code and the JSON lines it wrote.
fn conform(args: &[&str]) -> (i32, Vec<Value>, String) {
    let dir = std::env::temp_dir().join(format!(
        "ims-conform-{}-{}",
        std::process::id(),
        args.join("_").len()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let jsonl = dir.join(format!(
        "{}.jsonl",
        args.iter().map(|a| a.len()).sum::<usize>()
    ));
    let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
        .args(args)
        .arg("--jsonl")
        .arg(&jsonl)
        .output()
        .unwrap();
    let lines = std::fs::read_to_string(&jsonl)
        .unwrap_or_default()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (
        out.status.code().unwrap_or(-1),
        lines,
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

fn classes(lines: &[Value]) -> std::collections::BTreeMap<String, usize> {
    let mut m = std::collections::BTreeMap::new();
    for l in lines {
        if let Some(c) = l["class"].as_str().filter(|c| *c != "ok") {
            *m.entry(c.to_owned()).or_insert(0) += 1;
        }
    }
    m
}

#[test]
fn a_server_on_the_same_rules_passes() {
    let addr = serve(Rules::default());
    let (code, lines, stdout) =
        conform(&[&format!("http://{addr}"), "--count", "400", "--seed", "3"]);
    assert_eq!(classes(&lines), Default::default(), "{stdout}");
    assert_eq!(code, 0, "{stdout}");
    // 400 create cases, the tag image and its five tag calls, 400 patch cases (each
    // an image made, then the call); and the image read back after each 204.
    let get = |l: &&Value| l["request"]["method"] == "GET";
    let read_backs = lines.iter().filter(get).count();
    assert_eq!(lines.len() - read_backs, 406 + 800);
    let no_content = lines.iter().filter(|l| l["status"] == 204).count();
    assert_eq!(read_backs, no_content);
    assert!(read_backs >= 3, "{read_backs}");
    let statuses: std::collections::BTreeSet<u64> =
        lines.iter().filter_map(|l| l["status"].as_u64()).collect();
    for s in [200, 201, 204, 400, 403, 404, 409, 413, 415] {
        assert!(statuses.contains(&s), "{s} never answered: {statuses:?}");
    }
}

#[test]
fn a_planted_fault_is_caught_in_its_classes() {
    // The server runs Open Telekom Cloud's rules; the runner judges by the default.
    let addr = serve(Rules::profile(Profile::Otc));
    let (code, lines, stdout) =
        conform(&[&format!("http://{addr}"), "--count", "400", "--seed", "3"]);
    let found = classes(&lines);
    assert_eq!(code, 1, "{stdout}");
    for class in ["rejected_valid", "wrong_violations", "record_mismatch"] {
        assert!(
            found.get(class).copied().unwrap_or(0) > 0,
            "{class}: {found:?}\n{stdout}"
        );
    }
    // Each divergence carries its case, its request and the answer.
    let d = lines.iter().find(|l| l["class"].is_string()).unwrap();
    assert!(
        d["case"].is_string()
            && d["request"]["body"].is_string()
            && d["status"].is_u64()
            && d["expected_status"].is_u64()
            && d["curl"]
                .as_str()
                .is_some_and(|c| c.contains("curl -si -X"))
    );
    // Its replay command gets the same answer from the server (a body with bytes
    // that need escaping among them).
    for d in lines.iter().filter(|l| l["class"] != "ok").take(25) {
        let out = Command::new("sh")
            .args(["-c", d["curl"].as_str().unwrap()])
            .output()
            .unwrap();
        let head = String::from_utf8_lossy(&out.stdout);
        let status = head.split_whitespace().nth(1).unwrap_or_default();
        assert_eq!(status, d["status"].to_string(), "{}\n{head}", d["curl"]);
    }
    // And the same server passes when the runner is told its rules.
    let (code, lines, stdout) = conform(&[
        &format!("http://{addr}"),
        "--count",
        "400",
        "--seed",
        "3",
        "--profile",
        "otc",
    ]);
    assert_eq!((code, classes(&lines)), (0, Default::default()), "{stdout}");
}

#[test]
fn a_closed_port_is_transport() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, lines, _) = conform(&[
        &format!("http://{port}"),
        "--count",
        "3",
        "--calls",
        "create",
    ]);
    assert_eq!(code, 1);
    assert_eq!(classes(&lines).get("transport"), Some(&3));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &[][..],
        &["http://x", "--calls", "nope"],
        &["http://x", "--profile", "p", "--rules", "f"],
    ] {
        let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
            .args(args)
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
    }
}

/// `--write-baseline` writes one entry per (call, class, topic) with an empty reason;
/// `--baseline` refuses an entry without a reason, holds the run's divergences once
/// every entry has one (exit 0, every entry seen), and a divergence whose topic lost
/// its entry is new again (exit 1).
#[test]
fn a_baseline_holds_known_divergences_by_class_and_code() {
    let addr = serve(Rules::profile(Profile::Otc));
    let url = format!("http://{addr}");
    let dir = std::env::temp_dir().join(format!("ims-conform-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baseline.jsonl");
    let file = file.to_str().unwrap();
    let run = |extra: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
            .args([&url, "--count", "60", "--seed", "5"])
            .args(extra)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned()
            + &String::from_utf8_lossy(&out.stderr);
        (out.status.code(), text)
    };
    assert_eq!(run(&["--write-baseline", file]).0, Some(1));
    let written = std::fs::read_to_string(file).unwrap();
    let entries = written.lines().count();
    assert!(entries >= 3, "{written}");
    // Each (call, class, topic) once.
    let keys: std::collections::BTreeSet<String> = written
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            format!("{} {} {}{}", v["call"], v["class"], v["code"], v["field"])
        })
        .collect();
    assert_eq!(keys.len(), entries);
    let (code, text) = run(&["--baseline", file]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("gives no `reason`"), "{text}");
    std::fs::write(
        file,
        written.replace(r#""reason":"""#, r#""reason":"OTC's rules""#),
    )
    .unwrap();
    let (code, text) = run(&["--baseline", file]);
    assert_eq!(code, Some(0), "{text}");
    assert!(
        text.contains(&format!("{entries} of its {entries} entries seen, 0 new")),
        "{text}"
    );
    // Without its first entry, what it held is new, and the summary says so.
    let filled = std::fs::read_to_string(file).unwrap();
    let rest: String = filled.lines().skip(1).map(|l| format!("{l}\n")).collect();
    std::fs::write(file, rest).unwrap();
    let (code, text) = run(&["--baseline", file]);
    assert_eq!(code, Some(1), "{text}");
    assert!(!text.contains(" 0 new"), "{text}");
}

/// `--token-cmd`: the token goes in `X-Auth-Token`; on a 401 the command runs again
/// and the request is replayed once.
#[test]
fn a_401_runs_the_token_command_again() {
    use axum::extract::Request;
    use axum::middleware::Next;
    use axum::response::IntoResponse;
    let app = common::reference(Rules::default()).layer(axum::middleware::from_fn(
        |req: Request, next: Next| async move {
            if req
                .headers()
                .get("x-auth-token")
                .is_some_and(|v| v == "tok1")
            {
                next.run(req).await
            } else {
                axum::http::StatusCode::UNAUTHORIZED.into_response()
            }
        },
    ));
    let addr = common::spawn(app);
    let counter = std::env::temp_dir().join(format!("ims-conform-token-{}", std::process::id()));
    std::fs::write(&counter, "0").unwrap();
    let cmd = format!(
        "n=$(cat {0}); echo $((n+1)) > {0}; echo tok$n",
        counter.display()
    );
    let out = Command::new(env!("CARGO_BIN_EXE_ims-conform"))
        .args([
            &format!("http://{addr}"),
            "--count",
            "5",
            "--calls",
            "create",
            "--token-cmd",
            &cmd,
        ])
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // Run once at the start (tok0, refused), once on the 401 (tok1, kept).
    assert_eq!(std::fs::read_to_string(&counter).unwrap().trim(), "2");
}
