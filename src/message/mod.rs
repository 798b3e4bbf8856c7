//! What a violation says: the compact data it is rendered from ([`Detail`]), its message
//! in each [`Locale`], and its machine-readable parameters.
//!
//! A client can build its own message, in its own language, from `code` and `params`
//! alone; the parameters of each code are listed in `docs/contract.md` and fixed by
//! `report_schema()`.

use std::borrow::Cow;
use std::fmt;

use crate::catalog::Catalog;
use crate::chars::excerpt;
use crate::keys::{Field, FieldKind};
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

/// How a message names its subject: as a value, a key, or a tag.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Naming {
    /// "Attribute 'KEY'": a top-level value.
    Value,
    /// "Property key 'KEY'": a custom property's key.
    Key,
    /// "Tag N": an element of `tags`.
    Tag,
}

/// Which thing a violation is about, as the rule that raised it knew it (the message
/// names it from here, never from the pointer's text).
#[derive(Debug, Clone, Default)]
pub(crate) enum Subject {
    /// The body itself, or nothing a message names.
    #[default]
    None,
    /// A documented field (or extension).
    Field(Field),
    /// Any other key, unescaped: an excerpt of at most [`EXCERPT`] chars.
    Key(Short),
    /// Element N of `tags`.
    Tag(u32),
    /// The one tag of a tag call (SPEC §8.3): no index to name.
    OneTag,
    /// Operation N of a patch, and the part of it at fault.
    Op(u32, Part),
}

/// The part of a patch operation a violation is at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// The operation itself.
    Whole,
    /// Its `op` member.
    Op,
    /// Its `path` member.
    Path,
    /// In v2.0, the op member that holds the path: `add`, …
    Add,
    /// … `remove`, …
    Remove,
    /// … or `replace`.
    Replace,
    /// Its `value` member.
    Value,
}

impl Part {
    /// The member's name: `op`, `path` (or v2.0's `add`, …), `value`; `""` for the
    /// operation itself.
    pub(crate) fn member(self) -> &'static str {
        match self {
            Part::Whole => "",
            Part::Op => "op",
            Part::Path => "path",
            Part::Add => "add",
            Part::Remove => "remove",
            Part::Replace => "replace",
            Part::Value => "value",
        }
    }
}

/// `s` as an excerpt of at most [`EXCERPT`] chars (and an ellipsis): what
/// [`excerpt`] makes, in one allocation at most (none when it fits inline).
pub(crate) fn excerpt_short(s: &str) -> Short {
    // No more chars than bytes: a short string needs no count.
    let cut = match s.len() <= EXCERPT {
        true => None,
        false => s.char_indices().nth(EXCERPT).map(|(cut, _)| cut),
    };
    match cut.and_then(|cut| s.get(..cut)) {
        None => Short::from(s),
        Some(head) => {
            let mut t = String::with_capacity(head.len() + '…'.len_utf8());
            t.push_str(head);
            t.push('…');
            Short::from(t)
        }
    }
}

/// The key a message names, for `core::fmt` (the update's messages): [`name`]'s text.
struct Name<'a>(&'a Subject);

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut s = String::new();
        name(self.0, &mut s);
        f.write_str(&s)
    }
}

/// The key a message names: a field's, or a custom key's excerpt, into a sink.
fn name(s: &Subject, m: &mut impl Sink) {
    match s {
        Subject::None => {}
        Subject::Field(field) => m.lit(field.key()),
        Subject::Key(k) => m.short(k),
        Subject::Tag(_) | Subject::OneTag => m.lit("tags"),
        Subject::Op(i, _) => m.uint(u64::from(*i)),
    }
}

/// What `not_allowed` allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Allowed {
    /// What the field table says of the field: its one fixed value (`Const`) or its
    /// closed set (`Choice`).
    Field(Field),
    /// A bit per `DiskFormat::ALL` index.
    DiskFormats(u16),
}

impl Allowed {
    /// The one fixed value, and whether it is fixed only on create.
    fn constant(self) -> Option<(&'static str, bool)> {
        match self {
            Allowed::Field(f) => match f.kind() {
                FieldKind::Const { value, on_create } => Some((value, on_create)),
                _ => None,
            },
            Allowed::DiskFormats(_) => None,
        }
    }

    /// The allowed values, in order (no allocation).
    fn iter(self) -> impl Iterator<Item = &'static str> + Clone {
        let (formats, list): (u16, &'static [&'static str]) = match self {
            Allowed::DiskFormats(mask) => (mask, &[]),
            Allowed::Field(f) => match f.kind() {
                FieldKind::Choice { values } => (0, values),
                _ => (0, &[]),
            },
        };
        let single = self.constant().map(|(value, _)| value);
        let disk = DiskFormat::ALL
            .iter()
            .enumerate()
            .filter(move |(i, _)| formats & (1 << i) != 0)
            .map(|(_, f)| f.as_str());
        single.into_iter().chain(disk).chain(list.iter().copied())
    }

    /// The values joined: `'a', 'b'` (quoted) or `a、b`.
    fn joined(self, quoted: bool, m: &mut impl Sink) {
        for (i, v) in self.iter().enumerate() {
            match (i, quoted) {
                (0, _) => {}
                (_, true) => m.lit(", "),
                (_, false) => m.lit("、"),
            }
            if quoted {
                m.lit("'");
                m.lit(v);
                m.lit("'");
            } else {
                m.lit(v);
            }
        }
    }
}

/// What a quota counts (`too_many`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quota {
    Tags,
    Properties,
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

/// The data of [`Detail::UnknownOs`] (its own type, so that its fields pack around the
/// detail's tag).
#[derive(Debug, Clone)]
pub(crate) struct UnknownOs {
    /// The whole value (suggestions are looked up on it, not on an excerpt).
    pub(crate) value: Box<str>,
    /// Whether the message may quote the value.
    pub(crate) quoted: bool,
    pub(crate) catalog: Catalog,
}

/// Up to 3 suggested catalog rows: looked up when a report is rendered (not when the
/// violation is made), once for the message and the params of a violation.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Near {
    rows: [u32; 3],
    len: u8,
}

/// The suggestions, written `'a' or 'b'` (English) or `'a'或'b'`.
fn near_list(catalog: &Catalog, near: Near, sep: &'static str, m: &mut impl Sink) {
    for (i, v) in near_values(catalog, near).enumerate() {
        if i > 0 {
            m.lit(sep);
        }
        m.lit("'");
        m.text(v);
        m.lit("'");
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
    /// The hint of an integer spelled as a string: its low and high 64 bits.
    pub(crate) fn int(v: i128) -> Hint {
        Hint::Int([v as u64, (v >> 64) as u64])
    }

    /// Whether there is a hint.
    fn is_some(self) -> bool {
        self != Hint::None
    }

    /// `50`, `true`: what to send instead (nothing for no hint).
    fn write(self, m: &mut impl Sink) {
        match self {
            Hint::None => {}
            Hint::Int([lo, hi]) => m.wide(i128::from(hi) << 64 | i128::from(lo)),
            Hint::Bool(b) => m.lit(if b { "true" } else { "false" }),
        }
    }

    /// The hint as text, when there is one.
    #[cfg(test)]
    fn text(self) -> Option<String> {
        let mut s = String::new();
        self.write(&mut s);
        self.is_some().then_some(s)
    }
}

/// How long a quoted input may be in a message before it is cut.
pub(crate) const EXCERPT: usize = 64;

/// What a message names: "Attribute 'KEY'", "Property key 'KEY'", "Tag N".
fn subject(naming: Naming, s: &Subject, locale: Locale, m: &mut impl Sink) {
    let zh = locale == Locale::ZhCn;
    match (naming, s) {
        (Naming::Value | Naming::Key, _) => {
            m.lit(match (naming, zh) {
                (Naming::Value, true) => "属性'",
                (Naming::Value, false) => "Attribute '",
                (_, true) => "自定义属性键'",
                (_, false) => "Property key '",
            });
            name(s, m);
            m.lit("'");
        }
        (Naming::Tag, Subject::Tag(n)) => {
            m.lit(if zh { "标签" } else { "Tag " });
            m.uint(u64::from(*n));
        }
        (Naming::Tag, _) => m.lit(if zh { "标签" } else { "The tag" }),
    }
}

/// "Tag N" for a tag, else "Attribute 'KEY'".
fn subject_of(s: &Subject, locale: Locale, m: &mut impl Sink) {
    let naming = match s {
        Subject::Tag(_) | Subject::OneTag => Naming::Tag,
        _ => Naming::Value,
    };
    subject(naming, s, locale, m)
}

/// Chars a field may not hold, named: `a carriage return, '<' or '>'` (English),
/// `回车符、'<'或'>'`.
fn char_list(chars: &[char], locale: Locale, m: &mut impl Sink) {
    let zh = locale == Locale::ZhCn;
    for (i, &c) in chars.iter().enumerate() {
        match (i, i + 1 == chars.len(), zh) {
            (0, _, _) => {}
            (_, true, false) => m.lit(" or "),
            (_, false, false) => m.lit(", "),
            (_, true, true) => m.lit("或"),
            (_, false, true) => m.lit("、"),
        }
        match (c, zh) {
            ('\r', false) => m.lit("a carriage return"),
            ('\r', true) => m.lit("回车符"),
            (c, _) => {
                m.lit("'");
                m.ch(c);
                m.lit("'");
            }
        }
    }
}

/// `U+1F600`: the code point in upper-case hex, 4 digits at least.
fn hex(c: char, m: &mut impl Sink) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let n = u32::from(c);
    let mut buf = *b"U+000000";
    let width = match n {
        0..=0xFFFF => 4,
        0x1_0000..=0xF_FFFF => 5,
        _ => 6,
    };
    for (k, slot) in buf.iter_mut().skip(2).take(width).enumerate() {
        let shift = 4 * (width - 1 - k);
        *slot = HEX
            .get((n >> shift) as usize & 0xF)
            .copied()
            .unwrap_or(b'0');
    }
    let text = buf.get(..2 + width).unwrap_or_default();
    m.text(std::str::from_utf8(text).unwrap_or_default());
}

impl Detail {
    /// The value whose suggestions the message and the params show: an unknown
    /// `__os_version`'s (and its catalog), else `None`.
    pub(crate) fn os_value(&self) -> Option<(&str, &Catalog)> {
        match self {
            Detail::UnknownOs(u) => Some((&u.value, &u.catalog)),
            _ => None,
        }
    }

    /// The suggestions of an unknown `__os_version`, looked up in the catalog (none
    /// for any other detail): a renderer asks once and gives them to both
    /// [`render_into`](Detail::render_into) and the params.
    pub(crate) fn near(&self) -> Near {
        match self.os_value() {
            Some((value, catalog)) => {
                let mut n = Near::default();
                for (slot, r) in n.rows.iter_mut().zip(catalog.suggest_rows(value, 3)) {
                    *slot = u32::try_from(r).unwrap_or(u32::MAX);
                    n.len += 1;
                }
                n
            }
            None => Near::default(),
        }
    }

    /// The message of this detail about `subject`, in `locale`.
    pub(crate) fn render(&self, subject: &Subject, locale: Locale) -> String {
        // Room for nearly every message at once.
        let mut m = String::with_capacity(128);
        self.render_into(subject, locale, self.near(), &mut m);
        m
    }

    /// The message in `locale`, appended to `m`; `near` is [`Detail::near`]'s.
    pub(crate) fn render_into(
        &self,
        subject: &Subject,
        locale: Locale,
        near: Near,
        m: &mut impl Sink,
    ) {
        match locale {
            Locale::ZhCn => self.render_zh(subject, near, m),
            _ => self.render_en(subject, near, m),
        }
    }
}

/// A `params` key as [`params::ParamOut`] takes it: the key, and the bytes that open
/// the object with it and that follow another member: `{"key":` and `,"key":`.
macro_rules! k {
    ($k:literal) => {
        ($k, concat!("{\"", $k, "\":"), concat!(",\"", $k, "\":"))
    };
}

/// A key, as `k!` makes it.
pub(crate) type Key = (&'static str, &'static str, &'static str);

mod details;
mod params;
mod patch;
mod sink;

pub(crate) use details::Detail;
pub(crate) use params::Params;
pub(crate) use patch::{PatchFault, PATCH_MEDIA_TYPES};
pub(crate) use sink::{Escaped, Sink};

#[cfg(test)]
mod tests {
    use super::{excerpt, excerpt_short, Hint, EXCERPT};

    /// A subject's excerpt is what `chars::excerpt` makes of the key.
    #[test]
    fn excerpts_agree() {
        let long = "k".repeat(300);
        let cjk = "镜像".repeat(40);
        let edge = format!("{}…", "a".repeat(EXCERPT));
        for s in [
            "",
            "a",
            "status",
            &long,
            &cjk,
            &edge,
            &edge[..EXCERPT],
            &"~".repeat(65),
        ] {
            assert_eq!(excerpt_short(s).as_str(), excerpt(s, EXCERPT), "{s}");
        }
    }

    /// A hint keeps any `i128` whole, in a violation no larger than 8-byte aligned.
    #[test]
    fn int_hints_round_trip() {
        for v in [0, 1, -1, 50, i128::from(i64::MIN) - 1, i128::MAX, i128::MIN] {
            assert_eq!(Hint::int(v).text(), Some(v.to_string()));
        }
        assert_eq!(std::mem::align_of::<Hint>(), 8);
    }
}
