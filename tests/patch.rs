//! The update calls (SPEC §8) through the library: every line of
//! `tests/data/patch.jsonl`, and what the cases do not cover.

mod common;

use common::patch::patch_cases;
use ims_image_meta::{update, validate, Code, Profile, Record, Rules, Timestamp};
use serde_json::{json, Value};

const V21: &str = "application/openstack-images-v2.1-json-patch";
const V20: &str = "application/openstack-images-v2.0-json-patch";

#[test]
fn every_patch_case() {
    let cases = patch_cases();
    assert_eq!(cases.len(), 44, "patch.jsonl has 44 cases");
    let mut failures = Vec::new();
    for case in &cases {
        let image = case.image();
        // The image read is the image given: nothing dropped, nothing added.
        if serde_json::to_value(&image).unwrap() != case.image {
            failures.push(format!(
                "line {}: the image does not read back equal",
                case.line
            ));
            continue;
        }
        let (status, json) = match case.run(&image, &case.rules()) {
            Ok(r) => (case.success_status(), serde_json::to_value(&r).unwrap()),
            Err(report) => (report.status(), serde_json::to_value(&report).unwrap()),
        };
        if let Err(e) = case.check(status, &json) {
            failures.push(format!("line {} ({}): {e}", case.line, case.name));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn patch_copy_equals_shared() {
    let Some(shared) = common::shared() else {
        eprintln!("no ../shared here: skipping the comparison of patch.jsonl");
        return;
    };
    let a = std::fs::read(common::root().join("tests/data/patch.jsonl")).unwrap();
    let b = std::fs::read(shared.join("conformance/patch.jsonl")).unwrap();
    assert!(
        a == b,
        "tests/data/patch.jsonl differs from ../shared: copy it again"
    );
}

/// The image of the cases.
fn image() -> Record {
    patch_cases()[0].image()
}

fn now() -> Timestamp {
    Timestamp::from_unix(1_464_854_400).unwrap()
}

fn pairs(r: &ims_image_meta::Report) -> Vec<(String, String)> {
    r.violations()
        .iter()
        .map(|v| (v.pointer().to_owned(), v.code().as_str().to_owned()))
        .collect()
}

fn refused(media: &str, body: &str, rules: &Rules) -> ims_image_meta::Report {
    update::patch(media, body.as_bytes(), image(), rules, now()).unwrap_err()
}

#[test]
fn media_types_ignore_case_and_parameters() {
    let body = br#"[{"op": "replace", "path": "/name", "value": "x"}]"#;
    for media in [
        "application/openstack-images-v2.1-json-patch",
        "APPLICATION/OpenStack-Images-V2.1-JSON-PATCH",
        " application/openstack-images-v2.1-json-patch ; charset=UTF-8",
    ] {
        let r = update::patch(media, body, image(), &Rules::default(), now()).unwrap();
        assert_eq!(r.name, "x", "{media}");
    }
    let r = refused("application/json-patch+json", "[]", &Rules::default());
    assert_eq!(r.status(), 415);
    assert_eq!(r.violations()[0].params(), json!({"allowed": [V21, V20]}));
    // Nothing parsed: a malformed body behind a bad media type is still 415.
    assert_eq!(refused("text/plain", "[", &Rules::default()).status(), 415);
}

#[test]
fn the_body_is_checked_as_a_create_body() {
    let rules = Rules::builder(Profile::Ims2022)
        .max_body_bytes(10)
        .build()
        .unwrap();
    assert_eq!(
        pairs(&refused(V21, "[        ]  ", &rules)),
        [("".into(), "body_too_large".into())]
    );
    let d = Rules::default();
    assert_eq!(
        pairs(&refused(V21, "  \n", &d)),
        [("".into(), "empty_body".into())]
    );
    assert_eq!(
        pairs(&refused(V21, "[{]", &d)),
        [("".into(), "malformed_json".into())]
    );
    assert_eq!(
        pairs(&refused(V21, "[] x", &d)),
        [("".into(), "malformed_json".into())]
    );
    // serde_json's nesting limit over the whole document.
    let deep = format!(
        r#"[{{"op": "add", "path": "/k", "value": {}{}}}]"#,
        "[".repeat(200),
        "]".repeat(200)
    );
    assert_eq!(
        pairs(&refused(V21, &deep, &d)),
        [("".into(), "malformed_json".into())]
    );
    assert_eq!(
        pairs(&refused(V21, "\"x\"", &d)),
        [("".into(), "not_an_array".into())]
    );
}

#[test]
fn the_shape_of_each_operation() {
    let d = Rules::default();
    let body = r#"[
        5,
        {"path": "/name", "value": "x"},
        {"op": 1, "path": "/name", "value": "x"},
        {"op": "replace", "value": "x"},
        {"op": "replace", "path": "/name"},
        {"op": "remove", "path": 7},
        {"op": "replace", "path": "/a/b", "value": "x"},
        {"op": "add", "path": "/a~2", "value": "x"},
        {"op": "add", "path": "", "value": "x"},
        {"op": "add", "path": "/", "value": "x"},
        {"op": "add", "path": "/ok", "value": "x", "from": "/ignored"}
    ]"#;
    let r = refused(V21, body, &d);
    let want = [
        ("/0", "wrong_type"),
        ("/1", "required"),
        ("/2/op", "wrong_type"),
        ("/3", "required"),
        ("/4", "required"),
        ("/5/path", "wrong_type"),
        ("/6/path", "bad_format"),
        ("/7/path", "bad_format"),
        ("/8/path", "bad_format"),
        ("/9/path", "too_short"),
    ];
    let want: Vec<(String, String)> = want
        .iter()
        .map(|(p, c)| (p.to_string(), c.to_string()))
        .collect();
    assert_eq!(pairs(&r), want);
    assert_eq!(r.violations()[1].params(), json!({"member": "op"}));
    assert_eq!(r.violations()[3].params(), json!({"member": "path"}));
    assert_eq!(r.violations()[4].params(), json!({"member": "value"}));
    assert_eq!(
        r.violations()[0].message(),
        "Operation 0 must be an object, found an integer."
    );
    // v2.0: the op members.
    let r = refused(
        V20,
        r#"[{"value": "x"}, {"add": 5, "value": "x"}, {"remove": "/name"}]"#,
        &d,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/0".into(), "required".into()),
            ("/1/add".into(), "wrong_type".into()),
            ("/2/remove".into(), "not_updatable".into())
        ]
    );
    // A v2.1 document sent as v2.0 has no op member.
    let r = refused(V20, r#"[{"op": "add", "path": "/k", "value": "x"}]"#, &d);
    assert_eq!(pairs(&r), [("/0".into(), "required".into())]);
}

#[test]
fn escaped_tokens_name_keys_and_spaces_are_kept() {
    let d = Rules::default();
    let body = br#"[{"op": "add", "path": "/a~0b~01", "value": "1"}, {"op": "add", "path": "/ name", "value": "2"}]"#;
    let r = update::patch(V21, body, image(), &d, now()).unwrap();
    let keys: Vec<&str> = r.properties.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["aaaa", "a~b~1", " name"]);
    // An escaped `/name` is the documented field.
    let r = update::patch(
        V21,
        br#"[{"op": "replace", "path": "/n\u0061me", "value": "y"}]"#,
        image(),
        &d,
        now(),
    )
    .unwrap();
    assert_eq!(r.name, "y");
}

#[test]
fn key_characters_are_checked_at_the_path() {
    let d = Rules::default();
    let r = refused(
        V21,
        r#"[{"op": "add", "path": "/a\u0000", "value": "x"}, {"op": "add", "path": "/😀", "value": "x"}]"#,
        &d,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/0/path".into(), "nul_character".into()),
            ("/1/path".into(), "four_byte_unicode".into())
        ]
    );
    assert!(
        r.violations()[1].message().starts_with("Property key '😀'"),
        "{}",
        r.violations()[1].message()
    );
}

#[test]
fn values_are_judged_by_create_rules_with_create_messages() {
    let d = Rules::default();
    let r = refused(
        V21,
        r#"[{"op": "replace", "path": "/name", "value": " x"},
            {"op": "replace", "path": "/name", "value": 5},
            {"op": "add", "path": "/k", "value": "a😀"},
            {"op": "add", "path": "/__description", "value": "x\r"}]"#,
        &d,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/0/value".into(), "bad_format".into()),
            ("/1/value".into(), "wrong_type".into()),
            ("/2/value".into(), "four_byte_unicode".into()),
            ("/3/value".into(), "bad_format".into()),
        ]
    );
    let v = r.violations();
    assert_eq!(
        v[0].message(),
        "Attribute 'name' may not start or end with a space."
    );
    assert_eq!(v[0].ims_code(), Some("IMG.0003"));
    assert_eq!(
        v[1].message(),
        "Attribute 'name' must be a string, found an integer."
    );
    assert_eq!(
        v[2].message(),
        "Attribute 'k' contains a 4-byte UTF-8 character (U+1F600), which is not supported."
    );
    // The same faults in a create body give the same codes and messages.
    let create = validate(br#"{"name": " x"}"#, &d).unwrap_err();
    assert_eq!(create.violations()[0].message(), v[0].message());
    assert_eq!(
        create.violations()[0].message_in(ims_image_meta::Locale::ZhCn),
        v[0].message_in(ims_image_meta::Locale::ZhCn)
    );
}

#[test]
fn opened_fields_follow_create_rules() {
    let rules = Rules::builder(Profile::Ims2022)
        .updatable([
            "name",
            "min_disk",
            "min_ram",
            "tags",
            "__os_version",
            "protected",
            "disk_format",
            "os_hidden",
        ])
        .build()
        .unwrap();
    let ok = update::patch(
        V21,
        br#"[{"op": "replace", "path": "/min_disk", "value": 100},
             {"op": "replace", "path": "/min_ram", "value": -0},
             {"op": "replace", "path": "/tags", "value": ["b", "a", "b"]},
             {"op": "replace", "path": "/protected", "value": true},
             {"op": "replace", "path": "/disk_format", "value": "qcow2"},
             {"op": "add", "path": "/os_hidden", "value": true},
             {"op": "replace", "path": "/__os_version", "value": "Windows Server 2012 R2 Standard 64bit"}]"#,
        image(),
        &rules,
        now(),
    )
    .unwrap();
    assert_eq!(
        (
            ok.min_disk,
            ok.min_ram,
            ok.protected,
            ok.extensions.os_hidden
        ),
        (100, 0, true, Some(true))
    );
    assert_eq!(ok.tags, ["b", "a"]);
    assert_eq!(ok.disk_format.as_str(), "qcow2");
    assert_eq!(ok.os_type.as_str(), "Windows");
    let r = refused(
        V21,
        r#"[{"op": "replace", "path": "/min_disk", "value": 39},
            {"op": "replace", "path": "/min_ram", "value": 1e3},
            {"op": "replace", "path": "/min_ram", "value": 18446744073709551616},
            {"op": "replace", "path": "/tags", "value": ["ok", "", 5]},
            {"op": "replace", "path": "/__os_version", "value": "Ubuntu"},
            {"op": "replace", "path": "/disk_format", "value": null},
            {"op": "remove", "path": "/os_hidden"}]"#,
        &rules,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/0/value".into(), "out_of_range".into()),
            ("/1/value".into(), "wrong_type".into()),
            ("/2/value".into(), "out_of_range".into()),
            // At most one violation per operation (SPEC §8): the first bad tag.
            ("/3/value/1".into(), "too_short".into()),
            ("/4/value".into(), "unknown_os_version".into()),
            ("/5/value".into(), "wrong_type".into()),
            ("/6/path".into(), "conflict".into()),
        ]
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0055"));
    assert_eq!(
        r.violations()[3].message(),
        "Tag 1 must have at least 1 character."
    );
    assert_eq!(r.violations()[4].pointer(), "/4/value");
    // Too many tags: 413, as on create.
    let many: Vec<String> = (0..129).map(|i| format!("t{i}")).collect();
    let body = json!([{"op": "replace", "path": "/tags", "value": many}]).to_string();
    let r = refused(V21, &body, &rules);
    assert_eq!(
        (r.status(), pairs(&r)),
        (413, vec![("/0/value".into(), "too_many".into())])
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0116"));
    // Too many tags and a bad one: the operation's one violation is the first that
    // create's rule finds, the bad tag (400), not the quota.
    let mut many = many;
    many[5].clear();
    let body = json!([{"op": "replace", "path": "/tags", "value": many}]).to_string();
    let r = refused(V21, &body, &rules);
    assert_eq!(
        (r.status(), pairs(&r)),
        (400, vec![("/0/value/5".into(), "too_short".into())])
    );
}

#[test]
fn a_new_os_type_must_keep_min_disk_in_its_range() {
    let rules = Rules::builder(Profile::HuaweiCloud)
        .updatable(["__os_version", "min_disk"])
        .build()
        .unwrap();
    let mut img = image();
    img.min_disk = 10;
    // Linux 10..=1024, Windows 20..=1024: a Windows OS with min_disk 10 is refused at
    // the operation that set it.
    let body = br#"[{"op": "replace", "path": "/__os_version", "value": "Windows Server 2012 R2 Standard 64bit"}]"#;
    let r = update::patch(V21, body, &img, &rules, now()).unwrap_err();
    assert_eq!(pairs(&r), [("/0/value".into(), "out_of_range".into())]);
    assert_eq!(r.violations()[0].params()["min"], 20);
    // Raising min_disk in the same patch, after the change, is judged by the new type.
    let body = br#"[{"op": "replace", "path": "/__os_version", "value": "Windows Server 2012 R2 Standard 64bit"},
                    {"op": "replace", "path": "/min_disk", "value": 15}]"#;
    let r = update::patch(V21, body, &img, &rules, now()).unwrap_err();
    assert_eq!(pairs(&r)[0], ("/1/value".into(), "out_of_range".into()));
    let body = br#"[{"op": "replace", "path": "/__os_version", "value": "Windows Server 2012 R2 Standard 64bit"},
                    {"op": "replace", "path": "/min_disk", "value": 25}]"#;
    assert_eq!(
        update::patch(V21, body, &img, &rules, now())
            .unwrap()
            .min_disk,
        25
    );
}

#[test]
fn repeated_keys_anywhere_in_an_operation() {
    let d = Rules::default();
    let r = refused(
        V21,
        r#"[{"op": "add", "path": "/k", "value": {"a": 1, "a": 2}},
            {"op": "add", "path": "/k", "path": "/j", "value": "x"},
            [{"x": 1, "x": 1}],
            {"op": "remove", "path": "/nope"}]"#,
        &d,
    );
    assert_eq!(
        pairs(&r),
        [
            ("/0/value/a".into(), "duplicate_key".into()),
            ("/1/path".into(), "duplicate_key".into()),
            ("/2/0/x".into(), "duplicate_key".into()),
            ("/3/path".into(), "conflict".into()),
        ]
    );
    assert_eq!(r.status(), 409);
}

#[test]
fn the_image_is_not_judged_only_the_changes() {
    // An image made under other rules: over the property quota, min_disk outside the
    // range. It can still be renamed and have properties edited or removed.
    let mut img = image();
    img.min_disk = 1;
    for i in 0..130 {
        img.properties.push((format!("p{i}"), "v".into()));
    }
    let d = Rules::default();
    let body = br#"[{"op": "replace", "path": "/name", "value": "y"}, {"op": "remove", "path": "/p0"}, {"op": "replace", "path": "/p1", "value": "w"}]"#;
    let r = update::patch(V21, body, &img, &d, now()).unwrap();
    assert_eq!(
        (r.name.as_str(), r.properties.len(), r.min_disk),
        ("y", 130, 1)
    );
    // Adding one more is 413.
    let body = br#"[{"op": "add", "path": "/new", "value": "x"}]"#;
    let r = update::patch(V21, body, &img, &d, now()).unwrap_err();
    assert_eq!(
        (r.status(), pairs(&r)),
        (413, vec![("".into(), "too_many".into())])
    );
}

#[test]
fn service_keys_of_the_image_are_kept() {
    let mut v = patch_cases()[0].image.clone();
    v["status"] = json!("active");
    v["size"] = json!(1024);
    v["checksum"] = json!("abc");
    v["locations"] = json!([{"url": "x"}]);
    v["os_glance_importing_to_stores"] = json!("");
    let img: Record = serde_json::from_value(v.clone()).unwrap();
    assert_eq!(serde_json::to_value(&img).unwrap(), v);
    let mut fast = Vec::new();
    img.write_json(&mut fast);
    assert_eq!(serde_json::from_slice::<Value>(&fast).unwrap(), v);
    let r = update::patch(V21, b"[]", &img, &Rules::default(), now()).unwrap();
    let mut want = v;
    want["updated_at"] = json!("2016-06-02T08:00:00Z");
    assert_eq!(serde_json::to_value(&r).unwrap(), want);
    // And they are not custom properties.
    let body = br#"[{"op": "remove", "path": "/size"}]"#;
    let r = update::patch(V21, body, &img, &Rules::default(), now()).unwrap_err();
    assert_eq!(pairs(&r), [("/0/path".into(), "read_only".into())]);
}

#[test]
fn updatable_is_a_checked_knob() {
    for bad in ["id", "status", "size", "deleted", "os_glance_x", "custom"] {
        let e = Rules::builder(Profile::Ims2022)
            .updatable([bad])
            .build()
            .unwrap_err();
        assert_eq!(e.knob(), Some("updatable"), "{bad}");
        let file = json!({"updatable": [bad]}).to_string();
        assert_eq!(
            Rules::from_json(file.as_bytes()).unwrap_err().knob(),
            Some("updatable")
        );
    }
    let d = Rules::default();
    assert_eq!(d.updatable().collect::<Vec<_>>(), ["name", "__description"]);
    assert!(d.is_updatable("name") && !d.is_updatable("min_disk") && !d.is_updatable("aaaa"));
}

#[test]
fn tag_calls() {
    let d = Rules::default();
    let img = image();
    let r = update::add_tag("a\u{0}", &img, &d, now()).unwrap_err();
    assert_eq!(pairs(&r), [("".into(), "nul_character".into())]);
    assert_eq!(
        r.violations()[0].message(),
        "The tag contains U+0000, which is not supported."
    );
    assert_eq!(r.violations()[0].ims_code(), Some("IMG.0115"));
    let mut full = img.clone();
    full.tags = (0..128).map(|i| format!("t{i}")).collect();
    let r = update::add_tag("new", &full, &d, now()).unwrap_err();
    assert_eq!(
        (r.status(), pairs(&r)),
        (413, vec![("".into(), "too_many".into())])
    );
    // A tag it has already: unchanged but for updated_at, even at the quota.
    let same = update::add_tag("t0", &full, &d, now()).unwrap();
    assert_eq!((same.tags.len(), same.updated_at), (128, now()));
    let r = update::remove_tag("nope", &img, &d, now()).unwrap_err();
    assert_eq!(r.status(), 404);
    assert_eq!(r.violations()[0].params(), json!({"tag": "nope"}));
    assert_eq!(
        r.violations()[0].message(),
        "Tag 'nope' not found on the image."
    );
}

#[test]
fn every_new_code_has_messages_in_both_locales() {
    use ims_image_meta::Locale;
    let rules = Rules::default();
    let r = refused(
        V21,
        r#"[{"op": "replace", "path": "/min_disk", "value": 1}, {"op": "remove", "path": "/nope"}, {"path": "/a", "value": "x"}]"#,
        &rules,
    );
    let media = refused("text/plain", "[]", &rules);
    let arr = refused(V21, "{}", &rules);
    let nf = update::remove_tag("x", image(), &rules, now()).unwrap_err();
    let all: Vec<&ims_image_meta::Violation> = r
        .violations()
        .iter()
        .chain(media.violations())
        .chain(arr.violations())
        .chain(nf.violations())
        .collect();
    let codes: Vec<Code> = all.iter().map(|v| v.code()).collect();
    for c in [
        Code::NotUpdatable,
        Code::Conflict,
        Code::Required,
        Code::UnsupportedMediaType,
        Code::NotAnArray,
        Code::NotFound,
    ] {
        assert!(codes.contains(&c), "{c}");
    }
    for v in all {
        let en = v.message_in(Locale::En);
        let zh = v.message_in(Locale::ZhCn);
        assert!(!en.is_empty() && !zh.is_empty() && en != zh, "{en} / {zh}");
        assert!(v.params().is_object());
    }
    assert_eq!(
        r.violations()[0].message(),
        "Attribute 'min_disk' cannot be changed by this call."
    );
    assert_eq!(
        r.violations()[1].message(),
        "Attribute 'nope' cannot be removed: the image does not have it."
    );
}

#[test]
fn reports_are_bounded() {
    let d = Rules::default();
    let mut body = String::from("[");
    for i in 0..3000 {
        if i > 0 {
            body.push(',');
        }
        body.push_str(r#"{"op":"remove","path":"/x"}"#);
    }
    body.push(']');
    let r = refused(V21, &body, &d);
    assert_eq!(
        (r.status(), r.total(), r.violations().len()),
        (409, 3000, 100)
    );
    assert!(r.is_truncated());
}

/// The patch schema agrees with the library on every v2.1 case whose verdict rests on
/// what a schema can say (not the image's state, nor quotas, nor repeated keys).
#[test]
fn the_patch_schema_agrees_with_the_cases() {
    let mut checked = 0;
    for case in patch_cases() {
        if case.call != "patch" || case.media_type.as_deref() != Some(V21) {
            continue;
        }
        let beyond = case.violations.iter().any(|(p, c)| {
            c == "conflict" || c == "duplicate_key" || (c == "too_many" && p.is_empty())
        });
        if beyond {
            continue;
        }
        let schema = ims_image_meta::schema::patch_schema(&case.rules());
        let validator = jsonschema::draft202012::new(&schema).unwrap();
        let doc: Value = serde_json::from_str(case.body.as_deref().unwrap()).unwrap();
        assert_eq!(
            validator.is_valid(&doc),
            case.status == 200,
            "line {} ({})",
            case.line,
            case.name
        );
        checked += 1;
    }
    assert!(checked >= 25, "{checked} cases");
}

#[test]
fn the_patch_schema_is_a_valid_schema_and_lists_its_limits() {
    let schema = ims_image_meta::schema::patch_schema(&Rules::default());
    assert!(jsonschema::meta::is_valid(&schema));
    let description = schema["description"].as_str().unwrap();
    for limit in ims_image_meta::schema::PATCH_LIMITS {
        assert!(description.contains(limit));
    }
    let v = jsonschema::draft202012::new(&schema).unwrap();
    for (doc, ok) in [
        (json!([]), true),
        (json!([{"op": "add", "path": "/a~1b", "value": "x"}]), true),
        (json!([{"op": "add", "path": "/a~2", "value": "x"}]), false),
        (json!([{"op": "remove", "path": "/__description"}]), true),
        (json!([{"op": "remove", "path": "/name"}]), false),
        (
            json!([{"op": "replace", "path": "/os_glance_x", "value": "x"}]),
            false,
        ),
        (
            json!([{"op": "replace", "path": "/k", "value": null}]),
            false,
        ),
    ] {
        assert_eq!(v.is_valid(&doc), ok, "{doc}");
    }
}

/// Every report of the update, in both locales and every rendering, fits the report
/// schema (which covers the new codes and statuses).
#[test]
fn update_reports_fit_the_report_schema() {
    use ims_image_meta::Locale;
    let schema = jsonschema::draft202012::new(&ims_image_meta::schema::report_schema()).unwrap();
    let mut reports = vec![
        refused("text/plain", "[]", &Rules::default()),
        refused(V21, "{}", &Rules::default()),
        refused(
            V20,
            r#"[{"add": "/a", "remove": "/a"}, {"value": 1}]"#,
            &Rules::default(),
        ),
        refused(
            V21,
            r#"[{"op": "remove", "path": "/name"}, {"op": "x", "path": "/a"}, {"op": "add", "path": "a", "value": "v"}]"#,
            &Rules::default(),
        ),
        refused(
            V21,
            r#"[{"op": "remove", "path": "/nope"}, 5, {"op": 5}]"#,
            &Rules::default(),
        ),
        update::remove_tag("x", image(), &Rules::default(), now()).unwrap_err(),
    ];
    for case in patch_cases() {
        if let Err(r) = case.run(&case.image(), &case.rules()) {
            reports.push(r);
        }
    }
    let mut codes = std::collections::BTreeSet::new();
    for r in &reports {
        for locale in [Locale::En, Locale::ZhCn] {
            let v = serde_json::to_value(r.localized(locale)).unwrap();
            let errors: Vec<String> = schema.iter_errors(&v).map(|e| e.to_string()).collect();
            assert!(errors.is_empty(), "{v}\n{errors:?}");
        }
        let mut fast = Vec::new();
        r.write_json(ims_image_meta::report::Style::default(), &mut fast);
        assert_eq!(
            serde_json::from_slice::<Value>(&fast).unwrap(),
            serde_json::to_value(r).unwrap()
        );
        codes.extend(r.violations().iter().map(|v| v.code()));
    }
    for c in [
        Code::UnsupportedMediaType,
        Code::NotAnArray,
        Code::Required,
        Code::NotUpdatable,
        Code::Conflict,
        Code::NotFound,
    ] {
        assert!(codes.contains(&c), "{c}");
    }
}

/// The patch schema lets a `remove` through exactly where the library does, for every
/// documented field an update may change (the removable ones come from the field table,
/// so a new extension is removable in both). A `conflict` (the image lacks the key)
/// rests on the image, which a schema cannot see.
#[test]
fn the_patch_schema_and_the_library_agree_on_which_fields_may_be_removed() {
    let open: Vec<&str> = ims_image_meta::keys::FIELDS
        .iter()
        .copied()
        .filter(|k| *k != "id")
        .collect();
    let rules = Rules::builder(Profile::Ims2022)
        .updatable(open.iter().copied())
        .build()
        .unwrap();
    let validator =
        jsonschema::draft202012::new(&ims_image_meta::schema::patch_schema(&rules)).unwrap();
    let mut removable = 0;
    for key in open {
        let body = json!([{"op": "remove", "path": format!("/{key}")}]).to_string();
        let library = match update::patch(V21, body.as_bytes(), image(), &rules, now()) {
            Ok(_) => true,
            Err(r) => pairs(&r).iter().all(|(_, c)| c == "conflict"),
        };
        let doc: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(validator.is_valid(&doc), library, "{key}");
        removable += usize::from(library);
    }
    assert!(removable >= 3, "{removable}");
}

/// The custom properties keep their order through an update: the image's in place
/// (a key listed twice in a hand-built record keeps its first value, as create
/// keeps it), the added after them in the order added; and a lent image and a given
/// one give the same answer.
#[test]
fn properties_keep_their_order_and_a_key_listed_twice_keeps_the_first() {
    let mut img = image();
    img.properties = [("z", "1"), ("b", "2"), ("z", "3"), ("a", "4")]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let body = br#"[{"op": "add", "path": "/m", "value": "5"},
                    {"op": "replace", "path": "/b", "value": "x"},
                    {"op": "add", "path": "/c", "value": "6"},
                    {"op": "remove", "path": "/a"}]"#;
    let rules = Rules::default();
    let lent = update::patch(update::MEDIA_TYPES[0], body, &img, &rules, now()).unwrap();
    let pairs: Vec<(&str, &str)> = lent
        .properties
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(pairs, [("z", "1"), ("b", "x"), ("m", "5"), ("c", "6")]);
    let given = update::patch(update::MEDIA_TYPES[0], body, img.clone(), &rules, now()).unwrap();
    assert_eq!(given, lent);
    let answer = |image: Record| {
        let a = update::answer_patch(
            update::MEDIA_TYPES[0],
            body,
            image,
            &rules,
            now(),
            Default::default(),
        );
        (a.status(), a.body().to_vec())
    };
    assert_eq!(answer(img.clone()), {
        let a = update::answer_patch(
            update::MEDIA_TYPES[0],
            body,
            &img,
            &rules,
            now(),
            Default::default(),
        );
        (a.status(), a.body().to_vec())
    });
}
