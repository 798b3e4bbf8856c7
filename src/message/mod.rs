//! What a violation says: the compact data it is rendered from ([`Detail`]), its message
//! in each [`Locale`], and its machine-readable parameters.
//!
//! A client can build its own message, in its own language, from `code` and `params`
//! alone; the parameters of each code are listed in `docs/contract.md` and fixed by
//! `report_schema()`.

use std::borrow::Cow;
use std::fmt;
use std::fmt::Write as _;
use std::sync::OnceLock;

use crate::catalog::Catalog;
use crate::chars::excerpt;
use crate::pointer::Short;
use crate::shape::JsonType;
use crate::values::DiskFormat;

/// The language of rendered messages.
///
/// ```
/// use ims_image_meta::{validate, Locale, Rules};
///
/// let report = validate(br#"{"min_disk": 1}"#, &Rules::default()).unwrap_err();
/// let v = &report.violations()[0];
/// assert_eq!(v.message_in(Locale::En), "Attribute 'min_disk' must be an integer from 40 to 1024, got 1.");
/// assert_eq!(v.message_in(Locale::ZhCn), "属性'min_disk'的取值为40～1024，实际为1。");
/// assert_eq!("zh-CN".parse::<Locale>(), Ok(Locale::ZhCn));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Locale {
    /// English (Glance's wording where Glance has one), the default.
    #[default]
    En,
    /// Simplified Chinese (the IMS page's wording where it has one).
    ZhCn,
}

impl Locale {
    /// Every locale.
    pub const ALL: &'static [Locale] = &[Locale::En, Locale::ZhCn];

    /// The BCP 47 tag: `en`, `zh-CN`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Locale::En => "en",
            Locale::ZhCn => "zh-CN",
        }
    }
}

impl fmt::Display for Locale {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Locale {
    type Err = crate::values::ParseValueError;

    /// `en` (or `en-US`, `en-GB`) and `zh-CN` (or `zh`, `zh-Hans`), any case.
    fn from_str(s: &str) -> Result<Locale, Self::Err> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Ok(Locale::En),
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Ok(Locale::ZhCn),
            _ => Err(crate::values::ParseValueError::new(
                "locale",
                s,
                &["en", "zh-CN"],
            )),
        }
    }
}

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
    /// One fixed value (`on_create`: fixed only on create).
    Const {
        value: &'static str,
        on_create: bool,
    },
    /// One of a closed set (the field table's choice).
    Choice(&'static [&'static str]),
    /// A bit per `DiskFormat::ALL` index.
    DiskFormats(u16),
}

impl Allowed {
    /// The allowed values, in order (no allocation).
    fn iter(self) -> impl Iterator<Item = &'static str> + Clone {
        let (formats, list): (u16, &'static [&'static str]) = match self {
            Allowed::DiskFormats(mask) => (mask, &[]),
            Allowed::Choice(values) => (0, values),
            Allowed::Const { .. } => (0, &[]),
        };
        let single = match self {
            Allowed::Const { value, .. } => Some(value),
            _ => None,
        };
        let disk = DiskFormat::ALL
            .iter()
            .enumerate()
            .filter(move |(i, _)| formats & (1 << i) != 0)
            .map(|(_, f)| f.as_str());
        single.into_iter().chain(disk).chain(list.iter().copied())
    }

    /// The values joined: `'a', 'b'` (quoted) or `a、b`.
    fn joined(self, quoted: bool) -> Joined {
        Joined(self, quoted)
    }
}

/// [`Allowed`] written out as a list.
struct Joined(Allowed, bool);

impl fmt::Display for Joined {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in self.0.iter().enumerate() {
            match (i, self.1) {
                (0, _) => {}
                (_, true) => f.write_str(", ")?,
                (_, false) => f.write_str("、")?,
            }
            if self.1 {
                write!(f, "'{v}'")?;
            } else {
                f.write_str(v)?;
            }
        }
        Ok(())
    }
}

/// An integer outside its range, as far as the message needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Got {
    Value(u64),
    /// Below zero: the value when it fits 64 bits.
    Negative(Option<i64>),
    /// Above 64 bits.
    Huge,
}

/// What kind of JSON syntax error (serde_json's category).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Syntax {
    /// Bad syntax, a lone surrogate, trailing characters, too deep.
    Bad,
    /// The body ends too early.
    Eof,
    /// A number out of range, and the like.
    Data,
}

/// The data a message is rendered from. The [`Short`] inputs are already excerpts
/// (at most [`EXCERPT`] chars), made by the scan, except `UnknownOs`'s whole value; an
/// input left out by the `quote_input` knob is `None`.
#[derive(Debug, Clone)]
pub(crate) enum Detail {
    /// A message read back from JSON (no data to render it again from), with the
    /// params it was read with.
    Text(
        Cow<'static, str>,
        Option<Box<serde_json::Map<String, serde_json::Value>>>,
    ),
    Empty,
    Malformed {
        kind: Syntax,
        /// serde_json's own words (English).
        reason: Box<str>,
        line: usize,
        column: usize,
    },
    InvalidUtf8 {
        line: usize,
        column: usize,
    },
    TooLarge {
        len: usize,
        max: usize,
    },
    NotObject(JsonType),
    Duplicate,
    WrongType {
        expected: JsonType,
        found: JsonType,
        /// The value, when it is a string that spells what was expected (`"50"`).
        hint: Hint,
    },
    Nul(Subject),
    FourByte(Subject, char),
    TooShort(Subject),
    TooLong {
        subject: Subject,
        len: usize,
        max: usize,
        /// Whether the value must have 1 char at least (the message gives the range).
        from_one: bool,
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
        got: Option<Short>,
    },
    BadUuid(Option<Short>),
    NameSpaces,
    /// A character outside the name charset; whether the charset has CJK.
    NameChar(char, bool),
    /// A char the field may not hold (the field table's list).
    ForbiddenChars(&'static [char]),
    UnknownOs {
        /// The whole value (suggestions are looked up on it, not on an excerpt).
        value: Box<str>,
        /// Whether the message may quote the value.
        quoted: bool,
        catalog: Catalog,
        /// The catalog rows suggested, looked up once (the message and the params
        /// both show them).
        near: OnceLock<Near>,
    },
    TooManyTags {
        n: usize,
        max: usize,
    },
    TooManyProperties {
        n: usize,
        max: usize,
    },
    /// A key the body may not hold: read-only (`true`) or reserved.
    Forbidden {
        read_only: bool,
    },
    /// A custom key one typo away from a field or extension key.
    NearMiss {
        meant: &'static str,
    },
    /// A fault of an update (SPEC §8) that create has no word for.
    Patch(PatchFault),
    /// A fault create's rule found at a key (the pointer, `/name`), moved to where the
    /// value is in an update's patch: rendered as at that pointer.
    Moved(Box<(Short, Detail)>),
}

/// Up to 3 suggested catalog rows.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Near {
    rows: [u32; 3],
    len: u8,
}

/// The suggestions, written `'a' or 'b'` (English) or `'a'或'b'`.
struct NearList<'a>(&'a Catalog, Near, &'static str);

impl fmt::Display for NearList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, v) in near_values(self.0, self.1).enumerate() {
            if i > 0 {
                f.write_str(self.2)?;
            }
            write!(f, "'{v}'")?;
        }
        Ok(())
    }
}

fn near_values(catalog: &Catalog, near: Near) -> impl Iterator<Item = &str> + Clone {
    near.rows
        .into_iter()
        .take(usize::from(near.len))
        .filter_map(move |r| catalog.row(r as usize))
}

/// A string value that spells the integer or boolean a field wants (`"50"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Hint {
    None,
    /// An `i128` kept as two words: a 16-byte alignment here would grow every
    /// violation (one per two bytes of a hostile body) by 16 bytes.
    Int([u64; 2]),
    Bool(bool),
}

impl Hint {
    /// The hint of an integer spelled as a string.
    pub(crate) fn int(v: i128) -> Hint {
        let b = v.to_le_bytes();
        let word = |r: std::ops::Range<usize>| {
            b.get(r)
                .and_then(|w| <[u8; 8]>::try_from(w).ok())
                .map_or(0, u64::from_le_bytes)
        };
        Hint::Int([word(0..8), word(8..16)])
    }
}

impl Hint {
    /// `50`, `true`: what to send instead.
    fn text(self) -> Option<String> {
        match self {
            Hint::None => None,
            Hint::Int([lo, hi]) => Some((i128::from(hi) << 64 | i128::from(lo)).to_string()),
            Hint::Bool(b) => Some(b.to_string()),
        }
    }
}

/// How long a quoted input may be in a message before it is cut.
pub(crate) const EXCERPT: usize = 64;

/// A pointer token, unescaped (no allocation unless it holds `~`).
fn unescape(t: &str) -> Cow<'_, str> {
    if t.contains('~') {
        Cow::Owned(t.replace("~1", "/").replace("~0", "~"))
    } else {
        Cow::Borrowed(t)
    }
}

fn last_token(pointer: &str) -> Cow<'_, str> {
    match pointer.rsplit_once('/') {
        Some((_, t)) => unescape(t),
        None => Cow::Borrowed(""),
    }
}

/// The key a message names: the pointer's first token, unescaped, as an excerpt of
/// [`EXCERPT`] chars (written straight out: no allocation).
struct Key<'p>(&'p str);

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = raw_first_token(self.0);
        if token.len() <= EXCERPT && !token.contains('~') {
            // Nothing to decode, nothing to cut (no more chars than bytes): as it is.
            return f.write_str(token);
        }
        let mut chars = token.chars().peekable();
        let mut n = 0;
        while let Some(c) = chars.next() {
            if n == EXCERPT {
                return f.write_str("…");
            }
            let c = match (c, chars.peek()) {
                ('~', Some('1')) => {
                    chars.next();
                    '/'
                }
                ('~', Some('0')) => {
                    chars.next();
                    '~'
                }
                (c, _) => c,
            };
            f.write_char(c)?;
            n += 1;
        }
        Ok(())
    }
}

/// A pointer's first token, undecoded: what follows its first `/`, up to the next
/// (searched as bytes: `/` is ASCII).
fn raw_first_token(pointer: &str) -> &str {
    let slash = |s: &str| s.bytes().position(|b| b == b'/');
    let Some(rest) = slash(pointer).and_then(|i| pointer.get(i + 1..)) else {
        return "";
    };
    match slash(rest) {
        Some(end) => rest.get(..end).unwrap_or_default(),
        None => rest,
    }
}

fn key(pointer: &str) -> Key<'_> {
    Key(pointer)
}

/// What a message names: "Attribute 'KEY'", "Property key 'KEY'", "Tag N".
struct Subj<'p>(Subject, &'p str, Locale);

impl fmt::Display for Subj<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Subj(s, pointer, locale) = *self;
        match (s, locale) {
            (Subject::Value, Locale::ZhCn) => write!(f, "属性'{}'", key(pointer)),
            (Subject::Value, _) => write!(f, "Attribute '{}'", key(pointer)),
            (Subject::Key, Locale::ZhCn) => write!(f, "自定义属性键'{}'", key(pointer)),
            (Subject::Key, _) => write!(f, "Property key '{}'", key(pointer)),
            // `/tags/`: the one tag of a tag call (SPEC §8.3), no index to name.
            (Subject::Tag, Locale::ZhCn) if pointer.ends_with('/') => f.write_str("标签"),
            (Subject::Tag, _) if pointer.ends_with('/') => f.write_str("The tag"),
            (Subject::Tag, Locale::ZhCn) => write!(f, "标签{}", last_token(pointer)),
            (Subject::Tag, _) => write!(f, "Tag {}", last_token(pointer)),
        }
    }
}

fn subject(s: Subject, pointer: &str, locale: Locale) -> Subj<'_> {
    Subj(s, pointer, locale)
}

/// "Tag N" under `/tags/N`, else "Attribute 'KEY'".
fn subject_of(pointer: &str, locale: Locale) -> Subj<'_> {
    // `/tags/N` (exactly two tokens).
    let tag = pointer
        .strip_prefix("/tags/")
        .is_some_and(|n| !n.bytes().any(|b| b == b'/'));
    subject(
        if tag { Subject::Tag } else { Subject::Value },
        pointer,
        locale,
    )
}

/// Chars a field may not hold, named: `a carriage return, '<' or '>'` (English),
/// `回车符、'<'或'>'`.
struct CharList(&'static [char], Locale);

impl fmt::Display for CharList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let CharList(chars, locale) = *self;
        let zh = locale == Locale::ZhCn;
        for (i, c) in chars.iter().enumerate() {
            match (i, i + 1 == chars.len(), zh) {
                (0, _, _) => {}
                (_, true, false) => f.write_str(" or ")?,
                (_, false, false) => f.write_str(", ")?,
                (_, true, true) => f.write_str("或")?,
                (_, false, true) => f.write_str("、")?,
            }
            match (c, zh) {
                ('\r', false) => f.write_str("a carriage return")?,
                ('\r', true) => f.write_str("回车符")?,
                (c, _) => write!(f, "'{c}'")?,
            }
        }
        Ok(())
    }
}

/// `U+1F600`.
struct Hex(char);

impl fmt::Display for Hex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "U+{:04X}", u32::from(self.0))
    }
}

fn hex(c: char) -> Hex {
    Hex(c)
}

impl Detail {
    /// The suggestions of an unknown `__os_version`.
    fn near(&self) -> Near {
        match self {
            Detail::UnknownOs {
                value,
                catalog,
                near,
                ..
            } => *near.get_or_init(|| {
                let mut n = Near::default();
                for (slot, r) in n.rows.iter_mut().zip(catalog.suggest_rows(value, 3)) {
                    *slot = u32::try_from(r).unwrap_or(u32::MAX);
                    n.len += 1;
                }
                n
            }),
            _ => Near::default(),
        }
    }

    /// The message of this detail at `pointer`, in `locale`.
    pub(crate) fn render(&self, pointer: &str, locale: Locale) -> String {
        // Room for nearly every message at once.
        let mut m = String::with_capacity(128);
        self.render_into(pointer, locale, &mut m);
        m
    }

    /// The message in `locale`, appended to `m`.
    pub(crate) fn render_into(&self, pointer: &str, locale: Locale, m: &mut String) {
        match locale {
            Locale::ZhCn => m.push_str(&self.render_zh(pointer)),
            _ => self.render_en(pointer, m),
        }
    }
}

mod en;
mod params;
mod patch;
mod zh;

pub(crate) use params::Params;
pub(crate) use patch::{PatchFault, PATCH_MEDIA_TYPES};

#[cfg(test)]
mod tests {
    use super::Hint;

    /// A hint keeps any `i128` whole, in a violation no larger than 8-byte aligned.
    #[test]
    fn int_hints_round_trip() {
        for v in [0, 1, -1, 50, i128::from(i64::MIN) - 1, i128::MAX, i128::MIN] {
            assert_eq!(Hint::int(v).text(), Some(v.to_string()));
        }
        assert_eq!(std::mem::align_of::<Hint>(), 8);
    }
}
