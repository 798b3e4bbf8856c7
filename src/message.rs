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

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::catalog::Catalog;
use crate::short::Short;
use crate::text::excerpt;
use crate::values::{DiskFormat, FirmwareType};

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

/// The error of parsing a [`Locale`]: not `en` or `zh-CN`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown locale '{0}'; expected one of: en, zh-CN")]
pub struct ParseLocaleError(String);

impl std::str::FromStr for Locale {
    type Err = ParseLocaleError;

    /// `en` (or `en-US`, `en-GB`) and `zh-CN` (or `zh`, `zh-Hans`), any case.
    fn from_str(s: &str) -> Result<Locale, ParseLocaleError> {
        match s.to_ascii_lowercase().as_str() {
            "en" | "en-us" | "en-gb" => Ok(Locale::En),
            "zh-cn" | "zh" | "zh-hans" | "zh-hans-cn" => Ok(Locale::ZhCn),
            _ => Err(ParseLocaleError(s.to_owned())),
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
    Private,
    Bare,
    Firmware,
    /// A bit per `DiskFormat::ALL` index.
    DiskFormats(u16),
}

impl Allowed {
    /// The allowed values, in order (no allocation).
    fn iter(self) -> impl Iterator<Item = &'static str> + Clone {
        let (formats, firmware): (u16, bool) = match self {
            Allowed::DiskFormats(mask) => (mask, false),
            Allowed::Firmware => (0, true),
            _ => (0, false),
        };
        let single = match self {
            Allowed::Private => Some("private"),
            Allowed::Bare => Some("bare"),
            _ => None,
        };
        let disk = DiskFormat::ALL
            .iter()
            .enumerate()
            .filter(move |(i, _)| formats & (1 << i) != 0)
            .map(|(_, f)| f.as_str());
        let fw = FirmwareType::ALL
            .iter()
            .filter(move |_| firmware)
            .map(|f| f.as_str());
        single.into_iter().chain(disk).chain(fw)
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

/// A JSON type as a message names it ("an integer"), in one byte.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Kind(u8);

impl Kind {
    const NAMES: [&'static str; 10] = [
        "null",
        "a boolean",
        "an integer",
        "a number",
        "a number with a fraction or an exponent",
        "a string",
        "an array",
        "an array of strings",
        "an object",
        "another type",
    ];

    /// The kind named `name` (one of the names `Shape::kind` and the rules use).
    pub(crate) fn new(name: &str) -> Kind {
        let i = Kind::NAMES.iter().position(|n| *n == name).unwrap_or(9);
        Kind(u8::try_from(i).unwrap_or(9))
    }

    fn as_str(self) -> &'static str {
        Kind::NAMES
            .get(usize::from(self.0))
            .copied()
            .unwrap_or("another type")
    }
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
    NotObject(&'static str),
    Duplicate,
    WrongType {
        expected: Kind,
        found: Kind,
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
    DescriptionChars,
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
    Forbidden(&'static str),
    /// A custom key one typo away from a field or extension key.
    NearMiss {
        meant: &'static str,
    },
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
    Int(i128),
    Bool(bool),
}

impl Hint {
    /// `50`, `true`: what to send instead.
    fn text(self) -> Option<String> {
        match self {
            Hint::None => None,
            Hint::Int(v) => Some(v.to_string()),
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

/// The pointer's tokens, unescaped.
fn tokens(pointer: &str) -> impl Iterator<Item = Cow<'_, str>> + '_ {
    pointer.split('/').skip(1).map(unescape)
}

fn last_token(pointer: &str) -> Cow<'_, str> {
    match pointer.rsplit_once('/') {
        Some((_, t)) => unescape(t),
        None => Cow::Borrowed(""),
    }
}

fn first_token(pointer: &str) -> Cow<'_, str> {
    tokens(pointer).next().unwrap_or_default()
}

/// The key a message names: the pointer's first token, unescaped, as an excerpt of
/// [`EXCERPT`] chars (written straight out: no allocation).
struct Key<'p>(&'p str);

impl fmt::Display for Key<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let token = self.0.split('/').nth(1).unwrap_or_default();
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
    let mut t = pointer.split('/').skip(1);
    match (t.next(), t.next(), t.next()) {
        (Some("tags"), Some(_), None) => subject(Subject::Tag, pointer, locale),
        _ => subject(Subject::Value, pointer, locale),
    }
}

/// A JSON type as a Chinese message names it.
fn zh_kind(kind: &str) -> &'static str {
    match kind {
        "null" => "null",
        "a boolean" => "布尔值",
        "an integer" => "整数",
        "a number" => "数字",
        "a number with a fraction or an exponent" => "带小数或指数的数字",
        "a string" => "字符串",
        "an array" => "数组",
        "an array of strings" => "字符串数组",
        "an object" => "对象",
        _ => "其他类型",
    }
}

/// A JSON type as `params` names it: `string`, `integer`, `number`, …
fn type_name(kind: &str) -> &'static str {
    match kind {
        "null" => "null",
        "a boolean" => "boolean",
        "an integer" => "integer",
        "a number" | "a number with a fraction or an exponent" => "number",
        "a string" => "string",
        "an array" | "an array of strings" => "array",
        "an object" => "object",
        _ => "unknown",
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
        match locale {
            Locale::ZhCn => self.render_zh(pointer),
            _ => self.render_en(pointer),
        }
    }

    fn render_en(&self, pointer: &str) -> String {
        let l = Locale::En;
        match self {
            Detail::Text(t, _) => t.to_string(),
            Detail::Empty => "Body expected in request.".to_owned(),
            Detail::Malformed {
                reason,
                line,
                column,
                ..
            } => format!("Malformed JSON in request body: {reason} at line {line} column {column}."),
            Detail::InvalidUtf8 { line, column } => format!(
                "Malformed JSON in request body: invalid UTF-8 at line {line} column {column}."
            ),
            Detail::TooLarge { len, max } => {
                format!("Request is too large: {len} bytes, at most {max} allowed.")
            }
            Detail::NotObject(kind) => format!("Request body must be a JSON object, found {kind}."),
            Detail::Duplicate => format!(
                "Duplicate key '{}' in a JSON object.",
                excerpt(&last_token(pointer), EXCERPT)
            ),
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                let (expected, found) = (expected.as_str(), found.as_str());
                let mut m = format!("{} must be {expected}, found {found}.", subject_of(pointer, l));
                if let Some(h) = hint.text() {
                    let _ = write!(m, " Send {h}, not \"{h}\".");
                }
                m
            }
            Detail::Nul(s) => format!(
                "{} contains U+0000, which is not supported.",
                subject(*s, pointer, l)
            ),
            Detail::FourByte(s, c) => format!(
                "{} contains a 4-byte UTF-8 character ({}), which is not supported.",
                subject(*s, pointer, l),
                hex(*c)
            ),
            Detail::TooShort(Subject::Key) => {
                "Property key must have at least 1 character.".to_owned()
            }
            Detail::TooShort(s) => {
                format!("{} must have at least 1 character.", subject(*s, pointer, l))
            }
            Detail::TooLong { subject: s, len, max } => format!(
                "{} is too long: {len} characters, at most {max} allowed.",
                subject(*s, pointer, l)
            ),
            Detail::ValueTooLong { len, max } => format!(
                "Property '{}' is too long: {len} bytes, at most {max} allowed.",
                key(pointer)
            ),
            Detail::OutOfRange { got, lo, hi } => {
                let got = match got {
                    Got::Value(v) => v.to_string(),
                    Got::Negative(Some(v)) => v.to_string(),
                    Got::Negative(None) => "a negative number beyond 64 bits".to_owned(),
                    Got::Huge => "a number beyond 64 bits".to_owned(),
                };
                format!(
                    "Attribute '{}' must be an integer from {lo} to {hi}, got {got}.",
                    key(pointer)
                )
            }
            Detail::NotAllowed { allowed, got } => {
                let got = got
                    .as_ref()
                    .map(|g| format!(", got '{g}'"))
                    .unwrap_or_default();
                if *allowed == Allowed::Private {
                    return format!("Attribute 'visibility' must be 'private' on create{got}.");
                }
                format!(
                    "Attribute '{}' must be {}{}{got}.",
                    key(pointer),
                    if allowed.iter().count() == 1 { "" } else { "one of " },
                    allowed.joined(true)
                )
            }
            Detail::BadUuid(got) => format!(
                "Attribute 'id' must be a UUID (8-4-4-4-12 hex digits){}.",
                got.as_ref().map(|g| format!(", got '{g}'")).unwrap_or_default()
            ),
            Detail::NameSpaces => "Attribute 'name' may not start or end with a space.".to_owned(),
            Detail::NameChar(c, cjk) => format!(
                "Attribute 'name' may not contain {c:?} ({}): only letters, digits, '-', '.', '_'{} are allowed.",
                hex(*c),
                if *cjk { ", spaces and CJK ideographs" } else { " and spaces" }
            ),
            Detail::DescriptionChars => {
                "Attribute '__description' may not contain a carriage return, '<' or '>'.".to_owned()
            }
            Detail::UnknownOs {
                value,
                quoted,
                catalog,
                ..
            } => {
                let near = self.near();
                let mut m = String::with_capacity(160);
                let _ = if *quoted {
                    write!(m, "Unknown __os_version '{}'.", excerpt(value, EXCERPT))
                } else {
                    write!(m, "Unknown __os_version.")
                };
                let _ = if near.len == 0 {
                    write!(m, " It must be one of the catalog's values (exact, case-sensitive).")
                } else {
                    write!(m, " Did you mean {}?", NearList(catalog, near, " or "))
                };
                m
            }
            Detail::TooManyTags { n, max } => format!(
                "The limit has been exceeded on the number of allowed image tags. Attempted: {n}, Maximum: {max}"
            ),
            Detail::TooManyProperties { n, max } => format!(
                "The limit has been exceeded on the number of allowed image properties. Attempted: {n}, Maximum: {max}"
            ),
            Detail::Forbidden(what) => format!("Attribute '{}' is {what}.", key(pointer)),
            Detail::NearMiss { meant } => format!(
                "Property key '{}' looks like a misspelling of '{meant}', which it does not set.",
                key(pointer)
            ),
        }
    }

    fn render_zh(&self, pointer: &str) -> String {
        let l = Locale::ZhCn;
        match self {
            Detail::Text(t, _) => t.to_string(),
            Detail::Empty => "请求体为空。".to_owned(),
            Detail::Malformed {
                kind, line, column, ..
            } => {
                let what = match kind {
                    Syntax::Bad => "语法错误",
                    Syntax::Eof => "内容不完整",
                    Syntax::Data => "数值超出范围",
                };
                format!("请求体不是合法的JSON：第{line}行第{column}列{what}。")
            }
            Detail::InvalidUtf8 { line, column } => {
                format!("请求体不是合法的UTF-8编码：第{line}行第{column}列。")
            }
            Detail::TooLarge { len, max } => {
                format!("请求体过大：{len}字节，最多允许{max}字节。")
            }
            Detail::NotObject(kind) => {
                format!("请求体必须是JSON对象，实际为{}。", zh_kind(kind))
            }
            Detail::Duplicate => format!(
                "JSON对象中的键'{}'重复。",
                excerpt(&last_token(pointer), EXCERPT)
            ),
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                let mut m = format!(
                    "{}必须是{}，实际为{}。",
                    subject_of(pointer, l),
                    zh_kind(expected.as_str()),
                    zh_kind(found.as_str())
                );
                if let Some(h) = hint.text() {
                    let _ = write!(m, "请发送{h}，而不是\"{h}\"。");
                }
                m
            }
            Detail::Nul(s) => format!("{}包含不支持的字符U+0000。", subject(*s, pointer, l)),
            Detail::FourByte(s, c) => format!(
                "{}包含不支持的4字节UTF-8字符（{}）。",
                subject(*s, pointer, l),
                hex(*c)
            ),
            Detail::TooShort(Subject::Key) => "自定义属性键的长度至少为1位。".to_owned(),
            Detail::TooShort(s) => format!("{}的长度至少为1位。", subject(*s, pointer, l)),
            Detail::TooLong {
                subject: s,
                len,
                max,
            } => {
                let who = subject(*s, pointer, l);
                // The page's wording: names and tags "长度为1～255位", keys "不超过255".
                match s {
                    Subject::Key => format!("{who}的长度不超过{max}位，实际为{len}位。"),
                    _ if first_token(pointer) == "__description" => {
                        format!("{who}的长度最多为{max}位，实际为{len}位。")
                    }
                    _ => format!("{who}的长度为1～{max}位，实际为{len}位。"),
                }
            }
            Detail::ValueTooLong { len, max } => format!(
                "自定义属性'{}'的值过长：{len}字节，最多允许{max}字节。",
                key(pointer)
            ),
            Detail::OutOfRange { got, lo, hi } => {
                let got = match got {
                    Got::Value(v) => v.to_string(),
                    Got::Negative(Some(v)) => v.to_string(),
                    Got::Negative(None) => "超出64位的负数".to_owned(),
                    Got::Huge => "超出64位的数".to_owned(),
                };
                format!("属性'{}'的取值为{lo}～{hi}，实际为{got}。", key(pointer))
            }
            Detail::NotAllowed { allowed, got } => {
                let got = got
                    .as_ref()
                    .map(|g| format!("，实际为'{g}'"))
                    .unwrap_or_default();
                if *allowed == Allowed::Private {
                    return format!("创建镜像元数据时，visibility取值只能为private{got}。");
                }
                format!(
                    "属性'{}'的取值只能为{}{got}。",
                    key(pointer),
                    allowed.joined(false)
                )
            }
            Detail::BadUuid(got) => format!(
                "属性'id'必须是UUID（8-4-4-4-12位十六进制数字）{}。",
                got.as_ref()
                    .map(|g| format!("，实际为'{g}'"))
                    .unwrap_or_default()
            ),
            Detail::NameSpaces => "属性'name'不能以空格开头或结尾。".to_owned(),
            Detail::NameChar(c, cjk) => format!(
                "属性'name'不能包含{c:?}（{}）：只允许英文字母、数字、'-'、'.'、'_'{}。",
                hex(*c),
                if *cjk {
                    "、空格和中文汉字"
                } else {
                    "和空格"
                }
            ),
            Detail::DescriptionChars => "属性'__description'不能包含回车符、'<'或'>'。".to_owned(),
            Detail::UnknownOs {
                value,
                quoted,
                catalog,
                ..
            } => {
                let near = self.near();
                let mut m = String::with_capacity(200);
                let _ = if *quoted {
                    write!(m, "未知的__os_version'{}'。", excerpt(value, EXCERPT))
                } else {
                    write!(m, "未知的__os_version。")
                };
                let _ = if near.len == 0 {
                    write!(m, "取值必须是相关参数取值列表中的值（区分大小写）。")
                } else {
                    write!(m, "您是否要使用{}？", NearList(catalog, near, "或"))
                };
                m
            }
            Detail::TooManyTags { n, max } => {
                format!("镜像标签数量超过限制：尝试{n}个，最多{max}个。")
            }
            Detail::TooManyProperties { n, max } => {
                format!("镜像属性数量超过限制：尝试{n}个，最多{max}个。")
            }
            Detail::Forbidden("read-only") => {
                format!("属性'{}'为只读属性，由服务设置。", key(pointer))
            }
            Detail::Forbidden(_) => format!("属性'{}'为保留属性。", key(pointer)),
            Detail::NearMiss { meant } => format!(
                "自定义属性键'{}'疑似'{meant}'的拼写错误，并不会设置'{meant}'。",
                key(pointer)
            ),
        }
    }
}

/// A list of strings serialized from an iterator (no allocation).
struct Seq<I>(I);

impl<'a, I: Iterator<Item = &'a str> + Clone> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// The `params` of a violation, serialized straight from its detail (no allocation).
pub(crate) struct Params<'a> {
    pub(crate) detail: &'a Detail,
    pub(crate) pointer: &'a str,
}

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let unit_chars = "chars";
        match self.detail {
            Detail::Text(_, Some(params)) => {
                for (k, v) in params.iter() {
                    m.serialize_entry(k, v)?;
                }
            }
            Detail::Text(_, None) | Detail::Empty | Detail::Nul(_) => {}
            Detail::DescriptionChars => m.serialize_entry("format", "description_chars")?,
            Detail::Malformed { line, column, .. } | Detail::InvalidUtf8 { line, column } => {
                m.serialize_entry("line", line)?;
                m.serialize_entry("column", column)?;
            }
            Detail::TooLarge { len, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", "bytes")?;
            }
            Detail::NotObject(kind) => {
                m.serialize_entry("expected", "object")?;
                m.serialize_entry("actual", type_name(kind))?;
            }
            Detail::Duplicate => {
                m.serialize_entry("key", &excerpt(&last_token(self.pointer), EXCERPT))?;
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                m.serialize_entry("expected", type_name(expected.as_str()))?;
                m.serialize_entry("actual", type_name(found.as_str()))?;
                if let Some(h) = hint.text() {
                    m.serialize_entry("hint", &format!("send {h}, not \"{h}\""))?;
                }
            }
            Detail::FourByte(_, c) => m.serialize_entry("char", &format_args!("{}", hex(*c)))?,
            Detail::TooShort(_) => {
                m.serialize_entry("limit", &1)?;
                m.serialize_entry("actual", &0)?;
                m.serialize_entry("unit", unit_chars)?;
            }
            Detail::TooLong { len, max, .. } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", unit_chars)?;
            }
            Detail::ValueTooLong { len, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", "bytes")?;
            }
            Detail::OutOfRange { got, lo, hi } => {
                m.serialize_entry("min", lo)?;
                m.serialize_entry("max", hi)?;
                match got {
                    Got::Value(v) => m.serialize_entry("actual", v)?,
                    Got::Negative(Some(v)) => m.serialize_entry("actual", v)?,
                    Got::Negative(None) | Got::Huge => m.serialize_entry("actual", &())?,
                }
            }
            Detail::NotAllowed { allowed, .. } => {
                m.serialize_entry("allowed", &Seq(allowed.iter()))?;
            }
            Detail::BadUuid(_) => m.serialize_entry("format", "uuid")?,
            Detail::NameSpaces => m.serialize_entry("format", "no_edge_spaces")?,
            Detail::NameChar(c, _) => {
                m.serialize_entry("format", "name_charset")?;
                m.serialize_entry("char", &format_args!("{}", hex(*c)))?;
            }
            Detail::UnknownOs { catalog, .. } => {
                let near = self.detail.near();
                m.serialize_entry("suggestions", &Seq(near_values(catalog, near)))?;
            }
            Detail::TooManyTags { n, max } | Detail::TooManyProperties { n, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", n)?;
            }
            Detail::Forbidden(_) => {
                m.serialize_entry("key", &format_args!("{}", key(self.pointer)))?
            }
            Detail::NearMiss { meant } => {
                m.serialize_entry("key", &format_args!("{}", key(self.pointer)))?;
                m.serialize_entry("meant", meant)?;
            }
        }
        m.end()
    }
}
