//! The core as a WebAssembly module: a small C ABI, bytes in and JSON out, with
//! explicit allocation. `js/index.js` is the only intended caller.
//!
//! Calls:
//!
//! - `ims_alloc(len) -> ptr` and `ims_free(ptr, len)`: the caller copies its inputs
//!   into memory it allocated here, and frees them afterwards.
//! - `ims_validate(body, body_len, options, options_len) -> out`,
//!   `ims_derive(...)` (same arguments), `ims_request_schema(options, options_len)` and
//!   `ims_record_schema()` return an *answer*: a pointer to a little-endian `u32`
//!   length followed by that many bytes of UTF-8 JSON (see
//!   `ims_image_meta_adapter::wire` for the shapes). The caller frees it with
//!   `ims_free(out, 4 + length)`.
//!
//! Every rule and every option lives in the core and in the adapter: this file only
//! moves bytes. `unsafe` appears only where the FFI needs it (raw memory handed across
//! the module boundary), every use with its reason.

#![deny(unsafe_op_in_unsafe_fn)]

use std::alloc::{alloc, dealloc, Layout};

use ims_image_meta_adapter::wire;

fn layout(len: usize) -> Option<Layout> {
    Layout::from_size_align(len.max(1), 1).ok()
}

/// Allocates `len` bytes (at least one) for the caller; null if that is impossible.
#[no_mangle]
pub extern "C" fn ims_alloc(len: usize) -> *mut u8 {
    match layout(len) {
        // SAFETY: FFI allocation for the host; the layout has a non-zero size.
        Some(l) => unsafe { alloc(l) },
        None => std::ptr::null_mut(),
    }
}

/// Frees `len` bytes at `ptr`, as returned by [`ims_alloc`] or as an answer.
///
/// # Safety
///
/// `ptr` must come from [`ims_alloc`] with this `len`, or be an answer with
/// `len = 4 + its length`, and not be freed twice.
#[no_mangle]
pub unsafe extern "C" fn ims_free(ptr: *mut u8, len: usize) {
    if let (false, Some(l)) = (ptr.is_null(), layout(len)) {
        // SAFETY: FFI: the caller hands back memory allocated here with this size.
        unsafe { dealloc(ptr, l) }
    }
}

/// The bytes the host passed in.
///
/// # Safety
///
/// `ptr` must point at `len` initialized bytes that stay untouched during the call
/// (or `len` be 0).
unsafe fn input<'a>(ptr: *const u8, len: usize) -> &'a [u8] {
    if ptr.is_null() || len == 0 {
        &[]
    } else {
        // SAFETY: FFI: the host copied `len` bytes at `ptr` (the contract above).
        unsafe { std::slice::from_raw_parts(ptr, len) }
    }
}

/// Writes an answer: a u32 length, then the JSON text.
fn answer(text: &str) -> *mut u8 {
    let Ok(len) = u32::try_from(text.len()) else {
        return std::ptr::null_mut();
    };
    let out = ims_alloc(4 + text.len());
    if !out.is_null() {
        // SAFETY: FFI: `out` was just allocated with room for 4 + len bytes.
        unsafe {
            std::ptr::copy_nonoverlapping(len.to_le_bytes().as_ptr(), out, 4);
            std::ptr::copy_nonoverlapping(text.as_ptr(), out.add(4), text.len());
        }
    }
    out
}

/// Validates a body: see `wire::validate`.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_validate(
    body: *const u8,
    body_len: usize,
    options: *const u8,
    options_len: usize,
) -> *mut u8 {
    // SAFETY: FFI inputs, per this function's contract.
    let (body, options) = unsafe { (input(body, body_len), input(options, options_len)) };
    answer(&wire::validate(body, options))
}

/// Validates a body and derives its record: see `wire::derive`.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_derive(
    body: *const u8,
    body_len: usize,
    options: *const u8,
    options_len: usize,
) -> *mut u8 {
    // SAFETY: FFI inputs, per this function's contract.
    let (body, options) = unsafe { (input(body, body_len), input(options, options_len)) };
    answer(&wire::derive(body, options))
}

/// The request schema under the options: see `wire::request_schema`.
///
/// # Safety
///
/// `options` must point at `options_len` initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_request_schema(options: *const u8, options_len: usize) -> *mut u8 {
    // SAFETY: FFI input, per this function's contract.
    let options = unsafe { input(options, options_len) };
    answer(&wire::request_schema(options))
}

/// The record schema: see `wire::record_schema`.
#[no_mangle]
pub extern "C" fn ims_record_schema() -> *mut u8 {
    answer(&wire::record_schema())
}
