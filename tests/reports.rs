//! Reports that explain (issue #12): near-miss keys, `params` for every code, both
//! locales for every code and warning, the problem+json rendering, the report schema,
//! and the size of the largest report.

mod common;

use ims_image_meta::{
    keys,
    keys::RESERVED_PREFIX,
    schema::report_schema,
    validate,
    warning::{Warning, WarningCode},
    Code, Locale, Profile, Report, Rules,
};
use serde_json::{json, Value};

#[track_caller]
fn report(body: &str) -> Report {
    validate(body.as_bytes(), &Rules::default()).expect_err("a rejected body")
}

/// The near misses the issue names, and the key each probably meant.
#[test]
fn near_miss_keys_warn_with_the_field_they_meant() {
    for (key, meant) in [
        ("container-format", "container_format"),
        ("os_version", "__os_version"),
        ("minDisk", "min_disk"),
        ("description", "__description"),
        ("Tags", "tags"),
        ("contaner_format", "container_format"),
    ] {
        let body = json!({ "name": "a", "__os_version": "CentOS 7.3 64bit", key: "v" }).to_string();
        let ok = validate(body.as_bytes(), &Rules::default()).unwrap();
        let [w] = &ok.warnings[..] else {
            panic!("{key}: {:?}", ok.warnings)
        };
        assert_eq!(w.code(), WarningCode::NearMissKey, "{key}");
        assert_eq!(w.meant(), Some(meant), "{key}");
        assert_eq!(w.params(), json!({"key": key, "meant": meant}));
        assert!(w.message().contains(meant) && w.message().contains(key));
        // The value is still kept, as a custom property.
        assert_eq!(ok.request.property(key), Some("v"));
        // Servers that prefer to refuse.
        let strict = Rules::builder(Profile::Ims2022)
            .refuse_near_miss_keys(true)
            .build()
            .unwrap();
        let r = validate(body.as_bytes(), &strict).unwrap_err();
        let v = &r.violations()[0];
        assert_eq!((r.status(), v.code()), (400, Code::NearMissKey), "{key}");
        assert_eq!(v.params(), json!({"key": key, "meant": meant}));
    }
    // A key the service derives, without its prefix: a warning that says so (also
    // under rules that refuse near misses: it is no misspelling of a field).
    for (key, meant) in [("os_type", "__os_type"), ("platform", "__platform")] {
        let body =
            json!({ "name": "a", "__os_version": "CentOS 7.3 64bit", key: "Linux" }).to_string();
        let ok = validate(body.as_bytes(), &Rules::default()).unwrap();
        assert_eq!(ok.warnings[0].code(), WarningCode::DerivedKey);
        assert_eq!(
            ok.warnings[0].message(),
            format!("Property key '{key}' does not set '{meant}': the service derives '{meant}' from __os_version.")
        );
    }
}

/// No documented field, and no custom key of the conformance files that is not one
/// typo away from a field, is flagged.
#[test]
fn no_field_and_no_conformance_custom_key_is_flagged_by_mistake() {
    let mut keys = std::collections::BTreeSet::new();
    for case in common::cases().into_iter().chain(common::profile_cases()) {
        if let Ok(Value::Object(m)) = serde_json::from_slice::<Value>(&case.body) {
            keys.extend(m.keys().cloned());
        }
    }
    let custom: Vec<&String> = keys
        .iter()
        .filter(|k| {
            !keys::FIELDS.contains(&k.as_str())
                && !keys::READ_ONLY.contains(&k.as_str())
                && !keys::RESERVED.contains(&k.as_str())
                && !k.starts_with(RESERVED_PREFIX)
        })
        .collect();
    assert!(custom.len() >= 3, "{custom:?}");
    for key in custom {
        let body = json!({ "name": "a", "__os_version": "CentOS 7.3 64bit", key: "v" });
        if let Ok(ok) = validate(body.to_string().as_bytes(), &Rules::default()) {
            assert!(ok.warnings.is_empty(), "{key}: {:?}", ok.warnings);
        }
    }
    for key in keys::FIELDS {
        let body = json!({ "name": "a", "__os_version": "CentOS 7.3 64bit", *key: null });
        if let Ok(ok) = validate(body.to_string().as_bytes(), &Rules::default()) {
            let near = ok.warnings.iter().any(|w| w.meant().is_some());
            assert!(!near, "{key}: {:?}", ok.warnings);
        }
    }
}

/// One body per code, with its exact params.
fn every_code() -> Vec<(Code, String, Value)> {
    let big = "x".repeat(Rules::default().max_body_bytes() + 1);
    vec![
        (
            Code::BodyTooLarge,
            big,
            json!({"limit": 114688, "actual": 114689, "unit": "bytes"}),
        ),
        (Code::EmptyBody, " ".into(), json!({})),
        (
            Code::MalformedJson,
            "{\n\"a\"".into(),
            json!({"line": 2, "column": 3}),
        ),
        (
            Code::NotAnObject,
            "[]".into(),
            json!({"expected": "object", "actual": "array"}),
        ),
        (
            Code::DuplicateKey,
            r#"{"a":"1","a":"2"}"#.into(),
            json!({"key": "a"}),
        ),
        (
            Code::WrongType,
            r#"{"min_disk":"50"}"#.into(),
            json!({"expected": "integer", "actual": "string", "hint": "send 50, not \"50\""}),
        ),
        (
            Code::TooShort,
            r#"{"name":""}"#.into(),
            json!({"limit": 1, "actual": 0, "unit": "chars"}),
        ),
        (
            Code::TooLong,
            json!({ "name": "镜".repeat(256) }).to_string(),
            json!({"limit": 255, "actual": 256, "unit": "chars"}),
        ),
        (
            Code::OutOfRange,
            r#"{"min_disk":39}"#.into(),
            json!({"min": 40, "max": 1024, "actual": 39}),
        ),
        (
            Code::NotAllowed,
            r#"{"disk_format":"vmdk"}"#.into(),
            json!({"allowed": ["vhd", "zvhd", "zvhd2", "raw", "qcow2"]}),
        ),
        (
            Code::BadFormat,
            r#"{"id":"x"}"#.into(),
            json!({"format": "uuid"}),
        ),
        (
            Code::UnknownOsVersion,
            r#"{"__os_version":"CentOS 7.3 64 bit"}"#.into(),
            json!({"suggestions": ["CentOS 7.3 64bit", "CentOS 7.7 64bit", "CentOS 7.6 64bit"]}),
        ),
        (
            Code::FourByteUnicode,
            r#"{"name":"a😀"}"#.into(),
            json!({"char": "U+1F600"}),
        ),
        (
            Code::NulCharacter,
            r#"{"name":"a\u0000"}"#.into(),
            json!({}),
        ),
        (
            Code::TooMany,
            json!({ "tags": vec!["t"; 129] }).to_string(),
            json!({"limit": 128, "actual": 129}),
        ),
        (
            Code::ReadOnly,
            r#"{"status":"x"}"#.into(),
            json!({"key": "status"}),
        ),
        (
            Code::Reserved,
            r#"{"os_glance_x":"x"}"#.into(),
            json!({"key": "os_glance_x"}),
        ),
        (
            Code::NearMissKey,
            r#"{"minDisk":"40"}"#.into(),
            json!({"key": "minDisk", "meant": "min_disk"}),
        ),
    ]
}

fn strict() -> Rules {
    Rules::builder(Profile::Ims2022)
        .refuse_near_miss_keys(true)
        .build()
        .unwrap()
}

#[test]
fn every_code_has_its_params_and_both_locales() {
    let cases = every_code();
    let codes: Vec<Code> = cases.iter().map(|c| c.0).collect();
    // The codes of a create body (the update's own are tested in tests/patch.rs).
    let create = Code::ALL
        .iter()
        .position(|&c| c == Code::NearMissKey)
        .map_or(Code::ALL, |i| &Code::ALL[..=i]);
    assert_eq!(codes, create, "one case per code, in order");
    let schema = jsonschema::draft202012::new(&report_schema()).unwrap();
    for (code, body, params) in cases {
        let r = validate(body.as_bytes(), &strict()).expect_err("rejected");
        let v = r
            .violations()
            .iter()
            .find(|v| v.code() == code)
            .unwrap_or_else(|| panic!("{code}: {r}"));
        assert_eq!(v.params(), params, "{code}");
        let en = v.message_in(Locale::En);
        let zh = v.message_in(Locale::ZhCn);
        assert_eq!(en, v.message());
        let cjk = |s: &str| s.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c));
        assert!(cjk(&zh), "{code}: untranslated: {zh}");
        assert_ne!(en, zh, "{code}");
        for m in [&en, &zh] {
            assert!(
                !m.contains('{') && !m.contains('}'),
                "{code}: a placeholder left: {m}"
            );
            assert!(!m.is_empty());
        }
        for locale in Locale::ALL {
            let json = serde_json::to_value(r.localized(*locale)).unwrap();
            let errors: Vec<String> = schema.iter_errors(&json).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{code} {locale}: {errors:?}\n{json}");
        }
    }
}

#[test]
fn every_warning_in_both_locales() {
    let bodies = [
        (
            "{}",
            vec![WarningCode::NameDefaulted, WarningCode::OsVersionDefaulted],
        ),
        (
            r#"{"name":"a","__os_version":"CentOS 7.3 64bit","os_version":"x"}"#,
            vec![WarningCode::NearMissKey],
        ),
        (
            r#"{"name":"a","__os_version":"CentOS 7.3 64bit","os_bit":"64"}"#,
            vec![WarningCode::DerivedKey],
        ),
    ];
    let lenient = Rules::builder(Profile::Ims2022)
        .allow_unknown_os_version(true)
        .build()
        .unwrap();
    let mut seen = Vec::new();
    for (body, codes) in bodies {
        let ok = validate(body.as_bytes(), &Rules::default()).unwrap();
        let got: Vec<WarningCode> = ok.warnings.iter().map(Warning::code).collect();
        assert_eq!(got, codes, "{body}");
        seen.extend(ok.warnings.iter().cloned());
    }
    for body in [
        r#"{"name":"a","__os_version":"centos 7.3 64bit"}"#,
        r#"{"name":"a","__os_version":"Zork 1"}"#,
    ] {
        let ok = validate(body.as_bytes(), &lenient).unwrap();
        seen.extend(ok.warnings.iter().cloned());
    }
    let codes: std::collections::BTreeSet<WarningCode> = seen.iter().map(Warning::code).collect();
    assert_eq!(codes.len(), WarningCode::ALL.len(), "{codes:?}");
    for w in &seen {
        let (en, zh) = (w.message_in(Locale::En), w.message_in(Locale::ZhCn));
        assert!(
            zh.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)),
            "{zh}"
        );
        assert_ne!(en, zh);
        assert!(!en.contains('{') && !zh.contains('{'));
        let json = serde_json::to_value(w.localized(Locale::ZhCn)).unwrap();
        assert_eq!(json["code"], w.code().as_str());
        assert_eq!(json["message"], *zh);
    }
}

/// Every report of both conformance files, in both locales, is what `report_schema()`
/// says.
#[test]
fn every_conformance_report_fits_the_report_schema() {
    let schema = jsonschema::draft202012::new(&report_schema()).unwrap();
    let mut n = 0;
    for case in common::cases().into_iter().chain(common::profile_cases()) {
        if let Err(r) = validate(&case.body, &case.rules()) {
            for locale in Locale::ALL {
                let json = serde_json::to_value(r.localized(*locale)).unwrap();
                let errors: Vec<String> =
                    schema.iter_errors(&json).map(|e| e.to_string()).collect();
                assert!(errors.is_empty(), "line {}: {errors:?}\n{json}", case.line);
            }
            n += 1;
        }
    }
    assert!(n >= 30, "{n} reports");
    // The schema can fail: a report without params does not fit.
    let mut bad = report(r#"{"min_disk":1}"#).to_json_value();
    bad["violations"][0]["params"] = json!({"min": "forty"});
    assert!(!schema.is_valid(&bad));
}

/// The problem+json rendering of the bench's bad body, field by field.
#[test]
fn problem_json_of_the_bad_body() {
    let bad = r#"{
    "__os_version": "Ubuntu 14.04 server 64 bit",
    "visibility": "public",
    "name": " bad/name",
    "protected": "false",
    "container_format": "ovf",
    "disk_format": "vmdk",
    "min_disk": 1,
    "min_ram": 1024.5,
    "tags": ["", 5, "ok"],
    "id": "not-a-uuid",
    "status": "active",
    "aaaa": 11111
}"#;
    let r = report(bad);
    let p = serde_json::to_value(r.problem(Locale::En)).unwrap();
    assert_eq!(p["type"], "about:blank");
    assert_eq!(p["title"], "Forbidden");
    assert_eq!(p["status"], 403);
    assert_eq!(p["detail"], "The request body breaks 13 rules.");
    assert_eq!(p.get("truncated"), None);
    let errors = p["errors"].as_array().unwrap();
    assert_eq!(errors.len(), 13);
    for (e, v) in errors.iter().zip(r.violations()) {
        assert_eq!(e["pointer"], v.pointer());
        assert_eq!(e["code"], v.code().as_str());
        assert_eq!(e["detail"], v.message());
        assert_eq!(e["params"], v.params());
        assert_eq!(e.as_object().unwrap().len(), 4);
    }
    assert_eq!(errors[0]["pointer"], "/__os_version");
    assert_eq!(
        errors[0]["params"]["suggestions"][0],
        "Ubuntu 14.04 server 64bit"
    );
    assert_eq!(errors[3]["params"]["hint"], "send false, not \"false\"");
    let zh = serde_json::to_value(r.problem(Locale::ZhCn)).unwrap();
    assert_eq!(zh["title"], "Forbidden");
    assert_eq!(zh["detail"], "请求体违反了13条规则。");
    assert_eq!(
        zh["errors"][1]["detail"],
        "创建镜像元数据时，visibility取值只能为private，实际为'public'。"
    );
    // Truncated: the extension members say so.
    let many = json!({ "tags": vec![1; 150] }).to_string();
    let p = serde_json::to_value(report(&many).problem(Locale::En)).unwrap();
    assert_eq!(
        (p["truncated"].clone(), p["total"].clone()),
        (json!(true), json!(151))
    );
}

/// With `quote_input` off, no value of the body reaches a message or params; keys and
/// limits stay.
#[test]
fn messages_without_input_values() {
    let quiet = Rules::builder(Profile::Ims2022)
        .quote_input(false)
        .build()
        .unwrap();
    let body = r#"{"visibility":"<script>","id":"<b>x</b>","__os_version":"<img src=x>","protected":"true"}"#;
    let r = validate(body.as_bytes(), &quiet).unwrap_err();
    for locale in Locale::ALL {
        let text = serde_json::to_string(&r.localized(*locale)).unwrap();
        assert!(
            !text.contains("script") && !text.contains("<b>") && !text.contains("img"),
            "{text}"
        );
        assert!(
            text.contains("visibility") && text.contains("__os_version"),
            "{text}"
        );
    }
}

/// The largest report any body under the cap can produce: violations whose places are
/// as long as a rendered pointer gets (the first tokens of up to 256 chars that JSON
/// escapes to 6 bytes each), under a repeated key each; the key length is traded
/// against how many fit under the cap. The largest size is asserted and quoted in the
/// README.
#[test]
fn the_largest_report() {
    let mut largest = (0, 0, 0);
    for chars in [16, 32, 64, 96, 128, 192, 256] {
        // U+0001 is written \u0001 in the body and in the report: 6 bytes for 1 char.
        let long = "\\u0001".repeat(chars);
        let mut body = String::from("{\"p\":");
        for _ in 0..3 {
            body.push_str(&format!("{{\"{long}\":"));
        }
        body.push('[');
        let item = format!("{{\"{long}\":0,\"{long}\":0}}");
        let mut n = 0;
        while body.len() + item.len() + 10 < Rules::default().max_body_bytes() && n < 200 {
            if n > 0 {
                body.push(',');
            }
            body.push_str(&item);
            n += 1;
        }
        body.push(']');
        body.push_str(&"}".repeat(3));
        body.push('}');
        let r = report(&body);
        let size = serde_json::to_string(&r).unwrap().len();
        let kept = r.violations().len();
        eprintln!(
            "keys of {chars} chars: {kept} of {} violations kept, report {size} bytes",
            r.total()
        );
        if size > largest.0 {
            largest = (size, kept, chars);
        }
        // Each kept violation: a pointer of 5 tokens of up to 256 escaped chars, a
        // message quoting a 64-char excerpt of its key, and params repeating it.
        assert!(size <= 4096 + kept * 16 * 1024, "{size}");
    }
    let (size, kept, chars) = largest;
    eprintln!("largest report: {size} bytes ({kept} violations, keys of {chars} chars)");
    assert!(size < 330_000, "{size}");
    assert!(size > 250_000, "the worst case is really long: {size}");
}

/// The custom-property quota counts distinct keys: one key repeated 15,000 times is
/// only a 400 `duplicate_key`, not also a 413 "Attempted: 15000".
#[test]
fn a_repeated_key_counts_once_toward_the_quota() {
    let body = format!("{{{}}}", vec![r#""k":"""#; 15_000].join(","));
    assert!(body.len() <= Rules::default().max_body_bytes());
    let r = report(&body);
    assert_eq!(r.status(), 400);
    let codes: Vec<Code> = r.violations().iter().map(|v| v.code()).collect();
    assert_eq!(codes, [Code::DuplicateKey]);
    // 128 distinct custom keys, one of them repeated: still within the quota.
    let mut keys: Vec<String> = (0..128).map(|i| format!(r#""k{i}":"v""#)).collect();
    keys.push(r#""k0":"v""#.to_owned());
    let r = report(&format!("{{{}}}", keys.join(",")));
    assert_eq!(
        (r.status(), r.violations()[0].code()),
        (400, Code::DuplicateKey)
    );
    assert_eq!(r.total(), 1);
}
