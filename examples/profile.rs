//! A loop for instruction-count profiling (callgrind counts are repeatable here, where
//! wall-clock times are not):
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile examples/sample-request.json 20000 validate
//! ```
//!
//! MODE is `validate` (the default), `floor` (`from_slice::<IgnoredAny>`), `value`
//! (`from_slice::<Value>`) or `answer` (the whole answer, the bench's (e): `validate`,
//! then the derived record or the report — every message rendered — serialized);
//! divide the total by N for a per-call figure (subtract a run with N = 0).
//!
//! FILE `@NAME` is a bench body (`benches/bodies.rs`: `@sample`, `@empty`, `@maximal`,
//! `@bad`, `@maximal_cjk`, `@tags_128`, `@props_1` … `@props_128`). A fourth argument
//! `rows=R` validates against a catalog of R generated rows instead of the built-in one
//! (`@bad 100 answer rows=200000`: the suggestions of a large catalog).

use std::hint::black_box;
use std::process::ExitCode;

#[path = "../benches/bodies.rs"]
#[allow(dead_code)]
mod bodies;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: profile FILE|@NAME N [validate|floor|value|answer] [rows=R]");
        return ExitCode::from(2);
    };
    let mode = args.next().unwrap_or_else(|| "validate".into());
    let body = match path.strip_prefix('@') {
        Some(name) => match bodies::all().into_iter().find(|(n, _)| *n == name) {
            Some((_, b)) => b.into_bytes(),
            None => {
                eprintln!("profile: no bench body {name}");
                return ExitCode::from(2);
            }
        },
        None => match std::fs::read(&path) {
            Ok(b) => b,
            Err(e) => {
                eprintln!("profile: {path}: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut rules = ims_image_meta::Rules::default();
    if let Some(rows) = args.next() {
        let Some(rows) = rows.strip_prefix("rows=").and_then(|r| r.parse().ok()) else {
            eprintln!("profile: expected rows=R, got {rows}");
            return ExitCode::from(2);
        };
        let with = ims_image_meta::Catalog::from_rows(bodies::catalog_rows(rows))
            .map_err(|e| e.to_string())
            .and_then(|c| {
                rules
                    .to_builder()
                    .catalog(c)
                    .build()
                    .map_err(|e| e.to_string())
            });
        match with {
            Ok(r) => rules = r,
            Err(e) => {
                eprintln!("profile: {e}");
                return ExitCode::from(2);
            }
        }
    }
    let ctx = ims_image_meta::Timestamp::from_unix(1_464_853_788).and_then(|now| {
        ims_image_meta::Context::new(
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
            "b912fb4a4c464b568ecfca1071b21b10",
            now,
        )
    });
    let Ok(ctx) = ctx else {
        eprintln!("profile: bad context");
        return ExitCode::from(2);
    };
    let mut ok = 0usize;
    for _ in 0..n {
        let body = black_box(&body[..]);
        ok += usize::from(match mode.as_str() {
            "floor" => serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok(),
            "value" => serde_json::from_slice::<serde_json::Value>(body).is_ok(),
            "answer" => {
                let a = ims_image_meta::answer(body, &rules, &ctx, Default::default());
                black_box(a.body());
                a.is_accepted()
            }
            _ => ims_image_meta::validate(body, &rules).is_ok(),
        });
    }
    println!("{ok} of {n} accepted");
    ExitCode::SUCCESS
}
