//! Character-level checks shared by every string of the body, and JSON Pointer escaping.

/// What one byte pass over a string found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrFacts {
    /// Unicode scalar values.
    pub chars: usize,
    /// The first character at U+10000 or above, if any.
    pub four_byte: Option<char>,
    /// Whether U+0000 occurs.
    pub nul: bool,
}

/// Counts chars and finds 4-byte characters and NULs.
///
/// A `&str` is valid UTF-8, so a byte `0xF0..` starts a 4-byte character, a `0x00` byte
/// is U+0000, and every byte that is not a continuation byte starts a char. Simple
/// passes over the bytes (each vectorizes) beat one branchy pass; the offending
/// character itself is looked up only when there is one.
pub(crate) fn facts(s: &str) -> StrFacts {
    let bytes = s.as_bytes();
    // The common case, ASCII without NUL, in one pass that does not stop early (so it
    // vectorizes): `(b - 1) | b` has its top bit set exactly for 0x00 and 0x80..=0xFF.
    let flags = bytes
        .iter()
        .fold(0u8, |acc, &b| acc | (b.wrapping_sub(1) | b));
    if flags & 0x80 == 0 {
        return StrFacts {
            chars: bytes.len(),
            four_byte: None,
            nul: false,
        };
    }
    let continuation = bytes.iter().filter(|&&b| (b & 0xC0) == 0x80).count();
    let four = bytes.iter().fold(false, |acc, &b| acc | (b >= 0xF0));
    StrFacts {
        chars: bytes.len() - continuation,
        four_byte: if four {
            s.chars().find(|&c| u32::from(c) >= 0x1_0000)
        } else {
            None
        },
        nul: bytes.contains(&0),
    }
}

/// Whether every byte is ASCII: one pass that does not stop early, so it vectorizes
/// (a body is small; the early exit of `<[u8]>::is_ascii` costs more than it saves).
pub(crate) fn is_ascii(bytes: &[u8]) -> bool {
    bytes.iter().fold(0u8, |acc, &b| acc | b) < 0x80
}

/// Whether `c` is allowed in a name under the attributes page's charset: ASCII letters,
/// digits, `-`, `.`, `_`, space, and CJK unified ideographs U+4E00–U+9FFF.
pub(crate) fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ' ' | '\u{4E00}'..='\u{9FFF}')
}

/// Whether `s` is a UUID in 8-4-4-4-12 hex form, any case.
pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

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
                let bytes = bytes.get(..usize::from(*len)).unwrap_or_default();
                std::str::from_utf8(bytes).unwrap_or_default()
            }
            Short::Heap(s) => s,
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
        let bytes = self.bytes.get(..self.len).unwrap_or_default();
        std::str::from_utf8(bytes).unwrap_or_default()
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
        out.push_str(rest.get(..i).unwrap_or_default());
        out.push_str(match rest.as_bytes().get(i) {
            Some(b'~') => "~0",
            _ => "~1",
        });
        rest = rest.get(i + 1..).unwrap_or_default();
    }
    out.push_str(rest);
}

/// Appends `/` and an array index to `out`.
pub(crate) fn push_pointer_index(out: &mut ShortBuf, index: usize) {
    // Digits by hand: `write!` goes through the formatting machinery.
    let mut digits = [0u8; 21];
    let mut at = digits.len();
    let mut n = index;
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    at -= 1;
    digits[at] = b'/';
    out.push_str(std::str::from_utf8(&digits[at..]).unwrap_or_default());
}

/// The JSON Pointer of a top-level key: `/` + the escaped key.
pub(crate) fn key_pointer(key: &str) -> Short {
    let mut p = ShortBuf::default();
    push_pointer_token(&mut p, key);
    p.finish()
}

/// A short, safe rendering of an input string for a message: at most `max` chars, with
/// an ellipsis when cut.
pub(crate) fn excerpt(s: &str, max: usize) -> String {
    if s.len() <= max {
        // No more chars than bytes: nothing to cut.
        return s.to_owned();
    }
    match s.char_indices().nth(max) {
        None => s.to_owned(),
        Some((cut, _)) => format!("{}…", &s[..cut]),
    }
}

/// Levenshtein distance over chars, with a cap: any distance above `cap` is `cap + 1`.
pub(crate) fn edit_distance(a: &str, b: &str, cap: usize) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    if a.len().abs_diff(b.len()) > cap {
        return cap + 1;
    }
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for (i, ca) in a.iter().enumerate() {
        cur[0] = i + 1;
        let mut row_min = cur[0];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
            row_min = row_min.min(cur[j + 1]);
        }
        if row_min > cap {
            return cap + 1;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(cap + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn facts_count_chars_not_bytes() {
        assert!(is_ascii(b"") && is_ascii(b"abc\x7f") && is_ascii(&[0x20; 100]));
        assert!(!is_ascii("镜像".as_bytes()) && !is_ascii(&[b'a', 0x80]));
        let mut long = vec![b'a'; 1000];
        assert!(is_ascii(&long));
        long[999] = 0xFF;
        assert!(!is_ascii(&long));
        assert_eq!(facts("abc").chars, 3);
        assert_eq!(facts("镜像").chars, 2);
        assert_eq!(facts("").chars, 0);
        let f = facts("a😀b\u{10FFFF}");
        assert_eq!(f.chars, 4);
        assert_eq!(f.four_byte, Some('😀'));
        assert!(!f.nul);
        assert!(facts("a\0b").nul);
        assert_eq!(facts("\u{FFFF}").four_byte, None);
        // Both sides of the ASCII fast path's bounds.
        assert_eq!(
            facts("\u{1}\u{7F}"),
            StrFacts {
                chars: 2,
                four_byte: None,
                nul: false
            }
        );
        assert_eq!(
            facts("\u{80}é"),
            StrFacts {
                chars: 2,
                four_byte: None,
                nul: false
            }
        );
        assert_eq!(facts(&"a".repeat(1000)).chars, 1000);
        let long = format!("{}\0{}", "a".repeat(500), "😀");
        assert_eq!(
            facts(&long),
            StrFacts {
                chars: 502,
                four_byte: Some('😀'),
                nul: true
            }
        );
    }

    #[test]
    fn name_charset() {
        for c in ['a', 'Z', '0', '-', '.', '_', ' ', '一', '\u{9FFF}'] {
            assert!(is_name_char(c), "{c:?}");
        }
        for c in ['/', '\u{4DFF}', '\u{A000}', 'é', '\t', '(', '😀'] {
            assert!(!is_name_char(c), "{c:?}");
        }
    }

    #[test]
    fn uuid_shape() {
        assert!(is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86"));
        assert!(is_uuid("4CA46BF1-5C61-48FF-B4F3-0AD4E5E3BA86"));
        assert!(!is_uuid("4ca46bf15c6148ffb4f30ad4e5e3ba86"));
        assert!(!is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba8g"));
        assert!(!is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba866"));
        assert!(!is_uuid(""));
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

    #[test]
    fn edit_distance_is_capped() {
        assert_eq!(edit_distance("kitten", "sitting", 10), 3);
        assert_eq!(edit_distance("", "abc", 10), 3);
        assert_eq!(edit_distance("abc", "abc", 0), 0);
        assert_eq!(edit_distance("kitten", "sitting", 2), 3);
        assert_eq!(edit_distance("a", "abcdefgh", 2), 3);
    }

    #[test]
    fn excerpt_cuts_on_chars() {
        assert_eq!(excerpt("镜像镜像", 2), "镜像…");
        assert_eq!(excerpt("ab", 2), "ab");
    }
}
