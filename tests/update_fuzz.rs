//! The update fuzz targets' invariants on stable, as part of `cargo test`: `update`'s
//! (`fuzz/checks/update.rs`) on its committed seed corpus and a deterministic sweep of
//! 2,000 generated inputs; `patch_bytes`' (`fuzz/checks/patch.rs`, allocations counted
//! by the global allocator as in the target) on its committed seed corpus.

#[path = "common/counting.rs"]
mod counting;
#[path = "../fuzz/checks/patch.rs"]
mod patch_check;
#[path = "../fuzz/checks/update.rs"]
mod update_check;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

use std::path::Path;

#[test]
fn update_seed_corpus_keeps_the_invariants() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/update");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let data = std::fs::read(&path).unwrap();
        let ok = std::panic::catch_unwind(|| update_check::check(&update_check::generate(&data)));
        assert!(ok.is_ok(), "{} breaks an invariant", path.display());
        n += 1;
    }
    assert!(n >= 30, "only {n} seeds");
}

#[test]
fn a_sweep_of_generated_patches_keeps_the_invariants() {
    // xorshift64: deterministic, no dependency.
    let mut state = 0x2300_2300_2300_2301u64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut accepted = 0;
    for i in 0..2000 {
        let len = (next() % 160) as usize;
        let data: Vec<u8> = (0..len).map(|_| next() as u8).collect();
        let ok = std::panic::catch_unwind(|| update_check::check(&update_check::generate(&data)));
        match ok {
            Ok(a) => accepted += usize::from(a),
            Err(_) => panic!("input {i} breaks an invariant: {data:?}"),
        }
    }
    // Both verdicts are exercised.
    eprintln!("{accepted} of 2000 accepted");
    assert!(
        (100..1900).contains(&accepted),
        "{accepted} of 2000 accepted"
    );
}

/// Replays every file of `dir` (under `fuzz/`) through `patch_bytes`' invariants;
/// the files and how many were accepted.
fn replay_patches(dir: &str) -> (usize, usize) {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz").join(dir);
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    let mut accepted = 0;
    for path in &entries {
        let data = std::fs::read(path).unwrap();
        match std::panic::catch_unwind(|| patch_check::check(&data)) {
            Ok(a) => accepted += usize::from(a == Some(true)),
            Err(_) => panic!("{} breaks an invariant", path.display()),
        }
    }
    (entries.len(), accepted)
}

#[test]
fn patch_bytes_seed_corpus_keeps_the_invariants() {
    let (n, accepted) = replay_patches("corpus/patch_bytes");
    assert!(n >= 100, "only {n} seeds");
    // Both verdicts are exercised.
    assert!(
        (10..n - 10).contains(&accepted),
        "{accepted} of {n} accepted"
    );
}

#[test]
fn patch_bytes_regressions_keep_the_invariants() {
    // Inputs that once broke an invariant (of the harness, so far).
    let (n, _) = replay_patches("regressions/patch_bytes");
    assert!(n >= 1, "no regression inputs");
}

#[test]
fn patch_bytes_bombs_at_the_cap_keep_the_invariants() {
    // Linear allocations at the cap: 7,167 removes of one missing key, 2,606
    // accepted renames, 2,730 distinct new keys.
    let (n, accepted) = replay_patches("bombs/patch_bytes");
    assert!(n >= 3, "only {n} bombs");
    assert!(accepted >= 1, "no bomb accepted");
}

#[test]
fn patch_bytes_checks_can_fail() {
    // A fixture's cost is counted: the allocator is installed here.
    assert!(patch_check::FIXTURES.iter().all(|f| f.base.0 > 0));
    let input = |m, i, r, body: &[u8]| [&patch_check::prefix(m, i, r)[..], body].concat();
    let conflict = input(0, 0, 0, br#"[{"op":"replace","path":"/nope","value":"x"}]"#);
    assert_eq!(patch_check::check(&conflict), Some(false));
    let rename = input(1, 2, 0, br#"[{"replace":"/name","value":"x"}]"#);
    assert_eq!(patch_check::check(&rename), Some(true));
    assert_eq!(patch_check::check(&[0]), None);
}
