//! The spelling of a top-level member's value, for the few numbers whose value alone
//! cannot say whether they were written as integers: serde_json reads `-0`, and integer
//! tokens beyond 64 bits, as floats, like `-0.0`, `1e19` or `9.3e18`. Only a body
//! that serde_json accepted is read here, once, and only when such a number met an
//! integer field: a rare path, linear in the body.

/// The text of the value of the first member of the top-level object whose key is
/// `key` (after unescaping), in `text`, which is valid JSON.
pub(crate) fn first_member_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    let b = text.as_bytes();
    let mut i = ws(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i += 1;
    loop {
        i = ws(b, i);
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let key_end = string_end(b, i)?;
        let raw = text.get(i..key_end)?;
        let same = if raw.contains('\\') {
            serde_json::from_str::<String>(raw).ok().as_deref() == Some(key)
        } else {
            raw.get(1..raw.len() - 1) == Some(key)
        };
        i = ws(b, key_end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        i = ws(b, i + 1);
        let value_end = value_end(b, i)?;
        if same {
            return text.get(i..value_end);
        }
        i = ws(b, value_end);
        if b.get(i) != Some(&b',') {
            return None;
        }
        i += 1;
    }
}

/// The values of one member of the elements of a top-level array, found in
/// increasing element order with one pass over the text however many are asked for
/// (an update's `value` members: `/i/value`).
pub(crate) struct ElementMembers<'t> {
    text: &'t str,
    /// Where the next element starts (after its whitespace), once inside the array.
    pos: Option<usize>,
    /// The index of the element at `pos`.
    next: usize,
}

impl<'t> ElementMembers<'t> {
    /// The elements of the array `text` (valid JSON).
    pub(crate) fn new(text: &'t str) -> Self {
        let b = text.as_bytes();
        let i = ws(b, 0);
        let pos = (b.get(i) == Some(&b'[')).then(|| ws(b, i + 1));
        ElementMembers { text, pos, next: 0 }
    }

    /// The text of the value of member `key` of element `index` (an object), if any.
    /// `index` must not be below the last one asked for (else `None`).
    pub(crate) fn value(&mut self, index: usize, key: &str) -> Option<&'t str> {
        if index < self.next {
            return None;
        }
        let b = self.text.as_bytes();
        loop {
            let start = self.pos?;
            if matches!(b.get(start), None | Some(b']')) {
                self.pos = None;
                return None;
            }
            let end = value_end(b, start)?;
            let after = ws(b, end);
            self.pos = if b.get(after) == Some(&b',') {
                Some(ws(b, after + 1))
            } else {
                None
            };
            let this = self.next;
            self.next += 1;
            if this == index {
                return first_member_value(self.text.get(start..end)?, key);
            }
        }
    }
}

fn ws(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// The index just past the string that starts (with its quote) at `i`.
fn string_end(b: &[u8], i: usize) -> Option<usize> {
    let mut j = i + 1;
    loop {
        match b.get(j)? {
            b'"' => return Some(j + 1),
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
}

/// The index just past the value that starts at `i`.
fn value_end(b: &[u8], i: usize) -> Option<usize> {
    match b.get(i)? {
        b'"' => string_end(b, i),
        b'{' | b'[' => {
            let mut depth = 0usize;
            let mut j = i;
            loop {
                match b.get(j)? {
                    b'"' => {
                        j = string_end(b, j)?;
                        continue;
                    }
                    b'{' | b'[' => depth += 1,
                    b'}' | b']' => {
                        depth -= 1;
                        if depth == 0 {
                            return Some(j + 1);
                        }
                    }
                    _ => {}
                }
                j += 1;
            }
        }
        _ => {
            let mut j = i;
            while !matches!(
                b.get(j),
                None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')
            ) {
                j += 1;
            }
            Some(j)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::is_integer_token;

    #[test]
    fn finds_the_first_member_by_its_unescaped_key() {
        let text = r#" { "a" : [1, {"min_disk": 2}, "]"], "s": "x\"y", "min\u005fdisk":-0 , "min_disk": 1e3 }"#;
        assert_eq!(first_member_value(text, "min_disk"), Some("-0"));
        assert_eq!(
            first_member_value(text, "a"),
            Some(r#"[1, {"min_disk": 2}, "]"]"#)
        );
        assert_eq!(first_member_value(text, "s"), Some(r#""x\"y""#));
        assert_eq!(first_member_value(text, "nope"), None);
        assert_eq!(first_member_value("[]", "a"), None);
        assert_eq!(first_member_value("{}", "a"), None);
        assert!(is_integer_token("-0") && is_integer_token("18446744073709551616"));
        assert!(
            !is_integer_token("-0.0") && !is_integer_token("1e19") && !is_integer_token("9.3E18")
        );
    }
}
