//! What only the tests need besides the crate's kit (`ims_image_meta::kit`, which makes
//! bodies with their verdicts): arbitrary JSON documents (any types, repeated keys,
//! nesting past the parser's limit) with a check that a pointer resolves in one, the
//! generic valid entries `tests/profiles.rs` fits to random knobs, and a renderer that
//! varies whitespace and escaping without changing what a document means.
#![allow(dead_code)]

use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Value};

use ims_image_meta::Catalog;

/// A JSON document as written: objects keep their key order and may repeat keys.
#[derive(Debug, Clone, PartialEq)]
pub enum J {
    Null,
    Bool(bool),
    /// A number token, written as is.
    Num(String),
    Str(String),
    Arr(Vec<J>),
    Obj(Vec<(String, J)>),
}

impl J {
    pub fn s(v: impl Into<String>) -> J {
        J::Str(v.into())
    }
    pub fn n(v: impl ToString) -> J {
        J::Num(v.to_string())
    }
}

/// How a document is spelled: whitespace between tokens and escapes inside strings.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub seed: u64,
    /// One in this many characters is written as an escape (0: none).
    pub escape_one_in: u32,
    /// Whether to put whitespace between tokens.
    pub spaces: bool,
}

impl Style {
    pub const PLAIN: Style = Style {
        seed: 1,
        escape_one_in: 0,
        spaces: false,
    };
}

pub fn style() -> impl Strategy<Value = Style> {
    (any::<u64>(), select(vec![0u32, 0, 2, 7, 31]), any::<bool>()).prop_map(
        |(seed, escape_one_in, spaces)| Style {
            seed: seed | 1,
            escape_one_in,
            spaces,
        },
    )
}

struct Writer {
    out: String,
    rng: u64,
    style: Style,
}

impl Writer {
    fn next(&mut self) -> u64 {
        // xorshift64
        let mut x = self.rng;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.rng = x;
        x
    }

    fn ws(&mut self) {
        if self.style.spaces {
            const WS: [&str; 6] = ["", " ", "\n", "\t", "\r\n  ", "  "];
            let i = (self.next() % WS.len() as u64) as usize;
            self.out.push_str(WS[i]);
        }
    }

    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            let escape = self.style.escape_one_in > 0
                && self.next() % u64::from(self.style.escape_one_in) == 0;
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' if !escape => self.out.push_str("\\n"),
                '\t' if !escape => self.out.push_str("\\t"),
                '/' if escape => self.out.push_str("\\/"),
                c if (c as u32) < 0x20 || escape => {
                    let mut buf = [0u16; 2];
                    let upper = self.next() % 2 == 0;
                    for unit in c.encode_utf16(&mut buf) {
                        if upper {
                            self.out.push_str(&format!("\\u{unit:04X}"));
                        } else {
                            self.out.push_str(&format!("\\u{unit:04x}"));
                        }
                    }
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn value(&mut self, v: &J) {
        match v {
            J::Null => self.out.push_str("null"),
            J::Bool(b) => self.out.push_str(if *b { "true" } else { "false" }),
            J::Num(n) => self.out.push_str(n),
            J::Str(s) => self.string(s),
            J::Arr(items) => {
                self.out.push('[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.ws();
                    self.value(item);
                    self.ws();
                }
                self.out.push(']');
            }
            J::Obj(entries) => {
                self.out.push('{');
                for (i, (k, item)) in entries.iter().enumerate() {
                    if i > 0 {
                        self.out.push(',');
                    }
                    self.ws();
                    self.string(k);
                    self.ws();
                    self.out.push(':');
                    self.ws();
                    self.value(item);
                    self.ws();
                }
                self.out.push('}');
            }
        }
    }
}

pub fn render(v: &J, style: Style) -> String {
    let mut w = Writer {
        out: String::new(),
        rng: style.seed,
        style,
    };
    w.ws();
    w.value(v);
    w.ws();
    w.out
}

/// Renders with `style`, or plainly when that would pass the default size cap.
pub fn render_capped(v: &J, style: Style) -> String {
    let s = render(v, style);
    if s.len() <= ims_image_meta::Rules::default().max_body_bytes() {
        s
    } else {
        render(v, Style::PLAIN)
    }
}

/// The JSON value a document means (the last of repeated keys wins, as in serde_json).
pub fn to_value(v: &J) -> Value {
    match v {
        J::Null => Value::Null,
        J::Bool(b) => Value::Bool(*b),
        J::Num(n) => serde_json::from_str(n).unwrap(),
        J::Str(s) => Value::String(s.clone()),
        J::Arr(a) => Value::Array(a.iter().map(to_value).collect()),
        J::Obj(e) => Value::Object(e.iter().map(|(k, v)| (k.clone(), to_value(v))).collect()),
    }
}

// ---- valid bodies ---------------------------------------------------------------

/// Keys with a meaning of their own: never generated as custom properties.
pub fn is_known_key(k: &str) -> bool {
    const FIELDS: [&str; 13] = [
        "id",
        "name",
        "__os_version",
        "visibility",
        "protected",
        "container_format",
        "disk_format",
        "tags",
        "min_ram",
        "min_disk",
        "__description",
        "hw_firmware_type",
        "os_hidden",
    ];
    FIELDS.contains(&k)
        || ims_image_meta::keys::READ_ONLY.contains(&k)
        || ims_image_meta::keys::RESERVED.contains(&k)
        || k.starts_with(ims_image_meta::keys::RESERVED_PREFIX)
}

/// Any text a string may hold under the default rules: no NUL, nothing past the BMP.
pub const TEXT: &str = "[^\u{0}\u{10000}-\u{10FFFF}]";

fn name() -> impl Strategy<Value = String> {
    prop_oneof![
        "[A-Za-z0-9._\u{4E00}-\u{9FFF}-]",
        "[A-Za-z0-9._\u{4E00}-\u{9FFF}-][A-Za-z0-9._ \u{4E00}-\u{9FFF}-]{0,20}[A-Za-z0-9._\u{4E00}-\u{9FFF}-]",
        "[A-Za-z0-9._\u{4E00}-\u{9FFF}-][A-Za-z0-9._ \u{4E00}-\u{9FFF}-]{0,253}[A-Za-z0-9._\u{4E00}-\u{9FFF}-]",
        "[a\u{9FFF}]{255}",
    ]
}

fn tag(max: usize) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z]{1,6}",
        2 => proptest::string::string_regex(&format!("{TEXT}{{1,{max}}}")).unwrap(),
        1 => proptest::string::string_regex(&format!("[x\u{6F22}]{{{max}}}")).unwrap(),
    ]
}

fn tags() -> impl Strategy<Value = Vec<String>> {
    prop_oneof![
        6 => prop::collection::vec(tag(255), 0..8),
        1 => prop::collection::vec(tag(8), 120..=128),
        1 => prop::collection::vec(select(vec!["a", "b", "c"]).prop_map(String::from), 0..10),
    ]
}

fn custom_key() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => "[a-z_][a-z0-9_:.]{0,20}",
        1 => proptest::string::string_regex(&format!("{TEXT}{{1,30}}")).unwrap(),
        1 => "[k\u{952E}]{255}",
    ]
    .prop_map(|k| {
        if is_known_key(&k) {
            format!("x_{k}")
        } else {
            k
        }
    })
}

fn custom_value() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::string::string_regex(&format!("{TEXT}{{0,40}}")).unwrap(),
        1 => Just(String::new()),
        1 => Just("v".repeat(65_535)),
    ]
}

fn properties() -> impl Strategy<Value = Vec<(String, String)>> {
    let few = prop::collection::vec((custom_key(), custom_value()), 0..6);
    let many = prop::collection::vec(("[a-z]{1,10}", "[a-z]{0,8}"), 100..=140);
    prop_oneof![6 => few, 1 => many].prop_map(|mut ps| {
        for (k, _) in &mut ps {
            if is_known_key(k) {
                *k = format!("x_{k}");
            }
        }
        let mut seen = std::collections::HashSet::new();
        ps.retain(|(k, _)| seen.insert(k.clone()));
        ps.truncate(128);
        // At most one maximal value, so that any body stays under the size cap.
        let mut long = 0;
        ps.retain(|(_, v)| {
            long += usize::from(v.len() > 1000);
            v.len() <= 1000 || long == 1
        });
        ps
    })
}

fn uuid() -> impl Strategy<Value = String> {
    "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
}

pub fn catalog_versions() -> Vec<String> {
    Catalog::builtin()
        .iter()
        .map(|e| e.version().to_owned())
        .collect()
}

/// A valid body (default rules): every optional field present or absent, as an
/// ordered list of entries (the order is shuffled by the strategy).
pub fn valid_entries() -> impl Strategy<Value = Vec<(String, J)>> {
    let disk = select(ims_image_meta::Rules::default().disk_formats().to_vec())
        .prop_map(|f| J::s(f.as_str()));
    (
        (
            prop::option::of(prop_oneof![4 => name().prop_map(J::Str), 1 => Just(J::Null)]),
            prop::option::of(select(catalog_versions()).prop_map(J::Str)),
            prop::option::of(Just(J::s("private"))),
            prop::option::of(any::<bool>().prop_map(J::Bool)),
            prop::option::of(prop_oneof![Just(J::s("bare")), Just(J::Null)]),
            prop::option::of(prop_oneof![4 => disk, 1 => Just(J::Null)]),
            prop::option::of(tags().prop_map(|t| J::Arr(t.into_iter().map(J::Str).collect()))),
        ),
        (
            prop::option::of(prop_oneof![0u32..=4096, Just(0), Just(2_147_483_647)].prop_map(J::n)),
            prop::option::of(prop_oneof![40u32..=1024, Just(40), Just(1024)].prop_map(J::n)),
            prop::option::of(uuid().prop_map(J::Str)),
            prop::option::of(
                proptest::string::string_regex("[^\u{0}\r<>\u{10000}-\u{10FFFF}]{0,1024}")
                    .unwrap()
                    .prop_map(J::Str),
            ),
            prop::option::of(select(vec!["bios", "uefi"]).prop_map(J::s)),
            prop::option::of(any::<bool>().prop_map(J::Bool)),
            properties(),
        ),
    )
        .prop_map(
            |((name, os, vis, prot, cf, df, tags), (ram, disk, id, desc, fw, hidden, props))| {
                let mut e: Vec<(String, J)> = Vec::new();
                let fields = [
                    ("name", name),
                    ("__os_version", os),
                    ("visibility", vis),
                    ("protected", prot),
                    ("container_format", cf),
                    ("disk_format", df),
                    ("tags", tags),
                    ("min_ram", ram),
                    ("min_disk", disk),
                    ("id", id),
                    ("__description", desc),
                    ("hw_firmware_type", fw),
                    ("os_hidden", hidden),
                ];
                for (k, v) in fields {
                    if let Some(v) = v {
                        e.push((k.to_owned(), v));
                    }
                }
                e.extend(props.into_iter().map(|(k, v)| (k, J::Str(v))));
                e
            },
        )
        .prop_shuffle()
}

// ---- arbitrary documents --------------------------------------------------------

fn any_key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => select(vec![
            "name", "tags", "min_ram", "min_disk", "id", "status", "__os_version", "protected",
            "visibility", "disk_format", "container_format", "os_glance_x", "location", "a", "b", "",
        ]).prop_map(String::from),
        2 => "[a-c]{1,2}",
        1 => ".{0,8}",
    ]
}

fn leaf() -> impl Strategy<Value = J> {
    prop_oneof![
        Just(J::Null),
        any::<bool>().prop_map(J::Bool),
        any::<i64>().prop_map(J::n),
        any::<u64>().prop_map(J::n),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| J::Num(json!(f).to_string())),
        select(vec![
            "0",
            "-0",
            "1e3",
            "1024.0",
            "2147483648",
            "123456789012345678901234567890",
            "-0.0"
        ])
        .prop_map(|s| J::Num(s.into())),
        ".{0,12}".prop_map(J::Str),
        "[a-z0-9 ]{0,300}".prop_map(J::Str),
    ]
}

/// Any JSON document: any types, repeated keys, and nesting up to and past the
/// parser's limit.
pub fn any_document() -> impl Strategy<Value = J> {
    let tree = leaf().prop_recursive(6, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(J::Arr),
            prop::collection::vec((any_key(), inner), 0..6).prop_map(J::Obj),
        ]
    });
    let deep = (1usize..=140, leaf(), any::<bool>()).prop_map(|(depth, leaf, objects)| {
        let mut v = leaf;
        for _ in 0..depth {
            v = if objects {
                J::Obj(vec![("k".into(), v)])
            } else {
                J::Arr(vec![v])
            };
        }
        J::Obj(vec![("p".into(), v)])
    });
    prop_oneof![
        4 => prop::collection::vec((any_key(), tree.clone()), 0..10).prop_map(J::Obj),
        1 => tree,
        1 => deep,
    ]
}

/// Whether an RFC 6901 pointer names a place in `doc`. Where an object repeats a key,
/// any occurrence counts (a parsed `Value` keeps only the last).
pub fn resolves(doc: &J, pointer: &str) -> bool {
    if pointer.is_empty() {
        return true;
    }
    let Some(rest) = pointer.strip_prefix('/') else {
        return false;
    };
    let (token, tail) = match rest.find('/') {
        Some(i) => (&rest[..i], &rest[i..]),
        None => (rest, ""),
    };
    let token = token.replace("~1", "/").replace("~0", "~");
    match doc {
        J::Obj(entries) => entries
            .iter()
            .any(|(k, v)| *k == token && resolves(v, tail)),
        J::Arr(items) => token
            .parse::<usize>()
            .ok()
            .filter(|_| token == "0" || !token.starts_with('0'))
            .and_then(|i| items.get(i))
            .is_some_and(|v| resolves(v, tail)),
        _ => false,
    }
}
