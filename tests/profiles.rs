//! The named profiles (SPEC section 7) and what comes with them: each profile's
//! boundaries on both sides, `min_disk` by OS type, `iso`, rule sets refused when they
//! make no sense (exact messages), rules files, unlisted platforms, lenient clients,
//! the README's profiles table, and a property: under any rule set that builds, a
//! valid body's request re-validates to itself.
// Reversed ranges are what the rule-set errors are about.
#![allow(clippy::reversed_empty_ranges)]

mod common;

use common::gen::{self, J};
use ims_image_meta::{
    catalog::OsVersion,
    validate,
    values::{DiskFormat, NameCharset, OsBit, OsType, Platform},
    warning::Warning,
    Catalog, Profile, Report, Rules, RulesError, Validated,
};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};

const LINUX: &str = "CentOS 7.6 64bit";
const WINDOWS: &str = "Windows Server 2016 Standard 64bit";

#[track_caller]
fn ok(body: &str, rules: &Rules) -> Validated<'static> {
    validate(body.as_bytes(), rules)
        .unwrap_or_else(|r| panic!("{body:.200}: {r}"))
        .into_owned()
}

#[track_caller]
fn record(body: &str, rules: &Rules) -> Value {
    serde_json::to_value(ok(body, rules).request.into_record(&common::context())).unwrap()
}

#[track_caller]
fn err(body: &str, rules: &Rules) -> Report {
    match validate(body.as_bytes(), rules) {
        Ok(v) => panic!("{body:.200} accepted: {v:?}"),
        Err(r) => r,
    }
}

fn pairs(r: &Report) -> Vec<(&str, &str)> {
    r.violations()
        .iter()
        .map(|v| (v.pointer(), v.code().as_str()))
        .collect()
}

fn disk(os: Option<&str>, min_disk: u32) -> String {
    match os {
        Some(os) => json!({ "__os_version": os, "min_disk": min_disk }).to_string(),
        None => json!({ "min_disk": min_disk }).to_string(),
    }
}

/// Every profile at its `min_disk` bounds, both sides, for each OS type; the default
/// `min_disk` is the lower bound of the request's OS type.
#[test]
fn min_disk_bounds_of_every_profile_on_both_sides() {
    let cases: [(Profile, Option<&str>, u32, u32); 9] = [
        (Profile::Ims2022, Some(LINUX), 40, 1024),
        (Profile::Ims2022, Some(WINDOWS), 40, 1024),
        (Profile::Ims2022, None, 40, 1024),
        (Profile::HuaweiCloud, Some(LINUX), 10, 1024),
        (Profile::HuaweiCloud, Some(WINDOWS), 20, 1024),
        (Profile::HuaweiCloud, None, 10, 1024),
        (Profile::Otc, Some(LINUX), 1, 1024),
        (Profile::Otc, Some(WINDOWS), 1, 1024),
        (Profile::Otc, None, 1, 1024),
    ];
    for (p, os, lo, hi) in cases {
        let rules = Rules::profile(p);
        let what = format!("{p} {os:?}");
        assert_eq!(ok(&disk(os, lo), &rules).request.min_disk(), lo, "{what}");
        ok(&disk(os, hi), &rules);
        let r = err(&disk(os, lo - 1), &rules);
        assert_eq!(pairs(&r), [("/min_disk", "out_of_range")], "{what}");
        assert_eq!(
            r.violations()[0].message(),
            format!(
                "Attribute 'min_disk' must be an integer from {lo} to {hi}, got {}.",
                lo - 1
            )
        );
        assert_eq!(r.violations()[0].ims_code(), Some("IMG.0055"));
        let r = err(&disk(os, hi + 1), &rules);
        assert_eq!(pairs(&r), [("/min_disk", "out_of_range")], "{what}");
        // Absent: the lower bound of the OS type's range.
        let body = match os {
            Some(os) => json!({ "__os_version": os }).to_string(),
            None => "{}".to_owned(),
        };
        assert_eq!(ok(&body, &rules).request.min_disk(), lo, "{what}");
    }
    // The named boundaries: 9/10 Linux and 19/20 Windows (huaweicloud), 0/1 (otc).
    let hw = Rules::profile(Profile::HuaweiCloud);
    err(&disk(Some(LINUX), 9), &hw);
    ok(&disk(Some(LINUX), 10), &hw);
    err(&disk(Some(WINDOWS), 19), &hw);
    ok(&disk(Some(WINDOWS), 20), &hw);
    ok(&disk(Some(LINUX), 19), &hw);
    let otc = Rules::profile(Profile::Otc);
    err(&disk(None, 0), &otc);
    ok(&disk(None, 1), &otc);
}

/// `__os_version` may come after `min_disk`: the range is still that of its OS type,
/// and the violation keeps its place in body order.
#[test]
fn min_disk_before_os_version_uses_the_os_type_and_keeps_body_order() {
    let hw = Rules::profile(Profile::HuaweiCloud);
    let after =
        |min_disk: u32, os: &str| format!(r#"{{"min_disk":{min_disk},"__os_version":"{os}"}}"#);
    let r = err(&after(19, WINDOWS), &hw);
    assert_eq!(pairs(&r), [("/min_disk", "out_of_range")]);
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'min_disk' must be an integer from 20 to 1024, got 19."
    );
    ok(&after(19, LINUX), &hw);
    ok(&after(20, WINDOWS), &hw);
    let r = err(
        r#"{"name":" x","min_disk":15,"status":"a","__os_version":"Windows Server 2016 Standard 64bit","tags":[1]}"#,
        &hw,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/name", "bad_format"),
            ("/min_disk", "out_of_range"),
            ("/status", "read_only"),
            ("/tags/0", "wrong_type"),
        ]
    );
    // A wrong or unknown __os_version: the default OS's type (Linux) decides.
    let r = err(r#"{"min_disk":15,"__os_version":5}"#, &hw);
    assert_eq!(pairs(&r), [("/__os_version", "wrong_type")]);
    let r = err(r#"{"min_disk":15,"__os_version":"Windows 99"}"#, &hw);
    assert_eq!(pairs(&r), [("/__os_version", "unknown_os_version")]);
    let r = err(r#"{"min_disk":9,"__os_version":"Windows 99"}"#, &hw);
    assert_eq!(
        pairs(&r),
        [
            ("/min_disk", "out_of_range"),
            ("/__os_version", "unknown_os_version")
        ]
    );
    // A wrong type is reported at once, whatever the order.
    let r = err(r#"{"min_disk":"20","__os_version":"Windows 99"}"#, &hw);
    assert_eq!(
        pairs(&r),
        [
            ("/min_disk", "wrong_type"),
            ("/__os_version", "unknown_os_version")
        ]
    );
    // A repeated min_disk is only the repetition.
    let r = err(
        r#"{"min_disk":1,"min_disk":2,"__os_version":"CentOS 7.6 64bit"}"#,
        &hw,
    );
    assert_eq!(pairs(&r), [("/min_disk", "duplicate_key")]);
}

#[test]
fn iso_under_each_profile() {
    let body = r#"{"disk_format":"iso"}"#;
    let r = err(body, &Rules::profile(Profile::Ims2022));
    assert_eq!(pairs(&r), [("/disk_format", "not_allowed")]);
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'disk_format' must be one of 'vhd', 'zvhd', 'zvhd2', 'raw', 'qcow2', got 'iso'."
    );
    let hw = Rules::profile(Profile::HuaweiCloud);
    assert_eq!(ok(body, &hw).request.disk_format(), DiskFormat::Iso);
    assert_eq!(record(body, &hw)["disk_format"], "iso");
    let r = err(body, &Rules::profile(Profile::Otc));
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'disk_format' must be one of 'vhd', 'zvhd2', 'raw', 'qcow2', got 'iso'."
    );
    // And a knob away from any profile.
    let rules = Rules::builder(Profile::Ims2022)
        .disk_formats([DiskFormat::Vhd, DiskFormat::Iso])
        .build()
        .unwrap();
    ok(body, &rules);
}

#[test]
fn disk_format_defaults_and_sets_per_profile() {
    for (p, default, refused) in [
        (Profile::Ims2022, "vhd", "iso"),
        (Profile::HuaweiCloud, "zvhd2", "zvhd"),
        (Profile::Otc, "zvhd2", "zvhd"),
    ] {
        let rules = Rules::profile(p);
        assert_eq!(record("{}", &rules)["disk_format"], default, "{p}");
        let body = json!({ "disk_format": refused }).to_string();
        assert_eq!(
            pairs(&err(&body, &rules)),
            [("/disk_format", "not_allowed")]
        );
    }
}

/// OTC names: 128 chars, no CJK; the other profiles keep 255 and CJK.
#[test]
fn names_under_each_profile() {
    let otc = Rules::profile(Profile::Otc);
    let name = |n: usize| json!({ "name": "a".repeat(n) }).to_string();
    ok(&name(128), &otc);
    let r = err(&name(129), &otc);
    assert_eq!(pairs(&r), [("/name", "too_long")]);
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'name' is too long: 129 characters, at most 128 allowed."
    );
    let r = err(r#"{"name":"镜像"}"#, &otc);
    assert_eq!(pairs(&r), [("/name", "bad_format")]);
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'name' may not contain '镜' (U+955C): only letters, digits, '-', '.', '_' \
         and spaces are allowed."
    );
    ok(r#"{"name":"web-01_a.b c"}"#, &otc);
    for p in [Profile::Ims2022, Profile::HuaweiCloud] {
        let rules = Rules::profile(p);
        ok(r#"{"name":"镜像"}"#, &rules);
        ok(&name(255), &rules);
        assert_eq!(pairs(&err(&name(256), &rules)), [("/name", "too_long")]);
    }
}

/// The default `__os_version` of each profile, and the fields it derives.
#[test]
fn default_os_version_per_profile() {
    for (p, v) in [
        (Profile::Ims2022, "Other Linux(64 bit)"),
        (Profile::HuaweiCloud, "Other Linux (64 bit)"),
        (Profile::Otc, "Other Linux(64 bit)"),
    ] {
        let rules = Rules::profile(p);
        let accepted = ok(r#"{"name":"a"}"#, &rules);
        assert_eq!(accepted.warnings, [Warning::OsVersionDefaulted]);
        let rec = record(r#"{"name":"a"}"#, &rules);
        assert_eq!(
            (
                &rec["__os_version"],
                &rec["__os_type"],
                &rec["__platform"],
                &rec["__os_bit"]
            ),
            (&json!(v), &json!("Linux"), &json!("Other"), &json!("64")),
            "{p}"
        );
    }
}

/// A body may spell the default out even where the catalog lacks it (its request
/// then re-validates), and a Windows default gives the Windows range.
#[test]
fn the_default_os_version_is_always_accepted() {
    let catalog =
        Catalog::from_csv("os_version,os_type,platform,os_bit\nKylin V10 64bit,Linux,Kylin,64\n")
            .unwrap();
    let rules = Rules::builder(Profile::HuaweiCloud)
        .catalog(catalog)
        .build()
        .unwrap();
    let first = ok("{}", &rules);
    let rebuilt = serde_json::to_string(&first.request).unwrap();
    assert!(rebuilt.contains(r#""__os_version":"Other Linux (64 bit)""#));
    assert_eq!(ok(&rebuilt, &rules).request, first.request);
    let windows = Catalog::builtin().get(WINDOWS).unwrap().clone();
    let rules = Rules::builder(Profile::HuaweiCloud)
        .default_os_version(windows)
        .build()
        .unwrap();
    assert_eq!(ok("{}", &rules).request.min_disk(), 20);
    assert_eq!(
        pairs(&err(r#"{"min_disk":19}"#, &rules)),
        [("/min_disk", "out_of_range")]
    );
}

// ---- rule sets that make no sense -------------------------------------------------

#[track_caller]
fn refused(b: ims_image_meta::RulesBuilder) -> RulesError {
    b.build().expect_err("nonsense accepted")
}

fn hw() -> ims_image_meta::RulesBuilder {
    Rules::builder(Profile::HuaweiCloud)
}

#[test]
fn rule_set_errors_name_the_knob() {
    let cases: Vec<(ims_image_meta::RulesBuilder, &str, &str)> = vec![
        (
            hw().max_body_bytes(0),
            "max_body_bytes",
            "rules: max_body_bytes: must be at least 1 (0 refuses every body)",
        ),
        (
            hw().name_max_chars(0),
            "name_max_chars",
            "rules: name_max_chars: must be at least 1 (0 refuses every name)",
        ),
        (
            hw().min_disk_linux(41..=40),
            "min_disk_linux",
            "rules: min_disk_linux: the range 41..=40 is empty (its lower bound is above its \
             upper bound)",
        ),
        (
            hw().min_disk_windows(1025..=1024),
            "min_disk_windows",
            "rules: min_disk_windows: the range 1025..=1024 is empty (its lower bound is above \
             its upper bound)",
        ),
        (
            hw().min_disk(9..=1),
            "min_disk_linux",
            "rules: min_disk_linux: the range 9..=1 is empty (its lower bound is above its upper \
             bound)",
        ),
        (
            hw().disk_formats([]),
            "disk_formats",
            "rules: disk_formats: is empty: no disk format would be allowed",
        ),
        (
            hw().disk_formats([DiskFormat::Raw, DiskFormat::Qcow2]),
            "default_disk_format",
            "rules: default_disk_format: 'zvhd2' is not one of the allowed disk_formats (raw, \
             qcow2)",
        ),
        (
            hw().default_disk_format(DiskFormat::Zvhd),
            "default_disk_format",
            "rules: default_disk_format: 'zvhd' is not one of the allowed disk_formats (zvhd2, \
             vhd, raw, qcow2, iso)",
        ),
        (
            hw().max_tags(0),
            "max_tags",
            "rules: max_tags: must be at least 1 (0 refuses every tag)",
        ),
        (
            hw().max_properties(0),
            "max_properties",
            "rules: max_properties: must be at least 1 (0 refuses every custom property)",
        ),
        (
            hw().property_value_max_bytes(0),
            "property_value_max_bytes",
            "rules: property_value_max_bytes: must be at least 1 (0 refuses every custom \
             property value)",
        ),
        (
            hw().default_os_version(OsVersion::new(
                " ",
                OsType::Linux,
                Platform::Other,
                OsBit::Bit64,
            )),
            "default_os_version",
            "rules: default_os_version: os_version is blank",
        ),
        (
            hw().default_os_version(OsVersion::new(
                "a\nb",
                OsType::Linux,
                Platform::Other,
                OsBit::Bit64,
            )),
            "default_os_version",
            "rules: default_os_version: os_version 'a\\nb' holds a control character (U+000A)",
        ),
        (
            hw().default_os_version(OsVersion::new(
                LINUX,
                OsType::Windows,
                Platform::Windows,
                OsBit::Bit64,
            )),
            "default_os_version",
            "rules: default_os_version: 'CentOS 7.6 64bit' derives Linux/CentOS/64 in the \
             catalog, but Windows/Windows/64 as the default",
        ),
    ];
    for (b, knob, message) in cases {
        let e = refused(b);
        assert_eq!(e.knob(), Some(knob));
        assert_eq!(e.to_string(), message);
    }
    // Sensible edges build: a single-value range, zero as a bound, one format.
    hw().min_disk(0..=0)
        .disk_formats([DiskFormat::Iso])
        .default_disk_format(DiskFormat::Iso)
        .max_tags(1)
        .build()
        .unwrap();
    // A rule set is changed through a builder from itself.
    let otc = Rules::profile(Profile::Otc);
    let changed = otc.to_builder().max_tags(5).build().unwrap();
    assert_eq!((changed.max_tags(), changed.name_max_chars()), (5, 128));
    let e = otc
        .to_builder()
        .min_disk_windows(5..=4)
        .build()
        .unwrap_err();
    assert_eq!(e.knob(), Some("min_disk_windows"));
}

// ---- rules files -------------------------------------------------------------------

#[test]
fn the_dedicated_region_file_loads_and_behaves() {
    let path = common::root().join("examples/rules/dedicated-region.json");
    let rules = Rules::from_json(&std::fs::read(path).unwrap()).unwrap();
    assert_eq!(rules.min_disk_linux(), 40..=255);
    assert_eq!(rules.min_disk_windows(), 40..=255);
    // The rest is huaweicloud's.
    assert_eq!(rules.default_disk_format(), DiskFormat::Zvhd2);
    assert_eq!(rules.default_os_version().version(), "Other Linux (64 bit)");
    assert_eq!(
        rules.disk_formats(),
        Rules::profile(Profile::HuaweiCloud).disk_formats()
    );
    for os in [Some(LINUX), Some(WINDOWS), None] {
        ok(&disk(os, 40), &rules);
        ok(&disk(os, 255), &rules);
        let r = err(&disk(os, 39), &rules);
        assert_eq!(
            r.violations()[0].message(),
            "Attribute 'min_disk' must be an integer from 40 to 255, got 39."
        );
        err(&disk(os, 256), &rules);
    }
    assert_eq!(ok("{}", &rules).request.min_disk(), 40);
    ok(r#"{"disk_format":"iso"}"#, &rules);
}

#[test]
fn a_rules_file_names_every_knob() {
    let file = br#"{
        "profile": "otc",
        "description": "every knob",
        "max_body_bytes": 65536,
        "name_max_chars": 64,
        "name_charset": "any",
        "min_disk_linux": [2, 300],
        "min_disk_windows": [30, 400],
        "disk_formats": ["qcow2", "raw"],
        "default_disk_format": "raw",
        "max_tags": 10,
        "max_properties": 20,
        "property_value_max_bytes": 100,
        "min_ram_max": 65536,
        "allow_four_byte_unicode": true,
        "allow_unknown_os_version": true,
        "default_os_version": "Ubuntu 14.04 server 64bit"
    }"#;
    let r = Rules::from_json(file).unwrap();
    assert_eq!(r.max_body_bytes(), 65_536);
    assert_eq!(r.name_max_chars(), 64);
    assert_eq!(r.name_charset(), NameCharset::Any);
    assert_eq!(r.min_disk_range(OsType::Linux), 2..=300);
    assert_eq!(r.min_disk_range(OsType::Other), 2..=300);
    assert_eq!(r.min_disk_range(OsType::Windows), 30..=400);
    assert_eq!(r.disk_formats(), [DiskFormat::Qcow2, DiskFormat::Raw]);
    assert_eq!(r.default_disk_format(), DiskFormat::Raw);
    assert_eq!((r.max_tags(), r.max_properties()), (10, 20));
    assert_eq!(r.property_value_max_bytes(), 100);
    assert_eq!(r.min_ram_max(), 65_536);
    assert!(r.allow_four_byte_unicode() && r.allow_unknown_os_version());
    assert_eq!(r.default_os_version().platform(), &Platform::Ubuntu);
    // Nothing but a profile: that profile; nothing at all: the default.
    assert_eq!(
        Rules::from_json(br#"{"profile":"huaweicloud"}"#).unwrap(),
        Rules::profile(Profile::HuaweiCloud)
    );
    assert_eq!(Rules::from_json(b"{}").unwrap(), Rules::default());
}

#[test]
fn rules_file_errors_give_the_place_and_the_reason() {
    let cases: [(&[u8], Option<&str>, &str); 11] = [
        (
            br#"{"profile":"otc","min_disk":[1,2]}"#,
            None,
            "rules JSON: unknown field `min_disk`, expected one of `profile`, `description`, \
             `name_charset`, `min_disk_linux`, `min_disk_windows`, `disk_formats`, \
             `default_disk_format`, `default_os_version`, `updatable`, `max_body_bytes`, \
             `max_violations`, `name_max_chars`, `max_tags`, `max_properties`, \
             `property_value_max_bytes`, `min_ram_max`, `allow_four_byte_unicode`, \
             `allow_unknown_os_version`, `quote_input`, `refuse_near_miss_keys` at line 1 column 27",
        ),
        (
            br#"{"max_tags": "5"}"#,
            None,
            "rules JSON: invalid type: string \"5\", expected usize at line 1 column 16",
        ),
        (
            br#"{"min_disk_linux": [1]}"#,
            None,
            "rules JSON: invalid length 1, expected an array of length 2 at line 1 column 22",
        ),
        (
            br#"{"max_tags": 5"#,
            None,
            "rules JSON: EOF while parsing an object at line 1 column 14",
        ),
        (
            br#"{"profile":"OTC"}"#,
            Some("profile"),
            "rules: profile: 'OTC' is not a valid profile; expected one of: ims-2022, \
             huaweicloud, otc",
        ),
        (
            br#"{"disk_formats":["vhd","vmdk"]}"#,
            Some("disk_formats"),
            "rules: disk_formats: 'vmdk' is not a valid disk_format; expected one of: vhd, \
             zvhd, zvhd2, raw, qcow2, iso",
        ),
        (
            br#"{"default_disk_format":"iso"}"#,
            Some("default_disk_format"),
            "rules: default_disk_format: 'iso' is not one of the allowed disk_formats (vhd, \
             zvhd, zvhd2, raw, qcow2)",
        ),
        (
            br#"{"name_charset":"latin"}"#,
            Some("name_charset"),
            "rules: name_charset: 'latin' is not one of 'ims', 'ims-no-cjk', 'any'",
        ),
        (
            br#"{"default_os_version":"Rocky 9"}"#,
            Some("default_os_version"),
            "rules: default_os_version: 'Rocky 9' is not a value of the catalog",
        ),
        (
            br#"{"profile":"huaweicloud","min_disk_windows":[20,10]}"#,
            Some("min_disk_windows"),
            "rules: min_disk_windows: the range 20..=10 is empty (its lower bound is above its \
             upper bound)",
        ),
        (
            br#"{"max_properties":0}"#,
            Some("max_properties"),
            "rules: max_properties: must be at least 1 (0 refuses every custom property)",
        ),
    ];
    for (json, knob, message) in cases {
        let e = Rules::from_json(json).unwrap_err();
        assert_eq!(e.to_string(), message);
        assert_eq!(e.knob(), knob, "{message}");
    }
}

// ---- unlisted platforms and lenient clients ----------------------------------------

#[test]
fn an_unlisted_platform_is_kept_and_written_as_spelled() {
    let csv = format!(
        "{}Rocky Linux 9.3 64bit,Linux,Rocky,64\n",
        ims_image_meta::catalog::BUILTIN_CSV
    );
    let rules = Rules::builder(Profile::HuaweiCloud)
        .catalog(Catalog::from_csv(&csv).unwrap())
        .build()
        .unwrap();
    let rec = record(
        r#"{"name":"r","__os_version":"Rocky Linux 9.3 64bit"}"#,
        &rules,
    );
    assert_eq!(rec["__platform"], "Rocky");
    assert_eq!(rec["__os_type"], "Linux");
    let json = br#"[{"platform":"Kylin","version_list":[{"platform":"Kylin","os_version":"Kylin V10 64bit","os_bit":64,"os_type":"Linux","os_version_key":"kylin_v10"}]}]"#;
    let rules = Rules::builder(Profile::Ims2022)
        .catalog(Catalog::from_bytes(json).unwrap())
        .build()
        .unwrap();
    let rec = record(r#"{"__os_version":"Kylin V10 64bit"}"#, &rules);
    assert_eq!(rec["__platform"], "Kylin");
    // The record schema takes a platform it does not list.
    let schema = jsonschema::draft202012::new(&ims_image_meta::schema::record_schema()).unwrap();
    assert!(schema.is_valid(&rec), "{rec}");
}

#[test]
fn leniency_on_and_off() {
    let strict = Rules::profile(Profile::HuaweiCloud);
    let lenient = strict
        .to_builder()
        .allow_unknown_os_version(true)
        .build()
        .unwrap();
    assert!(!strict.allow_unknown_os_version());
    let new_windows = r#"{"name":"w","__os_version":"Windows Server 2025 Datacenter 64bit"}"#;
    // Off (the default): refused.
    let r = err(new_windows, &strict);
    assert_eq!(pairs(&r), [("/__os_version", "unknown_os_version")]);
    // On: accepted as sent, fields inferred, a warning, the OS type's range.
    let v = ok(new_windows, &lenient);
    assert_eq!(v.warnings, [Warning::OsVersionInferred]);
    assert_eq!(v.warnings[0].code(), "os_version_inferred");
    assert_eq!(v.warnings[0].pointer(), "/__os_version");
    assert_eq!(
        v.warnings[0].message(),
        "__os_version is not in this catalog: accepted anyway, with __os_type, __platform and \
         __os_bit inferred from it; the cloud may refuse it or derive them otherwise."
    );
    let rec = record(new_windows, &lenient);
    assert_eq!(
        (
            &rec["__os_version"],
            &rec["__os_type"],
            &rec["__platform"],
            &rec["__os_bit"],
            &rec["min_disk"]
        ),
        (
            &json!("Windows Server 2025 Datacenter 64bit"),
            &json!("Windows"),
            &json!("Windows"),
            &json!("64"),
            &json!(20)
        )
    );
    let r = err(
        r#"{"min_disk":19,"__os_version":"Windows Server 2025 Datacenter 64bit"}"#,
        &lenient,
    );
    assert_eq!(pairs(&r), [("/min_disk", "out_of_range")]);
    // A catalog value but for case and spaces: that row's fields, the value as sent.
    let rec = record(r#"{"__os_version":"centos 7.6 64 BIT"}"#, &lenient);
    assert_eq!(
        (&rec["__os_version"], &rec["__platform"]),
        (&json!("centos 7.6 64 BIT"), &json!("CentOS"))
    );
    // Nothing to infer: the default OS's fields, and a warning that says so.
    let v = ok(r#"{"__os_version":"Zeta 1"}"#, &lenient);
    assert_eq!(
        v.warnings,
        [Warning::NameDefaulted, Warning::OsVersionNotDerived]
    );
    assert_eq!(v.warnings[1].code(), "os_version_not_derived");
    let rec = record(r#"{"__os_version":"Zeta 1"}"#, &lenient);
    assert_eq!(
        (&rec["__os_type"], &rec["__platform"], &rec["__os_bit"]),
        (&json!("Linux"), &json!("Other"), &json!("64"))
    );
    // Still refused: an empty value, a wrong type, forbidden characters.
    for (body, code) in [
        (r#"{"__os_version":""}"#, "unknown_os_version"),
        (r#"{"__os_version":5}"#, "wrong_type"),
        (r#"{"__os_version":"a\u0000"}"#, "nul_character"),
    ] {
        assert_eq!(pairs(&err(body, &lenient)), [("/__os_version", code)]);
    }
    // Known values are unchanged, with no warning.
    assert!(ok(
        r#"{"name":"a","__os_version":"CentOS 7.6 64bit"}"#,
        &lenient
    )
    .warnings
    .is_empty());
    // The lenient request re-validates to itself.
    let first = ok(new_windows, &lenient);
    let again = ok(&serde_json::to_string(&first.request).unwrap(), &lenient);
    assert_eq!(again.request, first.request);
}

// ---- the README's profiles table ---------------------------------------------------

/// The profiles table, rendered from `Profile::ALL` and each profile's rule set.
fn profiles_table() -> String {
    let range = |r: std::ops::RangeInclusive<u32>| format!("{}–{}", r.start(), r.end());
    let mut rows: Vec<(String, Vec<String>)> = Vec::new();
    let mut row = |knob: &str, cell: &dyn Fn(&Rules, Profile) -> String| {
        let cells = Profile::ALL
            .iter()
            .map(|&p| cell(&Rules::profile(p), p))
            .collect();
        rows.push((knob.to_owned(), cells));
    };
    row("`min_disk_linux` (Linux and Other)", &|r, _| {
        range(r.min_disk_linux())
    });
    row("`min_disk_windows`", &|r, _| range(r.min_disk_windows()));
    row("`disk_formats`", &|r, _| {
        let f: Vec<&str> = r.disk_formats().iter().map(|f| f.as_str()).collect();
        f.join(" ")
    });
    row("`default_disk_format`", &|r, _| {
        r.default_disk_format().to_string()
    });
    row("`name_max_chars`", &|r, _| r.name_max_chars().to_string());
    row("`name_charset`", &|r, _| {
        format!("`{}`", r.name_charset().as_str())
    });
    row("`default_os_version`", &|r, _| {
        format!("`{}`", r.default_os_version().version())
    });
    row("source", &|_, p| p.source().to_owned());
    let mut out = String::from("| knob |");
    for p in Profile::ALL {
        let default = if *p == Profile::default() {
            " (default)"
        } else {
            ""
        };
        out.push_str(&format!(" `{p}`{default} |"));
    }
    out.push_str("\n|---|");
    out.push_str(&"---|".repeat(Profile::ALL.len()));
    out.push('\n');
    for (knob, cells) in rows {
        out.push_str(&format!("| {knob} | {} |\n", cells.join(" | ")));
    }
    out
}

#[test]
fn the_readme_profiles_table_is_generated_from_the_code() {
    let table = profiles_table();
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    assert!(
        readme.contains(&table),
        "README.md must hold this table exactly (paste it in):\n{table}"
    );
}

// ---- any rule set that builds keeps the fixpoint -------------------------------------

/// The knobs of a rule set, as generated.
#[derive(Debug, Clone)]
struct Knobs {
    profile: Profile,
    linux: (u32, u32),
    windows: (u32, u32),
    formats: Vec<DiskFormat>,
    default_format: usize,
    name_max: usize,
    charset: NameCharset,
    max_tags: usize,
    max_props: usize,
    value_max: usize,
    four_byte: bool,
    lenient: bool,
    default_os: Option<String>,
    big_cap: bool,
    /// A catalog of a few built-in rows, without any default OS (which a body may
    /// still send); not expressible in a rules file.
    small_catalog: bool,
}

fn range() -> impl Strategy<Value = (u32, u32)> {
    prop_oneof![
        (0u32..=1100, 0u32..=1100).prop_map(|(a, b)| (a.min(b), a.max(b))),
        (0u32..=50).prop_map(|a| (a, a)),
        Just((0, u32::MAX)),
    ]
}

fn knobs() -> impl Strategy<Value = Knobs> {
    let formats =
        proptest::sample::subsequence(DiskFormat::ALL.to_vec(), 1..=DiskFormat::ALL.len())
            .prop_shuffle();
    (
        (
            select(Profile::ALL.to_vec()),
            range(),
            range(),
            formats,
            any::<prop::sample::Index>(),
            prop_oneof![1usize..=5, 1usize..=300],
            select(vec![
                NameCharset::Ims,
                NameCharset::ImsNoCjk,
                NameCharset::Any,
            ]),
        ),
        (
            prop_oneof![1usize..=3, 1usize..=200],
            prop_oneof![1usize..=3, 1usize..=200],
            prop_oneof![1usize..=8, 1usize..=70_000],
            any::<bool>(),
            any::<bool>(),
            prop::option::of(select(gen::catalog_versions())),
            (any::<bool>(), any::<bool>()),
        ),
    )
        .prop_map(
            |(
                (profile, linux, windows, formats, i, name_max, charset),
                (
                    max_tags,
                    max_props,
                    value_max,
                    four_byte,
                    lenient,
                    default_os,
                    (big_cap, small_catalog),
                ),
            )| Knobs {
                profile,
                linux,
                windows,
                default_format: i.index(formats.len()),
                formats,
                name_max,
                charset,
                max_tags,
                max_props,
                value_max,
                four_byte,
                lenient,
                default_os,
                big_cap,
                small_catalog,
            },
        )
}

impl Knobs {
    fn builder(&self) -> ims_image_meta::RulesBuilder {
        let mut b = Rules::builder(self.profile)
            .min_disk_linux(self.linux.0..=self.linux.1)
            .min_disk_windows(self.windows.0..=self.windows.1)
            .disk_formats(self.formats.clone())
            .default_disk_format(self.formats[self.default_format])
            .name_max_chars(self.name_max)
            .name_charset(self.charset)
            .max_tags(self.max_tags)
            .max_properties(self.max_props)
            .property_value_max_bytes(self.value_max)
            .allow_four_byte_unicode(self.four_byte)
            .allow_unknown_os_version(self.lenient);
        if self.big_cap {
            b = b.max_body_bytes(1 << 20);
        }
        if let Some(v) = &self.default_os {
            b = b.default_os_version(Catalog::builtin().get(v).unwrap().clone());
        }
        if self.small_catalog {
            let rows = Catalog::builtin()
                .iter()
                .filter(|e| {
                    !e.version().starts_with("Other")
                        && Some(e.version()) != self.default_os.as_deref()
                })
                .step_by(9)
                .cloned()
                .collect::<Vec<_>>();
            b = b.catalog(Catalog::from_rows(rows).unwrap());
        }
        b
    }

    /// The same knobs as a rules file.
    fn json(&self) -> Value {
        let mut j = json!({
            "profile": self.profile.as_str(),
            "min_disk_linux": [self.linux.0, self.linux.1],
            "min_disk_windows": [self.windows.0, self.windows.1],
            "disk_formats": self.formats.iter().map(|f| f.as_str()).collect::<Vec<_>>(),
            "default_disk_format": self.formats[self.default_format].as_str(),
            "name_max_chars": self.name_max,
            "name_charset": self.charset.as_str(),
            "max_tags": self.max_tags,
            "max_properties": self.max_props,
            "property_value_max_bytes": self.value_max,
            "allow_four_byte_unicode": self.four_byte,
            "allow_unknown_os_version": self.lenient,
        });
        if self.big_cap {
            j["max_body_bytes"] = json!(1 << 20);
        }
        if let Some(v) = &self.default_os {
            j["default_os_version"] = json!(v);
        }
        j
    }
}

/// A body valid under the default rules, bent to fit `rules`: names, formats, tag and
/// property counts and value lengths cut down, an unknown `__os_version` when the rules
/// allow one, and `min_disk` into the range of the body's OS type.
fn fit(entries: &[(String, J)], rules: &Rules, unknown_os: Option<&str>, emoji: bool) -> J {
    let mut e: Vec<(String, J)> = Vec::new();
    let mut props = 0;
    for (k, v) in entries {
        let v = match (k.as_str(), v) {
            ("name", J::Str(s)) => {
                let kept: String = s
                    .chars()
                    .filter(|&c| rules.name_charset() != NameCharset::ImsNoCjk || c.is_ascii())
                    .take(rules.name_max_chars())
                    .collect();
                let kept = kept.trim_matches(' ');
                J::s(if kept.is_empty() { "a" } else { kept })
            }
            ("__os_version", _) if unknown_os.is_some() && rules.allow_unknown_os_version() => {
                J::s(unknown_os.unwrap_or_default())
            }
            // Not in a small catalog: the default, spelled out.
            ("__os_version", J::Str(s)) if !rules.catalog().contains(s) => {
                J::s(rules.default_os_version().version())
            }
            ("disk_format", J::Str(s)) if !rules.disk_formats().iter().any(|f| f.as_str() == s) => {
                J::s(rules.default_disk_format().as_str())
            }
            ("tags", J::Arr(t)) => J::Arr(t.iter().take(rules.max_tags()).cloned().collect()),
            (k, J::Str(s)) if !gen::is_known_key(k) => {
                props += 1;
                if props > rules.max_properties() {
                    continue;
                }
                let mut s = s.clone();
                while s.len() > rules.property_value_max_bytes() {
                    s.pop();
                }
                J::Str(s)
            }
            _ => v.clone(),
        };
        e.push((k.clone(), v));
    }
    if emoji
        && rules.allow_four_byte_unicode()
        && props < rules.max_properties()
        && rules.property_value_max_bytes() >= 4
    {
        e.push(("zz_emoji".into(), J::s("😀")));
    }
    // The OS type decides the range: ask the crate which OS the body ends up with.
    if let Some(i) = e.iter().position(|(k, _)| k == "min_disk") {
        let without: Vec<_> = e.iter().filter(|(k, _)| k != "min_disk").cloned().collect();
        let body = gen::render(&J::Obj(without), gen::Style::PLAIN);
        if let Ok(v) = validate(body.as_bytes(), rules) {
            let range = rules.min_disk_range(v.request.os_version().os_type());
            let want = match &e[i].1 {
                J::Num(n) => n.parse::<u64>().unwrap_or(0),
                _ => 0,
            };
            let span = u64::from(range.end() - range.start()) + 1;
            let fitted = u64::from(*range.start()) + want % span;
            e[i].1 = J::n(fitted);
        }
    }
    J::Obj(e)
}

/// A rule set with one knob broken, and the knob its error must name.
fn broken(k: &Knobs, which: usize) -> (ims_image_meta::RulesBuilder, Value, &'static str) {
    let b = k.builder();
    let mut j = k.json();
    let (lo, hi) = (k.linux.1.saturating_add(1), k.linux.1);
    let missing = DiskFormat::ALL
        .iter()
        .copied()
        .find(|f| !k.formats.contains(f));
    match which % 8 {
        0 if lo > hi => {
            j["min_disk_linux"] = json!([lo, hi]);
            (b.min_disk_linux(lo..=hi), j, "min_disk_linux")
        }
        1 if k.windows.1 < u32::MAX => {
            let (lo, hi) = (k.windows.1 + 1, k.windows.1);
            j["min_disk_windows"] = json!([lo, hi]);
            (b.min_disk_windows(lo..=hi), j, "min_disk_windows")
        }
        2 => {
            j["disk_formats"] = json!([]);
            (b.disk_formats([]), j, "disk_formats")
        }
        3 if missing.is_some() => {
            let f = missing.unwrap_or(DiskFormat::Vhd);
            j["default_disk_format"] = json!(f.as_str());
            (b.default_disk_format(f), j, "default_disk_format")
        }
        4 => {
            j["max_tags"] = json!(0);
            (b.max_tags(0), j, "max_tags")
        }
        5 => {
            j["max_properties"] = json!(0);
            (b.max_properties(0), j, "max_properties")
        }
        6 => {
            j["name_max_chars"] = json!(0);
            (b.name_max_chars(0), j, "name_max_chars")
        }
        _ => {
            j["max_body_bytes"] = json!(0);
            (b.max_body_bytes(0), j, "max_body_bytes")
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: ProptestConfig::default().cases.max(256),
        ..ProptestConfig::default()
    })]

    /// Under any rule set that builds (by builder or by file, the same), a valid body
    /// is accepted; its request, written back to JSON, validates under the same rules
    /// (the size cap aside) to the same request; its record keeps the rules.
    #[test]
    fn any_rule_set_that_builds_keeps_the_fixpoint(
        k in knobs(),
        entries in gen::valid_entries(),
        unknown_os in prop::option::of(select(vec![
            "Windows Server 2031 64bit", "Rocky Linux 9 aarch64", "ubuntu 14.04 server 64bit", "Zeta",
        ])),
        emoji in any::<bool>(),
        style in gen::style(),
    ) {
        let rules = k.builder().build().map_err(|e| TestCaseError::fail(e.to_string()))?;
        let mut from_file = Rules::from_json(k.json().to_string().as_bytes()).unwrap();
        if k.small_catalog {
            from_file = from_file.to_builder().catalog(rules.catalog().clone()).build().unwrap();
        }
        prop_assert_eq!(&from_file, &rules);
        let doc = fit(&entries, &rules, unknown_os, emoji);
        let body = gen::render_capped(&doc, style);
        let first = match validate(body.as_bytes(), &rules) {
            Ok(v) => v,
            Err(r) => return Err(TestCaseError::fail(format!("rejected: {r}\n{body:.400}\n{k:?}"))),
        };
        let rebuilt = serde_json::to_vec(&first.request).unwrap();
        let uncapped = rules.to_builder().max_body_bytes(usize::MAX).build().unwrap();
        let again = validate(&rebuilt, &uncapped)
            .map_err(|r| TestCaseError::fail(format!("rebuilt body rejected: {r}")))?;
        prop_assert_eq!(&again.request, &first.request);
        let req = &first.request;
        prop_assert!(rules.min_disk_range(req.os_version().os_type()).contains(&req.min_disk()));
        prop_assert!(rules.disk_formats().contains(&req.disk_format()));
        prop_assert!(req.tags().len() <= rules.max_tags());
    }

    /// A rule set with one knob that makes no sense is refused, by builder and by file,
    /// naming that knob.
    #[test]
    fn a_broken_rule_set_is_refused_naming_the_knob(k in knobs(), which in 0usize..8) {
        let (b, j, knob) = broken(&k, which);
        let e = b.build().expect_err("accepted");
        prop_assert_eq!(e.knob(), Some(knob), "{}", e);
        let e = Rules::from_json(j.to_string().as_bytes()).expect_err("accepted from JSON");
        prop_assert_eq!(e.knob(), Some(knob), "{}", e);
    }
}
