//! The kit checks itself: thousands of cases per rule set through `validate`, each
//! verdict equal to the case's expectation exactly (status, the set of (pointer,
//! code), the order, the total), and a valid case's request equal to its expected
//! fields. `breaking` makes every code the rules allow, and refuses the others.

use ims_image_meta::kit::{self, Case, KitError, Source};
use ims_image_meta::values::NameCharset;
use ims_image_meta::{validate, Code, Profile, Rules};

#[path = "common/sweep.rs"]
mod sweep;

/// Cases per profile for `any` (`KIT_CASES` sets it): 2,000 under `IMS_LONG_TESTS=1`,
/// else 400.
fn cases() -> u64 {
    std::env::var("KIT_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or_else(|| {
            sweep::size(
                "every_case_gets_exactly_its_expected_verdict_under_every_rule_set",
                "2,000 kit cases per profile, 500 per other rule set",
                400,
                2000,
            )
        })
}

/// Every profile, and rule sets that move each knob the kit must respect.
fn rule_sets() -> Vec<(String, Rules)> {
    let mut out: Vec<(String, Rules)> = Profile::ALL
        .iter()
        .map(|&p| (p.to_string(), Rules::profile(p)))
        .collect();
    let b = || Rules::builder(Profile::Ims2022);
    let more = [
        ("four-byte allowed", b().allow_four_byte_unicode(true).build()),
        ("near misses refused", b().refuse_near_miss_keys(true).build()),
        (
            "small quotas and cap",
            b().max_tags(3)
                .max_properties(2)
                .property_value_max_bytes(10)
                .max_body_bytes(4096)
                .build(),
        ),
        ("three violations kept", b().max_violations(3).build()),
        (
            "any name, 128 chars",
            b().name_charset(NameCharset::Any).name_max_chars(128).build(),
        ),
        ("unknown OS allowed", b().allow_unknown_os_version(true).build()),
        (
            "rules file",
            Rules::from_json(
                br#"{"profile": "huaweicloud", "min_disk_linux": [0, 255], "min_disk_windows": [60, 4294967295], "max_tags": 5, "name_max_chars": 2}"#,
            ),
        ),
    ];
    for (name, rules) in more {
        out.push((name.to_owned(), rules.unwrap()));
    }
    out
}

/// The verdict `validate` gives, as a case states it.
fn verdict(case: &Case, rules: &Rules) -> Result<(), String> {
    match validate(case.body(), rules) {
        Ok(ok) => {
            if !case.is_valid() {
                return Err(format!(
                    "accepted, want {}: {:?}",
                    case.status(),
                    case.violations()
                ));
            }
            match case.expected() {
                Some(e) => e.check(&ok.request),
                None => Err("a valid case without expected fields".into()),
            }
        }
        Err(report) => {
            let got: Vec<(String, Code)> = report
                .violations()
                .iter()
                .map(|v| (v.pointer().to_owned(), v.code()))
                .collect();
            if report.status() != case.status() || got != case.violations() {
                return Err(format!(
                    "got {} {:?}, want {} {:?}",
                    report.status(),
                    got,
                    case.status(),
                    case.violations()
                ));
            }
            if report.total() != case.total() {
                return Err(format!("total {}, want {}", report.total(), case.total()));
            }
            Ok(())
        }
    }
}

#[track_caller]
fn agree(case: &Case, rules: &Rules, label: &str) {
    if let Err(e) = verdict(case, rules) {
        let body = String::from_utf8_lossy(case.body());
        panic!("{label}: {}: {e}\nbody: {body:.600}", case.what());
    }
}

#[test]
fn every_case_gets_exactly_its_expected_verdict_under_every_rule_set() {
    for (i, (name, rules)) in rule_sets().into_iter().enumerate() {
        let mut source = Source::from_seed(0x5eed ^ name.len() as u64);
        let mut valid = 0;
        // Thousands per profile; a quarter of that per other rule set.
        let n = if i < Profile::ALL.len() {
            cases()
        } else {
            cases() / 4
        };
        for i in 0..n {
            let case = Case::any(&rules, &mut source).unwrap();
            valid += usize::from(case.is_valid());
            agree(&case, &rules, &format!("{name} #{i}"));
        }
        // The mix holds both kinds in earnest.
        assert!(valid as u64 > n / 5, "{name}: {valid} valid");
        assert!((valid as u64) < n * 3 / 4, "{name}: {valid} valid");
    }
}

#[test]
fn breaking_makes_every_code_the_rules_allow_and_refuses_the_others() {
    for (name, rules) in rule_sets() {
        let allowed = kit::codes(&rules);
        let mut source = Source::from_seed(22);
        for &code in Code::ALL {
            if allowed.contains(&code) {
                for i in 0..60 {
                    let case = match Case::breaking(&rules, code, &mut source) {
                        Ok(c) => c,
                        Err(KitError::DoesNotFit { .. }) if name == "small quotas and cap" => {
                            continue
                        }
                        Err(e) => panic!("{name}: {code}: {e}"),
                    };
                    assert_eq!(case.violations().len(), 1, "{name}: {code}: {case:?}");
                    assert_eq!(case.violations()[0].1, code);
                    assert_eq!(case.status(), code.status());
                    agree(&case, &rules, &format!("{name} {code} #{i}"));
                }
            } else {
                let err = Case::breaking(&rules, code, &mut source).unwrap_err();
                assert!(
                    matches!(err, KitError::Impossible { code: c, .. } if c == code),
                    "{err}"
                );
                assert!(err.to_string().contains(code.as_str()), "{err}");
            }
        }
    }
    // Which codes the rules rule out.
    let lenient = Rules::builder(Profile::Ims2022)
        .allow_four_byte_unicode(true)
        .build()
        .unwrap();
    assert!(!kit::codes(&lenient).contains(&Code::FourByteUnicode));
    assert!(!kit::codes(&Rules::default()).contains(&Code::NearMissKey));
    // Under rules that rule nothing out, the codes of the create call, and only them:
    // a code of another call (the update calls' codes) is refused, naming the call.
    let strict = Rules::builder(Profile::Ims2022)
        .refuse_near_miss_keys(true)
        .build()
        .unwrap();
    let create: Vec<Code> = [
        "body_too_large",
        "empty_body",
        "malformed_json",
        "not_an_object",
        "duplicate_key",
        "wrong_type",
        "too_short",
        "too_long",
        "out_of_range",
        "not_allowed",
        "bad_format",
        "unknown_os_version",
        "four_byte_unicode",
        "nul_character",
        "too_many",
        "read_only",
        "reserved",
        "near_miss_key",
    ]
    .iter()
    .map(|c| c.parse().unwrap())
    .collect();
    assert_eq!(kit::codes(&strict), create);
    for &code in Code::ALL.iter().filter(|c| !create.contains(c)) {
        let err = Case::breaking(&strict, code, &mut Source::from_seed(1)).unwrap_err();
        assert!(
            err.to_string().contains("not a code of the create call"),
            "{err}"
        );
    }
}

#[test]
fn several_and_hostile_cases_hold_what_they_say() {
    // Hostile cases sit at the cap: 100 per rule set take most of this binary's time.
    let n = sweep::size(
        "several_and_hostile_cases_hold_what_they_say",
        "100 several-fault and 100 hostile cases per rule set",
        30,
        100,
    );
    for (name, rules) in rule_sets() {
        let mut source = Source::from_seed(9);
        let (mut over_400, mut truncated) = (0, 0);
        for i in 0..n {
            let case = Case::several(&rules, &mut source).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert!(
                case.violations().len() >= 2,
                "{name}: {}: {:?}",
                case.what(),
                case.violations()
            );
            over_400 += usize::from(case.status() != 400);
            agree(&case, &rules, &format!("{name} several #{i}"));
            let case = Case::hostile(&rules, &mut source).unwrap_or_else(|e| panic!("{name}: {e}"));
            truncated += usize::from(case.total() > case.violations().len());
            agree(&case, &rules, &format!("{name} hostile #{i}"));
            assert!(case.body().len() <= rules.max_body_bytes());
        }
        // More than one in ten.
        assert!(
            over_400 > n / 10,
            "{name}: precedence seldom exercised ({over_400} of {n})"
        );
        assert!(
            truncated > n / 10,
            "{name}: reports seldom truncated ({truncated} of {n})"
        );
    }
}

#[test]
fn the_same_seed_makes_the_same_cases_and_bytes_drive_them_too() {
    let rules = Rules::default();
    let make = |seed| {
        let mut s = Source::from_seed(seed);
        (0..50)
            .map(|_| Case::any(&rules, &mut s).unwrap())
            .collect::<Vec<_>>()
    };
    assert_eq!(make(3), make(3));
    assert_ne!(make(3), make(4));
    // Any bytes make a case, and the zero bytes make the simplest: `{}`.
    let simplest = Case::valid(&rules, &mut Source::from_bytes(&[])).unwrap();
    assert_eq!(simplest.body(), b"{}");
    for n in 0..300u32 {
        let bytes: Vec<u8> = n
            .to_le_bytes()
            .iter()
            .cycle()
            .take(n as usize)
            .copied()
            .collect();
        let case = Case::any(&rules, &mut Source::from_bytes(&bytes)).unwrap();
        agree(&case, &rules, &format!("bytes {n}"));
    }
}

#[test]
fn the_dictionary_holds_the_keys_values_and_edges() {
    let rules = Rules::default();
    let dict = kit::dictionary(&rules);
    for token in [
        r#""\"__os_version\"""#,
        r#""\"status\"""#,
        r#""\"deleted_at\"""#,
        r#""\"os_glance""#,
        r#""\"zvhd2\"""#,
        r#""\"Ubuntu 14.04 server 64bit\"""#,
        r#""2147483648""#,
        r#""1025""#,
        r#""\\u0000""#,
    ] {
        assert!(dict.contains(token), "{token} missing");
    }
    assert_eq!(dict, kit::dictionary(&rules));
    for l in dict.lines().filter(|l| !l.starts_with('#')) {
        let (name, value) = l.split_once('=').unwrap();
        assert!(
            name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_'),
            "{l}"
        );
        assert!(
            value.starts_with('"') && value.ends_with('"') && value.len() >= 3,
            "{l}"
        );
        assert!(value.bytes().all(|b| (0x20..0x7F).contains(&b)), "{l}");
    }
}
