//! Property suite: valid bodies are accepted with the right record, one-rule mutations
//! are rejected with exactly their violation, re-validation is a fixpoint, pointers
//! resolve, arbitrary documents always get a verdict, and the fast JSON writers of the
//! record and the report write what serde_json writes. At least 1024 cases each;
//! `PROPTEST_CASES` raises it.

mod common;

use std::collections::HashSet;

use common::gen::{self, Style, J};
use ims_image_meta::{validate, Catalog, Report, Rules};
use proptest::prelude::*;
use serde_json::{json, Value};

fn config() -> ProptestConfig {
    let base = ProptestConfig::default();
    ProptestConfig {
        cases: base.cases.max(1024),
        max_shrink_iters: 2048,
        ..base
    }
}

fn record_validator() -> jsonschema::Validator {
    jsonschema::draft202012::new(&ims_image_meta::schema::record_schema()).unwrap()
}

/// What the response table says the record of `entries` must be.
fn expected_record(entries: &[(String, J)]) -> Value {
    let get = |k: &str| {
        entries
            .iter()
            .find(|(key, _)| key == k)
            .map(|(_, v)| gen::to_value(v))
    };
    let given = |k: &str| get(k).filter(|v| !v.is_null());
    let id = given("id").unwrap_or(json!(common::CASE_ID));
    let id_str = id.as_str().unwrap().to_owned();
    let os = given("__os_version").unwrap_or(json!("Other Linux(64 bit)"));
    let row = Catalog::builtin();
    let row = row.get(os.as_str().unwrap());
    let (os_type, platform, bit) = match row {
        Some(r) => (
            r.os_type().as_str(),
            r.platform().as_str(),
            r.bit().as_str(),
        ),
        None => ("Linux", "Other", "64"),
    };
    let mut tags: Vec<Value> = Vec::new();
    for t in given("tags")
        .and_then(|t| t.as_array().cloned())
        .unwrap_or_default()
    {
        if !tags.contains(&t) {
            tags.push(t);
        }
    }
    let mut rec = json!({
        "id": id,
        "name": given("name").unwrap_or(json!("")),
        "status": "queued",
        "visibility": "private",
        "protected": given("protected").unwrap_or(json!(false)),
        "container_format": "bare",
        "disk_format": given("disk_format").unwrap_or(json!("vhd")),
        "tags": tags,
        "min_ram": given("min_ram").unwrap_or(json!(0)),
        "min_disk": given("min_disk").unwrap_or(json!(40)),
        "created_at": "2016-06-02T07:49:48Z",
        "updated_at": "2016-06-02T07:49:48Z",
        "self": format!("/v2/images/{id_str}"),
        "file": format!("/v2/images/{id_str}/file"),
        "schema": "/v2/schemas/image",
        "owner": common::CASE_OWNER,
        "__os_version": os,
        "__os_type": os_type,
        "__platform": platform,
        "__os_bit": bit,
        "__image_source_type": "uds",
        "__image_size": "0",
        "__isregistered": "true",
        "__imagetype": "private",
        "virtual_env_type": "FusionCompute",
    });
    let m = rec.as_object_mut().unwrap();
    for (k, v) in entries {
        let is_field = matches!(
            k.as_str(),
            "id" | "name"
                | "__os_version"
                | "visibility"
                | "protected"
                | "container_format"
                | "disk_format"
                | "tags"
                | "min_ram"
                | "min_disk"
        );
        if !is_field {
            m.insert(k.clone(), gen::to_value(v));
        }
    }
    rec
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

proptest! {
    #![proptest_config(config())]

    /// 1. Every valid body is accepted, and its record is what the response table says
    /// (and validates against `record_schema`).
    #[test]
    fn valid_bodies_are_accepted_with_the_documented_record(
        entries in gen::valid_entries(),
        style in gen::style(),
    ) {
        let body = gen::render_capped(&J::Obj(entries.clone()), style);
        let record = match record_of(body.as_bytes()) {
            Ok(r) => r,
            Err(report) => return Err(TestCaseError::fail(format!("rejected: {report}\n{body:.500}\n{entries:?}"))),
        };
        prop_assert_eq!(&record, &expected_record(&entries));
        let schema = record_validator();
        prop_assert!(schema.is_valid(&record), "record breaks record_schema: {}", record);
    }

    /// 2. Every one-rule mutation is rejected with exactly that (pointer, code) and the
    /// status that code asks for.
    #[test]
    fn one_rule_mutations_are_rejected_with_exactly_their_violation(
        entries in gen::valid_entries(),
        mu in gen::mutation(),
        at in any::<usize>(),
        style in gen::style(),
    ) {
        let doc = gen::apply(&entries, &mu, at);
        let body = gen::render_capped(&doc, style);
        let report = match validate(body.as_bytes(), &Rules::default()) {
            Ok(_) => return Err(TestCaseError::fail(format!("{} accepted: {body:.300}", mu.what))),
            Err(r) => r,
        };
        let got: Vec<(&str, &str)> = report.violations().iter().map(|v| (v.pointer(), v.code().as_str())).collect();
        prop_assert_eq!(got, vec![(mu.pointer.as_str(), mu.code)], "{}", mu.what);
        prop_assert_eq!(report.status(), mu.status);
        pointers_resolve(&report, &doc)?;
        same_bytes_every_style(&report);
    }

    /// 2b. The body-level quota: 129 custom properties, whatever else is there.
    #[test]
    fn too_many_properties_is_413_at_the_body(entries in gen::valid_entries(), style in gen::style()) {
        let body = gen::render_capped(&gen::too_many_properties(&entries), style);
        let report = validate(body.as_bytes(), &Rules::default()).unwrap_err();
        let got: Vec<(&str, &str)> = report.violations().iter().map(|v| (v.pointer(), v.code().as_str())).collect();
        prop_assert_eq!(got, vec![("", "too_many")]);
        prop_assert_eq!(report.status(), 413);
    }

    /// 3. Re-validating the body rebuilt from a validated request gives the same
    /// request; and the record does not depend on key order, whitespace or escaping.
    #[test]
    fn revalidation_is_a_fixpoint_and_spelling_does_not_matter(
        entries in gen::valid_entries(),
        style in gen::style(),
        other in gen::style(),
        shuffle in Just(()).prop_perturb(|_, mut rng| rng.next_u64()),
    ) {
        let rules = Rules::default();
        let body = gen::render_capped(&J::Obj(entries.clone()), style);
        let first = validate(body.as_bytes(), &rules).unwrap();
        let rebuilt = serde_json::to_vec(&first.request).unwrap();
        let uncapped = rules.to_builder().max_body_bytes(usize::MAX).build().unwrap();
        let again = validate(&rebuilt, &uncapped).unwrap();
        prop_assert_eq!(&again.request, &first.request);
        // Same body, other order and spelling.
        let mut reordered = entries.clone();
        let n = reordered.len().max(1) as u64;
        reordered.rotate_left((shuffle % n) as usize);
        reordered.reverse();
        let respelled = gen::render_capped(&J::Obj(reordered), other);
        let a = serde_json::to_value(first.request.into_record(&common::context())).unwrap();
        let b = record_of(respelled.as_bytes()).unwrap();
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
