"""Prints the README's benchmark table from criterion's last run.

Usage: cargo bench --bench validate && python3 benches/table.py
Reads target/criterion/<body>/<function>/new/estimates.json (the median point
estimate, in ns) and prints medians and the ratios the benchmark issue sets targets for.
"""
import json
import os

ROOT = os.path.join(os.path.dirname(__file__), "..", "target", "criterion")
BODIES = ["sample", "empty", "maximal", "bad"]
FUNCS = [
    ("a_ignored_any", "(a) IgnoredAny"),
    ("b_value", "(b) Value"),
    ("c_jsonschema_is_valid", "(c) jsonschema is_valid"),
    ("c_jsonschema_iter_errors", "(c) jsonschema iter_errors"),
    ("d_validate", "(d) validate"),
    ("e_validate_derive_serialize", "(e) validate+derive+serialize"),
]


def median(body, func):
    with open(os.path.join(ROOT, body, func, "new", "estimates.json")) as f:
        return json.load(f)["median"]["point_estimate"]


def fmt(ns):
    return "%.1f µs" % (ns / 1000) if ns >= 10000 else "%.0f ns" % ns


m = {(b, f): median(b, f) for b in BODIES for f, _ in FUNCS}
print("| body | " + " | ".join(label for _, label in FUNCS) + " |")
print("|---|" + "---:|" * len(FUNCS))
for b in BODIES:
    print("| %s | %s |" % (b, " | ".join(fmt(m[(b, f)]) for f, _ in FUNCS)))
print()
print("| body | d / a | d / b | c(is_valid) / d | c(iter_errors) / d |")
print("|---|---:|---:|---:|---:|")
for b in BODIES:
    d = m[(b, "d_validate")]
    print(
        "| %s | %.2f | %.2f | %.2f | %.2f |"
        % (
            b,
            d / m[(b, "a_ignored_any")],
            d / m[(b, "b_value")],
            m[(b, "c_jsonschema_is_valid")] / d,
            m[(b, "c_jsonschema_iter_errors")] / d,
        )
    )
print()
print("bad / sample for (d): %.2f" % (m[("bad", "d_validate")] / m[("sample", "d_validate")]))
