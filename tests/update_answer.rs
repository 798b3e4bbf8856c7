//! The update calls' one road (`update::answer_patch`, `answer_add_tag`,
//! `answer_remove_tag`) against the road a server assembled by hand: for every line
//! of `tests/data/patch.jsonl` and for generated tag calls, the status, the content
//! type, the bytes (the record's writer, or the report's `write_json` in every style)
//! and `Accept-Patch` exactly on a 415.

mod common;

use common::patch::{patch_cases, PatchCase};
use ims_image_meta::report::{Format, Style};
use ims_image_meta::{update, Answer, Locale, Record, Report, Rules, Timestamp};
use proptest::prelude::*;

fn styles() -> Vec<Style> {
    Format::ALL
        .iter()
        .flat_map(|&f| Locale::ALL.iter().map(move |&l| Style::new(f, l)))
        .collect()
}

/// The case's call through the new road.
fn answer(case: &PatchCase, image: &Record, rules: &Rules, style: Style) -> Answer {
    let now = case.now();
    match case.call.as_str() {
        "patch" => update::answer_patch(
            case.media_type.as_deref().unwrap(),
            case.body.as_deref().unwrap().as_bytes(),
            image,
            rules,
            now,
            style,
        ),
        "tag_add" => update::answer_add_tag(case.tag.as_deref().unwrap(), image, rules, now, style),
        "tag_remove" => {
            update::answer_remove_tag(case.tag.as_deref().unwrap(), image, rules, now, style)
        }
        other => panic!("unknown call {other}"),
    }
}

/// What the old road gives: `(status, content type, bytes, Accept-Patch, record,
/// report)`.
type Expected = (
    u16,
    &'static str,
    Vec<u8>,
    Option<String>,
    Option<Record>,
    Option<Report>,
);

fn by_hand(outcome: Result<Record, Report>, success: u16, style: Style) -> Expected {
    match outcome {
        Ok(r) => {
            let mut out = Vec::new();
            if success == 200 {
                r.write_json(&mut out);
            }
            (success, "application/json", out, None, Some(r), None)
        }
        Err(report) => {
            let mut out = Vec::new();
            report.write_json(style, &mut out);
            let accept = (report.status() == 415).then(|| update::MEDIA_TYPES.join(", "));
            let status = report.status();
            (
                status,
                style.content_type(),
                out,
                accept,
                None,
                Some(report),
            )
        }
    }
}

fn got(a: Answer) -> Expected {
    (
        a.status(),
        a.content_type(),
        a.body().to_vec(),
        a.accept_patch().map(str::to_owned),
        a.updated_record().cloned(),
        a.into_report(),
    )
}

#[test]
fn every_patch_case_answers_as_by_hand() {
    let cases = patch_cases();
    assert!(cases.len() >= 44);
    let mut failures = Vec::new();
    let mut seen_415 = 0;
    for case in &cases {
        let image = case.image();
        let rules = case.rules();
        for style in styles() {
            let a = answer(case, &image, &rules, style);
            if a.status() != case.status {
                failures.push(format!(
                    "line {} ({}): status {} != {}",
                    case.line,
                    case.name,
                    a.status(),
                    case.status
                ));
            }
            if a.status() == 415 {
                seen_415 += 1;
            }
            assert_eq!(a.is_accepted(), (200..300).contains(&case.status));
            let want = by_hand(case.run(&image, &rules), case.success_status(), style);
            if got(a) != want {
                failures.push(format!(
                    "line {} ({}): {style:?} differs",
                    case.line, case.name
                ));
            }
        }
    }
    assert!(seen_415 > 0, "no 415 case: Accept-Patch untested");
    assert!(
        failures.is_empty(),
        "{} failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn accept_patch_is_the_two_media_types() {
    assert_eq!(update::ACCEPT_PATCH, update::MEDIA_TYPES.join(", "));
}

fn image(tags: Vec<String>) -> Record {
    let mut r: Record = serde_json::from_value(patch_cases()[0].image.clone()).unwrap();
    r.tags = tags;
    r
}

fn tag() -> impl Strategy<Value = String> {
    prop_oneof![
        Just(String::new()),
        "[a-c]{1,2}",
        "[a-c\u{0}\u{1F600}\u{4E2D}]{0,4}",
        "[a-z]{250,260}",
    ]
}

proptest! {
    #[test]
    fn tag_calls_answer_as_by_hand(
        tags in proptest::collection::vec("[a-c]{1,2}", 0..6),
        t in tag(),
        max_tags in 1usize..8,
        fi in 0usize..3,
        li in 0usize..2,
    ) {
        let rules = Rules::from_json(format!(r#"{{"max_tags": {max_tags}}}"#).as_bytes()).unwrap();
        let style = Style::new(Format::ALL[fi], Locale::ALL[li]);
        let img = image(tags);
        let now = Timestamp::from_unix(1_700_000_000).unwrap();
        let a = update::answer_add_tag(&t, &img, &rules, now, style);
        prop_assert_eq!(got(a), by_hand(update::add_tag(&t, &img, &rules, now), 204, style));
        let r = update::answer_remove_tag(&t, &img, &rules, now, style);
        prop_assert_eq!(got(r), by_hand(update::remove_tag(&t, &img, &rules, now), 204, style));
    }
}
