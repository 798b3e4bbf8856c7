//! A JSON writer for the answers: byte for byte what `serde_json`'s compact
//! serializer writes (the tests hold it to that), without its byte-at-a-time escaping.
//! Keys and constant values are written as they are (they are known clean); every
//! other string is scanned a block at a time for the few bytes JSON escapes, and the
//! clean runs between them are copied whole.

/// Whether JSON escapes `b` (below 0x20, `"`, `\`).
#[inline(always)]
fn escaped(b: u8) -> bool {
    b < 0x20 || b == b'"' || b == b'\\'
}

const ONES: u64 = u64::MAX / 255;
const HIGH: u64 = ONES << 7;

/// The offset of the first byte JSON escapes, if any: blocks of 32 bytes are tested
/// whole (the test vectorizes) and only a flagged block is searched; what is left, 8
/// bytes at a time in a word, then byte by byte.
#[inline]
fn first_escape(bytes: &[u8]) -> Option<usize> {
    let mut blocks = bytes.chunks_exact(32);
    let mut at = 0;
    for block in &mut blocks {
        if block.iter().fold(false, |any, &b| any | escaped(b)) {
            return block.iter().position(|&b| escaped(b)).map(|i| at + i);
        }
        at += 32;
    }
    let rest = blocks.remainder();
    let mut words = rest.chunks_exact(8);
    for chunk in &mut words {
        if let Some(i) = word_escape(chunk) {
            return Some(at + i);
        }
        at += 8;
    }
    let tail = words.remainder();
    if tail.is_empty() {
        return None;
    }
    // The last 8 bytes as one word when there are 8: those before the tail were found
    // clean, so a flagged byte is the tail's.
    if let Some(last) = bytes.len().checked_sub(8).and_then(|s| bytes.get(s..)) {
        return word_escape(last).map(|i| bytes.len() - 8 + i);
    }
    tail.iter().position(|&b| escaped(b)).map(|i| at + i)
}

/// The offset of the first byte JSON escapes in an 8-byte `chunk`, if any.
#[inline(always)]
fn word_escape(chunk: &[u8]) -> Option<usize> {
    let x = u64::from_le_bytes(<[u8; 8]>::try_from(chunk).ok()?);
    // A byte below 0x20, or equal to `"` or `\`: the lowest flagged byte is the first
    // such byte (the borrows only flag bytes above a true one). The two characters
    // have their top bit clear, so `!x` masks for all three tests.
    let flags = (x.wrapping_sub(ONES * 0x20)
        | (x ^ (ONES * u64::from(b'"'))).wrapping_sub(ONES)
        | (x ^ (ONES * u64::from(b'\\'))).wrapping_sub(ONES))
        & !x
        & HIGH;
    (flags != 0).then(|| (flags.trailing_zeros() / 8) as usize)
}

/// `s` as a JSON string, escaped as `serde_json` escapes it.
pub(crate) fn string(out: &mut Vec<u8>, s: &str) {
    out.reserve(s.len() + 2);
    out.push(b'"');
    contents(out, s);
    out.push(b'"');
}

/// `s` escaped, without the quotes (a part of a string).
pub(crate) fn contents(out: &mut Vec<u8>, s: &str) {
    contents_of(out, s.as_bytes());
}

/// The bytes of a `str`, escaped, without the quotes (for text kept as bytes known
/// UTF-8: no check on the way).
pub(crate) fn contents_of(out: &mut Vec<u8>, s: &[u8]) {
    let mut rest = s;
    while let Some(i) = first_escape(rest) {
        let (run, tail) = rest.split_at(i);
        out.extend_from_slice(run);
        let Some((&b, tail)) = tail.split_first() else {
            break;
        };
        match b {
            b'"' => out.extend_from_slice(b"\\\""),
            b'\\' => out.extend_from_slice(b"\\\\"),
            0x08 => out.extend_from_slice(b"\\b"),
            0x0C => out.extend_from_slice(b"\\f"),
            b'\n' => out.extend_from_slice(b"\\n"),
            b'\r' => out.extend_from_slice(b"\\r"),
            b'\t' => out.extend_from_slice(b"\\t"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let hex = |n: u8| HEX.get(usize::from(n & 0xF)).copied().unwrap_or(b'0');
                out.extend_from_slice(&[b'\\', b'u', b'0', b'0', hex(b >> 4), hex(b)]);
            }
        }
        rest = tail;
    }
    out.extend_from_slice(rest);
}

/// A string known clean (a wire value of the crate's enums): written as it is. The
/// tests (debug builds) check that it is.
pub(crate) fn known(out: &mut Vec<u8>, s: &'static str) {
    debug_assert!(first_escape(s.as_bytes()).is_none(), "{s:?}");
    out.push(b'"');
    out.extend_from_slice(s.as_bytes());
    out.push(b'"');
}

/// The decimal digits of `n`, at the end of `buf`.
pub(crate) fn digits(mut n: u64, buf: &mut [u8; 20]) -> &[u8] {
    let mut at = buf.len();
    loop {
        at -= 1;
        if let Some(d) = buf.get_mut(at) {
            *d = b'0' + (n % 10) as u8;
        }
        n /= 10;
        if n == 0 {
            break;
        }
    }
    buf.get(at..).unwrap_or_default()
}

/// An unsigned integer, in decimal.
pub(crate) fn uint(out: &mut Vec<u8>, n: u64) {
    out.extend_from_slice(digits(n, &mut [0u8; 20]));
}

/// `true` or `false`.
pub(crate) fn boolean(out: &mut Vec<u8>, b: bool) {
    out.extend_from_slice(if b { b"true" } else { b"false" });
}

/// Appends `compact` (JSON as the writers above write it: no whitespace between tokens)
/// to `out`, indented as `serde_json`'s pretty printer writes the same value: two
/// spaces a level, `": "` after keys, `[]` and `{}` when empty. One pass, no parse.
pub(crate) fn pretty(compact: &[u8], out: &mut Vec<u8>) {
    fn newline(out: &mut Vec<u8>, depth: usize) {
        out.push(b'\n');
        for _ in 0..depth {
            out.extend_from_slice(b"  ");
        }
    }
    out.reserve(compact.len() + compact.len() / 2);
    let (mut depth, mut in_string, mut escape) = (0usize, false, false);
    let mut bytes = compact.iter().copied().peekable();
    while let Some(b) = bytes.next() {
        if in_string {
            out.push(b);
            match (escape, b) {
                (true, _) => escape = false,
                (false, b'\\') => escape = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                out.push(b);
            }
            b'{' | b'[' => {
                out.push(b);
                let close = if b == b'{' { b'}' } else { b']' };
                if bytes.peek() == Some(&close) {
                    bytes.next();
                    out.push(close);
                } else {
                    depth += 1;
                    newline(out, depth);
                }
            }
            b'}' | b']' => {
                depth = depth.saturating_sub(1);
                newline(out, depth);
                out.push(b);
            }
            b',' => {
                out.push(b);
                newline(out, depth);
            }
            b':' => out.extend_from_slice(b": "),
            _ => out.push(b),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `pretty` indents as serde_json's pretty printer does.
    #[test]
    fn pretty_matches_serde_json() {
        let values = [
            serde_json::json!({}),
            serde_json::json!([]),
            serde_json::json!({"a": [], "b": {}, "c": [1, {"d": "x,y:{}[]\\\"z"}], "e": null}),
            serde_json::json!([[[]], [{}], "\\", true, -1.5]),
        ];
        for v in values {
            let mut out = Vec::new();
            pretty(&serde_json::to_vec(&v).unwrap(), &mut out);
            assert_eq!(
                String::from_utf8(out).unwrap(),
                serde_json::to_string_pretty(&v).unwrap()
            );
        }
    }

    /// Strings are escaped exactly as serde_json escapes them, at every offset of a
    /// block.
    #[test]
    fn strings_match_serde_json() {
        let mut all: String = (0u8..0x80).map(char::from).collect();
        all.push_str("é镜像😀\u{7F}\u{2028}");
        let mut cases = vec![
            String::new(),
            "plain".into(),
            "\"".into(),
            "\\".into(),
            "a\"b\\c\nd\te\u{1}f\u{1f}".into(),
            all,
        ];
        for pad in 0..70 {
            for special in ["\"", "\\", "\u{0}", "\u{1f}", "\n", " ", "~", "\u{7f}"] {
                cases.push(format!(
                    "{}{special}{}",
                    "x".repeat(pad),
                    "y".repeat(pad % 5)
                ));
            }
        }
        for s in &cases {
            let mut out = Vec::new();
            string(&mut out, s);
            assert_eq!(out, serde_json::to_vec(s).unwrap(), "{s:?}");
        }
        for n in [
            0u64,
            1,
            9,
            10,
            99,
            100,
            65_535,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            let mut out = Vec::new();
            uint(&mut out, n);
            assert_eq!(out, n.to_string().into_bytes());
        }
    }
}
