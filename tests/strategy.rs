//! The kit's adapters: `strategy` (feature `proptest`) and `Case: Arbitrary` (feature
//! `arbitrary`). Run by `.ci/run` with `cargo test --features proptest,arbitrary --test
//! strategy`; without the features this file is empty.
#![cfg(feature = "proptest")]

use ims_image_meta::kit::{self, Case, KitError};
use ims_image_meta::{strategy, validate, Code, Profile, Rules};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, TestError, TestRunner};

fn verdict(case: &Case, rules: &Rules) -> (u16, Vec<(String, Code)>) {
    match validate(case.body(), rules) {
        Ok(_) => (201, Vec::new()),
        Err(r) => (
            r.status(),
            r.violations()
                .iter()
                .map(|v| (v.pointer().to_owned(), v.code()))
                .collect(),
        ),
    }
}

fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    })
}

#[test]
fn valid_strategies_make_valid_bodies_with_their_request() {
    for &p in Profile::ALL {
        let rules = Rules::profile(p);
        runner(200)
            .run(&strategy::valid(&rules), |case| {
                let ok = validate(case.body(), &rules)
                    .map_err(|r| TestCaseError::fail(r.to_string()))?;
                let e = case
                    .expected()
                    .ok_or_else(|| TestCaseError::fail("no expected fields"))?;
                e.check(&ok.request).map_err(TestCaseError::fail)?;
                Ok(())
            })
            .unwrap();
    }
}

#[test]
fn breaking_strategies_make_exactly_one_violation_or_are_refused() {
    for &p in Profile::ALL {
        let rules = Rules::profile(p);
        for &code in Code::ALL {
            match strategy::breaking(&rules, code) {
                Ok(s) => runner(40)
                    .run(&s, |case| {
                        let (status, got) = verdict(&case, &rules);
                        prop_assert_eq!(status, code.status());
                        prop_assert_eq!(got.len(), 1);
                        prop_assert_eq!(got[0].1, code);
                        prop_assert_eq!(&got[..], case.violations());
                        Ok(())
                    })
                    .unwrap(),
                Err(e) => {
                    assert!(!kit::codes(&rules).contains(&code), "{code}: {e}");
                    assert!(matches!(e, KitError::Impossible { .. }), "{e}");
                }
            }
        }
    }
}

/// A property that fails on big bodies: proptest shrinks the case, and the shrunk
/// case's expectation is still the verdict `validate` gives.
#[test]
fn shrinking_keeps_the_expected_verdict_true() {
    let rules = Rules::default();
    let result = runner(500).run(&strategy::case(&rules), |case| {
        prop_assert!(case.body().len() < 200 || case.status() == 201);
        Ok(())
    });
    let Err(TestError::Fail(_, minimal)) = result else {
        panic!("the property should fail: {result:?}");
    };
    assert!(minimal.body().len() >= 200 && minimal.status() != 201);
    let (status, got) = verdict(&minimal, &rules);
    assert_eq!(status, minimal.status());
    assert_eq!(got, minimal.violations());
    // Every step of a shrink keeps it true too.
    let mut tree = strategy::case(&rules).new_tree(&mut runner(1)).unwrap();
    for _ in 0..200 {
        let case = tree.current();
        let (status, got) = verdict(&case, &rules);
        assert_eq!(
            (status, &got[..]),
            (case.status(), case.violations()),
            "{}",
            case.what()
        );
        if !tree.simplify() {
            break;
        }
    }
}

#[cfg(feature = "arbitrary")]
#[test]
fn arbitrary_cases_agree_with_validate() {
    use arbitrary::{Arbitrary, Unstructured};
    let rules = Rules::default();
    let mut seen = std::collections::HashSet::new();
    for n in 0..400u32 {
        let mut x = u64::from(n).wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let bytes: Vec<u8> = (0..n)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        let case = Case::arbitrary(&mut Unstructured::new(&bytes)).unwrap();
        let (status, got) = verdict(&case, &rules);
        assert_eq!(
            (status, &got[..]),
            (case.status(), case.violations()),
            "{}",
            case.what()
        );
        seen.insert(case.status());
    }
    assert!(seen.len() >= 3, "{seen:?}");
}
