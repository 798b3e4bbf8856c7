//! Violations, the report of a rejected body, warnings of an accepted one, and their
//! JSON renderings.

use std::borrow::Cow;
use std::fmt;
use std::sync::OnceLock;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::code::Code;
use crate::json;
use crate::message::{Detail, Escaped, Locale, Near, Params, Subject};
use crate::pointer::Short;

/// One broken rule: where (an RFC 6901 JSON Pointer into the body), which rule (a
/// [`Code`]), an English message, and the IMS error code when IMS has one.
///
/// ```
/// use ims_image_meta::{validate, Code, Rules};
///
/// let report = validate(br#"{"a/b": 1}"#, &Rules::default()).unwrap_err();
/// let v = &report.violations()[0];
/// assert_eq!(v.pointer(), "/a~1b"); // the key `a/b`, escaped
/// assert_eq!(v.code(), Code::WrongType);
/// assert_eq!(v.message(), "Attribute 'a/b' must be a string, found an integer.");
/// assert_eq!(v.ims_code(), None);
/// ```
///
/// Cheap to make: the message is rendered from a compact detail the first time it is
/// asked for, so that validating a bad body costs about what validating a good one
/// does (suggestions for an unknown `__os_version` are looked up only then).
#[derive(Debug, Clone)]
pub struct Violation {
    pointer: Short,
    code: Code,
    /// The IMS code: 1 + its index in [`IMS_CODES`], or 0 for none (a byte, not a
    /// 16-byte `&str`: a violation is kept small).
    ims: u8,
    /// What the message names (the field, key, tag or operation), as the rule knew it.
    subject: Subject,
    detail: Detail,
    /// The English message, once rendered (a boxed `str`: a violation is kept small,
    /// as a hostile body makes one per two bytes).
    message: OnceLock<Box<str>>,
}

impl PartialEq for Violation {
    fn eq(&self, other: &Self) -> bool {
        self.pointer() == other.pointer()
            && self.code == other.code
            && self.ims == other.ims
            && self.message() == other.message()
            && self.params() == other.params()
    }
}

impl Eq for Violation {}

impl Violation {
    #[inline]
    pub(crate) fn new(
        pointer: Short,
        subject: Subject,
        code: Code,
        detail: Detail,
        ims_code: Option<&'static str>,
    ) -> Self {
        Violation {
            pointer,
            code,
            ims: ims_index(ims_code),
            subject,
            detail,
            message: OnceLock::new(),
        }
    }

    /// Moves the violation to `pointer` (a place rendered once the report is made, or
    /// a place in an update's patch): its message and params still name its subject.
    pub(crate) fn set_pointer(&mut self, pointer: Short) {
        self.pointer = pointer;
    }

    /// Names the violation's subject anew (a tag call's one tag, not tag 0).
    pub(crate) fn set_subject(&mut self, subject: Subject) {
        self.subject = subject;
    }

    /// The JSON Pointer of the offending value or key: `""` for the body itself,
    /// `/min_disk`, `/tags/3`, `/a~1b` for the key `a/b`.
    ///
    /// Exact, except where that would make a report grow with the body: a token longer
    /// than 256 chars is cut to its first 64 and `…`, and a place deeper than 8 levels
    /// keeps its first 4 and last 3 tokens with a `…` token between.
    pub fn pointer(&self) -> &str {
        self.pointer.as_str()
    }

    /// The rule broken.
    pub fn code(&self) -> Code {
        self.code
    }

    /// An English message (Glance's wording where Glance has one), rendered on first
    /// use.
    pub fn message(&self) -> &str {
        self.message.get_or_init(|| {
            self.detail
                .render(&self.subject, Locale::En)
                .into_boxed_str()
        })
    }

    /// The message in `locale` as the contents of a JSON string (no quotes), for
    /// `write`: the kept English one when it was rendered already, else rendered
    /// straight into `out` (escaped as it goes, nothing kept). `near` is the detail's
    /// suggestions ([`Violation::near`]).
    pub(crate) fn write_message(&self, locale: Locale, near: Near, out: &mut Vec<u8>) {
        match (locale, self.message.get()) {
            (Locale::En, Some(m)) => json::contents(out, m),
            _ => self
                .detail
                .render_into(&self.subject, locale, near, &mut Escaped(out)),
        }
    }

    /// The message in `locale`, appended to `m` (`near` as for
    /// [`write_message`](Violation::write_message)).
    pub(crate) fn message_into(&self, locale: Locale, near: Near, m: &mut String) {
        match (locale, self.message.get()) {
            (Locale::En, Some(kept)) => m.push_str(kept),
            _ => self.detail.render_into(&self.subject, locale, near, m),
        }
    }

    /// The value whose catalog suggestions the message and the params show, if any
    /// (an unknown `__os_version`'s).
    pub(crate) fn os_value(&self) -> Option<&str> {
        self.detail.os_value().map(|(value, _)| value)
    }

    /// The suggestions the message and the params show: looked up in the catalog for
    /// an unknown `__os_version` (a renderer asks once per distinct value), none for
    /// any other violation.
    pub(crate) fn near(&self) -> Near {
        self.detail.near()
    }

    /// The message in `locale` (English is rendered once and kept).
    pub fn message_in(&self, locale: Locale) -> Cow<'_, str> {
        match locale {
            Locale::En => Cow::Borrowed(self.message()),
            other => Cow::Owned(self.detail.render(&self.subject, other)),
        }
    }

    /// The machine-readable parameters of the violation, documented per code
    /// (`docs/contract.md`): `out_of_range` `{min, max, actual}`, `too_long`
    /// `{limit, actual, unit}`, `not_allowed` `{allowed}`, `wrong_type` `{expected,
    /// actual[, hint]}`, `unknown_os_version` `{suggestions}`, `too_many` `{limit,
    /// actual}`, `duplicate_key` `{key}`, … A client can build its own message from
    /// `code` and `params` alone.
    ///
    /// ```
    /// use ims_image_meta::{validate, Rules};
    ///
    /// let report = validate(br#"{"min_disk": "50"}"#, &Rules::default()).unwrap_err();
    /// assert_eq!(
    ///     report.violations()[0].params(),
    ///     serde_json::json!({"expected": "integer", "actual": "string", "hint": "send 50, not \"50\""})
    /// );
    /// ```
    pub fn params(&self) -> serde_json::Value {
        // A map of strings, numbers and lists: serialization cannot fail.
        sure!(
            serde_json::to_value(self.params_view()).ok(),
            "params serialize"
        )
    }

    /// The violation serialized with its message in `locale`: `{"pointer", "code",
    /// "message", "ims_code", "params"}`.
    pub fn localized(&self, locale: Locale) -> impl Serialize + '_ {
        InLocale(self, locale, false)
    }

    pub(crate) fn params_view(&self) -> Params<'_> {
        self.params_with(self.near())
    }

    /// The params' view with the suggestions already looked up.
    pub(crate) fn params_with(&self, near: Near) -> Params<'_> {
        Params {
            detail: &self.detail,
            subject: &self.subject,
            near,
        }
    }

    /// The IMS error code for the same fault (`IMG.0055`, …), where IMS has one.
    pub fn ims_code(&self) -> Option<&'static str> {
        IMS_CODES
            .get(usize::from(self.ims).checked_sub(1)?)
            .copied()
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} at '{}': {}",
            self.code,
            self.pointer(),
            self.message()
        )
    }
}

impl std::error::Error for Violation {}

impl Serialize for Violation {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InLocale(self, Locale::En, false).serialize(s)
    }
}

/// A violation serialized with its message in a locale: as a report lists it, or
/// (`problem`) as an `Error` of the problem document (`detail`, no IMS code).
struct InLocale<'a>(&'a Violation, Locale, bool);

impl Serialize for InLocale<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let (v, problem) = (self.0, self.2);
        let mut st = match problem {
            true => s.serialize_struct("Error", 4)?,
            false => s.serialize_struct("Violation", 5)?,
        };
        st.serialize_field("pointer", v.pointer())?;
        st.serialize_field("code", &v.code)?;
        let message = v.message_in(self.1);
        if problem {
            st.serialize_field("detail", &message)?;
        } else {
            st.serialize_field("message", &message)?;
            st.serialize_field("ims_code", &v.ims_code())?;
        }
        st.serialize_field("params", &v.params_view())?;
        st.end()
    }
}

/// Every IMS code a violation may carry.
pub(crate) const IMS_CODES: [&str; 8] = [
    "IMG.0001", "IMG.0002", "IMG.0003", "IMG.0007", "IMG.0055", "IMG.0115", "IMG.0116", "IMG.0122",
];

/// [`IMS_CODES`] as words (each code is 8 bytes): a code is found by 8 integer
/// comparisons, no string comparison.
const IMS_WORDS: [u64; 8] = {
    let mut words = [0u64; 8];
    let mut i = 0;
    while i < 8 {
        let b = IMS_CODES[i].as_bytes();
        let mut w = [0u8; 8];
        let mut j = 0;
        while j < 8 {
            w[j] = b[j];
            j += 1;
        }
        words[i] = u64::from_le_bytes(w);
        i += 1;
    }
    words
};

/// The byte a violation keeps for `code`: 1 + its index in [`IMS_CODES`], 0 for none.
#[inline]
fn ims_index(code: Option<&str>) -> u8 {
    let Some(c) = code else {
        return 0;
    };
    let at = <[u8; 8]>::try_from(c.as_bytes())
        .ok()
        .and_then(|w| IMS_WORDS.iter().position(|k| *k == u64::from_le_bytes(w)));
    debug_assert!(at.is_some(), "unknown IMS code {c}");
    at.map_or(0, |i| i as u8 + 1)
}

/// A list of violations serialized in a locale (as [`InLocale`] each).
struct AllInLocale<'a>(&'a [Violation], Locale, bool);

impl Serialize for AllInLocale<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|v| InLocale(v, self.1, self.2)))
    }
}

/// The IMS code used in the IMS error rendering when no violation names one.
pub const IMS_GENERIC_CODE: &str = "IMG.0001";

/// Why a body was rejected: an HTTP status and every violation found, in body order.
///
/// The status is 403 when any violation is read-only or reserved, else 413 when any is
/// a size or quota violation, else 400. Serializes as
/// `{"status": N, "violations": [{"pointer", "code", "message", "ims_code"}]}`;
/// [`Report::ims_error`] gives the IMS extension shape `{"error": {"code", "message"}}`.
/// A client reads a report back with serde (it must have at least one violation, and
/// its status must be the one its violations give).
///
/// ```
/// use ims_image_meta::{validate, Report, Rules};
///
/// let report = validate(br#"{"tags": "web"}"#, &Rules::default()).unwrap_err();
/// assert_eq!(report.status(), 400);
/// let json = serde_json::to_string(&report)?;
/// assert!(json.starts_with(r#"{"status":400,"violations":[{"pointer":"/tags","code":"wrong_type""#));
/// let read: Report = serde_json::from_str(&json)?;
/// assert_eq!(read, report);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    status: u16,
    violations: Vec<Violation>,
    /// How many violations were found: more than `violations.len()` when truncated.
    total: usize,
}

/// The statuses a report can have, from the lowest precedence to the highest: 415
/// (the media type of an update, alone), then 403 > 404 > 409 > 413 > 400 (SPEC §6,
/// §8.2).
pub(crate) const STATUS_RANK: [u16; 6] = [400, 413, 409, 404, 403, 415];

/// The rank of `status` in [`STATUS_RANK`] (a status not there counts as 400).
fn rank(status: u16) -> usize {
    STATUS_RANK.iter().position(|&x| x == status).unwrap_or(0)
}

/// The status of a rejection with these violations: 415 > 403 > 404 > 409 > 413 > 400.
pub(crate) fn status_of<'v>(violations: impl IntoIterator<Item = &'v Violation>) -> u16 {
    let top = violations.into_iter().map(|v| rank(v.code.status())).max();
    STATUS_RANK.get(top.unwrap_or(0)).copied().unwrap_or(400)
}

/// The status of higher precedence of `a` and `b` (see [`STATUS_RANK`]).
pub(crate) fn worse(a: u16, b: u16) -> u16 {
    STATUS_RANK
        .get(rank(a).max(rank(b)))
        .copied()
        .unwrap_or(400)
}

impl Report {
    /// A report of these violations (not empty), its status computed from them.
    pub(crate) fn new(violations: Vec<Violation>) -> Report {
        let status = status_of(&violations);
        let total = violations.len();
        Report::kept(status, violations, total)
    }

    /// A report that keeps `violations` of `total` found, with the status of them all.
    pub(crate) fn kept(status: u16, violations: Vec<Violation>, total: usize) -> Report {
        Report {
            status,
            violations,
            total,
        }
    }

    /// The HTTP status: 400, 403 or 413 (of every violation found, kept or not).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The violations kept, in the order met in the body (never empty): the first
    /// [`Rules::max_violations`](crate::Rules::max_violations) found.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// How many violations the body has: [`Report::violations`] keeps the first ones.
    pub fn total(&self) -> usize {
        self.total
    }

    /// Whether violations were left out (`total() > violations().len()`).
    pub fn is_truncated(&self) -> bool {
        self.total > self.violations.len()
    }

    /// The IMS extension rendering: the IMS code of the first violation that has one
    /// (else `IMG.0001`), and every message, each ending with a full stop, joined with
    /// a space.
    pub fn ims_error(&self) -> ImsError<'_> {
        self.ims_error_in(Locale::En)
    }

    /// [`Report::ims_error`] with its message in `locale`.
    pub fn ims_error_in(&self, locale: Locale) -> ImsError<'_> {
        ImsError {
            report: self,
            locale,
        }
    }

    /// The Glance-shaped report (`{"status", "violations", …}`, as it serializes) with
    /// its messages in `locale`.
    ///
    /// ```
    /// use ims_image_meta::{validate, Locale, Rules};
    ///
    /// let report = validate(br#"{"container_format": "ovf"}"#, &Rules::default()).unwrap_err();
    /// let zh = serde_json::to_value(report.localized(Locale::ZhCn))?;
    /// assert_eq!(zh["violations"][0]["message"], "属性'container_format'的取值只能为bare，实际为'ovf'。");
    /// assert_eq!(zh["violations"][0]["params"]["allowed"], serde_json::json!(["bare"]));
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn localized(&self, locale: Locale) -> Localized<'_> {
        Localized {
            report: self,
            locale,
        }
    }

    /// The report as RFC 9457 problem details (`application/problem+json`): `type`,
    /// `title`, `status`, `detail`, and `errors: [{pointer, code, detail, params}]`,
    /// plus `truncated` and `total` when violations were left out.
    ///
    /// ```
    /// use ims_image_meta::{validate, Locale, Rules};
    ///
    /// let report = validate(br#"{"min_disk": 1, "status": "x"}"#, &Rules::default()).unwrap_err();
    /// let p = serde_json::to_value(report.problem(Locale::En))?;
    /// assert_eq!(p["type"], "about:blank");
    /// assert_eq!(p["title"], "Forbidden");
    /// assert_eq!(p["status"], 403);
    /// assert_eq!(p["errors"][1]["pointer"], "/status");
    /// assert_eq!(p["errors"][0]["params"]["min"], 40);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn problem(&self, locale: Locale) -> Problem<'_> {
        Problem {
            report: self,
            locale,
        }
    }

    /// The report as a JSON value (`{"status", "violations"}`), as it serializes.
    pub fn to_json_value(&self) -> serde_json::Value {
        // Strings, integers and nulls only: serialization cannot fail.
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = self.total;
        write!(
            f,
            "request rejected ({}): {n} violation{}",
            self.status,
            if n == 1 { "" } else { "s" }
        )?;
        if self.is_truncated() {
            write!(f, " ({} shown)", self.violations.len())?;
        }
        for v in &self.violations {
            write!(f, "; {v}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

impl Serialize for Report {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.localized(Locale::En).serialize(s)
    }
}

/// A report in the Glance shape with its messages in a locale; see
/// [`Report::localized`].
#[derive(Debug, Clone, Copy)]
pub struct Localized<'a> {
    report: &'a Report,
    locale: Locale,
}

impl Serialize for Localized<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.report;
        let mut st = s.serialize_struct("Report", 4)?;
        st.serialize_field("status", &r.status)?;
        st.serialize_field(
            "violations",
            &AllInLocale(&r.violations, self.locale, false),
        )?;
        truncation(&mut st, r)?;
        st.end()
    }
}

/// `"truncated": true, "total": N` when the report left violations out (both
/// renderings carry them).
fn truncation<S: SerializeStruct>(st: &mut S, r: &Report) -> Result<(), S::Error> {
    if r.is_truncated() {
        st.serialize_field("truncated", &true)?;
        st.serialize_field("total", &r.total)
    } else {
        st.skip_field("truncated")?;
        st.skip_field("total")
    }
}

/// A report as RFC 9457 problem details; see [`Report::problem`]. Serve it as
/// `application/problem+json`.
#[derive(Debug, Clone, Copy)]
pub struct Problem<'a> {
    report: &'a Report,
    locale: Locale,
}

impl Problem<'_> {
    /// The media type of the rendering: `application/problem+json`.
    pub const MEDIA_TYPE: &'static str = "application/problem+json";

    /// The HTTP reason phrase of the status (RFC 9110), as `title` (`type` is
    /// `about:blank`, so the title is the status's phrase, in English in every locale).
    pub fn title(&self) -> &'static str {
        match self.report.status {
            403 => "Forbidden",
            404 => "Not Found",
            409 => "Conflict",
            413 => "Content Too Large",
            415 => "Unsupported Media Type",
            _ => "Bad Request",
        }
    }

    /// A one-sentence summary in the locale.
    pub fn detail(&self) -> String {
        let mut m = String::with_capacity(40);
        write::summary(self.report.total, self.locale, &mut m);
        m
    }
}

impl Serialize for Problem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let r = self.report;
        let mut st = s.serialize_struct("Problem", 7)?;
        st.serialize_field("type", "about:blank")?;
        st.serialize_field("title", self.title())?;
        st.serialize_field("status", &r.status)?;
        st.serialize_field("detail", &self.detail())?;
        st.serialize_field("errors", &AllInLocale(&r.violations, self.locale, true))?;
        truncation(&mut st, r)?;
        st.end()
    }
}

/// A report in the IMS extension shape `{"error": {"code", "message"}}`; see
/// [`Report::ims_error`].
///
/// Also an error value: `Display` writes `CODE: MESSAGE`.
///
/// ```
/// use ims_image_meta::{validate, Rules};
///
/// let report = validate(br#"{"name": " x", "min_disk": 1}"#, &Rules::default()).unwrap_err();
/// let ims = report.ims_error();
/// assert_eq!(ims.code(), "IMG.0003");
/// assert_eq!(
///     ims.message(),
///     "Attribute 'name' may not start or end with a space. \
///      Attribute 'min_disk' must be an integer from 40 to 1024, got 1."
/// );
/// assert_eq!(ims.to_string(), format!("IMG.0003: {}", ims.message()));
/// assert_eq!(
///     serde_json::to_value(ims)?,
///     serde_json::json!({"error": {"code": "IMG.0003", "message": ims.message()}})
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ImsError<'a> {
    report: &'a Report,
    locale: Locale,
}

impl ImsError<'_> {
    /// The IMS code: that of the first violation which has one, else `IMG.0001`.
    pub fn code(&self) -> &'static str {
        self.report
            .violations
            .iter()
            .find_map(Violation::ims_code)
            .unwrap_or(IMS_GENERIC_CODE)
    }

    /// Every kept violation's message, in report order, joined with a space; a
    /// message that does not end with `.`, `?` or `!` gets a `.`, so that the whole
    /// reads as sentences: `A. B.` A truncated report ends with how many more there
    /// are: `… And 4678 more.`
    pub fn message(&self) -> String {
        let mut out = String::new();
        self.message_into(&mut out);
        out
    }
}

impl fmt::Display for ImsError<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code(), self.message())
    }
}

impl std::error::Error for ImsError<'_> {}

impl Serialize for ImsError<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'b>(&'b ImsError<'b>);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let mut st = s.serialize_struct("Error", 2)?;
                st.serialize_field("code", self.0.code())?;
                st.serialize_field("message", &self.0.message())?;
                st.end()
            }
        }
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("error", &Inner(self))?;
        m.end()
    }
}

mod write;

pub use write::{Format, Style};

#[cfg(test)]
mod tests;
