//! The near-miss check of a top-level key: its folded form (lower case, no `-` or
//! `_`) against the documented fields' and the derived keys', then a bounded edit
//! distance (the catalog's) for the fields.

use super::Field;
use crate::catalog::near::distance_within;

/// The longest key worth folding for a near miss: every target folds to at most 16
/// bytes, and a near miss differs by case, separators or two edits.
const NEAR_MISS_MAX: usize = 40;

/// What [`fold`] makes of each ASCII byte: itself in lower case, or 0 for `-` and `_`
/// (dropped).
const FOLD: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut b = 0;
    while b < 128 {
        t[b] = match b as u8 {
            b'-' | b'_' => 0,
            c => c.to_ascii_lowercase(),
        };
        b += 1;
    }
    t
};

/// `key` in lower case without `-` and `_` (`container-format`, `containerFormat`,
/// `__container_format` all fold to `containerformat`) into `buf`; `None` when it is
/// not ASCII, too long to be a near miss, or has more than two bytes that no target
/// has (digits, say: then it is neither equal to a target nor two edits from one, and
/// most generated keys stop here, after a few bytes).
fn fold<'b>(key: &str, buf: &'b mut [u8; NEAR_MISS_MAX]) -> Option<&'b [u8]> {
    if key.len() > NEAR_MISS_MAX {
        return None;
    }
    // Every target byte is a letter: more than two bytes that are neither letters nor
    // separators settle it, in a pass without branches over a fixed 48 bytes (the key,
    // then letters), which compiles to three vector steps and no byte loop.
    let mut padded = [b'a'; 48];
    if let Some(head) = padded.get_mut(..key.len()) {
        head.copy_from_slice(key.as_bytes());
    }
    let others = padded.iter().fold(0u8, |n, &b| {
        let letter = (b | 0x20).wrapping_sub(b'a') < 26;
        n + u8::from(!letter && b != b'-' && b != b'_')
    });
    if others > 2 {
        return None;
    }
    let (mut n, mut strange) = (0, 0u8);
    for &b in key.as_bytes() {
        let c = *FOLD.get(usize::from(b))?;
        if c != 0 {
            strange += u8::from(TARGET_BYTES & (1u128 << (c & 127)) == 0);
            if strange > 2 {
                return None;
            }
            *buf.get_mut(n)? = c;
            n += 1;
        }
    }
    buf.get(..n)
}

/// The set of a folded key's bytes (all ASCII), a bit each.
const fn mask(b: &[u8]) -> u128 {
    let mut m = 0u128;
    let mut i = 0;
    while i < b.len() {
        m |= 1u128 << (b[i] & 127);
        i += 1;
    }
    m
}

/// The longest folded target: the longest key of the field table (folding only
/// drops bytes), so a new field of any length is a target with no line here.
const FOLDED_MAX: usize = {
    let (mut max, mut i) = (0, 0);
    while i < Field::COUNT {
        if Field::KEYS[i].len() > max {
            max = Field::KEYS[i].len();
        }
        i += 1;
    }
    max
};

/// `key` folded at build time (as [`fold`] does at run time): its bytes and length.
const fn fold_const(key: &str) -> ([u8; FOLDED_MAX], usize) {
    let (b, mut out, mut n, mut i) = (key.as_bytes(), [0u8; FOLDED_MAX], 0, 0);
    while i < b.len() {
        let c = FOLD[(b[i] & 127) as usize];
        if c != 0 {
            out[n] = c;
            n += 1;
        }
        i += 1;
    }
    (out, n)
}

/// The fields' keys folded, in the table's order: generated from the field table, so
/// a new field is a near-miss target with no line here.
const FIELDS_FOLDED: [([u8; FOLDED_MAX], usize); Field::COUNT] = {
    let mut out = [([0u8; FOLDED_MAX], 0); Field::COUNT];
    let mut i = 0;
    while i < Field::COUNT {
        out[i] = fold_const(Field::KEYS[i]);
        i += 1;
    }
    out
};

/// The keys the service derives from `__os_version` (read-only), which a near miss
/// may also have meant.
const DERIVED: [&str; 3] = ["__os_type", "__platform", "__os_bit"];

/// [`DERIVED`] folded.
const DERIVED_FOLDED: [([u8; FOLDED_MAX], usize); 3] = [
    fold_const(DERIVED[0]),
    fold_const(DERIVED[1]),
    fold_const(DERIVED[2]),
];

/// The keys a near miss may have meant, with their folded forms: the fields (false)
/// and the derived keys (true).
fn targets() -> impl Iterator<Item = (&'static str, bool, &'static [u8])> {
    let fields = Field::KEYS.iter().zip(FIELDS_FOLDED.iter());
    let derived = DERIVED.iter().zip(DERIVED_FOLDED.iter());
    let f = |d: bool| {
        move |(k, (b, n)): (&&'static str, &'static ([u8; FOLDED_MAX], usize))| (*k, d, &b[..*n])
    };
    fields.map(f(false)).chain(derived.map(f(true)))
}

/// Every byte some target has.
const TARGET_BYTES: u128 = {
    let mut m = 0u128;
    let mut i = 0;
    while i < Field::COUNT {
        m |= mask(FIELDS_FOLDED[i].0.split_at(FIELDS_FOLDED[i].1).0);
        i += 1;
    }
    let mut j = 0;
    while j < DERIVED.len() {
        m |= mask(DERIVED_FOLDED[j].0.split_at(DERIVED_FOLDED[j].1).0);
        j += 1;
    }
    m
};

/// The field (or derived key, `true`) a custom key is one typo away from: equal after
/// folding case, `-`/`_` and camelCase (so `__` prefixes too), or within edit distance 2
/// of a field's folded key for keys of 6 chars or more.
pub(crate) fn near_miss(key: &str) -> Option<(&'static str, bool)> {
    let mut buf = [0u8; NEAR_MISS_MAX];
    let folded = fold(key, &mut buf)?;
    if folded.is_empty() {
        return None;
    }
    if let Some((k, d, _)) = targets().find(|(_, _, f)| *f == folded) {
        return Some((k, d));
    }
    if key.len() < 6 {
        return None;
    }
    let mut band = Vec::new();
    targets()
        .filter(|(_, derived, f)| !derived && f.len().abs_diff(folded.len()) <= 2)
        .filter_map(|(k, _, f)| distance_within(folded, f, 2, &mut band).map(|d| (d, k)))
        .min_by_key(|(d, _)| *d)
        .map(|(_, k)| (k, false))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::keys::READ_ONLY;

    #[test]
    fn near_miss_targets_are_the_fields_and_their_folded_forms() {
        let fields: Vec<&str> = targets().filter(|t| !t.1).map(|t| t.0).collect();
        assert_eq!(fields, Field::KEYS);
        for (key, derived, folded) in targets() {
            // `fold`'s first pass counts on it.
            assert!(folded.iter().all(u8::is_ascii_lowercase), "{key}");
            assert!(folded.len() <= FOLDED_MAX, "{key}");
            let mut buf = [0u8; NEAR_MISS_MAX];
            assert_eq!(fold(key, &mut buf), Some(folded), "{key}");
            assert!(!derived || READ_ONLY.contains(&key), "{key}");
        }
    }

    #[test]
    fn near_misses_of_fields_and_derived_keys() {
        for (key, meant) in [
            ("container-format", "container_format"),
            ("os_version", "__os_version"),
            ("minDisk", "min_disk"),
            ("description", "__description"),
            ("Tags", "tags"),
            ("contaner_format", "container_format"),
            ("disk_formt", "disk_format"),
            ("MIN-RAM", "min_ram"),
            ("Visiblity", "visibility"),
        ] {
            assert_eq!(near_miss(key), Some((meant, false)), "{key}");
        }
        for (key, meant) in [
            ("os_type", "__os_type"),
            ("platform", "__platform"),
            ("OsBit", "__os_bit"),
        ] {
            assert_eq!(near_miss(key), Some((meant, true)), "{key}");
        }
        for key in [
            "aaaa",
            "tag",
            "owner_team",
            "x",
            "",
            "镜像",
            "os",
            "k".repeat(300).as_str(),
            "nam",
            "ids",
            "imagename",
        ] {
            assert_eq!(near_miss(key), None, "{key}");
        }
        let two = |a: &[u8], b: &[u8]| distance_within(a, b, 2, &mut Vec::new());
        assert_eq!(two(b"kitten", b"sitting"), None);
        assert_eq!(two(b"abc", b"abd"), Some(1));
        assert_eq!(two(b"", b"ab"), Some(2));
        assert_eq!(two(b"abcdef", b"abcdef"), Some(0));
        assert_eq!(two(b"abcdef", b"badcfe"), None);
        assert_eq!(two(b"containerformat", b"contanerformt"), Some(2));
    }
}
