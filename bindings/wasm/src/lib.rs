//! The core as a WebAssembly module: a small C ABI with explicit allocation, for the
//! hand-written ES module in `js/`, its only intended caller.
//!
//! A call's verdict crosses as one number; everything else is rendered only when the
//! caller asks for it:
//!
//! - `ims_alloc(len) -> ptr` and `ims_free(ptr, len)`: memory for the caller's inputs
//!   (the JS side keeps one scratch buffer and copies each body into it once).
//! - `ims_validator_new(options, options_len) -> handle`: options (JSON, see
//!   `ims_image_meta_adapter::wire::options`) compiled once; `0` when refused, with
//!   `{"error": {"kind", "message"}}` in the output buffer. `ims_validator_free(handle)`.
//! - `ims_validate(handle, body, body_len) -> verdict` and `ims_derive(handle, body,
//!   body_len, image_id, image_id_len, owner, owner_len, now)`: the verdict is
//!   `status | count << 16`: 201 and the number of warnings, or 400/403/413 and the
//!   number of violations kept. `0` for a bad handle or (derive) a refused context,
//!   with the error in the output buffer. Nothing is rendered, but for an accepted
//!   derive the record (and its warnings), the answer itself.
//! - `ims_last() -> number` and `ims_render_kept(number, handle, part) -> length`: the
//!   last rejection's report, and the last accepted validation's outcome (owning its
//!   strings), are kept (moved, not copied) until the next of their kind, so that
//!   reading a result's field right after its call renders that part alone (`part` 0:
//!   the request and warnings; 1: the Glance report; 2: the problem document) without
//!   validating again; 0 when it is no longer kept (the caller validates again).
//! - `ims_violation(number, handle, index, part) -> length + 1` and
//!   `ims_request_field(number, handle, key, key_len) -> length + 2` (1: no such
//!   field): one field alone of a kept result - a violation's pointer, code, message
//!   or IMS code; the JSON of one field of the accepted request - so that reading one
//!   field renders that field only; 0 likewise when it is no longer kept.
//! - `ims_answer(...)`, same arguments as `ims_derive`: the core's one road, the
//!   answer's bytes (the record, or the report in the validator's format and locale)
//!   into the output buffer, `status | problem << 16` returned (`problem`: the media
//!   type is `application/problem+json`).
//! - `ims_request_schema(handle)`, `ims_record_schema()`: JSON into the output buffer,
//!   its length returned. `ims_out() -> ptr` and `ims_out_len()`: where the output
//!   buffer is and how long (valid until the next call).
//!
//! Every rule and every option lives in the core and in the adapter: this file only
//! moves bytes. `unsafe` appears only where the FFI needs it (raw memory handed across
//! the module boundary), every use with its reason.

#![deny(unsafe_op_in_unsafe_fn)]

use std::alloc::{alloc, dealloc, Layout};
use std::cell::RefCell;

use ims_image_meta::report::{Format, Style};
use ims_image_meta::{Report, Validated};
use ims_image_meta_adapter::{context, wire, OptionsError, Update, Validator};

mod pick;

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

/// Frees `len` bytes at `ptr`, as returned by [`ims_alloc`].
///
/// # Safety
///
/// `ptr` must come from [`ims_alloc`] with this `len`, and not be freed twice.
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

thread_local! {
    /// The compiled validators, by handle - 1 (`None` once freed).
    static VALIDATORS: RefCell<Vec<Option<Validator>>> = const { RefCell::new(Vec::new()) };
    /// The output buffer: the last rendering.
    static OUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
    /// The last rejection's report, its validator and its number (see [`ims_last`]).
    static LAST: RefCell<Option<Kept<Report>>> = const { RefCell::new(None) };
    /// The last accepted validation's outcome (owning its strings), likewise.
    static LAST_OK: RefCell<Option<Kept<Validated<'static>>>> = const { RefCell::new(None) };
    /// How many results were kept.
    static KEPT: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// A result kept until the next one of its kind, so that reading its fields right
/// away renders it without validating again.
struct Kept<T> {
    number: u32,
    handle: u32,
    held: T,
}

/// Keeps `held` in `slot` under a new number (the previous one is dropped here
/// instead of at the end of its call: nothing is copied).
fn keep<T: 'static>(
    slot: &'static std::thread::LocalKey<RefCell<Option<Kept<T>>>>,
    handle: u32,
    held: T,
) {
    let number = KEPT.get().wrapping_add(1).max(1);
    KEPT.set(number);
    slot.set(Some(Kept {
        number,
        handle,
        held,
    }));
}

/// The verdict of a rejection, whose report is kept.
fn keep_rejection(handle: u32, report: Report) -> u32 {
    let v = verdict(report.status(), report.violations().len());
    keep(&LAST, handle, report);
    v
}

/// The number of the last kept result (the one the last call to [`ims_validate`] or
/// [`ims_derive`] kept).
#[no_mangle]
pub extern "C" fn ims_last() -> u32 {
    KEPT.get()
}

/// Renders part of the kept result `number` of validator `handle` into the output
/// buffer: its length, or 0 when it is no longer kept (or has no such part). `part`
/// 0: `{"request", "warnings"}` of an accepted validation; 1: the rejection's report
/// in the Glance shape (`{"status", "violations"}`); 2: its RFC 9457 problem
/// document. Each is rendered only when the caller reads it, by the core's and the
/// adapter's writers.
#[no_mangle]
pub extern "C" fn ims_render_kept(number: u32, handle: u32, part: u32) -> u32 {
    let at = (number, handle);
    with_validator(handle, |v| {
        let style = |format| Style::new(format, v.locale());
        match part {
            0 => held(&LAST_OK, at, |ok| {
                output(|out| wire::write_accepted(v, ok, out))
            }),
            1 => held(&LAST, at, |r| {
                output(|out| r.write_json(style(Format::Glance), out))
            }),
            2 => held(&LAST, at, |r| {
                output(|out| r.write_json(style(Format::Problem), out))
            }),
            _ => None,
        }
    })
    .flatten()
    .unwrap_or(0)
}

/// `f` of the result `number` of validator `handle` in `slot`, while it is kept.
fn held<T, R>(
    slot: &'static std::thread::LocalKey<RefCell<Option<Kept<T>>>>,
    (number, handle): (u32, u32),
    f: impl FnOnce(&T) -> R,
) -> Option<R> {
    slot.with_borrow(|k| {
        k.as_ref()
            .filter(|k| (k.number, k.handle) == (number, handle))
            .map(|k| f(&k.held))
    })
}

/// One part of violation `index` of the kept rejection `number` of validator `handle`
/// into the output buffer, so that reading one field of one violation renders that
/// alone: `part` 0 its pointer, 1 its code, 2 its message (in the validator's
/// locale), 3 its IMS code (empty when it has none), 4 the whole violation as JSON
/// (`{"pointer", "code", "message", "ims_code", "params"}`, the core's serialization:
/// the Glance report's element). Its length + 1; 0 when the rejection is no longer
/// kept (or has no such violation or part).
#[no_mangle]
pub extern "C" fn ims_violation(number: u32, handle: u32, index: u32, part: u32) -> u32 {
    with_validator(handle, |v| {
        held(&LAST, (number, handle), |r| {
            let one = r.violations().get(index as usize)?;
            let len = match part {
                0 => output(|out| out.extend_from_slice(one.pointer().as_bytes())),
                1 => output(|out| out.extend_from_slice(one.code().as_str().as_bytes())),
                2 => output(|out| out.extend_from_slice(one.message_in(v.locale()).as_bytes())),
                3 => output(|out| out.extend_from_slice(one.ims_code().unwrap_or("").as_bytes())),
                _ => return None,
            };
            Some(len.saturating_add(1))
        })
        .flatten()
    })
    .flatten()
    .unwrap_or(0)
}

/// The value of the field `key` (UTF-8) of the kept accepted request `number` of
/// validator `handle`, as JSON into the output buffer, so that reading one field
/// renders that field alone: its length + 2; 1 when the request has no such field; 0
/// when the outcome is no longer kept.
///
/// # Safety
///
/// `key` must point at `key_len` initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_request_field(
    number: u32,
    handle: u32,
    key: *const u8,
    key_len: usize,
) -> u32 {
    // SAFETY: FFI input, per this function's contract.
    let key = unsafe { input(key, key_len) };
    let Ok(key) = std::str::from_utf8(key) else {
        return 1;
    };
    with_validator(handle, |_| {
        held(&LAST_OK, (number, handle), |ok| {
            let mut found = false;
            let len = output(|out| found = pick::entry(&ok.request, key, out));
            if found {
                len.saturating_add(2)
            } else {
                1
            }
        })
    })
    .flatten()
    .unwrap_or(0)
}

/// Replaces the output buffer with what `fill` writes; its length.
fn output(fill: impl FnOnce(&mut Vec<u8>)) -> u32 {
    OUT.with_borrow_mut(|out| {
        out.clear();
        fill(out);
        u32::try_from(out.len()).unwrap_or(0)
    })
}

fn error_out(e: &OptionsError) {
    output(|out| out.extend_from_slice(wire::error(e).as_bytes()));
}

/// How many bytes the output buffer holds.
#[no_mangle]
pub extern "C" fn ims_out_len() -> u32 {
    OUT.with_borrow(|out| u32::try_from(out.len()).unwrap_or(0))
}

/// Where the output buffer's bytes are (until the next call).
#[no_mangle]
pub extern "C" fn ims_out() -> *const u8 {
    OUT.with_borrow(|out| out.as_ptr())
}

/// Compiles options (JSON): a handle, or 0 with the error in the output buffer.
///
/// # Safety
///
/// `options` must point at `options_len` initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_validator_new(options: *const u8, options_len: usize) -> u32 {
    // SAFETY: FFI input, per this function's contract.
    let options = unsafe { input(options, options_len) };
    match wire::validator(options) {
        Ok(v) => VALIDATORS.with_borrow_mut(|all| {
            let slot = match all.iter().position(Option::is_none) {
                Some(i) => {
                    all[i] = Some(v);
                    i
                }
                None => {
                    all.push(Some(v));
                    all.len() - 1
                }
            };
            u32::try_from(slot + 1).unwrap_or(0)
        }),
        Err(e) => {
            error_out(&e);
            0
        }
    }
}

/// Frees a validator (a bad or freed handle is ignored).
#[no_mangle]
pub extern "C" fn ims_validator_free(handle: u32) {
    LAST.with_borrow_mut(|last| {
        if last.as_ref().is_some_and(|k| k.handle == handle) {
            *last = None;
        }
    });
    LAST_OK.with_borrow_mut(|last| {
        if last.as_ref().is_some_and(|k| k.handle == handle) {
            *last = None;
        }
    });
    VALIDATORS.with_borrow_mut(|all| {
        if let Some(slot) = (handle as usize)
            .checked_sub(1)
            .and_then(|i| all.get_mut(i))
        {
            *slot = None;
        }
    });
}

/// Runs `f` with the validator of `handle`; `None` for a bad handle.
fn with_validator<R>(handle: u32, f: impl FnOnce(&Validator) -> R) -> Option<R> {
    VALIDATORS.with_borrow(|all| {
        let v = (handle as usize)
            .checked_sub(1)
            .and_then(|i| all.get(i))
            .and_then(Option::as_ref)?;
        Some(f(v))
    })
}

fn bad_handle() -> u32 {
    error_out(&OptionsError {
        kind: ims_image_meta_adapter::ErrorKind::Invalid,
        message: "this validator was freed".to_owned(),
    });
    0
}

/// `status | count << 16`.
fn verdict(status: u16, count: usize) -> u32 {
    u32::from(status) | u32::try_from(count.min(0xFFFF)).unwrap_or(0xFFFF) << 16
}

/// Validates a body: its verdict (see the module doc), nothing rendered; the outcome
/// is kept (an accepted one owning its strings) for [`ims_render_kept`].
///
/// # Safety
///
/// `body` must point at `body_len` initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_validate(handle: u32, body: *const u8, body_len: usize) -> u32 {
    // SAFETY: FFI input, per this function's contract.
    let body = unsafe { input(body, body_len) };
    let answer = with_validator(handle, |v| v.validate(body).map(Validated::into_owned));
    match answer {
        Some(Ok(ok)) => {
            let v = verdict(201, ok.warnings.len());
            keep(&LAST_OK, handle, ok);
            v
        }
        Some(Err(report)) => keep_rejection(handle, report),
        None => bad_handle(),
    }
}

/// The context of a derivation from the caller's arguments.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
unsafe fn derive_context(
    image_id: *const u8,
    image_id_len: usize,
    owner: *const u8,
    owner_len: usize,
    now: f64,
) -> Result<ims_image_meta::Context, OptionsError> {
    let invalid = |m: &str| OptionsError {
        kind: ims_image_meta_adapter::ErrorKind::Invalid,
        message: m.to_owned(),
    };
    // SAFETY: FFI inputs, per this function's contract.
    let (image_id, owner) = unsafe { (input(image_id, image_id_len), input(owner, owner_len)) };
    let image_id = std::str::from_utf8(image_id).map_err(|_| invalid("imageId is not UTF-8"))?;
    let owner = std::str::from_utf8(owner).map_err(|_| invalid("owner is not UTF-8"))?;
    // An integer that an i64 holds exactly (|now| < 2^63).
    if !(now.is_finite() && now.fract() == 0.0 && now.abs() < 9.2e18) {
        return Err(invalid("now is required: an integer of Unix seconds"));
    }
    context(image_id, owner, now as i64)
}

/// Validates a body and derives the record: the verdict; for an accepted body the
/// record and warnings are rendered into the output buffer too (the record is what a
/// derive is for), a rejection is not. 0 with the error in the output buffer for a
/// refused context.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_derive(
    handle: u32,
    body: *const u8,
    body_len: usize,
    image_id: *const u8,
    image_id_len: usize,
    owner: *const u8,
    owner_len: usize,
    now: f64,
) -> u32 {
    // SAFETY: FFI inputs, per this function's contract.
    let (body, ctx) = unsafe {
        (
            input(body, body_len),
            derive_context(image_id, image_id_len, owner, owner_len, now),
        )
    };
    let ctx = match ctx {
        Ok(ctx) => ctx,
        Err(e) => {
            error_out(&e);
            return 0;
        }
    };
    let answer = with_validator(handle, |v| {
        v.validate(body).map(|ok| {
            output(|out| wire::write_derived(v, &ok, &ctx, out));
            ok.warnings.len()
        })
    });
    match answer {
        Some(Ok(warnings)) => verdict(201, warnings),
        Some(Err(report)) => keep_rejection(handle, report),
        None => bad_handle(),
    }
}

/// The whole answer to a body by the core's one road (`ims_image_meta::answer`), its
/// bytes into the output buffer: `status | problem << 16`, where `problem` is 1 when
/// the media type is `application/problem+json`. 0 with the error in the output buffer
/// for a refused context or a bad handle.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
#[no_mangle]
pub unsafe extern "C" fn ims_answer(
    handle: u32,
    body: *const u8,
    body_len: usize,
    image_id: *const u8,
    image_id_len: usize,
    owner: *const u8,
    owner_len: usize,
    now: f64,
) -> u32 {
    // SAFETY: FFI inputs, per this function's contract.
    let (body, ctx) = unsafe {
        (
            input(body, body_len),
            derive_context(image_id, image_id_len, owner, owner_len, now),
        )
    };
    let ctx = match ctx {
        Ok(ctx) => ctx,
        Err(e) => {
            error_out(&e);
            return 0;
        }
    };
    with_validator(handle, |v| {
        let answer = v.answer(body, &ctx);
        output(|out| out.extend_from_slice(answer.body()));
        let problem = u32::from(answer.content_type() == "application/problem+json");
        u32::from(answer.status()) | problem << 16
    })
    .unwrap_or_else(bad_handle)
}

/// The request schema under a validator's rules, into the output buffer: its length.
#[no_mangle]
pub extern "C" fn ims_request_schema(handle: u32) -> u32 {
    with_validator(handle, |v| {
        let text = wire::request_schema(v);
        output(|out| out.extend_from_slice(text.as_bytes()))
    })
    .unwrap_or_else(bad_handle)
}

/// The record schema, into the output buffer: its length.
#[no_mangle]
pub extern "C" fn ims_record_schema() -> u32 {
    let text = wire::record_schema();
    output(|out| out.extend_from_slice(text.as_bytes()))
}

/// An update (SPEC §8) of the image (JSON) at `image`: `kind` 0 is a PATCH of the
/// document at `arg` sent with the media type at `media` (empty: v2.1), 1 adds the tag
/// at `arg`, 2 removes it. Writes `{"image": …}` (accepted) or the rejection (as
/// `wire::write_rejected` writes it) into the output buffer and answers its status (200,
/// 204, or the report's); 0 with the error there for a bad image, time or handle.
///
/// # Safety
///
/// Each pointer must point at its length of initialized bytes (see [`input`]).
#[no_mangle]
#[allow(clippy::too_many_arguments)]
pub unsafe extern "C" fn ims_update(
    handle: u32,
    kind: u32,
    image: *const u8,
    image_len: usize,
    arg: *const u8,
    arg_len: usize,
    media: *const u8,
    media_len: usize,
    now: f64,
) -> u32 {
    // SAFETY: FFI inputs, per this function's contract.
    let (image, arg, media) = unsafe {
        (
            input(image, image_len),
            input(arg, arg_len),
            input(media, media_len),
        )
    };
    fn text<'b>(b: &'b [u8], what: &str) -> Result<&'b str, OptionsError> {
        std::str::from_utf8(b).map_err(|_| OptionsError {
            kind: ims_image_meta_adapter::ErrorKind::Invalid,
            message: format!("{what} is not UTF-8"),
        })
    }
    let call = match (kind, text(arg, "the tag"), text(media, "the media type")) {
        (0, _, Ok(m)) => Ok(Update::Patch {
            media_type: if m.is_empty() {
                ims_image_meta_adapter::DEFAULT_MEDIA_TYPE
            } else {
                m
            },
            body: arg,
        }),
        (1, Ok(tag), _) => Ok(Update::AddTag(tag)),
        (2, Ok(tag), _) => Ok(Update::RemoveTag(tag)),
        (_, Err(e), _) | (_, _, Err(e)) => Err(e),
        _ => Err(OptionsError {
            kind: ims_image_meta_adapter::ErrorKind::Invalid,
            message: "unknown update call".to_owned(),
        }),
    };
    let call = match call {
        Ok(c) => c,
        Err(e) => {
            error_out(&e);
            return 0;
        }
    };
    let done = with_validator(handle, |v| {
        if !now.is_finite() || now.fract() != 0.0 {
            return Err(OptionsError {
                kind: ims_image_meta_adapter::ErrorKind::Invalid,
                message: "now is required: an integer of Unix seconds".to_owned(),
            });
        }
        v.answer_update(call, image, now as i64).map(|answer| {
            match (answer.updated_record(), answer.report()) {
                (Some(image), _) => output(|out| wire::write_updated(image, out)),
                (None, Some(report)) => output(|out| wire::write_rejected(v, report, out)),
                (None, None) => output(|_| ()),
            };
            u32::from(answer.status())
        })
    });
    match done {
        Some(Ok(status)) => status,
        Some(Err(e)) => {
            error_out(&e);
            0
        }
        None => bad_handle(),
    }
}
