//! `request_schema` gives the crate's verdict with an independent validator (the
//! `jsonschema` crate, and Python's `jsonschema` when installed), over the conformance
//! bodies and generated ones, under the default rules and changed knobs; every derived
//! record validates against `record_schema`.

mod common;
#[path = "../fuzz/checks/shared.rs"]
mod shared;

use common::gen::{self, J};
use ims_image_meta::{request_schema, validate, DiskFormat, NameCharset, Rules};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestRunner};
use serde_json::Value;

fn oracle(rules: &Rules) -> jsonschema::Validator {
    jsonschema::draft202012::new(&request_schema(rules)).expect("the schema compiles")
}

/// Knob settings the differential runs under.
fn rule_sets() -> Vec<(&'static str, Rules)> {
    let mut otc = Rules::default();
    otc.min_disk = 1..=1024;
    otc.name_max_chars = 128;
    otc.default_disk_format = DiskFormat::Zvhd2;
    otc.disk_formats = vec![DiskFormat::Zvhd2, DiskFormat::Raw, DiskFormat::Qcow2];
    let mut loose = Rules::default();
    loose.allow_four_byte_unicode = true;
    loose.name_charset = NameCharset::Any;
    loose.max_tags = 3;
    loose.max_properties = 2;
    loose.property_value_max_bytes = 10;
    vec![
        ("default", Rules::default()),
        ("otc", otc),
        ("loose", loose),
    ]
}

/// The crate's verdict and the oracle's, or None where the oracle is not expected to
/// agree.
fn verdicts(body: &[u8], rules: &Rules, schema: &jsonschema::Validator) -> Option<(bool, bool)> {
    let ours = validate(body, rules);
    let doc: Option<Value> = serde_json::from_slice(body).ok();
    match (&ours, &doc) {
        (Err(r), _) if shared::beyond_schema(r, doc.as_ref()) => None,
        (_, None) => None,
        (_, Some(d)) => Some((ours.is_ok(), schema.is_valid(d))),
    }
}

#[test]
fn conformance_bodies_get_the_same_verdict_from_the_schema() {
    let mut compared = 0;
    for case in common::cases() {
        let rules = case.rules();
        let schema = oracle(&rules);
        if let Some((ours, theirs)) = verdicts(&case.body, &rules, &schema) {
            assert_eq!(ours, theirs, "line {} ({})", case.line, case.name);
            compared += 1;
        }
    }
    // Only syntax, duplicate keys, the size cap, floats and the property quota are out.
    assert!(compared >= 40, "compared {compared}");
}

fn differential(bodies: impl Strategy<Value = (J, gen::Style)>) {
    let sets = rule_sets();
    let schemas: Vec<_> = sets.iter().map(|(_, r)| oracle(r)).collect();
    let mut runner = TestRunner::new(Config {
        cases: Config::default().cases.max(1024),
        ..Config::default()
    });
    runner
        .run(&bodies, |(doc, style)| {
            let body = gen::render_capped(&doc, style);
            for ((name, rules), schema) in sets.iter().zip(&schemas) {
                if let Some((ours, theirs)) = verdicts(body.as_bytes(), rules, schema) {
                    prop_assert_eq!(ours, theirs, "rules {}: {:.300}", name, body);
                }
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn valid_bodies_get_the_same_verdict_from_the_schema() {
    differential((gen::valid_entries().prop_map(J::Obj), gen::style()));
}

#[test]
fn one_rule_mutations_get_the_same_verdict_from_the_schema() {
    let mutated = (gen::valid_entries(), gen::mutation(), any::<usize>())
        .prop_map(|(e, mu, at)| gen::apply(&e, &mu, at));
    differential((mutated, gen::style()));
}

#[test]
fn a_mutation_the_schema_sees_is_refused_by_it() {
    // Not only agreement: under the default rules the schema itself refuses each
    // mutation it can see (guards against a schema and crate that are both too lax).
    let schema = oracle(&Rules::default());
    let mut runner = TestRunner::default();
    let strat = (gen::valid_entries(), gen::mutation(), any::<usize>());
    runner
        .run(&strat, |(e, mu, at)| {
            if mu.schema_sees && mu.code != "duplicate_key" {
                let v = gen::to_value(&gen::apply(&e, &mu, at));
                prop_assert!(!schema.is_valid(&v), "{} passes the schema", mu.what);
            }
            Ok(())
        })
        .unwrap();
}

#[test]
fn the_schema_lists_what_it_cannot_express() {
    let s = request_schema(&Rules::default());
    let d = s["description"].as_str().unwrap();
    for limit in ims_image_meta::SCHEMA_LIMITS {
        assert!(d.contains(limit), "{limit}");
    }
    assert_eq!(s["$schema"], "https://json-schema.org/draft/2020-12/schema");
    assert_eq!(s["properties"]["status"], Value::Bool(false));
    assert_eq!(s["properties"]["min_disk"]["minimum"], 40);
    assert_eq!(
        s["properties"]["__os_version"]["enum"]
            .as_array()
            .unwrap()
            .len(),
        199
    );
}

#[test]
fn record_schema_marks_service_fields_read_only() {
    let s = ims_image_meta::record_schema();
    for k in [
        "status",
        "created_at",
        "self",
        "file",
        "owner",
        "__os_type",
        "__platform",
    ] {
        assert_eq!(s["properties"][k]["readOnly"], true, "{k}");
    }
    assert!(s["properties"]["name"].get("readOnly").is_none());
    let v = jsonschema::draft202012::new(&s).unwrap();
    assert!(!v.is_valid(&serde_json::json!({"id": "x"})));
}

/// Python's `jsonschema` (the library Glance validates with) reads the schema the same
/// way. Skipped, with a note, where Python or the package is missing; CI installs it.
#[test]
fn python_jsonschema_gives_the_same_verdicts() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import jsonschema"])
        .output();
    if !probe.is_ok_and(|o| o.status.success()) {
        eprintln!("python3 with jsonschema not found: skipping (pip install jsonschema)");
        if std::env::var_os("CI").is_some() {
            panic!("CI must have python3 with jsonschema");
        }
        return;
    }
    let mut lines = Vec::new();
    let mut add = |body: &[u8], rules: &Rules, set: &str| {
        let ours = validate(body, rules);
        let doc: Option<Value> = serde_json::from_slice(body).ok();
        let Some(doc) = doc else { return };
        if let Err(r) = &ours {
            if shared::beyond_schema(r, Some(&doc)) {
                return;
            }
        }
        lines.push(serde_json::json!({"set": set, "body": String::from_utf8_lossy(body), "valid": ours.is_ok()}).to_string());
    };
    let sets = rule_sets();
    for case in common::cases() {
        add(
            &case.body,
            &case.rules(),
            if case.min_disk_range.is_some() {
                "case_relaxed"
            } else {
                "default"
            },
        );
    }
    let mut runner = TestRunner::deterministic();
    let strat = (
        gen::valid_entries(),
        gen::mutation(),
        any::<usize>(),
        any::<bool>(),
        gen::style(),
    );
    for _ in 0..600 {
        let (e, mu, at, mutate, style) = strat.new_tree(&mut runner).unwrap().current();
        let doc = if mutate {
            gen::apply(&e, &mu, at)
        } else {
            J::Obj(e)
        };
        let body = gen::render_capped(&doc, style);
        for (name, rules) in &sets {
            add(body.as_bytes(), rules, name);
        }
    }
    let dir = std::env::temp_dir().join(format!("ims-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut relaxed = Rules::default();
    relaxed.min_disk = 1..=1024;
    let mut schemas = serde_json::Map::new();
    schemas.insert("case_relaxed".into(), request_schema(&relaxed));
    for (name, rules) in &sets {
        schemas.insert((*name).into(), request_schema(rules));
    }
    std::fs::write(dir.join("schemas.json"), Value::Object(schemas).to_string()).unwrap();
    std::fs::write(dir.join("bodies.jsonl"), lines.join("\n")).unwrap();
    let out = std::process::Command::new("python3")
        .arg(common::root().join("tests/python_schema_check.py"))
        .arg(&dir)
        .output()
        .unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "Python disagrees:\n{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("{} agreed", lines.len())),
        "{stdout}"
    );
}
