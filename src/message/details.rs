//! The detail table: one row per kind of data a violation carries, with everything
//! said of it: the variant (its data), its English message (Glance's wording where
//! Glance has one), its Chinese message (the IMS page's wording where it has one) and
//! its `params`. The enum [`Detail`], [`Detail::render_en`], [`Detail::render_zh`] and
//! [`Detail::params`] are generated from the rows. A code's status and the schema of
//! its params are its row of the fault table (`code.rs`).
//!
//! A message is a template written piece by piece into a [`Sink`] (the report's bytes
//! or a `String`: no `core::fmt` on create's refusal road); `params` into a
//! [`ParamOut`] (the report's bytes or a serde map).

use super::params::{ParamOut, Text};
use super::*;

/// The rows: `[VARIANT DECLARATION] match [PATTERN] { en => …, zh => …, params => … }`,
/// each body an expression over the pattern's bindings and `names`' identifiers (the
/// subject, the suggestions, the message's sink, the params' writer).
macro_rules! details {
    (
        names($who:ident, $near:ident, $m:ident, $p:ident);
        $(
            $(#[doc = $doc:literal])*
            [$($decl:tt)+]
            match [$($pat:tt)+] {
                en => $en:expr,
                zh => $zh:expr,
                params => $params:expr $(,)?
            }
        )+
    ) => {
        /// The data a message is rendered from. The [`Short`] inputs are already
        /// excerpts (at most [`EXCERPT`] chars), made by the scan, except
        /// `UnknownOs`'s whole value; an input left out by the `quote_input` knob is
        /// `None`.
        #[derive(Debug, Clone)]
        pub(crate) enum Detail {
            $($(#[doc = $doc])* $($decl)+,)+
        }

        impl Detail {
            /// The message in English, appended to `m` (one buffer for a whole report:
            /// no allocation per message, nor per part of one). `near` is
            /// [`Detail::near`]'s.
            #[allow(unused_variables)]
            pub(super) fn render_en(&self, $who: &Subject, $near: Near, $m: &mut impl Sink) {
                match self {
                    $(Detail::$($pat)+ => $en,)+
                }
            }

            /// The message in Chinese, appended to `m`.
            #[allow(unused_variables)]
            pub(super) fn render_zh(&self, $who: &Subject, $near: Near, $m: &mut impl Sink) {
                match self {
                    $(Detail::$($pat)+ => $zh,)+
                }
            }

            /// The `params`, into `p`.
            #[allow(unused_variables)]
            pub(super) fn params(&self, $who: &Subject, $near: Near, $p: &mut impl ParamOut) {
                match self {
                    $(Detail::$($pat)+ => $params,)+
                }
            }
        }
    };
}

details! {
    names(who, near, m, p);

    /// A message read back from JSON (no data to render it again from), with the
    /// params it was read with.
    [Text(Cow<'static, str>, Option<Box<serde_json::Map<String, serde_json::Value>>>)]
    match [Text(t, read)] {
        en => m.text(t),
        zh => m.text(t),
        params => {
            if let Some(read) = read {
                p.read_back(read);
            }
        },
    }

    [Empty]
    match [Empty] {
        en => m.lit("Body expected in request."),
        zh => m.lit("请求体为空。"),
        params => {},
    }

    [Malformed {
        kind: Syntax,
        /// serde_json's own words (English).
        reason: Box<str>,
        line: usize,
        column: usize,
    }]
    match [Malformed { kind, reason, line, column }] {
        en => {
            m.lit("Malformed JSON in request body: ");
            m.text(reason);
            at_line(*line, *column, Locale::En, m);
        },
        zh => {
            m.lit("请求体不是合法的JSON：");
            at_line(*line, *column, Locale::ZhCn, m);
            m.lit(match kind {
                Syntax::Bad => "语法错误",
                Syntax::Eof => "内容不完整",
                Syntax::Data => "数值超出范围",
            });
            m.lit("。");
        },
        params => {
            p.uint(k!("line"), *line as u64);
            p.uint(k!("column"), *column as u64);
        },
    }

    [InvalidUtf8 { line: usize, column: usize }]
    match [InvalidUtf8 { line, column }] {
        en => {
            m.lit("Malformed JSON in request body: invalid UTF-8");
            at_line(*line, *column, Locale::En, m);
        },
        zh => {
            m.lit("请求体不是合法的UTF-8编码：");
            at_line(*line, *column, Locale::ZhCn, m);
            m.lit("。");
        },
        params => {
            p.uint(k!("line"), *line as u64);
            p.uint(k!("column"), *column as u64);
        },
    }

    [TooLarge { len: usize, max: usize }]
    match [TooLarge { len, max }] {
        en => {
            m.lit("Request is too large: ");
            m.uint(*len as u64);
            m.lit(" bytes, at most ");
            m.uint(*max as u64);
            m.lit(" allowed.");
        },
        zh => {
            m.lit("请求体过大：");
            m.uint(*len as u64);
            m.lit("字节，最多允许");
            m.uint(*max as u64);
            m.lit("字节。");
        },
        params => limit(p, *max, *len, "bytes"),
    }

    [NotObject(JsonType)]
    match [NotObject(kind)] {
        en => {
            m.lit("Request body must be a JSON object, found ");
            m.lit(kind.en());
            m.lit(".");
        },
        zh => {
            m.lit("请求体必须是JSON对象，实际为");
            m.lit(kind.zh());
            m.lit("。");
        },
        params => {
            p.known(k!("expected"), "object");
            p.known(k!("actual"), kind.param());
        },
    }

    [Duplicate]
    match [Duplicate] {
        en => {
            m.lit("Duplicate key '");
            name(who, m);
            m.lit("' in a JSON object.");
        },
        zh => {
            m.lit("JSON对象中的键'");
            name(who, m);
            m.lit("'重复。");
        },
        params => p.text(k!("key"), Text::Name(who)),
    }

    [WrongType {
        expected: JsonType,
        found: JsonType,
        /// The value, when it is a string that spells what was expected (`"50"`).
        hint: Hint,
    }]
    match [WrongType { expected, found, hint }] {
        en => {
            subject_of(who, Locale::En, m);
            m.lit(" must be ");
            m.lit(expected.en());
            m.lit(", found ");
            m.lit(found.en());
            m.lit(".");
            if hint.is_some() {
                m.lit(" Send ");
                hint.write(m);
                m.text(", not \"");
                hint.write(m);
                m.text("\".");
            }
        },
        zh => {
            subject_of(who, Locale::ZhCn, m);
            m.lit("必须是");
            m.lit(expected.zh());
            m.lit("，实际为");
            m.lit(found.zh());
            m.lit("。");
            if hint.is_some() {
                m.lit("请发送");
                hint.write(m);
                m.text("，而不是\"");
                hint.write(m);
                m.text("\"。");
            }
        },
        params => {
            p.known(k!("expected"), expected.param());
            p.known(k!("actual"), found.param());
            if hint.is_some() {
                p.text(k!("hint"), Text::Hint(*hint));
            }
        },
    }

    [Nul(Naming)]
    match [Nul(s)] {
        en => {
            subject(*s, who, Locale::En, m);
            m.lit(" contains U+0000, which is not supported.");
        },
        zh => {
            subject(*s, who, Locale::ZhCn, m);
            m.lit("包含不支持的字符U+0000。");
        },
        params => {},
    }

    [FourByte(Naming, char)]
    match [FourByte(s, c)] {
        en => {
            subject(*s, who, Locale::En, m);
            m.lit(" contains a 4-byte UTF-8 character (");
            hex(*c, m);
            m.lit("), which is not supported.");
        },
        zh => {
            subject(*s, who, Locale::ZhCn, m);
            m.lit("包含不支持的4字节UTF-8字符（");
            hex(*c, m);
            m.lit("）。");
        },
        params => p.text(k!("char"), Text::Hex(*c)),
    }

    [TooShort(Naming)]
    match [TooShort(s)] {
        en => match s {
            Naming::Key => m.lit("Property key must have at least 1 character."),
            _ => {
                subject(*s, who, Locale::En, m);
                m.lit(" must have at least 1 character.");
            }
        },
        zh => match s {
            Naming::Key => m.lit("自定义属性键的长度至少为1位。"),
            _ => {
                subject(*s, who, Locale::ZhCn, m);
                m.lit("的长度至少为1位。");
            }
        },
        params => limit(p, 1, 0, "chars"),
    }

    [TooLong {
        subject: Naming,
        len: usize,
        max: usize,
        /// Whether the value must have 1 char at least (the message gives the range).
        from_one: bool,
    }]
    match [TooLong { subject: s, len, max, from_one }] {
        en => {
            subject(*s, who, Locale::En, m);
            m.lit(" is too long: ");
            m.uint(*len as u64);
            m.lit(" characters, at most ");
            m.uint(*max as u64);
            m.lit(" allowed.");
        },
        zh => {
            subject(*s, who, Locale::ZhCn, m);
            // The page's wording: names and tags "长度为1～255位", keys "不超过255".
            m.lit(match s {
                Naming::Key => "的长度不超过",
                _ if !from_one => "的长度最多为",
                _ => "的长度为1～",
            });
            m.uint(*max as u64);
            m.lit("位，实际为");
            m.uint(*len as u64);
            m.lit("位。");
        },
        params => limit(p, *max, *len, "chars"),
    }

    [ValueTooLong { len: usize, max: usize }]
    match [ValueTooLong { len, max }] {
        en => {
            m.lit("Property '");
            name(who, m);
            m.lit("' is too long: ");
            m.uint(*len as u64);
            m.lit(" bytes, at most ");
            m.uint(*max as u64);
            m.lit(" allowed.");
        },
        zh => {
            m.lit("自定义属性'");
            name(who, m);
            m.lit("'的值过长：");
            m.uint(*len as u64);
            m.lit("字节，最多允许");
            m.uint(*max as u64);
            m.lit("字节。");
        },
        params => limit(p, *max, *len, "bytes"),
    }

    [OutOfRange { got: Got, lo: u32, hi: u32 }]
    match [OutOfRange { got, lo, hi }] {
        en => {
            subject(Naming::Value, who, Locale::En, m);
            m.lit(" must be an integer from ");
            m.uint(u64::from(*lo));
            m.lit(" to ");
            m.uint(u64::from(*hi));
            m.lit(", got ");
            match got {
                Got::Value(v) => m.uint(*v),
                Got::Negative(Some(v)) => m.int(*v),
                Got::Negative(None) => m.lit("a negative number beyond 64 bits"),
                Got::Huge => m.lit("a number beyond 64 bits"),
            }
            m.lit(".");
        },
        zh => {
            subject(Naming::Value, who, Locale::ZhCn, m);
            m.lit("的取值为");
            m.uint(u64::from(*lo));
            m.lit("～");
            m.uint(u64::from(*hi));
            m.lit("，实际为");
            match got {
                Got::Value(v) => m.uint(*v),
                Got::Negative(Some(v)) => m.int(*v),
                Got::Negative(None) => m.lit("超出64位的负数"),
                Got::Huge => m.lit("超出64位的数"),
            }
            m.lit("。");
        },
        params => {
            p.uint(k!("min"), u64::from(*lo));
            p.uint(k!("max"), u64::from(*hi));
            match got {
                Got::Value(v) => p.uint(k!("actual"), *v),
                Got::Negative(Some(v)) => p.int(k!("actual"), *v),
                Got::Negative(None) | Got::Huge => p.null(k!("actual")),
            }
        },
    }

    [NotAllowed { allowed: Allowed, got: Option<Short> }]
    match [NotAllowed { allowed, got }] {
        en => {
            subject(Naming::Value, who, Locale::En, m);
            if let Some((value, true)) = allowed.constant() {
                m.lit(" must be '");
                m.text(value);
                m.lit("' on create");
            } else {
                m.lit(" must be ");
                let mut values = allowed.iter();
                if values.next().is_none() || values.next().is_some() {
                    m.lit("one of ");
                }
                allowed.joined(true, m);
            }
            got_then_stop(m, got.as_ref(), Locale::En);
        },
        zh => {
            if let Some((value, true)) = allowed.constant() {
                m.lit("创建镜像元数据时，");
                name(who, m);
                m.lit("取值只能为");
                m.text(value);
            } else {
                subject(Naming::Value, who, Locale::ZhCn, m);
                m.lit("的取值只能为");
                allowed.joined(false, m);
            }
            got_then_stop(m, got.as_ref(), Locale::ZhCn);
        },
        params => p.known_list(k!("allowed"), allowed.iter()),
    }

    [BadUuid(Option<Short>)]
    match [BadUuid(got)] {
        en => {
            m.lit("Attribute 'id' must be a UUID (8-4-4-4-12 hex digits)");
            got_then_stop(m, got.as_ref(), Locale::En);
        },
        zh => {
            m.lit("属性'id'必须是UUID（8-4-4-4-12位十六进制数字）");
            got_then_stop(m, got.as_ref(), Locale::ZhCn);
        },
        params => p.known(k!("format"), "uuid"),
    }

    [NameSpaces]
    match [NameSpaces] {
        en => m.lit("Attribute 'name' may not start or end with a space."),
        zh => m.lit("属性'name'不能以空格开头或结尾。"),
        params => p.known(k!("format"), "no_edge_spaces"),
    }

    /// A character outside the name charset; whether the charset has CJK.
    [NameChar(char, bool)]
    match [NameChar(c, cjk)] {
        en => {
            m.lit("Attribute 'name' may not contain ");
            // A char's `Debug` (quoted, escaped where Rust escapes it): rare enough to
            // go through `core::fmt`.
            m.text(&format!("{c:?}"));
            m.lit(" (");
            hex(*c, m);
            m.lit("): only letters, digits, '-', '.', '_'");
            m.lit(if *cjk {
                ", spaces and CJK ideographs"
            } else {
                " and spaces"
            });
            m.lit(" are allowed.");
        },
        zh => {
            m.lit("属性'name'不能包含");
            m.text(&format!("{c:?}"));
            m.lit("（");
            hex(*c, m);
            m.lit("）：只允许英文字母、数字、'-'、'.'、'_'");
            m.lit(if *cjk { "、空格和中文汉字" } else { "和空格" });
            m.lit("。");
        },
        params => {
            p.known(k!("format"), "name_charset");
            p.text(k!("char"), Text::Hex(*c));
        },
    }

    /// A char the field may not hold (the field table's list).
    [ForbiddenChars(&'static [char])]
    match [ForbiddenChars(chars)] {
        en => {
            subject(Naming::Value, who, Locale::En, m);
            m.lit(" may not contain ");
            char_list(chars, Locale::En, m);
            m.lit(".");
        },
        zh => {
            subject(Naming::Value, who, Locale::ZhCn, m);
            m.lit("不能包含");
            char_list(chars, Locale::ZhCn, m);
            m.lit("。");
        },
        params => p.known(k!("format"), "description_chars"),
    }

    /// An `__os_version` the catalog does not have.
    [UnknownOs(UnknownOs)]
    match [UnknownOs(u)] {
        en => {
            if u.quoted {
                m.lit("Unknown __os_version '");
                m.text(&excerpt(&u.value, EXCERPT));
                m.lit("'.");
            } else {
                m.lit("Unknown __os_version.");
            }
            if near.len == 0 {
                m.lit(" It must be one of the catalog's values (exact, case-sensitive).");
            } else {
                m.lit(" Did you mean ");
                near_list(&u.catalog, near, " or ", m);
                m.lit("?");
            }
        },
        zh => {
            if u.quoted {
                m.lit("未知的__os_version'");
                m.text(&excerpt(&u.value, EXCERPT));
                m.lit("'。");
            } else {
                m.lit("未知的__os_version。");
            }
            if near.len == 0 {
                m.lit("取值必须是相关参数取值列表中的值（区分大小写）。");
            } else {
                m.lit("您是否要使用");
                near_list(&u.catalog, near, "或", m);
                m.lit("？");
            }
        },
        params => p.list(k!("suggestions"), near_values(&u.catalog, near)),
    }

    /// More tags or custom properties than the quota.
    [TooMany { what: Quota, n: usize, max: usize }]
    match [TooMany { what, n, max }] {
        en => {
            m.lit("The limit has been exceeded on the number of allowed image ");
            m.lit(match what {
                Quota::Tags => "tags",
                Quota::Properties => "properties",
            });
            m.lit(". Attempted: ");
            m.uint(*n as u64);
            m.lit(", Maximum: ");
            m.uint(*max as u64);
        },
        zh => {
            m.lit(match what {
                Quota::Tags => "镜像标签数量超过限制：尝试",
                Quota::Properties => "镜像属性数量超过限制：尝试",
            });
            m.uint(*n as u64);
            m.lit("个，最多");
            m.uint(*max as u64);
            m.lit("个。");
        },
        params => {
            p.uint(k!("limit"), *max as u64);
            p.uint(k!("actual"), *n as u64);
        },
    }

    /// A key the body may not hold: read-only (`true`) or reserved.
    [Forbidden { read_only: bool }]
    match [Forbidden { read_only }] {
        en => {
            subject(Naming::Value, who, Locale::En, m);
            m.lit(if *read_only { " is read-only." } else { " is reserved." });
        },
        zh => {
            subject(Naming::Value, who, Locale::ZhCn, m);
            m.lit(if *read_only {
                "为只读属性，由服务设置。"
            } else {
                "为保留属性。"
            });
        },
        params => p.text(k!("key"), Text::Name(who)),
    }

    /// A custom key one typo away from a field or extension key.
    [NearMiss { meant: &'static str }]
    match [NearMiss { meant }] {
        en => {
            subject(Naming::Key, who, Locale::En, m);
            m.lit(" looks like a misspelling of '");
            m.text(meant);
            m.lit("', which it does not set.");
        },
        zh => {
            subject(Naming::Key, who, Locale::ZhCn, m);
            m.lit("疑似'");
            m.text(meant);
            m.lit("'的拼写错误，并不会设置'");
            m.text(meant);
            m.lit("'。");
        },
        params => {
            p.text(k!("key"), Text::Name(who));
            p.string(k!("meant"), meant);
        },
    }

    /// A fault of an update (SPEC §8) that create has no word for: its own table
    /// (`patch.rs`), rendered through `core::fmt` (not create's road).
    [Patch(PatchFault)]
    match [Patch(f)] {
        en => m.text(&f.render_en(who)),
        zh => m.text(&f.render_zh(who)),
        params => f.params(who, p),
    }
}

/// `{limit, actual, unit}`.
fn limit(p: &mut impl ParamOut, limit: usize, actual: usize, unit: &'static str) {
    p.uint(k!("limit"), limit as u64);
    p.uint(k!("actual"), actual as u64);
    p.known(k!("unit"), unit);
}

/// ` at line L column C.` (`第L行第C列`).
fn at_line(line: usize, column: usize, locale: Locale, m: &mut impl Sink) {
    let zh = locale == Locale::ZhCn;
    m.lit(if zh { "第" } else { " at line " });
    m.uint(line as u64);
    m.lit(if zh { "行第" } else { " column " });
    m.uint(column as u64);
    m.lit(if zh { "列" } else { "." });
}

/// `, got 'GOT'` (`，实际为'GOT'`) when there is one, then the closing full stop.
fn got_then_stop(m: &mut impl Sink, got: Option<&Short>, locale: Locale) {
    let zh = locale == Locale::ZhCn;
    if let Some(g) = got {
        m.lit(if zh { "，实际为'" } else { ", got '" });
        m.short(g);
        m.lit("'");
    }
    m.lit(if zh { "。" } else { "." });
}
