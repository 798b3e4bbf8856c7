//! A JSON document as the kit writes it (objects keep their order and may repeat
//! keys; numbers keep their spelling), and the renderer that varies whitespace and
//! escapes without changing what the document means.

use std::fmt::Write as _;

/// A JSON document as written.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum J {
    Null,
    Bool(bool),
    /// A number token, written as is.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub(crate) fn s(v: impl Into<String>) -> J {
        J::Str(v.into())
    }
    pub(crate) fn n(v: impl ToString) -> J {
        J::Num(v.to_string())
    }
}

/// How a document is spelled.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// The renderer's own PRNG (xorshift64; never 0).
    pub(crate) seed: u64,
    /// One in this many characters is written as an escape (0: none).
    pub(crate) escape_one_in: u32,
    /// Whether to put whitespace between tokens.
    pub(crate) spaces: bool,
}

impl Style {
    /// No whitespace, only the escapes JSON needs.
    pub(crate) const PLAIN: Style = Style {
        seed: 1,
        escape_one_in: 0,
        spaces: false,
    };
}

struct Writer {
    out: String,
    rng: u64,
    style: Style,
}

impl Writer {
    fn next(&mut self) -> u64 {
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn ws(&mut self) {
        if self.style.spaces {
            const WS: [&str; 6] = ["", " ", "\n", "\t", "\r\n  ", "  "];
            let i = (self.next() % WS.len() as u64) as usize;
            self.out.push_str(WS[i]);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let escape = self.style.escape_one_in > 0
                && self.next() % u64::from(self.style.escape_one_in) == 0;
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' if !escape => self.out.push_str("\\n"),
                '\t' if !escape => self.out.push_str("\\t"),
                '/' if escape => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 || escape => {
                    let mut buf = [0u16; 2];
                    let upper = self.next() % 2 == 0;
                    for unit in c.encode_utf16(&mut buf) {
                        let _ = if upper {
                            write!(self.out, "\\u{unit:04X}")
                        } else {
                            write!(self.out, "\\u{unit:04x}")
                        };
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn value(&mut self, v: &J) {
        match v {
            J::Null => self.out.push_str("null"),
            J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => self.out.push_str(n),
            J::Str(s) => self.string(s),
            J::Arr(items) => self.members(('[', ']'), items.iter().map(|v| (None, v))),
            J::Obj(entries) => self.members(('{', '}'), entries.iter().map(|(k, v)| (Some(k), v))),
        }
    }

    /// An array's items or an object's members (each with its key), between `open` and
    /// `close`.
    fn members<'a>(
        &mut self,
        (open, close): (char, char),
        items: impl Iterator<Item = (Option<&'a String>, &'a J)>,
    ) {
        self.out.push(open);
        for (i, (key, item)) in items.enumerate() {
            if i > 0 {
                self.out.push(',');
            }
            self.ws();
            if let Some(k) = key {
                self.string(k);
                self.ws();
                self.out.push(':');
                self.ws();
            }
            self.value(item);
            self.ws();
        }
        self.out.push(close);
    }
}

/// `v` written in `style`.
pub(crate) fn render(v: &J, style: Style) -> String {
    let mut w = Writer {
        out: String::new(),
        rng: style.seed | 1,
        style,
    };
    w.ws();
    w.value(v);
    w.ws();
    w.out
}

/// The JSON Pointer token of key `k` as a report renders it: a key of more than 256
/// chars is cut to its first 64 and `…` (a report never copies a long key).
pub(crate) fn token(k: &str) -> String {
    let cut = if k.chars().nth(256).is_some() {
        let mut t: String = k.chars().take(64).collect();
        t.push('…');
        t
    } else {
        k.to_owned()
    };
    cut.replace('~', "~0").replace('/', "~1")
}

/// The pointer of top-level key `k`.
pub(crate) fn pointer(k: &str) -> String {
    format!("/{}", token(k))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_keep_meaning() {
        let doc = J::Obj(vec![
            ("a/b".into(), J::s("x\"\\\n\t\u{1}é😀/")),
            ("n".into(), J::n(5)),
            ("t".into(), J::Arr(vec![J::Bool(true), J::Null])),
        ]);
        let plain: serde_json::Value = serde_json::from_str(&render(&doc, Style::PLAIN)).unwrap();
        for seed in 1..200u64 {
            let style = Style {
                seed,
                escape_one_in: 2,
                spaces: true,
            };
            let text = render(&doc, style);
            let v: serde_json::Value = serde_json::from_str(&text).unwrap();
            assert_eq!(v, plain, "{text}");
        }
        assert_eq!(pointer("a/b~"), "/a~1b~0");
        assert_eq!(pointer(&"x".repeat(257)), format!("/{}…", "x".repeat(64)));
        assert_eq!(pointer(&"x".repeat(256)), format!("/{}", "x".repeat(256)));
    }
}
