//! Finding repeated strings among a few hundred without sorting or allocating: the
//! duplicate keys of an object and the repeated tags of a body.

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

#[cfg(test)]
mod tests {
    use super::*;

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
}
