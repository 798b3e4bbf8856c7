//! Where a message is written: a `String` (the message as text), or a report's bytes
//! (the message as the contents of a JSON string, escaped as it goes, with no copy in
//! between). The renderers push the pieces of their templates and their values one
//! after the other: no `core::fmt` on the way, integers by a small hand-written itoa.

use crate::json;
use crate::pointer::Short;

/// A message's destination.
pub(crate) trait Sink {
    /// Text of the crate's own templates: no char that JSON escapes (`"`, `\`, controls;
    /// debug builds check).
    fn lit(&mut self, s: &'static str);
    /// Any other text (input, catalog values): escaped where it must be.
    fn text(&mut self, s: &str);
    /// An unsigned integer, in decimal.
    fn uint(&mut self, n: u64);

    /// A signed integer, in decimal.
    fn int(&mut self, n: i64) {
        if n < 0 {
            self.lit("-");
        }
        self.uint(n.unsigned_abs());
    }

    /// An `i128`, in decimal (what `Display` writes).
    fn wide(&mut self, n: i128) {
        match i64::try_from(n) {
            Ok(n) => self.int(n),
            Err(_) => self.text(&n.to_string()),
        }
    }

    /// A report's string (a key's excerpt, an input's).
    fn short(&mut self, s: &Short) {
        self.text(s.as_str());
    }

    /// One char.
    fn ch(&mut self, c: char) {
        self.text(c.encode_utf8(&mut [0; 4]));
    }
}

/// Whether JSON escapes none of `s`'s bytes.
fn clean(s: &str) -> bool {
    !s.bytes().any(|b| b < 0x20 || b == b'"' || b == b'\\')
}

impl Sink for String {
    #[inline]
    fn lit(&mut self, s: &'static str) {
        self.push_str(s);
    }

    #[inline]
    fn text(&mut self, s: &str) {
        self.push_str(s);
    }

    fn uint(&mut self, n: u64) {
        let mut buf = [0; 20];
        self.extend(json::digits(n, &mut buf).iter().map(|&d| char::from(d)));
    }
}

/// A report's bytes, into which a message is written as the contents of a JSON string
/// (what `json::string` writes of the message, less the quotes).
pub(crate) struct Escaped<'a>(pub(crate) &'a mut Vec<u8>);

impl Sink for Escaped<'_> {
    // Inlined where the text is a constant: the copy is a few stores, not a call.
    #[inline(always)]
    fn lit(&mut self, s: &'static str) {
        debug_assert!(clean(s), "{s:?}");
        self.0.extend_from_slice(s.as_bytes());
    }

    #[inline]
    fn text(&mut self, s: &str) {
        json::contents(self.0, s);
    }

    fn short(&mut self, s: &Short) {
        json::contents_of(self.0, s.as_bytes());
    }

    fn uint(&mut self, n: u64) {
        let mut buf = [0; 20];
        self.0.extend_from_slice(json::digits(n, &mut buf));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Integers are what `Display` writes, in both sinks; text is escaped in one.
    #[test]
    fn sinks_write_what_display_does() {
        let ints = [0i128, 7, -7, 10, 99, 1000, i128::from(u32::MAX)];
        let more = [
            i128::from(i64::MAX),
            i128::from(i64::MIN),
            i128::MAX,
            i128::MIN,
        ];
        for n in ints.into_iter().chain(more) {
            let mut s = String::new();
            s.wide(n);
            assert_eq!(s, n.to_string());
            let mut out = Vec::new();
            Escaped(&mut out).wide(n);
            assert_eq!(out, n.to_string().into_bytes());
        }
        let mut s = String::new();
        s.uint(u64::MAX);
        assert_eq!(s, u64::MAX.to_string());
        let mut out = Vec::new();
        let mut e = Escaped(&mut out);
        e.lit("a ");
        e.text("\"b\"\n");
        e.ch('\\');
        assert_eq!(out, br#"a \"b\"\n\\"#);
        assert!(!clean("\"") && clean("镜像 'x'"));
    }
}
