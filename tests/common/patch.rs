//! The update cases of `tests/data/patch.jsonl` (a copy of
//! `../shared/conformance/patch.jsonl`) and the check of an outcome.

use std::collections::BTreeSet;

use ims_image_meta::{update, Record, Report, Rules, Timestamp};
use serde_json::Value;

/// One line of `patch.jsonl`.
#[derive(Debug, Clone)]
pub struct PatchCase {
    pub line: usize,
    pub name: String,
    /// `patch`, `tag_add` or `tag_remove`.
    pub call: String,
    pub media_type: Option<String>,
    pub body: Option<String>,
    pub tag: Option<String>,
    pub image: Value,
    /// The `rules` object as given (a rules file), if any.
    pub rules: Option<Value>,
    pub now: i64,
    pub status: u16,
    pub violations: BTreeSet<(String, String)>,
    pub record: Option<Value>,
}

pub fn patch_cases() -> Vec<PatchCase> {
    let text = std::fs::read_to_string(super::root().join("tests/data/patch.jsonl")).unwrap();
    text.lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty())
        .map(|(i, l)| {
            let v: Value = serde_json::from_str(l).unwrap();
            let s = |k: &str| v.get(k).and_then(Value::as_str).map(str::to_owned);
            PatchCase {
                line: i + 1,
                name: s("name").unwrap(),
                call: s("call").unwrap(),
                media_type: s("media_type"),
                body: s("body"),
                tag: s("tag"),
                image: v["image"].clone(),
                rules: v.get("rules").cloned(),
                now: v["now"].as_i64().unwrap(),
                status: u16::try_from(v["status"].as_u64().unwrap()).unwrap(),
                violations: v["violations"]
                    .as_array()
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
                    .unwrap_or_default(),
                record: v.get("record").cloned(),
            }
        })
        .collect()
}

impl PatchCase {
    pub fn rules(&self) -> Rules {
        match &self.rules {
            Some(r) => Rules::from_json(&serde_json::to_vec(r).unwrap()).unwrap(),
            None => Rules::default(),
        }
    }

    pub fn image(&self) -> Record {
        serde_json::from_value(self.image.clone()).unwrap()
    }

    pub fn now(&self) -> Timestamp {
        Timestamp::from_unix(self.now).unwrap()
    }

    /// The call through the library.
    pub fn run(&self, image: &Record, rules: &Rules) -> Result<Record, Report> {
        let now = self.now();
        match self.call.as_str() {
            "patch" => update::patch(
                self.media_type.as_deref().unwrap(),
                self.body.as_deref().unwrap().as_bytes(),
                image,
                rules,
                now,
            ),
            "tag_add" => update::add_tag(self.tag.as_deref().unwrap(), image, rules, now),
            "tag_remove" => update::remove_tag(self.tag.as_deref().unwrap(), image, rules, now),
            other => panic!("unknown call {other}"),
        }
    }

    /// The status a server answers with on success.
    pub fn success_status(&self) -> u16 {
        if self.call == "patch" {
            200
        } else {
            204
        }
    }

    /// Checks an outcome: the status, and the image after a success (as a JSON value,
    /// `updated_at` included) or the exact set of `[pointer, code]` of a refusal (from
    /// a rendered report, in the Glance shape).
    pub fn check(&self, status: u16, json: &Value) -> Result<(), String> {
        if status != self.status {
            return Err(format!("status {status}, want {}: {json}", self.status));
        }
        if status == self.success_status() {
            let want = self.record.as_ref().ok_or("no record in the case")?;
            if json != want {
                return Err(format!("image\n  got  {json}\n  want {want}"));
            }
            return Ok(());
        }
        let got: BTreeSet<(String, String)> = json["violations"]
            .as_array()
            .ok_or("no violations")?
            .iter()
            .map(|v| {
                (
                    v["pointer"].as_str().unwrap_or_default().to_owned(),
                    v["code"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        if got != self.violations {
            return Err(format!("violations {got:?}, want {:?}", self.violations));
        }
        Ok(())
    }
}
