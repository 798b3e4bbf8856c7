//! The update (`PATCH /v2/images/{id}`, SPEC §8) driven by a structured generator:
//! the fuzzer's bytes choose the rule set, the image, the media type and the
//! operations (`checks/update.rs`), and every answer must keep the invariants there:
//! never a panic; a refusal changes nothing and is well formed and bounded; an
//! acceptance leaves every touched key valid under create's rules; the empty patch
//! gives the image back, `updated_at` aside.
#![no_main]

#[path = "../checks/update.rs"]
mod update_check;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _accepted = update_check::check(&update_check::generate(data));
});
