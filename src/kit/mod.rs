//! A kit for property suites and fuzzing campaigns: request bodies together with the
//! verdict the contract gives them, made from the same field table and [`Rules`] as the
//! validator.
//!
//! A [`Case`] is a body ([`Case::body`]), the status it must get ([`Case::status`]: 201
//! for a valid body) and the exact violations, as (JSON Pointer, [`Code`]) pairs
//! ([`Case::violations`]); a valid case also carries the request fields it must
//! validate to ([`Case::expected`]). Cases are made from a [`Source`] of choices, a
//! seed or a byte string (a fuzzer's input):
//!
//! - [`Case::valid`]: every field present or absent, at its edges, with and without
//!   defaults, custom properties and tags up to the quotas;
//! - [`Case::breaking`]: exactly one violation of a given code (the 403 and 413 ones
//!   and the whole-body ones too), wherever the rules let that code arise, else a
//!   [`KitError`] that says why;
//! - [`Case::several`]: several faults at once, with the status their precedence gives
//!   (403 over 413 over 400) and the cases where one fault hides another (a repeated
//!   key, a read-only key, a value of the wrong type);
//! - [`Case::hostile`]: shapes at the body cap: report bombs, deep nesting, floods of
//!   near-miss keys and of wrong-typed tags;
//! - [`Case::any`]: a mix of them all.
//!
//! Every body is spelled in one of many ways that mean the same (key order,
//! whitespace, `\u` escapes, `-0` for `0`), and float spellings (`1.0e1`, `1e1`,
//! `10.0`) stand for each other where the contract treats them alike (a type error in
//! an integer field). The expectations come from the mutation that made each fault,
//! never from [`validate`](crate::validate): the crate's own test runs thousands of
//! cases per profile through `validate` and requires the verdicts to agree exactly.
//!
//! # Testing a server over HTTP
//!
//! Send [`Case::body`] as the body of `POST /v2/images` (`Content-Type:
//! application/json`) and compare the answer's status with [`Case::status`]; for a
//! rejection, the pointers and codes of the answer's violations with
//! [`Case::violations`] (as a set: a server may order them otherwise).
//!
//! ```
//! use ims_image_meta::kit::{Case, Source};
//! use ims_image_meta::{validate, Code, Rules};
//!
//! let rules = Rules::default();
//! let mut source = Source::from_seed(42);
//! for _ in 0..50 {
//!     let case = Case::any(&rules, &mut source)?;
//!     // A server's answer to `case.body()` would be compared here; the crate's own:
//!     let status = match validate(case.body(), &rules) {
//!         Ok(_) => 201,
//!         Err(report) => report.status(),
//!     };
//!     assert_eq!(status, case.status());
//! }
//! let case = Case::breaking(&rules, Code::ReadOnly, &mut source)?;
//! assert_eq!(case.status(), 403);
//! assert_eq!(case.violations().len(), 1);
//! // Rules that allow 4-byte characters cannot refuse them: a clear error, no loop.
//! let lenient = Rules::builder(Default::default()).allow_four_byte_unicode(true).build()?;
//! assert!(Case::breaking(&lenient, Code::FourByteUnicode, &mut source).is_err());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;

use crate::catalog::OsVersion;
use crate::code::Code;
use crate::keys::Extensions;
use crate::request::CreateRequest;
use crate::rules::Rules;
use crate::values::DiskFormat;

mod assemble;
mod dict;
mod doc;
mod faults;
mod hostile;
mod patch;
mod source;
mod valid;

pub use dict::dictionary;
pub use patch::{patch_codes, PatchCall, PatchCase};
pub use source::Source;

/// A request body and the verdict the contract gives it under some [`Rules`].
#[derive(Debug, Clone, PartialEq)]
pub struct Case {
    pub(crate) body: Vec<u8>,
    pub(crate) status: u16,
    /// Every violation the body holds, in the order a report lists them.
    pub(crate) all: Vec<(String, Code)>,
    /// How many of them a report keeps.
    pub(crate) keep: usize,
    pub(crate) expected: Option<Expected>,
    pub(crate) what: String,
}

impl Case {
    /// The body bytes.
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The status the body must get: 201 when it is valid, else 403, 413 or 400 by the
    /// contract's precedence.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the body is valid.
    pub fn is_valid(&self) -> bool {
        self.status == 201
    }

    /// The violations a report of the body must hold, exactly, as (JSON Pointer, code)
    /// pairs in the order the crate lists them (body order; a repeated key other than a
    /// field's after the object's other members; an integer field whose number only its
    /// spelling can judge, `-0.0` or past 64 bits, after those; the property quota
    /// last). At most
    /// [`Rules::max_violations`] of them: [`Case::total`] says how many there are in
    /// all. Empty for a valid body.
    pub fn violations(&self) -> &[(String, Code)] {
        let n = self.keep.min(self.all.len());
        &self.all[..n]
    }

    /// How many violations the body holds in all (more than [`Case::violations`] when
    /// a report must be truncated).
    pub fn total(&self) -> usize {
        self.all.len()
    }

    /// For a valid body, the request fields it must validate to (defaults applied).
    pub fn expected(&self) -> Option<&Expected> {
        self.expected.as_ref()
    }

    /// What the case is, in a few words (`"valid"`, `"one fault: name too long"`, …).
    pub fn what(&self) -> &str {
        &self.what
    }

    /// Whether `status` and `violations` (in any order) are this case's verdict: for a
    /// server's answer, parsed.
    pub fn agrees(&self, status: u16, violations: &[(&str, Code)]) -> bool {
        if status != self.status {
            return false;
        }
        let mut want: Vec<(&str, Code)> = self
            .violations()
            .iter()
            .map(|(p, c)| (p.as_str(), *c))
            .collect();
        let mut got = violations.to_vec();
        want.sort();
        got.sort();
        want == got
    }
}

/// The request fields a valid body must validate to, with every default applied
/// (compare with [`Expected::check`]).
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Expected {
    /// `id`, when the body has one.
    pub id: Option<String>,
    /// `name`, when the body has one (absent or `null`: none).
    pub name: Option<String>,
    /// The `__os_version` row (the rules' default when absent).
    pub os_version: OsVersion,
    /// `protected` (false when absent).
    pub protected: bool,
    /// `disk_format` (the rules' default when absent or `null`).
    pub disk_format: DiskFormat,
    /// The tags, repeated ones kept once at their first position.
    pub tags: Vec<String>,
    /// `min_ram` (0 when absent).
    pub min_ram: u32,
    /// `min_disk` (the lower bound of the OS type's range when absent).
    pub min_disk: u32,
    /// The known extensions given (`__description`, `hw_firmware_type`, `os_hidden`,
    /// and any the field table adds).
    pub extensions: Extensions,
    /// The custom properties, in body order.
    pub properties: Vec<(String, String)>,
}

impl Expected {
    /// Whether `request` has exactly these fields; else the first that differs.
    ///
    /// # Errors
    ///
    /// A message naming the field, what it is and what it should be.
    pub fn check(&self, request: &CreateRequest<'_>) -> Result<(), String> {
        fn same<T: PartialEq + fmt::Debug>(what: &str, got: T, want: T) -> Result<(), String> {
            if got == want {
                Ok(())
            } else {
                Err(format!("{what}: got {got:?}, want {want:?}"))
            }
        }
        same("id", request.id(), self.id.as_deref())?;
        same("name", request.name(), self.name.as_deref())?;
        same("__os_version", request.os_version(), &self.os_version)?;
        same("protected", request.protected(), self.protected)?;
        same("disk_format", request.disk_format(), self.disk_format)?;
        let tags: Vec<&str> = request.tags().iter().map(|t| &**t).collect();
        let want: Vec<&str> = self.tags.iter().map(String::as_str).collect();
        same("tags", tags, want)?;
        same("min_ram", request.min_ram(), self.min_ram)?;
        same("min_disk", request.min_disk(), self.min_disk)?;
        let own = |c: std::borrow::Cow<'_, str>| c.into_owned();
        same(
            "extensions",
            &request.extensions().clone().map_text(own),
            &self.extensions,
        )?;
        let props: Vec<(&str, &str)> = request
            .properties()
            .iter()
            .map(|(k, v)| (&**k, &**v))
            .collect();
        let want: Vec<(&str, &str)> = self
            .properties
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        same("properties", props, want)
    }
}

/// Why the kit cannot make a case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum KitError {
    /// The code cannot arise on the create call under these rules (e.g.
    /// `four_byte_unicode` where 4-byte characters are allowed, `near_miss_key` where
    /// near misses are only warned about, an update call's code).
    #[error("no create body can break '{code}' under these rules: {reason}")]
    Impossible {
        /// The code asked for.
        code: Code,
        /// Why it cannot arise.
        reason: String,
    },
    /// No body with that verdict fits under the rules' body cap (or the cap is too
    /// large to pass in memory).
    #[error("no {what} fits under these rules' body cap of {max_body_bytes} bytes")]
    DoesNotFit {
        /// What was asked for.
        what: String,
        /// The cap.
        max_body_bytes: usize,
    },
}

impl KitError {
    /// [`KitError::DoesNotFit`]: no `what` fits under the body cap of `rules`.
    pub(crate) fn no_fit(what: impl Into<String>, rules: &Rules) -> KitError {
        let max_body_bytes = rules.max_body_bytes();
        KitError::DoesNotFit {
            what: what.into(),
            max_body_bytes,
        }
    }
}

impl Case {
    /// A valid body: every field present or absent, at its edges or not, with
    /// defaults left out or spelled out, custom properties and tags up to the quotas.
    ///
    /// # Errors
    ///
    /// [`KitError::DoesNotFit`] when the body cap is under 2 bytes (`{}`).
    pub fn valid(rules: &Rules, source: &mut Source) -> Result<Case, KitError> {
        assemble::valid(rules, source)
    }

    /// A body with exactly one violation, of `code` (every other field valid).
    ///
    /// # Errors
    ///
    /// [`KitError::Impossible`] when the rules never let `code` arise on create (see
    /// [`codes`]); [`KitError::DoesNotFit`] when no such body fits under the cap.
    pub fn breaking(rules: &Rules, code: Code, source: &mut Source) -> Result<Case, KitError> {
        assemble::breaking(rules, code, source)
    }

    /// A body with several faults at once (2 to 4 places, or one fault hiding
    /// others), and the status their precedence gives.
    ///
    /// # Errors
    ///
    /// [`KitError::DoesNotFit`] when nothing of the kind fits under the cap.
    pub fn several(rules: &Rules, source: &mut Source) -> Result<Case, KitError> {
        assemble::several(rules, source)
    }

    /// A hostile body at the cap: a report bomb (more violations than a report keeps),
    /// deep nesting (to the parser's limit and one past it), a flood of near-miss keys
    /// or of wrong-typed tags.
    ///
    /// # Errors
    ///
    /// [`KitError::DoesNotFit`] when the cap is too small for any of them.
    pub fn hostile(rules: &Rules, source: &mut Source) -> Result<Case, KitError> {
        hostile::hostile(rules, source)
    }

    /// Any of the above: valid about one time in three, one fault one time in three,
    /// the rest several faults, hostile shapes and whole-body faults.
    ///
    /// # Errors
    ///
    /// [`KitError::DoesNotFit`] when the cap is under 2 bytes.
    pub fn any(rules: &Rules, source: &mut Source) -> Result<Case, KitError> {
        match source.below(12) {
            0..=3 => Case::valid(rules, source),
            4..=7 => {
                let all = codes(rules);
                let code = *source.pick(&all).unwrap_or(&Code::MalformedJson);
                Case::breaking(rules, code, source).or_else(|_| Case::valid(rules, source))
            }
            8 | 9 => Case::several(rules, source).or_else(|_| Case::valid(rules, source)),
            _ => Case::hostile(rules, source).or_else(|_| Case::valid(rules, source)),
        }
    }
}

#[cfg(feature = "arbitrary")]
impl<'a> arbitrary::Arbitrary<'a> for Case {
    /// A case under the default rules ([`Case::any`]), made from the rest of the
    /// input; for other rules, use `Case::any(&rules, &mut Source::from_bytes(data))`.
    fn arbitrary(u: &mut arbitrary::Unstructured<'a>) -> arbitrary::Result<Self> {
        let rest = u.len();
        let bytes = u.bytes(rest)?;
        Case::any(&Rules::default(), &mut Source::from_bytes(bytes))
            .map_err(|_| arbitrary::Error::IncorrectFormat)
    }

    fn size_hint(_depth: usize) -> (usize, Option<usize>) {
        (0, None)
    }
}

/// The codes [`Case::breaking`] can make under `rules`: every create code but those
/// the rules rule out (`four_byte_unicode` where 4-byte characters are allowed,
/// `near_miss_key` where near misses are only warned about). A code may still not fit
/// under a very small body cap.
pub fn codes(rules: &Rules) -> Vec<Code> {
    Code::ALL
        .iter()
        .copied()
        .filter(|&c| faults::impossible(rules, c).is_none())
        .collect()
}
