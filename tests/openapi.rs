//! The OpenAPI 3.1 document (`schema::openapi`): a valid OpenAPI document (Python's
//! `openapi-spec-validator`, when installed; CI installs it), every `$ref` resolved,
//! and every answer the crate gives — each conformance case for create and update, in
//! the three formats and both locales — listed under its call and status, with a body
//! its schema accepts. Its examples answer as their summaries say.

mod common;

use common::patch::patch_cases;
use ims_image_meta::report::{Format, Style};
use ims_image_meta::schema::openapi;
use ims_image_meta::{answer, update, Answer, Code, Locale, Rules};
use serde_json::{json, Value};
use std::collections::HashMap;

fn styles() -> Vec<Style> {
    Format::ALL
        .iter()
        .flat_map(|&f| Locale::ALL.iter().map(move |&l| Style::new(f, l)))
        .collect()
}

/// Every `$ref` of `v`, as written.
fn refs<'v>(v: &'v Value, out: &mut Vec<&'v str>) {
    match v {
        Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", Value::String(s)) => out.push(s),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[test]
fn every_ref_resolves_and_no_json_schema_defs_are_left() {
    let doc = openapi(&Rules::default());
    let mut found = Vec::new();
    refs(&doc, &mut found);
    assert!(found.len() >= 10, "{found:?}");
    for r in found {
        let pointer = r
            .strip_prefix('#')
            .unwrap_or_else(|| panic!("not local: {r}"));
        assert!(doc.pointer(pointer).is_some(), "{r} does not resolve");
    }
    assert!(!doc.to_string().contains("\"$defs\""));
    assert!(!doc.to_string().contains("\"$schema\""));
}

/// The schema the document gives an answer of `status` to `operation` (a path and a
/// method) in `content_type`, compiled against the document's components; `None` when
/// the document lists no such response.
fn response_schema(
    doc: &Value,
    path: &str,
    method: &str,
    status: u16,
    content_type: &str,
) -> Option<jsonschema::Validator> {
    let response = doc["paths"][path][method]["responses"].get(status.to_string())?;
    let schema = response["content"].get(content_type)?["schema"].clone();
    let mut root = json!({ "components": doc["components"].clone() });
    for (k, v) in schema.as_object()? {
        root[k] = v.clone();
    }
    Some(jsonschema::draft202012::new(&root).expect("the response schema compiles"))
}

/// The documents and compiled response schemas, by rule set (cases share a few).
#[derive(Default)]
struct Docs {
    docs: HashMap<String, Value>,
    schemas: HashMap<(String, String), Option<jsonschema::Validator>>,
}

impl Docs {
    /// Checks one answer under the rule set named `key` (`rules`).
    fn check(
        &mut self,
        key: &str,
        rules: &Rules,
        (path, method): (&str, &str),
        a: &Answer,
        what: &str,
    ) -> Result<(), String> {
        let doc = self
            .docs
            .entry(key.to_owned())
            .or_insert_with(|| openapi(rules));
        let id = format!("{path} {method} {} {}", a.status(), a.content_type());
        let schema = self
            .schemas
            .entry((key.to_owned(), id))
            .or_insert_with(|| response_schema(doc, path, method, a.status(), a.content_type()));
        check(doc, path, method, schema.as_ref(), a, what)
    }
}

/// Checks one answer against the document: its status is listed for the call, and a
/// body (there is none on a 204) is valid under `schema`, the document's for its
/// status and content type.
fn check(
    doc: &Value,
    path: &str,
    method: &str,
    schema: Option<&jsonschema::Validator>,
    a: &Answer,
    what: &str,
) -> Result<(), String> {
    let listed = doc["paths"][path][method]["responses"].get(a.status().to_string());
    let Some(listed) = listed else {
        return Err(format!("{what}: {method} {path} lists no {}", a.status()));
    };
    if a.status() == 204 {
        return match (a.body().is_empty(), listed.get("content")) {
            (true, None) => Ok(()),
            _ => Err(format!("{what}: 204 with a body or a content")),
        };
    }
    let Some(schema) = schema else {
        return Err(format!(
            "{what}: no {} schema for {}",
            a.content_type(),
            a.status()
        ));
    };
    let body: Value = serde_json::from_slice(a.body()).map_err(|e| format!("{what}: {e}"))?;
    let errors: Vec<String> = schema.iter_errors(&body).map(|e| e.to_string()).collect();
    if errors.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "{what} ({}): {}: {body}",
            a.status(),
            errors.join("; ")
        ))
    }
}

#[test]
fn every_create_answer_is_described() {
    let ctx = common::context();
    let mut failures = Vec::new();
    let mut n = 0;
    let mut docs = Docs::default();
    for case in common::load_cases(&common::root().join("tests/data/cases.jsonl")) {
        let rules = case.rules();
        let key = format!("{:?} {:?}", case.profile, case.min_disk_range);
        for style in styles() {
            let a = answer(&case.body, &rules, &ctx, style);
            let what = format!("cases.jsonl line {} ({}) {style:?}", case.line, case.name);
            if let Err(e) = docs.check(&key, &rules, ("/v2/images", "post"), &a, &what) {
                failures.push(e);
            }
            n += 1;
        }
    }
    assert!(n > 100, "{n}");
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_update_answer_is_described() {
    let mut failures = Vec::new();
    let mut statuses = std::collections::BTreeSet::new();
    let mut docs = Docs::default();
    for case in patch_cases() {
        let (image, rules, now) = (case.image(), case.rules(), case.now());
        let key = format!("{:?}", case.rules);
        for style in styles() {
            let (path, method, a) = match case.call.as_str() {
                "patch" => (
                    "/v2/images/{image_id}",
                    "patch",
                    update::answer_patch(
                        case.media_type.as_deref().unwrap(),
                        case.body.as_deref().unwrap().as_bytes(),
                        &image,
                        &rules,
                        now,
                        style,
                    ),
                ),
                call => {
                    let tag = case.tag.as_deref().unwrap();
                    let (method, a) = if call == "tag_add" {
                        (
                            "put",
                            update::answer_add_tag(tag, &image, &rules, now, style),
                        )
                    } else {
                        (
                            "delete",
                            update::answer_remove_tag(tag, &image, &rules, now, style),
                        )
                    };
                    ("/v2/images/{image_id}/tags/{tag}", method, a)
                }
            };
            statuses.insert(a.status());
            let what = format!("patch.jsonl line {} ({}) {style:?}", case.line, case.name);
            if let Err(e) = docs.check(&key, &rules, (path, method), &a, &what) {
                failures.push(e);
            }
            if a.status() == 415 {
                let header = &docs.docs[&key]["paths"][path][method]["responses"]["415"]["headers"]
                    ["Accept-Patch"];
                if header["schema"]["const"] != json!(a.accept_patch()) {
                    failures.push(format!("{what}: Accept-Patch {header}"));
                }
            }
        }
    }
    // The cases reach every update status.
    for s in [200, 204, 400, 403, 404, 409, 413, 415] {
        assert!(statuses.contains(&s), "no case answers {s}: {statuses:?}");
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each create example answers as its summary says (`accepted (201)` or `refused
/// (STATUS): …`, named by its code); there is a valid one and one per code the kit
/// makes, but those a JSON value cannot carry.
#[test]
fn the_create_examples_answer_as_they_say() {
    let ctx = common::context();
    for rules in [
        Rules::default(),
        Rules::builder(ims_image_meta::Profile::ALL[1])
            .build()
            .unwrap(),
    ] {
        let doc = openapi(&rules);
        let examples = doc["paths"]["/v2/images"]["post"]["requestBody"]["content"]
            ["application/json"]["examples"]
            .as_object()
            .unwrap();
        assert!(examples.contains_key("valid"));
        for (name, ex) in examples {
            let body = serde_json::to_vec(&ex["value"]).unwrap();
            let a = answer(&body, &rules, &ctx, Style::default());
            let summary = ex["summary"].as_str().unwrap();
            if name == "valid" {
                assert_eq!((a.status(), summary), (201, "accepted (201)"));
                continue;
            }
            assert!(
                summary.starts_with(&format!("refused ({})", a.status())),
                "{name}: {summary}"
            );
            let codes: Vec<Code> = a
                .report()
                .unwrap()
                .violations()
                .iter()
                .map(|v| v.code())
                .collect();
            assert_eq!(codes.len(), 1, "{name}");
            assert_eq!(codes[0].as_str(), name);
        }
        // Every code but those no JSON value can carry (the body's own faults, a
        // repeated key) has its example.
        let left_out = [
            "body_too_large",
            "empty_body",
            "malformed_json",
            "duplicate_key",
        ];
        for code in ims_image_meta::kit::codes(&rules) {
            let c = code.as_str();
            assert!(
                examples.contains_key(c) || left_out.contains(&c),
                "no example of {c}"
            );
        }
    }
}

/// Every code's status is listed by a call that can raise it.
#[test]
fn every_code_status_is_listed() {
    let doc = openapi(&Rules::default());
    let all: std::collections::BTreeSet<String> = doc["paths"]
        .as_object()
        .unwrap()
        .values()
        .flat_map(|p| p.as_object().unwrap().values())
        .flat_map(|op| op["responses"].as_object().unwrap().keys().cloned())
        .collect();
    for code in Code::ALL {
        assert!(all.contains(&code.status().to_string()), "{code:?}");
    }
}

/// The document is a valid OpenAPI 3.1 document, by Python's `openapi-spec-validator`
/// (skipped when it is not installed, but not in CI).
#[test]
fn openapi_spec_validator_accepts_the_document() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 with openapi-spec-validator not found: skipping (pip install openapi-spec-validator)");
        if std::env::var_os("CI").is_some() {
            panic!("CI must have python3 with openapi-spec-validator");
        }
        return;
    }
    let dir = std::env::temp_dir().join(format!("ims-openapi-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // One profile: the others change values, not the document's structure.
    for (i, profile) in ims_image_meta::Profile::ALL[..1].iter().enumerate() {
        let file = dir.join(format!("openapi-{i}.json"));
        let doc = openapi(&Rules::builder(*profile).build().unwrap());
        std::fs::write(&file, serde_json::to_vec(&doc).unwrap()).unwrap();
        let out = std::process::Command::new("python3")
            .args([
                "-c",
                "import json,sys; from openapi_spec_validator import validate; validate(json.load(open(sys.argv[1]))); print('ok')",
            ])
            .arg(&file)
            .output()
            .unwrap();
        assert!(
            out.status.success() && out.stdout.starts_with(b"ok"),
            "{profile:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// `min_disk` has plain bounds for generators under every profile: the union of the
/// OS types' ranges (the exact range by OS type is on top, for validators).
#[test]
fn min_disk_has_plain_bounds_under_every_profile() {
    for &profile in ims_image_meta::Profile::ALL {
        let rules = Rules::builder(profile).build().unwrap();
        let doc = openapi(&rules);
        let m = &doc["components"]["schemas"]["CreateImageRequest"]["properties"]["min_disk"];
        let (l, w) = (rules.min_disk_linux(), rules.min_disk_windows());
        assert_eq!(m["minimum"], json!(l.start().min(w.start())), "{profile:?}");
        assert_eq!(m["maximum"], json!(l.end().max(w.end())), "{profile:?}");
    }
}

/// The document is valid under the OpenAPI 3.1 schema (the OpenAPI Initiative's
/// `schema/2022-10-07`, Apache-2.0, as openapi-spec-validator ships it, kept in
/// `tests/data/oas-3.1-schema.json`), with the `jsonschema` crate, under every profile.
#[test]
fn the_document_is_valid_under_the_openapi_3_1_schema() {
    let text =
        std::fs::read_to_string(common::root().join("tests/data/oas-3.1-schema.json")).unwrap();
    let oas: Value = serde_json::from_str(&text).unwrap();
    let v = jsonschema::draft202012::new(&oas).expect("the OAS 3.1 schema compiles");
    for &profile in ims_image_meta::Profile::ALL {
        let doc = openapi(&Rules::builder(profile).build().unwrap());
        let errors: Vec<String> = v
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{profile:?}: {errors:?}");
    }
    // It can fail: a response without its description is refused.
    let mut bad = openapi(&Rules::default());
    bad["paths"]["/v2/images"]["post"]["responses"]["201"]
        .as_object_mut()
        .unwrap()
        .remove("description");
    assert!(!v.is_valid(&bad));
}
