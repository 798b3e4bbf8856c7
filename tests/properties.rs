//! Property suite, on the crate's own kit (`ims_image_meta::kit`): valid bodies are
//! accepted with the right request and record, one-fault bodies of every code and
//! several-fault and hostile bodies get exactly their verdict, re-validation is a
//! fixpoint, spelling does not matter, pointers resolve (the fuzz target's invariants,
//! `fuzz/checks/bytes.rs`), arbitrary documents always get a verdict, and the fast
//! JSON writers of the record and the report write what serde_json writes. At least
//! 1024 cases each under `IMS_LONG_TESTS=1` (`PROPTEST_CASES` raises it), 256 without.

#[path = "../fuzz/checks/bytes.rs"]
mod bytes;
mod common;
#[path = "../fuzz/checks/shared.rs"]
mod shared;
#[path = "common/sweep.rs"]
mod sweep;

use std::collections::HashSet;

use common::gen::{self, Style, J};
use ims_image_meta::kit::{self, Case, Expected, Source};
use ims_image_meta::{validate, Code, Report, Rules};
use proptest::prelude::*;
use serde_json::{json, Value};

/// Cases of the kit under the default rules, from a byte string proptest shrinks (the
/// case is made again from the shrunk bytes, so its expectation stays true).
fn cases(
    make: fn(&Rules, &mut Source) -> Result<Case, kit::KitError>,
) -> impl Strategy<Value = Case> {
    proptest::collection::vec(any::<u8>(), 0..4096)
        .prop_map(move |bytes| make(&Rules::default(), &mut Source::from_bytes(&bytes)).unwrap())
}

/// One-fault cases of any code the default rules allow.
fn breaking() -> impl Strategy<Value = Case> {
    let codes = kit::codes(&Rules::default());
    (
        proptest::sample::select(codes),
        proptest::collection::vec(any::<u8>(), 0..4096),
    )
        .prop_map(|(code, bytes)| {
            Case::breaking(&Rules::default(), code, &mut Source::from_bytes(&bytes)).unwrap()
        })
}

/// At least 1,024 cases a property under `IMS_LONG_TESTS=1` (`PROPTEST_CASES` raises
/// it), else proptest's own number (256 unless `PROPTEST_CASES` sets it).
fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    let cases = sweep::size(
        "tests/properties.rs (every property)",
        "at least 1,024 cases a property, 256 for several-fault and hostile bodies",
        base.cases,
        base.cases.max(1024),
    );
    ProptestConfig {
        cases,
        max_shrink_iters: 2048,
        ..base
    }
}

fn record_validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&ims_image_meta::schema::record_schema()).unwrap()
}

/// What the response table says the record of a valid body must be.
fn expected_record(e: &Expected) -> Value {
    let id = e.id.clone().unwrap_or_else(|| common::CASE_ID.to_owned());
    let os = &e.os_version;
    let mut rec = json!({
        "id": id,
        "name": e.name.clone().unwrap_or_default(),
        "status": "queued",
        "visibility": "private",
        "protected": e.protected,
        "container_format": "bare",
        "disk_format": e.disk_format.as_str(),
        "tags": e.tags,
        "min_ram": e.min_ram,
        "min_disk": e.min_disk,
        "created_at": "2016-06-02T07:49:48Z",
        "updated_at": "2016-06-02T07:49:48Z",
        "self": format!("/v2/images/{id}"),
        "file": format!("/v2/images/{id}/file"),
        "schema": "/v2/schemas/image",
        "owner": common::CASE_OWNER,
        "__os_version": os.version(),
        "__os_type": os.os_type().as_str(),
        "__platform": os.platform().as_str(),
        "__os_bit": os.bit().as_str(),
        "__image_source_type": "uds",
        "__image_size": "0",
        "__isregistered": "true",
        "__imagetype": "private",
        "virtual_env_type": "FusionCompute",
    });
    let m = rec.as_object_mut().unwrap();
    if let Some(d) = &e.extensions.description {
        m.insert("__description".into(), json!(d));
    }
    if let Some(f) = e.extensions.firmware_type {
        m.insert("hw_firmware_type".into(), json!(f.as_str()));
    }
    if let Some(h) = e.extensions.os_hidden {
        m.insert("os_hidden".into(), json!(h));
    }
    for (k, v) in &e.properties {
        m.insert(k.clone(), json!(v));
    }
    rec
}

/// The verdict of `case`'s body is the case's, exactly.
fn agrees(case: &Case) -> Result<(), TestCaseError> {
    match validate(case.body(), &Rules::default()) {
        Ok(ok) => {
            prop_assert!(case.is_valid(), "{}: accepted", case.what());
            let e = case.expected().unwrap();
            e.check(&ok.request).map_err(TestCaseError::fail)?;
        }
        Err(report) => {
            let got: Vec<(String, Code)> = report
                .violations()
                .iter()
                .map(|v| (v.pointer().to_owned(), v.code()))
                .collect();
            prop_assert_eq!(report.status(), case.status(), "{}", case.what());
            prop_assert_eq!(&got[..], case.violations(), "{}", case.what());
            prop_assert_eq!(report.total(), case.total());
            same_bytes_every_style(&report);
        }
    }
    // The fuzz target's invariants of raw bytes: pointers that resolve, one violation
    // per place, a bounded report, a fixpoint.
    bytes::check(case.body());
    Ok(())
}

fn record_of(body: &[u8]) -> Result<Value, Report> {
    validate(body, &Rules::default()).map(|ok| {
        let mut fused = Vec::new();
        ok.request.write_record_json(&common::context(), &mut fused);
        let record = ok.request.into_record(&common::context());
        same_bytes(&record, |out| record.write_json(out));
        same_bytes(&record, |out| out.extend_from_slice(&fused));
        serde_json::to_value(record).unwrap()
    })
}

/// The fast JSON writer of an answer writes what serde_json writes, byte for byte.
#[track_caller]
fn same_bytes<T: serde::Serialize>(answer: &T, write: impl FnOnce(&mut Vec<u8>)) {
    let mut fast = Vec::new();
    write(&mut fast);
    let serde = serde_json::to_vec(answer).unwrap();
    assert!(
        fast == serde,
        "write_json:\n{}\nserde_json:\n{}",
        String::from_utf8_lossy(&fast),
        String::from_utf8_lossy(&serde)
    );
}

/// The report's byte writer agrees with its serde views in every format and locale.
fn same_bytes_every_style(report: &ims_image_meta::Report) {
    use ims_image_meta::report::{Format, Style};
    use ims_image_meta::Locale;
    for &locale in Locale::ALL {
        same_bytes(&report.localized(locale), |out| {
            report.write_json(Style::new(Format::Glance, locale), out)
        });
        same_bytes(&report.problem(locale), |out| {
            report.write_json(Style::new(Format::Problem, locale), out)
        });
        same_bytes(&report.ims_error_in(locale), |out| {
            report.write_json(Style::new(Format::Ims, locale), out)
        });
    }
}

/// Every pointer resolves in the body, and names one location once.
fn pointers_resolve(report: &Report, doc: &J) -> Result<(), TestCaseError> {
    let mut seen = HashSet::new();
    for v in report.violations() {
        // An abbreviated pointer (a long key cut, `…`) stands for a place it names.
        let abbreviated = v.pointer().contains('…');
        prop_assert!(
            abbreviated || gen::resolves(doc, v.pointer()),
            "{} does not resolve",
            v
        );
        prop_assert!(
            seen.insert(v.pointer()),
            "two violations at '{}': {}",
            v.pointer(),
            report
        );
    }
    Ok(())
}

/// The integer fields, by the request schema (so a new one needs no change here).
fn integer_fields(rules: &Rules) -> Vec<String> {
    let schema = ims_image_meta::schema::request_schema(rules);
    let props = schema["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let fields: Vec<String> = props
        .into_iter()
        .filter(|(_, s)| s["type"] == "integer")
        .map(|(k, _)| k)
        .collect();
    assert!(fields.len() >= 2, "{fields:?}");
    fields
}

proptest! {
    #![proptest_config(config())]

    /// 1. Every valid body is accepted, its request has the expected fields, and its
    /// record is what the response table says (and validates against `record_schema`).
    #[test]
    fn valid_bodies_are_accepted_with_the_documented_record(case in cases(Case::valid)) {
        agrees(&case)?;
        let record = match record_of(case.body()) {
            Ok(r) => r,
            Err(report) => return Err(TestCaseError::fail(format!("rejected: {report}"))),
        };
        prop_assert_eq!(&record, &expected_record(case.expected().unwrap()));
        let schema = record_validator();
        prop_assert!(schema.is_valid(&record), "record breaks record_schema: {}", record);
    }

    /// 2. Every one-fault body, of every code (403, 413 and whole-body ones too), is
    /// rejected with exactly that (pointer, code) and the status the code asks for.
    #[test]
    fn one_fault_bodies_are_rejected_with_exactly_their_violation(case in breaking()) {
        prop_assert_eq!(case.violations().len(), 1);
        prop_assert_eq!(case.status(), case.violations()[0].1.status());
        agrees(&case)?;
    }

    /// 3. Re-validating the body rebuilt from a validated request gives the same
    /// request; and the record does not depend on key order, whitespace or escaping.
    #[test]
    fn revalidation_is_a_fixpoint_and_spelling_does_not_matter(case in cases(Case::valid)) {
        let rules = Rules::default();
        let first = validate(case.body(), &rules).unwrap();
        let rebuilt = serde_json::to_vec(&first.request).unwrap();
        let uncapped = rules.to_builder().max_body_bytes(usize::MAX).build().unwrap();
        let again = validate(&rebuilt, &uncapped).unwrap();
        prop_assert_eq!(&again.request, &first.request);
        // Same body, spelled by serde_json: keys sorted, no whitespace, other escapes.
        // (`-0`, an integer 0 in the contract, would become serde_json's `-0.0`.)
        let mut value: Value = serde_json::from_slice(case.body()).unwrap();
        for f in integer_fields(&rules) {
            if value[f.as_str()].as_f64() == Some(0.0) {
                value[f] = json!(0);
            }
        }
        let respelled = serde_json::to_vec(&value).unwrap();
        let a = serde_json::to_value(first.request.into_record(&common::context())).unwrap();
        let b = match record_of(&respelled) {
            Ok(b) => b,
            // Only the cap may differ: serde_json's spelling may be longer.
            Err(r) => {
                prop_assert!(respelled.len() > rules.max_body_bytes(), "{}", r);
                return Ok(());
            }
        };
        prop_assert_eq!(a, b);
    }

    /// 4 and 5. On any JSON document: a verdict, never a panic; a rejection has a status
    /// in {400, 403, 413} and at most one violation per location, and each pointer
    /// resolves in the body. The verdict is `malformed_json` exactly when serde_json
    /// refuses the document (too deep).
    #[test]
    fn any_document_gets_a_verdict_with_resolvable_pointers(doc in gen::any_document(), style in gen::style()) {
        let body = gen::render(&doc, style);
        let parsed: Result<Value, _> = serde_json::from_str(&body);
        match validate(body.as_bytes(), &Rules::default()) {
            Ok(ok) => {
                prop_assert!(parsed.as_ref().is_ok_and(Value::is_object));
                let record = ok.request.into_record(&common::context());
                same_bytes(&record, |out| record.write_json(out));
            }
            Err(report) => {
                prop_assert!(matches!(report.status(), 400 | 403 | 413));
                prop_assert!(!report.violations().is_empty());
                same_bytes_every_style(&report);
                let malformed = report.violations()[0].code() == ims_image_meta::Code::MalformedJson;
                if body.len() <= ims_image_meta::Rules::default().max_body_bytes() {
                    prop_assert_eq!(malformed, parsed.is_err());
                }
                if !malformed {
                    pointers_resolve(&report, &doc)?;
                }
            }
        }
    }
}

#[test]
fn the_style_renderer_keeps_meaning() {
    // The renderer itself must not change what a body means, or the properties above
    // would test nothing: spot-check it against serde_json.
    let doc = J::Obj(vec![
        ("a/b".into(), J::s("x\"\\\n\t\u{1}é😀/")),
        ("n".into(), J::n(5)),
        ("t".into(), J::Arr(vec![J::Bool(true), J::Null])),
    ]);
    for seed in 1..200u64 {
        let style = Style {
            seed,
            escape_one_in: 2,
            spaces: true,
        };
        let text = gen::render(&doc, style);
        let v: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(v, gen::to_value(&doc), "{text}");
    }
}

proptest! {
    // Bodies at the 112 KiB cap take ~0.1 s each in a debug build: 256 cases here.
    #![proptest_config(ProptestConfig { cases: config().cases / 4, ..config() })]

    /// 2b. Several faults at once, and hostile shapes at the cap: every violation, in
    /// order, the status by precedence, the report truncated where it must be.
    #[test]
    fn several_faults_and_hostile_bodies_get_exactly_their_verdict(
        several in cases(Case::several),
        hostile in cases(Case::hostile),
    ) {
        agrees(&several)?;
        agrees(&hostile)?;
    }
}
