//! Character-level facts of strings, and the excerpts messages use.

use std::borrow::Cow;

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

/// How many strings [`repeats`] compares without sorting.
pub(crate) const REPEATS_MAX: usize = 256;

/// Finds the strings equal to an earlier one among `n` strings (`text(i)`), calling
/// `later(i)` for each, in order, without sorting and without allocating: each string
/// gets a 4-byte key (its first and last 4 bytes and its length); a key whose bit in a
/// 1024-bit filter is clear is new at once, else it is looked for among the earlier
/// keys (one scan, which vectorizes), and only strings whose keys meet are compared
/// as text. Gives up (false) past [`REPEATS_MAX`] strings, or once keys collide for
/// more than 4 text compares per string: the caller then sorts. Crafted strings can
/// at worst make every key scan the earlier ones (O(n) each, n ≤ 256): no table whose
/// collisions grow the work without bound.
pub(crate) fn repeats<'t>(
    n: usize,
    text: impl Fn(usize) -> &'t str,
    mut later: impl FnMut(usize),
) -> bool {
    if n > REPEATS_MAX {
        return false;
    }
    let mut keys = [0u32; REPEATS_MAX];
    for (i, k) in keys.iter_mut().enumerate().take(n) {
        let bytes = text(i).as_bytes();
        let word = |b: &[u8]| -> u32 {
            match <[u8; 4]>::try_from(b) {
                Ok(w) => u32::from_le_bytes(w),
                // Shorter than 4 bytes: byte by byte (no copy of a variable length).
                Err(_) => b.iter().fold(0, |w, &c| (w << 8) | u32::from(c)),
            }
        };
        let n = bytes.len();
        let (head, tail) = match (
            bytes.get(..4),
            n.checked_sub(4).and_then(|t| bytes.get(t..)),
        ) {
            (Some(h), Some(t)) => (word(h), word(t)),
            _ => (word(bytes), 0),
        };
        let len = u32::try_from(n).unwrap_or(u32::MAX);
        *k = head ^ tail.rotate_left(16) ^ len.wrapping_mul(0x9E37_79B9);
    }
    let mut is_later = [false; REPEATS_MAX];
    let mut filter = [0u64; 16];
    let mut compares = 0;
    for i in 0..n {
        let k = keys[i];
        let bit = (k.wrapping_mul(0x9E37_79B9) >> 22) as usize;
        let (word, mask) = (bit / 64 % 16, 1u64 << (bit % 64));
        let seen = filter[word] & mask != 0;
        filter[word] |= mask;
        if !seen || !keys[..i].iter().fold(false, |seen, &e| seen | (e == k)) {
            continue;
        }
        for j in 0..i {
            if keys[j] == k && !is_later[j] {
                compares += 1;
                if text(j) == text(i) {
                    is_later[i] = true;
                    later(i);
                    break;
                }
            }
        }
        if compares > 4 * n {
            return false;
        }
    }
    true
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

/// Levenshtein distance over chars, with a cap: any distance above `cap` is `cap + 1`.
/// The plain definition, which the tests hold the bounded one (`near.rs`) to.
#[cfg(test)]
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
    fn repeats_finds_the_later_copies() {
        let words = [
            "a",
            "ab",
            "ba",
            "",
            "abcd",
            "abce",
            "xbcd",
            "abcd",
            "镜像",
            "ab",
            "property_1",
        ];
        for n in 0..300 {
            let list: Vec<String> = (0..n)
                .map(|i| format!("{}{}", words[i % words.len()], (i * 7) % 13))
                .collect();
            let mut got = Vec::new();
            let done = repeats(n, |i| list[i].as_str(), |i| got.push(i));
            assert_eq!(done, n <= REPEATS_MAX, "{n}");
            if done {
                let expected: Vec<usize> =
                    (0..n).filter(|&i| list[..i].contains(&list[i])).collect();
                assert_eq!(got, expected, "{n}");
            }
        }
        // Keys made to collide (same ends, same length, different middles): the text
        // decides, and past 4 compares a string the caller is asked to sort.
        let same: Vec<String> = (0..200).map(|i| format!("aaaa{:03}zzzz", i % 40)).collect();
        let mut got = 0;
        assert!(!repeats(same.len(), |i| same[i].as_str(), |_| got += 1));
        let few: Vec<String> = (0..12).map(|i| format!("aaaa{:03}zzzz", i % 6)).collect();
        let mut got = Vec::new();
        assert!(repeats(few.len(), |i| few[i].as_str(), |i| got.push(i)));
        assert_eq!(got, (6..12).collect::<Vec<_>>());
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
