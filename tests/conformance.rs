//! Runs every line of the conformance files (tests/data/cases.jsonl and
//! tests/data/profiles.jsonl, copies of ../shared/conformance/) through the library.

mod common;

use ims_image_meta::validate;

#[test]
fn every_conformance_case() {
    let cases = common::cases();
    assert!(cases.len() >= 50, "only {} cases", cases.len());
    run(&cases);
}

/// Every line of `profiles.jsonl`, each under its `rules.profile`.
#[test]
fn every_profile_case() {
    let cases = common::profile_cases();
    assert!(cases.len() >= 13, "only {} cases", cases.len());
    assert!(cases.iter().all(|c| c.profile.is_some()));
    run(&cases);
}

fn run(cases: &[common::Case]) {
    let ctx = common::context();
    let mut failures = Vec::new();
    for case in cases {
        let rules = case.rules();
        let (status, json) = match validate(&case.body, &rules) {
            Ok(ok) => (
                201,
                serde_json::to_value(ok.request.into_record(&ctx)).unwrap(),
            ),
            Err(report) => (report.status(), serde_json::to_value(&report).unwrap()),
        };
        if let Err(e) = case.check(status, &json) {
            failures.push(format!("line {} ({}): {e}", case.line, case.name));
        }
        // The one road agrees: its status, and on a refusal the very report.
        let a = ims_image_meta::answer(&case.body, &rules, &ctx, Default::default());
        let want = validate(&case.body, &rules).err();
        if a.status() != status || a.report() != want.as_ref() {
            failures.push(format!(
                "line {} ({}): answer() gives {} and report {:?}",
                case.line,
                case.name,
                a.status(),
                a.report()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The page's request sample derives exactly the page's response sample (as a JSON
/// value), plus `aaaa`, with `updated_at` equal to `created_at` (SPEC section 5).
#[test]
fn the_page_sample_derives_the_page_response_exactly() {
    let case = common::cases()
        .into_iter()
        .find(|c| c.status == 201 && c.min_disk_range == Some((1, 1024)))
        .expect("the seed sample case");
    let record = validate(&case.body, &case.rules())
        .unwrap()
        .request
        .into_record(&common::context());
    let got = serde_json::to_value(&record).unwrap();
    let want = serde_json::Value::Object(case.record.clone().unwrap());
    assert_eq!(got, want);
}

fn assert_same_file(ours: &str, theirs: &str) {
    let Some(shared) = common::shared() else {
        eprintln!("no ../shared here: skipping the comparison of {ours}");
        return;
    };
    let a = std::fs::read(common::root().join(ours)).unwrap();
    let b = std::fs::read(shared.join(theirs)).unwrap();
    assert!(
        a == b,
        "{ours} differs from ../shared/{theirs}: copy it again"
    );
}

#[test]
fn conformance_copy_equals_shared() {
    assert_same_file("tests/data/cases.jsonl", "conformance/cases.jsonl");
}

#[test]
fn profiles_copy_equals_shared() {
    assert_same_file("tests/data/profiles.jsonl", "conformance/profiles.jsonl");
}

#[test]
fn catalog_copy_equals_shared() {
    assert_same_file("data/os_versions.csv", "data/os_versions.csv");
}
