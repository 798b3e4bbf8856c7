//! `request_schema` gives the crate's verdict with an independent validator (the
//! `jsonschema` crate, and Python's `jsonschema` when installed), over the conformance
//! bodies and generated ones, under the default rules and changed knobs; every derived
//! record validates against `record_schema`.

mod common;
#[path = "../fuzz/checks/shared.rs"]
mod shared;
#[path = "common/sweep.rs"]
mod sweep;

use ims_image_meta::kit::{self, Case, Source};
use ims_image_meta::{
    schema::request_schema,
    validate,
    values::{DiskFormat, NameCharset},
    Catalog, Profile, Rules,
};
use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::{Config, TestRunner};
use serde_json::{json, Value};

fn oracle(rules: &Rules) -> jsonschema::Validator {
    jsonschema::draft202012::new(&request_schema(rules)).expect("the schema compiles")
}

/// Knob settings the differential runs under: every profile, and changed knobs.
fn rule_sets() -> Vec<(&'static str, Rules)> {
    let custom = Rules::builder(Profile::Ims2022)
        .min_disk(1..=1024)
        .name_max_chars(128)
        .default_disk_format(DiskFormat::Zvhd2)
        .disk_formats([DiskFormat::Zvhd2, DiskFormat::Raw, DiskFormat::Qcow2])
        .build()
        .unwrap();
    let loose = Rules::builder(Profile::Ims2022)
        .allow_four_byte_unicode(true)
        .name_charset(NameCharset::Any)
        .max_tags(3)
        .max_properties(2)
        .property_value_max_bytes(10)
        .build()
        .unwrap();
    // The ranges by OS type the other way round: Windows below Linux, and a default
    // OS of type Windows.
    let catalog = Catalog::builtin();
    let windows = catalog.get("Windows Server 2016 Standard 64bit").unwrap();
    let windows_default = Rules::builder(Profile::HuaweiCloud)
        .min_disk_linux(30..=500)
        .min_disk_windows(5..=600)
        .default_os_version(windows.clone())
        .build()
        .unwrap();
    let mut sets: Vec<(&'static str, Rules)> = Profile::ALL
        .iter()
        .map(|&p| (p.as_str(), Rules::profile(p)))
        .collect();
    sets.extend([
        ("custom", custom),
        ("loose", loose),
        ("windows_default", windows_default),
    ]);
    sets
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
    for case in common::cases().into_iter().chain(common::profile_cases()) {
        let rules = case.rules();
        let schema = oracle(&rules);
        if let Some((ours, theirs)) = verdicts(&case.body, &rules, &schema) {
            assert_eq!(ours, theirs, "line {} ({})", case.line, case.name);
            compared += 1;
        }
    }
    // Only syntax, duplicate keys, the size cap, floats and the property quota are out.
    assert!(compared >= 53, "compared {compared}");
}

fn differential(bodies: impl Strategy<Value = Case>) {
    let sets = rule_sets();
    let schemas: Vec<_> = sets.iter().map(|(_, r)| oracle(r)).collect();
    let base = Config::default();
    let cases = sweep::size(
        "tests/schema.rs differential",
        "at least 1,024 kit cases, each under every rule set",
        base.cases,
        base.cases.max(1024),
    );
    let mut runner = TestRunner::new(Config { cases, ..base });
    runner
        .run(&bodies, |case| {
            let body = case.body();
            for ((name, rules), schema) in sets.iter().zip(&schemas) {
                if let Some((ours, theirs)) = verdicts(body, rules, schema) {
                    prop_assert_eq!(ours, theirs, "rules {}: {}", name, case.what());
                }
            }
            Ok(())
        })
        .unwrap();
}

/// The kit's cases under one of `rule_sets()` (so that each set's valid bodies, at its
/// own edges, are compared under every set), from a byte string proptest shrinks.
fn kit_cases(
    make: fn(&Rules, &mut Source) -> Result<Case, kit::KitError>,
) -> impl Strategy<Value = Case> {
    let n = rule_sets().len();
    (0..n, proptest::collection::vec(any::<u8>(), 0..4096)).prop_map(move |(i, bytes)| {
        let (_, rules) = &rule_sets()[i];
        make(rules, &mut Source::from_bytes(&bytes)).unwrap()
    })
}

/// One-fault bodies of every code the default rules allow.
fn one_fault() -> impl Strategy<Value = Case> {
    let rules = Rules::default();
    (
        select(kit::codes(&rules)),
        proptest::collection::vec(any::<u8>(), 0..4096),
    )
        .prop_map(|(code, bytes)| {
            Case::breaking(&Rules::default(), code, &mut Source::from_bytes(&bytes)).unwrap()
        })
}

/// Bodies at the edges the profiles move: `min_disk` around every profile's bounds,
/// with a Linux, a Windows, the default, no or an unknown `__os_version` (before or
/// after `min_disk`), each disk format, names of 128/129 chars and CJK.
fn boundary_bodies() -> Vec<Value> {
    let mut out = Vec::new();
    let oses = [
        None,
        Some("CentOS 7.6 64bit"),
        Some("Windows Server 2016 Standard 64bit"),
        Some("Other Linux (64 bit)"),
        Some("Other Linux(64 bit)"),
        Some("Windows 99"),
    ];
    for os in oses {
        for disk in [
            0u32, 1, 4, 5, 9, 10, 19, 20, 29, 30, 39, 40, 500, 501, 600, 601, 1024, 1025,
        ] {
            for os_first in [true, false] {
                let mut m = serde_json::Map::new();
                let put_os = |m: &mut serde_json::Map<String, Value>| {
                    if let Some(os) = os {
                        m.insert("__os_version".into(), json!(os));
                    }
                };
                if os_first {
                    put_os(&mut m);
                }
                m.insert("min_disk".into(), json!(disk));
                if !os_first {
                    put_os(&mut m);
                }
                out.push(Value::Object(m));
            }
        }
    }
    for f in DiskFormat::ALL {
        out.push(json!({ "disk_format": f.as_str() }));
    }
    for name in [
        "a".repeat(128),
        "a".repeat(129),
        "镜像".into(),
        "a镜".into(),
    ] {
        out.push(json!({ "name": name }));
    }
    out
}

#[test]
fn profile_boundaries_get_the_same_verdict_from_the_schema() {
    let sets = rule_sets();
    let schemas: Vec<_> = sets.iter().map(|(_, r)| oracle(r)).collect();
    let mut compared = 0;
    for doc in boundary_bodies() {
        let body = doc.to_string();
        for ((name, rules), schema) in sets.iter().zip(&schemas) {
            if let Some((ours, theirs)) = verdicts(body.as_bytes(), rules, schema) {
                assert_eq!(ours, theirs, "rules {name}: {body}");
                compared += 1;
            }
        }
    }
    assert_eq!(compared, boundary_bodies().len() * sets.len());
}

#[test]
fn valid_bodies_get_the_same_verdict_from_the_schema() {
    differential(kit_cases(Case::valid));
}

#[test]
fn one_fault_bodies_get_the_same_verdict_from_the_schema() {
    differential(one_fault());
    differential(kit_cases(Case::several));
}

#[test]
fn a_fault_the_schema_sees_is_refused_by_it() {
    // Not only agreement: under the default rules the schema itself refuses each
    // one-fault body it can judge (guards against a schema and crate both too lax).
    let rules = Rules::default();
    let schema = oracle(&rules);
    let seen = std::cell::Cell::new(0);
    TestRunner::default()
        .run(&one_fault(), |case| {
            if let Some((ours, theirs)) = verdicts(case.body(), &rules, &schema) {
                prop_assert!(!ours && !theirs, "{} passes the schema", case.what());
                seen.set(seen.get() + 1);
            }
            Ok(())
        })
        .unwrap();
    assert!(seen.get() > 100, "the schema judged {}", seen.get());
}

#[test]
fn the_schema_lists_what_it_cannot_express() {
    let s = request_schema(&Rules::default());
    let d = s["description"].as_str().unwrap();
    for limit in ims_image_meta::schema::LIMITS {
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
    let s = ims_image_meta::schema::record_schema();
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
    for case in common::cases().into_iter().chain(common::profile_cases()) {
        let set = match (case.min_disk_range, case.profile) {
            (Some(_), _) => "case_relaxed",
            (None, p) => p.unwrap_or_default().as_str(),
        };
        add(&case.body, &case.rules(), set);
    }
    let mut source = Source::from_seed(600);
    let n = sweep::size(
        "python_jsonschema_gives_the_same_verdicts",
        "600 kit cases under every rule set",
        150,
        600,
    );
    for _ in 0..n {
        let case = Case::any(&Rules::default(), &mut source).unwrap();
        for (name, rules) in &sets {
            add(case.body(), rules, name);
        }
    }
    for doc in boundary_bodies() {
        for (name, rules) in &sets {
            add(doc.to_string().as_bytes(), rules, name);
        }
    }
    let dir = std::env::temp_dir().join(format!("ims-schema-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let relaxed = Rules::builder(Profile::Ims2022)
        .min_disk(1..=1024)
        .build()
        .unwrap();
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
