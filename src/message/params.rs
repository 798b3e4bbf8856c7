//! The machine-readable `params` of each code, serialized straight from the detail.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::*;

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
                m.serialize_entry("key", &format_args!("{}", key(self.subject)))?;
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                m.serialize_entry("expected", expected.param())?;
                m.serialize_entry("actual", found.param())?;
                if let Some(h) = hint.text() {
                    m.serialize_entry("hint", &format!("send {h}, not \"{h}\""))?;
                }
            }
            Detail::FourByte(_, c) => m.serialize_entry("char", &format_args!("{}", hex(*c)))?,
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
                m.serialize_entry("char", &format_args!("{}", hex(*c)))?;
            }
            Detail::UnknownOs(u) => {
                let near = self.detail.near();
                m.serialize_entry("suggestions", &Seq(near_values(&u.catalog, near)))?;
            }
            Detail::TooManyTags { n, max } | Detail::TooManyProperties { n, max } => {
                m.serialize_entry("limit", max)?;
                m.serialize_entry("actual", n)?;
            }
            Detail::Forbidden { .. } => {
                m.serialize_entry("key", &format_args!("{}", key(self.subject)))?
            }
            Detail::Patch(p) => p.params(self.subject, &mut m)?,
            Detail::NearMiss { meant } => {
                m.serialize_entry("key", &format_args!("{}", key(self.subject)))?;
                m.serialize_entry("meant", meant)?;
            }
        }
        m.end()
    }
}
