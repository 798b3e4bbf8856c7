//! The kit's cases as [proptest](mod@proptest) strategies (feature `proptest`).
//!
//! Each strategy draws a byte string and makes a [`Case`] from it
//! ([`Source::from_bytes`]); proptest shrinks the bytes (shorter, smaller), and the case
//! is made again from the shrunk bytes, so a shrunk case still carries its own, true,
//! expected verdict (and zero bytes make the simplest case: `{}` for a valid body).
//!
//! ```
//! use ims_image_meta::{strategy, validate, Rules};
//! use proptest::prelude::*;
//! use proptest::test_runner::TestRunner;
//!
//! let rules = Rules::default();
//! let mut runner = TestRunner::default();
//! runner
//!     .run(&strategy::case(&rules), |case| {
//!         let status = validate(case.body(), &rules).map_or_else(|r| r.status(), |_| 201);
//!         prop_assert_eq!(status, case.status());
//!         Ok(())
//!     })
//!     .unwrap();
//! ```

use std::sync::Arc;

use proptest::prelude::*;

use crate::code::Code;
use crate::kit::{Case, KitError, PatchCase, Source};
use crate::rules::Rules;

/// How many choice bytes a case is made from (past them every choice is the
/// simplest).
const CHOICES: usize = 4096;

fn from_bytes(
    rules: &Rules,
    what: &'static str,
    make: impl Fn(&Rules, &mut Source) -> Result<Case, KitError> + 'static,
) -> impl Strategy<Value = Case> {
    let rules = Arc::new(rules.clone());
    proptest::collection::vec(any::<u8>(), 0..CHOICES).prop_filter_map(what, move |bytes| {
        make(&rules, &mut Source::from_bytes(&bytes)).ok()
    })
}

/// Valid bodies under `rules` ([`Case::valid`]).
pub fn valid(rules: &Rules) -> impl Strategy<Value = Case> {
    from_bytes(rules, "a valid body fits the cap", Case::valid)
}

/// Bodies with exactly one violation, of `code` ([`Case::breaking`]).
///
/// # Errors
///
/// [`KitError::Impossible`] when `code` cannot arise on create under `rules`;
/// [`KitError::DoesNotFit`] when no body breaking it fits under the cap (tried on a few
/// seeds before the strategy is made, so that it never spins).
pub fn breaking(rules: &Rules, code: Code) -> Result<impl Strategy<Value = Case>, KitError> {
    let mut last = None;
    for seed in 0..8 {
        match Case::breaking(rules, code, &mut Source::from_seed(seed)) {
            Ok(_) => {
                let strategy = from_bytes(
                    rules,
                    "a body breaking the code fits the cap",
                    move |r, s| Case::breaking(r, code, s),
                );
                return Ok(strategy);
            }
            Err(e @ KitError::Impossible { .. }) => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.unwrap_or(KitError::no_fit(format!("body breaking '{code}'"), rules)))
}

/// A mix of valid, one-fault, several-fault and hostile bodies ([`Case::any`]).
pub fn case(rules: &Rules) -> impl Strategy<Value = Case> {
    from_bytes(rules, "a body fits the cap", Case::any)
}

/// Update cases under `rules` ([`PatchCase::any`]): valid updates in either dialect,
/// and one fault of each update code, with their verdicts and the image after. Made
/// from the drawn bytes like the others, so a shrunk case keeps a true verdict.
///
/// ```
/// use ims_image_meta::kit::PatchCall;
/// use ims_image_meta::{strategy, update, Rules};
/// use proptest::prelude::*;
/// use proptest::test_runner::TestRunner;
///
/// let rules = Rules::default();
/// TestRunner::default()
///     .run(&strategy::patch_case(&rules), |case| {
///         let (image, now) = (case.image(), case.now());
///         let status = match case.call() {
///             PatchCall::Patch { media_type, body } => {
///                 update::patch(media_type, body, image, &rules, now).map_or_else(|r| r.status(), |_| 200)
///             }
///             PatchCall::AddTag(t) => update::add_tag(t, image, &rules, now).map_or_else(|r| r.status(), |_| 204),
///             PatchCall::RemoveTag(t) => update::remove_tag(t, image, &rules, now).map_or_else(|r| r.status(), |_| 204),
///             _ => unreachable!(),
///         };
///         prop_assert_eq!(status, case.status());
///         Ok(())
///     })
///     .unwrap();
/// ```
pub fn patch_case(rules: &Rules) -> impl Strategy<Value = PatchCase> {
    let rules = Arc::new(rules.clone());
    proptest::collection::vec(any::<u8>(), 0..64)
        .prop_filter_map("an update case under the rules", move |bytes| {
            PatchCase::any(&rules, &mut Source::from_bytes(&bytes)).ok()
        })
}
