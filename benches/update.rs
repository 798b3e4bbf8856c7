//! The update (`PATCH /v2/images/{id}`, issue 23) against the parse floor of its
//! patch body, in one run: (a) `from_slice::<IgnoredAny>` of the patch, (b) cloning
//! the image (what any update that returns a new record pays), (c) `update::patch`,
//! (d) the whole answer: `update::patch`, then the image written (`write_json`);
//! and the road a server takes (issue 27): (e) its floor, the stored image's JSON and
//! the patch parsed into `IgnoredAny`, against (f) the image read from its JSON
//! (`Record::from_json`), patched and its answer written (`update::answer_patch`).
//!
//! Patches: a one-operation rename (compact), the IMS page's example as the page
//! prints it (v2.1, indented) and its v2.0 form, and 100 operations on custom
//! properties (adds, replaces of `p000`..`p016`, removes of `p017`..`p049`) of an
//! image with 50 of them.
//!
//! `cargo bench --bench update`; docs/performance.md quotes the medians.

use criterion::{black_box, criterion_group, criterion_main, Criterion, Throughput};
use ims_image_meta::{update, Record, Rules, Timestamp};
use serde::de::IgnoredAny;

#[path = "patches.rs"]
mod patches;
use patches::{hundred_ops, image, PAGE, PAGE_V20, RENAME};

const V21: &str = "application/openstack-images-v2.1-json-patch";
const V20: &str = "application/openstack-images-v2.0-json-patch";

fn bench(c: &mut Criterion) {
    let rules = Rules::default();
    let now = Timestamp::from_unix(1_464_854_400).unwrap();
    let small = image(0);
    let big = image(50);
    let hundred = hundred_ops();
    let style = ims_image_meta::report::Style::default();
    let cases: Vec<(&str, &str, String, &Record)> = vec![
        ("rename_one_op", V21, RENAME.to_owned(), &small),
        ("ims_page_example", V21, PAGE.to_owned(), &small),
        ("ims_page_example_v2_0", V20, PAGE_V20.to_owned(), &small),
        ("custom_100_ops", V21, hundred, &big),
    ];
    for (name, media, body, img) in &cases {
        let (body, img): (&[u8], &Record) = (body.as_bytes(), img);
        // Sanity: every patch is accepted.
        let out = update::patch(media, body, img, &rules, now).unwrap();
        assert_eq!(out.updated_at, now, "{name}");
        let mut g = c.benchmark_group(format!("update_{name}"));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function("a_ignored_any", |b| {
            b.iter(|| serde_json::from_slice::<IgnoredAny>(black_box(body)).unwrap())
        });
        g.bench_function("b_clone_image", |b| b.iter(|| black_box(img).clone()));
        g.bench_function("c_patch", |b| {
            b.iter(|| update::patch(media, black_box(body), img, &rules, now).is_ok())
        });
        g.bench_function("d_patch_and_write", |b| {
            b.iter(|| {
                let r = update::patch(media, black_box(body), img, &rules, now).unwrap();
                let mut out = Vec::new();
                r.write_json(&mut out);
                out
            })
        });
        let mut stored = Vec::new();
        img.write_json(&mut stored);
        let stored = stored.as_slice();
        g.bench_function("e_road_floor", |b| {
            b.iter(|| {
                serde_json::from_slice::<IgnoredAny>(black_box(stored)).unwrap();
                serde_json::from_slice::<IgnoredAny>(black_box(body)).unwrap()
            })
        });
        g.bench_function("f_road_read_patch_write", |b| {
            b.iter(|| {
                let img = Record::from_json(black_box(stored)).unwrap();
                let a = update::answer_patch(media, black_box(body), img, &rules, now, style);
                assert_eq!(a.status(), 200);
                a.body().len()
            })
        });
        g.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
