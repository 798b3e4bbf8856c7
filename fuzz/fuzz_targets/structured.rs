//! Bodies from the crate's own kit (`ims_image_meta::kit`, issue #22), each with the
//! verdict the contract gives it, under every profile and a loose rule set. The input's
//! first byte picks the rule set, the rest are the kit's choices
//! (`kit::Source::from_bytes`): valid bodies, one fault of any code, several faults
//! with their precedence, and hostile shapes at the cap (report bombs, deep nesting,
//! floods of near-miss keys and of wrong-typed tags, repeated keys in every element).
//!
//! Checked, for each case:
//! 1. the crate's verdict is the case's exactly: status, violations in order, total;
//!    a valid body's request has the expected fields (an oracle the kit built from the
//!    mutation it made, not from `validate`);
//! 2. the invariants of raw bytes (`checks/bytes.rs`: a bounded report, pointers that
//!    resolve, a fixpoint), under the default rules;
//! 3. the independent oracle: the `jsonschema` crate on `request_schema(&rules)` agrees
//!    wherever the verdict rests only on rules a schema can express; an accepted body's
//!    record validates against `record_schema()`.
//!
//! The rule sets and the schema validators are built once (`LazyLock`). The kit fills
//! several-fault and hostile cases up to the rules' body cap; each rule set comes in
//! four caps, and an input gets the smallest that holds [`CAP_PER_BYTE`] bytes per
//! byte of input (at least 4 KiB, at most the profile's own cap), so that a case costs
//! in proportion to its input: the common, short input costs microseconds, and inputs
//! of 3.5 KiB and more get hostile shapes at the real cap (114,688 bytes).
//!
//! `-timeout` and `-rss_limit_mb` catch time and memory beyond linear.
#![no_main]

use std::sync::LazyLock;

use ims_image_meta::kit::{Case, Source};
use ims_image_meta::schema::{record_schema, request_schema};
use ims_image_meta::{validate, Code, Profile, Rules};

#[path = "../checks/bytes.rs"]
mod bytes;
#[path = "../checks/shared.rs"]
mod shared;
use libfuzzer_sys::fuzz_target;
use serde_json::Value;

/// Body bytes of cap per byte of input.
const CAP_PER_BYTE: usize = 32;
/// The caps a rule set comes in, below its own (the last).
const CAPS: [usize; 3] = [4 << 10, 16 << 10, 64 << 10];

struct Oracle {
    /// The rule set under each of [`CAPS`], then under its own cap.
    rules: Vec<Rules>,
    /// The request schema (the cap is beyond what a schema says: one for all caps).
    request: jsonschema::Validator,
}

impl Oracle {
    /// The rule set whose cap fits an input of `len` bytes.
    fn rules(&self, len: usize) -> &Rules {
        let want = len.saturating_mul(CAP_PER_BYTE);
        self.rules
            .iter()
            .find(|r| r.max_body_bytes() >= want)
            .unwrap_or(&self.rules[self.rules.len() - 1])
    }
}

static ORACLES: LazyLock<Vec<Oracle>> = LazyLock::new(|| {
    let loose = Rules::builder(Profile::Ims2022)
        .allow_four_byte_unicode(true)
        .max_tags(2)
        .max_properties(2)
        .build()
        .unwrap();
    let profiles = Profile::ALL.iter().map(|&p| Rules::profile(p));
    profiles
        .chain([loose])
        .map(|rules| {
            let own = rules.max_body_bytes();
            let mut sized: Vec<Rules> = CAPS
                .iter()
                .filter(|&&cap| cap < own)
                .map(|&cap| rules.to_builder().max_body_bytes(cap).build().unwrap())
                .collect();
            sized.push(rules.clone());
            Oracle {
                request: jsonschema::draft202012::new(&request_schema(&rules)).unwrap(),
                rules: sized,
            }
        })
        .collect()
});

static RECORD: LazyLock<jsonschema::Validator> =
    LazyLock::new(|| jsonschema::draft202012::new(&record_schema()).unwrap());

fuzz_target!(|data: &[u8]| {
    let Some((&pick, rest)) = data.split_first() else {
        return;
    };
    let oracle = &ORACLES[usize::from(pick) % ORACLES.len()];
    let rules = oracle.rules(data.len());
    let Ok(case) = Case::any(rules, &mut Source::from_bytes(rest)) else {
        return;
    };
    let body = case.body();
    // 1. The kit's expectation.
    let ours = validate(body, rules);
    match &ours {
        Ok(ok) => {
            assert!(
                case.is_valid(),
                "accepted, want {} {:?}: {}",
                case.status(),
                case.violations(),
                case.what()
            );
            let expected = case.expected().expect("a valid case has its request");
            if let Err(e) = expected.check(&ok.request) {
                panic!("{}: {e}", case.what());
            }
        }
        Err(report) => {
            let got: Vec<(&str, Code)> = report
                .violations()
                .iter()
                .map(|v| (v.pointer(), v.code()))
                .collect();
            let want: Vec<(&str, Code)> = case
                .violations()
                .iter()
                .map(|(p, c)| (p.as_str(), *c))
                .collect();
            assert_eq!(
                (report.status(), got, report.total()),
                (case.status(), want, case.total()),
                "{}",
                case.what()
            );
        }
    }
    // 2. The invariants of raw bytes.
    bytes::check(body);
    // 3. The schema, wherever the verdict rests on what a schema can express. Not on
    // hostile shapes: at the cap (57,000 tags, say) the `jsonschema` crate under ASan
    // takes over a second, and they are there for the bounded report of step 2.
    if case.what().starts_with("hostile") {
        return;
    }
    let Ok(doc) = serde_json::from_slice::<Value>(body) else {
        return;
    };
    let theirs = oracle.request.is_valid(&doc);
    match &ours {
        Ok(ok) => {
            assert!(theirs, "crate accepts, schema refuses: {}", case.what());
            let ctx = shared::context();
            let record = serde_json::to_value(ok.request.derive(&ctx)).unwrap();
            assert!(
                RECORD.is_valid(&record),
                "record breaks record_schema: {record}"
            );
        }
        Err(report) if !shared::beyond_schema(report, Some(&doc)) => {
            assert!(
                !theirs,
                "schema accepts, crate refuses ({report}): {}",
                case.what()
            );
        }
        Err(_) => {}
    }
});
