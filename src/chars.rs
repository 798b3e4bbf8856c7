//! Character-level facts of strings, and the excerpts messages use.

use std::borrow::Cow;

/// The first 8 bytes of `s` as a big-endian integer, zero-padded: a pair (prefix, `s`)
/// orders as `s` alone, and most comparisons of two pairs are settled by the integer
/// (sorting keys, looking them up) instead of a call to `memcmp`.
pub(crate) fn prefix8(s: &str) -> u64 {
    let mut b = [0u8; 8];
    for (slot, byte) in b.iter_mut().zip(s.bytes()) {
        *slot = byte;
    }
    u64::from_be_bytes(b)
}

/// What one byte pass over a string found: the characters the contract refuses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct StrFacts {
    /// The first character at U+10000 or above, if any.
    pub four_byte: Option<char>,
    /// Whether U+0000 occurs.
    pub nul: bool,
}

impl StrFacts {
    /// Neither a 4-byte character nor U+0000.
    pub(crate) const CLEAN: StrFacts = StrFacts {
        four_byte: None,
        nul: false,
    };
}

/// Finds 4-byte characters and NULs, in one pass over the bytes.
///
/// A `&str` is valid UTF-8, so a byte `0xF0..` starts a 4-byte character and a `0x00`
/// byte is U+0000. The pass keeps two reductions (the largest byte, any zero byte), so
/// that it vectorizes; the offending character itself is looked up only when there is
/// one.
pub(crate) fn facts(s: &str) -> StrFacts {
    let (largest, zero) = s
        .as_bytes()
        .iter()
        .fold((0u8, 0u8), |(m, z), &b| (m.max(b), z | u8::from(b == 0)));
    StrFacts {
        four_byte: if largest >= 0xF0 {
            s.chars().find(|&c| u32::from(c) >= 0x1_0000)
        } else {
            None
        },
        nul: zero != 0,
    }
}

/// The number of chars (Unicode scalar values) of `s`: its bytes less its continuation
/// bytes (`0x80..=0xBF`), counted over blocks of 255 bytes whose counts fit a byte, so
/// that the count vectorizes.
pub(crate) fn chars(s: &str) -> usize {
    let continuation: usize = s
        .as_bytes()
        .chunks(255)
        .map(|block| {
            let c = block
                .iter()
                .fold(0u8, |c, &b| c + u8::from((b as i8) < -64));
            usize::from(c)
        })
        .sum();
    s.len() - continuation
}

/// The number of chars of `s` when it is more than `max`; counted only when `s` has
/// more than `max` bytes (a char is at least one byte).
pub(crate) fn chars_over(s: &str, max: usize) -> Option<usize> {
    if s.len() <= max {
        return None;
    }
    let n = chars(s);
    (n > max).then_some(n)
}

/// The body as text, or where its first invalid UTF-8 sequence starts.
///
/// With the `fast-utf8` feature (the default) a valid body is checked by `simdutf8`'s
/// vectorized validator, about 10 times std's speed on non-ASCII text; an invalid one
/// is then checked again by std, for the position. Both accept exactly the UTF-8 of
/// the standard (a test compares them on every byte pattern that matters).
pub(crate) fn utf8(bytes: &[u8]) -> Result<&str, usize> {
    #[cfg(feature = "fast-utf8")]
    if let Ok(text) = simdutf8::basic::from_utf8(bytes) {
        return Ok(text);
    }
    std::str::from_utf8(bytes).map_err(|e| e.valid_up_to())
}

/// The largest byte of `bytes` (0 when empty): below `0x80` the bytes are ASCII, below
/// `0xF0` UTF-8 text holds no 4-byte character. One pass that does not stop early, so
/// it vectorizes (a body is small; an early exit costs more than it saves).
pub(crate) fn max_byte(bytes: &[u8]) -> u8 {
    bytes.iter().fold(0u8, |acc, &b| acc.max(b))
}

/// A short, safe rendering of an input string for a message: at most `max` chars, with
/// an ellipsis when cut (borrowed when nothing is cut).
pub(crate) fn excerpt(s: &str, max: usize) -> Cow<'_, str> {
    if s.len() <= max {
        // No more chars than bytes: nothing to cut.
        return Cow::Borrowed(s);
    }
    match s.char_indices().nth(max) {
        None => Cow::Borrowed(s),
        Some((cut, _)) => Cow::Owned(format!("{}…", &s[..cut])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `utf8` answers as std does, position included, on every 2-byte sequence and on
    /// 3- and 4-byte sequences over each byte class's bounds, at offsets on both sides
    /// of the vectorized validator's 64-byte blocks, among ASCII and among CJK text.
    #[test]
    fn utf8_agrees_with_std() {
        let edges: Vec<u8> = vec![
            0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC1, 0xC2, 0xDF, 0xE0,
            0xE1, 0xEC, 0xED, 0xEE, 0xEF, 0xF0, 0xF1, 0xF3, 0xF4, 0xF5, 0xFF,
        ];
        let mut seqs: Vec<Vec<u8>> = Vec::new();
        for a in 0..=255u8 {
            for b in 0..=255u8 {
                seqs.push(vec![a, b]);
            }
        }
        for &a in &edges {
            for &b in &edges {
                for &c in &edges {
                    seqs.push(vec![a, b, c]);
                    for &d in &[0x41, 0x80, 0xBF, 0xC0] {
                        seqs.push(vec![a, b, c, d]);
                    }
                }
            }
        }
        let mut checked = 0;
        for fill in ["a", "镜"] {
            let pad = fill.repeat(141 / fill.len());
            for seq in &seqs {
                for at in [0, 61, 63, 64, 126] {
                    let at = at - at % fill.len();
                    let mut body = pad.as_bytes().to_vec();
                    body.splice(at..at, seq.iter().copied());
                    let std = std::str::from_utf8(&body).map_err(|e| e.valid_up_to());
                    assert_eq!(utf8(&body), std, "{seq:02X?} at {at} among {fill:?}");
                    checked += 1;
                }
            }
        }
        assert!(checked > 1_000_000);
    }

    #[test]
    fn facts_count_chars_not_bytes() {
        assert_eq!(max_byte(b""), 0);
        assert!(max_byte(b"abc\x7f") < 0x80 && max_byte(&[0x20; 100]) < 0x80);
        assert_eq!(max_byte("镜像".as_bytes()), 0xE9);
        assert_eq!(max_byte(&[b'a', 0x80]), 0x80);
        let mut long = vec![b'a'; 1000];
        assert_eq!(max_byte(&long), b'a');
        long[999] = 0xFF;
        assert_eq!(max_byte(&long), 0xFF);
        for (s, n) in [("abc", 3), ("镜像", 2), ("", 0), ("a😀b\u{10FFFF}", 4)] {
            assert_eq!(chars(s), n, "{s}");
            assert_eq!(chars(s), s.chars().count(), "{s}");
        }
        // Blocks of 255 bytes: counts on both sides of a block's end.
        for n in [254, 255, 256, 509, 510, 511, 2000] {
            let s = "镜".repeat(n);
            assert_eq!(chars(&s), n);
            let s = format!("a{s}");
            assert_eq!(chars(&s), n + 1);
        }
        assert_eq!(chars_over("镜像", 1), Some(2));
        assert_eq!(chars_over("镜像", 2), None);
        assert_eq!(chars_over("镜像", 5), None);
        assert_eq!(chars_over("abc", 2), Some(3));
        assert_eq!(chars_over("", 0), None);
        let f = facts("a😀b\u{10FFFF}");
        assert_eq!(f.four_byte, Some('😀'));
        assert!(!f.nul);
        assert!(facts("a\0b").nul);
        assert_eq!(facts("\u{FFFF}").four_byte, None);
        assert_eq!(facts("\u{1}\u{7F}"), StrFacts::CLEAN);
        assert_eq!(facts("\u{80}é"), StrFacts::CLEAN);
        let long = format!("{}\0{}", "a".repeat(500), "😀");
        assert_eq!(
            facts(&long),
            StrFacts {
                four_byte: Some('😀'),
                nul: true
            }
        );
    }

    /// `repeats` finds exactly the strings equal to an earlier one, or gives up.
    #[test]
    fn excerpt_cuts_on_chars() {
        assert_eq!(excerpt("镜像镜像", 2), "镜像…");
        assert_eq!(excerpt("ab", 2), "ab");
    }
}
