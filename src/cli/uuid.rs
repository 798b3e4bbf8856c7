//! A random version-4 UUID for the binary and the examples, from the std hasher's
//! per-process random keys (they take no dependency for randomness; the library
//! draws none). Not a module of the library: `cli/` and the axum member's reference server
//! include it by path.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};

/// A random version-4 UUID, lower-case hex.
pub fn random_v4() -> String {
    let word = || {
        let mut h = RandomState::new().build_hasher();
        h.write_u64(0x696d_735f_696d_6167);
        h.finish()
    };
    let mut b = [0u8; 16];
    b[..8].copy_from_slice(&word().to_le_bytes());
    b[8..].copy_from_slice(&word().to_le_bytes());
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    let h: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &h[..8],
        &h[8..12],
        &h[12..16],
        &h[16..20],
        &h[20..]
    )
}
