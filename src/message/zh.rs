//! The messages in Simplified Chinese (the IMS page's wording where it has one).

use super::*;

impl Detail {
    /// The message in Chinese, appended to `m`. `near` is [`Detail::near`]'s.
    pub(super) fn render_zh(&self, who: &Subject, near: Near, m: &mut impl Sink) {
        let l = Locale::ZhCn;
        match self {
            Detail::Text(t, _) => m.text(t),
            Detail::Empty => m.lit("请求体为空。"),
            Detail::Malformed {
                kind, line, column, ..
            } => {
                m.lit("请求体不是合法的JSON：第");
                m.uint(*line as u64);
                m.lit("行第");
                m.uint(*column as u64);
                m.lit("列");
                m.lit(match kind {
                    Syntax::Bad => "语法错误",
                    Syntax::Eof => "内容不完整",
                    Syntax::Data => "数值超出范围",
                });
                m.lit("。");
            }
            Detail::InvalidUtf8 { line, column } => {
                m.lit("请求体不是合法的UTF-8编码：第");
                m.uint(*line as u64);
                m.lit("行第");
                m.uint(*column as u64);
                m.lit("列。");
            }
            Detail::TooLarge { len, max } => {
                m.lit("请求体过大：");
                m.uint(*len as u64);
                m.lit("字节，最多允许");
                m.uint(*max as u64);
                m.lit("字节。");
            }
            Detail::NotObject(kind) => {
                m.lit("请求体必须是JSON对象，实际为");
                m.lit(kind.zh());
                m.lit("。");
            }
            Detail::Duplicate => {
                m.lit("JSON对象中的键'");
                name(who, m);
                m.lit("'重复。");
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                subject_of(who, l, m);
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
            }
            Detail::Nul(s) => {
                subject(*s, who, l, m);
                m.lit("包含不支持的字符U+0000。");
            }
            Detail::FourByte(s, c) => {
                subject(*s, who, l, m);
                m.lit("包含不支持的4字节UTF-8字符（");
                hex(*c, m);
                m.lit("）。");
            }
            Detail::TooShort(Naming::Key) => m.lit("自定义属性键的长度至少为1位。"),
            Detail::TooShort(s) => {
                subject(*s, who, l, m);
                m.lit("的长度至少为1位。");
            }
            Detail::TooLong {
                subject: s,
                len,
                max,
                from_one,
            } => {
                subject(*s, who, l, m);
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
            }
            Detail::ValueTooLong { len, max } => {
                m.lit("自定义属性'");
                name(who, m);
                m.lit("'的值过长：");
                m.uint(*len as u64);
                m.lit("字节，最多允许");
                m.uint(*max as u64);
                m.lit("字节。");
            }
            Detail::OutOfRange { got, lo, hi } => {
                m.lit("属性'");
                name(who, m);
                m.lit("'的取值为");
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
            }
            Detail::NotAllowed { allowed, got } => {
                if let Some((value, true)) = allowed.constant() {
                    m.lit("创建镜像元数据时，");
                    name(who, m);
                    m.lit("取值只能为");
                    m.text(value);
                } else {
                    m.lit("属性'");
                    name(who, m);
                    m.lit("'的取值只能为");
                    allowed.joined(false, m);
                }
                got_then_stop(m, got.as_ref());
            }
            Detail::BadUuid(got) => {
                m.lit("属性'id'必须是UUID（8-4-4-4-12位十六进制数字）");
                got_then_stop(m, got.as_ref());
            }
            Detail::NameSpaces => m.lit("属性'name'不能以空格开头或结尾。"),
            Detail::NameChar(c, cjk) => {
                m.lit("属性'name'不能包含");
                // A char's `Debug`: rare enough to go through `core::fmt`.
                m.text(&format!("{c:?}"));
                m.lit("（");
                hex(*c, m);
                m.lit("）：只允许英文字母、数字、'-'、'.'、'_'");
                m.lit(if *cjk {
                    "、空格和中文汉字"
                } else {
                    "和空格"
                });
                m.lit("。");
            }
            Detail::ForbiddenChars(chars) => {
                m.lit("属性'");
                name(who, m);
                m.lit("'不能包含");
                char_list(chars, l, m);
                m.lit("。");
            }
            Detail::UnknownOs(u) => {
                let UnknownOs {
                    value,
                    quoted,
                    catalog,
                } = u;
                if *quoted {
                    m.lit("未知的__os_version'");
                    m.text(&excerpt(value, EXCERPT));
                    m.lit("'。");
                } else {
                    m.lit("未知的__os_version。");
                }
                if near.len == 0 {
                    m.lit("取值必须是相关参数取值列表中的值（区分大小写）。");
                } else {
                    m.lit("您是否要使用");
                    near_list(catalog, near, "或", m);
                    m.lit("？");
                }
            }
            Detail::TooManyTags { n, max } => {
                m.lit("镜像标签数量超过限制：尝试");
                m.uint(*n as u64);
                m.lit("个，最多");
                m.uint(*max as u64);
                m.lit("个。");
            }
            Detail::TooManyProperties { n, max } => {
                m.lit("镜像属性数量超过限制：尝试");
                m.uint(*n as u64);
                m.lit("个，最多");
                m.uint(*max as u64);
                m.lit("个。");
            }
            Detail::Forbidden { read_only } => {
                m.lit("属性'");
                name(who, m);
                m.lit(if *read_only {
                    "'为只读属性，由服务设置。"
                } else {
                    "'为保留属性。"
                });
            }
            Detail::Patch(p) => m.text(&p.render_zh(who)),
            Detail::NearMiss { meant } => {
                m.lit("自定义属性键'");
                name(who, m);
                m.lit("'疑似'");
                m.text(meant);
                m.lit("'的拼写错误，并不会设置'");
                m.text(meant);
                m.lit("'。");
            }
        }
    }
}

/// `，实际为'GOT'` when there is one, then the closing full stop.
fn got_then_stop(m: &mut impl Sink, got: Option<&Short>) {
    if let Some(g) = got {
        m.lit("，实际为'");
        m.short(g);
        m.lit("'");
    }
    m.lit("。");
}
