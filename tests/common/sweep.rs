//! The long sweeps (thousands of kit cases per profile, callgrind runs, big
//! differential loops) run when `IMS_LONG_TESTS=1` (CI sets it: `.ci/run`); otherwise
//! each runs a smaller sample, each case checked exactly as in the long sweep, and says
//! so on stderr. Written to the stderr handle, not with `eprintln!`, which the test
//! harness captures: the line shows in a plain `cargo test`'s output, so that nothing
//! is skipped silently. Included with `#[path]` by the test binaries that use it:
//!
//! ```ignore
//! #[path = "common/sweep.rs"]
//! mod sweep;
//! ```

use std::io::Write;
use std::sync::Mutex;

/// The notes written so far (each once per test binary).
static SAID: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// The environment variable that turns the long sweeps on.
pub const VAR: &str = "IMS_LONG_TESTS";

/// Whether the long sweeps run (`IMS_LONG_TESTS=1`).
pub fn long() -> bool {
    std::env::var_os(VAR).is_some_and(|v| v == "1")
}

/// `long` under `IMS_LONG_TESTS=1`, else `quick`, saying on stderr what `test`
/// skipped (`what`: the sweep's size in words, "2,000 kit cases per profile"), once
/// per test binary.
pub fn size<T>(test: &str, what: &str, quick: T, long_value: T) -> T {
    if long() {
        return long_value;
    }
    let line = format!(
        "note: {test}: a quick sample, not the long sweep ({what}); run it with {VAR}=1 cargo test\n"
    );
    let mut said = SAID
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !said.contains(&line) {
        let _ = std::io::stderr().write_all(line.as_bytes());
        said.push(line);
    }
    quick
}
