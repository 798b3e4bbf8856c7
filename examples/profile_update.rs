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
//! custom properties, on the image with 50 more of them), the patches and the image
//! the bench's (`benches/patches.rs`: the page's create sample, derived); MODE is `old` or `new`,
//! or `road` (the image read from its stored JSON, then `new`) against `floor` (the
//! stored image and the patch parsed into `IgnoredAny`).
//! Per-call figure = (total at N=201 − total at N=1)/200.

use std::hint::black_box;
use std::process::ExitCode;

use ims_image_meta::report::Style;
use ims_image_meta::{update, Record, Rules, Timestamp};
use serde::de::IgnoredAny;

#[path = "../benches/patches.rs"]
mod patches;
use patches::{hundred_ops, image, PAGE, RENAME};

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
    // `@hundred` edits custom properties p000..p049.
    let image = image(if which == "@hundred" { 50 } else { 0 });
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
                let a = update::answer_patch(media, patch, img, &rules, now, style);
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
