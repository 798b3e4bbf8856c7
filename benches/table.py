"""Prints the README's benchmark tables from criterion's last run.

Usage: cargo bench --bench validate && python3 benches/table.py
Reads target/criterion/<body>/<function>/new/estimates.json (the median point
estimate, in ns) and prints the medians, the ratios, and each target of the
benchmark issues (#13 among them) with what this run measured.
"""
import json
import os

ROOT = os.path.join(os.path.dirname(__file__), "..", "target", "criterion")
BODIES = [
    "sample",
    "empty",
    "maximal",
    "bad",
    "maximal_cjk",
    "tags_128",
    "props_1",
    "props_8",
    "props_32",
    "props_128",
    "bad_catalog_10k",
]
FUNCS = [
    ("a_ignored_any", "(a) IgnoredAny"),
    ("b_value", "(b) Value"),
    ("c_jsonschema_is_valid", "(c) jsonschema is_valid"),
    ("c_jsonschema_iter_errors", "(c) jsonschema iter_errors"),
    ("d_validate", "(d) validate"),
    ("e_validate_derive_serialize", "(e) the answer, serialized"),
]
# The generated catalog of `bad_catalog_10k`, and the size issue #13 sets its target at.
ROWS, TARGET_ROWS = 10_000, 200_000


def median(body, func):
    with open(os.path.join(ROOT, body, func, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def fmt(ns):
    if ns >= 1e6:
        return "%.2f ms" % (ns / 1e6)
    return "%.1f µs" % (ns / 1000) if ns >= 10000 else "%.0f ns" % ns


m = {(b, f): median(b, f) for b in BODIES for f, _ in FUNCS}
a = lambda b: m[(b, "a_ignored_any")]
v = lambda b: m[(b, "b_value")]
d = lambda b: m[(b, "d_validate")]
e = lambda b: m[(b, "e_validate_derive_serialize")]

print("| body | " + " | ".join(label for _, label in FUNCS) + " |")
print("|---|" + "---:|" * len(FUNCS))
for b in BODIES:
    print("| %s | %s |" % (b, " | ".join(fmt(m[(b, f)]) for f, _ in FUNCS)))
print()
print("| body | d / a | d / b | e / a | c(is_valid) / d | c(iter_errors) / d |")
print("|---|---:|---:|---:|---:|---:|")
for b in BODIES:
    print(
        "| %s | %.2f | %.2f | %.2f | %.2f | %.2f |"
        % (
            b,
            d(b) / a(b),
            d(b) / v(b),
            e(b) / a(b),
            m[(b, "c_jsonschema_is_valid")] / d(b),
            m[(b, "c_jsonschema_iter_errors")] / d(b),
        )
    )
print()

# The suggestions' share of the large catalog's answer, per row, scaled to the
# issue's 200,000 rows (the cost is linear in the rows).
per_row = max(e("bad_catalog_10k") - e("bad"), 0.0) / ROWS
targets = [
    ("sample: (d) ≤ 2 × (a)", d("sample") / a("sample"), 2.0, "%.2f"),
    ("sample: (d) ≤ 0.5 × (b)", d("sample") / v("sample"), 0.5, "%.2f"),
    ("maximal: (d) ≤ 3 × (a)", d("maximal") / a("maximal"), 3.0, "%.2f"),
    ("bad: (d) ≤ 2 × sample (d)", d("bad") / d("sample"), 2.0, "%.2f"),
    ("bad (unknown `__os_version`): (e) report rendered + serialized ≤ 5 µs",
     e("bad"), 5000.0, None),
    ("bad, catalog of %d rows: suggestions ≤ 2 ms (from %d generated rows: (e) − bad (e), × %d)"
     % (TARGET_ROWS, ROWS, TARGET_ROWS // ROWS),
     per_row * TARGET_ROWS, 2e6, None),
    ("maximal_cjk: (d) ≤ 0.6 × (b)", d("maximal_cjk") / v("maximal_cjk"), 0.6, "%.2f"),
    ("maximal_cjk: (d) ≤ 2.5 × (a)", d("maximal_cjk") / a("maximal_cjk"), 2.5, "%.2f"),
    ("tags_128: (d) ≤ 3 × (a)", d("tags_128") / a("tags_128"), 3.0, "%.2f"),
    ("props_128: (d) ≤ 3 × (a)", d("props_128") / a("props_128"), 3.0, "%.2f"),
    ("empty: (e) ≤ 300 ns", e("empty"), 300.0, None),
    ("sample: (e) ≤ 4 × (a)", e("sample") / a("sample"), 4.0, "%.2f"),
    ("maximal: (e) ≤ 3 × (a)", e("maximal") / a("maximal"), 3.0, "%.2f"),
]
print("| target | measured | |")
print("|---|---:|---|")
for label, got, bound, f in targets:
    shown = fmt(got) if f is None else f % got
    print("| %s | %s | %s |" % (label, shown, "met" if got <= bound else "MISSED"))
print()
print(
    "custom properties, (d) / (a): "
    + ", ".join("%s %.2f" % (n, d("props_%s" % n) / a("props_%s" % n)) for n in (1, 8, 32, 128))
)
