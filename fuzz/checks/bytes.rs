//! The invariants of raw bytes into `validate`, shared by the `validate_bytes` fuzz
//! target and the crate's replay test (`tests/fuzz_corpus.rs`), so that a corpus or
//! regression file is checked the same way in both.
//!
//! - A rejection has a status in {400, 403, 413}, at least one violation, well-formed
//!   RFC 6901 pointers and at most one violation per pointer; a whole-body code
//!   (`body_too_large`, `empty_body`, `malformed_json`, `not_an_object`) stands alone.
//! - The body is `malformed_json` exactly when serde_json refuses it as a `Value` (two
//!   parsers of the same bytes agree).
//! - Every pointer of a body that parses resolves in it (a `Value` keeps the last of
//!   repeated keys, so pointers under a repeated key are exempt), unless it is
//!   abbreviated (a token cut to 64 chars and `…`, or a `…` token for elided depth).
//! - The report is bounded whatever the body: at most `max_violations` kept, the
//!   total said when more were found, and at most [`REPORT_BASE`] bytes plus
//!   [`REPORT_PER_VIOLATION`] per kept violation, as JSON.
//! - An accepted body derives a record, and the request serialized back to JSON
//!   validates to the very same request (a fixpoint).

use ims_image_meta::{validate, Code, Rules};

/// Bytes a rendered report may take besides its violations.
pub const REPORT_BASE: usize = 4096;
/// Bytes one kept violation may take in a rendered report: a pointer of at most 8
/// tokens of at most 256 chars (6 bytes each when JSON escapes them), a message with
/// excerpts of at most 64 chars, and the fixed fields.
pub const REPORT_PER_VIOLATION: usize = 8 * 256 * 6 + 2 * 64 * 6 + 1024;

/// Whether a pointer was abbreviated by the report: a token cut to 64 chars and `…`,
/// or a `…` token where the middle of a deep path was elided.
pub fn abbreviated(p: &str) -> bool {
    p.split('/').skip(1).any(|t| {
        let t = t.replace("~1", "/").replace("~0", "~");
        t == "…" || (t.ends_with('…') && t.chars().count() == 65)
    })
}

fn well_formed_pointer(p: &str) -> bool {
    if p.is_empty() {
        return true;
    }
    let b = p.as_bytes();
    b[0] == b'/'
        && b.iter()
            .enumerate()
            .all(|(i, &c)| c != b'~' || matches!(b.get(i + 1), Some(b'0' | b'1')))
}

/// Panics when `data` breaks an invariant.
pub fn check(data: &[u8]) {
    let rules = Rules::default();
    let parsed = serde_json::from_slice::<serde_json::Value>(data);
    match validate(data, &rules) {
        Ok(ok) => {
            let parsed = parsed.expect("an accepted body is JSON");
            assert!(parsed.is_object());
            let ctx = crate::shared::context();
            let record = serde_json::to_value(ok.request.derive(&ctx)).unwrap();
            assert_eq!(record["status"], "queued");
            assert_eq!(record["__os_version"], ok.request.os_version().version());
            // The rebuilt body spells out defaults: lift only the size cap.
            let rebuilt = serde_json::to_vec(&ok.request).unwrap();
            let uncapped = rules
                .to_builder()
                .max_body_bytes(usize::MAX)
                .build()
                .expect("only the cap changed");
            let again = validate(&rebuilt, &uncapped).expect("a rebuilt body validates");
            assert_eq!(again.request, ok.request);
        }
        Err(report) => {
            assert!(matches!(report.status(), 400 | 403 | 413));
            let vs = report.violations();
            assert!(!vs.is_empty());
            let mut seen = std::collections::HashSet::new();
            for v in vs {
                assert!(well_formed_pointer(v.pointer()), "{v}");
                assert!(
                    abbreviated(v.pointer()) || seen.insert(v.pointer()),
                    "two violations at one place: {report}"
                );
                assert!(!v.message().is_empty());
            }
            assert!(vs.len() <= rules.max_violations());
            assert_eq!(report.is_truncated(), report.total() > vs.len());
            let rendered = serde_json::to_vec(&report).unwrap().len();
            assert!(
                rendered <= REPORT_BASE + vs.len() * REPORT_PER_VIOLATION,
                "a report of {} violations takes {rendered} bytes",
                vs.len()
            );
            let first = vs[0].code();
            let whole_body = matches!(
                first,
                Code::BodyTooLarge | Code::EmptyBody | Code::MalformedJson | Code::NotAnObject
            );
            if whole_body {
                assert_eq!(vs.len(), 1, "{report}");
            }
            if data.len() <= rules.max_body_bytes() && first != Code::EmptyBody {
                assert_eq!(
                    first == Code::MalformedJson,
                    parsed.is_err(),
                    "validate and serde_json disagree on syntax: {report}"
                );
            }
            if let Ok(value) = &parsed {
                let repeated: Vec<&str> = vs
                    .iter()
                    .filter(|v| v.code() == Code::DuplicateKey)
                    .map(|v| v.pointer())
                    .collect();
                for v in vs {
                    let shadowed = repeated
                        .iter()
                        .any(|r| v.pointer().len() > r.len() && v.pointer().starts_with(r));
                    if !shadowed && !abbreviated(v.pointer()) {
                        assert!(value.pointer(v.pointer()).is_some(), "{v} does not resolve");
                    }
                }
            }
        }
    }
}
