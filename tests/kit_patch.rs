//! The patch kit (`kit::PatchCase`) against the update engine: two roads that must
//! agree. For every profile and many seeds, each case's call gives exactly the status
//! and (pointer, code) set the kit says, and a call that goes through leaves the image
//! the kit built by editing it; every code the kit makes is reached.

use std::collections::BTreeSet;

use ims_image_meta::kit::{patch_codes, PatchCall, PatchCase, Source};
use ims_image_meta::{update, Code, Profile, Record, Report, Rules};

fn run(case: &PatchCase, rules: &Rules) -> Result<Record, Report> {
    let (image, now) = (case.image(), case.now());
    match case.call() {
        PatchCall::Patch { media_type, body } => update::patch(media_type, body, image, rules, now),
        PatchCall::AddTag(tag) => update::add_tag(tag, image, rules, now),
        PatchCall::RemoveTag(tag) => update::remove_tag(tag, image, rules, now),
        other => panic!("unknown call {other:?}"),
    }
}

fn check(case: &PatchCase, rules: &Rules) -> Result<(), String> {
    let got = run(case, rules);
    let (status, set): (u16, BTreeSet<(String, Code)>) = match &got {
        Ok(_) => (
            if matches!(case.call(), PatchCall::Patch { .. }) {
                200
            } else {
                204
            },
            BTreeSet::new(),
        ),
        Err(r) => (
            r.status(),
            r.violations()
                .iter()
                .map(|v| (v.pointer().to_owned(), v.code()))
                .collect(),
        ),
    };
    let want: BTreeSet<(String, Code)> = case.violations().iter().cloned().collect();
    if (status, &set) != (case.status(), &want) {
        return Err(format!(
            "{}: got {status} {set:?}, want {} {want:?} ({:?})",
            case.what(),
            case.status(),
            case.call()
        ));
    }
    if let (Ok(r), Some(after)) = (&got, case.after()) {
        if r != after {
            return Err(format!("{}: image {r:?}, want {after:?}", case.what()));
        }
    }
    Ok(())
}

#[test]
fn every_patch_case_gets_its_verdict() {
    let mut failures = Vec::new();
    for &profile in Profile::ALL {
        let rules = Rules::profile(profile);
        let codes = patch_codes(&rules);
        // At least the update codes and a create rule on a value.
        for c in [
            Code::UnsupportedMediaType,
            Code::NotAnArray,
            Code::Required,
            Code::WrongType,
            Code::BadFormat,
            Code::ReadOnly,
            Code::Reserved,
            Code::NotUpdatable,
            Code::Conflict,
            Code::TooMany,
            Code::NotFound,
            Code::TooLong,
        ] {
            assert!(codes.contains(&c), "{profile:?}: {c:?} not made");
        }
        let mut seen = BTreeSet::new();
        for seed in 0..600u64 {
            let case = PatchCase::any(&rules, &mut Source::from_seed(seed)).unwrap();
            seen.insert(case.status());
            for (_, c) in case.violations() {
                seen.insert(1000 + *c as u16);
            }
            if let Err(e) = check(&case, &rules) {
                failures.push(format!("{profile:?} seed {seed}: {e}"));
            }
        }
        for s in [200, 204, 400, 403, 404, 409, 413, 415] {
            assert!(seen.contains(&s), "{profile:?}: status {s} never made");
        }
        // Every code, in both dialects (the choice is the first byte).
        for &code in &codes {
            for first in [0u8, 1] {
                let case =
                    PatchCase::breaking(&rules, code, &mut Source::from_bytes(&[first])).unwrap();
                if let Err(e) = check(&case, &rules) {
                    failures.push(format!("{profile:?} {code:?} byte {first}: {e}"));
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A case's create body derives its image (in any context).
#[test]
fn the_create_body_derives_the_image() {
    let rules = Rules::default();
    for code in patch_codes(&rules) {
        let case = PatchCase::breaking(&rules, code, &mut Source::from_bytes(&[])).unwrap();
        let ok = ims_image_meta::validate(case.create_body(), &rules).unwrap();
        let image = case.image();
        let ctx =
            ims_image_meta::Context::new(image.id.clone(), &image.owner, image.created_at).unwrap();
        assert_eq!(&ok.request.into_record(&ctx), image, "{code:?}");
    }
}
