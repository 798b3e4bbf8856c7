//! The machine-readable `params` of each code, serialized straight from the detail.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::*;
use crate::json;

/// The key the params name ([`name`]), as a `String` (for the serde view).
fn key_string(s: &Subject) -> String {
    let mut k = String::new();
    name(s, &mut k);
    k
}

/// `send 50, not "50"`: a `wrong_type` hint's param.
fn hint_param(hint: Hint, m: &mut impl Sink) {
    m.lit("send ");
    hint.write(m);
    m.text(", not \"");
    hint.write(m);
    m.text("\"");
}

/// A member's key as it opens the object and as it follows another member:
/// `{"key":` and `,"key":`.
macro_rules! k {
    ($k:literal) => {
        (concat!("{\"", $k, "\":"), concat!(",\"", $k, "\":"))
    };
}

/// A key, as `k!` writes it.
type Key = (&'static str, &'static str);

/// A JSON object written member by member.
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
}

impl Obj<'_> {
    /// The next member's key (known clean), up to its value.
    #[inline(always)]
    fn key(&mut self, (first, next): Key) -> &mut Vec<u8> {
        let k = if self.empty { first } else { next };
        self.empty = false;
        self.out.extend_from_slice(k.as_bytes());
        self.out
    }

    fn uint(&mut self, k: Key, n: u64) {
        let out = self.key(k);
        json::uint(out, n);
    }

    /// A value known clean.
    fn known(&mut self, k: Key, v: &'static str) {
        let out = self.key(k);
        json::known(out, v);
    }

    fn string(&mut self, k: Key, v: &str) {
        let out = self.key(k);
        json::string(out, v);
    }

    /// A string value written by `write` into a sink.
    fn with(&mut self, k: Key, write: impl FnOnce(&mut Escaped<'_>)) {
        let out = self.key(k);
        out.push(b'"');
        write(&mut Escaped(out));
        out.push(b'"');
    }

    fn list<'s>(&mut self, k: Key, values: impl Iterator<Item = &'s str>) {
        let out = self.key(k);
        out.push(b'[');
        for (i, v) in values.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json::string(out, v);
        }
        out.push(b']');
    }

    /// A list of the crate's own values (known clean).
    fn known_list(&mut self, k: Key, values: impl Iterator<Item = &'static str>) {
        let out = self.key(k);
        out.push(b'[');
        for (i, v) in values.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            json::known(out, v);
        }
        out.push(b']');
    }

    fn end(self) {
        if self.empty {
            self.out.push(b'{');
        }
        self.out.push(b'}');
    }
}

impl Params<'_> {
    /// Writes the params as compact JSON, the bytes `serde_json` writes of this view,
    /// straight into `out`; `false` (nothing written) for params read back from JSON
    /// and an update's, which only the `Serialize` impl writes.
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> bool {
        let mut m = Obj { out, empty: true };
        let chars = "chars";
        match self.detail {
            Detail::Text(_, Some(_)) | Detail::Patch(_) => return false,
            Detail::Text(_, None) | Detail::Empty | Detail::Nul(_) => {}
            Detail::ForbiddenChars(_) => m.known(k!("format"), "description_chars"),
            Detail::Malformed { line, column, .. } | Detail::InvalidUtf8 { line, column } => {
                m.uint(k!("line"), *line as u64);
                m.uint(k!("column"), *column as u64);
            }
            Detail::TooLarge { len, max } | Detail::ValueTooLong { len, max } => {
                m.uint(k!("limit"), *max as u64);
                m.uint(k!("actual"), *len as u64);
                m.known(k!("unit"), "bytes");
            }
            Detail::NotObject(kind) => {
                m.known(k!("expected"), "object");
                m.known(k!("actual"), kind.param());
            }
            Detail::Duplicate | Detail::Forbidden { .. } => {
                m.with(k!("key"), |e| name(self.subject, e));
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                m.known(k!("expected"), expected.param());
                m.known(k!("actual"), found.param());
                if hint.is_some() {
                    m.with(k!("hint"), |e| hint_param(*hint, e));
                }
            }
            Detail::FourByte(_, c) => m.with(k!("char"), |e| hex(*c, e)),
            Detail::TooShort(_) => {
                m.uint(k!("limit"), 1);
                m.uint(k!("actual"), 0);
                m.known(k!("unit"), chars);
            }
            Detail::TooLong { len, max, .. } => {
                m.uint(k!("limit"), *max as u64);
                m.uint(k!("actual"), *len as u64);
                m.known(k!("unit"), chars);
            }
            Detail::OutOfRange { got, lo, hi } => {
                m.uint(k!("min"), u64::from(*lo));
                m.uint(k!("max"), u64::from(*hi));
                let out = m.key(k!("actual"));
                match got {
                    Got::Value(v) => json::uint(out, *v),
                    Got::Negative(Some(v)) => Escaped(out).int(*v),
                    Got::Negative(None) | Got::Huge => out.extend_from_slice(b"null"),
                }
            }
            Detail::NotAllowed { allowed, .. } => m.known_list(k!("allowed"), allowed.iter()),
            Detail::BadUuid(_) => m.known(k!("format"), "uuid"),
            Detail::NameSpaces => m.known(k!("format"), "no_edge_spaces"),
            Detail::NameChar(c, _) => {
                m.known(k!("format"), "name_charset");
                m.with(k!("char"), |e| hex(*c, e));
            }
            Detail::UnknownOs(u) => m.list(k!("suggestions"), near_values(&u.catalog, self.near)),
            Detail::TooManyTags { n, max } | Detail::TooManyProperties { n, max } => {
                m.uint(k!("limit"), *max as u64);
                m.uint(k!("actual"), *n as u64);
            }
            Detail::NearMiss { meant } => {
                m.with(k!("key"), |e| name(self.subject, e));
                m.string(k!("meant"), meant);
            }
        }
        m.end();
        true
    }
}

/// A list of strings serialized from an iterator (no allocation).
struct Seq<I>(I);

impl<'a, I: Iterator<Item = &'a str> + Clone> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

/// The `params` of a violation, serialized straight from its detail (no allocation).
pub(crate) struct Params<'a> {
    pub(crate) detail: &'a Detail,
    pub(crate) subject: &'a Subject,
    /// The detail's suggestions ([`Detail::near`]).
    pub(crate) near: Near,
}

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let unit_chars = "chars";
        match self.detail {
            Detail::Text(_, Some(params)) => {
                for (k, v) in params.iter() {
                    m.serialize_entry(k, v)?;
                }
            }
            Detail::Text(_, None) | Detail::Empty | Detail::Nul(_) => {}
            Detail::ForbiddenChars(_) => m.serialize_entry("format", "description_chars")?,
            Detail::Malformed { line, column, .. } | Detail::InvalidUtf8 { line, column } => {
                m.serialize_entry("line", line)?;
                m.serialize_entry("column", column)?;
            }
            Detail::TooLarge { len, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", "bytes")?;
            }
            Detail::NotObject(kind) => {
                m.serialize_entry("expected", "object")?;
                m.serialize_entry("actual", kind.param())?;
            }
            Detail::Duplicate => {
                m.serialize_entry("key", &key_string(self.subject))?;
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                m.serialize_entry("expected", expected.param())?;
                m.serialize_entry("actual", found.param())?;
                if hint.is_some() {
                    let mut h = String::with_capacity(32);
                    hint_param(*hint, &mut h);
                    m.serialize_entry("hint", &h)?;
                }
            }
            Detail::FourByte(_, c) => m.serialize_entry("char", &hex_string(*c))?,
            Detail::TooShort(_) => {
                m.serialize_entry("limit", &1)?;
                m.serialize_entry("actual", &0)?;
                m.serialize_entry("unit", unit_chars)?;
            }
            Detail::TooLong { len, max, .. } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", unit_chars)?;
            }
            Detail::ValueTooLong { len, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", len)?;
                m.serialize_entry("unit", "bytes")?;
            }
            Detail::OutOfRange { got, lo, hi } => {
                m.serialize_entry("min", lo)?;
                m.serialize_entry("max", hi)?;
                match got {
                    Got::Value(v) => m.serialize_entry("actual", v)?,
                    Got::Negative(Some(v)) => m.serialize_entry("actual", v)?,
                    Got::Negative(None) | Got::Huge => m.serialize_entry("actual", &())?,
                }
            }
            Detail::NotAllowed { allowed, .. } => {
                m.serialize_entry("allowed", &Seq(allowed.iter()))?;
            }
            Detail::BadUuid(_) => m.serialize_entry("format", "uuid")?,
            Detail::NameSpaces => m.serialize_entry("format", "no_edge_spaces")?,
            Detail::NameChar(c, _) => {
                m.serialize_entry("format", "name_charset")?;
                m.serialize_entry("char", &hex_string(*c))?;
            }
            Detail::UnknownOs(u) => {
                m.serialize_entry("suggestions", &Seq(near_values(&u.catalog, self.near)))?;
            }
            Detail::TooManyTags { n, max } | Detail::TooManyProperties { n, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", n)?;
            }
            Detail::Forbidden { .. } => m.serialize_entry("key", &key_string(self.subject))?,
            Detail::Patch(p) => p.params(self.subject, &mut m)?,
            Detail::NearMiss { meant } => {
                m.serialize_entry("key", &key_string(self.subject))?;
                m.serialize_entry("meant", meant)?;
            }
        }
        m.end()
    }
}
