//! The report's bytes: the one writer of every rendering ([`Format`]) in every locale.
//! Its output is byte for byte what `serde_json` writes for the matching `Serialize`
//! view ([`Report::localized`], [`Report::problem`], [`Report::ims_error_in`]); the
//! tests hold the two equal.

use crate::json::{contents_of, known, string, uint};
use crate::message::{Escaped, Locale, Near, Sink};

use super::{ImsError, Report, Violation};

/// How a report is rendered: its shape ([`Format`]) and the language of its messages.
///
/// ```
/// use ims_image_meta::report::{Format, Style};
/// use ims_image_meta::Locale;
///
/// let style = Style::new(Format::Problem, Locale::ZhCn);
/// assert_eq!(style.content_type(), "application/problem+json");
/// assert_eq!(Style::default().content_type(), "application/json");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub struct Style {
    /// The shape.
    pub format: Format,
    /// The language of the messages.
    pub locale: Locale,
}

impl Style {
    /// A style of this shape and language.
    pub const fn new(format: Format, locale: Locale) -> Style {
        Style { format, locale }
    }

    /// The media type a server answers the rendering with.
    pub const fn content_type(self) -> &'static str {
        self.format.content_type()
    }
}

crate::values::wire_enum! {
    /// The shape of a rendered report; the CLI and the bindings name it `glance`, `ims`
    /// or `problem`.
    #[derive(Default)]
    Format, "report format" {
        /// `{"status", "violations": [{"pointer", "code", "message", "ims_code",
        /// "params"}]}` (the default; [`Report::localized`]).
        #[default]
        Glance => "glance",
        /// IMS's extension shape `{"error": {"code", "message"}}` ([`Report::ims_error`]).
        Ims => "ims",
        /// RFC 9457 problem details ([`Report::problem`]).
        Problem => "problem",
    }
}

impl Format {
    /// `application/problem+json` for [`Format::Problem`], else `application/json`.
    pub const fn content_type(self) -> &'static str {
        match self {
            Format::Problem => super::Problem::MEDIA_TYPE,
            _ => "application/json",
        }
    }
}

impl Report {
    /// Appends the report rendered in `style` to `out`: the same bytes as
    /// `serde_json::to_writer` writes for the matching view, written faster (messages
    /// rendered one after the other into one buffer and not kept).
    ///
    /// ```
    /// use ims_image_meta::report::{Format, Style};
    /// use ims_image_meta::{validate, Locale, Rules};
    ///
    /// let report = validate(br#"{"tags": "web", "a\"b": 1}"#, &Rules::default()).unwrap_err();
    /// let mut out = Vec::new();
    /// report.write_json(Style::default(), &mut out);
    /// assert_eq!(out, serde_json::to_vec(&report)?);
    /// out.clear();
    /// report.write_json(Style::new(Format::Problem, Locale::ZhCn), &mut out);
    /// assert_eq!(out, serde_json::to_vec(&report.problem(Locale::ZhCn))?);
    /// # Ok::<(), serde_json::Error>(())
    /// ```
    pub fn write_json(&self, style: Style, out: &mut Vec<u8>) {
        match style.format {
            Format::Glance => self.write_list::<false>(style.locale, out),
            Format::Problem => self.write_list::<true>(style.locale, out),
            Format::Ims => {
                let ims = self.ims_error_in(style.locale);
                out.extend_from_slice(b"{\"error\":{\"code\":");
                known(out, ims.code());
                out.extend_from_slice(b",\"message\":");
                let mut m = String::with_capacity(self.violations().len() * 96 + 32);
                ims.message_into(&mut m);
                string(out, &m);
                out.extend_from_slice(b"}}");
            }
        }
    }

    /// Room for a typical report (a message and its params are rarely over 320
    /// bytes): one allocation for a fresh buffer, rarely a second.
    fn reserve(&self, out: &mut Vec<u8>) {
        let room: usize = self
            .violations()
            .iter()
            .map(|v| 320 + v.pointer.as_bytes().len())
            .sum();
        out.reserve(64 + room);
    }

    /// The Glance shape, or (`PROBLEM`) the problem document: the same list of
    /// violations, each with `message` and `ims_code`, or with `detail` and no IMS code.
    /// A const parameter: each shape is its own function, its constants copied inline.
    fn write_list<const PROBLEM: bool>(&self, locale: Locale, out: &mut Vec<u8>) {
        self.reserve(out);
        let mut suggestions = Suggestions::default();
        if PROBLEM {
            out.extend_from_slice(b"{\"type\":\"about:blank\",\"title\":");
            known(out, self.problem(locale).title());
            out.extend_from_slice(b",\"status\":");
            uint(out, u64::from(self.status()));
            out.extend_from_slice(b",\"detail\":\"");
            summary(self.total(), locale, &mut Escaped(&mut *out));
            out.extend_from_slice(b"\",\"errors\":[");
        } else {
            out.extend_from_slice(b"{\"status\":");
            uint(out, u64::from(self.status()));
            out.extend_from_slice(b",\"violations\":[");
        }
        for (i, v) in self.violations().iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            // The constant parts run from one value to the next, quotes included.
            out.extend_from_slice(b"{\"pointer\":\"");
            pointer(v, out);
            out.extend_from_slice(b"\",\"code\":\"");
            out.extend_from_slice(v.code().as_str().as_bytes());
            if PROBLEM {
                out.extend_from_slice(b"\",\"detail\":\"");
            } else {
                out.extend_from_slice(b"\",\"message\":\"");
            }
            let near = suggestions.of(v);
            v.write_message(locale, near, out);
            match (PROBLEM, v.ims_code()) {
                (true, _) => out.extend_from_slice(b"\",\"params\":"),
                (false, Some(c)) => {
                    out.extend_from_slice(b"\",\"ims_code\":\"");
                    out.extend_from_slice(c.as_bytes());
                    out.extend_from_slice(b"\",\"params\":");
                }
                (false, None) => out.extend_from_slice(b"\",\"ims_code\":null,\"params\":"),
            }
            params(v, near, out);
            out.push(b'}');
        }
        out.push(b']');
        self.truncation(out);
        out.push(b'}');
    }

    /// `,"truncated":true,"total":N` when violations were left out.
    fn truncation(&self, out: &mut Vec<u8>) {
        if self.is_truncated() {
            out.extend_from_slice(b",\"truncated\":true,\"total\":");
            uint(out, self.total() as u64);
        }
    }
}

/// The violation's pointer as a string's contents: a documented field's (a constant,
/// known clean) as it is, any other escaped.
#[inline]
fn pointer(v: &Violation, out: &mut Vec<u8>) {
    match v.pointer.as_static() {
        Some(p) => {
            debug_assert!(!p.contains(['"', '\\']) && !p.contains(char::is_control));
            out.extend_from_slice(p.as_bytes());
        }
        None => contents_of(out, v.pointer.as_bytes()),
    }
}

/// The problem document's `detail`: a one-sentence summary in `locale`
/// ([`super::Problem::detail`]).
pub(super) fn summary(n: usize, locale: Locale, m: &mut impl Sink) {
    match locale {
        Locale::ZhCn => {
            m.lit("请求体违反了");
            m.uint(n as u64);
            m.lit("条规则。");
        }
        _ => {
            m.lit("The request body breaks ");
            m.uint(n as u64);
            m.lit(if n == 1 { " rule." } else { " rules." });
        }
    }
}

impl ImsError<'_> {
    /// [`ImsError::message`], appended to `m`: each message rendered in place, its
    /// trailing whitespace cut, a full stop added where it has none.
    pub(super) fn message_into(&self, m: &mut String) {
        let zh = self.locale == Locale::ZhCn;
        let mut near = Suggestions::default();
        for v in self.report.violations() {
            if !m.is_empty() && !zh {
                m.push(' ');
            }
            let start = m.len();
            v.message_into(self.locale, near.of(v), m);
            let kept = m.get(start..).map_or(0, |t| t.trim_end().len());
            m.truncate(start + kept);
            if !m
                .get(start..)
                .unwrap_or_default()
                .ends_with(['.', '?', '!', '。', '？'])
            {
                m.push(if zh { '。' } else { '.' });
            }
        }
        let more = self.report.total() - self.report.violations().len();
        if more > 0 {
            if zh {
                m.push_str("另有");
                m.uint(more as u64);
                m.push_str("处违规未列出。");
            } else {
                m.push_str(" And ");
                m.uint(more as u64);
                m.push_str(" more.");
            }
        }
    }
}

/// The suggestions of the violations of one rendering: looked up in the catalog once
/// per distinct value (a report has one unknown `__os_version` at most on create, an
/// update's few), none for the other violations.
#[derive(Default)]
struct Suggestions<'r> {
    /// The first value looked up (no allocation for a create's one), then the others.
    first: Option<(&'r str, Near)>,
    more: Vec<(&'r str, Near)>,
}

impl<'r> Suggestions<'r> {
    fn of(&mut self, v: &'r Violation) -> Near {
        let Some(value) = v.os_value() else {
            return Near::default();
        };
        let mut seen = self.first.iter().chain(&self.more);
        if let Some(&(_, near)) = seen.find(|(seen, _)| *seen == value) {
            return near;
        }
        let near = v.near();
        match self.first {
            None => self.first = Some((value, near)),
            Some(_) => self.more.push((value, near)),
        }
        near
    }
}

/// The violation's `params`: written straight by the params' own writer, else (params
/// read back from JSON, an update's) by their `Serialize` through serde_json (writing
/// to a Vec cannot fail).
fn params(v: &Violation, near: Near, out: &mut Vec<u8>) {
    let params = v.params_with(near);
    if params.write(out) {
        return;
    }
    if serde_json::to_writer(&mut *out, &params).is_err() {
        out.extend_from_slice(b"{}");
    }
}
