//! Unit tests of the parent module (they see its private items).

use super::*;
use std::time::Duration;

fn ts(secs: i64) -> String {
    Timestamp::from_unix(secs).unwrap().to_string()
}

#[test]
fn timestamps_format_in_utc() {
    assert_eq!(ts(0), "1970-01-01T00:00:00Z");
    assert_eq!(ts(1_464_853_788), "2016-06-02T07:49:48Z");
    assert_eq!(ts(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(ts(-1), "1969-12-31T23:59:59Z");
    assert_eq!(ts(MIN_UNIX), "0000-01-01T00:00:00Z");
    assert_eq!(ts(MAX_UNIX), "9999-12-31T23:59:59Z");
    assert_eq!(ts(4_107_542_400), "2100-03-01T00:00:00Z");
}

#[test]
fn timestamps_outside_four_digit_years_are_refused() {
    assert_eq!(
        Timestamp::from_unix(MAX_UNIX + 1),
        Err(ContextError::TimeOutOfRange(MAX_UNIX + 1))
    );
    assert!(Timestamp::from_unix(MIN_UNIX - 1).is_err());
    assert!(Timestamp::from_unix(i64::MIN).is_err());
    assert!(Timestamp::from_unix(i64::MAX).is_err());
}

#[test]
fn system_time_truncates_toward_the_past() {
    let t = UNIX_EPOCH + Duration::from_millis(1_464_853_788_900);
    assert_eq!(
        Timestamp::from_system_time(t).unwrap().unix(),
        1_464_853_788
    );
    let before = UNIX_EPOCH - Duration::from_millis(1_500);
    assert_eq!(Timestamp::from_system_time(before).unwrap().unix(), -2);
    let exact = UNIX_EPOCH - Duration::from_secs(2);
    assert_eq!(Timestamp::from_system_time(exact).unwrap().unix(), -2);
}

#[test]
fn context_checks_its_inputs() {
    let now = Timestamp::from_unix(0).unwrap();
    assert!(Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", now).is_ok());
    assert_eq!(
        Context::new("x", "p", now).unwrap_err().to_string(),
        "image id 'x' is not a UUID (8-4-4-4-12 hex digits)"
    );
    assert_eq!(
        Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "", now),
        Err(ContextError::EmptyOwner)
    );
}

#[test]
fn from_json_reads_what_from_slice_reads() {
    let rules = crate::Rules::default();
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).unwrap(),
    )
    .unwrap();
    let body = r#"{"name": "web 镜像", "tags": ["a", "\u00e9"], "__description": "d", "k": "v"}"#
        .as_bytes();
    let record = crate::validate(body, &rules)
        .unwrap()
        .request
        .into_record(&ctx);
    let mut stored = Vec::new();
    record.write_json(&mut stored);
    // A round trip through the bytes the record writer gives.
    assert_eq!(Record::from_json(&stored).unwrap(), record);
    // A service value, and a `self` that is not the record's own: both kept.
    let text = String::from_utf8(stored.clone()).unwrap();
    let own = r#""/v2/images/4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86""#;
    assert!(text.contains(own));
    let with_service = text
        .replacen(own, r#""/v2/images/other""#, 1)
        .replacen('}', r#", "size": 7}"#, 1)
        .into_bytes();
    let not_utf8 = [&stored[..10], b"\xff", &stored[10..]].concat();
    let cases: [&[u8]; 6] = [
        &stored,
        &with_service,
        &not_utf8,
        b"{}",
        br#"{"id": 1}"#,
        b"[",
    ];
    // Two paths agree: the same record, or the same error at the same place.
    for bytes in cases {
        let a = Record::from_json(bytes).map_err(|e| e.to_string());
        let b = serde_json::from_slice::<Record>(bytes).map_err(|e| e.to_string());
        assert_eq!(a, b, "{}", String::from_utf8_lossy(bytes));
    }
    let kept = Record::from_json(&with_service).unwrap();
    assert_eq!(kept.service_value("size"), Some(&serde_json::json!(7)));
    assert_eq!(
        kept.service_value("self"),
        Some(&serde_json::json!("/v2/images/other"))
    );
}

/// The record writes its keys in one order, the rows of `record/keys.rs` (its
/// `Serialize` and its byte writer alike), the service's other keys after them, then
/// the extensions and the custom properties: pinned here, so that a change of order is
/// one made on purpose.
#[test]
fn the_record_writes_its_keys_in_its_order() {
    let order = [
        "id",
        "name",
        "status",
        "visibility",
        "protected",
        "container_format",
        "disk_format",
        "tags",
        "min_ram",
        "min_disk",
        "created_at",
        "updated_at",
        "self",
        "file",
        "schema",
        "owner",
        "__os_version",
        "__os_type",
        "__platform",
        "__os_bit",
        "__image_source_type",
        "__image_size",
        "__isregistered",
        "__imagetype",
        "virtual_env_type",
        "size",
        "__description",
        "k",
    ];
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "p",
        Timestamp::from_unix(0).unwrap(),
    )
    .unwrap();
    let body = br#"{"k": "v", "__description": "d", "tags": ["t"]}"#;
    let mut record = crate::validate(body, &crate::Rules::default())
        .unwrap()
        .request
        .into_record(&ctx);
    record
        .service
        .push(("size".to_owned(), serde_json::json!(7)));
    record
        .service
        .push(("status".to_owned(), serde_json::json!("active")));
    let mut written = Vec::new();
    record.write_json(&mut written);
    for text in [
        String::from_utf8(written).unwrap(),
        serde_json::to_string(&record).unwrap(),
    ] {
        let at: Vec<usize> = order
            .iter()
            .map(|k| text.find(&format!("\"{k}\":")).expect(k))
            .collect();
        assert!(at.windows(2).all(|w| w[0] < w[1]), "{text}");
        assert_eq!(text.matches("\":").count(), order.len(), "{text}");
    }
}

/// A key the service changes lists a new image's value among what else it writes
/// (the record schema's enum or pattern holds the record's own value).
#[test]
fn a_service_value_is_among_its_others() {
    use keys::{Others, Slot};
    let mut seen = 0;
    for (key, slot) in keys::ORDER {
        if let Slot::Service(own, others) = slot {
            seen += 1;
            match others {
                Others::OneOf(values) => assert!(values.contains(own), "{key}"),
                Others::Digits => assert!(own.bytes().all(|b| b.is_ascii_digit()), "{key}"),
            }
        }
    }
    assert_eq!(seen, 3);
}
