//! Validation and derivation core of the image-metadata create call of Huawei Cloud's
//! Image Management Service, `POST /v2/images` (the OpenStack-native, Glance-compatible
//! API).
//!
//! Bytes in, a verdict out; no I/O, no clock, no randomness:
//!
//! 1. [`validate`] reads a request body (`&[u8]`) in one pass and either accepts it —
//!    a [`Validated`]: the [`CreateRequest`] with every default filled in, plus
//!    [`Warning`](warning::Warning)s for defaults that may break later use — or rejects it with a
//!    [`Report`]: an HTTP status (403 > 413 > 400) and **every** [`Violation`], each
//!    with a JSON Pointer, a stable [`Code`], an English message and the IMS error code
//!    where IMS has one.
//! 2. [`CreateRequest::into_record`] derives the [`Record`] the service answers with
//!    (the 201 body) from the request and a [`Context`] the caller supplies (image id,
//!    owner project, time). `__os_type`, `__platform` and `__os_bit` come from the
//!    [`Catalog`] of `__os_version` values.
//! 3. On the client side, [`RequestBuilder`] composes a body with types and checks it
//!    with the same rules before it is sent.
//! 4. [`Rules`] holds every knob (body cap, name length and charset, `min_disk` ranges
//!    by OS type, disk formats, quotas, 4-byte characters, the catalog, leniency on
//!    unknown OS versions); [`Rules::default`] is the contract's defaults, and
//!    [`Rules::profile`] the named sets of today's clouds ([`Profile`]); a rule set is
//!    checked when built ([`RulesBuilder`]) or loaded ([`Rules::from_json`]).
//!    [`schema::request_schema`] publishes them as JSON Schema.
//! 5. A server takes one call, [`answer`]: the status, the content type and the bytes
//!    of the whole answer (the 201 record, or the report rendered in a
//!    [`report::Style`]), written by the crate's byte writers.
//!
//! The crate root holds what a user starts from; the rest is in modules:
//! [`report`] (renderings), [`schema`], [`values`] (the value sets), [`catalog`],
//! [`warning`], and [`keys`] (the field table's keys and the key lists).
//!
//! # Example
//!
//! ```
//! use ims_image_meta::{validate, Context, Rules, Timestamp};
//!
//! let body = br#"{
//!     "__os_version": "Ubuntu 14.04 server 64bit",
//!     "name": "test",
//!     "min_disk": 40,
//!     "tags": ["test", "image", "test"],
//!     "aaaa": "11111"
//! }"#;
//! let rules = Rules::default();
//! let accepted = validate(body, &rules).expect("a valid body");
//! assert!(accepted.warnings.is_empty());
//!
//! let ctx = Context::new(
//!     "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
//!     "b912fb4a4c464b568ecfca1071b21b10",
//!     Timestamp::from_unix(1_464_853_788)?,
//! )?;
//! let record = accepted.request.into_record(&ctx);
//! let json = serde_json::to_value(&record)?;
//! assert_eq!(json["__platform"], "Ubuntu");
//! assert_eq!(json["__os_bit"], "64");
//! assert_eq!(json["tags"], serde_json::json!(["test", "image"]));
//! assert_eq!(json["created_at"], "2016-06-02T07:49:48Z");
//! assert_eq!(json["self"], "/v2/images/4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86");
//! assert_eq!(json["aaaa"], "11111");
//!
//! // A rejected body: every violation at once, the status by precedence.
//! let report = validate(br#"{"min_disk": 1, "status": "active", "tags": [5]}"#, &rules)
//!     .unwrap_err();
//! assert_eq!(report.status(), 403);
//! let found: Vec<(&str, &str)> = report
//!     .violations()
//!     .iter()
//!     .map(|v| (v.pointer(), v.code().as_str()))
//!     .collect();
//! assert_eq!(
//!     found,
//!     [("/min_disk", "out_of_range"), ("/status", "read_only"), ("/tags/0", "wrong_type")]
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! The contract this crate implements — every rule, default, derived field, code, and
//! the decisions taken where its sources disagree — is `docs/contract.md` in the
//! package (and in the repository). Clients read answers back with serde: [`Record`],
//! [`Report`], [`Code`] and the value enums implement `Deserialize`.
//!
//! The package also builds the `ims-image-meta` binary, a command-line front end
//! (`ims-image-meta --help`), from these same dependencies.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
#![warn(clippy::unwrap_used, clippy::expect_used)]
#![cfg_attr(test, allow(clippy::unwrap_used, clippy::expect_used))]

// Data flows one way: bytes → `scan` (the engine) → `rules` (per-field checks) →
// `request` (+ warnings) → `record` (derived with a `Context`); `report` on the way out.
/// The value of an `Option` that holds by a state of the crate's own (a slice within
/// bounds it computed, a serialization that cannot fail): absent, it fails loudly in
/// debug builds (the tests, the fuzz targets) and is the empty value in release, so
/// that an answer stays well-formed.
macro_rules! sure {
    ($e:expr, $why:literal) => {
        match $e {
            Some(v) => v,
            None => {
                debug_assert!(false, $why);
                Default::default()
            }
        }
    };
}

mod answer;
mod builder;
pub mod catalog;
mod chars;
mod code;
mod dedup;
mod deserialize;
mod findings;
mod json;
pub mod keys;
pub mod kit;
mod message;
mod pointer;
mod record;
pub mod report;
mod request;
mod rules;
mod scan;
pub mod schema;
mod shape;
#[cfg(feature = "proptest")]
pub mod strategy;
pub mod update;
mod uuid;
pub mod values;
pub mod warning;

pub use answer::Answer;
pub use builder::RequestBuilder;
pub use catalog::Catalog;
pub use code::Code;
pub use message::Locale;
pub use record::{Context, ContextError, Record, Timestamp};
pub use report::{Report, Violation};
pub use request::{CreateRequest, Validated};
pub use rules::{Profile, Rules, RulesBuilder, RulesError};

/// Validates a create body under `rules`.
///
/// Checks, in order: the size cap (413, nothing parsed), an empty body, JSON syntax
/// (with line and column; also invalid UTF-8, lone surrogates, trailing characters),
/// a top-level object, then every rule at once. Nesting is read up to 127 levels of
/// objects and arrays, the body object being level 1 (serde_json's recursion limit);
/// a 128th level makes the body `malformed_json`, whatever else it holds. Never panics.
/// Time and memory are O(body) for any body, and the report is bounded: at most
/// [`Rules::max_violations`] violations kept, each with a pointer and message of a
/// fixed maximum size (long keys are quoted as excerpts), so its rendering takes at
/// most a few KiB plus a constant per kept violation. The accepted request borrows its strings from
/// `body` where it can ([`CreateRequest::into_owned`] detaches it).
///
/// # Errors
///
/// A [`Report`] when the body breaks any rule: its HTTP status (403, 413 or 400) and
/// every [`Violation`] found, in body order.
///
/// ```
/// use ims_image_meta::{validate, Code, Rules};
///
/// let deep = |levels: usize| format!("{{\"p\":{}{}}}", "[".repeat(levels - 1), "]".repeat(levels - 1));
/// let report = validate(deep(127).as_bytes(), &Rules::default()).unwrap_err();
/// assert_eq!(report.violations()[0].code(), Code::WrongType); // read: `p` is not a string
/// let report = validate(deep(128).as_bytes(), &Rules::default()).unwrap_err();
/// assert_eq!(report.violations()[0].code(), Code::MalformedJson);
/// ```
pub fn validate<'a>(body: &'a [u8], rules: &Rules) -> Result<Validated<'a>, Report> {
    scan::validate(body, rules)
}

/// The whole answer to a create body, by the one road a server takes: [`validate`],
/// then the 201 record derived in `ctx` or the report rendered in `style`, written by
/// the crate's byte writers into one buffer.
///
/// ```
/// use ims_image_meta::report::{Format, Style};
/// use ims_image_meta::{answer, Context, Locale, Rules, Timestamp};
///
/// let rules = Rules::default();
/// let ctx = Context::new(
///     "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
///     "b912fb4a4c464b568ecfca1071b21b10",
///     Timestamp::from_unix(1_464_853_788)?,
/// )?;
/// let ok = answer(br#"{"name": "web", "min_disk": 40}"#, &rules, &ctx, Style::default());
/// assert_eq!((ok.status(), ok.content_type()), (201, "application/json"));
/// assert!(ok.body().starts_with(br#"{"id":"4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86","name":"web""#));
///
/// let style = Style::new(Format::Problem, Locale::En);
/// let bad = answer(br#"{"min_disk": 1}"#, &rules, &ctx, style);
/// assert_eq!((bad.status(), bad.content_type()), (400, "application/problem+json"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn answer(body: &[u8], rules: &Rules, ctx: &Context, style: report::Style) -> Answer {
    Answer::create(body, rules, ctx, style)
}

/// The README's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

/// The guide's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/guide.md")]
struct GuideDoctests;

/// The rules doc's Rust examples, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../docs/rules.md")]
struct RulesDoctests;
