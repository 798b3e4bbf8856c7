//! The single pass: bytes → serde_json → a draft request and every violation.
//!
//! One `serde_json::Deserializer` reads the body once. The top-level visitor dispatches
//! each key to its field's check; values that no rule looks inside (a wrong-typed value,
//! say) are still walked, only to find duplicate keys at any depth. Strings are borrowed
//! from the input whenever they hold no escape, and pointer strings are built only when
//! a violation is recorded. A syntax error anywhere discards everything else: the body
//! is then only `malformed_json`.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::catalog::OsVersion;
use crate::report::{Allowed, Code, Detail, Got, Report, Subject, Violation, Warning, EXCERPT};
use crate::request::{CreateRequest, Properties, Tags, Validated};
use crate::rules::{
    NameCharset, Rules, DESCRIPTION_MAX_CHARS, MIN_RAM_MAX, PROPERTY_KEY_MAX_CHARS, TAG_MAX_CHARS,
};
use crate::text::{self, Short, ShortBuf, StrFacts};
use crate::values::{DiskFormat, FirmwareType};

/// Keys the service sets itself: 403 `read_only`.
pub(crate) const READ_ONLY_KEYS: &[&str] = &[
    "status",
    "created_at",
    "updated_at",
    "self",
    "file",
    "schema",
    "owner",
    "size",
    "virtual_size",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "direct_url",
    "stores",
    "locations",
    "active_at",
    "virtual_env_type",
    "__os_type",
    "__platform",
    "__os_bit",
    "__imagetype",
    "__isregistered",
    "__image_source_type",
    "__image_size",
    "__root_origin",
    "__whole_image",
    "__originalimagename",
    "__backup_id",
    "__productcode",
    "__image_location",
    "__data_origin",
    "__system__cmkid",
    "__lazyloading",
    "__os_feature_list",
    "__account_code",
];

/// Reserved keys: 403 `reserved`.
pub(crate) const RESERVED_KEYS: &[&str] = &["location", "deleted", "deleted_at"];
/// Every key with this prefix is reserved.
pub(crate) const RESERVED_PREFIX: &str = "os_glance";

/// The body's documented and known extension fields.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Field {
    Id,
    Name,
    OsVersion,
    Visibility,
    Protected,
    ContainerFormat,
    DiskFormat,
    Tags,
    MinRam,
    MinDisk,
    Description,
    Firmware,
    OsHidden,
}

/// What a top-level key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum KeyKind {
    Field(Field),
    ReadOnly,
    Reserved,
    Custom,
}

// The per-key and per-value checks (`classify`, `State::field`, `string_field`,
// `integer`, `tag`, `custom_key`, `custom_value`) are `#[inline(always)]`: each is
// called once or twice per key, and their frame setup cost more than their work.
// Callgrind on the sample body: 8,534 -> 7,682 instructions per call.
#[inline(always)]
fn classify(key: &str) -> KeyKind {
    // Bucketed by length first: one jump, then a few fixed-size comparisons, instead
    // of a comparison against each of the 51 known keys in turn.
    let known = match key.len() {
        2 => match key {
            "id" => Some(KeyKind::Field(Field::Id)),
            _ => None,
        },
        4 => match key {
            "name" => Some(KeyKind::Field(Field::Name)),
            "tags" => Some(KeyKind::Field(Field::Tags)),
            "self" => Some(KeyKind::ReadOnly),
            "file" => Some(KeyKind::ReadOnly),
            "size" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        5 => match key {
            "owner" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        6 => match key {
            "status" => Some(KeyKind::ReadOnly),
            "schema" => Some(KeyKind::ReadOnly),
            "stores" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        7 => match key {
            "min_ram" => Some(KeyKind::Field(Field::MinRam)),
            "deleted" => Some(KeyKind::Reserved),
            _ => None,
        },
        8 => match key {
            "min_disk" => Some(KeyKind::Field(Field::MinDisk)),
            "checksum" => Some(KeyKind::ReadOnly),
            "__os_bit" => Some(KeyKind::ReadOnly),
            "location" => Some(KeyKind::Reserved),
            _ => None,
        },
        9 => match key {
            "protected" => Some(KeyKind::Field(Field::Protected)),
            "os_hidden" => Some(KeyKind::Field(Field::OsHidden)),
            "locations" => Some(KeyKind::ReadOnly),
            "active_at" => Some(KeyKind::ReadOnly),
            "__os_type" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        10 => match key {
            "visibility" => Some(KeyKind::Field(Field::Visibility)),
            "created_at" => Some(KeyKind::ReadOnly),
            "updated_at" => Some(KeyKind::ReadOnly),
            "direct_url" => Some(KeyKind::ReadOnly),
            "__platform" => Some(KeyKind::ReadOnly),
            "deleted_at" => Some(KeyKind::Reserved),
            _ => None,
        },
        11 => match key {
            "disk_format" => Some(KeyKind::Field(Field::DiskFormat)),
            "__imagetype" => Some(KeyKind::ReadOnly),
            "__backup_id" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        12 => match key {
            "__os_version" => Some(KeyKind::Field(Field::OsVersion)),
            "virtual_size" => Some(KeyKind::ReadOnly),
            "os_hash_algo" => Some(KeyKind::ReadOnly),
            "__image_size" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        13 => match key {
            "__description" => Some(KeyKind::Field(Field::Description)),
            "os_hash_value" => Some(KeyKind::ReadOnly),
            "__root_origin" => Some(KeyKind::ReadOnly),
            "__whole_image" => Some(KeyKind::ReadOnly),
            "__productcode" => Some(KeyKind::ReadOnly),
            "__data_origin" => Some(KeyKind::ReadOnly),
            "__lazyloading" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        14 => match key {
            "__isregistered" => Some(KeyKind::ReadOnly),
            "__account_code" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        15 => match key {
            "__system__cmkid" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        16 => match key {
            "container_format" => Some(KeyKind::Field(Field::ContainerFormat)),
            "hw_firmware_type" => Some(KeyKind::Field(Field::Firmware)),
            "virtual_env_type" => Some(KeyKind::ReadOnly),
            "__image_location" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        17 => match key {
            "__os_feature_list" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        19 => match key {
            "__image_source_type" => Some(KeyKind::ReadOnly),
            "__originalimagename" => Some(KeyKind::ReadOnly),
            _ => None,
        },
        _ => None,
    };
    match known {
        Some(kind) => kind,
        None if key.starts_with(RESERVED_PREFIX) => KeyKind::Reserved,
        None => KeyKind::Custom,
    }
}

/// A location in the body, kept on the stack; rendered to a JSON Pointer only on error.
#[derive(Clone, Copy)]
enum Path<'p> {
    Root,
    Key(&'p Path<'p>, &'p str),
    Index(&'p Path<'p>, usize),
}

impl Path<'_> {
    fn render_into(&self, out: &mut ShortBuf) {
        match self {
            Path::Root => {}
            Path::Key(parent, key) => {
                parent.render_into(out);
                text::push_pointer_token(out, key);
            }
            Path::Index(parent, i) => {
                parent.render_into(out);
                text::push_pointer_index(out, *i);
            }
        }
    }
}

/// The keys of one object, to find the repeated ones when the object ends: the first
/// few borrowed keys inline (no allocation, nothing to drop, for a typical body), the
/// rest in a list that is sorted then. No hashing, so no crafted set of keys can
/// degrade it: O(n log n) comparisons.
#[derive(Default)]
struct KeySet<'de> {
    inline: [&'de str; KeySet::INLINE],
    len: usize,
    spill: Vec<Cow<'de, str>>,
}

impl<'de> KeySet<'de> {
    const INLINE: usize = 8;

    fn insert(&mut self, key: Cow<'de, str>) {
        match (key, self.inline.get_mut(self.len)) {
            (Cow::Borrowed(k), Some(slot)) => {
                *slot = k;
                self.len += 1;
            }
            (key, _) => self.spill.push(key),
        }
    }

    /// Whether a key can have been met twice: at least two keys.
    fn may_repeat(&self) -> bool {
        self.len + self.spill.len() >= 2
    }

    /// Each key met more than once, once.
    fn repeated(self) -> Vec<Cow<'de, str>> {
        let inline = &self.inline[..self.len];
        let mut out: Vec<Cow<'de, str>> = Vec::new();
        if self.spill.is_empty() {
            for (i, k) in inline.iter().enumerate() {
                if inline[..i].contains(k) && !out.iter().any(|o| o == k) {
                    out.push(Cow::Borrowed(k));
                }
            }
            return out;
        }
        let mut all = self.spill;
        all.extend(inline.iter().map(|k| Cow::Borrowed(*k)));
        all.sort_unstable();
        for run in all.chunk_by(|a, b| a == b) {
            if let [first, _, ..] = run {
                out.push(first.clone());
            }
        }
        out
    }
}

/// Reads an object key, borrowing it from the input when it holds no escape.
struct KeySeed;

impl<'de> DeserializeSeed<'de> for KeySeed {
    type Value = Cow<'de, str>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Cow<'de, str>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("an object key")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Cow::Borrowed(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Cow::Owned(v))
    }
}

fn duplicate(path: &Path<'_>, key: &str) -> Violation {
    let mut pointer = ShortBuf::default();
    path.render_into(&mut pointer);
    text::push_pointer_token(&mut pointer, key);
    Violation::new(
        pointer.finish(),
        Code::DuplicateKey,
        Detail::Duplicate,
        None,
    )
}

/// Walks a value that no rule looks inside, only to report duplicate keys (into `sink`,
/// when there is one) and to let serde_json check its syntax, strings and depth.
struct Walk<'a> {
    sink: Option<&'a mut Vec<Violation>>,
    path: &'a Path<'a>,
}

impl<'de> DeserializeSeed<'de> for Walk<'_> {
    type Value = ();
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Walk<'_> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }
    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }
    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }
    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }
    fn visit_str<E>(self, _: &str) -> Result<(), E> {
        Ok(())
    }
    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let child = Path::Index(self.path, i);
            let seed = Walk {
                sink: self.sink.as_deref_mut(),
                path: &child,
            };
            if seq.next_element_seed(seed)?.is_none() {
                return Ok(());
            }
            i += 1;
        }
    }
    fn visit_map<A: MapAccess<'de>>(mut self, mut map: A) -> Result<(), A::Error> {
        let mut keys = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let child = Path::Key(self.path, &key);
            map.next_value_seed(Walk {
                sink: self.sink.as_deref_mut(),
                path: &child,
            })?;
            keys.insert(key);
        }
        if let Some(sink) = self.sink {
            report_repeated(keys, self.path, sink);
        }
        Ok(())
    }
}

/// Reports each key of an object met more than once. The check for fewer than two
/// keys inlines into the caller when optimized; the rest stays out of line, so that
/// the frame of the recursive walk stays small (127 levels of it must fit a small
/// stack, even unoptimized: `#[inline(always)]` here made that frame bigger).
#[inline]
fn report_repeated(keys: KeySet<'_>, path: &Path<'_>, sink: &mut Vec<Violation>) {
    #[inline(never)]
    fn report(keys: KeySet<'_>, path: &Path<'_>, sink: &mut Vec<Violation>) {
        for key in keys.repeated() {
            sink.push(duplicate(path, &key));
        }
    }
    if keys.may_repeat() {
        report(keys, path, sink);
    }
}

/// Pushes `item`, giving an empty list room for `first` items at once (no growth
/// path for a typical body's few).
#[inline(always)]
fn push_reserving<T>(list: &mut Vec<T>, first: usize, item: T) {
    if list.capacity() == 0 {
        // Straight to the allocator: `reserve` would go through the growth path.
        *list = Vec::with_capacity(first);
    }
    list.push(item);
}

/// An integer as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Int {
    /// Zero or positive, within u64.
    Value(u64),
    /// Below zero.
    Negative,
    /// An integer token above u64 (serde_json reads it as a float).
    Huge,
}

/// The JSON type of a field's value, with the payload the rules look at.
enum Shape<'de> {
    Null,
    Bool(bool),
    Int(Int),
    Float,
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Shape<'_> {
    fn kind(&self) -> &'static str {
        match self {
            Shape::Null => "null",
            Shape::Bool(_) => "a boolean",
            Shape::Int(_) => "an integer",
            Shape::Float => "a number with a fraction or an exponent",
            Shape::Str(_) => "a string",
            Shape::Array => "an array",
            Shape::Object => "an object",
        }
    }
}

/// The mutable state of one scan; strings borrow from the body (`'de`).
struct State<'r, 'de> {
    rules: &'r Rules,
    /// The body is ASCII: a string borrowed from it (no escape) is ASCII too, and holds
    /// no NUL (serde_json refuses raw control characters), so its facts are its length.
    ascii: bool,
    violations: Vec<Violation>,
    tags: Tags<'de>,
    tag_count: usize,
    draft: Draft<'de>,
}

/// Reads a field's value as a [`Shape`]; containers are walked for duplicate keys,
/// except `tags`' array, whose elements are checked as tags.
struct ShapeSeed<'a, 'r, 'de> {
    st: &'a mut State<'r, 'de>,
    path: &'a Path<'a>,
    tags: bool,
}

impl<'de> DeserializeSeed<'de> for ShapeSeed<'_, '_, 'de> {
    type Value = Shape<'de>;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Shape<'de>, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for ShapeSeed<'_, '_, 'de> {
    type Value = Shape<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Shape<'de>, E> {
        Ok(Shape::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Shape<'de>, E> {
        Ok(Shape::Int(match u64::try_from(v) {
            Ok(v) => Int::Value(v),
            Err(_) => Int::Negative,
        }))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Shape<'de>, E> {
        Ok(Shape::Int(Int::Value(v)))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Shape<'de>, E> {
        // serde_json hands integer tokens beyond 64 bits over as floats. An integral
        // value that large is out of any range here, whatever its spelling.
        const BEYOND_I64: f64 = 9.2e18;
        Ok(
            if v.is_finite() && v.fract() == 0.0 && v.abs() >= BEYOND_I64 {
                Shape::Int(if v < 0.0 { Int::Negative } else { Int::Huge })
            } else {
                Shape::Float
            },
        )
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Shape<'de>, E> {
        Ok(Shape::Str(Cow::Owned(v)))
    }
    fn visit_unit<E>(self) -> Result<Shape<'de>, E> {
        Ok(Shape::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<'de>, A::Error> {
        if !self.tags {
            Walk {
                sink: Some(&mut self.st.violations),
                path: self.path,
            }
            .visit_seq(seq)?;
            return Ok(Shape::Array);
        }
        let mut i = 0usize;
        loop {
            let child = Path::Index(self.path, i);
            let seed = ShapeSeed {
                st: &mut *self.st,
                path: &child,
                tags: false,
            };
            let Some(shape) = seq.next_element_seed(seed)? else {
                break;
            };
            self.st.tag(i, shape);
            i += 1;
        }
        self.st.tag_count = i;
        Ok(Shape::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Shape<'de>, A::Error> {
        Walk {
            sink: Some(&mut self.st.violations),
            path: self.path,
        }
        .visit_map(map)?;
        Ok(Shape::Object)
    }
}

/// The fields of a body as the scan found them; `None` is absent (or `null` where null
/// means absent).
#[derive(Default)]
struct Draft<'de> {
    seen: u16,
    repeated: u16,
    id: Option<Cow<'de, str>>,
    name: Option<Cow<'de, str>>,
    os_version: Option<OsVersion>,
    protected: bool,
    disk_format: Option<DiskFormat>,
    min_ram: u32,
    min_disk: Option<u32>,
    description: Option<Cow<'de, str>>,
    firmware: Option<FirmwareType>,
    os_hidden: Option<bool>,
    properties: Properties<'de>,
    property_count: usize,
}

/// What the top-level value turned out to be.
enum Top {
    /// The draft is in the state.
    Object,
    Other(&'static str),
}

struct TopSeed<'a, 'r, 'de> {
    st: &'a mut State<'r, 'de>,
}

impl<'de> DeserializeSeed<'de> for TopSeed<'_, '_, 'de> {
    type Value = Top;
    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Top, D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for TopSeed<'_, '_, 'de> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    fn visit_bool<E>(self, _: bool) -> Result<Top, E> {
        Ok(Top::Other("a boolean"))
    }
    fn visit_i64<E>(self, _: i64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }
    fn visit_u64<E>(self, _: u64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }
    fn visit_f64<E>(self, _: f64) -> Result<Top, E> {
        Ok(Top::Other("a number"))
    }
    fn visit_str<E>(self, _: &str) -> Result<Top, E> {
        Ok(Top::Other("a string"))
    }
    fn visit_unit<E>(self) -> Result<Top, E> {
        Ok(Top::Other("null"))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        // Read to the end, so that a syntax error inside still wins.
        Walk {
            sink: None,
            path: &Path::Root,
        }
        .visit_seq(seq)?;
        Ok(Top::Other("an array"))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let st = self.st;
        let mut others = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let kind = classify(&key);
            let path = Path::Key(&Path::Root, &key);
            // Documented fields are tracked in bit sets: seen, and repeat reported.
            let (repeated, first_repeat) = match kind {
                KeyKind::Field(f) => {
                    let bit = 1u16 << (f as u16);
                    let repeated = st.draft.seen & bit != 0;
                    let first_repeat = repeated && st.draft.repeated & bit == 0;
                    st.draft.seen |= bit;
                    if repeated {
                        st.draft.repeated |= bit;
                    }
                    (repeated, first_repeat)
                }
                _ => (false, false),
            };
            if repeated {
                // Which occurrence counts is the very ambiguity reported: read it only
                // for its syntax and inner duplicates.
                map.next_value_seed(Walk {
                    sink: Some(&mut st.violations),
                    path: &path,
                })?;
                if first_repeat {
                    st.violations.push(duplicate(&Path::Root, &key));
                }
                continue;
            }
            match kind {
                KeyKind::Field(Field::Tags) => {
                    let shape = map.next_value_seed(ShapeSeed {
                        st: &mut *st,
                        path: &path,
                        tags: true,
                    })?;
                    st.tags_value(&shape);
                }
                KeyKind::Field(field) => {
                    let shape = map.next_value_seed(ShapeSeed {
                        st: &mut *st,
                        path: &path,
                        tags: false,
                    })?;
                    st.field(field, shape);
                }
                KeyKind::ReadOnly | KeyKind::Reserved | KeyKind::Custom => {
                    // A forbidden or broken key is reported; its value is only walked.
                    let key_ok = if kind == KeyKind::Custom {
                        st.draft.property_count += 1;
                        st.custom_key(&key)
                    } else {
                        st.forbidden_key(&key, kind);
                        false
                    };
                    if key_ok {
                        let shape = map.next_value_seed(ShapeSeed {
                            st: &mut *st,
                            path: &path,
                            tags: false,
                        })?;
                        // Kept only while the body can still be accepted.
                        if let (Some(value), true) =
                            (st.custom_value(&key, shape), st.violations.is_empty())
                        {
                            push_reserving(&mut st.draft.properties, 4, (key.clone(), value));
                        }
                    } else {
                        map.next_value_seed(Walk {
                            sink: Some(&mut st.violations),
                            path: &path,
                        })?;
                    }
                    others.insert(key);
                }
            }
        }
        report_repeated(others, &Path::Root, &mut st.violations);
        Ok(Top::Object)
    }
}

/// The JSON Pointer of a top-level key: static for the documented fields (no
/// allocation on their errors), built for any other key.
fn ptr(key: &str) -> Short {
    match classify(key) {
        KeyKind::Field(f) => Short::Static(f.pointer()),
        _ => text::key_pointer(key),
    }
}

impl Field {
    /// The field's JSON Pointer.
    fn pointer(self) -> &'static str {
        match self {
            Field::Id => "/id",
            Field::Name => "/name",
            Field::OsVersion => "/__os_version",
            Field::Visibility => "/visibility",
            Field::Protected => "/protected",
            Field::ContainerFormat => "/container_format",
            Field::DiskFormat => "/disk_format",
            Field::Tags => "/tags",
            Field::MinRam => "/min_ram",
            Field::MinDisk => "/min_disk",
            Field::Description => "/__description",
            Field::Firmware => "/hw_firmware_type",
            Field::OsHidden => "/os_hidden",
        }
    }
}

/// An input string kept for a message: at most [`EXCERPT`] chars (and an ellipsis).
fn quote(s: &str) -> Short {
    if s.len() <= EXCERPT {
        Short::from(s)
    } else {
        Short::from(text::excerpt(s, EXCERPT))
    }
}

impl<'de> State<'_, 'de> {
    /// [`text::facts`] of `s`, without a pass over it when it is borrowed from an
    /// ASCII body.
    #[allow(clippy::ptr_arg)] // Whether it is borrowed is the point.
    fn facts(&self, s: &Cow<'_, str>) -> StrFacts {
        match s {
            Cow::Borrowed(b) if self.ascii => StrFacts {
                chars: b.len(),
                four_byte: None,
                nul: false,
            },
            _ => text::facts(s),
        }
    }

    fn push(&mut self, pointer: Short, code: Code, detail: Detail, ims: Option<&'static str>) {
        if self.violations.capacity() == 0 {
            // A bad body usually breaks several rules: one allocation for the first 16.
            // (Not `push_reserving`: on the bad bench body it cost ~240 more
            // instructions per call here, by callgrind.)
            self.violations.reserve_exact(16);
        }
        self.violations
            .push(Violation::new(pointer, code, detail, ims));
    }

    /// NUL and 4-byte checks, shared by every string and key. True when it passed.
    fn chars_ok(
        &mut self,
        facts: &StrFacts,
        pointer: impl FnOnce() -> Short,
        subject: Subject,
        ims: Option<&'static str>,
    ) -> bool {
        if facts.nul {
            self.push(pointer(), Code::NulCharacter, Detail::Nul(subject), ims);
            return false;
        }
        if let (Some(c), false) = (facts.four_byte, self.rules.allow_four_byte_unicode) {
            self.push(
                pointer(),
                Code::FourByteUnicode,
                Detail::FourByte(subject, c),
                ims,
            );
            return false;
        }
        true
    }

    fn wrong_type(
        &mut self,
        key: &str,
        expected: &'static str,
        shape: &Shape<'_>,
        ims: Option<&'static str>,
    ) {
        let detail = Detail::WrongType {
            expected,
            found: shape.kind(),
        };
        self.push(ptr(key), Code::WrongType, detail, ims);
    }

    /// A string field's value after its type and character checks, or `None` (reported,
    /// or absent when `null_is_absent`).
    #[inline(always)] // See `classify`.
    fn string_field(
        &mut self,
        key: &str,
        shape: Shape<'de>,
        null_is_absent: bool,
        ims: Option<&'static str>,
    ) -> Option<(Cow<'de, str>, StrFacts)> {
        match shape {
            Shape::Str(s) => {
                let facts = self.facts(&s);
                let ok = self.chars_ok(&facts, || ptr(key), Subject::Value, ims);
                ok.then_some((s, facts))
            }
            Shape::Null if null_is_absent => None,
            other => {
                self.wrong_type(key, "a string", &other, ims);
                None
            }
        }
    }

    fn not_allowed(&mut self, key: &str, allowed: Allowed, got: &str) {
        let detail = Detail::NotAllowed {
            allowed,
            got: quote(got),
        };
        self.push(ptr(key), Code::NotAllowed, detail, None);
    }

    #[inline(always)]
    fn field(&mut self, field: Field, shape: Shape<'de>) {
        match field {
            Field::Id => {
                if let Some((s, _)) = self.string_field("id", shape, false, None) {
                    if text::is_uuid(&s) {
                        self.draft.id = Some(s);
                    } else {
                        self.push(ptr("id"), Code::BadFormat, Detail::BadUuid(quote(&s)), None);
                    }
                }
            }
            Field::Name => self.name(shape),
            Field::OsVersion => {
                if let Some((s, _)) = self.string_field("__os_version", shape, false, None) {
                    match self.rules.catalog.get(&s) {
                        Some(os) => self.draft.os_version = Some(os.clone()),
                        None => {
                            // Suggestions are looked up when the message is rendered.
                            // The whole value: suggestions are looked up on it, not
                            // on the excerpt the message shows.
                            let detail = Detail::UnknownOs {
                                value: s.as_ref().into(),
                                catalog: self.rules.catalog.clone(),
                            };
                            self.push(
                                ptr("__os_version"),
                                Code::UnknownOsVersion,
                                detail,
                                Some("IMG.0122"),
                            );
                        }
                    }
                }
            }
            Field::Visibility => {
                if let Some((s, _)) = self.string_field("visibility", shape, false, None) {
                    if s != "private" {
                        self.not_allowed("visibility", Allowed::Private, &s);
                    }
                }
            }
            Field::Protected => match shape {
                Shape::Bool(b) => self.draft.protected = b,
                other => self.wrong_type("protected", "a boolean", &other, None),
            },
            Field::OsHidden => match shape {
                Shape::Bool(b) => self.draft.os_hidden = Some(b),
                other => self.wrong_type("os_hidden", "a boolean", &other, None),
            },
            Field::ContainerFormat => {
                if let Some((s, _)) = self.string_field("container_format", shape, true, None) {
                    if s != "bare" {
                        self.not_allowed("container_format", Allowed::Bare, &s);
                    }
                }
            }
            Field::DiskFormat => {
                if let Some((s, _)) = self.string_field("disk_format", shape, true, None) {
                    match DiskFormat::from_wire(&s).filter(|f| self.rules.disk_formats.contains(f))
                    {
                        Some(f) => self.draft.disk_format = Some(f),
                        None => {
                            let mask = DiskFormat::ALL
                                .iter()
                                .enumerate()
                                .filter(|(_, f)| self.rules.disk_formats.contains(f))
                                .fold(0u8, |m, (i, _)| m | (1 << i));
                            self.not_allowed("disk_format", Allowed::DiskFormats(mask), &s);
                        }
                    }
                }
            }
            Field::Firmware => {
                if let Some((s, _)) = self.string_field("hw_firmware_type", shape, false, None) {
                    match FirmwareType::from_wire(&s) {
                        Some(f) => self.draft.firmware = Some(f),
                        None => self.not_allowed("hw_firmware_type", Allowed::Firmware, &s),
                    }
                }
            }
            Field::Description => {
                if let Some((s, facts)) = self.string_field("__description", shape, false, None) {
                    if facts.chars > DESCRIPTION_MAX_CHARS {
                        let detail = Detail::TooLong {
                            subject: Subject::Value,
                            len: facts.chars,
                            max: DESCRIPTION_MAX_CHARS,
                        };
                        self.push(ptr("__description"), Code::TooLong, detail, None);
                    } else if s.contains(['\r', '<', '>']) {
                        self.push(
                            ptr("__description"),
                            Code::BadFormat,
                            Detail::DescriptionChars,
                            None,
                        );
                    } else {
                        self.draft.description = Some(s);
                    }
                }
            }
            Field::MinRam => {
                if let Some(v) = self.integer("min_ram", shape, 0..=MIN_RAM_MAX) {
                    self.draft.min_ram = v;
                }
            }
            Field::MinDisk => {
                let range = self.rules.min_disk.clone();
                if let Some(v) = self.integer("min_disk", shape, range) {
                    self.draft.min_disk = Some(v);
                }
            }
            Field::Tags => {}
        }
    }

    fn name(&mut self, shape: Shape<'de>) {
        const TOO_LONG: Option<&str> = Some("IMG.0002");
        const BAD: Option<&str> = Some("IMG.0003");
        let Some((s, facts)) = self.string_field("name", shape, true, BAD) else {
            return;
        };
        let max = self.rules.name_max_chars;
        let p = || ptr("name");
        if facts.chars == 0 {
            self.push(p(), Code::TooShort, Detail::TooShort(Subject::Value), BAD);
        } else if facts.chars > max {
            let detail = Detail::TooLong {
                subject: Subject::Value,
                len: facts.chars,
                max,
            };
            self.push(p(), Code::TooLong, detail, TOO_LONG);
        } else if s.starts_with(' ') || s.ends_with(' ') {
            self.push(p(), Code::BadFormat, Detail::NameSpaces, BAD);
        } else if let Some(c) = s
            .chars()
            .find(|&c| self.rules.name_charset == NameCharset::Ims && !text::is_name_char(c))
        {
            self.push(p(), Code::BadFormat, Detail::NameChar(c), BAD);
        } else {
            self.draft.name = Some(s);
        }
    }

    #[inline(always)]
    fn integer(
        &mut self,
        key: &str,
        shape: Shape<'_>,
        range: std::ops::RangeInclusive<u32>,
    ) -> Option<u32> {
        const IMS: Option<&str> = Some("IMG.0055");
        let got = match shape {
            Shape::Int(Int::Value(v)) => {
                match u32::try_from(v).ok().filter(|v| range.contains(v)) {
                    Some(v) => return Some(v),
                    None => Got::Value(v),
                }
            }
            Shape::Int(Int::Negative) => Got::Negative,
            Shape::Int(Int::Huge) => Got::Huge,
            other => {
                self.wrong_type(key, "an integer", &other, IMS);
                return None;
            }
        };
        let detail = Detail::OutOfRange {
            got,
            lo: *range.start(),
            hi: *range.end(),
        };
        self.push(ptr(key), Code::OutOfRange, detail, IMS);
        None
    }

    fn tags_value(&mut self, shape: &Shape<'_>) {
        const IMS_TAG: Option<&str> = Some("IMG.0115");
        const IMS_QUOTA: Option<&str> = Some("IMG.0116");
        if !matches!(shape, Shape::Array) {
            self.wrong_type("tags", "an array of strings", shape, IMS_TAG);
            return;
        }
        if self.tag_count > self.rules.max_tags {
            let detail = Detail::TooManyTags {
                n: self.tag_count,
                max: self.rules.max_tags,
            };
            self.push(ptr("tags"), Code::TooMany, detail, IMS_QUOTA);
        }
    }

    /// Checks tag `i`; a good one is kept, unless the body is already rejected (a
    /// violation was found, or the quota is passed): the list then need not grow.
    #[inline(always)]
    fn tag(&mut self, i: usize, shape: Shape<'de>) {
        const IMS: Option<&str> = Some("IMG.0115");
        let pointer = || {
            let mut p = ShortBuf::default();
            p.push_str("/tags");
            text::push_pointer_index(&mut p, i);
            p.finish()
        };
        let s = match shape {
            Shape::Str(s) => s,
            other => {
                let detail = Detail::WrongType {
                    expected: "a string",
                    found: other.kind(),
                };
                self.push(pointer(), Code::WrongType, detail, IMS);
                return;
            }
        };
        let facts = self.facts(&s);
        if !self.chars_ok(&facts, pointer, Subject::Tag, IMS) {
            return;
        }
        if facts.chars == 0 {
            self.push(
                pointer(),
                Code::TooShort,
                Detail::TooShort(Subject::Tag),
                IMS,
            );
        } else if facts.chars > TAG_MAX_CHARS {
            let detail = Detail::TooLong {
                subject: Subject::Tag,
                len: facts.chars,
                max: TAG_MAX_CHARS,
            };
            self.push(pointer(), Code::TooLong, detail, IMS);
        } else if self.violations.is_empty() && self.tags.len() < self.rules.max_tags {
            push_reserving(&mut self.tags, 4, s);
        }
    }

    fn forbidden_key(&mut self, key: &str, kind: KeyKind) {
        let (code, what) = if kind == KeyKind::ReadOnly {
            (Code::ReadOnly, "read-only")
        } else {
            (Code::Reserved, "reserved")
        };
        self.push(ptr(key), code, Detail::Forbidden(what), None);
    }

    /// Checks a custom property's key; true when it passed.
    #[allow(clippy::ptr_arg)] // Whether it is borrowed matters to `facts`.
    #[inline(always)]
    fn custom_key(&mut self, key: &Cow<'_, str>) -> bool {
        let facts = self.facts(key);
        if !self.chars_ok(&facts, || ptr(key), Subject::Key, None) {
            return false;
        }
        if facts.chars == 0 {
            self.push(
                ptr(key),
                Code::TooShort,
                Detail::TooShort(Subject::Key),
                None,
            );
            return false;
        }
        if facts.chars > PROPERTY_KEY_MAX_CHARS {
            let detail = Detail::TooLong {
                subject: Subject::Key,
                len: facts.chars,
                max: PROPERTY_KEY_MAX_CHARS,
            };
            self.push(ptr(key), Code::TooLong, detail, None);
            return false;
        }
        true
    }

    /// Checks a custom property's value; the value when it passed.
    #[inline(always)]
    fn custom_value(&mut self, key: &str, shape: Shape<'de>) -> Option<Cow<'de, str>> {
        let (s, _) = self.string_field(key, shape, false, None)?;
        let max = self.rules.property_value_max_bytes;
        if s.len() > max {
            let detail = Detail::ValueTooLong { len: s.len(), max };
            self.push(ptr(key), Code::TooLong, detail, None);
            return None;
        }
        Some(s)
    }
}

/// Validates `body` under `rules`: the whole contract of SPEC sections 1–4.
pub(crate) fn validate<'a>(body: &'a [u8], rules: &Rules) -> Result<Validated<'a>, Report> {
    let one = |code: Code, detail: Detail, ims: Option<&'static str>| {
        Err(Report::new(vec![Violation::new(
            Short::Static(""),
            code,
            detail,
            ims,
        )]))
    };
    if body.len() > rules.max_body_bytes {
        let detail = Detail::TooLarge {
            len: body.len(),
            max: rules.max_body_bytes,
        };
        return one(Code::BodyTooLarge, detail, None);
    }
    if body
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        let detail = Detail::Text(Cow::Borrowed("Body expected in request."));
        return one(Code::EmptyBody, detail, Some("IMG.0007"));
    }
    // One UTF-8 check of the whole body (fast on ASCII), after which serde_json reads
    // a `&str` and skips its per-string check.
    let text = match std::str::from_utf8(body) {
        Ok(t) => t,
        Err(e) => {
            let (line, column) = line_column(body, e.valid_up_to());
            let msg = format!(
                "Malformed JSON in request body: invalid UTF-8 at line {line} column {column}."
            );
            return one(
                Code::MalformedJson,
                Detail::Text(msg.into()),
                Some("IMG.0001"),
            );
        }
    };
    let mut st = State {
        rules,
        ascii: text::is_ascii(body),
        violations: Vec::new(),
        tags: Tags::new(),
        tag_count: 0,
        draft: Draft::default(),
    };
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { st: &mut st }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    match top {
        Err(e) => {
            let msg = format!("Malformed JSON in request body: {e}.");
            return one(
                Code::MalformedJson,
                Detail::Text(msg.into()),
                Some("IMG.0001"),
            );
        }
        Ok(Top::Other(kind)) => {
            return one(Code::NotAnObject, Detail::NotObject(kind), Some("IMG.0001"));
        }
        Ok(Top::Object) => {}
    }
    if st.draft.property_count > rules.max_properties {
        let detail = Detail::TooManyProperties {
            n: st.draft.property_count,
            max: rules.max_properties,
        };
        st.push(Short::Static(""), Code::TooMany, detail, None);
    }
    if !st.violations.is_empty() {
        return Err(Report::new(one_per_location(st.violations)));
    }
    finish(&mut st)
}

/// 1-based line and column (in bytes, as serde_json counts) of byte `at`.
fn line_column(body: &[u8], at: usize) -> (usize, usize) {
    let before = body.get(..at).unwrap_or(body);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => at - nl,
        None => at + 1,
    };
    (line, column)
}

/// Drops what a repeated key makes moot: which occurrence counts is unknowable, so
/// the repetition is the only violation at its pointer and below it (the values of
/// both occurrences, and repeated keys inside them, are not judged).
fn one_per_location(violations: Vec<Violation>) -> Vec<Violation> {
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

/// The accepted request, built straight into the result: the draft's values moved
/// out of the state field by field, defaults filled in.
fn finish<'de>(st: &mut State<'_, 'de>) -> Result<Validated<'de>, Report> {
    const BOTH: &[Warning] = &[Warning::NameDefaulted, Warning::OsVersionDefaulted];
    let rules = st.rules;
    let draft = &mut st.draft;
    dedup_first_wins(&mut st.tags);
    let no_name = draft.name.is_none();
    let (os, no_os) = match draft.os_version.take() {
        Some(os) => (os, false),
        None => (rules.default_os_version.clone(), true),
    };
    // The four possible lists are static: no allocation for warnings.
    let warnings = match (no_name, no_os) {
        (true, true) => BOTH,
        (true, false) => &BOTH[..1],
        (false, true) => &BOTH[1..],
        (false, false) => &[],
    };
    let request = CreateRequest {
        id: draft.id.take(),
        name: draft.name.take(),
        os,
        protected: draft.protected,
        disk_format: draft.disk_format.unwrap_or(rules.default_disk_format),
        tags: std::mem::take(&mut st.tags),
        min_ram: draft.min_ram,
        min_disk: draft.min_disk.unwrap_or(rules.default_min_disk()),
        description: draft.description.take(),
        firmware: draft.firmware,
        os_hidden: draft.os_hidden,
        properties: std::mem::take(&mut draft.properties),
    };
    Ok(Validated { request, warnings })
}

/// Keeps the first of each repeated tag, in order: pairwise for short lists, through
/// a sorted index for long ones (a server may raise the quota); no hashing, so no
/// crafted tags can degrade it.
fn dedup_first_wins(tags: &mut Tags<'_>) {
    if tags.len() <= 32 {
        let mut i = 0;
        while i < tags.len() {
            if tags[..i].contains(&tags[i]) {
                tags.remove(i);
            } else {
                i += 1;
            }
        }
        return;
    }
    let mut order: Vec<usize> = (0..tags.len()).collect();
    // Stable: among equal tags the first position comes first.
    order.sort_by(|&a, &b| tags[a].cmp(&tags[b]));
    let mut keep = vec![true; tags.len()];
    for pair in order.windows(2) {
        if let [a, b] = *pair {
            if tags[a] == tags[b] {
                keep[b] = false;
            }
        }
    }
    let mut flags = keep.into_iter();
    tags.retain(|_| flags.next().unwrap_or(true));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `classify` spells the key lists out again, bucketed by length: it must agree
    /// with them (and with `ptr`, for the documented fields) on every key.
    #[test]
    fn classify_agrees_with_the_key_lists() {
        for key in READ_ONLY_KEYS {
            assert_eq!(classify(key), KeyKind::ReadOnly, "{key}");
        }
        for key in RESERVED_KEYS {
            assert_eq!(classify(key), KeyKind::Reserved, "{key}");
        }
        let fields = [
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
        for key in fields {
            assert!(matches!(classify(key), KeyKind::Field(_)), "{key}");
            assert!(matches!(ptr(key), Short::Static(_)), "{key}");
            assert_eq!(ptr(key).as_str(), format!("/{key}"));
        }
        for key in ["os_glance", "os_glance_x", "deleted_at"] {
            assert_eq!(classify(key), KeyKind::Reserved, "{key}");
        }
        for key in [
            "",
            "aaaa",
            "Name",
            "name ",
            "tag",
            "os_glanc",
            "x_os_glance",
            "sizes",
        ] {
            assert_eq!(classify(key), KeyKind::Custom, "{key}");
        }
    }

    /// The fast facts of a borrowed string in an ASCII body equal the full pass.
    #[test]
    fn ascii_facts_shortcut_agrees() {
        let rules = Rules::default();
        let st = State {
            rules: &rules,
            ascii: true,
            violations: Vec::new(),
            tags: Tags::new(),
            tag_count: 0,
            draft: Draft::default(),
        };
        for s in ["", "a", "test image", "~/x", &"z".repeat(300)] {
            assert_eq!(st.facts(&Cow::Borrowed(s)), text::facts(s), "{s}");
        }
        // Owned strings (escapes were decoded) always get the full pass.
        let f = st.facts(&Cow::Owned("a\0\u{1F600}".to_owned()));
        assert!(f.nul);
        assert_eq!(f.four_byte, Some('\u{1F600}'));
    }
}
