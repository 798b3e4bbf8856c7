//! Validation against the parse floor and the peers, on four bodies, in one run:
//! (a) `from_slice::<IgnoredAny>`, (b) `from_slice::<Value>`, (c) `Value` + a compiled
//! `jsonschema` validator of `request_schema` (`is_valid` and `iter_errors`),
//! (d) `validate`, (e) `validate` + derive + serialize the record.
//!
//! `cargo bench --bench validate`; the README quotes the medians.

use criterion::{black_box, criterion_group, criterion_main, BatchSize, Criterion, Throughput};
use ims_image_meta::{request_schema, validate, Context, Rules, Timestamp};
use serde::de::IgnoredAny;

#[path = "bodies.rs"]
mod bodies;

fn bench(c: &mut Criterion) {
    let rules = Rules::default();
    let schema = jsonschema::draft202012::new(&request_schema(&rules)).unwrap();
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).unwrap(),
    )
    .unwrap();
    let maximal = bodies::maximal();
    let cases: [(&str, &[u8]); 4] = [
        ("sample", bodies::SAMPLE.as_bytes()),
        ("empty", bodies::EMPTY.as_bytes()),
        ("maximal", maximal.as_bytes()),
        ("bad", bodies::BAD.as_bytes()),
    ];
    // Sanity: the bodies are what their names say.
    assert!(validate(cases[0].1, &rules).is_ok());
    assert!(validate(cases[2].1, &rules).is_ok());
    assert!(validate(cases[3].1, &rules).unwrap_err().violations().len() >= 10);

    for (name, body) in cases {
        let mut g = c.benchmark_group(name);
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("a_ignored_any", |b| {
            b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(body)).unwrap())
        });
        g.bench_function("b_value", |b| {
            b.iter(|| serde_json::from_slice::<serde_json::Value>(black_box(body)).unwrap())
        });
        g.bench_function("c_jsonschema_is_valid", |b| {
            b.iter(|| {
                let v: serde_json::Value = serde_json::from_slice(black_box(body)).unwrap();
                schema.is_valid(&v)
            })
        });
        g.bench_function("c_jsonschema_iter_errors", |b| {
            b.iter(|| {
                let v: serde_json::Value = serde_json::from_slice(black_box(body)).unwrap();
                schema.iter_errors(&v).count()
            })
        });
        g.bench_function("d_validate", |b| {
            b.iter(|| validate(black_box(body), &rules).is_ok())
        });
        g.bench_function("e_validate_derive_serialize", |b| {
            b.iter_batched(
                || Vec::with_capacity(body.len() + 1024),
                |mut out| {
                    if let Ok(ok) = validate(black_box(body), &rules) {
                        serde_json::to_writer(&mut out, &ok.request.into_record(&ctx)).unwrap();
                    }
                    out
                },
                BatchSize::SmallInput,
            )
        });
        g.finish();
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(std::time::Duration::from_millis(500))
        .measurement_time(std::time::Duration::from_secs(2))
        .sample_size(50);
    targets = bench
}
criterion_main!(benches);
