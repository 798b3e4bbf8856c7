//! The update's bench inputs, shared by `benches/update.rs` and
//! `examples/profile_update.rs` (each includes this file with `#[path]`): the image of
//! the conformance cases and the patches measured on it.
#![allow(dead_code)]

use ims_image_meta::{validate, Context, Record, Rules, Timestamp};

/// One compact `replace` of `/name`.
pub const RENAME: &str = r#"[{"op":"replace","path":"/name","value":"test01"}]"#;
/// The IMS page's example, v2.1, indented as the page prints it.
pub const PAGE: &str = "[\n    {\n        \"op\": \"replace\",\n        \"path\": \"/name\",\n        \"value\": \"test01\"\n    }\n]";
/// The same, in its v2.0 form.
pub const PAGE_V20: &str =
    "[\n    {\n        \"replace\": \"/name\",\n        \"value\": \"test01\"\n    }\n]";

/// The image of the conformance cases: the page's create sample, derived, with
/// `properties` more custom properties `p000`, `p001`, ….
pub fn image(properties: usize) -> Record {
    let mut body = String::from(
        r#"{"__os_version": "Ubuntu 14.04 server 64bit", "container_format": "bare",
            "disk_format": "vhd", "min_disk": 40, "min_ram": 1024, "name": "test",
            "tags": ["test", "image"], "visibility": "private", "protected": false,
            "__description": "web image", "aaaa": "11111""#,
    );
    for i in 0..properties {
        body.push_str(&format!(r#", "p{i:03}": "value {i}""#));
    }
    body.push('}');
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).expect("in range"),
    )
    .expect("a valid context");
    validate(body.as_bytes(), &Rules::default())
        .expect("the sample is valid")
        .request
        .into_record(&ctx)
}

/// 100 operations on custom properties of an image with `p000`..`p049`: a third
/// adds, a third replaces, a third removes.
pub fn hundred_ops() -> String {
    let ops: Vec<String> = (0..100)
        .map(|i| match i % 3 {
            0 => format!(r#"{{"op": "add", "path": "/n{i:03}", "value": "new value {i}"}}"#),
            1 => format!(
                r#"{{"op": "replace", "path": "/p{:03}", "value": "v{i}"}}"#,
                (i / 3) % 17
            ),
            _ => format!(r#"{{"op": "remove", "path": "/p{:03}"}}"#, 17 + i / 3),
        })
        .collect();
    format!("[{}]", ops.join(",\n"))
}
