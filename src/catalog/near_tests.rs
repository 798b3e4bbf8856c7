//! The tests of the suggestions' distances, bounds and shortcuts (`near.rs`).

use super::*;

/// Levenshtein distance over chars, with a cap: any distance above `cap` is `cap + 1`.
/// The plain definition ([`distance_within`]), which the tests hold the bit-parallel
/// one and the suggestions to.
pub(crate) fn edit_distance(a: &str, b: &str, cap: usize) -> usize {
    distance_within(&chars(a), &chars(b), cap, &mut Vec::new()).unwrap_or(cap + 1)
}

/// A xorshift64 PRNG from `seed`: each call gives a number below its argument.
fn below(mut seed: u64) -> impl FnMut(u64) -> u64 {
    move |n| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    }
}

#[test]
fn edit_distance_is_capped() {
    assert_eq!(edit_distance("kitten", "sitting", 10), 3);
    assert_eq!(edit_distance("", "abc", 10), 3);
    assert_eq!(edit_distance("abc", "abc", 0), 0);
    assert_eq!(edit_distance("kitten", "sitting", 2), 3);
    assert_eq!(edit_distance("a", "abcdefgh", 2), 3);
}

fn chars(s: &str) -> Vec<char> {
    s.chars().collect()
}

/// The words the bit-parallel distance is held to the full one on: short and empty ones,
/// CJK, the 64-char limit of the bit-parallel one, and pairs that share a prefix
/// and a suffix around one or two differing chars (the ASCII shortcut's cases).
fn words() -> Vec<String> {
    let mut words: Vec<String> = [
        "",
        "a",
        "ab",
        "ba",
        "abc",
        "kitten",
        "sitting",
        "ubuntu 14.04",
        "ubuntu 16.04",
        "镜像",
        "镜像x",
        "x镜像镜",
        "aaaaaaaaaa",
        "bbbbbbbbbb",
        "abcdefghij",
        "jihgfedcba",
        "abcdXfghij",
        "abcdXYghij",
        "abcdghij",
        "ubuntu 14.04 server 64 bit",
        "ubuntu 14.04 server 64bit",
        "ubuntu 16.04 server 64bit",
        "centos 7.2 64bit",
    ]
    .map(String::from)
    .to_vec();
    words.push("x".repeat(64));
    words
}

/// The bit-parallel distance agrees with the full one, ASCII or not.
#[test]
fn bit_parallel_distance_agrees_with_the_full_one() {
    let words = words();
    for a in &words {
        let bits = Bits::new(a, a.chars().count()).unwrap();
        for b in &words {
            for t in [0, 1, 2, 3, 6, 10, 70] {
                let full = edit_distance(a, b, t);
                let fast = bits.distance_within(b, b.chars().count(), t);
                assert_eq!(fast, (full <= t).then_some(full), "{a:?} {b:?} {t}");
            }
        }
    }
    let long = "x".repeat(65);
    assert!(Bits::new(&long, 65).is_none());
}

/// The bit-parallel distance agrees with the full one on random pairs over a small
/// alphabet (so that near pairs are common), ASCII and not, at every bound up to 12.
#[test]
fn bit_parallel_distance_agrees_on_random_pairs() {
    let mut next = below(0x9E37_79B9_7F4A_7C15u64);
    fn word(next: &mut impl FnMut(u64) -> u64, alphabet: &[char; 5], len: u64) -> String {
        let n = next(len);
        (0..n).map(|_| alphabet[next(5) as usize]).collect()
    }
    let alphabet = ['a', 'b', 'c', '_', '镜'];
    for _ in 0..4000 {
        let a = word(&mut next, &alphabet, 12);
        let b = if next(2) == 0 {
            word(&mut next, &alphabet, 12)
        } else {
            // A near pair: `a` with a few edits.
            let mut v: Vec<char> = a.chars().collect();
            for _ in 0..next(4) {
                let at = next(v.len() as u64 + 1) as usize;
                match next(3) {
                    0 if at < v.len() => {
                        v.remove(at);
                    }
                    1 => v.insert(at, alphabet[next(5) as usize]),
                    _ if at < v.len() => v[at] = alphabet[next(5) as usize],
                    _ => {}
                }
            }
            v.into_iter().collect()
        };
        let bits = Bits::new(&a, a.chars().count()).unwrap();
        for t in 0..12 {
            let full = edit_distance(&a, &b, t);
            let fast = bits.distance_within(&b, b.chars().count(), t);
            assert_eq!(fast, (full <= t).then_some(full), "{a:?} {b:?} {t}");
        }
    }
}

/// The word-wise common prefix and suffix are the byte-wise ones.
#[test]
fn common_ends_agree_with_the_plain_count() {
    let mut next = below(0x853C_49E6_748F_EA9Bu64);
    for _ in 0..5000 {
        let len = next(40) as usize;
        let a: Vec<u8> = (0..len).map(|_| b"ab"[next(2) as usize]).collect();
        let mut b = a.clone();
        // A few changes, a cut or a longer tail.
        for _ in 0..next(3) {
            if !b.is_empty() {
                let at = next(b.len() as u64) as usize;
                b[at] = b'c';
            }
        }
        b.truncate(next(45) as usize);
        if next(3) == 0 {
            b.extend_from_slice(b"abba");
        }
        let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let suf = a
            .iter()
            .rev()
            .zip(b.iter().rev())
            .take_while(|(x, y)| x == y)
            .count();
        assert_eq!(common_prefix(&a, &b), pre, "{a:?} {b:?}");
        assert_eq!(common_suffix(&a, &b), suf, "{a:?} {b:?}");
    }
}

/// The ASCII shortcut of `squash` is the char-by-char definition.
#[test]
fn ascii_squash_agrees() {
    let all: String = (0u8..0x80).map(char::from).collect();
    for s in [
        all.as_str(),
        "Ubuntu 14.04 Server\t64 BIT",
        "",
        " \u{b}\u{c}\r\n",
    ] {
        let plain: String = s
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        assert_eq!(squash(s), plain, "{s:?}");
    }
}

/// The histogram bound never exceeds the distance.
#[test]
fn the_histogram_bound_is_a_lower_bound() {
    let (a255, a300) = ("a".repeat(255), "a".repeat(300));
    let words = [
        "",
        "ubuntu 14.04 server 64bit",
        "ubuntu 14.04 server 64 bit",
        "centos 7.2 64bit",
        "windows server 2012 r2 standard 64bit",
        "other(32 bit)",
        "镜像 1.0",
        "0123456789",
        &a255,
        &a300,
    ];
    for a in words.iter().filter(|a| a.chars().count() <= 255) {
        for b in words {
            let (ha, hb) = (hist(a.chars()), hist(b.chars()));
            let bound = lower_bound(&ha, &hb, a.chars().count(), b.chars().count());
            assert!(bound <= edit_distance(a, b, 400), "{a:?} {b:?}");
        }
    }
    // A saturated row count is still exact against a query's count.
    let bound = lower_bound(&hist(a255.chars()), &hist(a300.chars()), 255, 300);
    assert_eq!(bound, 45);
}
