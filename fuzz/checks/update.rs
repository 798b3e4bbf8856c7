//! The `update` fuzz target's generator and invariants, shared with the crate's tests
//! (`tests/update_fuzz.rs` replays the seed corpus and a deterministic sweep on
//! stable). Included with `#[path]` as a root module named `update_check`.
//!
//! The generator reads the fuzzer's bytes as a sequence of choices (no `arbitrary`, so
//! that stable `cargo test` can run it too): the rule set (default, or with every
//! documented field opened, or a small quota), the image (the conformance image with a
//! few custom properties, maybe no description), the media type, and up to 24
//! operations built from pools of ops, paths, values and shapes (missing members, both
//! dialects, repeated keys, deep values, number spellings only their text tells apart).
//! One input in sixteen is a bomb: one shape repeated, as many times as four per
//! byte of input allow, up to the body cap (so that a bomb costs in proportion to its
//! input, as any input does; libFuzzer's `-max_len` reaches the cap).
//!
//! The rule sets and the images are built once (`LazyLock`): an input costs what its
//! patch costs.
//!
//! Invariants: a verdict, never a panic; a refusal changes nothing, has a status of
//! §8, at most `max_violations` kept and well-formed pointers into the patch document;
//! an acceptance sets `updated_at`, and every key it touched holds a value create's
//! rules accept (or is gone, after a remove); the result passed back in with the empty
//! patch comes out equal, `updated_at` aside.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use ims_image_meta::{update, validate, Profile, Record, Rules, Timestamp};
use serde_json::{json, Value};

/// The choices, read from the front of the input; zeros once it is used up.
struct Choices<'a>(&'a [u8]);

impl Choices<'_> {
    fn byte(&mut self) -> u8 {
        match self.0.split_first() {
            Some((b, rest)) => {
                self.0 = rest;
                *b
            }
            None => 0,
        }
    }
    fn pick<'p, T>(&mut self, pool: &'p [T]) -> &'p T {
        &pool[usize::from(self.byte()) % pool.len()]
    }
    fn below(&mut self, n: usize) -> usize {
        usize::from(self.byte()) % n.max(1)
    }
}

const OPS: &[&str] = &["add", "remove", "replace", "move", "", "ADD"];

const KEYS: &[&str] = &[
    "name",
    "__description",
    "min_ram",
    "min_disk",
    "tags",
    "protected",
    "os_hidden",
    "hw_firmware_type",
    "disk_format",
    "container_format",
    "visibility",
    "__os_version",
    "id",
    "status",
    "size",
    "self",
    "__os_type",
    "os_glance_x",
    "deleted",
    "location",
    "aaaa",
    "k",
    "a/b",
    "a~b",
    " name",
    "",
    "k😀",
    "k\u{0}",
    "镜像",
];

/// Paths as written (already escaped, or broken on purpose), beside the keys.
const RAW_PATHS: &[&str] = &[
    "name",
    "/tags/-",
    "/a~2",
    "/",
    "//",
    "/a~",
    "/locations/0",
    "/~01",
];

/// Values as JSON text (so that `-0`, `1e3` and repeated keys survive).
const VALUES: &[&str] = &[
    "null",
    "true",
    "false",
    "0",
    "-0",
    "-1",
    "40",
    "1024",
    "1025",
    "2147483648",
    "1e3",
    "1.5",
    "18446744073709551616",
    "-18446744073709551617",
    "\"\"",
    "\" x\"",
    "\"test01\"",
    "\"bad<name\"",
    "\"<b>\"",
    "\"a\\r\"",
    "\"镜像\"",
    "\"😀\"",
    "\"a\\u0000\"",
    "\"uefi\"",
    "\"bios\"",
    "\"qcow2\"",
    "\"iso\"",
    "\"bare\"",
    "\"private\"",
    "\"public\"",
    "\"Ubuntu 14.04 server 64bit\"",
    "\"Windows Server 2012 R2 Standard 64bit\"",
    "\"Other Linux(64 bit)\"",
    "[]",
    "[\"a\",\"b\",\"a\"]",
    "[\"\"]",
    "[5]",
    "{}",
    "{\"a\":1,\"a\":2}",
    "[[[[[[[[]]]]]]]]",
    "\"x\\\"y\"",
];

/// One generated input.
pub struct Input {
    pub rules: &'static Rules,
    pub image: &'static Record,
    pub media: &'static str,
    pub body: String,
}

/// Bomb operations allowed per byte of input.
pub const BOMB_OPS_PER_BYTE: usize = 4;

/// The rule sets: the default, every documented field opened, small quotas.
static RULES: LazyLock<[Rules; 3]> = LazyLock::new(|| {
    [
        Rules::default(),
        Rules::builder(Profile::HuaweiCloud)
            .updatable([
                "name",
                "__description",
                "min_ram",
                "min_disk",
                "tags",
                "protected",
                "os_hidden",
                "hw_firmware_type",
                "disk_format",
                "container_format",
                "visibility",
                "__os_version",
            ])
            .build()
            .expect("a good rule set"),
        Rules::builder(Profile::Ims2022)
            .max_properties(3)
            .max_tags(3)
            .max_violations(4)
            .build()
            .expect("a good rule set"),
    ]
});

/// The images: the conformance image with 0 to 3 custom properties `p0`…, with its
/// description (index `n`) or without (`4 + n`).
static IMAGES: LazyLock<Vec<Record>> = LazyLock::new(|| {
    let mut out = Vec::new();
    for described in [true, false] {
        for n in 0..4 {
            let mut image = base_image();
            for i in 0..n {
                image.properties.push((format!("p{i}"), "v".to_owned()));
            }
            if !described {
                image.extensions.description = None;
            }
            out.push(image);
        }
    }
    out
});

/// The conformance image (`patch.jsonl`'s first case).
pub fn base_image() -> Record {
    let id = "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86";
    serde_json::from_value(json!({
        "schema": "/v2/schemas/image", "id": id, "name": "test",
        "visibility": "private", "protected": false, "container_format": "bare",
        "disk_format": "vhd", "tags": ["test", "image"], "min_ram": 1024, "min_disk": 40,
        "__os_version": "Ubuntu 14.04 server 64bit", "__os_type": "Linux",
        "__platform": "Ubuntu", "__os_bit": "64", "status": "queued",
        "created_at": "2016-06-02T07:49:48Z", "updated_at": "2016-06-02T07:49:48Z",
        "self": format!("/v2/images/{id}"), "file": format!("/v2/images/{id}/file"),
        "owner": "b912fb4a4c464b568ecfca1071b21b10", "__image_source_type": "uds",
        "__image_size": "0", "__isregistered": "true", "__imagetype": "private",
        "virtual_env_type": "FusionCompute", "aaaa": "11111", "__description": "web image"
    }))
    .expect("the conformance image reads")
}

pub fn now() -> Timestamp {
    Timestamp::from_unix(1_464_854_400).expect("in range")
}

fn token(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

fn json_str(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

/// One operation as JSON text.
fn operation(c: &mut Choices<'_>, v20: bool) -> String {
    // Mostly the three operations, on keys a patch may change, with plain values: an
    // acceptance needs every operation to pass.
    let op = if c.below(4) == 0 {
        *c.pick(OPS)
    } else {
        *c.pick(&OPS[..3])
    };
    if c.below(3) == 0 {
        let key = *c.pick(&["name", "__description", "aaaa", "k", "p0", "a/b", "镜像"]);
        let value = *c.pick(&["\"test01\"", "\"x\"", "\"镜像 a\"", "\"\"", "\"v\\\"w\""]);
        let path = json_str(&token(key));
        return if v20 {
            format!(r#"{{"{op}":{path},"value":{value}}}"#)
        } else {
            format!(r#"{{"op":"{op}","path":{path},"value":{value}}}"#)
        };
    }
    let path = if c.below(8) == 0 {
        (*c.pick(RAW_PATHS)).to_owned()
    } else {
        token(c.pick::<&str>(KEYS))
    };
    let value = *c.pick(VALUES);
    let path_text = json_str(&path);
    match c.below(20) {
        0 => (*c.pick(VALUES)).to_owned(),
        1 => format!(r#"{{"path":{path_text},"value":{value}}}"#),
        2 => format!(r#"{{"op":"{op}","value":{value}}}"#),
        3 => format!(r#"{{"op":"{op}","path":{path_text}}}"#),
        4 => format!(r#"{{"op":"{op}","op":"{op}","path":{path_text},"value":{value}}}"#),
        5 => format!(r#"{{"op":5,"path":{path_text},"value":{value}}}"#),
        6 => format!(r#"{{"op":"{op}","path":7,"value":{value}}}"#),
        7 => format!(r#"{{"add":{path_text},"replace":{path_text},"value":{value}}}"#),
        _ if v20 => format!(r#"{{"{op}":{path_text},"value":{value},"x":[1]}}"#),
        _ => format!(r#"{{"value":{value},"path":{path_text},"op":"{op}","from":"/x"}}"#),
    }
}

/// Builds an input from the fuzzer's bytes.
pub fn generate(data: &[u8]) -> Input {
    let mut c = Choices(data);
    let rules = &RULES[c.below(3)];
    let props = c.below(4);
    let described = c.below(2) != 0;
    let image = &IMAGES[if described { props } else { 4 + props }];
    let (media, v20) = match c.below(8) {
        0 => (update::MEDIA_TYPES[1], true),
        1 => ("application/json", false),
        2 => ("Application/OpenStack-Images-V2.0-JSON-Patch; x=y", true),
        _ => (update::MEDIA_TYPES[0], false),
    };
    let body = if c.below(16) == 0 {
        // A bomb: one operation repeated, as the input's length allows, up to the cap.
        let one = operation(&mut c, v20);
        let fit = rules.max_body_bytes() / (one.len() + 1);
        let n = fit.min(BOMB_OPS_PER_BYTE * data.len()).max(1);
        format!("[{}]", vec![one; n].join(","))
    } else if c.below(32) == 0 {
        // Not an array, or not JSON.
        (*c.pick(&["{}", "\"x\"", "[", "[] x", "", " "])).to_owned()
    } else {
        let n = if c.below(2) == 0 {
            c.below(4)
        } else {
            c.below(25)
        };
        let ops: Vec<String> = (0..n).map(|_| operation(&mut c, v20)).collect();
        format!("[{}]", ops.join(","))
    };
    Input {
        rules,
        image,
        media,
        body,
    }
}

/// Whether `p` is an RFC 6901 pointer (empty, or `/`-separated tokens with `~` only as
/// `~0` or `~1`; `…` marks an elided or cut part).
fn well_formed(p: &str) -> bool {
    (p.is_empty() || p.starts_with('/'))
        && p.split('~')
            .skip(1)
            .all(|rest| rest.starts_with('0') || rest.starts_with('1'))
}

/// The keys an accepted patch touched: every operation's path, unescaped (an accepted
/// patch has only well-formed ones), in order. Each dialect reads its own members and
/// ignores the other's (as `checks/patch.rs`, where a v2.0 operation with `op` and
/// `path` members beside its `add` was read wrongly).
fn touched(doc: &Value, v20: bool) -> Vec<(String, bool)> {
    let Some(ops) = doc.as_array() else {
        return Vec::new();
    };
    ops.iter()
        .filter_map(|o| {
            let o = o.as_object()?;
            let (path, remove) = if v20 {
                ["add", "remove", "replace"]
                    .iter()
                    .find_map(|m| o.get(*m).map(|p| (p, *m == "remove")))?
            } else {
                let op = o.get("op").and_then(Value::as_str)?;
                (o.get("path")?, op == "remove")
            };
            let t = path.as_str()?.strip_prefix('/')?;
            Some((t.replace("~1", "/").replace("~0", "~"), remove))
        })
        .collect()
}

/// Checks every invariant on `input`; whether the patch was accepted.
pub fn check(input: &Input) -> bool {
    // The image given is borrowed: it cannot change.
    let out = update::patch(
        input.media,
        input.body.as_bytes(),
        input.image,
        input.rules,
        now(),
    );
    let accepted = out.is_ok();
    match out {
        Err(report) => {
            assert!(
                [400, 403, 409, 413, 415].contains(&report.status()),
                "status {}",
                report.status()
            );
            let kept = report.violations().len();
            assert!(
                kept >= 1 && kept <= input.rules.max_violations(),
                "{kept} kept"
            );
            assert!(report.total() >= kept);
            for v in report.violations() {
                assert!(well_formed(v.pointer()), "pointer {:?}", v.pointer());
                assert!(!v.message().is_empty());
                assert!(v.params().is_object());
            }
            // Reads back.
            let text = serde_json::to_string(&report).expect("serializes");
            let read: ims_image_meta::Report = serde_json::from_str(&text).expect("reads back");
            assert!(read == report, "the report reads back different");
        }
        Ok(img) => {
            assert_eq!(img.updated_at, now());
            let doc: Value = serde_json::from_str(&input.body).expect("an accepted patch is JSON");
            let v20 = update::MediaType::from_header(input.media) == Some(update::MediaType::V2_0);
            let json = serde_json::to_value(&img).expect("serializes");
            // The last operation on each key decides what it holds now.
            let last: BTreeMap<String, bool> = touched(&doc, v20).into_iter().collect();
            for (key, remove) in last {
                match json.get(&key) {
                    None => assert!(remove, "{key} is gone but was not removed"),
                    Some(v) => {
                        let body = json!({ key.as_str(): v }).to_string();
                        if let Err(r) = validate(body.as_bytes(), input.rules) {
                            let p = token(&key);
                            let bad = r.violations().iter().find(|x| x.pointer() == p);
                            assert!(bad.is_none(), "{key} holds a value create refuses: {r}");
                        }
                    }
                }
            }
            // The result passed back in with the empty patch comes out equal.
            let again = update::patch(update::MEDIA_TYPES[0], b"[]", &img, input.rules, now())
                .expect("the empty patch is valid");
            assert!(again == img, "the empty patch changed the image");
        }
    }
    // The empty patch on the image given.
    let mut same = update::patch(
        update::MEDIA_TYPES[0],
        b"[]",
        input.image,
        input.rules,
        now(),
    )
    .expect("the empty patch is valid");
    same.updated_at = input.image.updated_at;
    assert!(same == *input.image, "the empty patch changed the image");
    accepted
}
