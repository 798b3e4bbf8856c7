//! Update bombs (issue 23): patches built to make the update cost more than its size.
//! Each is answered in allocations and bytes linear in the patch (counted by a global
//! allocator: counts are deterministic, times are not), with a bounded report. The
//! shapes: 10,000 operations on one key, 10,000 distinct new keys (one 413, not
//! 10,000 violations), deep values, repeated keys inside operations.

mod common;

use ims_image_meta::{update, Profile, Record, Report, Rules, Timestamp};

#[path = "common/counting.rs"]
mod counting;
use counting::count;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

const V21: &str = "application/openstack-images-v2.1-json-patch";
const V20: &str = "application/openstack-images-v2.0-json-patch";

fn image() -> Record {
    common::patch::patch_cases()[0].image()
}

fn now() -> Timestamp {
    Timestamp::from_unix(1_464_854_400).unwrap()
}

/// A rule set whose cap holds 10,000 operations (the default cap, 114,688 bytes, holds
/// at most ~7,600 of the shortest, `{"remove":"/a"}`).
fn big() -> Rules {
    Rules::builder(Profile::Ims2022)
        .max_body_bytes(4 << 20)
        .build()
        .unwrap()
}

/// The whole answer: the update, and the image or the report serialized. Returns the
/// allocations, the bytes allocated and the outcome.
fn answer(
    media: &str,
    body: &[u8],
    img: &Record,
    rules: &Rules,
) -> (usize, usize, Result<Record, Report>) {
    let (a, b, out) = count(|| {
        let out = update::patch(media, body, img, rules, now());
        let json = match &out {
            Ok(r) => serde_json::to_vec(r).unwrap(),
            Err(r) => serde_json::to_vec(r).unwrap(),
        };
        assert!(!json.is_empty());
        out
    });
    (a, b, out)
}

/// `n` operations made by `op(i)`, as a patch document.
fn ops(n: usize, op: impl Fn(usize) -> String) -> String {
    let mut s = String::from("[");
    for i in 0..n {
        if i > 0 {
            s.push(',');
        }
        s.push_str(&op(i));
    }
    s.push(']');
    s
}

/// Checks that the cost of `make(n)` grows linearly: twice the operations cost at
/// most 2.2 times the allocations and bytes (plus a constant), and the bytes stay
/// within `per_byte` bytes allocated per patch byte. Returns the outcome at `n`.
#[track_caller]
fn linear(
    name: &str,
    media: &str,
    n: usize,
    per_byte: usize,
    rules: &Rules,
    make: impl Fn(usize) -> String,
) -> Result<Record, Report> {
    let img = image();
    let half = make(n / 2);
    let full = make(n);
    assert!(
        full.len() <= rules.max_body_bytes(),
        "{name}: {} bytes",
        full.len()
    );
    let (a1, b1, _) = answer(media, half.as_bytes(), &img, rules);
    let (a2, b2, out) = answer(media, full.as_bytes(), &img, rules);
    eprintln!(
        "{name:40} {:7} B: {a2:6} allocations, {b2:9} B allocated (half: {a1}, {b1} B)",
        full.len()
    );
    assert!(a2 <= a1 * 22 / 10 + 64, "{name}: allocations {a1} -> {a2}");
    assert!(b2 <= b1 * 22 / 10 + 65_536, "{name}: bytes {b1} -> {b2}");
    assert!(
        b2 <= per_byte * full.len() + 65_536,
        "{name}: {b2} bytes allocated for {} bytes of patch",
        full.len()
    );
    if let Err(r) = &out {
        assert!(r.violations().len() <= rules.max_violations(), "{name}");
    }
    out
}

#[test]
fn ten_thousand_renames() {
    let r = linear("10,000 replace /name", V21, 10_000, 16, &big(), |n| {
        ops(n, |i| {
            format!(r#"{{"op":"replace","path":"/name","value":"n{i}"}}"#)
        })
    })
    .unwrap();
    assert_eq!(r.name, "n9999");
}

#[test]
fn ten_thousand_edits_of_one_custom_key() {
    let r = linear("10,000 add /k (v2.0)", V20, 10_000, 16, &big(), |n| {
        ops(n, |i| format!(r#"{{"add":"/k","value":"v{i}"}}"#))
    })
    .unwrap();
    assert_eq!(
        r.properties.last().unwrap(),
        &("k".to_owned(), "v9999".to_owned())
    );
}

#[test]
fn ten_thousand_refusals_on_one_key() {
    let r = linear("10,000 replace /status", V21, 10_000, 24, &big(), |n| {
        ops(n, |_| {
            r#"{"op":"replace","path":"/status","value":"active"}"#.to_owned()
        })
    })
    .unwrap_err();
    assert_eq!(
        (r.status(), r.total(), r.violations().len()),
        (403, 10_000, 100)
    );
}

#[test]
fn ten_thousand_distinct_new_keys_are_one_413() {
    let r = linear("10,000 new keys", V21, 10_000, 24, &big(), |n| {
        ops(n, |i| {
            format!(r#"{{"op":"add","path":"/k{i}","value":""}}"#)
        })
    })
    .unwrap_err();
    assert_eq!((r.status(), r.total()), (413, 1));
    assert_eq!(r.violations()[0].pointer(), "");
    assert_eq!(r.violations()[0].params()["actual"], 10_001);
}

#[test]
fn as_many_new_keys_as_the_default_cap_holds() {
    let rules = Rules::default();
    // `{"add":"/kNNNN","value":""}`: 28 bytes a key.
    let r = linear("4,000 new keys, default cap", V20, 4_000, 24, &rules, |n| {
        ops(n, |i| format!(r#"{{"add":"/k{i:04}","value":""}}"#))
    })
    .unwrap_err();
    assert_eq!((r.status(), r.total()), (413, 1));
}

#[test]
fn deep_values() {
    // 120 levels under each value: a custom value must be a string.
    let deep = format!("{}{}", "[".repeat(120), "]".repeat(120));
    let r = linear(
        "400 values 120 deep",
        V21,
        400,
        32,
        &Rules::default(),
        |n| {
            ops(n, |i| {
                format!(r#"{{"op":"add","path":"/k{i}","value":{deep}}}"#)
            })
        },
    )
    .unwrap_err();
    assert_eq!((r.status(), r.total()), (400, 400));
    assert_eq!(r.violations()[0].pointer(), "/0/value");
    // One level more than serde_json reads: the whole document is malformed.
    let too_deep = format!(
        r#"[{{"op":"add","path":"/k","value":{}{}}}]"#,
        "[".repeat(126),
        "]".repeat(126)
    );
    let r = update::patch(V21, too_deep.as_bytes(), image(), &Rules::default(), now());
    assert_eq!(
        r.unwrap_err().violations()[0].code().as_str(),
        "malformed_json"
    );
}

#[test]
fn repeated_keys_inside_operations() {
    // Every operation repeats its members, and its value repeats a key 50 times.
    let inner = format!("{{{}}}", vec![r#""x":0"#; 50].join(","));
    let r = linear(
        "170 ops with repeats",
        V21,
        170,
        48,
        &Rules::default(),
        |n| {
            ops(n, |_| {
                format!(r#"{{"op":"add","op":"add","path":"/k","value":{inner},"value":{inner}}}"#)
            })
        },
    )
    .unwrap_err();
    // `op` and `value` repeated in each: what is under a repeated key is moot.
    assert_eq!((r.status(), r.total()), (400, 340));
    // Repeats in one operation's value, many distinct keys (sorted, not hashed).
    let keys: Vec<String> = (0..3000).map(|i| format!(r#""k{i}":0,"k{i}":0"#)).collect();
    let body = format!(
        r#"[{{"op":"add","path":"/k","value":{{{}}}}}]"#,
        keys.join(",")
    );
    let (_, bytes, out) = answer(V21, body.as_bytes(), &image(), &Rules::default());
    let r = out.unwrap_err();
    assert_eq!(r.total(), 3000);
    assert!(bytes <= 48 * body.len(), "{bytes} bytes for {}", body.len());
}

/// `[1,1,1,…` then a broken string (found by the `patch_bytes` campaign in CI): each
/// element a `wrong_type` until the syntax error voids them all. The update keeps at
/// most what its report keeps and counts the rest: linear, under 48 bytes allocated
/// per byte (it held a violation per element: 165 per byte). Without the error, the
/// same elements are one report of every one of them counted.
#[test]
fn non_objects_before_a_syntax_error() {
    let r = linear(
        "non-objects, then a broken string",
        V21,
        20_000,
        48,
        &big(),
        |n| format!("[{}\"", "1,".repeat(n)),
    )
    .unwrap_err();
    assert_eq!(r.violations()[0].code().as_str(), "malformed_json");
    let r = linear("non-objects", V21, 20_000, 48, &big(), |n| {
        format!("[{}1]", "1,".repeat(n - 1))
    })
    .unwrap_err();
    assert_eq!((r.status(), r.total()), (400, 20_000));
}

/// What the update only counts past its cap changes nothing a report says: under a
/// cap of `k`, the report is the uncapped report's first `k` violations, with the same
/// status and total, for patches mixing non-objects, refused operations and
/// operations whose repeated keys make their values' violations moot (the ranges the
/// cap allows for).
#[test]
fn a_capped_update_reports_what_an_uncapped_one_does() {
    let dup = r#"{"x":0,"x":0,"y":{"z":1,"z":1}}"#;
    let parts = [
        "1".to_owned(),
        r#""s""#.to_owned(),
        r#"{"op":"replace","path":"/nope","value":"v"}"#.to_owned(),
        format!(r#"{{"op":"add","path":"/k","value":{dup},"value":{dup}}}"#),
        format!(r#"{{"op":"add","path":"/k","value":{dup}}}"#),
        r#"{"op":"add","path":"/min_ram","value":-1}"#.to_owned(),
        r#"{"op":"remove","path":"/id"}"#.to_owned(),
        r#"{"op":"move","path":"/a"}"#.to_owned(),
    ];
    let all = Rules::builder(Profile::Ims2022)
        .max_violations(100_000)
        .build()
        .unwrap();
    let img = image();
    for seed in 0..200u64 {
        // A deterministic mix of 1 to 60 elements.
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let n = 1 + (next() % 60) as usize;
        let picks: Vec<usize> = (0..n)
            .map(|_| (next() % parts.len() as u64) as usize)
            .collect();
        let body = ops(n, |i| parts[picks[i]].clone());
        let full = update::patch(V21, body.as_bytes(), &img, &all, now());
        for k in [1, 2, 3, 7, 20] {
            let capped_rules = Rules::builder(Profile::Ims2022)
                .max_violations(k)
                .build()
                .unwrap();
            let capped = update::patch(V21, body.as_bytes(), &img, &capped_rules, now());
            match (&full, &capped) {
                (Err(f), Err(c)) => {
                    assert_eq!((c.status(), c.total()), (f.status(), f.total()), "{body}");
                    let want = &f.violations()[..f.violations().len().min(k)];
                    assert_eq!(c.violations(), want, "k={k} {body}");
                }
                (Ok(_), Ok(_)) => {}
                _ => panic!("the verdicts differ (k={k}): {body}"),
            }
        }
    }
}
