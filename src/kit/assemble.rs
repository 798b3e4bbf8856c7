//! Putting a case together: a valid base, the faults placed among its members, the
//! expected violations in the order a report lists them, a spelling, and the fit
//! under the body cap.

use crate::code::Code;
use crate::keys::{classify, FieldKind, KeyKind};
use crate::kit::doc::{pointer, render, Style, J};
use crate::kit::faults::{self, Ctx, Fault};
use crate::kit::valid::{self, Entry, Role};
use crate::kit::{Case, KitError, Source};
use crate::rules::Rules;

/// A spelling: whitespace or not, some characters escaped or not.
pub(crate) fn style(s: &mut Source) -> Style {
    let escape_one_in = *s.pick(&[0u32, 0, 2, 7, 31]).unwrap_or(&0);
    let spaces = s.below(2) == 1;
    Style {
        seed: s.word() | 1,
        escape_one_in,
        spaces,
    }
}

/// `doc` in `style`, or plainly when that passes `cap`; `None` when both do.
pub(crate) fn fit(doc: &J, style: Style, cap: usize) -> Option<String> {
    let text = render(doc, style);
    if text.len() <= cap {
        return Some(text);
    }
    let plain = render(doc, Style::PLAIN);
    (plain.len() <= cap).then_some(plain)
}

/// The status of a set of violations: 403 over 413 over 400.
pub(crate) fn status(all: &[(String, Code)]) -> u16 {
    let codes = || all.iter().map(|(_, c)| c.status());
    if all.is_empty() {
        201
    } else if codes().any(|s| s == 403) {
        403
    } else if codes().any(|s| s == 413) {
        413
    } else {
        400
    }
}

/// What a base member costs, measured once: the bytes by which [`drop_biggest`]
/// ranks it (its value, plain, and its key), and the bytes it takes in the plain
/// spelling of an object, `"KEY":VALUE`.
#[derive(Clone, Copy)]
struct Cost {
    rank: usize,
    plain: usize,
}

impl Cost {
    fn of(key: &str, value: &J) -> Cost {
        let value = render(value, Style::PLAIN).len();
        Cost {
            rank: value + key.len(),
            plain: render(&J::s(key), Style::PLAIN).len() + 1 + value,
        }
    }
}

/// The plain length of an object of members of these plain lengths: the shortest any
/// spelling of it can be (another adds whitespace or escapes), so that an object whose
/// plain length passes the cap is known not to fit without being rendered.
fn object_len(members: impl Iterator<Item = usize>) -> usize {
    let (n, sum) = members.fold((0usize, 0usize), |(n, sum), m| (n + 1, sum + m));
    2 + sum + n.saturating_sub(1)
}

/// Drops the base member that takes the most bytes (never `__os_version` or
/// `min_disk`, whose range hangs on it), and its cost; false when none is left to
/// drop. The costs are measured once, not per drop: a base of n members fits in n
/// drops of O(n) each, not n renders of the whole body.
fn drop_biggest(entries: &mut Vec<Entry>, costs: &mut Vec<Cost>) -> bool {
    let biggest = entries
        .iter()
        .zip(costs.iter())
        .enumerate()
        .filter(|(_, (e, _))| !matches!(e.role, Role::Os(_) | Role::MinDisk(_)))
        .max_by_key(|(_, (_, c))| c.rank)
        .map(|(i, _)| i);
    match biggest {
        Some(i) => {
            entries.remove(i);
            costs.remove(i);
            true
        }
        None => false,
    }
}

pub(crate) fn valid(rules: &Rules, s: &mut Source) -> Result<Case, KitError> {
    let cap = rules.max_body_bytes();
    let mut entries = valid::entries(rules, s, cap);
    valid::shuffle(&mut entries, s);
    let style = style(s);
    let mut costs: Vec<Cost> = entries.iter().map(|e| Cost::of(&e.key, &e.value)).collect();
    loop {
        let doc = (object_len(costs.iter().map(|c| c.plain)) <= cap).then(|| {
            J::Obj(
                entries
                    .iter()
                    .map(|e| (e.key.clone(), e.value.clone()))
                    .collect(),
            )
        });
        if let Some(text) = doc.and_then(|doc| fit(&doc, style, cap)) {
            return Ok(Case {
                body: text.into_bytes(),
                status: 201,
                all: Vec::new(),
                keep: rules.max_violations(),
                expected: Some(valid::expected(rules, &entries)),
                what: "valid".into(),
            });
        }
        if !drop_biggest(&mut entries, &mut costs) {
            // Only `__os_version` and `min_disk` are left: drop them too.
            if entries.is_empty() {
                return Err(KitError::no_fit("valid body", rules));
            }
            entries.clear();
            costs.clear();
        }
    }
}

/// Whether the number token `t` of an integer field is judged once the body is read,
/// which lists its violation after the body's others: serde_json hands `-0` and
/// integers past 64 bits over as floats, and an integral float that is `-0` or that
/// large may have been spelled as an integer, so the crate reads its spelling last.
fn judged_late(t: &str) -> bool {
    let integer = !t.contains(['.', 'e', 'E']);
    if integer {
        match t.strip_prefix('-') {
            Some(_) if t.parse::<i64>().is_ok_and(|v| v != 0) => return false,
            None if t.parse::<u64>().is_ok() => return false,
            _ => {}
        }
    }
    let v: f64 = t.parse().unwrap_or(f64::NAN);
    v.is_finite() && v.fract() == 0.0 && ((v == 0.0 && v.is_sign_negative()) || v.abs() >= 9.2e18)
}

/// How the base's custom properties relate to the quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Quota {
    /// Trim the base so that the faults alone decide.
    Keep,
    /// Fill the base so that the faults' custom keys pass the quota (an extra 413).
    Pass,
}

/// The case of `base` with `faults` placed among its members, or `None` when it does
/// not fit under the cap even with an empty base.
pub(crate) fn build(
    rules: &Rules,
    mut base: Vec<Entry>,
    faults: &[Fault],
    quota: Quota,
    what: String,
    s: &mut Source,
) -> Option<Case> {
    let cap = rules.max_body_bytes();
    let max = rules.max_properties();
    base.retain(|e| !faults.iter().any(|f| f.key == e.key));
    if faults.iter().any(|f| f.key == "__os_version") {
        // The range of `min_disk` may then be the default OS's, or the first
        // occurrence's: keep a value within both ranges, if there is one.
        let (l, w) = (rules.min_disk_linux(), rules.min_disk_windows());
        let (lo, hi) = ((*l.start()).max(*w.start()), (*l.end()).min(*w.end()));
        base.retain(|e| !matches!(e.role, Role::MinDisk(_)) || lo <= hi);
        for e in &mut base {
            if let Role::MinDisk(v) = &mut e.role {
                *v = lo;
                e.value = J::n(lo);
            }
        }
    }
    let fault_customs: usize = faults.iter().map(|f| f.customs).sum();
    let room = max.saturating_sub(fault_customs);
    let customs = |b: &[Entry]| {
        b.iter()
            .filter(|e| matches!(e.role, Role::Custom(_)))
            .count()
    };
    match quota {
        Quota::Keep => {
            while customs(&base) > room {
                let Some(i) = base.iter().rposition(|e| matches!(e.role, Role::Custom(_))) else {
                    break;
                };
                base.remove(i);
            }
        }
        Quota::Pass => {
            let mut i = 0;
            while customs(&base) + fault_customs <= max {
                base.push(Entry {
                    key: format!("p{i:03}_fill"),
                    value: J::s(""),
                    role: Role::Custom(String::new()),
                });
                i += 1;
            }
        }
    }
    // Where each fault goes: a place among the base's members (and the repeat after).
    let style = style(s);
    let mut slots: Vec<(usize, usize)> = Vec::new();
    for _ in faults {
        let at = s.below(base.len() + 1);
        let again = s.below(base.len() + 2 - at.min(base.len()));
        slots.push((at, again));
    }
    // Each member's plain length, measured once (see `Cost`).
    let mut costs: Vec<Cost> = base.iter().map(|e| Cost::of(&e.key, &e.value)).collect();
    let fault_costs: Vec<(usize, Option<usize>, Vec<usize>)> = faults
        .iter()
        .map(|f| {
            let again = f.again.as_ref().map(|v| Cost::of(&f.key, v).plain);
            let extra = f.extra.iter().map(|(k, v)| Cost::of(k, v).plain).collect();
            (Cost::of(&f.key, &f.value).plain, again, extra)
        })
        .collect();
    loop {
        // Members: (key, value, which fault's first member / repeat, if any, plain
        // length), borrowed: the document is made only when its plain length fits.
        #[derive(Clone, Copy, PartialEq)]
        enum Tag {
            Base,
            First(usize),
            Again(usize),
            Extra,
        }
        let mut members: Vec<(&str, &J, Tag, usize)> = base
            .iter()
            .zip(&costs)
            .map(|(e, c)| (e.key.as_str(), &e.value, Tag::Base, c.plain))
            .collect();
        for ((i, f), (first, again_len, extra_lens)) in faults.iter().enumerate().zip(&fault_costs)
        {
            let (at, again) = slots[i];
            let at = at.min(members.len());
            members.insert(at, (&f.key, &f.value, Tag::First(i), *first));
            if let (Some(v), Some(len)) = (&f.again, again_len) {
                let pos = (at + 1 + again).min(members.len());
                members.insert(pos, (&f.key, v, Tag::Again(i), *len));
            }
            for ((k, v), len) in f.extra.iter().zip(extra_lens) {
                let pos = s.below(members.len() + 1);
                members.insert(pos, (k, v, Tag::Extra, *len));
            }
        }
        let text = (object_len(members.iter().map(|m| m.3)) <= cap)
            .then(|| {
                J::Obj(
                    members
                        .iter()
                        .map(|&(k, v, ..)| (k.to_owned(), v.clone()))
                        .collect(),
                )
            })
            .and_then(|doc| fit(&doc, style, cap));
        if let Some(text) = text {
            // The violations, in the order a report lists them (made once it fits).
            let mut all: Vec<(String, Code)> = Vec::new();
            let mut late: Vec<(String, Code)> = Vec::new();
            for &(_, v, tag, _) in &members {
                let i = match tag {
                    Tag::First(i) if faults[i].again.is_none() => i,
                    Tag::Again(i) if !faults[i].at_end => i,
                    _ => continue,
                };
                let f = &faults[i];
                let integer = match classify(&f.key) {
                    KeyKind::Field(field) => {
                        matches!(field.kind(), FieldKind::Int { .. } | FieldKind::MinDisk)
                    }
                    _ => false,
                };
                let is_late = integer && matches!(v, J::Num(t) if judged_late(t));
                if is_late {
                    late.extend(f.violations.iter().cloned());
                } else {
                    all.extend(f.violations.iter().cloned());
                }
            }
            for f in faults.iter().filter(|f| f.at_end) {
                all.extend(f.violations.iter().cloned());
            }
            all.extend(late);
            let quota_in_faults = all.iter().any(|(p, c)| p.is_empty() && *c == Code::TooMany);
            if customs(&base) + fault_customs > max && !quota_in_faults {
                all.push((String::new(), Code::TooMany));
            }
            let status = status(&all);
            return Some(Case {
                body: text.into_bytes(),
                status,
                all,
                keep: rules.max_violations(),
                expected: None,
                what,
            });
        }
        if base.is_empty() || quota == Quota::Pass {
            return None;
        }
        if !drop_biggest(&mut base, &mut costs) {
            base.clear();
            costs.clear();
        }
    }
}

fn whole(rules: &Rules, code: Code, s: &mut Source) -> Result<Case, KitError> {
    let body = faults::whole_body(code, rules, s)?;
    Ok(Case {
        body,
        status: code.status(),
        all: vec![(String::new(), code)],
        keep: rules.max_violations(),
        expected: None,
        what: format!("one fault: {code}"),
    })
}

fn base<'r>(rules: &'r Rules, s: &mut Source) -> (Vec<Entry>, Ctx<'r>) {
    let mut entries = valid::entries(rules, s, rules.max_body_bytes() / 2);
    valid::shuffle(&mut entries, s);
    let ctx = Ctx {
        rules,
        os_type: Some(valid::os_type(rules, &entries)),
        n: 900,
    };
    (entries, ctx)
}

pub(crate) fn breaking(rules: &Rules, code: Code, s: &mut Source) -> Result<Case, KitError> {
    if let Some(reason) = faults::impossible(rules, code) {
        return Err(KitError::Impossible { code, reason });
    }
    if WHOLE_BODY.contains(&code) {
        return whole(rules, code, s);
    }
    let mut last = None;
    for attempt in 0..8 {
        let (entries, mut ctx) = base(rules, s);
        ctx.n += attempt;
        let fault = faults::make(code, ctx, s)?;
        let what = format!("one fault: {}", fault.what);
        if let Some(case) = build(rules, entries, &[fault], Quota::Keep, what, s) {
            return Ok(case);
        }
        last = Some(KitError::no_fit(format!("body breaking '{code}'"), rules));
    }
    Err(last.unwrap_or(KitError::Impossible {
        code,
        reason: "no attempt".into(),
    }))
}

/// The codes of a whole body (pointer ``), which no member can break.
const WHOLE_BODY: [Code; 4] = [
    Code::BodyTooLarge,
    Code::EmptyBody,
    Code::MalformedJson,
    Code::NotAnObject,
];

/// The codes a fault at one member can have under `rules`.
fn member_codes(rules: &Rules) -> Vec<Code> {
    let mut codes = super::codes(rules);
    codes.retain(|c| !WHOLE_BODY.contains(c));
    codes
}

pub(crate) fn several(rules: &Rules, s: &mut Source) -> Result<Case, KitError> {
    let keep = rules.max_violations();
    for attempt in 0..32 {
        let (entries, mut ctx) = base(rules, s);
        ctx.n += 10 * attempt;
        // Another fault may break `__os_version`: only values out of every range.
        ctx.os_type = None;
        let mut faults: Vec<Fault> = Vec::new();
        let mut quota = Quota::Keep;
        match s.below(4) {
            // A custom value of the wrong type that holds a repeated key: both.
            0 => {
                let key = format!("zzobj{:03}", ctx.n);
                let inner = J::Obj(vec![("a".into(), J::n(1)), ("a".into(), J::n(2))]);
                let what = "a wrong-typed custom value holding a repeated key";
                let value = J::Obj(vec![("x".into(), inner)]);
                faults.push(Fault {
                    violations: vec![
                        (format!("{}/x/a", pointer(&key)), Code::DuplicateKey),
                        (pointer(&key), Code::WrongType),
                    ],
                    ..Fault::new(what, &key, value, Code::WrongType).custom()
                });
            }
            // Tags over the quota, one of the wrong type: both, 413.
            1 if rules.max_tags().saturating_mul(8) < rules.max_body_bytes() / 2 => {
                let n = rules.max_tags() + 1;
                let bad = s.below(n);
                let tags = (0..n)
                    .map(|i| {
                        if i == bad {
                            J::Null
                        } else {
                            J::s(format!("t{i}"))
                        }
                    })
                    .collect();
                let what = "tags over the quota, one of the wrong type";
                faults.push(Fault {
                    violations: vec![
                        (format!("/tags/{bad}"), Code::WrongType),
                        ("/tags".into(), Code::TooMany),
                    ],
                    ..Fault::new(what, "tags", J::Arr(tags), Code::WrongType)
                });
            }
            // A custom-key fault that also passes the property quota: 413 (or 403).
            2 if rules.max_properties().saturating_mul(16) < rules.max_body_bytes() / 2 => {
                quota = Quota::Pass;
            }
            _ => {}
        }
        let mut what: Vec<&str> = faults.iter().map(|f| f.what).collect();
        let k = (2 + s.below(3)).min(keep.saturating_sub(faults.len()).max(1) + faults.len());
        let codes = member_codes(rules);
        let mut at_end = false;
        for _ in 0..k * 4 {
            if faults.len() >= k {
                break;
            }
            let Some(&code) = s.pick(&codes) else { break };
            ctx.n += 1;
            let Ok(f) = faults::make(code, ctx, s) else {
                continue;
            };
            let clash = faults.iter().any(|g| g.key == f.key)
                || (f.at_end && at_end)
                || (quota == Quota::Pass && f.extra.len() > 1);
            if clash {
                continue;
            }
            at_end |= f.at_end;
            what.push(f.what);
            faults.push(f);
        }
        if quota == Quota::Pass && faults.iter().all(|f| f.customs == 0) {
            let key = format!("zzpass{:03}", ctx.n);
            let what = "a custom key past the quota";
            faults.push(Fault {
                violations: Vec::new(),
                ..Fault::new(what, &key, J::s("v"), Code::TooMany).custom()
            });
        }
        let total: usize = faults.iter().map(|f| f.violations.len()).sum::<usize>()
            + usize::from(quota == Quota::Pass);
        if faults.len() < 2 || total > keep {
            continue;
        }
        let what = format!("several faults: {}", what.join("; "));
        if let Some(case) = build(rules, entries, &faults, quota, what, s) {
            if case.all.len() <= keep && case.all.len() >= keep.min(2) {
                return Ok(case);
            }
        }
    }
    Err(KitError::no_fit("body with several faults", rules))
}
