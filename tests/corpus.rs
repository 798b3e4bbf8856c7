//! `ims-image-meta corpus DIR`: the same seed writes the same bytes, and the manifest
//! agrees with the CLI's own verdict on every file it wrote.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_ims-image-meta");

/// A verdict by file: (file name, status, [(pointer, code)]).
type Verdict = (String, u64, Vec<(String, String)>);

fn tmp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("ims-corpus-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

fn corpus(dir: &Path, args: &[&str]) {
    let out = Command::new(BIN)
        .arg("corpus")
        .arg(dir)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Every file of `dir`, by name, with its bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().into_string().unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn the_same_seed_writes_the_same_bytes() {
    let (a, b, c) = (tmp("a"), tmp("b"), tmp("c"));
    corpus(&a, &["--count", "80", "--seed", "7"]);
    corpus(&b, &["--seed=7", "--count=80"]);
    corpus(&c, &["--count", "80", "--seed", "8"]);
    let (fa, fb, fc) = (files(&a), files(&b), files(&c));
    assert_eq!(fa.len(), 80 + 2);
    assert!(fa == fb, "two runs with one seed differ");
    assert!(fa != fc, "two seeds write the same corpus");
    for d in [a, b, c] {
        std::fs::remove_dir_all(d).unwrap();
    }
}

/// (status, [(pointer, code)]) of each `--jsonl` line, by file name.
fn cli_verdicts(dir: &Path, files: &[String], rules: &[&str]) -> Vec<Verdict> {
    let out = Command::new(BIN)
        .args(rules)
        .args([
            "--jsonl",
            "--id",
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
            "--now",
            "0",
        ])
        .args(files.iter().map(|f| dir.join(f)))
        .output()
        .unwrap();
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let v: Value = serde_json::from_str(l).unwrap();
            let file = Path::new(v["file"].as_str().unwrap())
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            let violations = v["report"]["violations"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|x| {
                            let s = |k: &str| x[k].as_str().unwrap().to_owned();
                            (s("pointer"), s("code"))
                        })
                        .collect()
                })
                .unwrap_or_default();
            (file, v["status"].as_u64().unwrap(), violations)
        })
        .collect()
}

#[test]
fn the_manifest_agrees_with_the_cli_under_each_rule_set() {
    let rules_file =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/rules/dedicated-region.json");
    let rules_file = rules_file.to_str().unwrap();
    for (name, rules) in [
        ("default", vec![]),
        ("otc", vec!["--profile", "otc"]),
        ("huaweicloud", vec!["--profile", "huaweicloud"]),
        ("file", vec!["--rules", rules_file]),
    ] {
        let dir = tmp(name);
        let mut args = vec!["--count", "150", "--seed", "22"];
        args.extend(&rules);
        corpus(&dir, &args);
        let manifest = std::fs::read_to_string(dir.join("manifest.jsonl")).unwrap();
        let want: Vec<Verdict> = manifest
            .lines()
            .map(|l| {
                let v: Value = serde_json::from_str(l).unwrap();
                let violations = v["violations"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| {
                        (
                            p[0].as_str().unwrap().to_owned(),
                            p[1].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
                (
                    v["file"].as_str().unwrap().to_owned(),
                    v["status"].as_u64().unwrap(),
                    violations,
                )
            })
            .collect();
        assert_eq!(want.len(), 150);
        let names: Vec<String> = want.iter().map(|w| w.0.clone()).collect();
        let got = cli_verdicts(&dir, &names, &rules);
        assert_eq!(got.len(), want.len());
        for (g, w) in got.iter().zip(&want) {
            assert_eq!(g, w, "{name}");
        }
        // Every status and most codes are there.
        for status in [201, 400, 403, 413] {
            assert!(want.iter().any(|w| w.1 == status), "{name}: no {status}");
        }
        let dict = std::fs::read_to_string(dir.join("ims.dict")).unwrap();
        assert!(dict.contains("\"\\\"min_disk\\\"\""), "{name}");
        std::fs::remove_dir_all(dir).unwrap();
    }
}

#[test]
fn bad_usage_is_exit_2() {
    for args in [
        &["corpus"][..],
        &["corpus", "d", "--count", "x"],
        &["corpus", "d", "--count", "100001"],
        &["corpus", "d", "--seed", "-1"],
        &["corpus", "d", "e"],
        &["corpus", "d", "--profile", "otc", "--rules", "r.json"],
        &["corpus", "d", "--format", "ims"],
    ] {
        let out = Command::new(BIN).args(args).output().unwrap();
        assert_eq!(out.status.code(), Some(2), "{args:?}");
        assert!(!out.stderr.is_empty(), "{args:?}");
    }
}
