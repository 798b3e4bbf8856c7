//! Near-valid bodies built from structured input, checked against an independent
//! oracle: the `jsonschema` crate on `request_schema(&rules)`. Wherever the crate's
//! verdict rests only on rules a schema can express, the two verdicts must agree; an
//! accepted body must also derive a record that validates against `record_schema()`.
//!
//! One input in eight builds a report bomb instead: long keys of characters that
//! escaping doubles, repeated keys under them, deep nesting and many small violations,
//! up to the body cap. Its answer must stay bounded (`checks/bytes.rs`: at most
//! `max_violations` kept, a few KiB plus a fixed size per kept violation), whatever the
//! shape; `-timeout` and `-rss_limit_mb` catch the time and memory.
#![no_main]

use std::sync::LazyLock;

use arbitrary::{Arbitrary, Unstructured};
use ims_image_meta::{validate, Profile, Rules, schema::{record_schema, request_schema}};

#[path = "../checks/bytes.rs"]
mod bytes;
#[path = "../checks/shared.rs"]
mod shared;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

struct Oracle {
    rules: Rules,
    request: jsonschema::Validator,
}

static ORACLES: LazyLock<Vec<Oracle>> = LazyLock::new(|| {
    let loose = Rules::builder(Profile::Ims2022)
        .allow_four_byte_unicode(true)
        .max_tags(2)
        .max_properties(2)
        .build()
        .unwrap();
    let profiles = Profile::ALL.iter().map(|&p| Rules::profile(p));
    profiles
        .chain([loose])
        .into_iter()
        .map(|rules| Oracle {
            request: jsonschema::draft202012::new(&request_schema(&rules)).unwrap(),
            rules,
        })
        .collect()
});

static RECORD: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::draft202012::new(&record_schema()).unwrap());

const KEYS: &[&str] = &[
    "name", "__os_version", "visibility", "protected", "container_format", "disk_format",
    "tags", "min_ram", "min_disk", "id", "__description", "hw_firmware_type", "os_hidden",
    "status", "owner", "__os_type", "location", "os_glance_x", "aaaa", "p", "a/b~c", "",
    "k😀", "k\u{0}", "镜像",
];

const STRINGS: &[&str] = &[
    "", " ", "test", " lead", "trail ", "镜像-test_1.0 a", "a/b", "é", "😀", "a\u{0}b", "\n",
    "private", "public", "bare", "ovf", "vhd", "zvhd2", "iso", "vmdk", "bios", "uefi", "efi",
    "Ubuntu 14.04 server 64bit", "Other Linux(64 bit)", "centos 7.3 64bit",
    "Windows Server 2012 R2 Standard 64bit", "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
    "4CA46BF1-5C61-48FF-B4F3-0AD4E5E3BA86", "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86\n",
    "<b>", "cr\r", "true", "40",
];

const NUMBERS: &[&str] = &[
    "0", "1", "9", "10", "19", "20", "39", "40", "1024", "1025", "-1", "2147483647", "2147483648",
    "18446744073709551616", "1024.0", "1e3", "-0", "0.5",
];

#[derive(Debug)]
enum V {
    Null,
    Bool(bool),
    Num(&'static str),
    Str(String),
    Arr(Vec<V>),
    Obj(Vec<(String, V)>),
}

fn string(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    Ok(match u.int_in_range(0..=9)? {
        0 => String::arbitrary(u)?,
        1 => {
            let c = *u.choose(&["x", "镜", "😀", " "])?;
            c.repeat(u.int_in_range(250..=260)?)
        }
        2 => "v".repeat(u.int_in_range(65_530..=65_540)?),
        _ => (*u.choose(STRINGS)?).to_owned(),
    })
}

fn value(u: &mut Unstructured<'_>, depth: u32) -> arbitrary::Result<V> {
    let pick = if depth > 3 { u.int_in_range(0..=4)? } else { u.int_in_range(0..=7)? };
    Ok(match pick {
        0 => V::Null,
        1 => V::Bool(bool::arbitrary(u)?),
        2 => V::Num(u.choose(NUMBERS)?),
        3 | 4 => V::Str(string(u)?),
        5 => {
            let n = if u.ratio(1, 8)? { u.int_in_range(126..=131)? } else { u.int_in_range(0..=4)? };
            let mut items = Vec::with_capacity(n);
            for i in 0..n {
                items.push(if n > 100 {
                    V::Str(format!("t{i}"))
                } else {
                    value(u, depth + 1)?
                });
            }
            V::Arr(items)
        }
        _ => {
            let n = u.int_in_range(0..=3)?;
            let mut entries = Vec::with_capacity(n);
            for _ in 0..n {
                entries.push(((*u.choose(KEYS)?).to_owned(), value(u, depth + 1)?));
            }
            V::Obj(entries)
        }
    })
}

fn write_str(out: &mut String, s: &str) {
    out.push_str(&serde_json::to_string(s).unwrap());
}

fn render(v: &V, out: &mut String) {
    match v {
        V::Null => out.push_str("null"),
        V::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        V::Num(n) => out.push_str(n),
        V::Str(s) => write_str(out, s),
        V::Arr(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                render(item, out);
            }
            out.push(']');
        }
        V::Obj(entries) => {
            out.push('{');
            for (i, (k, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_str(out, k);
                out.push(':');
                render(item, out);
            }
            out.push('}');
        }
    }
}

fn body(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut entries = Vec::new();
    let n = u.int_in_range(0..=14)?;
    for _ in 0..n {
        entries.push(((*u.choose(KEYS)?).to_owned(), value(u, 1)?));
    }
    let extra = if u.ratio(1, 16)? { u.int_in_range(125..=131)? } else { 0 };
    for i in 0..extra {
        entries.push((format!("q{i}"), V::Str("v".into())));
    }
    let mut out = String::new();
    render(&V::Obj(entries), &mut out);
    Ok(out)
}

/// A report bomb: `{"KEY": [[…[ITEM, ITEM, …]…]], "tags": [1, 1, …], "KEY2": …}`.
fn bomb(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    const CAP: usize = 114_688;
    // Key characters as the body spells them (escaped where JSON needs it).
    let ch = *u.choose(&["/", "~", "a", "\\\\", "\\u0001", "镜", "\\\"", "😀"])?;
    let key = ch.repeat(u.int_in_range(0..=30_000)?);
    let depth = u.int_in_range(0..=126)?;
    let item = *u.choose(&[
        r#"{"":0,"":0}"#,
        r#"{"x":{"y":1,"y":2},"x":3}"#,
        "1",
        r#"{"/~":[{"a":0,"a":0}]}"#,
        r#"[{"k":1,"k":1,"k":1}]"#,
    ])?;
    let items = u.int_in_range(0..=20_000)?;
    let tags = u.int_in_range(0..=20_000)?;
    let keys = u.int_in_range(0..=300)?;
    let open = "[".repeat(depth.min(125));
    let close = "]".repeat(depth.min(125));
    let mut out = format!(r#"{{"{key}":{open}["#);
    for i in 0..items {
        if out.len() + item.len() + depth + 64 > CAP / 2 {
            break;
        }
        if i > 0 {
            out.push(',');
        }
        out.push_str(item);
    }
    out.push(']');
    out.push_str(&close);
    out.push_str(r#","tags":["#);
    for i in 0..tags {
        if out.len() + 8 > CAP * 3 / 4 {
            break;
        }
        if i > 0 {
            out.push(',');
        }
        out.push('1');
    }
    out.push(']');
    for i in 0..keys {
        let k = format!(r#","{i}{}":1"#, ch.repeat(300));
        if out.len() + k.len() + 1 > CAP {
            break;
        }
        out.push_str(&k);
    }
    out.push('}');
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    let mut u = Unstructured::new(data);
    if data.first().is_some_and(|b| b % 8 == 0) {
        let _ = u.bytes(1);
        if let Ok(text) = bomb(&mut u) {
            // Every invariant of raw bytes, the bounded report among them.
            bytes::check(text.as_bytes());
        }
        return;
    }
    let Ok(text) = body(&mut u) else { return };
    let doc: Value = serde_json::from_str(&text).expect("the generator writes JSON");
    for oracle in ORACLES.iter() {
        let ours = validate(text.as_bytes(), &oracle.rules);
        let theirs = oracle.request.is_valid(&doc);
        match &ours {
            Ok(ok) => {
                assert!(theirs, "crate accepts, schema refuses: {text:.400}");
                let ctx = shared::context();
                let record = serde_json::to_value(ok.request.derive(&ctx)).unwrap();
                assert!(RECORD.is_valid(&record), "record breaks record_schema: {record}");
            }
            Err(report) if !shared::beyond_schema(report, Some(&doc)) => {
                assert!(!theirs, "schema accepts, crate refuses ({report}): {text:.400}");
            }
            Err(_) => {}
        }
    }
});
