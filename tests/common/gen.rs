//! proptest generators: valid bodies, one-rule mutations with the violation they must
//! cause, arbitrary JSON documents, and a renderer that varies key order, whitespace
//! and escaping without changing what a body means.
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

// ---- one-rule mutations ---------------------------------------------------------

/// A mutation that breaks exactly one rule, and the violation it must cause.
#[derive(Debug, Clone)]
pub struct Mutation {
    pub what: &'static str,
    /// The key to replace (removed first, wherever it is).
    pub key: String,
    pub value: J,
    pub pointer: String,
    pub code: &'static str,
    pub status: u16,
    /// Whether a JSON Schema can see it (see `SCHEMA_LIMITS`).
    pub schema_sees: bool,
}

fn m(what: &'static str, key: &str, value: J, pointer: &str, code: &'static str) -> Mutation {
    let status = match code {
        "read_only" | "reserved" => 403,
        "too_many" | "body_too_large" => 413,
        _ => 400,
    };
    Mutation {
        what,
        key: key.to_owned(),
        value,
        pointer: pointer.to_owned(),
        code,
        status,
        schema_sees: true,
    }
}

fn strs(items: impl IntoIterator<Item = String>) -> J {
    J::Arr(items.into_iter().map(J::Str).collect())
}

pub fn mutation() -> impl Strategy<Value = Mutation> {
    let bad_name_char = select(vec![
        "/", "é", "(", "\t", "\u{3000}", "\u{A000}", "\u{4DFF}", "\n",
    ]);
    let ro = select(ims_image_meta::keys::READ_ONLY.to_vec());
    let reserved = prop_oneof![
        select(ims_image_meta::keys::RESERVED.to_vec()).prop_map(String::from),
        "os_glance[a-z_]{0,8}",
    ];
    let wrong_types = select(vec![
        J::Null,
        J::Bool(true),
        J::n(1),
        J::n(1.5),
        J::s("x"),
        J::Arr(vec![]),
        J::Obj(vec![]),
    ]);
    let big = select(vec![
        "2147483648",
        "4294967296",
        "18446744073709551616",
        "-1",
        "-9223372036854775809",
    ]);
    prop_oneof![
        (256usize..=300, select(vec!["x", "镜"])).prop_map(|(n, c)| m(
            "name too long",
            "name",
            J::s(c.repeat(n)),
            "/name",
            "too_long"
        )),
        Just(m("empty name", "name", J::s(""), "/name", "too_short")),
        Just(m(
            "name with leading space",
            "name",
            J::s(" a"),
            "/name",
            "bad_format"
        )),
        Just(m(
            "name with trailing space",
            "name",
            J::s("a "),
            "/name",
            "bad_format"
        )),
        bad_name_char.prop_map(|c| m(
            "name with a bad char",
            "name",
            J::s(format!("a{c}b")),
            "/name",
            "bad_format"
        )),
        select(vec![J::Bool(true), J::n(1), J::Arr(vec![])]).prop_map(|v| m(
            "name wrong type",
            "name",
            v,
            "/name",
            "wrong_type"
        )),
        select(vec!["centos 7.3 64bit", "Ubuntu", "", "Windows 11"]).prop_map(|v| m(
            "unknown os",
            "__os_version",
            J::s(v),
            "/__os_version",
            "unknown_os_version"
        )),
        select(vec![J::Null, J::n(64)]).prop_map(|v| m(
            "os wrong type",
            "__os_version",
            v,
            "/__os_version",
            "wrong_type"
        )),
        select(vec!["public", "shared", "Private", ""]).prop_map(|v| m(
            "visibility",
            "visibility",
            J::s(v),
            "/visibility",
            "not_allowed"
        )),
        select(vec![J::s("true"), J::n(0), J::Null]).prop_map(|v| m(
            "protected type",
            "protected",
            v,
            "/protected",
            "wrong_type"
        )),
        select(vec!["ovf", "BARE", "docker"]).prop_map(|v| m(
            "container format",
            "container_format",
            J::s(v),
            "/container_format",
            "not_allowed"
        )),
        select(vec!["vmdk", "VHD", "iso", ""]).prop_map(|v| m(
            "disk format",
            "disk_format",
            J::s(v),
            "/disk_format",
            "not_allowed"
        )),
        (
            0usize..4,
            wrong_types
                .clone()
                .prop_filter("not a string", |v| !matches!(v, J::Str(_)))
        )
            .prop_map(|(i, v)| {
                let mut t: Vec<J> = (0..i).map(|k| J::s(format!("t{k}"))).collect();
                t.push(v);
                m(
                    "tag wrong type",
                    "tags",
                    J::Arr(t),
                    &format!("/tags/{i}"),
                    "wrong_type",
                )
            }),
        (0usize..4).prop_map(|i| {
            let mut t: Vec<J> = (0..i).map(|k| J::s(format!("t{k}"))).collect();
            t.push(J::s(""));
            m(
                "empty tag",
                "tags",
                J::Arr(t),
                &format!("/tags/{i}"),
                "too_short",
            )
        }),
        (256usize..=260).prop_map(|n| m(
            "tag too long",
            "tags",
            strs(["ok".into(), "标".repeat(n)]),
            "/tags/1",
            "too_long"
        )),
        (129usize..=140).prop_map(|n| m(
            "too many tags",
            "tags",
            strs((0..n).map(|i| format!("t{i}"))),
            "/tags",
            "too_many"
        )),
        select(vec![J::s("a"), J::Null, J::Obj(vec![])]).prop_map(|v| m(
            "tags wrong type",
            "tags",
            v,
            "/tags",
            "wrong_type"
        )),
        big.clone().prop_map(|v| m(
            "min_ram out of range",
            "min_ram",
            J::Num(v.into()),
            "/min_ram",
            "out_of_range"
        )),
        select(vec!["39", "0", "1025", "-40", "99999999999"]).prop_map(|v| m(
            "min_disk out of range",
            "min_disk",
            J::Num(v.into()),
            "/min_disk",
            "out_of_range"
        )),
        select(vec![J::s("40"), J::Bool(false), J::n(40.5), J::Null]).prop_map(|v| m(
            "min_disk type",
            "min_disk",
            v,
            "/min_disk",
            "wrong_type"
        )),
        Just(Mutation {
            schema_sees: false,
            ..m(
                "min_ram float",
                "min_ram",
                J::Num("1024.0".into()),
                "/min_ram",
                "wrong_type"
            )
        }),
        select(vec![
            "not-a-uuid",
            "4ca46bf15c6148ffb4f30ad4e5e3ba86",
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba8",
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86\n"
        ])
        .prop_map(|v| m("bad id", "id", J::s(v), "/id", "bad_format")),
        select(vec!["<b>", "a>b", "cr\rhere"]).prop_map(|v| m(
            "description markup",
            "__description",
            J::s(v),
            "/__description",
            "bad_format"
        )),
        Just(m(
            "description too long",
            "__description",
            J::s("d".repeat(1025)),
            "/__description",
            "too_long"
        )),
        select(vec!["efi", "BIOS", ""]).prop_map(|v| m(
            "firmware",
            "hw_firmware_type",
            J::s(v),
            "/hw_firmware_type",
            "not_allowed"
        )),
        select(vec![J::s("true"), J::Null]).prop_map(|v| m(
            "os_hidden type",
            "os_hidden",
            v,
            "/os_hidden",
            "wrong_type"
        )),
        wrong_types
            .prop_filter("not a string", |v| !matches!(v, J::Str(_)))
            .prop_map(|v| m(
                "custom value type",
                "zz_custom",
                v,
                "/zz_custom",
                "wrong_type"
            )),
        Just(Mutation {
            schema_sees: false,
            ..m(
                "custom value too long",
                "zz_custom",
                J::s("é".repeat(32_768)),
                "/zz_custom",
                "too_long"
            )
        }),
        Just(m(
            "custom value too long (ASCII)",
            "zz_custom",
            J::s("v".repeat(65_536)),
            "/zz_custom",
            "too_long"
        )),
        (256usize..=260).prop_map(|n| {
            let k = "键".repeat(n);
            m(
                "custom key too long",
                &k,
                J::s("v"),
                &report_pointer(&k),
                "too_long",
            )
        }),
        Just(m("empty custom key", "", J::s("v"), "/", "too_short")),
        Just(m(
            "emoji in a custom value",
            "zz_custom",
            J::s("a😀"),
            "/zz_custom",
            "four_byte_unicode"
        )),
        Just(m(
            "emoji in a custom key",
            "k😀",
            J::s("v"),
            "/k😀",
            "four_byte_unicode"
        )),
        Just(m(
            "emoji in a tag",
            "tags",
            strs(["😀".into()]),
            "/tags/0",
            "four_byte_unicode"
        )),
        Just(m(
            "NUL in a tag",
            "tags",
            strs(["a\0".into()]),
            "/tags/0",
            "nul_character"
        )),
        Just(m(
            "NUL in the name",
            "name",
            J::s("a\0b"),
            "/name",
            "nul_character"
        )),
        Just(m("NUL in a key", "a\0", J::s("v"), "/a\0", "nul_character")),
        ro.prop_map(|k| m("read-only key", k, J::s("x"), &format!("/{k}"), "read_only")),
        reserved.prop_map(|k| {
            let p = format!("/{k}");
            m("reserved key", &k, J::n(1), &p, "reserved")
        }),
        Just(m(
            "pointer escapes",
            "a/b~c",
            J::n(5),
            "/a~1b~0c",
            "wrong_type"
        )),
    ]
}

/// The body `entries` with `mu` applied, as a document: the mutated key is removed and
/// the broken entry inserted at `at` (a fraction of the length). Custom properties are
/// trimmed so that a custom-key mutation does not also pass the quota, and long values
/// so that the body stays under the size cap.
pub fn apply(entries: &[(String, J)], mu: &Mutation, at: usize) -> J {
    let mut e: Vec<(String, J)> = entries
        .iter()
        .filter(|(k, _)| *k != mu.key)
        .cloned()
        .collect();
    let custom: Vec<usize> = e
        .iter()
        .enumerate()
        .filter(|(_, (k, _))| !is_known_key(k))
        .map(|(i, _)| i)
        .collect();
    if !is_known_key(&mu.key) && custom.len() >= 128 {
        let last = custom[custom.len() - 1];
        e.remove(last);
    }
    if mu.key == "zz_custom" {
        e.retain(|(k, v)| is_known_key(k) || !matches!(v, J::Str(s) if s.len() > 1000));
    }
    let pos = if e.is_empty() { 0 } else { at % (e.len() + 1) };
    e.insert(pos, (mu.key.clone(), mu.value.clone()));
    J::Obj(e)
}

/// 129 custom properties: the body-level quota.
pub fn too_many_properties(entries: &[(String, J)]) -> J {
    let mut e: Vec<(String, J)> = entries
        .iter()
        .filter(|(k, _)| is_known_key(k))
        .cloned()
        .collect();
    e.extend((0..129).map(|i| (format!("p{i}"), J::s("v"))));
    J::Obj(e)
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

/// The pointer a report renders for the top-level key `k`: a key of more than 256
/// chars is cut to its first 64 and `…` (a report never copies a long key).
pub fn report_pointer(k: &str) -> String {
    let token = if k.chars().count() > 256 {
        format!("{}…", k.chars().take(64).collect::<String>())
    } else {
        k.to_owned()
    };
    format!("/{}", token.replace('~', "~0").replace('/', "~1"))
}
