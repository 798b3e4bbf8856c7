//! The messages in Simplified Chinese (the IMS page's wording where it has one).

use std::fmt::Write as _;

use super::*;

impl Detail {
    pub(super) fn render_zh(&self, who: &Subject) -> String {
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
                format!("请求体必须是JSON对象，实际为{}。", kind.zh())
            }
            Detail::Duplicate => format!("JSON对象中的键'{}'重复。", key(who)),
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                let mut m = format!(
                    "{}必须是{}，实际为{}。",
                    subject_of(who, l),
                    expected.zh(),
                    found.zh()
                );
                if let Some(h) = hint.text() {
                    let _ = write!(m, "请发送{h}，而不是\"{h}\"。");
                }
                m
            }
            Detail::Nul(s) => format!("{}包含不支持的字符U+0000。", subject(*s, who, l)),
            Detail::FourByte(s, c) => format!(
                "{}包含不支持的4字节UTF-8字符（{}）。",
                subject(*s, who, l),
                hex(*c)
            ),
            Detail::TooShort(Naming::Key) => "自定义属性键的长度至少为1位。".to_owned(),
            Detail::TooShort(s) => format!("{}的长度至少为1位。", subject(*s, who, l)),
            Detail::TooLong {
                subject: s,
                len,
                max,
                from_one,
            } => {
                let who = subject(*s, who, l);
                // The page's wording: names and tags "长度为1～255位", keys "不超过255".
                match s {
                    Naming::Key => format!("{who}的长度不超过{max}位，实际为{len}位。"),
                    _ if !from_one => {
                        format!("{who}的长度最多为{max}位，实际为{len}位。")
                    }
                    _ => format!("{who}的长度为1～{max}位，实际为{len}位。"),
                }
            }
            Detail::ValueTooLong { len, max } => format!(
                "自定义属性'{}'的值过长：{len}字节，最多允许{max}字节。",
                key(who)
            ),
            Detail::OutOfRange { got, lo, hi } => {
                let got = match got {
                    Got::Value(v) => v.to_string(),
                    Got::Negative(Some(v)) => v.to_string(),
                    Got::Negative(None) => "超出64位的负数".to_owned(),
                    Got::Huge => "超出64位的数".to_owned(),
                };
                format!("属性'{}'的取值为{lo}～{hi}，实际为{got}。", key(who))
            }
            Detail::NotAllowed { allowed, got } => {
                let got = got
                    .as_ref()
                    .map(|g| format!("，实际为'{g}'"))
                    .unwrap_or_default();
                if let Some((value, true)) = allowed.constant() {
                    return format!("创建镜像元数据时，{}取值只能为{value}{got}。", key(who));
                }
                format!(
                    "属性'{}'的取值只能为{}{got}。",
                    key(who),
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
            Detail::ForbiddenChars(chars) => {
                format!("属性'{}'不能包含{}。", key(who), CharList(chars, l))
            }
            Detail::UnknownOs(u) => {
                let UnknownOs {
                    value,
                    quoted,
                    catalog,
                    ..
                } = u;
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
            Detail::Forbidden { read_only: true } => {
                format!("属性'{}'为只读属性，由服务设置。", key(who))
            }
            Detail::Forbidden { .. } => format!("属性'{}'为保留属性。", key(who)),
            Detail::Patch(p) => p.render_zh(who),
            Detail::NearMiss { meant } => format!(
                "自定义属性键'{}'疑似'{meant}'的拼写错误，并不会设置'{meant}'。",
                key(who)
            ),
        }
    }
}
