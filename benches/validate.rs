//! Validation against the parse floor and the peers, on every body of
//! `benches/bodies.rs` (and the bad body against a 10,000-row catalog), in one run:
//! (a) `from_slice::<IgnoredAny>`, (b) `from_slice::<Value>`, (c) `Value` + a compiled
//! `jsonschema` validator of `request_schema` (`is_valid` and `iter_errors`),
//! (d) `validate`, (e) the whole answer: `validate`, then the derived record or the
//! report (every message rendered) serialized.
//!
//! `cargo bench --bench validate && python3 benches/table.py`; the README quotes the
//! table it prints.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ims_image_meta::report::Style;
use ims_image_meta::schema::request_schema;
use ims_image_meta::{answer, validate, Catalog, Context, Rules, Timestamp};
use serde::de::IgnoredAny;

#[path = "bodies.rs"]
mod bodies;

/// Rows of the generated catalog the `bad_catalog_10k` case validates against.
const CATALOG_ROWS: usize = 10_000;

fn bench(c: &mut Criterion) {
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).unwrap(),
    )
    .unwrap();
    let rules = Rules::default();
    let big = Rules::default()
        .to_builder()
        .catalog(Catalog::from_rows(bodies::catalog_rows(CATALOG_ROWS)).unwrap())
        .build()
        .unwrap();
    let mut cases: Vec<(&str, String, &Rules)> = bodies::all()
        .into_iter()
        .map(|(name, body)| (name, body, &rules))
        .collect();
    cases.push(("bad_catalog_10k", bodies::BAD.to_owned(), &big));

    for (name, body, rules) in &cases {
        let body = body.as_bytes();
        // Sanity: the bodies are what their names say.
        let verdict = validate(body, rules);
        if name.starts_with("bad") {
            let report = verdict.as_ref().unwrap_err();
            assert!(report.violations().len() >= 10);
            assert!(report.violations()[0].message().contains("Did you mean"));
        } else {
            assert!(verdict.is_ok(), "{name}");
        }
        let schema = jsonschema::draft202012::new(&request_schema(rules)).unwrap();

        let mut g = c.benchmark_group(*name);
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
            b.iter(|| validate(black_box(body), rules).is_ok())
        });
        // The whole answer a server sends: the 201 record, or the report with every
        // message rendered (suggestions included), serialized into a fresh buffer, as
        // a server would (allocated and freed in the timed loop; a batch of buffers
        // made beforehand, as `iter_batched` does, measured the cache misses of ~10 MB
        // of them instead: 92 us on the maximal body, against 38 us this way).
        g.bench_function("e_validate_derive_serialize", |b| {
            b.iter(|| answer(black_box(body), rules, &ctx, Style::default()).into_body())
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
