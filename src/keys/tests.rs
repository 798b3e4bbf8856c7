//! The field table and `classify` against the key lists.

use super::*;

/// `classify` spells the key lists and the field table out again, bucketed by
/// length: it must agree with them (and with `ptr`, for the fields) on every key.
#[test]
fn classify_agrees_with_the_key_lists() {
    for key in READ_ONLY {
        assert_eq!(classify(key), KeyKind::ReadOnly, "{key}");
    }
    for key in RESERVED {
        assert_eq!(classify(key), KeyKind::Reserved, "{key}");
    }
    for &f in Field::ALL {
        assert_eq!(classify(f.key()), KeyKind::Field(f), "{f:?}");
        assert!(matches!(ptr(f.key()), Short::Static(_)), "{f:?}");
        assert_eq!(ptr(f.key()).as_str(), format!("/{}", f.key()));
    }
    // The table, pinned against an independently written list.
    let fields = [
        "id",
        "name",
        "__os_version",
        "visibility",
        "protected",
        "container_format",
        "disk_format",
        "tags",
        "min_ram",
        "min_disk",
        "__description",
        "hw_firmware_type",
        "os_hidden",
    ];
    assert_eq!(Field::KEYS, fields);
    assert_eq!(Field::COUNT, 13);
    for key in ["os_glance", "os_glance_x", "deleted_at"] {
        assert_eq!(classify(key), KeyKind::Reserved, "{key}");
    }
    for key in [
        "",
        "aaaa",
        "Name",
        "name ",
        "tag",
        "os_glanc",
        "x_os_glance",
        "sizes",
    ] {
        assert_eq!(classify(key), KeyKind::Custom, "{key}");
    }
}
