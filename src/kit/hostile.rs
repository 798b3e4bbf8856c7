//! Hostile shapes at the body cap: report bombs, deep nesting, floods of near-miss
//! keys and of wrong-typed tags. Each is built so that the order of its violations is
//! known, so that the ones a truncated report keeps are known too.

use crate::code::Code;
use crate::keys::Field;
use crate::kit::assemble::status;
use crate::kit::doc::{pointer, render, token, Style, J};
use crate::kit::faults::near_miss_key;
use crate::kit::valid::{expected, Entry, Role};
use crate::kit::{Case, KitError, Source};
use crate::rules::Rules;

/// Tokens a report's pointer keeps whole; a deeper place keeps the first 4, a `…`
/// token and the last 3 (the crate's rendering of deep places).
fn deep_pointer(tokens: &[String]) -> String {
    let slashed = |ts: &[String]| -> String { ts.iter().map(|t| format!("/{t}")).collect() };
    match tokens.len() {
        n if n > 8 => format!("{}/…{}", slashed(&tokens[..4]), slashed(&tokens[n - 3..])),
        _ => slashed(tokens),
    }
}

fn case(rules: &Rules, body: String, all: Vec<(String, Code)>, what: &str) -> Case {
    Case {
        body: body.into_bytes(),
        status: status(&all),
        all,
        keep: rules.max_violations(),
        expected: None,
        what: format!("hostile: {what}"),
    }
}

/// Adds the property quota's violation when `customs` passes it.
fn quota(rules: &Rules, all: &mut Vec<(String, Code)>, customs: usize) {
    if customs > rules.max_properties() {
        all.push((String::new(), Code::TooMany));
    }
}

/// `build(n)` for the largest `n` from `n` down, by quarters, that fits under `cap`.
fn shrink(cap: usize, mut n: usize, build: impl Fn(usize) -> String) -> Option<(String, usize)> {
    let mut body = build(n);
    while body.len() > cap && n > 0 {
        n = (n * 3 / 4).min(n - 1);
        body = build(n);
    }
    (body.len() <= cap).then_some((body, n))
}

/// A member list of `n` members made by `member(i)`, as many as fit under the cap.
fn fill(
    rules: &Rules,
    mut n: usize,
    member: impl Fn(usize) -> (String, J),
) -> Option<(String, usize)> {
    let cap = rules.max_body_bytes();
    loop {
        let doc = J::Obj((0..n).map(&member).collect());
        let text = render(&doc, Style::PLAIN);
        if text.len() <= cap {
            return Some((text, n));
        }
        if n == 0 {
            return None;
        }
        // Shrink in proportion, and at least by one.
        let scaled = (n as u128 * cap as u128 / text.len() as u128) as usize;
        n = scaled.min(n - 1);
    }
}

pub(crate) fn hostile(rules: &Rules, s: &mut Source) -> Result<Case, KitError> {
    let cap = rules.max_body_bytes();
    let too_small = || KitError::no_fit("hostile body", rules);
    if cap > 64 << 20 {
        return Err(KitError::no_fit(
            "hostile body at the cap (the cap is over 64 MiB)",
            rules,
        ));
    }
    match s.below(5) {
        // A report bomb: keys whose pointers escaping doubles, each with a value of the
        // wrong type (or a key one char too long).
        0 => {
            let ch = *s
                .pick(&["/", "~", "a", "\\", "\"", "镜", "\u{1}"])
                .unwrap_or(&"/");
            let len = 240 + s.below(21);
            let stem = ch.repeat(len);
            let member = |i: usize| (format!("{stem}{i:05}"), J::n(1));
            let est = cap / (len * 2 + 12).max(1) + 1;
            let (body, n) = fill(rules, est, member).ok_or_else(too_small)?;
            let over = len + 5 > Rules::PROPERTY_KEY_MAX_CHARS;
            let code = if over { Code::TooLong } else { Code::WrongType };
            let mut all: Vec<(String, Code)> = (0..n)
                .map(|i| (pointer(&format!("{stem}{i:05}")), code))
                .collect();
            quota(rules, &mut all, n);
            Ok(case(rules, body, all, "report bomb of long keys"))
        }
        // Deep nesting under a custom key, to the parser's limit or one past it, with
        // a repeated key at the bottom.
        1 => {
            let levels = 120 + s.below(8); // of the whole body; 128 is one too many
            let objects = s.below(2) == 1;
            let m = levels.saturating_sub(2);
            let mut v = J::Obj(vec![("a".into(), J::n(1)), ("a".into(), J::n(2))]);
            let mut tokens = vec!["a".to_owned()];
            for _ in 0..m {
                if objects {
                    v = J::Obj(vec![("k".into(), v)]);
                    tokens.push("k".into());
                } else {
                    v = J::Arr(vec![v]);
                    tokens.push("0".into());
                }
            }
            tokens.push("p".into());
            tokens.reverse();
            let body = render(&J::Obj(vec![("p".into(), v)]), Style::PLAIN);
            if body.len() > cap {
                return Err(too_small());
            }
            let all = if levels > 127 {
                vec![(String::new(), Code::MalformedJson)]
            } else {
                vec![
                    (deep_pointer(&tokens), Code::DuplicateKey),
                    ("/p".into(), Code::WrongType),
                ]
            };
            Ok(case(rules, body, all, "deep nesting"))
        }
        // A flood of near-miss keys: refused one by one, or accepted with warnings up
        // to the quota.
        2 => {
            let want = if s.below(2) == 0 {
                rules.max_properties().min(400)
            } else {
                rules.max_properties().saturating_add(1 + s.below(8))
            };
            let mut keys: Vec<String> = Vec::new();
            let mut i = s.below(1000);
            let mut tries = 0;
            while keys.len() < want && tries < want * 20 + 100 {
                let f = Field::ALL[i % Field::ALL.len()];
                if let Some(k) = near_miss_key(f, i / Field::ALL.len()) {
                    if !keys.contains(&k) {
                        keys.push(k);
                    }
                }
                i += 1;
                tries += 1;
            }
            let (body, n) =
                fill(rules, keys.len(), |i| (keys[i].clone(), J::s("v"))).ok_or_else(too_small)?;
            let keys = &keys[..n];
            let mut all = Vec::new();
            if rules.refuse_near_miss_keys() {
                all.extend(keys.iter().map(|k| (pointer(k), Code::NearMissKey)));
            }
            quota(rules, &mut all, n);
            let valid = all.is_empty();
            let mut c = case(rules, body, all, "a flood of near-miss keys");
            if valid {
                let entries: Vec<Entry> = keys
                    .iter()
                    .map(|k| Entry {
                        key: k.clone(),
                        value: J::s("v"),
                        role: Role::Custom("v".into()),
                    })
                    .collect();
                c.expected = Some(expected(rules, &entries));
            }
            Ok(c)
        }
        // A flood of wrong-typed tags, past the tag quota.
        3 => {
            let est = cap / 2;
            let build = |n: usize| {
                let tags = J::Arr((0..n).map(|_| J::n(1)).collect());
                render(&J::Obj(vec![("tags".into(), tags)]), Style::PLAIN)
            };
            let (body, n) = shrink(cap, est.saturating_sub(16), build).ok_or_else(too_small)?;
            let mut all: Vec<(String, Code)> = (0..n)
                .map(|i| (format!("/tags/{i}"), Code::WrongType))
                .collect();
            if n > rules.max_tags() {
                all.push(("/tags".into(), Code::TooMany));
            } else if n == 0 {
                return Ok(Case {
                    expected: Some(expected(
                        rules,
                        &[Entry {
                            key: "tags".into(),
                            value: J::Arr(vec![]),
                            role: Role::Tags(Vec::new()),
                        }],
                    )),
                    ..case(rules, body, all, "an empty tags flood")
                });
            }
            Ok(case(rules, body, all, "a flood of wrong-typed tags"))
        }
        // Repeated keys in every element of a wrong-typed custom value.
        _ => {
            let key = format!("zzdup{}", s.below(1000));
            let item = J::Obj(vec![("a".into(), J::n(0)), ("a".into(), J::n(0))]);
            let build = |n: usize| {
                let items = J::Arr((0..n).map(|_| item.clone()).collect());
                render(&J::Obj(vec![(key.clone(), items)]), Style::PLAIN)
            };
            let (body, n) = shrink(cap, cap / 15, build).ok_or_else(too_small)?;
            let p = pointer(&key);
            let mut all: Vec<(String, Code)> = (0..n)
                .map(|i| (format!("{p}/{i}/{}", token("a")), Code::DuplicateKey))
                .collect();
            all.push((p, Code::WrongType));
            Ok(case(rules, body, all, "repeated keys in every element"))
        }
    }
}
