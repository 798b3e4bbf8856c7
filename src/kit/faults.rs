//! One fault per call: a member (or two) that breaks one rule, and the violation it
//! must cause. Each code has several ways to arise; those the rules rule out (a charset
//! that allows every character, a range that starts at 0, …) are left out.

use crate::code::Code;
use crate::keys::{Field, READ_ONLY, RESERVED, RESERVED_PREFIX};
use crate::kit::doc::{pointer, J};
use crate::kit::valid::{kind, Kind};
use crate::kit::{KitError, Source};
use crate::rules::Rules;
use crate::values::NameCharset;
use crate::values::{DiskFormat, OsType};

/// A broken member and the violations it causes.
#[derive(Debug, Clone)]
pub(crate) struct Fault {
    pub(crate) what: &'static str,
    /// The top-level key it takes (a valid member of the same key is replaced).
    pub(crate) key: String,
    pub(crate) value: J,
    /// A second member with the same key (a repeated key), placed after the first.
    pub(crate) again: Option<J>,
    /// More custom members (a flood), all valid on their own.
    pub(crate) extra: Vec<(String, J)>,
    /// The violations, in the order a report lists them.
    pub(crate) violations: Vec<(String, Code)>,
    /// Whether its violation is listed after the other members (a repeated key other
    /// than a field's).
    pub(crate) at_end: bool,
    /// How many distinct custom-property keys it adds (they count toward the quota).
    pub(crate) customs: usize,
}

impl Fault {
    pub(crate) fn new(what: &'static str, key: &str, value: J, code: Code) -> Fault {
        Fault {
            what,
            key: key.to_owned(),
            value,
            again: None,
            extra: Vec::new(),
            violations: vec![(pointer(key), code)],
            at_end: false,
            customs: 0,
        }
    }

    pub(crate) fn custom(mut self) -> Fault {
        self.customs = 1;
        self
    }

    fn at(mut self, pointer: String) -> Fault {
        if let Some(v) = self.violations.first_mut() {
            v.0 = pointer;
        }
        self
    }
}

/// What a fault may depend on besides the rules.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ctx<'r> {
    pub(crate) rules: &'r Rules,
    /// The OS type that chooses the `min_disk` range, when it is known (`None` when
    /// another fault may change it: then only values out of every range are used).
    pub(crate) os_type: Option<OsType>,
    /// A number for unique custom keys.
    pub(crate) n: usize,
}

/// Why `code` can never arise on create under `rules`, if it cannot.
pub(crate) fn impossible(rules: &Rules, code: Code) -> Option<String> {
    match code {
        Code::FourByteUnicode if rules.allow_four_byte_unicode() => {
            Some("the rules allow characters at U+10000 and above (allow_four_byte_unicode)".into())
        }
        Code::NearMissKey if !rules.refuse_near_miss_keys() => Some(
            "the rules accept a key one typo away from a field, with a warning \
             (refuse_near_miss_keys is false)"
                .into(),
        ),
        Code::BodyTooLarge
        | Code::EmptyBody
        | Code::MalformedJson
        | Code::NotAnObject
        | Code::DuplicateKey
        | Code::WrongType
        | Code::TooShort
        | Code::TooLong
        | Code::OutOfRange
        | Code::NotAllowed
        | Code::BadFormat
        | Code::UnknownOsVersion
        | Code::FourByteUnicode
        | Code::NulCharacter
        | Code::TooMany
        | Code::ReadOnly
        | Code::Reserved
        | Code::NearMissKey => None,
        #[allow(unreachable_patterns)] // `Code` grows: codes of other calls.
        _ => Some(format!(
            "'{code}' is not a code of the create call (POST /v2/images)"
        )),
    }
}

/// The keys of `f`'s wrong types.
fn wrong_values(f: Field) -> Vec<J> {
    let floats = [
        "1.0e1", "10.0", "1e1", "1E+1", "-0.0", "0.0", "1024.0", "1e3", "0.5",
    ];
    let mut out = match kind(f) {
        Kind::Str => vec![
            J::Bool(true),
            J::n(1),
            J::n("1.5"),
            J::Arr(vec![]),
            J::Obj(vec![]),
        ],
        Kind::Bool => vec![
            J::s("true"),
            J::n(0),
            J::n(1),
            J::Arr(vec![]),
            J::s("false"),
        ],
        Kind::Int => {
            let mut v = vec![J::s("40"), J::Bool(false), J::Arr(vec![]), J::s("-1")];
            v.extend(floats.iter().map(|x| J::n(*x)));
            v
        }
        Kind::Tags => vec![J::s("a"), J::Obj(vec![]), J::n(1), J::Bool(true)],
    };
    if !f.null_is_absent() {
        out.push(J::Null);
    }
    out
}

/// Tags `t0`, `t1`, … then `bad` at index `i`: its pointer is `/tags/i`.
fn tags_with(rules: &Rules, i: usize, bad: J) -> (J, String) {
    let i = i.min(rules.max_tags().saturating_sub(1));
    let mut t: Vec<J> = (0..i).map(|k| J::s(format!("t{k}"))).collect();
    t.push(bad);
    (J::Arr(t), format!("/tags/{i}"))
}

/// Keys that fold to a field's key (case, `-` and `_`): near misses, never a key
/// of the table itself. `i` picks the variant.
pub(crate) fn near_miss_key(f: Field, i: usize) -> Option<String> {
    let letters: Vec<char> = f.key().chars().filter(|c| *c != '_').collect();
    let mut out = String::new();
    let mut bits = i.wrapping_mul(0x9E37_79B9) ^ i;
    for (j, c) in letters.iter().enumerate() {
        if j > 0 && bits & 3 == 1 {
            out.push('-');
        }
        if j > 0 && bits & 7 == 2 {
            out.push('_');
        }
        out.push(if bits & 8 != 0 {
            c.to_ascii_uppercase()
        } else {
            *c
        });
        bits = bits.rotate_right(3) ^ (j + i);
    }
    if i % 5 == 0 {
        out.insert(0, '-');
    }
    let known = Field::KEYS.contains(&out.as_str())
        || READ_ONLY.contains(&out.as_str())
        || RESERVED.contains(&out.as_str())
        || out.starts_with(RESERVED_PREFIX);
    (!known && out.len() <= 40).then_some(out)
}

/// A value of each JSON type but string (the boolean `b`).
fn not_strings(b: bool) -> [J; 5] {
    [J::Null, J::n(1), J::Bool(b), J::Arr(vec![]), J::Obj(vec![])]
}

/// One fault of `code`.
pub(crate) fn make(code: Code, c: Ctx<'_>, s: &mut Source) -> Result<Fault, KitError> {
    if let Some(reason) = impossible(c.rules, code) {
        return Err(KitError::Impossible { code, reason });
    }
    let rules = c.rules;
    let zz = |tag: &str| format!("zz{tag}{:03}", c.n);
    let f = match code {
        Code::WrongType => match s.below(4) {
            0 => {
                let f = *s.pick(Field::ALL).unwrap_or(&Field::Name);
                let bad = wrong_values(f);
                let v = s.pick(&bad).cloned().unwrap_or(J::Null);
                Fault::new("a field of the wrong type", f.key(), v, code)
            }
            1 => {
                let bad = not_strings(true);
                let v = s.pick(&bad).cloned().unwrap_or(J::Null);
                let (tags, p) = tags_with(rules, s.below(4), v);
                Fault::new("a tag of the wrong type", "tags", tags, code).at(p)
            }
            2 => {
                let bad = not_strings(false);
                let v = s.pick(&bad).cloned().unwrap_or(J::Null);
                Fault::new("a custom value of the wrong type", &zz("_v"), v, code).custom()
            }
            _ => {
                let key = format!("a/b~c{:03}", c.n);
                Fault::new("pointer escapes in a custom key", &key, J::n(5), code).custom()
            }
        },
        Code::TooShort => match s.below(3) {
            0 => Fault::new("an empty name", "name", J::s(""), code),
            1 => {
                let (tags, p) = tags_with(rules, s.below(4), J::s(""));
                Fault::new("an empty tag", "tags", tags, code).at(p)
            }
            _ => Fault::new("an empty custom key", "", J::s("v"), code).custom(),
        },
        Code::TooLong => {
            // Which members can be too long and still fit the cap: a tag, a description
            // and a custom key always can; a name and a custom value when small enough.
            let room = rules.max_body_bytes().saturating_sub(64);
            let mut options = vec![1, 2, 3];
            if rules.name_max_chars().saturating_mul(3) < room {
                options.push(0);
            }
            if rules.property_value_max_bytes() < room {
                options.push(4);
            }
            match *s.pick(&options).unwrap_or(&1) {
                0 => {
                    let n = rules.name_max_chars() + 1 + s.below(4);
                    let c = *s.pick(&["x", "镜", " "]).unwrap_or(&"x");
                    Fault::new("a name too long", "name", J::s(c.repeat(n)), code)
                }
                1 => {
                    let n = 256 + s.below(5);
                    let (tags, p) = tags_with(rules, s.below(3), J::s("标".repeat(n)));
                    Fault::new("a tag too long", "tags", tags, code).at(p)
                }
                2 => {
                    let n = Rules::DESCRIPTION_MAX_CHARS + 1 + s.below(4);
                    Fault::new(
                        "a description too long",
                        "__description",
                        J::s("d".repeat(n)),
                        code,
                    )
                }
                3 => {
                    // 256 chars: the pointer holds it whole; 257 and more: cut to 64.
                    let n = 256 + s.below(5) - 3;
                    let key = format!("{}{:03}", "键".repeat(n), c.n);
                    Fault::new("a custom key too long", &key, J::s("v"), code).custom()
                }
                _ => {
                    let n = rules.property_value_max_bytes() + 1;
                    let v = if s.below(2) == 0 || n < 2 {
                        "v".repeat(n)
                    } else {
                        // Two bytes a char: one byte over, or two.
                        "é".repeat(n.div_ceil(2))
                    };
                    Fault::new("a custom value too long", &zz("_long"), J::s(v), code).custom()
                }
            }
        }
        Code::OutOfRange => {
            if s.below(2) == 0 {
                // An integer field of the table (`min_ram`, an integer extension), past
                // its largest value under these rules, or below 0.
                let ints: Vec<(Field, u32)> = Field::ints(rules).collect();
                let (f, max) = s.pick(&ints).copied().unwrap_or((Field::MinRam, 0));
                let v = [
                    "-1".to_owned(),
                    (u64::from(max) + 1).to_string(),
                    "4294967296".to_owned(),
                    "18446744073709551616".to_owned(),
                    "-9223372036854775809".to_owned(),
                    "99999999999999999999".to_owned(),
                ];
                let x = s.pick(&v).cloned().unwrap_or_else(|| "-1".into());
                Fault::new("an integer field out of range", f.key(), J::n(x), code)
            } else {
                let mut v: Vec<String> = vec!["-1".into(), "18446744073709551616".into()];
                if let Some(t) = c.os_type {
                    let r = rules.min_disk_range(t);
                    if *r.start() > 0 {
                        v.push((r.start() - 1).to_string());
                        v.push("0".into());
                        v.push("-0".into());
                    }
                    v.push((u64::from(*r.end()) + 1).to_string());
                }
                let x = s.pick(&v).cloned().unwrap_or_else(|| "-1".into());
                Fault::new("min_disk out of range", "min_disk", J::n(x), code)
            }
        }
        Code::NotAllowed => {
            let not_allowed_disk: Vec<String> = DiskFormat::ALL
                .iter()
                .filter(|d| !rules.disk_formats().contains(d))
                .map(|d| d.as_str().to_owned())
                .chain(["VHD".into(), "docker".into(), String::new()])
                .collect();
            let (key, values): (&str, Vec<String>) = match s.below(4) {
                0 => (
                    "visibility",
                    vec![
                        "public".into(),
                        "shared".into(),
                        "Private".into(),
                        String::new(),
                    ],
                ),
                1 => (
                    "container_format",
                    vec!["ovf".into(), "BARE".into(), "docker".into(), String::new()],
                ),
                2 => ("disk_format", not_allowed_disk),
                _ => (
                    "hw_firmware_type",
                    vec!["efi".into(), "BIOS".into(), String::new()],
                ),
            };
            let v = s.pick(&values).cloned().unwrap_or_default();
            Fault::new("a value not allowed", key, J::s(v), code)
        }
        Code::BadFormat => {
            let max = rules.name_max_chars();
            let mut options = vec![0, 1];
            if rules.name_charset() != NameCharset::Any {
                options.push(2);
            }
            options.push(3);
            match *s.pick(&options).unwrap_or(&0) {
                0 => {
                    let v = [
                        "not-a-uuid",
                        "4ca46bf15c6148ffb4f30ad4e5e3ba86",
                        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba8",
                        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86\n",
                        "",
                        "{4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86}",
                        "gca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
                    ];
                    Fault::new("a bad id", "id", J::s(*s.pick(&v).unwrap_or(&"x")), code)
                }
                1 => {
                    let v = if max >= 2 {
                        *s.pick(&[" a", "a ", " ", "  a b "]).unwrap_or(&" ")
                    } else {
                        " "
                    };
                    let v = if v.chars().count() > max { " " } else { v };
                    Fault::new("a name with a space at an end", "name", J::s(v), code)
                }
                2 => {
                    let mut bad = vec![
                        "/", "é", "(", "\t", "\u{3000}", "\u{A000}", "\u{4DFF}", "\n",
                    ];
                    if rules.name_charset() == NameCharset::ImsNoCjk {
                        bad.push("镜");
                    }
                    let ch = *s.pick(&bad).unwrap_or(&"/");
                    let v = if max >= 3 {
                        format!("a{ch}b")
                    } else {
                        ch.to_owned()
                    };
                    Fault::new(
                        "a name with a character outside the charset",
                        "name",
                        J::s(v),
                        code,
                    )
                }
                _ => {
                    let v = *s.pick(&["<b>", "a>b", "cr\rhere"]).unwrap_or(&"<");
                    Fault::new("a description with markup", "__description", J::s(v), code)
                }
            }
        }
        Code::UnknownOsVersion => {
            let default = rules.default_os_version().version().to_owned();
            let mut v: Vec<String> = Vec::new();
            if !rules.allow_unknown_os_version() {
                v.extend(
                    [
                        "centos 7.3 64bit",
                        "Ubuntu",
                        "Windows 11",
                        "other linux(64 bit)",
                    ]
                    .iter()
                    .map(|x| (*x).to_owned()),
                );
                if let Some(row) = s.pick(&rules.catalog().iter().collect::<Vec<_>>()) {
                    v.push(row.version().to_uppercase());
                    v.push(format!("{} ", row.version()));
                }
            }
            v.push(String::new());
            v.retain(|x| !rules.catalog().contains(x) && *x != default);
            let x = s.pick(&v).cloned().unwrap_or_default();
            Fault::new("an unknown __os_version", "__os_version", J::s(x), code)
        }
        Code::FourByteUnicode | Code::NulCharacter => {
            let ch = if code == Code::NulCharacter {
                *s.pick(&["\0", "a\0b", "\0\0"]).unwrap_or(&"\0")
            } else {
                *s.pick(&["😀", "a😀", "\u{10000}", "𠀋x", "\u{10FFFF}"])
                    .unwrap_or(&"😀")
            };
            let what = if code == Code::NulCharacter {
                "a NUL character"
            } else {
                "a character past the BMP"
            };
            match s.below(5) {
                0 => {
                    let strings: Vec<Field> = Field::ALL
                        .iter()
                        .copied()
                        .filter(|f| kind(*f) == Kind::Str)
                        .collect();
                    let f = *s.pick(&strings).unwrap_or(&Field::Name);
                    Fault::new(what, f.key(), J::s(ch), code)
                }
                1 => {
                    let (tags, p) = tags_with(rules, s.below(3), J::s(ch));
                    Fault::new(what, "tags", tags, code).at(p)
                }
                2 => {
                    let key = format!("k{ch}{:03}", c.n);
                    Fault::new(what, &key, J::s("v"), code).custom()
                }
                3 => Fault::new(what, &zz("_c"), J::s(format!("v{ch}")), code).custom(),
                _ => Fault::new(what, "name", J::s(format!("a{ch}")), code),
            }
        }
        Code::TooMany => {
            let room = rules.max_body_bytes().saturating_sub(64);
            let tags_fit = rules.max_tags().saturating_add(4).saturating_mul(8) < room;
            let props_fit = rules.max_properties().saturating_add(3).saturating_mul(16) < room;
            let pick = match (tags_fit, props_fit) {
                (true, true) => s.below(2),
                (true, false) => 0,
                (false, true) => 1,
                (false, false) => {
                    return Err(KitError::no_fit(
                        "body with more tags or custom properties than the quota",
                        rules,
                    ))
                }
            };
            if pick == 0 {
                let n = rules.max_tags() + 1 + s.below(3);
                let same = s.one_in(3);
                let tags = (0..n)
                    .map(|i| {
                        J::s(if same {
                            "a".to_owned()
                        } else {
                            format!("t{i}")
                        })
                    })
                    .collect();
                Fault::new("more tags than the quota", "tags", J::Arr(tags), code)
            } else {
                let n = rules.max_properties() + 1 + s.below(2);
                // The quota's violation is the assembler's: listed last, as a report does.
                let mut f = Fault::new(
                    "more custom properties than the quota",
                    &zz("q0"),
                    J::s("v"),
                    code,
                );
                f.violations.clear();
                f.extra = (1..n)
                    .map(|i| (format!("zzq{i}_{:03}", c.n), J::s("v")))
                    .collect();
                f.customs = n;
                f
            }
        }
        Code::ReadOnly => {
            let key = *s.pick(READ_ONLY).unwrap_or(&"status");
            let v = [
                J::s("x"),
                J::n(1),
                J::Null,
                J::Obj(vec![("a".into(), J::n(1))]),
                J::s("\0"),
            ];
            let v = s.pick(&v).cloned().unwrap_or(J::Null);
            Fault::new("a read-only key", key, v, code)
        }
        Code::Reserved => {
            let key = if s.below(2) == 0 {
                (*s.pick(RESERVED).unwrap_or(&"location")).to_owned()
            } else {
                let tail = *s
                    .pick(&["", "_x", "_import_method", "Z", "_镜"])
                    .unwrap_or(&"");
                format!("{RESERVED_PREFIX}{tail}")
            };
            let v = [J::n(1), J::s("x"), J::Null, J::Arr(vec![J::n(1)])];
            let v = s.pick(&v).cloned().unwrap_or(J::Null);
            Fault::new("a reserved key", &key, v, code)
        }
        Code::DuplicateKey => {
            let first = [J::s("a"), J::n(1), J::Null, J::s("\0"), J::Arr(vec![])];
            let v1 = s.pick(&first).cloned().unwrap_or(J::Null);
            let v2 = s.pick(&first).cloned().unwrap_or(J::Null);
            let mut f = match s.below(3) {
                0 => {
                    let f = *s.pick(Field::ALL).unwrap_or(&Field::Name);
                    Fault::new("a field given twice", f.key(), v1, code)
                }
                1 => {
                    let mut f =
                        Fault::new("a custom key given twice", &zz("_d"), v1, code).custom();
                    f.at_end = true;
                    f
                }
                _ => {
                    let key = *s.pick(READ_ONLY).unwrap_or(&"status");
                    let mut f = Fault::new("a read-only key given twice", key, v1, code);
                    f.at_end = true;
                    f
                }
            };
            f.again = Some(v2);
            f
        }
        Code::NearMissKey => {
            let f = *s.pick(Field::ALL).unwrap_or(&Field::Name);
            let key = (0..64)
                .find_map(|i| near_miss_key(f, s.below(1 << 16) + i))
                .unwrap_or_else(|| f.key().to_uppercase());
            Fault::new("a key one typo away from a field", &key, J::s("v"), code).custom()
        }
        // The whole-body codes (`impossible` refused the other calls' codes above).
        _ => {
            return Err(KitError::Impossible {
                code,
                reason: "a whole-body code has no member to break".into(),
            })
        }
    };
    Ok(f)
}

/// A body with exactly one whole-body violation of `code` (pointer ``), at most
/// `cap` bytes except for `body_too_large`.
pub(crate) fn whole_body(code: Code, rules: &Rules, s: &mut Source) -> Result<Vec<u8>, KitError> {
    let cap = rules.max_body_bytes();
    let fits = |b: &[u8]| b.len() <= cap;
    let body: Vec<u8> = match code {
        Code::BodyTooLarge => {
            if cap > 64 << 20 {
                return Err(KitError::no_fit(
                    "body over the cap (the cap is over 64 MiB)",
                    rules,
                ));
            }
            // A valid object padded past the cap: nothing is parsed.
            let over = cap + 1 + s.below(16);
            let mut b = b"{\"name\":\"x\"}".to_vec();
            let pad = *s.pick(&[b' ', b'\n', b'x', 0xFF]).unwrap_or(&b' ');
            b.resize(over.max(b.len()), pad);
            b
        }
        Code::EmptyBody => {
            let n = s.below(cap.min(8) + 1);
            (0..n)
                .map(|_| *s.pick(b" \t\n\r").unwrap_or(&b' '))
                .collect()
        }
        Code::MalformedJson => {
            let depth = 127 + s.below(3);
            let deep = format!("{{\"p\":{}{}}}", "[".repeat(depth), "]".repeat(depth));
            let options: Vec<Vec<u8>> = vec![
                b"{".to_vec(),
                b"{\"a\":}".to_vec(),
                b"{} x".to_vec(),
                b"{\"a\":\"\xff\"}".to_vec(),
                b"{\"a\":\"\\ud800\"}".to_vec(),
                b"{\"min_ram\": 1e400}".to_vec(),
                b"{\"a\" \"b\"}".to_vec(),
                b"{'a':1}".to_vec(),
                b"{\"a\":1,}".to_vec(),
                b"{\"a\":\"\x01\"}".to_vec(),
                deep.into_bytes(),
            ];
            let fitting: Vec<&Vec<u8>> = options.iter().filter(|b| fits(b)).collect();
            (*s.pick(&fitting).unwrap_or(&&b"{".to_vec())).clone()
        }
        _ => {
            let options: [&[u8]; 7] = [
                b"[]",
                b"1",
                b"\"x\"",
                b"null",
                b"true",
                b" [ {} ] ",
                b"-0.0e5",
            ];
            let fitting: Vec<&[u8]> = options.iter().copied().filter(|b| fits(b)).collect();
            s.pick(&fitting).copied().unwrap_or(b"1").to_vec()
        }
    };
    if code != Code::BodyTooLarge && !fits(&body) {
        return Err(KitError::no_fit(format!("body breaking '{code}'"), rules));
    }
    Ok(body)
}
