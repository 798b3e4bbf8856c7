//! Heap allocations of (d) `validate` and (e) `validate` + derive + serialize, counted
//! by a global allocator (per thread, so parallel tests do not disturb the count).
//! Counts are deterministic, unlike times, so they are asserted here; the README
//! quotes them (`cargo test --test allocations -- --nocapture` prints them).

use ims_image_meta::{validate, Context, Rules, Timestamp};

#[path = "common/counting.rs"]
mod counting;
use counting::count;

#[global_allocator]
static GLOBAL: counting::Counting = counting::Counting;

#[path = "../benches/bodies.rs"]
mod bodies;

/// The whole answer a server sends: the derived record, or the report with every
/// message rendered (suggestions included), serialized.
/// The whole answer into a fresh buffer, as a server writes it (and the bench's (e)):
/// the one road, `ims_image_meta::answer`.
fn answer(body: &[u8], rules: &Rules, ctx: &Context) -> Vec<u8> {
    ims_image_meta::answer(body, rules, ctx, Default::default()).into_body()
}

fn context() -> Context {
    Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        Timestamp::from_unix(1_464_853_788).unwrap(),
    )
    .unwrap()
}

#[test]
fn allocations_of_validate_and_of_the_whole_answer() {
    let rules = Rules::default();
    let ctx = context();
    // Warm the built-in catalog (built once per process).
    assert!(validate(b"{}", &rules).is_ok());
    let mut rows = Vec::new();
    // Upper bounds, set to what was measured: (d) on the sample is the tag list and the
    // property list (its strings are borrowed); (e), the whole answer, adds the output
    // (the record written straight from the request), or the report's messages; (r) is
    // the typed record (`into_record`, owned strings) serialized by serde_json.
    let bounds: [(&str, usize, usize, usize); 10] = [
        ("sample", 2, 3, 11),
        ("empty", 0, 1, 4),
        ("maximal", 18, 19, 407),
        // The report of an unknown `__os_version` (and 12 other violations), every
        // message rendered with its suggestions and every violation's params (issue
        // #13: at most 40; 1,935 before): the messages rendered one after the other
        // into one buffer, the suggestions' query, the output.
        ("bad", 2, 14, 0), // (r): no record.
        ("maximal_cjk", 18, 19, 407),
        ("tags_128", 6, 7, 139),
        ("props_1", 1, 2, 8),
        ("props_8", 2, 3, 23),
        ("props_32", 8, 9, 77),
        ("props_128", 12, 13, 273),
    ];
    for ((name, body), (bound_name, d_max, e_max, r_max)) in bodies::all().into_iter().zip(bounds) {
        assert_eq!(name, bound_name);
        let body = body.as_bytes();
        let (d, d_bytes, _) = count(|| validate(body, &rules).is_ok());
        let (e, e_bytes, _) = count(|| answer(body, &rules, &ctx));
        // (r) on accepted bodies only (a rejected one has no record: 0 expected).
        let (r, r_bytes, _) = count(|| {
            let mut out = Vec::with_capacity(body.len() + 2048);
            if let Ok(ok) = validate(body, &rules) {
                serde_json::to_writer(&mut out, &ok.request.into_record(&ctx)).unwrap();
            }
            out
        });
        let r = if r_max == 0 { 0 } else { r };
        eprintln!("{name:12} (d) validate: {d:3} allocations, {d_bytes:6} B; (e) the answer: {e:3}, {e_bytes:6} B; (r) typed record: {r:3}, {r_bytes:6} B");
        rows.push((name, d, e));
        assert!(
            d <= d_max,
            "{name}: validate made {d} allocations, at most {d_max} expected"
        );
        assert!(
            e <= e_max,
            "{name}: the answer made {e} allocations, at most {e_max} expected"
        );
        assert!(
            r <= r_max,
            "{name}: the typed record made {r} allocations, at most {r_max} expected"
        );
    }
    // `{}` allocates nothing at all (its warnings are a static list).
    assert_eq!(rows[1].1, 0, "validate(\"{{}}\")");
}

/// The report of an unknown `__os_version` does not allocate per catalog row: against
/// a catalog of 10,000 rows it allocates what it does against the built-in 199.
#[test]
fn suggestions_do_not_allocate_per_catalog_row() {
    let ctx = context();
    let big = Rules::default()
        .to_builder()
        .catalog(ims_image_meta::Catalog::from_rows(bodies::catalog_rows(10_000)).unwrap())
        .build()
        .unwrap();
    let body = br#"{"__os_version": "Ubuntu 14.04 server 64 bit"}"#;
    let (builtin, _, out) = count(|| answer(body, &Rules::default(), &ctx));
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("Did you mean 'Ubuntu 14.04 server 64bit'"));
    let (large, _, out) = count(|| answer(body, &big, &ctx));
    assert!(String::from_utf8(out)
        .unwrap()
        .contains("Did you mean 'Ubuntu "));
    eprintln!(
        "unknown __os_version, the answer: {builtin} allocations (199 rows), {large} (10,000 rows)"
    );
    assert!(builtin <= 11, "{builtin}");
    assert!(large <= builtin + 2, "{large} against {builtin}");
}

/// An update whose `tags` value holds many bad tags is refused at its first (SPEC §8:
/// one violation per operation), and costs no allocation per bad tag: the operation's
/// checker keeps one violation and only counts the others, without making them. The
/// same value with one bad tag and 299 good ones is the yardstick (its elements are
/// read alike).
#[test]
fn a_patch_with_many_bad_tags_allocates_as_one_with_a_single_bad_tag() {
    use ims_image_meta::{report::Style, update, Record};
    let rules = Rules::default()
        .to_builder()
        .updatable(["name", "tags"])
        .build()
        .unwrap();
    let ok = validate(br#"{"name": "web", "tags": ["a"]}"#, &rules).unwrap();
    let image: Record = ok.request.into_record(&context());
    let now = Timestamp::from_unix(1_464_854_400).unwrap();
    let media = update::MEDIA_TYPES[0];
    let long = format!("\"{}\"", "x".repeat(300));
    // Each kind of bad tag: a number, an empty string, one too long, one with a NUL
    // (escaped, so read into a string of its own: so are the good tags beside it).
    let kinds = [
        ("1", "\"a\""),
        ("\"\"", "\"a\""),
        (long.as_str(), "\"a\""),
        ("\"a\\u0000\"", "\"a\\u0062\""),
    ];
    for (bad, good) in kinds {
        let answer = |bad_tags: usize| {
            let tags: Vec<&str> = (0..300)
                .map(|i| if i < bad_tags { bad } else { good })
                .collect();
            let body = format!(
                r#"[{{"op": "replace", "path": "/tags", "value": [{}]}}]"#,
                tags.join(",")
            );
            count(|| {
                let style = Style::default();
                let a = update::answer_patch(media, body.as_bytes(), &image, &rules, now, style);
                (a.status(), a.into_body())
            })
        };
        let (one, _, (status, out)) = answer(1);
        let (all, _, (all_status, all_out)) = answer(300);
        let text = String::from_utf8(all_out).unwrap();
        eprintln!("{bad:.8}: 1 bad tag of 300, {one} allocations; 300 bad tags, {all}");
        assert_eq!((status, all_status), (400, 400), "{text}");
        // One violation, at the first bad tag.
        assert_eq!(text.matches("\"pointer\"").count(), 1, "{text}");
        assert!(text.contains("\"/0/value/0\""), "{text}");
        assert_eq!(
            out,
            text.as_bytes(),
            "the same report for 1 and 300 bad tags"
        );
        assert!(
            all <= one,
            "{bad:.8}: {all} allocations for 300 bad tags, {one} for 1"
        );
    }
}

/// A kit case whose faults and base pass the body cap together: the kit drops base
/// members, biggest first, until the body fits. Each member's size is measured once,
/// and the body is rendered only when its plain length fits, so the allocations grow
/// with the members, not with members × drops. The input, from the `structured` fuzz
/// target (where it took 1.8 s), has the kit build three bodies: two that drop all of
/// a base of 16 and of 137 members and still do not fit, and one that fits at once;
/// it made 70,899 allocations when every drop rendered the whole body and every member
/// again, and 4,874 now (one list of members per drop, the rest the members and
/// faults made).
#[test]
fn a_kit_case_that_drops_members_to_fit_allocates_in_proportion() {
    use ims_image_meta::kit::{Case, Source};
    use ims_image_meta::Profile;
    let input = include_bytes!("data/kit-many-drops.bin");
    // As the fuzz target picked: its first byte chose the third profile at its own cap,
    // the rest is the source.
    let rules = Rules::profile(Profile::ALL[2]);
    let (allocations, _, case) = count(|| Case::any(&rules, &mut Source::from_bytes(&input[1..])));
    let case = case.unwrap();
    assert!(case.body().len() <= rules.max_body_bytes());
    eprintln!(
        "kit case of {} bytes: {allocations} allocations",
        case.body().len()
    );
    assert!(allocations <= 6_000, "{allocations} allocations");
}
