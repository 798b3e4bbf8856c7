//! The `update` fuzz target's invariants (`fuzz/checks/update.rs`) on stable, as part
//! of `cargo test`: its committed seed corpus, and a deterministic sweep of 2,000
//! generated inputs.

#[path = "../fuzz/checks/update.rs"]
mod update_check;

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
