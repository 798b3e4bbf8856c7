//! Raw bytes as a patch document (`PATCH /v2/images/{id}`, SPEC §8): byte 0 picks the
//! media type, byte 1 one of the fixed images and rule sets (built once), the rest is
//! the patch as sent. The invariants are in `checks/patch.rs`: never a panic, a
//! refusal's status of §8, pointers into the patch, a bounded report, an acceptance
//! that create's rules accept key by key, the two paths (`answer_patch`, `patch`)
//! agreeing, and allocations linear in the input (counted by the global allocator).
#![no_main]

#[path = "../../tests/common/counting.rs"]
mod counting;
#[path = "../checks/patch.rs"]
mod patch_check;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let _accepted = patch_check::check(data);
});
