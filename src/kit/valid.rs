//! Valid bodies: each entry with the part of the request it stands for, so that the
//! expected request is read off the entries the kit chose (and dropped, when a body
//! must shrink under the cap).

use crate::catalog::OsVersion;
use crate::keys::{Extensions, Field, FieldKind, Value};
use crate::kit::doc::J;
use crate::kit::{Expected, Source};
use crate::rules::Rules;
use crate::values::NameCharset;
use crate::values::{DiskFormat, OsType};

/// What a field's value is, as the kit writes it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A string (`null` is absent when the table says so).
    Str,
    /// `true` or `false`.
    Bool,
    /// An integer.
    Int,
    /// An array of strings.
    Tags,
}

/// The kind of each field of the table, read from its row.
pub(crate) const fn kind(f: Field) -> Kind {
    match f.kind() {
        FieldKind::Bool => Kind::Bool,
        FieldKind::Int { .. } | FieldKind::MinDisk => Kind::Int,
        FieldKind::Tags => Kind::Tags,
        FieldKind::Uuid
        | FieldKind::Name
        | FieldKind::OsVersion
        | FieldKind::Const { .. }
        | FieldKind::DiskFormat
        | FieldKind::Text { .. }
        | FieldKind::Choice { .. } => Kind::Str,
    }
}

/// The part of the request a valid entry stands for.
#[derive(Debug, Clone)]
pub(crate) enum Role {
    Id(String),
    /// `None`: `null`.
    Name(Option<String>),
    Os(OsVersion),
    /// `visibility: private`, or `container_format` (`bare` or `null`): no field of
    /// the request changes.
    Fixed,
    Protected(bool),
    /// `None`: `null`.
    Disk(Option<DiskFormat>),
    Tags(Vec<String>),
    MinRam(u32),
    MinDisk(u32),
    /// A known extension, with its value.
    Extension(Field, Value<String>),
    /// A custom property, with its value.
    Custom(String),
}

/// One member of a valid body.
#[derive(Debug, Clone)]
pub(crate) struct Entry {
    pub(crate) key: String,
    pub(crate) value: J,
    pub(crate) role: Role,
}

/// The expected request of `entries` under `rules`.
pub(crate) fn expected(rules: &Rules, entries: &[Entry]) -> Expected {
    let mut e = Expected {
        id: None,
        name: None,
        os_version: rules.default_os_version().clone(),
        protected: false,
        disk_format: rules.default_disk_format(),
        tags: Vec::new(),
        min_ram: 0,
        min_disk: 0,
        extensions: Extensions::default(),
        properties: Vec::new(),
    };
    let mut min_disk = None;
    for entry in entries {
        match &entry.role {
            Role::Id(s) => e.id = Some(s.clone()),
            Role::Name(n) => e.name = n.clone(),
            Role::Os(os) => e.os_version = os.clone(),
            Role::Fixed => {}
            Role::Protected(b) => e.protected = *b,
            Role::Disk(d) => e.disk_format = d.unwrap_or(rules.default_disk_format()),
            Role::Tags(tags) => {
                for t in tags {
                    if !e.tags.contains(t) {
                        e.tags.push(t.clone());
                    }
                }
            }
            Role::MinRam(v) => e.min_ram = *v,
            Role::MinDisk(v) => min_disk = Some(*v),
            Role::Extension(f, v) => e.extensions.set(*f, v.clone()),
            Role::Custom(v) => e.properties.push((entry.key.clone(), v.clone())),
        }
    }
    e.min_disk = min_disk.unwrap_or_else(|| rules.default_min_disk(e.os_version.os_type()));
    e
}

/// The OS type that chooses the `min_disk` range of `entries`.
pub(crate) fn os_type(rules: &Rules, entries: &[Entry]) -> OsType {
    entries
        .iter()
        .find_map(|e| match &e.role {
            Role::Os(os) => Some(os.os_type()),
            _ => None,
        })
        .unwrap_or_else(|| rules.default_os_version().os_type())
}

/// Characters every string may hold under `rules` (no NUL; 4-byte ones only where
/// allowed), the simplest first.
fn text_char(rules: &Rules, s: &mut Source) -> char {
    const PLAIN: &[char] = &[
        'a', 'b', 'z', 'A', 'Q', '0', '7', ' ', '-', '.', '_', ':', ',', '/', '~', '"', '\\', '\n',
        '\t', '\u{1}', '\u{7F}', 'é', 'ß', '镜', '像', '\u{3000}', '\u{FFFD}', '\u{FEFF}',
        '\u{2028}', '\u{D7FF}', '\u{E000}', '\u{FFFF}',
    ];
    const ASTRAL: &[char] = &['😀', '\u{10000}', '\u{10FFFF}', '𠀋'];
    if rules.allow_four_byte_unicode() && s.one_in(8) {
        return *s.pick(ASTRAL).unwrap_or(&'a');
    }
    *s.pick(PLAIN).unwrap_or(&'a')
}

/// A length in `1..=max`: short (up to `short`), up to 40, any, or `max` itself.
fn length(s: &mut Source, max: usize, short: usize) -> usize {
    match s.below(4) {
        0 => s.in_range(1, max.min(short)),
        1 => s.in_range(1, max.min(40)),
        2 => s.in_range(1, max),
        _ => max,
    }
}

/// Text of `1..=max` chars without `banned` characters.
pub(crate) fn text(rules: &Rules, s: &mut Source, max: usize, banned: &[char]) -> String {
    let len = length(s, max, 8);
    (0..len)
        .map(|_| {
            let c = text_char(rules, s);
            if banned.contains(&c) {
                'x'
            } else {
                c
            }
        })
        .collect()
}

/// A name under the rules' charset and length, no space at either end.
pub(crate) fn name(rules: &Rules, s: &mut Source) -> String {
    let len = length(s, rules.name_max_chars(), 12);
    let charset = rules.name_charset();
    let mut out = String::new();
    for i in 0..len {
        let end = i == 0 || i + 1 == len;
        let c = match charset {
            NameCharset::Any => {
                let c = text_char(rules, s);
                if end && c == ' ' {
                    'n'
                } else {
                    c
                }
            }
            _ => {
                const ASCII: &[u8] =
                    b"abcxyzABCXYZ0189-._ abcdefghijklmnopqrstuvwxyzDEFGHIJKLMNOPQRSTUVW234567";
                let cjk = charset == NameCharset::Ims && s.one_in(4);
                if cjk {
                    let off = s.below(0x9FFF - 0x4E00 + 1) as u32;
                    char::from_u32(0x4E00 + off).unwrap_or('一')
                } else {
                    let b = *s.pick(ASCII).unwrap_or(&b'a');
                    if end && b == b' ' {
                        'n'
                    } else {
                        char::from(b)
                    }
                }
            }
        };
        out.push(c);
    }
    out
}

/// A UUID in 8-4-4-4-12 form, each hex digit in either case.
pub(crate) fn uuid(s: &mut Source) -> String {
    const HEX: &[u8] = b"0123456789abcdefABCDEF";
    let mut out = String::with_capacity(36);
    for i in 0..36 {
        if matches!(i, 8 | 13 | 18 | 23) {
            out.push('-');
        } else {
            out.push(char::from(*s.pick(HEX).unwrap_or(&b'0')));
        }
    }
    out
}

/// An integer spelled as JSON allows: `-0` for 0 now and then.
fn int(v: u32, s: &mut Source) -> J {
    if v == 0 && s.one_in(2) {
        J::n("-0")
    } else {
        J::n(v)
    }
}

/// A custom key that is no field, no read-only or reserved key and no near miss of
/// a field (each form has three digits or a non-ASCII character, which no near miss
/// has): `n` makes it unique in the body.
pub(crate) fn custom_key(rules: &Rules, s: &mut Source, n: usize) -> String {
    match s.below(7) {
        0 => format!("p{n:03}"),
        1 => {
            let words = ["team", "env", "cost_center", "build.id", "app:tier", "x"];
            format!("{}_{n:03}", s.pick(&words).unwrap_or(&"x"))
        }
        2 => format!("键{n:03}"),
        3 => format!("ü{}{n:03}", text(rules, s, 12, &['\0'])),
        4 => {
            // 255 chars: the longest a key may be.
            let digits = format!("{n:03}");
            let fill = 255usize.saturating_sub(digits.chars().count());
            format!("{}{digits}", "键".repeat(fill))
        }
        5 => format!("a/b~c\"\\ {n:03}"),
        _ if rules.allow_four_byte_unicode() => format!("😀{n:03}"),
        _ => format!("Ω{n:03}"),
    }
}

/// A valid custom value of at most `max` bytes.
pub(crate) fn custom_value(rules: &Rules, s: &mut Source, max: usize) -> String {
    match s.below(6) {
        0 => String::new(),
        5 => "v".repeat(max),
        _ => {
            let mut t = text(rules, s, 40, &[]);
            while t.len() > max {
                t.pop();
            }
            t
        }
    }
}

/// The entries of a valid body under `rules`, within about `budget` bytes, in the
/// table's order (the caller shuffles them).
pub(crate) fn entries(rules: &Rules, s: &mut Source, budget: usize) -> Vec<Entry> {
    let mut out = Vec::new();
    let mut push = |key: &str, value: J, role: Role| {
        out.push(Entry {
            key: key.to_owned(),
            value,
            role,
        });
    };
    let mut os = None;
    for &f in Field::ALL {
        // About half of the fields present (index 0: absent, the simplest).
        if s.below(2) == 0 {
            continue;
        }
        let key = f.key();
        match f {
            Field::Id => {
                let u = uuid(s);
                push(key, J::s(u.clone()), Role::Id(u));
            }
            Field::Name => {
                if s.one_in(6) {
                    push(key, J::Null, Role::Name(None));
                } else {
                    let n = name(rules, s);
                    push(key, J::s(n.clone()), Role::Name(Some(n)));
                }
            }
            Field::OsVersion => {
                let row = if s.one_in(5) {
                    rules.default_os_version().clone()
                } else {
                    let rows: Vec<&OsVersion> = rules.catalog().iter().collect();
                    match s.pick(&rows) {
                        Some(r) => (*r).clone(),
                        None => rules.default_os_version().clone(),
                    }
                };
                os = Some(row.os_type());
                push(key, J::s(row.version()), Role::Os(row));
            }
            Field::Visibility => push(key, J::s("private"), Role::Fixed),
            Field::ContainerFormat => {
                let v = if s.one_in(3) { J::Null } else { J::s("bare") };
                push(key, v, Role::Fixed);
            }
            Field::DiskFormat => {
                if s.one_in(5) {
                    push(key, J::Null, Role::Disk(None));
                } else {
                    let d = *s
                        .pick(rules.disk_formats())
                        .unwrap_or(&rules.default_disk_format());
                    push(key, J::s(d.as_str()), Role::Disk(Some(d)));
                }
            }
            Field::Protected => {
                let b = s.below(2) == 1;
                push(key, J::Bool(b), Role::Protected(b));
            }
            Field::Tags => {
                let max = rules.max_tags();
                let n = if s.one_in(8) && max.saturating_mul(8) <= budget / 4 {
                    max
                } else {
                    s.below(max.min(6) + 1)
                };
                let pool: Vec<String> = (0..3).map(|i| format!("t{i}")).collect();
                let tags: Vec<String> = (0..n)
                    .map(|i| {
                        if n > 6 {
                            format!("t{i}")
                        } else if s.one_in(3) {
                            s.pick(&pool).cloned().unwrap_or_default()
                        } else {
                            text(rules, s, Rules::TAG_MAX_CHARS, &[])
                        }
                    })
                    .collect();
                let v = J::Arr(tags.iter().map(|t| J::s(t.clone())).collect());
                push(key, v, Role::Tags(tags));
            }
            Field::MinRam => {
                let v = match s.below(4) {
                    0 => 0,
                    1 => rules.min_ram_max(),
                    _ => (s.below(4097) as u32).min(rules.min_ram_max()),
                };
                push(key, int(v, s), Role::MinRam(v));
            }
            Field::MinDisk => {
                // Its range is the OS type's; `__os_version` comes earlier in the table.
                let t = os.unwrap_or_else(|| rules.default_os_version().os_type());
                let r = rules.min_disk_range(t);
                let (lo, hi) = (*r.start() as usize, *r.end() as usize);
                let v = match s.below(3) {
                    0 => lo,
                    1 => hi,
                    _ => s.in_range(lo, hi),
                };
                let v = u32::try_from(v).unwrap_or(*r.start());
                push(key, int(v, s), Role::MinDisk(v));
            }
            // A known extension, by its kind in the table.
            _ => match f.kind() {
                FieldKind::Bool => {
                    let b = s.below(2) == 1;
                    push(key, J::Bool(b), Role::Extension(f, Value::Bool(b)));
                }
                FieldKind::Text { max_chars, forbid } => {
                    let d = if s.one_in(6) {
                        "d".repeat(max_chars)
                    } else {
                        text(rules, s, max_chars, forbid)
                    };
                    push(key, J::s(d.clone()), Role::Extension(f, Value::Text(d)));
                }
                FieldKind::Int { max } => {
                    let max = max.under(rules);
                    let v = match s.below(4) {
                        0 => 0,
                        1 => max,
                        _ => u32::try_from(s.below(4097)).unwrap_or(0).min(max),
                    };
                    push(key, int(v, s), Role::Extension(f, Value::Int(v)));
                }
                FieldKind::Choice { values } => {
                    let i = s.below(values.len());
                    let v = values.get(i).copied().unwrap_or_default();
                    push(key, J::s(v), Role::Extension(f, Value::Choice(i)));
                }
                // Documented fields have arms of their own above.
                _ => {}
            },
        }
    }
    // Custom properties: a few, or the quota exactly.
    let max = rules.max_properties();
    let n = if s.one_in(10) && max.saturating_mul(16) <= budget / 4 {
        max
    } else {
        s.below(max.min(5) + 1)
    };
    let long_ok = rules.property_value_max_bytes() <= budget / 3;
    let mut long_used = false;
    for i in 0..n {
        let key = if n > 5 {
            format!("p{i:03}")
        } else {
            custom_key(rules, s, i)
        };
        let most = rules.property_value_max_bytes();
        let cap = if long_ok && !long_used && n <= 5 {
            most
        } else {
            most.min(64)
        };
        let value = custom_value(rules, s, cap);
        long_used |= value.len() > 64;
        push(&key, J::s(value.clone()), Role::Custom(value));
    }
    out
}

/// Shuffles `items` in place (Fisher–Yates; the simplest choice keeps the order).
pub(crate) fn shuffle<T>(items: &mut [T], s: &mut Source) {
    for i in (1..items.len()).rev() {
        let j = i - s.below(i + 1);
        items.swap(i, j);
    }
}
