//! Raw bytes into `validate`; the invariants are in `checks/bytes.rs`.
#![no_main]

#[path = "../checks/bytes.rs"]
mod bytes;
#[path = "../checks/shared.rs"]
mod shared;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bytes::check(data));
