//! Unit tests of the parent module (they see its private items).

use super::accept::{dedup_first_wins, dedup_sorted};
use super::*;

/// De-duplication keeps the first of each tag in order, like the plain pairwise
/// definition, for short and long tags, shared prefixes and every list size.
#[test]
fn dedup_keeps_the_first_of_each_tag_in_order() {
    let words = [
        "a",
        "b",
        "ab",
        "a",
        "abcdefgh",
        "abcdefghi",
        "abcdefghj",
        "abcdefgh",
        "abcdefghi",
        "",
        "镜像",
        "镜像",
        "abcdefghij",
        "abcdefghi",
        "t1",
        "t10",
        "t1",
        "abcdefgh\0",
    ];
    for n in 0..200 {
        let tags: Tags<'_> = (0..n)
            .map(|i| Cow::Borrowed(words[(i * 7 + i / 3) % words.len()]))
            .collect();
        let mut expected: Tags<'_> = Vec::new();
        for t in &tags {
            if !expected.contains(t) {
                expected.push(t.clone());
            }
        }
        let mut got = tags.clone();
        dedup_first_wins(&mut got);
        assert_eq!(got, expected, "{n}");
        let mut sorted = tags.clone();
        dedup_sorted(&mut sorted);
        assert_eq!(sorted, expected, "{n}");
    }
    // Keys made to collide (same first 4 bytes, same length): the text decides,
    // and past the compare budget the sort takes over with the same result.
    let colliding: Tags<'_> = (0..200)
        .map(|i| Cow::Owned(format!("same{:03}", i % 120)))
        .collect();
    let mut got = colliding.clone();
    dedup_first_wins(&mut got);
    assert_eq!(got.len(), 120);
    assert_eq!(got[119], "same119");
    let mut many: Tags<'_> = (0..600)
        .map(|i| Cow::Owned(format!("t{}", i % 150)))
        .collect();
    dedup_first_wins(&mut many);
    assert_eq!(many.len(), 150);
    assert_eq!(many[149], "t149");
}

/// The facts of a borrowed string in a body without bytes `0xF0..` (no pass) equal the
/// full pass's; a body with one gets the full pass.
#[test]
fn borrowed_facts_shortcut_agrees() {
    let rules = Rules::default();
    let st = Checker::new(&rules, 0xEF);
    for s in [
        "",
        "a",
        "test image",
        "~/x",
        "镜像\u{FFFF}",
        &"z".repeat(300),
    ] {
        assert_eq!(st.facts(&Cow::Borrowed(s)), chars::facts(s), "{s}");
    }
    let st = Checker::new(&rules, 0xF0);
    assert_eq!(
        st.facts(&Cow::Borrowed("a\u{1F600}")).four_byte,
        Some('\u{1F600}')
    );
    // Owned strings (escapes were decoded) always get the full pass.
    let st = Checker::new(&rules, b'z');
    let f = st.facts(&Cow::Owned("a\0\u{1F600}".to_owned()));
    assert!(f.nul);
    assert_eq!(f.four_byte, Some('\u{1F600}'));
}

/// The inline fast paths write the pointers the general builder writes.
#[test]
fn fast_pointers_are_the_built_ones() {
    for i in [
        0,
        1,
        9,
        10,
        99,
        127,
        57_339,
        10_usize.pow(15),
        10_usize.pow(16),
        usize::MAX,
    ] {
        let mut p = ShortBuf::default();
        p.push_str("/tags");
        push_pointer_index(&mut p, i);
        assert_eq!(tag_pointer(i).as_str(), p.finish().as_str(), "{i}");
    }
    for key in [
        "",
        "a",
        "status",
        "a/b",
        "~",
        "x".repeat(20).as_str(),
        &"y".repeat(21),
        &"z".repeat(300),
        "镜像",
    ] {
        let mut p = ShortBuf::default();
        crate::findings::push_key_token(&mut p, key);
        assert_eq!(key_pointer(key).as_str(), p.finish().as_str(), "{key}");
    }
}
