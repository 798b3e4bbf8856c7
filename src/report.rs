//! Violations, the report of a rejected body, warnings of an accepted one, and their
//! JSON renderings.

use std::borrow::Cow;
use std::fmt::{self, Write as _};
use std::sync::OnceLock;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::catalog::Catalog;
use crate::code::Code;
use crate::found::Place;
use crate::short::Short;
use crate::text::excerpt;
use crate::values::{DiskFormat, FirmwareType};

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
    /// Always [`Place::Done`] once in a report.
    place: Place,
    code: Code,
    detail: Detail,
    ims_code: Option<&'static str>,
    message: OnceLock<String>,
}

impl PartialEq for Violation {
    fn eq(&self, other: &Self) -> bool {
        self.pointer() == other.pointer()
            && self.code == other.code
            && self.ims_code == other.ims_code
            && self.message() == other.message()
    }
}

impl Eq for Violation {}

/// Which thing a message names, read back from the pointer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Subject {
    /// "Attribute 'KEY'": a top-level value.
    Value,
    /// "Property key 'KEY'": a custom property's key.
    Key,
    /// "Tag N": an element of `tags`.
    Tag,
}

/// What `not_allowed` allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allowed {
    Private,
    Bare,
    Firmware,
    /// A bit per `DiskFormat::ALL` index.
    DiskFormats(u8),
}

/// An integer outside its range, as far as the message needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Got {
    Value(u64),
    Negative,
    Huge,
}

/// The data a message is rendered from. The [`Short`] inputs are already excerpts
/// (at most [`EXCERPT`] chars), made by the scan, except `UnknownOs`'s whole value.
#[derive(Debug, Clone)]
pub(crate) enum Detail {
    Text(Cow<'static, str>),
    TooLarge {
        len: usize,
        max: usize,
    },
    NotObject(&'static str),
    Duplicate,
    WrongType {
        expected: &'static str,
        found: &'static str,
    },
    Nul(Subject),
    FourByte(Subject, char),
    TooShort(Subject),
    TooLong {
        subject: Subject,
        len: usize,
        max: usize,
    },
    ValueTooLong {
        len: usize,
        max: usize,
    },
    OutOfRange {
        got: Got,
        lo: u32,
        hi: u32,
    },
    NotAllowed {
        allowed: Allowed,
        got: Short,
    },
    BadUuid(Short),
    NameSpaces,
    NameChar(char),
    DescriptionChars,
    UnknownOs {
        value: Short,
        catalog: Catalog,
    },
    TooManyTags {
        n: usize,
        max: usize,
    },
    TooManyProperties {
        n: usize,
        max: usize,
    },
    Forbidden(&'static str),
}

/// The pointer's tokens, unescaped (borrowed unless a token holds an escape).
fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(|t| {
        if t.contains('~') {
            Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
        } else {
            Cow::Borrowed(t)
        }
    })
}

fn last_token(pointer: &str) -> Cow<'_, str> {
    tokens(pointer).last().unwrap_or_default()
}

fn first_token(pointer: &str) -> Cow<'_, str> {
    tokens(pointer).next().unwrap_or_default()
}

/// The first token, cut to an excerpt when long.
fn first_key(pointer: &str) -> Cow<'_, str> {
    match first_token(pointer) {
        Cow::Borrowed(t) => excerpt(t, EXCERPT),
        Cow::Owned(t) => Cow::Owned(excerpt(&t, EXCERPT).into_owned()),
    }
}

/// What a message names, written straight into the message (no string of its own).
struct Named<'a>(Subject, &'a str);

impl fmt::Display for Named<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Subject::Value => write!(f, "Attribute '{}'", first_key(self.1)),
            Subject::Key => write!(f, "Property key '{}'", first_key(self.1)),
            Subject::Tag => write!(f, "Tag {}", last_token(self.1)),
        }
    }
}

fn subject(s: Subject, pointer: &str) -> Named<'_> {
    Named(s, pointer)
}

impl fmt::Display for Got {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Got::Value(v) => write!(f, "{v}"),
            Got::Negative => f.write_str("a negative number"),
            Got::Huge => f.write_str("a number beyond 64 bits"),
        }
    }
}

/// How long a quoted input may be in a message before it is cut.
pub(crate) const EXCERPT: usize = 64;

impl Detail {
    fn render(&self, pointer: &str) -> String {
        let key = || first_key(pointer);
        match self {
            Detail::Text(t) => t.to_string(),
            Detail::TooLarge { len, max } => {
                format!("Request is too large: {len} bytes, at most {max} allowed.")
            }
            Detail::NotObject(kind) => format!("Request body must be a JSON object, found {kind}."),
            Detail::Duplicate => format!(
                "Duplicate key '{}' in a JSON object.",
                excerpt(&last_token(pointer), EXCERPT)
            ),
            Detail::WrongType { expected, found } => {
                // Room for it at once (`format!` starting with an argument grows).
                let mut out = String::with_capacity(96);
                let subject = subject_of(pointer);
                let _ = write!(out, "{subject} must be {expected}, found {found}.");
                out
            }
            Detail::Nul(s) => {
                format!("{} contains U+0000, which is not supported.", subject(*s, pointer))
            }
            Detail::FourByte(s, c) => format!(
                "{} contains a 4-byte UTF-8 character (U+{:04X}), which is not supported.",
                subject(*s, pointer),
                u32::from(*c)
            ),
            Detail::TooShort(Subject::Key) => {
                "Property key must have at least 1 character.".to_owned()
            }
            Detail::TooShort(s) => {
                format!("{} must have at least 1 character.", subject(*s, pointer))
            }
            Detail::TooLong { subject: s, len, max } => format!(
                "{} is too long: {len} characters, at most {max} allowed.",
                subject(*s, pointer)
            ),
            Detail::ValueTooLong { len, max } => format!(
                "Property '{}' is too long: {len} bytes, at most {max} allowed.",
                key()
            ),
            Detail::OutOfRange { got, lo, hi } => {
                format!(
                    "Attribute '{}' must be an integer from {lo} to {hi}, got {got}.",
                    key()
                )
            }
            Detail::NotAllowed { allowed, got } => {
                // One string, written in place (no list of quoted values to join).
                let mut allowed_list = [""; 8];
                let n = match allowed {
                    Allowed::Private => {
                        return format!(
                            "Attribute 'visibility' must be 'private' on create, got '{got}'."
                        )
                    }
                    Allowed::Bare => {
                        allowed_list[0] = "bare";
                        1
                    }
                    Allowed::Firmware => fill(&mut allowed_list, FirmwareType::ALL.iter().map(|f| f.as_str())),
                    Allowed::DiskFormats(mask) => fill(
                        &mut allowed_list,
                        DiskFormat::ALL
                            .iter()
                            .enumerate()
                            .filter(|(i, _)| mask & (1 << i) != 0)
                            .map(|(_, f)| f.as_str()),
                    ),
                };
                let list = allowed_list.get(..n).unwrap_or_default();
                let mut out = String::with_capacity(96);
                let _ = write!(
                    out,
                    "Attribute '{}' must be {}",
                    key(),
                    if list.len() == 1 { "" } else { "one of " }
                );
                for (i, a) in list.iter().enumerate() {
                    let sep = if i == 0 { "" } else { ", " };
                    let _ = write!(out, "{sep}'{a}'");
                }
                let _ = write!(out, ", got '{got}'.");
                out
            }
            Detail::BadUuid(got) => format!(
                "Attribute 'id' must be a UUID (8-4-4-4-12 hex digits), got '{got}'."
            ),
            Detail::NameSpaces => "Attribute 'name' may not start or end with a space.".to_owned(),
            Detail::NameChar(c) => format!(
                "Attribute 'name' may not contain {c:?} (U+{:04X}): only letters, digits, '-', '.', '_', spaces and CJK ideographs are allowed.",
                u32::from(*c)
            ),
            Detail::DescriptionChars => {
                "Attribute '__description' may not contain a carriage return, '<' or '>'.".to_owned()
            }
            Detail::UnknownOs { value, catalog } => {
                let near = catalog.suggest(value, 3);
                let mut out = String::with_capacity(
                    160 + near.iter().map(|n| n.len() + 6).sum::<usize>(),
                );
                let _ = write!(out, "Unknown __os_version '{}'.", excerpt(value, EXCERPT));
                if near.is_empty() {
                    out.push_str(" It must be one of the catalog's values (exact, case-sensitive).");
                } else {
                    out.push_str(" Did you mean ");
                    for (i, n) in near.iter().enumerate() {
                        let sep = if i == 0 { "" } else { " or " };
                        let _ = write!(out, "{sep}'{n}'");
                    }
                    out.push('?');
                }
                out
            }
            Detail::TooManyTags { n, max } => format!(
                "The limit has been exceeded on the number of allowed image tags. Attempted: {n}, Maximum: {max}"
            ),
            Detail::TooManyProperties { n, max } => format!(
                "The limit has been exceeded on the number of allowed image properties. Attempted: {n}, Maximum: {max}"
            ),
            Detail::Forbidden(what) => format!("Attribute '{}' is {what}.", key()),
        }
    }
}

/// Puts the `items` into `slots`, as many as fit, and says how many.
fn fill<'a>(slots: &mut [&'a str], items: impl Iterator<Item = &'a str>) -> usize {
    slots
        .iter_mut()
        .zip(items)
        .map(|(slot, item)| *slot = item)
        .count()
}

/// "Tag N" under `/tags/N`, else "Attribute 'KEY'".
fn subject_of(pointer: &str) -> Named<'_> {
    let mut t = tokens(pointer);
    match (t.next().as_deref(), t.next(), t.next()) {
        (Some("tags"), Some(_), None) => subject(Subject::Tag, pointer),
        _ => subject(Subject::Value, pointer),
    }
}

impl Violation {
    pub(crate) fn new(
        pointer: Short,
        code: Code,
        detail: Detail,
        ims_code: Option<&'static str>,
    ) -> Self {
        Violation {
            place: Place::Done(pointer),
            code,
            detail,
            ims_code,
            message: OnceLock::new(),
        }
    }

    /// A violation at a node of the scan's path arena (rendered when the report is
    /// made).
    pub(crate) fn at_node(
        node: u32,
        code: Code,
        detail: Detail,
        ims_code: Option<&'static str>,
    ) -> Self {
        Violation {
            place: Place::Node(node),
            code,
            detail,
            ims_code,
            message: OnceLock::new(),
        }
    }

    pub(crate) fn place(&self) -> &Place {
        &self.place
    }

    pub(crate) fn set_pointer(&mut self, pointer: Short) {
        self.place = Place::Done(pointer);
    }

    /// The JSON Pointer of the offending value or key: `""` for the body itself,
    /// `/min_disk`, `/tags/3`, `/a~1b` for the key `a/b`.
    ///
    /// Exact, except where that would make a report grow with the body: a token longer
    /// than 256 chars is cut to its first 64 and `…`, and a place deeper than 8 levels
    /// keeps its first 4 and last 3 tokens with a `…` token between.
    pub fn pointer(&self) -> &str {
        match &self.place {
            Place::Done(p) => p.as_str(),
            // Not in a report: every place is rendered when the report is made.
            Place::Node(_) => "",
        }
    }

    /// The rule broken.
    pub fn code(&self) -> Code {
        self.code
    }

    /// An English message (Glance's wording where Glance has one), rendered on first
    /// use.
    pub fn message(&self) -> &str {
        self.message
            .get_or_init(|| self.detail.render(self.pointer()))
    }

    /// The IMS error code for the same fault (`IMG.0055`, …), where IMS has one.
    pub fn ims_code(&self) -> Option<&'static str> {
        self.ims_code
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
        let mut st = s.serialize_struct("Violation", 4)?;
        st.serialize_field("pointer", self.pointer())?;
        st.serialize_field("code", &self.code)?;
        st.serialize_field("message", self.message())?;
        st.serialize_field("ims_code", &self.ims_code)?;
        st.end()
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

/// The status of a rejection with these violations: 403 > 413 > 400.
pub(crate) fn status_of<'v>(violations: impl IntoIterator<Item = &'v Violation>) -> u16 {
    violations
        .into_iter()
        .map(|v| match v.code.status() {
            403 => 2,
            413 => 1,
            _ => 0,
        })
        .max()
        .map_or(400, |rank| [400, 413, 403][rank])
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
        ImsError { report: self }
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
        let mut st = s.serialize_struct("Report", 4)?;
        st.serialize_field("status", &self.status)?;
        st.serialize_field("violations", &self.violations)?;
        if self.is_truncated() {
            st.serialize_field("truncated", &true)?;
            st.serialize_field("total", &self.total)?;
        } else {
            st.skip_field("truncated")?;
            st.skip_field("total")?;
        }
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
}

impl ImsError<'_> {
    /// The IMS code: that of the first violation which has one, else `IMG.0001`.
    pub fn code(&self) -> &'static str {
        self.report
            .violations
            .iter()
            .find_map(|v| v.ims_code)
            .unwrap_or(IMS_GENERIC_CODE)
    }

    /// Every kept violation's message, in report order, joined with a space; a
    /// message that does not end with `.`, `?` or `!` gets a `.`, so that the whole
    /// reads as sentences: `A. B.` A truncated report ends with how many more there
    /// are: `… And 4678 more.`
    pub fn message(&self) -> String {
        let mut out = String::new();
        for v in &self.report.violations {
            if !out.is_empty() {
                out.push(' ');
            }
            let m = v.message().trim_end();
            out.push_str(m);
            if !m.ends_with(['.', '?', '!']) {
                out.push('.');
            }
        }
        let more = self.report.total - self.report.violations.len();
        if more > 0 {
            out.push_str(&format!(" And {more} more."));
        }
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

/// A default applied to an accepted body that the page says may break later use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// No `name` (or `null`): the image gets `""`, and servers cannot be created from it.
    NameDefaulted,
    /// No `__os_version`: the default is used, and servers from the image may not work.
    OsVersionDefaulted,
}

impl Warning {
    /// A stable snake_case code: `name_defaulted`, `os_version_defaulted`.
    pub const fn code(self) -> &'static str {
        match self {
            Warning::NameDefaulted => "name_defaulted",
            Warning::OsVersionDefaulted => "os_version_defaulted",
        }
    }

    /// The JSON Pointer of the defaulted field.
    pub const fn pointer(self) -> &'static str {
        match self {
            Warning::NameDefaulted => "/name",
            Warning::OsVersionDefaulted => "/__os_version",
        }
    }

    /// An English message.
    pub const fn message(self) -> &'static str {
        match self {
            Warning::NameDefaulted => {
                "No name given: the image's name is empty, and creating a server from it will fail."
            }
            Warning::OsVersionDefaulted => {
                "No __os_version given: the default applies, and servers created from the image may not work."
            }
        }
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Warning", 3)?;
        st.serialize_field("pointer", self.pointer())?;
        st.serialize_field("code", self.code())?;
        st.serialize_field("message", self.message())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(pointer: &str, code: Code) -> Violation {
        let msg = format!("m {code}");
        Violation::new(Short::from(pointer), code, Detail::Text(msg.into()), None)
    }

    #[test]
    fn status_precedence_is_403_then_413_then_400() {
        assert_eq!(Report::new(vec![v("/a", Code::WrongType)]).status(), 400);
        let r = Report::new(vec![v("/a", Code::WrongType), v("/tags", Code::TooMany)]);
        assert_eq!(r.status(), 413);
        let r = Report::new(vec![
            v("/tags", Code::TooMany),
            v("/status", Code::ReadOnly),
            v("/a", Code::WrongType),
        ]);
        assert_eq!(r.status(), 403);
    }

    #[test]
    fn code_names_round_trip() {
        for c in Code::ALL {
            assert_eq!(Code::from_name(c.as_str()), Some(*c));
        }
        assert_eq!(Code::from_name("nope"), None);
    }

    #[test]
    fn renderings() {
        let r = Report::new(vec![
            v("/status", Code::ReadOnly),
            Violation::new(
                "/min_disk".into(),
                Code::OutOfRange,
                Detail::Text("m2".into()),
                Some("IMG.0055"),
            ),
        ]);
        let json = serde_json::to_value(&r).unwrap();
        assert_eq!(json, r.to_json_value());
        assert_eq!(json["status"], 403);
        assert_eq!(json["violations"][0]["ims_code"], serde_json::Value::Null);
        assert_eq!(json["violations"][1]["code"], "out_of_range");
        let ims = serde_json::to_value(r.ims_error()).unwrap();
        assert_eq!(
            ims,
            serde_json::json!({"error": {"code": "IMG.0055", "message": "m read_only. m2."}})
        );
        assert_eq!(
            r.to_string(),
            "request rejected (403): 2 violations; read_only at '/status': m read_only; \
             out_of_range at '/min_disk': m2"
        );
        let plain = Report::new(vec![v("", Code::TooMany)]);
        assert_eq!(plain.ims_error().code(), IMS_GENERIC_CODE);
    }
}
