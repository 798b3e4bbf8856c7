//! Replays the committed fuzz seed corpus and every regression input through the same
//! invariants as the `validate_bytes` fuzz target (`fuzz/checks/bytes.rs`), on stable,
//! as part of `cargo test`.

#[path = "../fuzz/checks/bytes.rs"]
mod bytes;
#[path = "../fuzz/checks/shared.rs"]
mod shared;

use std::path::Path;

fn replay(dir: &Path) -> usize {
    let mut n = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file() && !p.file_name().unwrap().to_string_lossy().starts_with('.'))
        .collect();
    entries.sort();
    for path in entries {
        let data = std::fs::read(&path).unwrap();
        let outcome = std::panic::catch_unwind(|| bytes::check(&data));
        assert!(outcome.is_ok(), "{} breaks an invariant", path.display());
        n += 1;
    }
    n
}

#[test]
fn seed_corpus_keeps_the_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = replay(&root.join("fuzz/corpus/validate_bytes"));
    assert!(n >= 50, "only {n} seeds");
}

#[test]
fn regression_inputs_keep_the_invariants() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let n = replay(&root.join("fuzz/regressions"));
    assert!(n >= 1, "no regression inputs");
}
