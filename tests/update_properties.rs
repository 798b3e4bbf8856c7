//! Properties of the update (SPEC §8): a random valid patch followed by its inverse
//! gives the image back; the empty patch gives it back; an accepted patch leaves every
//! field it touched valid under create's rules; arbitrary patches always get a verdict,
//! and a refused one changes nothing. At least 512 cases each; `PROPTEST_CASES`
//! raises it.

mod common;

use common::patch::patch_cases;
use ims_image_meta::{update, validate, Profile, Record, Rules, Timestamp};
use proptest::prelude::*;
use serde_json::{json, Value};

const V21: &str = "application/openstack-images-v2.1-json-patch";

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: base.cases.max(512),
        ..base
    }
}

fn base_image() -> Record {
    patch_cases()[0].image()
}

fn now() -> Timestamp {
    Timestamp::from_unix(1_464_854_400).unwrap()
}

/// The image as a JSON value, `updated_at` aside.
fn without_updated_at(r: &Record) -> Value {
    let mut v = serde_json::to_value(r).unwrap();
    v.as_object_mut().unwrap().remove("updated_at");
    v
}

/// An image: the cases' image with some custom properties, and maybe no description.
fn image() -> impl Strategy<Value = Record> {
    (
        proptest::collection::btree_map("[a-e]{1,2}", "[a-z0-9 ]{0,6}", 0..6),
        any::<bool>(),
    )
        .prop_map(|(props, description)| {
            let mut img = base_image();
            img.properties = props.into_iter().collect();
            if !description {
                img.extensions.description = None;
            }
            img
        })
}

/// What an operation means to do; resolved against the image into a valid one.
#[derive(Debug, Clone)]
enum Intent {
    /// Set a custom key (add when new, add or replace when there).
    Set(String, String, bool),
    /// Remove a custom key (when there; else it adds it).
    Remove(String, String),
    Rename(String),
    Describe(Option<String>),
}

fn intent() -> impl Strategy<Value = Intent> {
    prop_oneof![
        ("[a-e]{1,2}", "[a-zA-Z0-9 ~/]{0,8}", any::<bool>())
            .prop_map(|(k, v, b)| Intent::Set(k, v, b)),
        ("[a-e]{1,2}", "[a-z]{0,4}").prop_map(|(k, v)| Intent::Remove(k, v)),
        "[a-zA-Z0-9_.-]{1,12}".prop_map(Intent::Rename),
        proptest::option::of("[a-z ]{0,20}").prop_map(Intent::Describe),
    ]
}

/// RFC 6901 escaping of one token.
fn token(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// Resolves the intents against `img` into a valid patch and the patch that undoes it
/// (each operation's inverse, in reverse order).
fn resolve(img: &Record, intents: &[Intent]) -> (Vec<Value>, Vec<Value>) {
    let mut props: Vec<(String, String)> = img.properties.clone();
    let mut name = img.name.clone();
    let mut description = img.extensions.description.clone();
    let mut ops = Vec::new();
    let mut inverse = Vec::new();
    for i in intents {
        match i {
            Intent::Set(k, v, use_add) => {
                let at = props.iter().position(|(key, _)| key == k);
                match at {
                    Some(at) => {
                        let old = std::mem::replace(&mut props[at].1, v.clone());
                        let op = if *use_add { "add" } else { "replace" };
                        ops.push(json!({"op": op, "path": token(k), "value": v}));
                        inverse.push(json!({"op": "replace", "path": token(k), "value": old}));
                    }
                    None => {
                        props.push((k.clone(), v.clone()));
                        ops.push(json!({"op": "add", "path": token(k), "value": v}));
                        inverse.push(json!({"op": "remove", "path": token(k)}));
                    }
                }
            }
            Intent::Remove(k, v) => match props.iter().position(|(key, _)| key == k) {
                Some(at) => {
                    let (_, old) = props.remove(at);
                    ops.push(json!({"op": "remove", "path": token(k)}));
                    inverse.push(json!({"op": "add", "path": token(k), "value": old}));
                }
                None => {
                    props.push((k.clone(), v.clone()));
                    ops.push(json!({"op": "add", "path": token(k), "value": v}));
                    inverse.push(json!({"op": "remove", "path": token(k)}));
                }
            },
            Intent::Rename(n) => {
                let old = std::mem::replace(&mut name, n.clone());
                ops.push(json!({"op": "replace", "path": "/name", "value": n}));
                inverse.push(json!({"op": "replace", "path": "/name", "value": old}));
            }
            Intent::Describe(d) => match (d, description.clone()) {
                (Some(d), Some(old)) => {
                    description = Some(d.clone());
                    ops.push(json!({"op": "replace", "path": "/__description", "value": d}));
                    inverse.push(json!({"op": "replace", "path": "/__description", "value": old}));
                }
                (Some(d), None) => {
                    description = Some(d.clone());
                    ops.push(json!({"op": "add", "path": "/__description", "value": d}));
                    inverse.push(json!({"op": "remove", "path": "/__description"}));
                }
                (None, Some(old)) => {
                    description = None;
                    ops.push(json!({"op": "remove", "path": "/__description"}));
                    inverse.push(json!({"op": "add", "path": "/__description", "value": old}));
                }
                (None, None) => {}
            },
        }
    }
    inverse.reverse();
    (ops, inverse)
}

fn apply(ops: &[Value], img: &Record, rules: &Rules) -> Result<Record, ims_image_meta::Report> {
    update::patch(V21, &serde_json::to_vec(ops).unwrap(), img, rules, now())
}

/// The keys a patch names (its paths' tokens, unescaped), when well formed.
fn touched(ops: &[Value]) -> Vec<String> {
    ops.iter()
        .filter_map(|o| o.get("path").and_then(Value::as_str))
        .filter_map(|p| p.strip_prefix('/'))
        .filter(|t| !t.contains('/'))
        .map(|t| t.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// Create's verdict on each touched key of `img`: no violation at `/KEY` when the
/// image's value is sent in a create body.
fn create_accepts_touched(img: &Record, keys: &[String], rules: &Rules) -> Result<(), String> {
    let json = serde_json::to_value(img).unwrap();
    for k in keys {
        let Some(v) = json.get(k) else { continue };
        let body = json!({ k.as_str(): v }).to_string();
        if let Err(r) = validate(body.as_bytes(), rules) {
            let p = format!("/{}", k.replace('~', "~0").replace('/', "~1"));
            if let Some(bad) = r.violations().iter().find(|v| v.pointer() == p) {
                return Err(format!("{k}: {bad}"));
            }
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn a_valid_patch_then_its_inverse_gives_the_image_back(
        img in image(),
        intents in proptest::collection::vec(intent(), 0..12),
    ) {
        let rules = Rules::default();
        let (ops, inverse) = resolve(&img, &intents);
        let once = apply(&ops, &img, &rules).map_err(|r| TestCaseError::fail(format!("{r}\n{ops:?}")))?;
        prop_assert_eq!(once.updated_at, now());
        create_accepts_touched(&once, &touched(&ops), &rules).map_err(TestCaseError::fail)?;
        let back = apply(&inverse, &once, &rules).map_err(|r| TestCaseError::fail(format!("{r}\n{inverse:?}")))?;
        prop_assert_eq!(without_updated_at(&back), without_updated_at(&img));
    }

    #[test]
    fn the_empty_patch_gives_the_image_back(img in image()) {
        for body in [&b"[]"[..], b" [ ] ", b"[\n]"] {
            let out = update::patch(V21, body, &img, &Rules::default(), now()).unwrap();
            prop_assert_eq!(without_updated_at(&out), without_updated_at(&img));
            prop_assert_eq!(out.updated_at, now());
        }
    }

    /// Arbitrary operations (good and bad, any key, any value): a verdict every time;
    /// a refusal changes nothing, and reports at most one violation per operation;
    /// an acceptance leaves every touched field valid under create's rules.
    #[test]
    fn arbitrary_patches_get_a_verdict(
        img in image(),
        ops in proptest::collection::vec(arbitrary_op(), 0..8),
        open in any::<bool>(),
    ) {
        let rules = if open {
            Rules::builder(Profile::Ims2022)
                .updatable(["name", "__description", "min_ram", "min_disk", "tags", "protected", "os_hidden", "hw_firmware_type", "disk_format"])
                .build()
                .unwrap()
        } else {
            Rules::default()
        };
        let before = img.clone();
        match apply(&ops, &img, &rules) {
            Ok(out) => {
                create_accepts_touched(&out, &touched(&ops), &rules).map_err(TestCaseError::fail)?;
                prop_assert_eq!(out.updated_at, now());
            }
            Err(report) => {
                prop_assert!([400, 403, 409, 413].contains(&report.status()), "{}", report);
                prop_assert!(report.total() <= ops.len() + 1, "{}", report);
                // Serializes and reads back.
                let json = serde_json::to_string(&report).unwrap();
                let read: ims_image_meta::Report = serde_json::from_str(&json).unwrap();
                prop_assert_eq!(read, report);
            }
        }
        prop_assert_eq!(img, before);
    }
}

fn arbitrary_op() -> impl Strategy<Value = Value> {
    let key = prop_oneof![
        Just("name".to_owned()),
        Just("__description".to_owned()),
        Just("min_ram".to_owned()),
        Just("min_disk".to_owned()),
        Just("tags".to_owned()),
        Just("protected".to_owned()),
        Just("os_hidden".to_owned()),
        Just("hw_firmware_type".to_owned()),
        Just("disk_format".to_owned()),
        Just("status".to_owned()),
        Just("id".to_owned()),
        Just("os_glance_x".to_owned()),
        Just("aaaa".to_owned()),
        "[a-c~/ ]{0,3}",
    ];
    let value = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        (-5i64..3000).prop_map(Value::from),
        "[a-zA-Z0-9 <>_.-]{0,10}".prop_map(Value::from),
        proptest::collection::vec("[a-c]{0,2}", 0..4).prop_map(|v| json!(v)),
        Just(json!({"a": 1})),
        Just(json!("uefi")),
        Just(json!("qcow2")),
    ];
    (
        prop_oneof![Just("add"), Just("remove"), Just("replace"), Just("move")],
        key,
        value,
        any::<bool>(),
        0u8..10,
    )
        .prop_map(|(op, key, value, escape, shape)| {
            let path = if escape {
                format!("/{}", key.replace('~', "~0").replace('/', "~1"))
            } else {
                format!("/{key}")
            };
            match shape {
                0 => json!("not an object"),
                1 => json!({"path": path, "value": value}),
                2 => json!({"op": op, "value": value}),
                _ => json!({"op": op, "path": path, "value": value}),
            }
        })
}
