//! A loop for instruction-count profiling (callgrind counts are repeatable here, where
//! wall-clock times are not):
//!
//! ```text
//! cargo build --release --example profile
//! valgrind --tool=callgrind target/release/examples/profile examples/sample-request.json 20000 validate
//! ```
//!
//! MODE is `validate` (the default), `floor` (`from_slice::<IgnoredAny>`), `value`
//! (`from_slice::<Value>`) or `answer` (`validate`, derive the record and serialize it,
//! the bench's (e)); divide the total by N for a per-call figure.

use std::hint::black_box;
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1);
    let (Some(path), Some(n)) = (
        args.next(),
        args.next().and_then(|n| n.parse::<usize>().ok()),
    ) else {
        eprintln!("usage: profile FILE N [validate|floor|value]");
        return ExitCode::from(2);
    };
    let mode = args.next().unwrap_or_else(|| "validate".into());
    let body = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("profile: {path}: {e}");
            return ExitCode::from(2);
        }
    };
    let rules = ims_image_meta::Rules::default();
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
    let mut out = Vec::with_capacity(body.len() + 2048);
    let mut ok = 0usize;
    for _ in 0..n {
        let body = black_box(&body[..]);
        ok += usize::from(match mode.as_str() {
            "floor" => serde_json::from_slice::<serde::de::IgnoredAny>(body).is_ok(),
            "value" => serde_json::from_slice::<serde_json::Value>(body).is_ok(),
            "answer" => {
                out.clear();
                match ims_image_meta::validate(body, &rules) {
                    Ok(v) => serde_json::to_writer(&mut out, &v.request.into_record(&ctx)).is_ok(),
                    Err(_) => false,
                }
            }
            _ => ims_image_meta::validate(body, &rules).is_ok(),
        });
    }
    println!("{ok} of {n} accepted");
    ExitCode::SUCCESS
}
