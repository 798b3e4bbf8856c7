//! The client-side builder: what it builds validates to itself, its body is minimal,
//! and a bad build reports what `validate` reports.

mod common;

use ims_image_meta::{
    validate,
    values::{DiskFormat, FirmwareType, OsBit, OsType, Platform},
    Catalog, Profile, RequestBuilder, Rules,
};
use proptest::prelude::*;
use proptest::sample::select;

fn builder() -> impl Strategy<Value = RequestBuilder> {
    let versions = common::gen::catalog_versions();
    (
        (
            prop::option::of("[A-Za-z0-9\u{4E00}-\u{9FFF}][A-Za-z0-9._ -]{0,30}[a-z]"),
            prop::option::of(select(versions)),
            prop::option::of(any::<bool>()),
            prop::option::of(select(Rules::default().disk_formats().to_vec())),
            prop::collection::vec("[a-z\u{4E00}-\u{4E10}]{1,20}", 0..6),
        ),
        (
            prop::option::of(0u32..=2_147_483_647),
            prop::option::of(40u32..=1024),
            prop::option::of("[^\u{0}\r<>\u{10000}-\u{10FFFF}]{0,100}"),
            prop::option::of(select(FirmwareType::ALL.to_vec())),
            prop::option::of(any::<bool>()),
            prop::collection::vec(
                ("[a-z][a-z0-9_]{0,15}", "[^\u{0}\u{10000}-\u{10FFFF}]{0,20}"),
                0..6,
            ),
        ),
    )
        .prop_map(
            |((name, os, prot, df, tags), (ram, disk, desc, fw, hidden, props))| {
                let mut b = RequestBuilder::new().tags(tags);
                if let Some(v) = name {
                    b = b.name(v);
                }
                if let Some(v) = os {
                    b = b.os_version(v);
                }
                if let Some(v) = prot {
                    b = b.protected(v);
                }
                if let Some(v) = df {
                    b = b.disk_format(v);
                }
                if let Some(v) = ram {
                    b = b.min_ram(v);
                }
                if let Some(v) = disk {
                    b = b.min_disk(v);
                }
                if let Some(v) = desc {
                    b = b.description(v);
                }
                if let Some(v) = fw {
                    b = b.firmware_type(v);
                }
                if let Some(v) = hidden {
                    b = b.os_hidden(v);
                }
                for (k, v) in props {
                    if !common::gen::is_known_key(&k) {
                        b = b.property(k, v);
                    }
                }
                b
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: ProptestConfig::default().cases.max(1024), ..ProptestConfig::default() })]

    /// A built request, serialized and validated, gives the same request back; and the
    /// builder's own minimal body validates to it as well.
    #[test]
    fn a_built_request_round_trips(b in builder()) {
        let rules = Rules::default();
        let built = b.build(&rules).map_err(|r| TestCaseError::fail(r.to_string()))?;
        let full = serde_json::to_vec(&built).unwrap();
        prop_assert_eq!(&validate(&full, &rules).unwrap().request, &built);
        let minimal = b.to_body();
        prop_assert_eq!(&validate(&minimal, &rules).unwrap().request, &built);
        // Minimal: never a default that no knob changes.
        let body: serde_json::Value = serde_json::from_slice(&b.to_body()).unwrap();
        prop_assert_ne!(body.get("protected"), Some(&serde_json::json!(false)));
        prop_assert_ne!(body.get("min_ram"), Some(&serde_json::json!(0)));
        prop_assert_ne!(body.get("tags"), Some(&serde_json::json!([])));
        prop_assert!(body.get("visibility").is_none() && body.get("container_format").is_none());
    }

    /// A bad build reports exactly what `validate` reports for the same body.
    #[test]
    fn a_bad_build_reports_what_validate_reports(
        b in builder(),
        breakage in select(vec!["lead", "disk", "tag", "prop", "os", "desc"]),
    ) {
        let b = match breakage {
            "lead" => b.name(" lead"),
            "disk" => b.min_disk(39),
            "tag" => b.tag(""),
            "prop" => b.property("status", "x"),
            "os" => b.os_version("Windows 99"),
            _ => b.description("<script>"),
        };
        let rules = Rules::default();
        let err = b.build(&rules).unwrap_err();
        let body = b.to_body();
        let direct = validate(&body, &rules).err();
        prop_assert_eq!(Some(&err), direct.as_ref());
        prop_assert_eq!(err.violations().len(), 1);
    }
}

#[test]
fn the_empty_builder_is_the_empty_body() {
    let b = RequestBuilder::new();
    assert_eq!(b.to_body(), b"{}");
    let req = b.build(&Rules::default()).unwrap();
    assert_eq!(req.min_disk(), 40);
    assert_eq!(req.os_version().version(), "Other Linux(64 bit)");
}

#[test]
fn knob_defaults_are_sent_when_set_and_others_omitted() {
    let b = RequestBuilder::new()
        .name("n")
        .protected(false)
        .min_ram(0)
        .min_disk(40)
        .disk_format(DiskFormat::Vhd)
        .property("k", "1")
        .property("k", "2");
    assert_eq!(
        String::from_utf8(b.to_body()).unwrap(),
        r#"{"name":"n","disk_format":"vhd","min_disk":40,"k":"2"}"#
    );
    // Under Open Telekom Cloud's knobs the same body still means min_disk 40.
    let otc = Rules::profile(Profile::Otc);
    let req = b.build(&otc).unwrap();
    assert_eq!((req.min_disk(), req.disk_format()), (40, DiskFormat::Vhd));
}

#[test]
fn catalog_entries_and_typed_values_reach_the_builder() {
    let catalog = Catalog::builtin();
    let os = catalog
        .get("Windows Server 2012 R2 Standard 64bit")
        .unwrap();
    assert_eq!(
        (os.os_type(), os.platform(), os.bit()),
        (OsType::Windows, &Platform::Windows, OsBit::Bit64)
    );
    let req = RequestBuilder::new()
        .os(os)
        .firmware_type("uefi".parse().unwrap())
        .disk_format("zvhd2".parse().unwrap())
        .build(&Rules::default())
        .unwrap();
    assert_eq!(req.os_version(), os);
    assert_eq!(req.firmware_type(), Some(FirmwareType::Uefi));
    assert_eq!(req.disk_format().to_string(), "zvhd2");
    assert!("vmdk".parse::<DiskFormat>().is_err());
}

/// `property` with a key a typed setter also set: `to_body` never writes a key twice,
/// and `build` refuses the repeated key as `validate` refuses it in a body. Other
/// non-custom keys are judged by their own rules.
#[test]
fn a_property_never_repeats_a_key_of_the_body() {
    let rules = Rules::default();
    let all_set = || {
        RequestBuilder::new()
            .id("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86")
            .name("web")
            .os_version("CentOS 7.3 64bit")
            .protected(false)
            .disk_format(DiskFormat::Qcow2)
            .tag("t")
            .min_ram(0)
            .min_disk(40)
            .description("d")
            .firmware_type(FirmwareType::Uefi)
            .os_hidden(true)
    };
    assert!(all_set().build(&rules).is_ok());
    for key in [
        "id",
        "name",
        "__os_version",
        "protected",
        "disk_format",
        "tags",
        "min_ram",
        "min_disk",
        "__description",
        "hw_firmware_type",
        "os_hidden",
    ] {
        let b = all_set().property(key, "x").property("team", "a");
        let body = b.to_body();
        let keys = keys_of(&body);
        let mut unique = keys.clone();
        unique.sort();
        unique.dedup();
        assert_eq!(
            keys.len(),
            unique.len(),
            "{key}: {}",
            String::from_utf8_lossy(&body)
        );
        assert!(keys.contains(&"team".to_owned()), "{key}");
        let report = b.build(&rules).unwrap_err();
        let got: Vec<(&str, &str)> = report
            .violations()
            .iter()
            .map(|v| (v.pointer(), v.code().as_str()))
            .collect();
        assert_eq!(
            got,
            [(format!("/{key}").as_str(), "duplicate_key")],
            "{key}"
        );
    }
    // Keys no setter writes: judged like any body key.
    for (key, code) in [
        ("status", "read_only"),
        ("__platform", "read_only"),
        ("location", "reserved"),
        ("os_glance_x", "reserved"),
        ("visibility", "not_allowed"),
    ] {
        let report = RequestBuilder::new()
            .property(key, "x")
            .build(&rules)
            .unwrap_err();
        assert_eq!(report.violations()[0].code().as_str(), code, "{key}");
    }
    // Without its setter, a documented string field is set by its property.
    let request = RequestBuilder::new()
        .property("name", "db")
        .build(&rules)
        .unwrap();
    assert_eq!(request.name(), Some("db"));
}

/// The top-level keys of a JSON object, in order, repeats included.
fn keys_of(body: &[u8]) -> Vec<String> {
    use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
    struct Keys;
    impl<'de> Visitor<'de> for Keys {
        type Value = Vec<String>;
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut m: A) -> Result<Vec<String>, A::Error> {
            let mut out = Vec::new();
            while let Some(k) = m.next_key::<String>()? {
                m.next_value::<IgnoredAny>()?;
                out.push(k);
            }
            Ok(out)
        }
    }
    serde_json::Deserializer::from_slice(body)
        .deserialize_map(Keys)
        .unwrap()
}
