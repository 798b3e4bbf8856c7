//! The strings of a report (pointers, excerpts): static, inline when short, else on
//! the heap; and JSON Pointer building (RFC 6901 escaping).

/// Bytes a [`Short`] keeps inline: a pointer such as `/tags/17` or `/status`, or a
/// short excerpt, costs no allocation.
pub(crate) const SHORT_INLINE: usize = 22;

/// A string of a report (a pointer, an excerpt): static, inline when short, else on
/// the heap. 24 bytes, like a `Cow<'static, str>`, but most reports' strings make no
/// allocation.
#[derive(Clone)]
pub(crate) enum Short {
    Static(&'static str),
    /// Always the bytes of a whole `&str` (never cut), so always UTF-8.
    Inline(u8, [u8; SHORT_INLINE]),
    Heap(Box<str>),
}

impl Short {
    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        match self {
            Short::Static(s) => s,
            Short::Inline(len, bytes) => {
                let bytes = sure!(bytes.get(..usize::from(*len)), "an inline length fits");
                sure!(std::str::from_utf8(bytes).ok(), "inline bytes are a str's")
            }
            Short::Heap(s) => s,
        }
    }

    /// The text when it is a constant of the crate's (a documented field's pointer,
    /// the body's): known clean for JSON.
    pub(crate) fn as_static(&self) -> Option<&'static str> {
        match self {
            Short::Static(s) => Some(s),
            _ => None,
        }
    }

    /// The text's bytes, with no UTF-8 check (a writer of JSON needs none: they are a
    /// `str`'s).
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Short::Static(s) => s.as_bytes(),
            Short::Inline(len, bytes) => bytes.get(..usize::from(*len)).unwrap_or_default(),
            Short::Heap(s) => s.as_bytes(),
        }
    }
}

impl From<&str> for Short {
    /// A copy of `s`: inline when it fits.
    fn from(s: &str) -> Short {
        let mut bytes = [0u8; SHORT_INLINE];
        match bytes.get_mut(..s.len()) {
            Some(dst) => {
                dst.copy_from_slice(s.as_bytes());
                // At most SHORT_INLINE, so it fits a u8.
                Short::Inline(s.len() as u8, bytes)
            }
            None => Short::Heap(s.into()),
        }
    }
}

impl From<String> for Short {
    fn from(s: String) -> Short {
        Short::Heap(s.into_boxed_str())
    }
}

impl PartialEq for Short {
    fn eq(&self, other: &Short) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for Short {}

impl std::hash::Hash for Short {
    fn hash<H: std::hash::Hasher>(&self, h: &mut H) {
        self.as_str().hash(h);
    }
}

impl std::ops::Deref for Short {
    type Target = str;
    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl std::fmt::Debug for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        std::fmt::Debug::fmt(self.as_str(), f)
    }
}

impl std::fmt::Display for Short {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Builds a [`Short`]: inline while it fits, then in a `String`.
#[derive(Default)]
pub(crate) struct ShortBuf {
    len: usize,
    bytes: [u8; SHORT_INLINE],
    /// Non-empty once the text outgrew the inline bytes (it then holds all of it).
    heap: String,
}

impl ShortBuf {
    /// The text so far, as [`Short::as_str`] reads it.
    fn inline(&self) -> &str {
        let bytes = sure!(self.bytes.get(..self.len), "the length fits");
        sure!(std::str::from_utf8(bytes).ok(), "inline bytes are a str's")
    }

    /// Appends `s`: inline while the whole text fits, then all of it in a `String`.
    pub(crate) fn push_str(&mut self, s: &str) {
        if self.heap.is_empty() {
            if let Some(dst) = self.bytes.get_mut(self.len..self.len + s.len()) {
                dst.copy_from_slice(s.as_bytes());
                self.len += s.len();
                return;
            }
            let mut heap = String::with_capacity(self.len + s.len() + 16);
            heap.push_str(self.inline());
            self.heap = heap;
        }
        self.heap.push_str(s);
    }

    /// The finished string.
    pub(crate) fn finish(self) -> Short {
        if self.heap.is_empty() {
            // `len` never passes SHORT_INLINE, so it fits a u8.
            Short::Inline(self.len as u8, self.bytes)
        } else {
            Short::Heap(self.heap.into_boxed_str())
        }
    }
}

/// Appends `/` and `token` to `out`, escaped per RFC 6901 (`~` → `~0`, `/` → `~1`).
pub(crate) fn push_pointer_token(out: &mut ShortBuf, token: &str) {
    out.push_str("/");
    let mut rest = token;
    // Runs without `~` or `/` are copied whole.
    while let Some(i) = rest.bytes().position(|b| b == b'~' || b == b'/') {
        out.push_str(sure!(rest.get(..i), "an ASCII byte is a char boundary"));
        out.push_str(match rest.as_bytes().get(i) {
            Some(b'~') => "~0",
            _ => "~1",
        });
        rest = sure!(rest.get(i + 1..), "an ASCII byte is a char boundary");
    }
    out.push_str(rest);
}

/// Appends `/` and an array index to `out`.
pub(crate) fn push_pointer_index(out: &mut ShortBuf, index: usize) {
    let mut buf = [0u8; 20];
    let digits = crate::json::digits(index as u64, &mut buf);
    out.push_str("/");
    out.push_str(sure!(std::str::from_utf8(digits).ok(), "digits are ASCII"));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key_pointer(key: &str) -> Short {
        let mut p = ShortBuf::default();
        push_pointer_token(&mut p, key);
        p.finish()
    }

    #[test]
    fn pointer_tokens_escape_tilde_then_slash() {
        assert_eq!(key_pointer("a/b~c").as_str(), "/a~1b~0c");
        assert_eq!(key_pointer("").as_str(), "/");
        assert_eq!(key_pointer("~1").as_str(), "/~01");
        assert_eq!(key_pointer("name").as_str(), "/name");
        assert_eq!(key_pointer("a/b").as_str(), "/a~1b");
        assert_eq!(key_pointer("~").as_str(), "/~0");
        assert_eq!(key_pointer("~/~1/").as_str(), "/~0~1~01~1");
        assert_eq!(key_pointer("镜像/x").as_str(), "/镜像~1x");
        for i in [0, 1, 3, 9, 10, 99, 100, 12345, usize::MAX] {
            let mut p = ShortBuf::default();
            push_pointer_token(&mut p, "tags");
            push_pointer_index(&mut p, i);
            assert_eq!(p.finish().as_str(), format!("/tags/{i}"));
        }
    }

    /// A `Short` reads back exactly what was pushed, inline up to the limit and on the
    /// heap past it, across any split of the pushes.
    #[test]
    fn short_strings_inline_and_spilled() {
        let texts = [
            String::new(),
            "a".repeat(SHORT_INLINE - 1),
            "a".repeat(SHORT_INLINE),
            "a".repeat(SHORT_INLINE + 1),
            "镜像".repeat(4),
            "/tags/0/x~1y".to_owned(),
            "z".repeat(300),
        ];
        for text in &texts {
            let whole = Short::from(text.as_str());
            assert_eq!(whole.as_str(), text);
            assert_eq!(
                matches!(whole, Short::Inline(..)),
                text.len() <= SHORT_INLINE,
                "{text}"
            );
            for cut in (0..=text.len()).filter(|&c| text.is_char_boundary(c)) {
                let mut buf = ShortBuf::default();
                buf.push_str(&text[..cut]);
                buf.push_str(&text[cut..]);
                let built = buf.finish();
                assert_eq!(built.as_str(), text, "cut {cut}");
                assert_eq!(format!("{built}"), *text);
                assert_eq!(format!("{built:?}"), format!("{text:?}"));
            }
        }
        assert_eq!(Short::Static("/id").as_str(), "/id");
        assert_eq!(&*Short::from(String::from("owned")), "owned");
    }
}
