//! One test (or more) per rule, default and derived field of SPEC.md, with boundaries
//! on both sides and the exact messages of the main errors.

mod common;

use ims_image_meta::{
    catalog::OsVersion,
    validate,
    values::{DiskFormat, FirmwareType, NameCharset, OsBit, OsType, Platform},
    warning::Warning,
    Catalog, Code, Report, Rules, Validated,
};
use serde_json::{json, Value};

/// A builder from the default profile.
fn b() -> ims_image_meta::RulesBuilder {
    Rules::builder(ims_image_meta::Profile::Ims2022)
}

#[track_caller]
fn ok_with(body: &str, rules: &Rules) -> Validated<'static> {
    validate(body.as_bytes(), rules)
        .unwrap_or_else(|r| panic!("{body:.200}: {r}"))
        .into_owned()
}

#[track_caller]
fn ok(body: &str) -> Validated<'static> {
    ok_with(body, &Rules::default())
}

#[track_caller]
fn record(body: &str) -> Value {
    serde_json::to_value(ok(body).request.into_record(&common::context())).unwrap()
}

#[track_caller]
fn err_bytes_with(body: &[u8], rules: &Rules) -> Report {
    match validate(body, rules) {
        Ok(v) => panic!("{:.200} accepted: {v:?}", String::from_utf8_lossy(body)),
        Err(r) => r,
    }
}

#[track_caller]
fn err(body: &str) -> Report {
    err_bytes_with(body.as_bytes(), &Rules::default())
}

/// The (pointer, code) pairs of a rejection, in report order.
fn pairs(r: &Report) -> Vec<(String, &'static str)> {
    r.violations()
        .iter()
        .map(|v| (v.pointer().to_owned(), v.code().as_str()))
        .collect()
}

#[track_caller]
fn only(body: &str, pointer: &str, code: &str) -> Report {
    let r = err(body);
    assert_eq!(pairs(&r), [(pointer.to_owned(), code)], "{body:.200}");
    r
}

#[track_caller]
fn only_with(body: &str, rules: &Rules, pointer: &str, code: &str) -> Report {
    let r = err_bytes_with(body.as_bytes(), rules);
    assert_eq!(pairs(&r), [(pointer.to_owned(), code)], "{body:.200}");
    r
}

#[track_caller]
fn message(r: &Report) -> &str {
    r.violations()[0].message()
}

// ---- 1. Input -------------------------------------------------------------------

/// A valid body of exactly `len` bytes (two custom properties of padding).
fn body_of_len(len: usize) -> String {
    let head = r#"{"name":"big","p1":""#;
    let mid = r#"","p2":""#;
    let tail = r#""}"#;
    let pad = len - head.len() - mid.len() - tail.len();
    let a = pad / 2;
    format!("{head}{}{mid}{}{tail}", "x".repeat(a), "y".repeat(pad - a))
}

#[test]
fn the_largest_body_under_the_cap_passes_and_one_byte_more_is_413() {
    let cap = ims_image_meta::Rules::default().max_body_bytes();
    let at = body_of_len(cap);
    assert_eq!(at.len(), cap);
    ok(&at);
    let over = body_of_len(cap + 1);
    let r = only(&over, "", "body_too_large");
    assert_eq!(r.status(), 413);
    assert_eq!(
        message(&r),
        "Request is too large: 114689 bytes, at most 114688 allowed."
    );
    // Nothing is parsed past the cap, not even the syntax.
    let mut junk = vec![b'{'; cap + 1];
    junk[0] = b'x';
    let r = err_bytes_with(&junk, &Rules::default());
    assert_eq!(pairs(&r), [(String::new(), "body_too_large")]);
    // The cap is a knob.
    let rules = b().max_body_bytes(10).build().unwrap();
    only_with(r#"{"name":"abcdef"}"#, &rules, "", "body_too_large");
}

#[test]
fn empty_and_whitespace_bodies() {
    for body in ["", " ", "\n\t\r "] {
        let r = only(body, "", "empty_body");
        assert_eq!(message(&r), "Body expected in request.");
        assert_eq!(r.violations()[0].ims_code(), Some("IMG.0007"));
        assert_eq!(r.status(), 400);
    }
}

#[test]
fn malformed_json_names_line_and_column() {
    let r = only("{", "", "malformed_json");
    assert_eq!(
        message(&r),
        "Malformed JSON in request body: EOF while parsing an object at line 1 column 1."
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0001"));
    let r = only("{\n  \"name\": @\n}", "", "malformed_json");
    assert_eq!(
        message(&r),
        "Malformed JSON in request body: expected value at line 2 column 11."
    );
    for body in [
        "{} x",
        "{}{}",
        r#"{"a":1,}"#,
        r#"{"a" 1}"#,
        r#"{'a':1}"#,
        r#"{"a":"\ud800"}"#,
        r#"{"a":"\udc00x"}"#,
        r#"{"\ud800":"x"}"#,
        r#"{"a":[1,2}"#,
        r#"{"a":"tab	in string"}"#,
        r#"{"min_ram": 1e400}"#,
        r#"{"a": NaN}"#,
    ] {
        only(body, "", "malformed_json");
    }
}

#[test]
fn invalid_utf8_is_malformed_anywhere() {
    for body in [
        &b"{\"name\":\"\xff\"}"[..],
        &b"{\"\xc3\":\"x\"}"[..],
        &b"{\"p\":[\"ok\",\"\xed\xa0\x80\"]}"[..],
        &b"{\"status\":\"\xfe\"}"[..],
        &b"\xef\xbb\xbf{}"[..],
    ] {
        let r = err_bytes_with(body, &Rules::default());
        assert_eq!(pairs(&r), [(String::new(), "malformed_json")], "{body:?}");
    }
}

#[test]
fn nesting_up_to_the_parser_limit_is_read_and_deeper_is_malformed() {
    // The body object is level 1; 126 more arrays inside it reach serde_json's 127.
    let deep = |n: usize| format!(r#"{{"p":{}{}}}"#, "[".repeat(n), "]".repeat(n));
    only(&deep(126), "/p", "wrong_type");
    only(&deep(127), "", "malformed_json");
    only(&deep(5000), "", "malformed_json");
    // Inside a top-level array too, and in read-only and duplicate values.
    let arr = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
    only(&arr(127), "", "not_an_object");
    only(&arr(128), "", "malformed_json");
    only(
        &format!(r#"{{"status":{}{}}}"#, "[".repeat(127), "]".repeat(127)),
        "",
        "malformed_json",
    );
}

#[test]
fn deep_nesting_does_not_overflow_a_small_stack() {
    // A thread with 256 KiB of stack still gets a verdict on the deepest legal body.
    let h = std::thread::Builder::new()
        .stack_size(256 * 1024)
        .spawn(|| {
            let body = format!(r#"{{"p":{}1{}}}"#, "{\"a\":".repeat(126), "}".repeat(126));
            validate(body.as_bytes(), &Rules::default())
                .map(|_| ())
                .map_err(|r| pairs(&r))
        })
        .unwrap();
    assert_eq!(
        h.join().unwrap(),
        Err(vec![("/p".to_owned(), "wrong_type")])
    );
}

#[test]
fn top_level_must_be_an_object() {
    for (body, kind) in [
        ("[]", "an array"),
        ("\"hello\"", "a string"),
        ("1", "a number"),
        ("-1.5", "a number"),
        ("true", "a boolean"),
        ("null", "null"),
        ("[{\"a\":1,\"a\":2}]", "an array"),
    ] {
        let r = only(body, "", "not_an_object");
        assert_eq!(
            message(&r),
            format!("Request body must be a JSON object, found {kind}.")
        );
    }
    only("[1,", "", "malformed_json");
}

#[test]
fn duplicate_keys_at_any_depth() {
    let r = only(r#"{"name":"a","name":"b"}"#, "/name", "duplicate_key");
    assert_eq!(message(&r), "Duplicate key 'name' in a JSON object.");
    // Escapes are decoded before comparing.
    only(r#"{"abc":"1","a\u0062c":"2"}"#, "/abc", "duplicate_key");
    // Three times is still one violation.
    only(r#"{"x":"1","x":"2","x":"3"}"#, "/x", "duplicate_key");
    only(
        r#"{"tags":[],"tags":[],"tags":[]}"#,
        "/tags",
        "duplicate_key",
    );
    // Inside values no rule looks into.
    let r = err(r#"{"p":{"x":1,"x":2}}"#);
    assert_eq!(
        pairs(&r),
        [
            ("/p/x".into(), "duplicate_key"),
            ("/p".into(), "wrong_type")
        ]
    );
    // Under a repeated key nothing more is judged, repeated keys inside included.
    let r = err(r#"{"tags":["a",{"k":[{"z":0,"z":1}],"k":2}]}"#);
    assert_eq!(
        pairs(&r),
        [
            ("/tags/1/k".into(), "duplicate_key"),
            ("/tags/1".into(), "wrong_type")
        ]
    );
    let r = err(r#"{"s":{"b":0,"b":0},"s":{"b":0,"b":0}}"#);
    assert_eq!(pairs(&r), [("/s".into(), "duplicate_key")]);
    let r = err(r#"{"status":{"a":1,"a":1}}"#);
    assert_eq!(
        pairs(&r),
        [
            ("/status".into(), "read_only"),
            ("/status/a".into(), "duplicate_key")
        ]
    );
    assert_eq!(r.status(), 403);
    // Keys needing escapes in the pointer.
    let r = err(r#"{"p":{"a/b":1,"a/b":2}}"#);
    assert_eq!(pairs(&r)[0], ("/p/a~1b".into(), "duplicate_key"));
    // Many keys (hashed set) still catch the repeat.
    let mut body = String::from("{\"p\":{");
    for i in 0..1000 {
        body.push_str(&format!("\"k{i}\":0,"));
    }
    body.push_str("\"k500\":1}}");
    let r = err(&body);
    assert_eq!(
        pairs(&r),
        [
            ("/p/k500".into(), "duplicate_key"),
            ("/p".into(), "wrong_type")
        ]
    );
}

#[test]
fn a_repeated_key_is_the_only_violation_at_its_place() {
    // Which occurrence counts is unknowable, so neither value is judged.
    only(r#"{"name":"","name":5}"#, "/name", "duplicate_key");
    only(r#"{"tags":[1],"tags":[2]}"#, "/tags", "duplicate_key");
    only(r#"{"status":"a","status":"b"}"#, "/status", "duplicate_key");
    only(r#"{"p":1,"p":"x"}"#, "/p", "duplicate_key");
    // Other places are still reported.
    let r = err(r#"{"name":"a","name":"b","min_disk":1}"#);
    assert_eq!(
        pairs(&r),
        [
            ("/name".into(), "duplicate_key"),
            ("/min_disk".into(), "out_of_range")
        ]
    );
}

// ---- 2. Documented fields -------------------------------------------------------

#[test]
fn empty_object_takes_every_default_with_two_warnings() {
    let v = ok("{}");
    assert_eq!(
        v.warnings,
        [Warning::NameDefaulted, Warning::OsVersionDefaulted]
    );
    let r = &v.request;
    assert_eq!(r.name(), None);
    assert_eq!(r.os_version().version(), "Other Linux(64 bit)");
    assert_eq!(r.visibility(), "private");
    assert!(!r.protected());
    assert_eq!(r.container_format(), "bare");
    assert_eq!(r.disk_format(), DiskFormat::Vhd);
    assert!(r.tags().is_empty());
    assert_eq!(r.min_ram(), 0);
    assert_eq!(r.min_disk(), 40);
    assert_eq!(r.id(), None);
    assert!(r.properties().is_empty());
    assert_eq!(
        Warning::NameDefaulted.message(),
        "No name given: the image's name is empty, and creating a server from it will fail."
    );
}

#[test]
fn os_version_must_be_in_the_catalog_exactly() {
    let v = ok(r#"{"__os_version":"CentOS 7.3 64bit","name":"n"}"#);
    assert!(v.warnings.is_empty());
    let os = v.request.os_version();
    assert_eq!(
        (os.os_type(), os.platform(), os.bit()),
        (OsType::Linux, &Platform::CentOs, OsBit::Bit64)
    );
    let r = only(
        r#"{"__os_version":"Red Hat Linux Enterprise 8.0 64bit"}"#,
        "/__os_version",
        "unknown_os_version",
    );
    assert!(
        message(&r).starts_with(
            "Unknown __os_version 'Red Hat Linux Enterprise 8.0 64bit'. Did you mean \
             'Redhat Linux Enterprise 8.0 64bit'"
        ),
        "{}",
        message(&r)
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0122"));
    only(
        r#"{"__os_version":"centos 7.3 64bit"}"#,
        "/__os_version",
        "unknown_os_version",
    );
    let r = only(
        r#"{"__os_version":"qqqqqqqqqqqqqqqqqqqq"}"#,
        "/__os_version",
        "unknown_os_version",
    );
    assert_eq!(
        message(&r),
        "Unknown __os_version 'qqqqqqqqqqqqqqqqqqqq'. It must be one of the catalog's values \
         (exact, case-sensitive)."
    );
    // A long misspelling is matched whole, though the message shows an excerpt.
    let padded = format!("Ubuntu 14.04 server{}64bit", " ".repeat(60));
    let r = only(
        &json!({ "__os_version": padded }).to_string(),
        "/__os_version",
        "unknown_os_version",
    );
    assert!(
        message(&r).contains("…'. Did you mean 'Ubuntu 14.04 server 64bit'"),
        "{}",
        message(&r)
    );
    only(r#"{"__os_version":null}"#, "/__os_version", "wrong_type");
    only(r#"{"__os_version":64}"#, "/__os_version", "wrong_type");
    // Given explicitly, the default spelling warns of nothing.
    let v = ok(r#"{"__os_version":"Other Linux(64 bit)","name":"n"}"#);
    assert!(v.warnings.is_empty());
}

#[test]
fn visibility_only_private() {
    ok(r#"{"visibility":"private"}"#);
    let r = only(r#"{"visibility":"public"}"#, "/visibility", "not_allowed");
    assert_eq!(
        message(&r),
        "Attribute 'visibility' must be 'private' on create, got 'public'."
    );
    only(r#"{"visibility":"Private"}"#, "/visibility", "not_allowed");
    only(r#"{"visibility":null}"#, "/visibility", "wrong_type");
}

#[test]
fn name_length_counts_chars_ascii_and_cjk() {
    for (c, bytes) in [("x", 1), ("镜", 3)] {
        let at = format!(r#"{{"name":"{}"}}"#, c.repeat(255));
        assert_eq!(ok(&at).request.name().unwrap().len(), 255 * bytes);
        let over = format!(r#"{{"name":"{}"}}"#, c.repeat(256));
        let r = only(&over, "/name", "too_long");
        assert_eq!(
            message(&r),
            "Attribute 'name' is too long: 256 characters, at most 255 allowed."
        );
        assert_eq!(r.violations()[0].ims_code(), Some("IMG.0002"));
    }
    ok(r#"{"name":"a"}"#);
    let r = only(r#"{"name":""}"#, "/name", "too_short");
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0003"));
    // The attributes page's 128: a knob.
    let rules = b().name_max_chars(128).build().unwrap();
    ok_with(&format!(r#"{{"name":"{}"}}"#, "镜".repeat(128)), &rules);
    only_with(
        &format!(r#"{{"name":"{}"}}"#, "镜".repeat(129)),
        &rules,
        "/name",
        "too_long",
    );
}

#[test]
fn name_charset_and_spaces() {
    ok(r#"{"name":"镜像-test_1.0 a"}"#);
    ok(r#"{"name":"一\u9fff"}"#);
    let r = only(r#"{"name":" lead"}"#, "/name", "bad_format");
    assert_eq!(
        message(&r),
        "Attribute 'name' may not start or end with a space."
    );
    only(r#"{"name":"trail "}"#, "/name", "bad_format");
    only(r#"{"name":" "}"#, "/name", "bad_format");
    let r = only(r#"{"name":"a/b"}"#, "/name", "bad_format");
    assert_eq!(
        message(&r),
        "Attribute 'name' may not contain '/' (U+002F): only letters, digits, '-', '.', '_', \
         spaces and CJK ideographs are allowed."
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0003"));
    for bad in ["é", "\t", "a\nb", "(x)", "\u{3000}", "\u{A000}", "\u{4DFF}"] {
        let body = json!({ "name": bad }).to_string();
        only(&body, "/name", "bad_format");
    }
    // Any text, as Glance allows: the spaces rule still holds.
    let rules = b().name_charset(NameCharset::Any).build().unwrap();
    ok_with(r#"{"name":"a/b (é)"}"#, &rules);
    only_with(r#"{"name":" a"}"#, &rules, "/name", "bad_format");
    only_with(r#"{"name":""}"#, &rules, "/name", "too_short");
}

#[test]
fn null_name_is_absent_and_warns() {
    let v = ok(r#"{"name":null,"__os_version":"CentOS 7.3 64bit"}"#);
    assert_eq!(v.request.name(), None);
    assert_eq!(v.warnings, [Warning::NameDefaulted]);
    only(r#"{"name":5}"#, "/name", "wrong_type");
    only(r#"{"name":["a"]}"#, "/name", "wrong_type");
}

#[test]
fn protected_is_a_json_boolean() {
    assert!(ok(r#"{"protected":true}"#).request.protected());
    assert!(!ok(r#"{"protected":false}"#).request.protected());
    let r = only(r#"{"protected":"false"}"#, "/protected", "wrong_type");
    assert_eq!(
        message(&r),
        "Attribute 'protected' must be a boolean, found a string. Send false, not \"false\"."
    );
    let hint = &r.violations()[0].params()["hint"];
    assert_eq!(hint, "send false, not \"false\"");
    // No hint for what does not spell a boolean, nor where input is not quoted.
    let r = only(r#"{"protected":"no"}"#, "/protected", "wrong_type");
    assert_eq!(r.violations()[0].params().get("hint"), None);
    let quiet = Rules::builder(ims_image_meta::Profile::Ims2022)
        .quote_input(false)
        .build()
        .unwrap();
    let r = validate(br#"{"protected":"true","min_ram":"50"}"#, &quiet).unwrap_err();
    assert!(r
        .violations()
        .iter()
        .all(|v| v.params().get("hint").is_none()));
    only(r#"{"protected":0}"#, "/protected", "wrong_type");
    only(r#"{"protected":null}"#, "/protected", "wrong_type");
}

#[test]
fn container_format_bare_or_absent() {
    ok(r#"{"container_format":"bare"}"#);
    ok(r#"{"container_format":null}"#);
    let r = only(
        r#"{"container_format":"ovf"}"#,
        "/container_format",
        "not_allowed",
    );
    assert_eq!(
        message(&r),
        "Attribute 'container_format' must be 'bare', got 'ovf'."
    );
    only(
        r#"{"container_format":1}"#,
        "/container_format",
        "wrong_type",
    );
}

#[test]
fn disk_format_set_default_and_knobs() {
    for f in ["vhd", "zvhd", "zvhd2", "raw", "qcow2"] {
        let v = ok(&format!(r#"{{"disk_format":"{f}"}}"#));
        assert_eq!(v.request.disk_format().as_str(), f);
    }
    assert_eq!(
        ok(r#"{"disk_format":null}"#).request.disk_format(),
        DiskFormat::Vhd
    );
    let r = only(r#"{"disk_format":"vmdk"}"#, "/disk_format", "not_allowed");
    assert_eq!(
        message(&r),
        "Attribute 'disk_format' must be one of 'vhd', 'zvhd', 'zvhd2', 'raw', 'qcow2', got 'vmdk'."
    );
    only(r#"{"disk_format":"VHD"}"#, "/disk_format", "not_allowed");
    let rules = b()
        .disk_formats([DiskFormat::Zvhd2, DiskFormat::Qcow2])
        .default_disk_format(DiskFormat::Zvhd2)
        .build()
        .unwrap();
    assert_eq!(
        ok_with("{}", &rules).request.disk_format(),
        DiskFormat::Zvhd2
    );
    only_with(
        r#"{"disk_format":"vhd"}"#,
        &rules,
        "/disk_format",
        "not_allowed",
    );
}

#[test]
fn tags_bounds_quota_and_dedup() {
    let v = ok(r#"{"tags":["b","a","b","c","a"]}"#);
    assert_eq!(v.request.tags(), ["b", "a", "c"]);
    for c in ["t", "标"] {
        ok(&json!({ "tags": [c.repeat(255)] }).to_string());
        let r = only(
            &json!({ "tags": ["ok", c.repeat(256)] }).to_string(),
            "/tags/1",
            "too_long",
        );
        assert_eq!(
            message(&r),
            "Tag 1 is too long: 256 characters, at most 255 allowed."
        );
        assert_eq!(r.violations()[0].ims_code(), Some("IMG.0115"));
    }
    let r = only(r#"{"tags":[""]}"#, "/tags/0", "too_short");
    assert_eq!(message(&r), "Tag 0 must have at least 1 character.");
    let r = only(r#"{"tags":["ok",5]}"#, "/tags/1", "wrong_type");
    assert_eq!(message(&r), "Tag 1 must be a string, found an integer.");
    only(r#"{"tags":[null]}"#, "/tags/0", "wrong_type");
    only(r#"{"tags":"a"}"#, "/tags", "wrong_type");
    only(r#"{"tags":null}"#, "/tags", "wrong_type");
    only(r#"{"tags":{"a":"b"}}"#, "/tags", "wrong_type");
    // 128 tags pass, 129 are 413 (counted before de-duplication).
    let tags = |n: usize| (0..n).map(|i| format!("t{i}")).collect::<Vec<_>>();
    assert_eq!(
        ok(&json!({ "tags": tags(128) }).to_string())
            .request
            .tags()
            .len(),
        128
    );
    let r = only(
        &json!({ "tags": tags(129) }).to_string(),
        "/tags",
        "too_many",
    );
    assert_eq!(r.status(), 413);
    assert_eq!(
        message(&r),
        "The limit has been exceeded on the number of allowed image tags. Attempted: 129, Maximum: 128"
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0116"));
    only(
        &json!({ "tags": vec!["same"; 129] }).to_string(),
        "/tags",
        "too_many",
    );
    // Each bad tag is still reported beside the quota.
    let mut many = tags(130);
    many[129] = String::new();
    let r = err(&json!({ "tags": many }).to_string());
    assert_eq!(
        pairs(&r),
        [
            ("/tags/129".into(), "too_short"),
            ("/tags".into(), "too_many")
        ]
    );
    let rules = b().max_tags(2).build().unwrap();
    only_with(r#"{"tags":["a","b","c"]}"#, &rules, "/tags", "too_many");
    // Many distinct tags de-duplicate in bounded time when the quota is raised.
    let rules = b().max_tags(100_000).build().unwrap();
    let mut big = tags(5000);
    big.extend(tags(5000));
    assert_eq!(
        ok_with(&json!({ "tags": big }).to_string(), &rules)
            .request
            .tags()
            .len(),
        5000
    );
}

#[test]
fn min_ram_bounds_and_integer_type() {
    assert_eq!(ok(r#"{"min_ram":0}"#).request.min_ram(), 0);
    assert_eq!(
        ok(r#"{"min_ram":2147483647}"#).request.min_ram(),
        2_147_483_647
    );
    let r = only(r#"{"min_ram":-1}"#, "/min_ram", "out_of_range");
    assert_eq!(
        message(&r),
        "Attribute 'min_ram' must be an integer from 0 to 2147483647, got -1."
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0055"));
    let r = only(r#"{"min_ram":2147483648}"#, "/min_ram", "out_of_range");
    assert_eq!(
        message(&r),
        "Attribute 'min_ram' must be an integer from 0 to 2147483647, got 2147483648."
    );
    only(
        r#"{"min_ram":18446744073709551615}"#,
        "/min_ram",
        "out_of_range",
    );
    only(
        r#"{"min_ram":18446744073709551616}"#,
        "/min_ram",
        "out_of_range",
    );
    only(
        r#"{"min_ram":-9223372036854775809}"#,
        "/min_ram",
        "out_of_range",
    );
    only(
        r#"{"min_ram":100000000000000000000000000000}"#,
        "/min_ram",
        "out_of_range",
    );
    let r = only(r#"{"min_ram":1024.0}"#, "/min_ram", "wrong_type");
    assert_eq!(
        message(&r),
        "Attribute 'min_ram' must be an integer, found a number with a fraction or an exponent."
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0055"));
    for body in [
        r#"{"min_ram":1e3}"#,
        r#"{"min_ram":0.5}"#,
        r#"{"min_ram":"1024"}"#,
        r#"{"min_ram":true}"#,
        r#"{"min_ram":null}"#,
        r#"{"min_ram":[1]}"#,
    ] {
        only(body, "/min_ram", "wrong_type");
    }
}

#[test]
fn min_ram_max_is_a_knob_read_by_the_check_and_the_schema() {
    let rules = b().min_ram_max(1024).build().unwrap();
    assert_eq!(
        ok_with(r#"{"min_ram":1024}"#, &rules).request.min_ram(),
        1024
    );
    let r = only_with(r#"{"min_ram":1025}"#, &rules, "/min_ram", "out_of_range");
    assert_eq!(
        message(&r),
        "Attribute 'min_ram' must be an integer from 0 to 1024, got 1025."
    );
    let schema = ims_image_meta::schema::request_schema(&rules);
    assert_eq!(schema["properties"]["min_ram"]["maximum"], 1024);
    let loose = ims_image_meta::schema::request_schema(&Rules::default());
    assert_eq!(loose["properties"]["min_ram"]["maximum"], 2_147_483_647);
    // The record's bound is the column's, whatever the rules.
    let record = ims_image_meta::schema::record_schema();
    assert_eq!(record["properties"]["min_ram"]["maximum"], 2_147_483_647);
    // Above the column's bound, the knob is refused.
    let err = b().min_ram_max(Rules::MIN_RAM_MAX + 1).build().unwrap_err();
    assert_eq!(
        err.to_string(),
        "rules: min_ram_max: must be at most 2147483647"
    );
    assert_eq!(Rules::default().min_ram_max(), Rules::MIN_RAM_MAX);
}

#[test]
fn min_disk_range_default_and_knob() {
    ok(r#"{"min_disk":40}"#);
    ok(r#"{"min_disk":1024}"#);
    let r = only(r#"{"min_disk":39}"#, "/min_disk", "out_of_range");
    assert_eq!(
        message(&r),
        "Attribute 'min_disk' must be an integer from 40 to 1024, got 39."
    );
    only(r#"{"min_disk":1025}"#, "/min_disk", "out_of_range");
    only(r#"{"min_disk":0}"#, "/min_disk", "out_of_range");
    only(r#"{"min_disk":40.0}"#, "/min_disk", "wrong_type");
    only(r#"{"min_disk":null}"#, "/min_disk", "wrong_type");
    assert_eq!(ok("{}").request.min_disk(), 40);
    let rules = b().min_disk(1..=1024).build().unwrap();
    assert_eq!(ok_with("{}", &rules).request.min_disk(), 1);
    ok_with(r#"{"min_disk":1}"#, &rules);
    only_with(r#"{"min_disk":0}"#, &rules, "/min_disk", "out_of_range");
}

#[test]
fn id_is_a_uuid_in_any_case() {
    let v = ok(r#"{"id":"4CA46BF1-5c61-48ff-b4f3-0ad4e5e3ba86"}"#);
    assert_eq!(v.request.id(), Some("4CA46BF1-5c61-48ff-b4f3-0ad4e5e3ba86"));
    let r = only(r#"{"id":"not-a-uuid"}"#, "/id", "bad_format");
    assert_eq!(
        message(&r),
        "Attribute 'id' must be a UUID (8-4-4-4-12 hex digits), got 'not-a-uuid'."
    );
    only(
        r#"{"id":"4ca46bf15c6148ffb4f30ad4e5e3ba86"}"#,
        "/id",
        "bad_format",
    );
    only(
        r#"{"id":"{4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86}"}"#,
        "/id",
        "bad_format",
    );
    only(r#"{"id":null}"#, "/id", "wrong_type");
    only(r#"{"id":1}"#, "/id", "wrong_type");
}

// ---- 3. Other keys --------------------------------------------------------------

#[test]
fn every_read_only_key_is_403_and_its_value_unchecked() {
    for key in ims_image_meta::keys::READ_ONLY {
        let body = json!({ *key: "😀\u{0}" }).to_string();
        let r = only(&body, &format!("/{key}"), "read_only");
        assert_eq!(r.status(), 403);
        assert_eq!(message(&r), format!("Attribute '{key}' is read-only."));
    }
    assert_eq!(ims_image_meta::keys::READ_ONLY.len(), 35);
}

#[test]
fn reserved_keys_and_prefix_are_403() {
    for key in [
        "location",
        "deleted",
        "deleted_at",
        "os_glance",
        "os_glance_foo",
        "os_glance😀",
    ] {
        let body = json!({ key: 1 }).to_string();
        let r = only(&body, &format!("/{key}"), "reserved");
        assert_eq!(r.status(), 403);
        assert_eq!(message(&r), format!("Attribute '{key}' is reserved."));
    }
    // Not reserved: a near miss is a custom property.
    ok(r#"{"os_glancE":"x","xos_glance":"y","locations_x":"z"}"#);
}

#[test]
fn known_extension_properties() {
    let rec = record(
        r#"{"__description":"a & b","hw_firmware_type":"uefi","os_hidden":true,"name":"n"}"#,
    );
    assert_eq!(rec["__description"], "a & b");
    assert_eq!(rec["hw_firmware_type"], "uefi");
    assert_eq!(rec["os_hidden"], true);
    let v = ok(r#"{"hw_firmware_type":"bios"}"#);
    assert_eq!(v.request.firmware_type(), Some(FirmwareType::Bios));
    let r = only(
        r#"{"hw_firmware_type":"efi"}"#,
        "/hw_firmware_type",
        "not_allowed",
    );
    assert_eq!(
        message(&r),
        "Attribute 'hw_firmware_type' must be one of 'bios', 'uefi', got 'efi'."
    );
    only(r#"{"os_hidden":"true"}"#, "/os_hidden", "wrong_type");
    only(r#"{"__description":null}"#, "/__description", "wrong_type");
    ok(&json!({ "__description": "d".repeat(1024) }).to_string());
    ok(&json!({ "__description": "镜".repeat(1024) }).to_string());
    only(
        &json!({ "__description": "镜".repeat(1025) }).to_string(),
        "/__description",
        "too_long",
    );
    for bad in ["<b>", "a>b", "line\rreturn"] {
        let r = only(
            &json!({ "__description": bad }).to_string(),
            "/__description",
            "bad_format",
        );
        assert_eq!(
            message(&r),
            "Attribute '__description' may not contain a carriage return, '<' or '>'."
        );
    }
    ok(r#"{"__description":"line\nfeed is fine"}"#);
    // Absent extension properties are absent from the record.
    let rec = record("{}");
    assert!(rec.get("__description").is_none() && rec.get("os_hidden").is_none());
}

#[test]
fn custom_properties_keys_values_and_quota() {
    let v = ok(r#"{"b":"2","a":"","c":"3"}"#);
    assert_eq!(
        v.request.properties(),
        [
            ("b".into(), "2".into()),
            ("a".into(), "".into()),
            ("c".into(), "3".into())
        ]
    );
    assert_eq!(v.request.property("a"), Some(""));
    only(r#"{"aaaa":1}"#, "/aaaa", "wrong_type");
    only(r#"{"aaaa":null}"#, "/aaaa", "wrong_type");
    // Key bounds, in chars.
    for c in ["k", "键"] {
        ok(&json!({ c.repeat(255): "v" }).to_string());
        let key = c.repeat(256);
        only(
            &json!({ key.clone(): "v" }).to_string(),
            &format!("/{key}"),
            "too_long",
        );
    }
    let r = only(r#"{"":"v"}"#, "/", "too_short");
    assert_eq!(message(&r), "Property key must have at least 1 character.");
    // A key's problem hides its value's: one violation per place.
    only(
        &json!({ "k".repeat(256): 5 }).to_string(),
        &format!("/{}", "k".repeat(256)),
        "too_long",
    );
    // Value bound, in bytes.
    ok(&json!({ "p": "x".repeat(65_535) }).to_string());
    let r = only(
        &json!({ "p": "x".repeat(65_536) }).to_string(),
        "/p",
        "too_long",
    );
    assert_eq!(
        message(&r),
        "Property 'p' is too long: 65536 bytes, at most 65535 allowed."
    );
    only(
        &json!({ "p": "é".repeat(32_768) }).to_string(),
        "/p",
        "too_long",
    );
    let rules = b().property_value_max_bytes(3).build().unwrap();
    ok_with(r#"{"p":"abc"}"#, &rules);
    only_with(r#"{"p":"abcd"}"#, &rules, "/p", "too_long");
    // Quota: 128 pass, 129 are 413 at the body.
    let props = |n: usize| {
        let m: serde_json::Map<String, Value> =
            (0..n).map(|i| (format!("p{i}"), json!("v"))).collect();
        Value::Object(m).to_string()
    };
    assert_eq!(ok(&props(128)).request.properties().len(), 128);
    let r = only(&props(129), "", "too_many");
    assert_eq!(r.status(), 413);
    assert_eq!(
        message(&r),
        "The limit has been exceeded on the number of allowed image properties. Attempted: 129, Maximum: 128"
    );
    // Documented and extension keys do not count.
    let mut m: serde_json::Map<String, Value> =
        (0..128).map(|i| (format!("p{i}"), json!("v"))).collect();
    m.insert("name".into(), json!("n"));
    m.insert("__description".into(), json!("d"));
    ok(&Value::Object(m).to_string());
    let rules = b().max_properties(1).build().unwrap();
    only_with(r#"{"a":"1","b":"2"}"#, &rules, "", "too_many");
}

#[test]
fn pointer_escapes_slash_and_tilde() {
    only(r#"{"a/b~c":5}"#, "/a~1b~0c", "wrong_type");
    only(r#"{"~1":5}"#, "/~01", "wrong_type");
}

#[test]
fn four_byte_characters_and_nul_in_every_key_and_string() {
    let r = only(r#"{"note":"😀"}"#, "/note", "four_byte_unicode");
    assert_eq!(
        message(&r),
        "Attribute 'note' contains a 4-byte UTF-8 character (U+1F600), which is not supported."
    );
    // An escaped surrogate pair is the same character.
    only(r#"{"note":"\ud83d\ude00"}"#, "/note", "four_byte_unicode");
    let r = only(r#"{"note":"a\u0000b"}"#, "/note", "nul_character");
    assert_eq!(
        message(&r),
        "Attribute 'note' contains U+0000, which is not supported."
    );
    for (body, pointer) in [
        (r#"{"name":"a😀"}"#, "/name"),
        (r#"{"__os_version":"😀"}"#, "/__os_version"),
        (r#"{"visibility":"😀"}"#, "/visibility"),
        (r#"{"disk_format":"😀"}"#, "/disk_format"),
        (r#"{"container_format":"😀"}"#, "/container_format"),
        (r#"{"id":"😀"}"#, "/id"),
        (r#"{"__description":"😀"}"#, "/__description"),
        (r#"{"hw_firmware_type":"😀"}"#, "/hw_firmware_type"),
        (r#"{"tags":["ok","😀"]}"#, "/tags/1"),
        (r#"{"k😀":"v"}"#, "/k😀"),
        (r#"{"k😀":5}"#, "/k😀"),
    ] {
        only(body, pointer, "four_byte_unicode");
        let nul = body.replace('😀', "\\u0000");
        only(&nul, &pointer.replace('😀', "\0"), "nul_character");
    }
    let r = only(r#"{"tags":["😀"]}"#, "/tags/0", "four_byte_unicode");
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0115"));
    // NUL wins over a 4-byte character in the same string: one violation per place.
    only(r#"{"note":"😀\u0000"}"#, "/note", "nul_character");
    // Inside a wrong-typed value nothing is checked but the type.
    only(r#"{"note":["😀"]}"#, "/note", "wrong_type");
    // The knob lets 4-byte characters through (NUL never).
    let rules = b().allow_four_byte_unicode(true).build().unwrap();
    let v = ok_with(r#"{"note":"😀","tags":["😀"]}"#, &rules);
    assert_eq!(v.request.property("note"), Some("😀"));
    only_with(r#"{"name":"a😀"}"#, &rules, "/name", "bad_format");
    only_with(r#"{"note":"\u0000"}"#, &rules, "/note", "nul_character");
}

// ---- 4. Catalog -----------------------------------------------------------------

#[test]
fn a_server_catalog_replaces_the_builtin_one() {
    let catalog = Catalog::from_rows([OsVersion::new(
        "Kylin V10 64bit",
        OsType::Linux,
        Platform::NeoKylin,
        OsBit::Bit64,
    )])
    .unwrap();
    let rules = b().catalog(catalog).build().unwrap();
    let v = ok_with(r#"{"__os_version":"Kylin V10 64bit"}"#, &rules);
    assert_eq!(v.request.os_version().platform(), &Platform::NeoKylin);
    only_with(
        r#"{"__os_version":"Ubuntu 14.04 server 64bit"}"#,
        &rules,
        "/__os_version",
        "unknown_os_version",
    );
    // The default needs no catalog entry.
    assert_eq!(
        ok_with("{}", &rules).request.os_version().version(),
        "Other Linux(64 bit)"
    );
}

#[test]
fn every_builtin_catalog_value_is_accepted_and_derives_its_row() {
    let ctx = common::context();
    let csv = std::fs::read_to_string(common::root().join("data/os_versions.csv")).unwrap();
    let mut n = 0;
    for line in csv.lines().skip(1) {
        let cols: Vec<&str> = line.split(',').collect();
        let body = json!({ "__os_version": cols[0], "name": "n" }).to_string();
        let rec = serde_json::to_value(ok(&body).request.into_record(&ctx)).unwrap();
        assert_eq!(rec["__os_version"], cols[0]);
        assert_eq!(rec["__os_type"], cols[1], "{line}");
        assert_eq!(rec["__platform"], cols[2], "{line}");
        assert_eq!(rec["__os_bit"], cols[3], "{line}");
        n += 1;
    }
    assert_eq!(n, 199);
}

// ---- 5. Record ------------------------------------------------------------------

#[test]
fn record_fields() {
    let rec = record(r#"{"name":"n","tags":["x"],"protected":true,"min_ram":512,"k":"v"}"#);
    let want = json!({
        "id": common::CASE_ID,
        "name": "n",
        "status": "queued",
        "visibility": "private",
        "protected": true,
        "container_format": "bare",
        "disk_format": "vhd",
        "tags": ["x"],
        "min_ram": 512,
        "min_disk": 40,
        "created_at": "2016-06-02T07:49:48Z",
        "updated_at": "2016-06-02T07:49:48Z",
        "self": format!("/v2/images/{}", common::CASE_ID),
        "file": format!("/v2/images/{}/file", common::CASE_ID),
        "schema": "/v2/schemas/image",
        "owner": common::CASE_OWNER,
        "__os_version": "Other Linux(64 bit)",
        "__os_type": "Linux",
        "__platform": "Other",
        "__os_bit": "64",
        "__image_source_type": "uds",
        "__image_size": "0",
        "__isregistered": "true",
        "__imagetype": "private",
        "virtual_env_type": "FusionCompute",
        "k": "v",
    });
    assert_eq!(rec, want);
    let rec = record(r#"{"id":"00000000-0000-4000-8000-0000000000AB"}"#);
    assert_eq!(rec["id"], "00000000-0000-4000-8000-0000000000AB");
    assert_eq!(
        rec["file"],
        "/v2/images/00000000-0000-4000-8000-0000000000AB/file"
    );
    assert_eq!(rec["name"], "");
}

#[test]
fn derive_and_into_record_agree() {
    let v = ok(r#"{"name":"n","x":"y"}"#);
    let ctx = common::context();
    let a = v.request.derive(&ctx);
    let b = v.request.clone().into_record(&ctx);
    assert_eq!(a, b);
    assert_eq!(a.self_link(), format!("/v2/images/{}", common::CASE_ID));
}

// ---- 6. Reports -----------------------------------------------------------------

#[test]
fn every_violation_at_once_in_body_order() {
    let r = err(
        r#"{"name":" x","visibility":"public","min_disk":5,"tags":[1,""],"a":2,"status":"x","os_glance_a":1}"#,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/name".into(), "bad_format"),
            ("/visibility".into(), "not_allowed"),
            ("/min_disk".into(), "out_of_range"),
            ("/tags/0".into(), "wrong_type"),
            ("/tags/1".into(), "too_short"),
            ("/a".into(), "wrong_type"),
            ("/status".into(), "read_only"),
            ("/os_glance_a".into(), "reserved"),
        ]
    );
    assert_eq!(r.status(), 403);
    let r = err(&json!({"tags": vec!["t"; 129], "min_ram": -1}).to_string());
    assert_eq!(r.status(), 413);
}

#[test]
fn ims_rendering_of_a_report() {
    let r = err(r#"{"min_disk":1,"status":"x"}"#);
    assert_eq!(
        serde_json::to_value(r.ims_error()).unwrap(),
        json!({"error": {
            "code": "IMG.0055",
            "message": "Attribute 'min_disk' must be an integer from 40 to 1024, got 1. Attribute 'status' is read-only."
        }})
    );
    // Messages join as sentences: Glance's quota wording, which has no full stop,
    // gets one; none is doubled and no ".;" appears.
    let r = err(&json!({"tags": vec!["t"; 129], "min_ram": -1}).to_string());
    let message = r.ims_error().message();
    assert_eq!(
        message,
        "Attribute 'min_ram' must be an integer from 0 to 2147483647, got -1. The limit \
         has been exceeded on the number of allowed image tags. Attempted: 129, Maximum: 128."
    );
    assert_eq!(r.ims_error().to_string(), format!("IMG.0055: {message}"));
    let r = err("{");
    assert_eq!(r.ims_error().code(), "IMG.0001");
    let r = err(r#"{"status":"x"}"#);
    assert_eq!(r.ims_error().code(), "IMG.0001");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(
        json,
        json!({"status": 403, "violations": [{
            "pointer": "/status", "code": "read_only",
            "message": "Attribute 'status' is read-only.", "ims_code": null,
            "params": {"key": "status"}
        }]})
    );
}

#[test]
fn every_code_has_its_documented_status() {
    for c in Code::ALL {
        let want = match c.as_str() {
            "read_only" | "reserved" | "not_updatable" => 403,
            "body_too_large" | "too_many" => 413,
            "conflict" => 409,
            "not_found" => 404,
            "unsupported_media_type" => 415,
            _ => 400,
        };
        assert_eq!(c.status(), want, "{c}");
    }
}

#[test]
fn messages_quote_long_inputs_cut() {
    let long = "v".repeat(500);
    let r = only(
        &json!({ "visibility": long }).to_string(),
        "/visibility",
        "not_allowed",
    );
    assert!(message(&r).len() < 200, "{}", message(&r));
    assert!(message(&r).contains('…'));
}

#[test]
fn thousands_of_repeated_keys_are_reported_in_bounded_time() {
    // Every key twice, every value of the wrong type, a repeated key inside: thousands
    // of repeats, each the only violation at and under its place. (The filter is linear
    // in the report; its cost is measured by the benches, not timed here.)
    let mut body = String::from("{");
    for i in 0..2500 {
        body.push_str(&format!("\"k{i}\":1,\"k{i}\":[{{\"x\":0,\"x\":0}}],"));
    }
    body.push_str("\"end\":\"\"}");
    assert!(body.len() < ims_image_meta::Rules::default().max_body_bytes());
    let r = err(&body);
    let dups = r
        .violations()
        .iter()
        .filter(|v| v.code() == Code::DuplicateKey)
        .count();
    // The report keeps the first 100 (every one a repetition) of the 2501 found: the
    // custom-property quota (2501 distinct keys) is the only other place, and it
    // still decides the status.
    assert_eq!(dups, 100);
    assert_eq!(r.violations().len(), 100);
    assert_eq!(r.total(), 2501);
    assert!(r.is_truncated());
    assert_eq!(r.status(), 413);
}

#[test]
fn numbers_at_the_edges_follow_their_spelling() {
    // `-0` is the integer 0 (serde_json reads it as the float -0.0).
    assert_eq!(ok(r#"{"min_ram": -0, "name": "a"}"#).request.min_ram(), 0);
    let lax = Rules::builder(ims_image_meta::Profile::Ims2022)
        .min_disk(0..=1024)
        .build()
        .unwrap();
    assert_eq!(ok_with(r#"{"min_disk": -0}"#, &lax).request.min_disk(), 0);
    only(r#"{"min_disk": -0}"#, "/min_disk", "out_of_range");
    // A fraction or an exponent makes a float, whatever the value.
    for n in ["-0.0", "1e19", "9.3e18", "1E3", "1024.0", "-1e19", "0.0"] {
        only(&format!(r#"{{"min_ram": {n}}}"#), "/min_ram", "wrong_type");
        only(
            &format!(r#"{{"min_disk": {n}}}"#),
            "/min_disk",
            "wrong_type",
        );
    }
    // Integer tokens beyond 64 bits are integers out of range.
    for n in [
        "18446744073709551616",
        "-9223372036854775809",
        "99999999999999999999999",
    ] {
        only(
            &format!(r#"{{"min_ram": {n}}}"#),
            "/min_ram",
            "out_of_range",
        );
    }
    // The spelling is found under an escaped key too, and only the judged (first) member
    // counts; a repeated field is only repeated.
    only(
        r#"{"a": "{\"min_ram\": 1}", "min\u005fram": 1e19}"#,
        "/min_ram",
        "wrong_type",
    );
    only(
        r#"{"min_ram": -0.0, "min_ram": -0}"#,
        "/min_ram",
        "duplicate_key",
    );
    // Too large for a float at all: malformed, as serde_json reads it.
    only(r#"{"min_ram": 1e400}"#, "", "malformed_json");
    // `-0` is no boolean or string.
    only(r#"{"protected": -0}"#, "/protected", "wrong_type");
}
