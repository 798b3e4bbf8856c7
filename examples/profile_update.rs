//! A loop for instruction-count profiling of the update answer (issue 26): the old
//! road a server assembled by hand (`update::patch`, then the record's `write_json`
//! or the report's `write_json`) against the one road (`update::answer_patch`).
//!
//! ```text
//! cargo build --release --example profile_update
//! valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     target/release/examples/profile_update @rename 201 new
//! ```
//!
//! PATCH is `@rename` (one compact `replace` of `/name`), `@page` (the IMS page's
//! example, v2.1, indented as the page prints it) or `@hundred` (100 operations on
//! custom properties, on the image with 50 more of them), the image the bench's
//! (`benches/update.rs`: the page's create sample, derived); MODE is `old` or `new`,
//! or `road` (the image read from its stored JSON, then `new`) against `floor` (the
//! stored image and the patch parsed into `IgnoredAny`).
//! Per-call figure = (total at N=201 − total at N=1)/200.

use std::hint::black_box;
use std::process::ExitCode;

use ims_image_meta::report::Style;
use ims_image_meta::{update, validate, Context, Record, Rules, Timestamp};
use serde::de::IgnoredAny;

const RENAME: &str = r#"[{"op":"replace","path":"/name","value":"test01"}]"#;
const PAGE: &str = "[\n    {\n        \"op\": \"replace\",\n        \"path\": \"/name\",\n        \"value\": \"test01\"\n    }\n]";

/// 100 operations on custom properties of an image with `p000`..`p049`: a third
/// adds, a third replaces, a third removes (as `benches/update.rs`).
fn hundred_ops() -> String {
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

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(which), Some(n), mode) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
        args.next().unwrap_or_else(|| "new".into()),
    ) else {
        eprintln!("usage: profile_update @rename|@page|@hundred N [old|new|road|floor]");
        return ExitCode::from(2);
    };
    let hundred = hundred_ops();
    let patch = match which.as_str() {
        "@rename" => RENAME,
        "@page" => PAGE,
        "@hundred" => hundred.as_str(),
        other => {
            eprintln!("profile_update: no patch {other}");
            return ExitCode::from(2);
        }
    };
    let rules = Rules::default();
    let Ok(ctx) = Timestamp::from_unix(1_464_853_788).and_then(|t| {
        Context::new(
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
            "b912fb4a4c464b568ecfca1071b21b10",
            t,
        )
    }) else {
        return ExitCode::from(2);
    };
    let sample = br#"{"__os_version": "Ubuntu 14.04 server 64bit", "container_format": "bare",
        "disk_format": "vhd", "min_disk": 40, "min_ram": 1024, "name": "test",
        "tags": ["test", "image"], "visibility": "private", "protected": false,
        "__description": "web image", "aaaa": "11111"}"#;
    // `@hundred` edits custom properties p000..p049 (as `benches/update.rs`).
    let mut body = String::from_utf8_lossy(sample)
        .trim_end_matches('}')
        .to_owned();
    if which == "@hundred" {
        for i in 0..50 {
            body.push_str(&format!(r#", "p{i:03}": "value {i}""#));
        }
    }
    body.push('}');
    let Ok(ok) = validate(body.as_bytes(), &rules) else {
        return ExitCode::from(2);
    };
    let image = ok.request.into_record(&ctx);
    let Ok(now) = Timestamp::from_unix(1_464_854_400) else {
        return ExitCode::from(2);
    };
    let mut stored = Vec::new();
    image.write_json(&mut stored);
    let media = update::MEDIA_TYPES[0];
    let style = Style::default();
    let mut bytes = 0usize;
    for _ in 0..n {
        let patch = black_box(patch.as_bytes());
        bytes += match mode.as_str() {
            "old" => {
                let mut out = Vec::new();
                let status = match update::patch(media, patch, &image, &rules, now) {
                    Ok(r) => {
                        r.write_json(&mut out);
                        black_box(r);
                        200
                    }
                    Err(report) => {
                        report.write_json(style, &mut out);
                        report.status()
                    }
                };
                black_box(status);
                black_box(out).len()
            }
            "new" => {
                let a = update::answer_patch(media, patch, &image, &rules, now, style);
                black_box(a.status());
                black_box(a).body().len()
            }
            // The road a server takes (issue 27): the image read from storage as
            // JSON (`Record::from_json`), patched, and the answer's bytes written back.
            "road" => {
                let Ok(img) = Record::from_json(black_box(&stored)) else {
                    return ExitCode::from(2);
                };
                let a = update::answer_patch(media, patch, &img, &rules, now, style);
                black_box(a.status());
                black_box(a).body().len()
            }
            // Its floor: the image's and the patch's bytes parsed and thrown away.
            "floor" => {
                let a = serde_json::from_slice::<IgnoredAny>(black_box(&stored)).is_ok();
                let b = serde_json::from_slice::<IgnoredAny>(patch).is_ok();
                usize::from(a) + usize::from(b)
            }
            other => {
                eprintln!("profile_update: no mode {other}");
                return ExitCode::from(2);
            }
        };
    }
    println!("{bytes}");
    ExitCode::SUCCESS
}
