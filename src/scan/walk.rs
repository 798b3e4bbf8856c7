//! The serde walk: pointer paths on the stack, the key set of one object, the walk of
//! values no rule looks inside (for duplicate keys), and the reading of a field's value
//! into a [`Shape`].

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::code::Code;
use crate::report::{Detail, Violation};
use crate::rules::check::Checker;
use crate::shape::{Int, Shape};
use crate::short::{push_pointer_index, push_pointer_token, ShortBuf};

/// A location in the body, kept on the stack; rendered to a JSON Pointer only on error.
#[derive(Clone, Copy)]
pub(crate) enum Path<'p> {
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
                push_pointer_token(out, key);
            }
            Path::Index(parent, i) => {
                parent.render_into(out);
                push_pointer_index(out, *i);
            }
        }
    }
}

/// The keys of one object, to find the repeated ones when the object ends: the first
/// few borrowed keys inline (no allocation, nothing to drop, for a typical body), the
/// rest in a list that is sorted then. No hashing, so no crafted set of keys can
/// degrade it: O(n log n) comparisons.
#[derive(Default)]
pub(crate) struct KeySet<'de> {
    inline: [&'de str; KeySet::INLINE],
    len: usize,
    spill: Vec<Cow<'de, str>>,
}

impl<'de> KeySet<'de> {
    const INLINE: usize = 8;

    pub(crate) fn insert(&mut self, key: Cow<'de, str>) {
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
pub(crate) struct KeySeed;

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

/// The violation of `key` repeated in the object at `path`.
pub(crate) fn duplicate(path: &Path<'_>, key: &str) -> Violation {
    let mut pointer = ShortBuf::default();
    path.render_into(&mut pointer);
    push_pointer_token(&mut pointer, key);
    Violation::new(
        pointer.finish(),
        Code::DuplicateKey,
        Detail::Duplicate,
        None,
    )
}

/// Walks a value that no rule looks inside, only to report duplicate keys (into `sink`,
/// when there is one) and to let serde_json check its syntax, strings and depth.
pub(crate) struct Walk<'a> {
    pub(crate) sink: Option<&'a mut Vec<Violation>>,
    pub(crate) path: &'a Path<'a>,
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
pub(crate) fn report_repeated(keys: KeySet<'_>, path: &Path<'_>, sink: &mut Vec<Violation>) {
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

/// Reads a field's value as a [`Shape`]; containers are walked for duplicate keys,
/// except `tags`' array, whose elements are checked as tags.
pub(crate) struct ShapeSeed<'a, 'r, 'de> {
    pub(crate) st: &'a mut Checker<'r, 'de>,
    pub(crate) path: &'a Path<'a>,
    pub(crate) tags: bool,
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
