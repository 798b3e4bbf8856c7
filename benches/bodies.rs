//! The four bench bodies (shared by the criterion bench and the allocation count).

/// The page's request sample with `min_disk` 40 (examples/sample-request.json).
pub const SAMPLE: &str = include_str!("../examples/sample-request.json");

/// The empty object: every default.
pub const EMPTY: &str = "{}";

/// 128 tags of 255 chars and 128 custom properties with 255-char keys and values as
/// long as fit: the largest valid body under the default 114688-byte cap.
pub fn maximal() -> String {
    let cap = ims_image_meta::Rules::default().max_body_bytes();
    let tags: Vec<String> = (0..128)
        .map(|i| format!("{i:03}{}", "t".repeat(252)))
        .collect();
    let key = |i: usize| format!("{i:03}{}", "k".repeat(252));
    let build = |value_len: usize| {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), "maximal".into());
        m.insert("__os_version".into(), "Ubuntu 14.04 server 64bit".into());
        m.insert("min_disk".into(), 40.into());
        m.insert("tags".into(), tags.clone().into());
        for i in 0..128 {
            m.insert(key(i), "v".repeat(value_len).into());
        }
        serde_json::Value::Object(m).to_string()
    };
    let base = build(0).len();
    let body = build((cap - base) / 128);
    assert!(
        body.len() <= cap && body.len() > cap - 128,
        "{}",
        body.len()
    );
    body
}

/// A body with 12 violations, one of them read-only (403).
pub const BAD: &str = r#"{
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
