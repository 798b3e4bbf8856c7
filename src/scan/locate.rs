//! One violation per location: what a repeated key makes moot is dropped.

use crate::code::Code;
use crate::report::Violation;

/// Drops what a repeated key makes moot: which occurrence counts is unknowable, so
/// the repetition is the only violation at its pointer and below it (the values of
/// both occurrences, and repeated keys inside them, are not judged).
pub(crate) fn one_per_location(violations: Vec<Violation>) -> Vec<Violation> {
    if violations.iter().all(|v| v.code() != Code::DuplicateKey) {
        return violations;
    }
    let dups: std::collections::HashSet<String> = violations
        .iter()
        .filter(|v| v.code() == Code::DuplicateKey)
        .map(|v| v.pointer().to_owned())
        .collect();
    // Tokens are escaped, so every '/' after the first byte starts an ancestor's end:
    // a lookup per ancestor keeps this linear in the report, however many repeats.
    let under_a_repeat = |p: &str| {
        p.bytes()
            .enumerate()
            .skip(1)
            .any(|(i, b)| b == b'/' && dups.contains(&p[..i]))
    };
    violations
        .into_iter()
        .filter(|v| {
            let p = v.pointer();
            !under_a_repeat(p) && (v.code() == Code::DuplicateKey || !dups.contains(p))
        })
        .collect()
}
