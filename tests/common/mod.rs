//! Shared by the integration tests: the conformance cases and the checks of an outcome.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use ims_image_meta::{Context, Profile, Rules, Timestamp};
use serde_json::Value;

/// The context every conformance case is derived with (conformance/README.md).
pub const CASE_ID: &str = "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86";
pub const CASE_OWNER: &str = "b912fb4a4c464b568ecfca1071b21b10";
pub const CASE_NOW: i64 = 1_464_853_788;

pub fn context() -> Context {
    Context::new(CASE_ID, CASE_OWNER, Timestamp::from_unix(CASE_NOW).unwrap()).unwrap()
}

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// `../shared` beside the project root, when this checkout has one.
pub fn shared() -> Option<PathBuf> {
    let p = root().join("..").join("shared");
    p.is_dir().then_some(p)
}

#[derive(Debug)]
pub struct Case {
    pub line: usize,
    pub name: String,
    pub body: Vec<u8>,
    pub min_disk_range: Option<(u32, u32)>,
    /// `rules.profile`: the named rule set the case runs under (the default else).
    pub profile: Option<Profile>,
    pub status: u16,
    pub violations: Vec<(String, String)>,
    pub includes_only: bool,
    pub record: Option<serde_json::Map<String, Value>>,
}

impl Case {
    pub fn rules(&self) -> Rules {
        let mut b = Rules::builder(self.profile.unwrap_or_default());
        if let Some((lo, hi)) = self.min_disk_range {
            b = b.min_disk(lo..=hi);
        }
        b.build().unwrap()
    }

    /// Checks an outcome rendered as JSON: for 201 the record, else the report
    /// (`{"status", "violations": [{"pointer", "code", ...}]}`).
    pub fn check(&self, status: u16, json: &Value) -> Result<(), String> {
        if status != self.status {
            return Err(format!("status {status}, want {}: {json}", self.status));
        }
        if status == 201 {
            let want = self.record.as_ref().ok_or("201 case without record")?;
            for (k, v) in want {
                if json.get(k) != Some(v) {
                    return Err(format!("record[{k}] = {:?}, want {v}", json.get(k)));
                }
            }
            return Ok(());
        }
        if json["status"] != status {
            return Err(format!(
                "report status field {}, want {status}",
                json["status"]
            ));
        }
        let got: Vec<(String, String)> = json["violations"]
            .as_array()
            .ok_or("report without violations")?
            .iter()
            .map(|v| {
                (
                    v["pointer"].as_str().unwrap_or("?").to_owned(),
                    v["code"].as_str().unwrap_or("?").to_owned(),
                )
            })
            .collect();
        let got_set: BTreeSet<_> = got.iter().cloned().collect();
        let want_set: BTreeSet<_> = self.violations.iter().cloned().collect();
        let ok = if self.includes_only {
            want_set.is_subset(&got_set)
        } else {
            got_set == want_set && got.len() == self.violations.len()
        };
        if ok {
            Ok(())
        } else {
            Err(format!("violations {got:?}, want {:?}", self.violations))
        }
    }
}

/// Decodes standard base64 (for `body_b64`).
pub fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => u32::from(c - b'A'),
            b'a'..=b'z' => u32::from(c - b'a') + 26,
            b'0'..=b'9' => u32::from(c - b'0') + 52,
            b'+' => 62,
            b'/' => 63,
            _ => panic!("bad base64 byte {c}"),
        }
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        let bytes = n.to_be_bytes();
        out.extend_from_slice(&bytes[1..chunk.len()]);
    }
    out
}

pub fn load_cases(path: &Path) -> Vec<Case> {
    let text = std::fs::read_to_string(path).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value =
                serde_json::from_str(l).unwrap_or_else(|e| panic!("line {}: {e}", i + 1));
            let body = match (v.get("body"), v.get("body_b64")) {
                (Some(b), _) => b.as_str().unwrap().as_bytes().to_vec(),
                (None, Some(b)) => base64(b.as_str().unwrap()),
                _ => panic!("line {}: no body", i + 1),
            };
            let min_disk_range = v
                .get("rules")
                .and_then(|r| r.get("min_disk_range"))
                .map(|r| (r[0].as_u64().unwrap() as u32, r[1].as_u64().unwrap() as u32));
            let profile = v
                .get("rules")
                .and_then(|r| r.get("profile"))
                .map(|p| p.as_str().unwrap().parse::<Profile>().unwrap());
            if let Some(rules) = v.get("rules").and_then(Value::as_object) {
                for k in rules.keys() {
                    assert!(
                        k == "min_disk_range" || k == "profile",
                        "line {}: unknown rule override {k}",
                        i + 1
                    );
                }
            }
            let violations = v
                .get("violations")
                .and_then(Value::as_array)
                .map(|a| {
                    a.iter()
                        .map(|p| {
                            (
                                p[0].as_str().unwrap().to_owned(),
                                p[1].as_str().unwrap().to_owned(),
                            )
                        })
                        .collect()
                })
                .unwrap_or_default();
            Case {
                line: i + 1,
                name: v["name"].as_str().unwrap().to_owned(),
                body,
                min_disk_range,
                profile,
                status: v["status"].as_u64().unwrap() as u16,
                violations,
                includes_only: v.get("match").and_then(Value::as_str) == Some("includes"),
                record: v.get("record").and_then(Value::as_object).cloned(),
            }
        })
        .collect()
}

pub fn cases() -> Vec<Case> {
    load_cases(&root().join("tests/data/cases.jsonl"))
}

/// The cases of the named profiles (SPEC section 7).
pub fn profile_cases() -> Vec<Case> {
    load_cases(&root().join("tests/data/profiles.jsonl"))
}
pub mod bin;
pub mod gen;
pub mod patch;

/// Builds the example `name` (in this test binary's profile) and returns its path. A
/// filtered `cargo test` does not rebuild examples, and a stale binary would test old
/// code.
pub fn example(name: &str) -> PathBuf {
    let mut cmd = std::process::Command::new(env!("CARGO"));
    cmd.args(["build", "--quiet", "--example", name]);
    if !cfg!(debug_assertions) {
        cmd.arg("--release");
    }
    assert!(cmd.current_dir(root()).status().unwrap().success());
    let mut dir = std::env::current_exe().unwrap();
    dir.pop();
    if dir.ends_with("deps") {
        dir.pop();
    }
    dir.join("examples")
        .join(format!("{name}{}", std::env::consts::EXE_SUFFIX))
}
