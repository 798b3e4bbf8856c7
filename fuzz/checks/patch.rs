//! The `patch_bytes` fuzz target's fixtures and invariants, shared with the crate's
//! tests (`tests/patch_fuzz.rs` replays the seed corpus on stable). Included with
//! `#[path]` as a root module named `patch_check`; the including crate installs the
//! counting allocator (`tests/common/counting.rs`) as its global allocator, or the
//! cost check has nothing to count.
//!
//! The input: byte 0 picks the media type (v2.1, v2.0, a wrong one, or one of the two
//! spelled in another case with a parameter), byte 1 the fixture (one of three images,
//! under one of three rule sets), and the rest is the patch document as sent. The
//! fixtures are built once (`LazyLock`), so an input costs what its patch costs.
//!
//! Invariants, on `update::answer_patch` (the one road a server takes), compared with
//! `update::patch` (two paths that agree):
//! - a verdict, never a panic; the image given is not changed;
//! - a refusal has a status of SPEC §8 (400, 403, 409, 413, 415; 415 exactly when the
//!   media type is wrong, with `Accept-Patch`), at most `max_violations` kept, at least
//!   one, and every pointer points into the patch document: it resolves in the
//!   document as serde_json reads it (`""` when serde_json cannot read it), or, for a
//!   `duplicate_key` (which serde_json's last-one-wins reading hides), it names an
//!   operation that exists;
//! - an acceptance sets `updated_at`; every key an operation touched holds, after the
//!   last operation on it, a value create's rules accept (or is gone after a remove);
//!   the answer's body is the updated record's bytes;
//! - cost linear: the allocations and the bytes allocated by the answer are at most
//!   the fixture's fixed cost (twice the empty patch's), plus a constant per violation
//!   kept (at most `max_violations`: each has its message, params and rendering), plus
//!   the list a scan may fill before a syntax error discards it (`max_violations`
//!   slots, grown by doubling: twice that allocated in all), plus a constant times the
//!   input's length.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::sync::LazyLock;

use ims_image_meta::report::Style;
use ims_image_meta::{update, validate, Code, Context, Profile, Record, Rules, Timestamp};
use serde_json::{json, Value};

use crate::counting;

/// The media types byte 0 picks from (modulo their number).
pub const MEDIA: [&str; 5] = [
    update::MEDIA_TYPES[0],
    update::MEDIA_TYPES[1],
    "application/json",
    "Application/OpenStack-Images-V2.0-JSON-Patch; charset=utf-8",
    "application/openstack-images-v2.1-json-patch ; x=y",
];

/// Allocations per input byte allowed beyond the fixture's fixed cost.
pub const ALLOCS_PER_BYTE: usize = 4;
/// Bytes allocated per input byte allowed beyond the fixture's fixed cost.
pub const BYTES_PER_BYTE: usize = 48;
/// Allocations per violation kept (its pointer, message, params, rendering).
pub const ALLOCS_PER_VIOLATION: usize = 16;
/// Bytes allocated per violation kept: a 409 `conflict` takes about 1,300 in all
/// (`fuzz/regressions/patch_bytes/`: 100 of them made 133,148 bytes for a patch of
/// 2,498 bytes, a bound per input byte alone does not hold them).
pub const BYTES_PER_VIOLATION: usize = 8192;

/// An image under a rule set, with the fixed cost of answering on it.
pub struct Fixture {
    pub name: &'static str,
    pub image: Record,
    pub rules: Rules,
    /// Allocations and bytes of the answer to the empty patch `[]`.
    pub base: (usize, usize),
}

pub fn now() -> Timestamp {
    Timestamp::from_unix(1_464_854_400).expect("in range")
}

/// The conformance image (`patch.jsonl`'s first case).
pub fn conformance_image() -> Record {
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

/// The conformance image at the custom-property quota (`aaaa` and `p000`…`p126`: 128),
/// as `patch.jsonl`'s 413 case has it.
pub fn quota_image() -> Record {
    let mut image = conformance_image();
    for i in 0..127 {
        image.properties.push((format!("p{i:03}"), "v".to_owned()));
    }
    image
}

/// A full image: every documented field and extension set, 128 tags of 255 chars, 128
/// custom properties with 255-char keys and long values (the bench's maximal body, as
/// created).
pub fn full_image() -> Record {
    let tags: Vec<String> = (0..128)
        .map(|i| format!("{i:03}{}", "t".repeat(252)))
        .collect();
    let mut m = serde_json::Map::new();
    m.insert("name".into(), "maximal".into());
    m.insert("__os_version".into(), "Ubuntu 14.04 server 64bit".into());
    m.insert("min_disk".into(), 40.into());
    m.insert("min_ram".into(), 2048.into());
    m.insert("protected".into(), true.into());
    m.insert("disk_format".into(), "qcow2".into());
    m.insert("__description".into(), "d".repeat(255).into());
    m.insert("hw_firmware_type".into(), "uefi".into());
    m.insert("os_hidden".into(), true.into());
    m.insert("tags".into(), tags.into());
    for i in 0..128 {
        m.insert(format!("{i:03}{}", "k".repeat(252)), "v".repeat(250).into());
    }
    let body = Value::Object(m).to_string();
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).expect("in range"),
    )
    .expect("a valid context");
    validate(body.as_bytes(), &Rules::default())
        .unwrap_or_else(|r| panic!("the full body is valid: {r}"))
        .request
        .into_record(&ctx)
}

/// The rule sets: the default, every documented field opened, small quotas.
fn rule_sets() -> [Rules; 3] {
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
}

/// The fixtures byte 1 picks from: image `b % 3` under rule set `b / 3 % 3`.
pub static FIXTURES: LazyLock<Vec<Fixture>> = LazyLock::new(|| {
    let images = [
        ("conformance", conformance_image()),
        ("full", full_image()),
        ("quota", quota_image()),
    ];
    let mut out = Vec::new();
    for rules in rule_sets() {
        for (name, image) in &images {
            let (a, b, answer) = counting::count(|| {
                update::answer_patch(MEDIA[0], b"[]", image, &rules, now(), Style::default())
            });
            assert_eq!(answer.status(), 200, "{name}: the empty patch is valid");
            out.push(Fixture {
                name,
                image: image.clone(),
                rules: rules.clone(),
                base: (a, b),
            });
        }
    }
    out
});

/// The input split: media type, fixture, patch document.
pub fn split(data: &[u8]) -> Option<(&'static str, &'static Fixture, &[u8])> {
    let [m, f, body @ ..] = data else {
        return None;
    };
    let fixtures = &*FIXTURES;
    let fixture = &fixtures[usize::from(*f) % fixtures.len()];
    Some((MEDIA[usize::from(*m) % MEDIA.len()], fixture, body))
}

/// An input's two leading bytes for a media type and a fixture.
pub fn prefix(media: usize, image: usize, rules: usize) -> [u8; 2] {
    [
        u8::try_from(media).expect("small"),
        u8::try_from(rules * 3 + image).expect("small"),
    ]
}

fn token(key: &str) -> String {
    format!("/{}", key.replace('~', "~0").replace('/', "~1"))
}

/// The keys an accepted patch touched, each with whether its last operation was a
/// remove (an accepted patch has only well-formed operations and paths). Each dialect
/// reads its own members and ignores the other's (SPEC §8.2: members an operation
/// does not define are ignored): a v2.0 `{"add": "/k", "op": "replace", "path":
/// "/name"}` adds `k` (`regressions/patch_bytes/v2.0-ignores-op-and-path-members`).
fn touched(doc: &Value, v20: bool) -> BTreeMap<String, bool> {
    let mut last = BTreeMap::new();
    for o in doc.as_array().into_iter().flatten() {
        let Some(o) = o.as_object() else { continue };
        let found = if v20 {
            ["add", "remove", "replace"]
                .iter()
                .find_map(|m| o.get(*m).map(|p| (p, *m == "remove")))
        } else {
            let op = o.get("op").and_then(Value::as_str);
            op.and_then(|op| o.get("path").map(|p| (p, op == "remove")))
        };
        let Some((path, remove)) = found else {
            continue;
        };
        let Some(t) = path.as_str().and_then(|p| p.strip_prefix('/')) else {
            continue;
        };
        last.insert(t.replace("~1", "/").replace("~0", "~"), remove);
    }
    last
}

/// Whether `pointer` points into `doc`, the patch document as serde_json reads it.
fn points_into(pointer: &str, code: Code, doc: Option<&Value>) -> bool {
    let Some(doc) = doc else {
        return pointer.is_empty();
    };
    if doc.pointer(pointer).is_some() {
        return true;
    }
    // serde_json keeps the last of repeated keys; the crate names the first repeat,
    // which may sit inside a value the last one replaced. Its operation exists.
    let len = doc.as_array().map_or(0, Vec::len);
    let first = pointer
        .split('/')
        .nth(1)
        .and_then(|t| t.parse::<usize>().ok());
    code == Code::DuplicateKey && first.is_some_and(|i| i < len)
}

/// Checks every invariant on one input; `None` when it is too short to choose, else
/// whether the patch was accepted.
pub fn check(data: &[u8]) -> Option<bool> {
    let (media, fx, body) = split(data)?;
    let (allocs, bytes, answer) = counting::count(|| {
        update::answer_patch(media, body, &fx.image, &fx.rules, now(), Style::default())
    });
    // Linear cost (nothing counted when no counting allocator is installed).
    let (a0, b0) = fx.base;
    let kept = answer.report().map_or(0, |r| r.violations().len());
    assert!(
        allocs <= 2 * a0 + 16 + ALLOCS_PER_VIOLATION * kept + ALLOCS_PER_BYTE * body.len(),
        "{allocs} allocations for {} bytes and {kept} violations on {} (base {a0})",
        body.len(),
        fx.name
    );
    // A patch that fills the list (100 elements that are no operation) then breaks
    // its syntax keeps one violation of them (fuzz/regressions/patch_bytes/
    // non-objects-fill-the-list-then-break: 30,500 bytes for 257).
    let discarded =
        2 * fx.rules.max_violations() * std::mem::size_of::<ims_image_meta::Violation>();
    assert!(
        bytes
            <= 2 * b0 + 4096 + discarded + BYTES_PER_VIOLATION * kept + BYTES_PER_BYTE * body.len(),
        "{bytes} bytes allocated for {} bytes and {kept} violations on {} (base {b0})",
        body.len(),
        fx.name
    );
    // The second path.
    let direct = update::patch(media, body, &fx.image, &fx.rules, now());
    let wrong_media = update::MediaType::from_header(media).is_none();
    let doc = serde_json::from_slice::<Value>(body).ok();
    match direct {
        Err(report) => {
            assert_eq!(answer.status(), report.status(), "the two paths' statuses");
            assert!(answer.updated_record().is_none());
            assert!(answer.report() == Some(&report), "the two paths' reports");
            let status = report.status();
            assert!(
                [400, 403, 409, 413, 415].contains(&status),
                "status {status}"
            );
            assert_eq!(
                status == 415,
                wrong_media,
                "415 exactly on a wrong media type"
            );
            assert_eq!(
                answer.accept_patch(),
                (status == 415).then_some(update::ACCEPT_PATCH)
            );
            let kept = report.violations().len();
            assert!(
                kept >= 1 && kept <= fx.rules.max_violations(),
                "{kept} kept, at most {}",
                fx.rules.max_violations()
            );
            assert!(report.total() >= kept);
            for v in report.violations() {
                assert!(
                    points_into(v.pointer(), v.code(), doc.as_ref()),
                    "{} at {:?}, not in the patch document",
                    v.code().as_str(),
                    v.pointer()
                );
            }
            Some(false)
        }
        Ok(img) => {
            assert!(!wrong_media, "accepted under a wrong media type");
            assert_eq!(answer.status(), 200, "the two paths' statuses");
            assert!(
                answer.updated_record() == Some(&img),
                "the two paths' images"
            );
            let mut bytes = Vec::new();
            img.write_json(&mut bytes);
            assert!(answer.body() == bytes, "the answer's body is the record's");
            assert_eq!(img.updated_at, now());
            let doc = doc.expect("an accepted patch is JSON");
            let json = img.to_json_value();
            let v20 = update::MediaType::from_header(media) == Some(update::MediaType::V2_0);
            for (key, remove) in touched(&doc, v20) {
                match json.get(&key) {
                    None => assert!(remove, "{key:?} is gone but was not removed"),
                    Some(v) => {
                        let one = json!({ key.as_str(): v }).to_string();
                        if let Err(r) = validate(one.as_bytes(), &fx.rules) {
                            let p = token(&key);
                            let bad = r.violations().iter().find(|x| x.pointer() == p);
                            assert!(bad.is_none(), "{key:?} holds a value create refuses: {r}");
                        }
                    }
                }
            }
            Some(true)
        }
    }
}
