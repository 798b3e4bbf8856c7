//! Clients read answers: every type with `Deserialize` round-trips (serialize →
//! deserialize → equal), the page's response sample reads into a `Record`, and wrong
//! shapes are serde errors, never panics. Proptest cases: at least 256 each
//! (`PROPTEST_CASES` raises it).

mod common;

use common::gen;
use ims_image_meta::kit::{self, Case, Source};
use ims_image_meta::{
    validate,
    values::{DiskFormat, FirmwareType, OsBit, OsType, Platform},
    Code, Context, Record, Report, Rules, Timestamp,
};
use proptest::prelude::*;
use proptest::sample::select;
use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::json;

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: base.cases.max(256),
        ..base
    }
}

/// serialize → deserialize → equal, and the second serialization is the first.
fn round_trip<T>(value: &T) -> Result<(), TestCaseError>
where
    T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let text = serde_json::to_string(value).map_err(|e| TestCaseError::fail(e.to_string()))?;
    let back: T = serde_json::from_str(&text)
        .map_err(|e| TestCaseError::fail(format!("{e}: {text:.400}")))?;
    prop_assert_eq!(&back, value);
    // The second serialization is the first (as JSON: a params map read back keeps its
    // keys sorted).
    let again = serde_json::to_value(&back).unwrap();
    prop_assert_eq!(
        again,
        serde_json::from_str::<serde_json::Value>(&text).unwrap()
    );
    Ok(())
}

/// Times the record can carry: years 0000-9999.
fn timestamp() -> impl Strategy<Value = Timestamp> {
    (-62_167_219_200i64..=253_402_300_799).prop_map(|s| Timestamp::from_unix(s).unwrap())
}

/// A key no record field or service key uses: a custom property.
fn custom_key() -> impl Strategy<Value = String> {
    any::<String>().prop_map(|s| format!("x-{s}"))
}

fn base_record() -> Record {
    let ctx = common::context();
    validate(b"{}", &Rules::default())
        .unwrap()
        .request
        .into_record(&ctx)
}

prop_compose! {
    /// Any record the type can hold, every field set independently.
    fn any_record()(
        id in any::<String>(),
        name in any::<String>(),
        protected in any::<bool>(),
        disk_format in select(DiskFormat::ALL),
        tags in prop::collection::vec(any::<String>(), 0..6),
        min_ram in any::<u32>(),
        min_disk in any::<u32>(),
        os_version in any::<String>(),
        os_type in select(OsType::ALL),
        platform in select(Platform::ALL),
        os_bit in select(OsBit::ALL),
        created_at in timestamp(),
        updated_at in timestamp(),
        owner in any::<String>(),
        description in proptest::option::of(any::<String>()),
        firmware_type in proptest::option::of(select(FirmwareType::ALL)),
        os_hidden in proptest::option::of(any::<bool>()),
        properties in prop::collection::btree_map(custom_key(), any::<String>(), 0..6),
        order in any::<u64>(),
    ) -> Record {
        let mut r = base_record();
        r.id = id;
        r.name = name;
        r.protected = protected;
        r.disk_format = disk_format;
        r.tags = tags;
        r.min_ram = min_ram;
        r.min_disk = min_disk;
        r.os_version = os_version;
        r.os_type = os_type;
        r.platform = platform;
        r.os_bit = os_bit;
        r.created_at = created_at;
        r.updated_at = updated_at;
        r.owner = owner;
        r.extensions.description = description;
        r.extensions.firmware_type = firmware_type;
        r.extensions.os_hidden = os_hidden;
        let mut props: Vec<(String, String)> = properties.into_iter().collect();
        let n = props.len().max(1);
        props.rotate_left((order % n as u64) as usize);
        r.properties = props;
        r
    }
}

proptest! {
    #![proptest_config(config())]

    #[test]
    fn any_record_round_trips(record in any_record()) {
        round_trip(&record)?;
    }

    /// Records as the library derives them from valid bodies (the kit's).
    #[test]
    fn derived_records_round_trip(bytes in proptest::collection::vec(any::<u8>(), 0..4096), now in timestamp()) {
        let case = Case::valid(&Rules::default(), &mut Source::from_bytes(&bytes)).unwrap();
        let accepted = validate(case.body(), &Rules::default()).unwrap();
        let ctx = Context::new(common::CASE_ID, common::CASE_OWNER, now).unwrap();
        round_trip(&accepted.request.into_record(&ctx))?;
    }

    /// Reports of one-fault bodies of every code (the kit's).
    #[test]
    fn reports_of_one_fault_bodies_round_trip(
        code in select(kit::codes(&Rules::default())),
        bytes in proptest::collection::vec(any::<u8>(), 0..4096),
    ) {
        let case = Case::breaking(&Rules::default(), code, &mut Source::from_bytes(&bytes)).unwrap();
        let report = validate(case.body(), &Rules::default()).unwrap_err();
        round_trip(&report)?;
    }

    /// Reports of arbitrary documents (repeated keys, deep nesting, any strings); and
    /// reading such a document as a record or a report never panics.
    #[test]
    fn reports_of_any_document_round_trip(doc in gen::any_document(), style in gen::style()) {
        let body = gen::render(&doc, style);
        if let Err(report) = validate(body.as_bytes(), &Rules::default()) {
            round_trip(&report)?;
        }
        if let Ok(record) = serde_json::from_str::<Record>(&body) {
            round_trip(&record)?;
        }
        if let Ok(report) = serde_json::from_str::<Report>(&body) {
            round_trip(&report)?;
        }
    }

    #[test]
    fn timestamps_round_trip(t in timestamp()) {
        round_trip(&t)?;
        let text = serde_json::to_string(&t).unwrap();
        prop_assert_eq!(text, format!("\"{t}\""));
    }
}

#[test]
fn every_code_and_value_round_trips_and_unknown_ones_are_refused() {
    fn all<T>(values: &[T], unknown: &str)
    where
        T: Serialize + DeserializeOwned + PartialEq + std::fmt::Debug + std::fmt::Display,
    {
        for v in values {
            let text = serde_json::to_string(v).unwrap();
            assert_eq!(text, format!("\"{v}\""));
            assert_eq!(&serde_json::from_str::<T>(&text).unwrap(), v);
        }
        let err = serde_json::from_str::<T>(&format!("\"{unknown}\"")).unwrap_err();
        assert!(err.to_string().contains("invalid value"), "{err}");
        for wrong in ["1", "null", "true", "[]", "{}"] {
            assert!(serde_json::from_str::<T>(wrong).is_err(), "{wrong}");
        }
    }
    all(Code::ALL, "OutOfRange");
    all(DiskFormat::ALL, "VHD");
    all(FirmwareType::ALL, "efi");
    all(OsType::ALL, "linux");
    // A platform this crate does not list is kept as spelled; only an empty one is
    // refused.
    all(Platform::ALL, "");
    let rocky: Platform = serde_json::from_str("\"Rocky\"").unwrap();
    assert_eq!((rocky.as_str(), rocky.is_listed()), ("Rocky", false));
    all(OsBit::ALL, "16");
    let err = serde_json::from_str::<Code>("\"nope\"").unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid value: string \"nope\", expected a violation code (one of \"body_too_large\", \
         \"empty_body\", \"malformed_json\", \"not_an_object\", \"duplicate_key\", \"wrong_type\", \
         \"too_short\", \"too_long\", \"out_of_range\", \"not_allowed\", \"bad_format\", \
         \"unknown_os_version\", \"four_byte_unicode\", \"nul_character\", \"too_many\", \
         \"read_only\", \"reserved\", \"near_miss_key\", \"unsupported_media_type\", \
         \"not_an_array\", \"required\", \"not_updatable\", \"conflict\", \"not_found\") at line 1 \
         column 6"
    );
}

/// The page's response sample (`tests/data/response-sample.json`, copied from the
/// seed page, where `updated_at` is one second after `created_at` and the custom
/// property `aaaa` is not echoed).
#[test]
fn the_pages_response_sample_reads_into_a_record() {
    let text =
        std::fs::read_to_string(common::root().join("tests/data/response-sample.json")).unwrap();
    let record: Record = serde_json::from_str(&text).unwrap();
    assert_eq!(record.id, common::CASE_ID);
    assert_eq!(record.name, "test");
    assert_eq!(record.min_disk, 1);
    assert_eq!(record.min_ram, 1024);
    assert_eq!(record.disk_format, DiskFormat::Vhd);
    assert_eq!(record.tags, ["test", "image"]);
    assert_eq!(record.os_version, "Ubuntu 14.04 server 64bit");
    assert_eq!(
        (record.os_type, record.platform.clone(), record.os_bit),
        (OsType::Linux, Platform::Ubuntu, OsBit::Bit64)
    );
    assert_eq!(record.created_at.to_string(), "2016-06-02T07:49:48Z");
    assert_eq!(record.updated_at.to_string(), "2016-06-02T07:49:49Z");
    assert_eq!(record.owner, common::CASE_OWNER);
    assert!(record.properties.is_empty());

    // It is the record the library derives from the request sample under the relaxed
    // rules, but for the two known differences of the page.
    let case = common::cases()
        .into_iter()
        .find(|c| c.min_disk_range == Some((1, 1024)) && c.status == 201)
        .expect("the relaxed sample case");
    let mut derived = validate(&case.body, &case.rules())
        .unwrap()
        .request
        .into_record(&common::context());
    assert_eq!(
        derived.properties,
        [("aaaa".to_owned(), "11111".to_owned())]
    );
    derived.properties.clear();
    derived.updated_at = record.updated_at;
    assert_eq!(derived, record);

    // The copy is the page's sample, when the shared seed is there to compare.
    if let Some(shared) = common::shared() {
        let page = std::fs::read_to_string(shared.join("seed/create-image-metadata.md")).unwrap();
        let start = page.find("\"schema\": \"/v2/schemas/image\"").unwrap();
        let open = page[..start].rfind('{').unwrap();
        let close = open + page[open..].find('}').unwrap();
        let from_page: serde_json::Value = serde_json::from_str(&page[open..=close]).unwrap();
        let copy: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(from_page, copy);
    }
}

/// The conformance case with `min_disk_range [1, 1024]`: its expected record (the
/// response sample, corrected) reads into the record the library derives.
#[test]
fn the_conformance_record_reads_into_the_derived_record() {
    let case = common::cases()
        .into_iter()
        .find(|c| c.min_disk_range == Some((1, 1024)) && c.status == 201)
        .expect("the relaxed sample case");
    let want = serde_json::Value::Object(case.record.clone().unwrap());
    let read: Record = serde_json::from_value(want.clone()).unwrap();
    let derived = validate(&case.body, &case.rules())
        .unwrap()
        .request
        .into_record(&common::context());
    assert_eq!(read, derived);
    assert_eq!(read.properties, [("aaaa".to_owned(), "11111".to_owned())]);
    assert_eq!(serde_json::to_value(&read).unwrap(), want);
}

#[test]
fn a_report_reads_back_equal_and_renders_the_same() {
    let rules = Rules::default();
    let body = br#"{"min_disk": 1, "status": "active", "tags": [5], "a/b~": 1}"#;
    let report = validate(body, &rules).unwrap_err();
    let back: Report = serde_json::from_value(report.to_json_value()).unwrap();
    assert_eq!(back, report);
    assert_eq!(back.status(), 403);
    assert_eq!(back.violations()[3].pointer(), "/a~1b~0");
    assert_eq!(back.ims_error(), report.ims_error());
    assert_eq!(back.to_string(), report.to_string());
    // A newer server's extra fields are skipped.
    let mut extended = report.to_json_value();
    extended["truncated"] = json!(false);
    extended["violations"][0]["url"] = json!("https://example.test/codes/out_of_range");
    assert_eq!(serde_json::from_value::<Report>(extended).unwrap(), report);
    // The params are read back: a changed one makes another report.
    let mut changed = report.to_json_value();
    changed["violations"][0]["params"]["min"] = json!(41);
    assert_ne!(serde_json::from_value::<Report>(changed).unwrap(), report);
}

/// Wrong shapes are serde errors that say what is wrong.
#[test]
fn wrong_shapes_are_refused_with_a_reason() {
    let v = |code: &str| json!({"pointer": "/a", "code": code, "message": "m.", "ims_code": null});
    let reports = [
        (json!({"status": 400}), "missing field `violations`"),
        (
            json!({"violations": [v("wrong_type")]}),
            "missing field `status`",
        ),
        (
            json!({"status": 400, "violations": []}),
            "at least one violation",
        ),
        (
            json!({"status": 400, "violations": [v("nope")]}),
            "invalid value: string \"nope\"",
        ),
        (
            json!({"status": 400, "violations": [v("read_only")]}),
            "status 400 does not match the violations, which give 403",
        ),
        (
            json!({"status": 70000, "violations": [v("wrong_type")]}),
            "invalid value: integer `70000`",
        ),
        (
            json!({"status": "400", "violations": [v("wrong_type")]}),
            "invalid type: string \"400\"",
        ),
        (
            json!({"status": 400, "violations": {}}),
            "invalid type: map",
        ),
        (
            json!({"status": 400, "violations": [{"pointer": "/a", "code": "wrong_type", "message": "m"}]}),
            "missing field `ims_code`",
        ),
        (
            json!({"status": 400, "violations": [{"pointer": "a", "code": "wrong_type", "message": "m", "ims_code": null}]}),
            "a JSON Pointer",
        ),
        (
            json!({"status": 400, "violations": [{"pointer": "/a~2", "code": "wrong_type", "message": "m", "ims_code": null}]}),
            "a JSON Pointer",
        ),
        (
            json!({"status": 400, "violations": [{"pointer": "/a", "code": "wrong_type", "message": "m", "ims_code": "IMG.9999"}]}),
            "an IMS error code",
        ),
        (
            json!({"status": 400, "violations": [{"pointer": "/a", "code": "wrong_type", "message": 5, "ims_code": null}]}),
            "invalid type: integer `5`",
        ),
        (json!([400, []]), "invalid type: sequence"),
    ];
    for (doc, why) in reports {
        let err = serde_json::from_value::<Report>(doc.clone())
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{doc}: {err}");
    }
    let dup = r#"{"status": 400, "status": 400, "violations": []}"#;
    let err = serde_json::from_str::<Report>(dup).unwrap_err().to_string();
    assert!(err.contains("duplicate field `status`"), "{err}");

    let good = serde_json::to_value(base_record()).unwrap();
    let with = |key: &str, value: serde_json::Value| {
        let mut r = good.clone();
        r[key] = value;
        r
    };
    let without = |key: &str| {
        let mut r = good.clone();
        r.as_object_mut().unwrap().remove(key);
        r
    };
    let records = [
        (without("id"), "missing field `id`"),
        (without("__os_bit"), "missing field `__os_bit`"),
        (without("updated_at"), "missing field `updated_at`"),
        (with("min_disk", json!(-1)), "invalid value: integer `-1`"),
        (
            with("min_ram", json!(4294967296u64)),
            "invalid value: integer `4294967296`",
        ),
        (
            with("min_disk", json!(40.0)),
            "invalid type: floating point",
        ),
        (
            with("protected", json!("false")),
            "invalid type: string \"false\"",
        ),
        (
            with("disk_format", json!("vmdk")),
            "invalid value: string \"vmdk\"",
        ),
        (with("__os_bit", json!(64)), "invalid type: integer `64`"),
        (with("__platform", json!("")), "invalid value: string \"\""),
        (with("tags", json!(["a", 1])), "invalid type: integer `1`"),
        (
            with("created_at", json!("2016-06-02 07:49:48")),
            "YYYY-MM-DDTHH:MM:SSZ",
        ),
        (with("status", json!(1)), "invalid type: integer `1`"),
        (with("aaaa", json!(1)), "invalid type: integer `1`"),
        (
            with("hw_firmware_type", json!("efi")),
            "invalid value: string \"efi\"",
        ),
        (with("name", json!(null)), "invalid type: null"),
        (json!("record"), "invalid type: string"),
    ];
    for (doc, why) in records {
        let err = serde_json::from_value::<Record>(doc.clone())
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{why}: {err}");
    }
    // Repeated keys: a field, a constant, a custom property.
    let text = serde_json::to_string(&good).unwrap();
    for (extra, why) in [
        (r#""name": "b""#, "duplicate field `name`"),
        (r#""status": "queued""#, "duplicate field `status`"),
        (r#""k": "1", "k": "2""#, "duplicate custom property `k`"),
        // Keys alike in their first 8 bytes (the sort's integer prefix), and the first
        // repeated key in key order named when there are two.
        (
            r#""abcdefghij": "1", "abcdefghik": "2", "abcdefghij": "3""#,
            "duplicate custom property `abcdefghij`",
        ),
        (
            r#""ba": "1", "ab": "2", "ba": "3", "ab": "4""#,
            "duplicate custom property `ab`",
        ),
    ] {
        let doc = format!("{{{extra}, {}", &text[1..]);
        let err = serde_json::from_str::<Record>(&doc)
            .unwrap_err()
            .to_string();
        assert!(err.contains(why), "{why}: {err}");
    }
    // Keys equal but for a trailing NUL, or alike in 8 bytes, are different keys.
    let doc = format!(
        r#"{{"ab": "1", "ab\u0000": "2", "abcdefgh": "3", "abcdefgh\u0000": "4", {}"#,
        &text[1..]
    );
    let read: Record = serde_json::from_str(&doc).unwrap();
    assert_eq!(read.properties.len(), base_record().properties.len() + 4);
    // Keys the service sets and the record does not model are kept as read, whatever
    // they hold, as a real answer may carry them (and an update writes them back).
    for (key, value) in [
        ("virtual_size", json!(null)),
        ("checksum", json!({"md5": 1})),
    ] {
        let doc = with(key, value.clone());
        let read: Record = serde_json::from_value(doc.clone()).unwrap();
        assert_eq!(read.service, [(key.to_owned(), value)]);
        assert_eq!(serde_json::to_value(&read).unwrap(), doc);
    }
    // A constant with the record's own value is not kept; another is.
    let read: Record = serde_json::from_value(with("status", json!("queued"))).unwrap();
    assert_eq!(read, base_record());
    let read: Record = serde_json::from_value(with("status", json!("active"))).unwrap();
    assert_eq!(read.service, [("status".to_owned(), json!("active"))]);
}

/// A record read back with service keys (constants the service changed, keys it sets
/// that the record does not model, in any order) is written by the byte writer as its
/// `Serialize` writes it, byte for byte, and its pretty form as serde_json's.
#[test]
fn the_byte_writer_keeps_service_keys_as_serialize_does() {
    let overrides: &[(&str, serde_json::Value)] = &[
        ("status", json!("active")),
        ("visibility", json!("public")),
        ("container_format", json!("ovf")),
        ("self", json!("/v2/images/elsewhere")),
        ("file", json!("/v2/images/elsewhere/file")),
        ("schema", json!("/v2/schemas/other")),
        ("__image_source_type", json!("obs")),
        ("__image_size", json!("42")),
        ("__isregistered", json!("false")),
        ("__imagetype", json!("gold")),
        ("virtual_env_type", json!("Ironic")),
        ("size", json!(1_073_741_824u64)),
        (
            "checksum",
            json!({"md5": "d41d8cd9", "n": [1, 2.5, null, true]}),
        ),
        (
            "locations",
            json!([{"url": "obs://b/\u{0}\"k\u{2028}", "metadata": {}}]),
        ),
        ("virtual_size", json!(null)),
    ];
    // Each one alone, and all of them, in table order and reversed.
    let mut sets: Vec<Vec<(&str, serde_json::Value)>> =
        overrides.iter().map(|kv| vec![kv.clone()]).collect();
    sets.push(overrides.to_vec());
    sets.push(overrides.iter().rev().cloned().collect());
    for set in sets {
        let mut doc = serde_json::to_value(base_record()).unwrap();
        for (k, v) in &set {
            doc[*k] = v.clone();
        }
        let read: Record = serde_json::from_value(doc).unwrap();
        assert!(!read.service.is_empty(), "{set:?}");
        let mut out = Vec::new();
        read.write_json(&mut out);
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string(&read).unwrap(),
            "{set:?}"
        );
        assert_eq!(
            String::from_utf8(read.to_pretty_json()).unwrap(),
            serde_json::to_string_pretty(&read).unwrap()
        );
    }
}

/// A truncated report reads back with its total and status (from violations it left
/// out), and a total below the kept count is refused.
#[test]
fn a_truncated_report_round_trips() {
    let body = format!(r#"{{"status":"x","tags":[{}]}}"#, vec!["1"; 300].join(","));
    let report =
        ims_image_meta::validate(body.as_bytes(), &ims_image_meta::Rules::default()).unwrap_err();
    assert!(report.is_truncated());
    let json = serde_json::to_string(&report).unwrap();
    let back: ims_image_meta::Report = serde_json::from_str(&json).unwrap();
    assert_eq!(back, report);
    assert_eq!((back.total(), back.status()), (302, 403));
    let bad = json.replace("\"total\":302", "\"total\":3");
    let err = serde_json::from_str::<ims_image_meta::Report>(&bad).unwrap_err();
    assert!(err.to_string().contains("total 3 is less than"), "{err}");
}

/// Reading stored bytes (`Record::from_json`, keys and constants borrowed from the
/// input): the order of the keys, and escapes in them, do not change what is read.
/// `self` and `file` are the record's own (dropped) or kept whether they come before
/// the id or after it.
#[test]
fn stored_bytes_read_the_same_in_any_key_order() {
    let mut own = Vec::new();
    base_record().write_json(&mut own);
    let doc: serde_json::Map<String, serde_json::Value> = serde_json::from_slice(&own).unwrap();
    let id = base_record().id;
    for links in [None, Some("elsewhere")] {
        let mut entries: Vec<(String, serde_json::Value)> = doc.clone().into_iter().collect();
        if let Some(other) = links {
            for (k, v) in &mut entries {
                match k.as_str() {
                    "self" => *v = json!(format!("/v2/images/{other}")),
                    "file" => *v = json!(format!("/v2/images/{other}/file")),
                    _ => {}
                }
            }
        }
        let text = |entries: &[(String, serde_json::Value)], escape: bool| {
            let members: Vec<String> = entries
                .iter()
                .map(|(k, v)| {
                    let key = if escape {
                        // Every key escaped: none can be borrowed.
                        let hex: String =
                            k.chars().map(|c| format!("\\u{:04x}", c as u32)).collect();
                        format!("\"{hex}\"")
                    } else {
                        serde_json::to_string(k).unwrap()
                    };
                    format!("{key}:{v}")
                })
                .collect();
            format!("{{{}}}", members.join(","))
        };
        let id_at = entries.iter().position(|(k, _)| k == "id").unwrap();
        let mut id_last = entries.clone();
        let moved = id_last.remove(id_at);
        id_last.push(moved);
        let mut reversed = entries.clone();
        reversed.reverse();
        let first = Record::from_json(text(&entries, false).as_bytes()).unwrap();
        for (what, bytes) in [
            ("id last", text(&id_last, false)),
            ("reversed", text(&reversed, false)),
            ("escaped keys", text(&entries, true)),
        ] {
            let mut read = Record::from_json(bytes.as_bytes()).unwrap();
            // Kept service keys stay in the order read (and are written back so).
            read.service.sort_by(|a, b| a.0.cmp(&b.0));
            let mut want = first.clone();
            want.service.sort_by(|a, b| a.0.cmp(&b.0));
            assert_eq!(read, want, "{what}, links {links:?}");
        }
        let mut kept: Vec<&str> = first.service.iter().map(|(k, _)| k.as_str()).collect();
        kept.sort_unstable();
        match links {
            None => {
                assert!(kept.is_empty(), "{kept:?}");
                assert_eq!(first, base_record());
            }
            Some(_) => assert_eq!(kept, ["file", "self"]),
        }
        assert_eq!(first.id, id);
    }
}
