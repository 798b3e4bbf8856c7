//! The bench bodies (shared by the criterion bench, the profile example and the
//! allocation and bomb tests).

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

/// The maximal body's shape with CJK strings (3 bytes a char): 128 tags and 128
/// custom properties whose keys are 3 digits and 60 ideographs, a CJK name, and CJK
/// values as long as fit under the 114688-byte cap. Nearly every byte is non-ASCII.
pub fn maximal_cjk() -> String {
    let cap = ims_image_meta::Rules::default().max_body_bytes();
    let cjk = |n: usize| "镜像".repeat(n / 2);
    let tags: Vec<String> = (0..128).map(|i| format!("{i:03}{}", cjk(60))).collect();
    let key = |i: usize| format!("{i:03}{}", cjk(60));
    let build = |value_chars: usize| {
        let mut m = serde_json::Map::new();
        m.insert("name".into(), format!("最大{}", cjk(20)).into());
        m.insert("__os_version".into(), "Ubuntu 14.04 server 64bit".into());
        m.insert("min_disk".into(), 40.into());
        m.insert("tags".into(), tags.clone().into());
        for i in 0..128 {
            m.insert(key(i), cjk(value_chars).into());
        }
        serde_json::Value::Object(m).to_string()
    };
    let base = build(0).len();
    // Whole pairs of 3-byte chars per value.
    let body = build((cap - base) / 128 / 6 * 2);
    assert!(
        body.len() <= cap && body.len() > cap - 128 * 6,
        "{}",
        body.len()
    );
    body
}

/// A valid body with 128 short tags (`t0` … `t127`: 2 to 4 bytes each).
pub fn tags_128() -> String {
    let tags: Vec<String> = (0..128).map(|i| format!("\"t{i}\"")).collect();
    format!(
        r#"{{"name": "tags", "min_disk": 40, "tags": [{}]}}"#,
        tags.join(", ")
    )
}

/// A valid body with `n` custom properties, each a 16-byte key and a 16-byte value.
pub fn properties(n: usize) -> String {
    let props: Vec<String> = (0..n)
        .map(|i| format!(r#""property_{i:06}": "value_{i:010}""#))
        .collect();
    format!(
        r#"{{"name": "props", "min_disk": 40, {}}}"#,
        props.join(", ")
    )
}

/// `n` distinct generated catalog rows that look like real ones
/// (`Ubuntu 14.04 server 64bit`, …): 16 distros, versions counting up, 32 and 64 bits.
pub fn catalog_rows(n: usize) -> Vec<ims_image_meta::catalog::OsVersion> {
    use ims_image_meta::{
        catalog::OsVersion,
        values::{OsBit, OsType, Platform},
    };
    const DISTROS: [&str; 16] = [
        "Ubuntu",
        "CentOS",
        "Debian GNU/Linux",
        "Redhat Linux Enterprise",
        "SUSE Linux Enterprise Server",
        "OpenSUSE",
        "Oracle Linux Server release",
        "Fedora",
        "EulerOS",
        "CoreOS",
        "openEuler",
        "NeoKylin",
        "Rocky Linux",
        "AlmaLinux",
        "Kylin Linux Advanced Server",
        "UnionTech OS Server",
    ];
    (0..n)
        .map(|i| {
            let distro = DISTROS[i % 16];
            let v = i / 32;
            let (bits, bit) = if i / 16 % 2 == 0 {
                (64, OsBit::Bit64)
            } else {
                (32, OsBit::Bit32)
            };
            OsVersion::new(
                format!("{distro} {}.{:02} server {bits}bit", v / 100, v % 100),
                OsType::Linux,
                Platform::Other,
                bit,
            )
        })
        .collect()
}

/// Every body of the bench by name, in its order.
pub fn all() -> Vec<(&'static str, String)> {
    vec![
        ("sample", SAMPLE.to_owned()),
        ("empty", EMPTY.to_owned()),
        ("maximal", maximal()),
        ("bad", BAD.to_owned()),
        ("maximal_cjk", maximal_cjk()),
        ("tags_128", tags_128()),
        ("props_1", properties(1)),
        ("props_8", properties(8)),
        ("props_32", properties(32)),
        ("props_128", properties(128)),
    ]
}
