//! The `ims-image-meta` binary, run as a user runs it: shared by the CLI suites.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// The binary cargo built for the integration tests.
pub const BIN: &str = env!("CARGO_BIN_EXE_ims-image-meta");

/// Runs the binary with `args`, `stdin` on its standard input.
pub fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    // A child that refuses its flags exits without reading: a broken pipe is fine.
    let _ = input.write_all(stdin);
    drop(input);
    child.wait_with_output().unwrap()
}

/// Standard output as JSON, or a panic that shows both streams.
pub fn stdout_json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "stdout is not JSON ({e}): {}\nstderr: {}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        )
    })
}
