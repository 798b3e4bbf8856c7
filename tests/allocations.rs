//! Heap allocations of (d) `validate` and (e) `validate` + derive + serialize, counted
//! by a global allocator (per thread, so parallel tests do not disturb the count).
//! Counts are deterministic, unlike times, so they are asserted here; the README
//! quotes them (`cargo test --test allocations -- --nocapture` prints them).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use ims_image_meta::{validate, Context, Rules, Timestamp};

struct Counting;

thread_local! {
    static ALLOCS: Cell<usize> = const { Cell::new(0) };
    static BYTES: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        BYTES.with(|c| c.set(c.get() + layout.size()));
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        ALLOCS.with(|c| c.set(c.get() + 1));
        BYTES.with(|c| c.set(c.get() + new_size));
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Allocations (and bytes) made by `f` on this thread.
fn count<T>(f: impl FnOnce() -> T) -> (usize, usize, T) {
    let (a0, b0) = (ALLOCS.with(Cell::get), BYTES.with(Cell::get));
    let out = f();
    (ALLOCS.with(Cell::get) - a0, BYTES.with(Cell::get) - b0, out)
}

#[path = "../benches/bodies.rs"]
#[allow(dead_code)]
mod bodies;

#[test]
fn allocations_of_validate_and_of_the_whole_answer() {
    let rules = Rules::default();
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).unwrap(),
    )
    .unwrap();
    // Warm the built-in catalog (built once per process).
    assert!(validate(b"{}", &rules).is_ok());
    let maximal = bodies::maximal();
    let mut rows = Vec::new();
    for (name, body, d_max, e_max) in [
        // Upper bounds, set to what was measured: (d) on the sample is the tag list and
        // the property list (its strings are borrowed); (e) adds the record's owned
        // strings and the output.
        ("sample", bodies::SAMPLE.as_bytes(), 2, 11),
        ("empty", bodies::EMPTY.as_bytes(), 0, 4),
        ("maximal", maximal.as_bytes(), 20, 409),
        ("bad", bodies::BAD.as_bytes(), 2, 3),
    ] {
        let (d, d_bytes, _) = count(|| validate(body, &rules).is_ok());
        let (e, e_bytes, _) = count(|| {
            let mut out = Vec::with_capacity(body.len() + 2048);
            if let Ok(ok) = validate(body, &rules) {
                serde_json::to_writer(&mut out, &ok.request.into_record(&ctx)).unwrap();
            }
            out
        });
        eprintln!("{name:8} (d) validate: {d} allocations, {d_bytes} B; (e) + derive + serialize: {e} allocations, {e_bytes} B");
        rows.push((name, d, e));
        assert!(
            d <= d_max,
            "{name}: validate made {d} allocations, at most {d_max} expected"
        );
        assert!(
            e <= e_max,
            "{name}: the answer made {e} allocations, at most {e_max} expected"
        );
    }
    // `{}` allocates nothing at all (its warnings are a static list).
    assert_eq!(rows[1].1, 0, "validate(\"{{}}\")");
}
