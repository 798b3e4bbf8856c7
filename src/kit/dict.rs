//! A libFuzzer / AFL++ dictionary of the tokens a body is made of under some rules.

use std::fmt::Write as _;

use crate::keys::{Field, READ_ONLY, RESERVED, RESERVED_PREFIX};
use crate::kit::faults::near_miss_key;
use crate::rules::Rules;
use crate::values::{DiskFormat, FirmwareType, OsType};

/// One dictionary line: `name="value"`, with `\\`, `\"` and non-printable or
/// non-ASCII bytes as `\xNN` (the format libFuzzer and AFL++ read).
fn line(out: &mut String, name: &str, value: &[u8]) {
    let _ = write!(out, "{name}=\"");
    for &b in value {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'"' => out.push_str("\\\""),
            0x20..=0x7E => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02X}");
            }
        }
    }
    out.push_str("\"\n");
}

/// `s` as a JSON string token.
fn quoted(s: &str) -> Vec<u8> {
    serde_json::to_vec(s).unwrap_or_else(|_| s.as_bytes().to_vec())
}

/// The dictionary of `rules`: every documented key, the read-only and reserved keys
/// and the reserved prefix, near misses of the fields, the allowed and nearly allowed
/// values of each enumerated field, every catalog row, the edges of each limit, the
/// escapes and float spellings the contract treats alike, and JSON's own tokens.
/// Deterministic: the same rules give the same text.
///
/// ```
/// let dict = ims_image_meta::kit::dictionary(&ims_image_meta::Rules::default());
/// assert!(dict.contains(r#"key_name="\"name\"""#));
/// assert!(dict.lines().all(|l| l.is_empty() || l.starts_with('#') || l.contains("=\"")));
/// ```
pub fn dictionary(rules: &Rules) -> String {
    let mut out = String::from(
        "# ims-image-meta: tokens of POST /v2/images bodies (libFuzzer / AFL++ dictionary)\n",
    );
    for f in Field::ALL {
        line(
            &mut out,
            &format!("key_{}", f.key().trim_start_matches('_')),
            &quoted(f.key()),
        );
        if let Some(k) = near_miss_key(*f, 1) {
            line(&mut out, "near_miss", &quoted(&k));
        }
    }
    for k in READ_ONLY {
        line(&mut out, "read_only", &quoted(k));
    }
    for k in RESERVED {
        line(&mut out, "reserved", &quoted(k));
    }
    line(
        &mut out,
        "reserved_prefix",
        format!("\"{RESERVED_PREFIX}").as_bytes(),
    );
    for v in ["private", "public", "bare", "ovf", "bios", "uefi", "efi"] {
        line(&mut out, "enum", &quoted(v));
    }
    for d in DiskFormat::ALL {
        line(&mut out, "disk_format", &quoted(d.as_str()));
    }
    for fw in FirmwareType::ALL {
        line(&mut out, "firmware", &quoted(fw.as_str()));
    }
    for row in rules.catalog().iter() {
        line(&mut out, "os_version", &quoted(row.version()));
    }
    line(
        &mut out,
        "os_default",
        &quoted(rules.default_os_version().version()),
    );
    let mut edges: Vec<String> = vec![
        "0".into(),
        "-0".into(),
        "-1".into(),
        "4294967296".into(),
        "18446744073709551616".into(),
        "1e400".into(),
        "1.0e1".into(),
        "1e1".into(),
        "10.0".into(),
        "-0.0".into(),
    ];
    // Each integer field's largest value under these rules, and one past it.
    for (_, max) in Field::ints(rules) {
        let max = u64::from(max);
        edges.extend([max.to_string(), (max + 1).to_string()]);
    }
    for t in OsType::ALL {
        let r = rules.min_disk_range(*t);
        for v in [
            u64::from(*r.start()).saturating_sub(1),
            u64::from(*r.start()),
            u64::from(*r.end()),
            u64::from(*r.end()) + 1,
        ] {
            edges.push(v.to_string());
        }
    }
    for n in [
        rules.name_max_chars(),
        Rules::TAG_MAX_CHARS,
        Rules::PROPERTY_KEY_MAX_CHARS,
        Rules::DESCRIPTION_MAX_CHARS,
        rules.max_tags(),
        rules.max_properties(),
        rules.property_value_max_bytes(),
    ] {
        edges.push(n.to_string());
        edges.push((n + 1).to_string());
    }
    edges.sort();
    edges.dedup();
    for e in &edges {
        line(&mut out, "number", e.as_bytes());
    }
    for e in [
        "\\u0000",
        "\\ud83d\\ude00",
        "\\ud800",
        "\\u00e9",
        "\\u4e00",
        "\\u9fff",
        "\\u3000",
        "\\/",
        "\\\\",
        "\\\"",
        "\\n",
        "\\r",
        "\\t",
        "\\uFEFF",
        "~0",
        "~1",
    ] {
        line(&mut out, "escape", e.as_bytes());
    }
    for (name, raw) in [
        ("emoji", "😀".as_bytes()),
        ("cjk", "镜像".as_bytes()),
        ("nul", b"\x00".as_slice()),
        ("bad_utf8", b"\xff".as_slice()),
    ] {
        line(&mut out, name, raw);
    }
    for t in [
        "{", "}", "[", "]", ":", ",", "\"\"", "true", "false", "null", "{}", "[]",
    ] {
        line(&mut out, "json", t.as_bytes());
    }
    out
}
