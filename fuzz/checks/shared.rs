//! Helpers shared by the fuzz targets and the crate's tests (included with `#[path]`
//! as a root module named `shared`).
#![allow(dead_code)]

use ims_image_meta::{Context, Report, Timestamp};
use serde_json::Value;

/// The conformance context: the page's image id and owner, 2016-06-02T07:49:48Z.
pub fn context() -> Context {
    Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).expect("in range"),
    )
    .expect("a valid context")
}

/// Whether a rejection rests on a rule a JSON Schema cannot express
/// (`ims_image_meta::schema::LIMITS`), so that a schema validator is not expected to
/// agree with it. `doc` is the body as parsed.
pub fn beyond_schema(report: &Report, doc: Option<&Value>) -> bool {
    report.violations().iter().any(|v| {
        let at = doc.and_then(|d| d.pointer(v.pointer()));
        match (v.code().as_str(), v.pointer()) {
            ("body_too_large" | "duplicate_key", _) => true,
            ("too_many", "") => true,
            ("wrong_type", "/min_ram" | "/min_disk") => at.is_some_and(Value::is_number),
            ("too_long", p) if p != "/name" && p != "/__description" && !p.starts_with("/tags") => {
                at.and_then(Value::as_str).is_some_and(|s| !s.is_ascii())
            }
            _ => false,
        }
    })
}
