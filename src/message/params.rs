//! Where a detail's row writes its `params` ([`ParamOut`]): straight into a report's
//! bytes, or into a serde map (the `Serialize` view, the bindings, `Violation::params`).
//! Each detail describes its params once, in its row (`details.rs`); the two writers
//! give the same JSON.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use super::*;
use crate::json;

/// A text value a row names by what it is made from (each writer renders it into its
/// own sink).
pub(crate) enum Text<'a> {
    /// The key the violation names ([`name`]).
    Name(&'a Subject),
    /// A code point, `U+1F600`.
    Hex(char),
    /// A `wrong_type` hint, `send 50, not "50"`.
    Hint(Hint),
}

impl Text<'_> {
    fn write(&self, m: &mut impl Sink) {
        match self {
            Text::Name(s) => name(s, m),
            Text::Hex(c) => hex(*c, m),
            Text::Hint(h) => {
                m.lit("send ");
                h.write(m);
                m.text(", not \"");
                h.write(m);
                m.text("\"");
            }
        }
    }
}

/// What a detail's row writes its params into. The keys are [`k!`]'s.
pub(crate) trait ParamOut {
    /// An unsigned integer.
    fn uint(&mut self, k: Key, n: u64);
    /// A signed integer.
    fn int(&mut self, k: Key, n: i64);
    /// `null`.
    fn null(&mut self, k: Key);
    /// One of the crate's own strings (no escaping needed).
    fn known(&mut self, k: Key, v: &'static str);
    /// Any string.
    fn string(&mut self, k: Key, v: &str);
    /// A string made from the violation's data.
    fn text(&mut self, k: Key, t: Text<'_>);
    /// A list of strings.
    fn list<'s>(&mut self, k: Key, values: impl Iterator<Item = &'s str> + Clone);
    /// A list of the crate's own strings (no escaping needed): a [`ParamOut::list`]
    /// unless the writer can skip the escaping.
    fn known_list(&mut self, k: Key, values: impl Iterator<Item = &'static str> + Clone) {
        self.list(k, values);
    }
    /// Params read back from JSON: written as they were read (the bytes writer gives
    /// them up to serde).
    fn read_back(&mut self, params: &serde_json::Map<String, serde_json::Value>);
}

/// A JSON object written member by member into a report's bytes.
struct Obj<'a> {
    out: &'a mut Vec<u8>,
    empty: bool,
    /// A row gave params only serde writes ([`ParamOut::read_back`]).
    gave_up: bool,
}

impl Obj<'_> {
    /// The next member's key (known clean), up to its value.
    #[inline(always)]
    fn key(&mut self, (_, first, next): Key) -> &mut Vec<u8> {
        let k = if self.empty { first } else { next };
        self.empty = false;
        self.out.extend_from_slice(k.as_bytes());
        self.out
    }

    /// A list of strings, each written by `item`.
    #[inline(always)]
    fn seq<'s>(
        &mut self,
        k: Key,
        values: impl Iterator<Item = &'s str>,
        item: fn(&mut Vec<u8>, &'s str),
    ) {
        let out = self.key(k);
        out.push(b'[');
        for (i, v) in values.enumerate() {
            if i > 0 {
                out.push(b',');
            }
            item(out, v);
        }
        out.push(b']');
    }
}

impl ParamOut for Obj<'_> {
    #[inline]
    fn uint(&mut self, k: Key, n: u64) {
        json::uint(self.key(k), n);
    }

    #[inline]
    fn int(&mut self, k: Key, n: i64) {
        Escaped(self.key(k)).int(n);
    }

    #[inline]
    fn null(&mut self, k: Key) {
        self.key(k).extend_from_slice(b"null");
    }

    #[inline]
    fn known(&mut self, k: Key, v: &'static str) {
        json::known(self.key(k), v);
    }

    #[inline]
    fn string(&mut self, k: Key, v: &str) {
        json::string(self.key(k), v);
    }

    #[inline]
    fn text(&mut self, k: Key, t: Text<'_>) {
        let out = self.key(k);
        out.push(b'"');
        t.write(&mut Escaped(out));
        out.push(b'"');
    }

    #[inline]
    fn list<'s>(&mut self, k: Key, values: impl Iterator<Item = &'s str> + Clone) {
        self.seq(k, values, json::string);
    }

    #[inline]
    fn known_list(&mut self, k: Key, values: impl Iterator<Item = &'static str> + Clone) {
        self.seq(k, values, json::known);
    }

    #[inline]
    fn read_back(&mut self, _: &serde_json::Map<String, serde_json::Value>) {
        self.gave_up = true;
    }
}

/// A serde map, keeping the first error it met.
struct MapOut<'m, M: SerializeMap> {
    m: &'m mut M,
    err: Option<M::Error>,
}

impl<M: SerializeMap> MapOut<'_, M> {
    fn entry<T: Serialize + ?Sized>(&mut self, k: &str, v: &T) {
        if self.err.is_none() {
            self.err = self.m.serialize_entry(k, v).err();
        }
    }
}

/// A list of strings serialized from an iterator (no allocation).
struct Seq<I>(I);

impl<'a, I: Iterator<Item = &'a str> + Clone> Serialize for Seq<I> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.clone())
    }
}

impl<M: SerializeMap> ParamOut for MapOut<'_, M> {
    fn uint(&mut self, k: Key, n: u64) {
        self.entry(k.0, &n);
    }

    fn int(&mut self, k: Key, n: i64) {
        self.entry(k.0, &n);
    }

    fn null(&mut self, k: Key) {
        self.entry(k.0, &());
    }

    fn known(&mut self, k: Key, v: &'static str) {
        self.entry(k.0, v);
    }

    fn string(&mut self, k: Key, v: &str) {
        self.entry(k.0, v);
    }

    fn text(&mut self, k: Key, t: Text<'_>) {
        let mut s = String::with_capacity(32);
        t.write(&mut s);
        self.entry(k.0, &s);
    }

    fn list<'s>(&mut self, k: Key, values: impl Iterator<Item = &'s str> + Clone) {
        self.entry(k.0, &Seq(values));
    }

    fn read_back(&mut self, params: &serde_json::Map<String, serde_json::Value>) {
        for (k, v) in params {
            self.entry(k, v);
        }
    }
}

/// The `params` of a violation: written from its detail's row, as bytes or through
/// serde (no allocation).
pub(crate) struct Params<'a> {
    pub(crate) detail: &'a Detail,
    pub(crate) subject: &'a Subject,
    /// The detail's suggestions ([`Detail::near`]).
    pub(crate) near: Near,
}

impl Params<'_> {
    /// Writes the params as compact JSON, the bytes `serde_json` writes of this view,
    /// straight into `out`; `false` (nothing written) for params read back from JSON,
    /// which only the `Serialize` impl writes.
    pub(crate) fn write(&self, out: &mut Vec<u8>) -> bool {
        let start = out.len();
        let mut m = Obj {
            out,
            empty: true,
            gave_up: false,
        };
        self.detail.params(self.subject, self.near, &mut m);
        if m.gave_up {
            m.out.truncate(start);
            return false;
        }
        if m.empty {
            m.out.push(b'{');
        }
        m.out.push(b'}');
        true
    }
}

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        let mut out = MapOut {
            m: &mut m,
            err: None,
        };
        self.detail.params(self.subject, self.near, &mut out);
        match out.err {
            Some(e) => Err(e),
            None => m.end(),
        }
    }
}
