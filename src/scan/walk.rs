//! The serde walk: pointer paths on the stack, the key set of one object, the walk of
//! values no rule looks inside (for duplicate keys), and the reading of a field's value
//! into a [`Shape`].

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};

use crate::code::Code;
use crate::findings::{Found, Token};
use crate::message::{excerpt_short, Detail, Subject};
use crate::pointer::Short;
use crate::report::Violation;
use crate::rules::check::Checker;
use crate::shape::{JsonType, Shape};

/// A location in the body, kept on the stack; interned into the scan's path arena
/// (once) only when a violation is recorded at or under it.
pub(crate) struct Path<'p, 'de> {
    parent: Option<&'p Path<'p, 'de>>,
    step: Step<'p, 'de>,
    /// The arena index, once interned.
    node: Cell<u32>,
}

#[derive(Clone, Copy)]
enum Step<'p, 'de> {
    Root,
    Key(&'p Cow<'de, str>),
    Index(usize),
}

/// Not interned yet.
const UNSET: u32 = u32::MAX - 1;
/// The body itself, as a parent.
const BODY: u32 = u32::MAX;

impl<'p, 'de> Path<'p, 'de> {
    pub(crate) fn root() -> Self {
        Path {
            parent: None,
            step: Step::Root,
            node: Cell::new(BODY),
        }
    }

    pub(crate) fn key(parent: &'p Path<'p, 'de>, key: &'p Cow<'de, str>) -> Self {
        Path {
            parent: Some(parent),
            step: Step::Key(key),
            node: Cell::new(UNSET),
        }
    }

    pub(crate) fn index(parent: &'p Path<'p, 'de>, i: usize) -> Self {
        Path {
            parent: Some(parent),
            step: Step::Index(i),
            node: Cell::new(UNSET),
        }
    }

    /// This place's node in the arena, interned with its ancestors the first time:
    /// a place costs the arena one node however many violations lie under it.
    fn node(&self, found: &mut Found<'de>) -> u32 {
        let memo = self.node.get();
        if memo != UNSET {
            return memo;
        }
        let parent = self.parent.map_or(BODY, |p| p.node(found));
        let token = match self.step {
            Step::Key(k) => Token::key(k),
            Step::Index(i) => Token::Index(i),
            Step::Root => return BODY,
        };
        let n = found.node(parent, token);
        self.node.set(n);
        n
    }
}

/// One key of an object, with the range of violations its value produced.
#[derive(Clone, Copy, Default)]
struct Entry<'de> {
    key: &'de str,
    start: u32,
    end: u32,
}

/// The keys of one object, to find the repeated ones when the object ends: the first
/// few borrowed keys inline (no allocation, nothing to drop, for a typical body), the
/// rest in a list that is sorted then. No hashing, so no crafted set of keys can
/// degrade it: O(n log n) comparisons. Each key keeps the range of violations found in
/// its value, which a repetition makes moot.
#[derive(Default)]
pub(crate) struct KeySet<'de> {
    inline: [Entry<'de>; KeySet::INLINE],
    len: usize,
    spill: Vec<(Cow<'de, str>, u32, u32)>,
}

impl<'de> KeySet<'de> {
    const INLINE: usize = 8;

    /// Adds `key`, whose value produced the violations `start..end`.
    pub(crate) fn insert(&mut self, key: Cow<'de, str>, start: u32, end: u32) {
        match (key, self.inline.get_mut(self.len)) {
            (Cow::Borrowed(key), Some(slot)) => {
                *slot = Entry { key, start, end };
                self.len += 1;
            }
            (key, _) => self.spill.push((key, start, end)),
        }
    }

    /// Whether a key can have been met twice: at least two keys.
    pub(crate) fn may_repeat(&self) -> bool {
        self.len + self.spill.len() >= 2
    }

    /// Calls `f` once for each key met more than once, with how many times it was met
    /// and the violation ranges of its values: in the order of first meeting for a
    /// small object (no allocation), of the keys for a larger one.
    pub(crate) fn each_repeat(self, mut f: impl FnMut(&Cow<'de, str>, usize, &[(u32, u32)])) {
        let inline = &self.inline[..self.len];
        if self.spill.is_empty() {
            for (i, e) in inline.iter().enumerate() {
                let same = |o: &&Entry<'_>| o.key == e.key;
                if inline[..i].iter().any(|o| o.key == e.key)
                    || !inline[i + 1..].iter().any(|o| o.key == e.key)
                {
                    continue;
                }
                let mut ranges = [(0u32, 0u32); KeySet::INLINE];
                let mut n = 0;
                for (slot, o) in ranges.iter_mut().zip(inline.iter().filter(same)) {
                    *slot = (o.start, o.end);
                    n += 1;
                }
                f(&Cow::Borrowed(e.key), n, &ranges[..n]);
            }
            return;
        }
        let mut all = self.spill;
        all.extend(
            inline
                .iter()
                .map(|e| (Cow::Borrowed(e.key), e.start, e.end)),
        );
        // Most objects repeat no key: tell that without sorting (no allocation either).
        let mut any = false;
        let key_of = |i: usize| all.get(i).map_or("", |e| e.0.as_ref());
        if crate::dedup::repeats(all.len(), key_of, |_| any = true) && !any {
            return;
        }
        all.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        let mut ranges = Vec::new();
        for run in all.chunk_by(|a, b| a.0 == b.0) {
            if let [first, _, ..] = run {
                ranges.clear();
                ranges.extend(run.iter().map(|e| (e.1, e.2)));
                f(&first.0, run.len(), &ranges);
            }
        }
    }
}

/// Reads a string, borrowing it from the input when it holds no escape (serde's own
/// `Cow<str>` always copies): an object key here and on the update road, and a record's
/// keys and constants when it is read back (`deserialize.rs`).
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
        f.write_str("a string")
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

/// Records `key` repeated in the object at `path`: the values of all its occurrences
/// are moot, and the repetition is the one violation at its place.
#[allow(clippy::ptr_arg)] // Whether it is borrowed decides whether the arena copies it.
pub(crate) fn duplicate<'de>(
    found: &mut Found<'de>,
    path: &Path<'_, 'de>,
    key: &Cow<'de, str>,
    ranges: &[(u32, u32)],
) {
    for &(start, end) in ranges {
        found.drop_range(start, end);
    }
    let parent = path.node(found);
    let node = found.node(parent, Token::key(key));
    let violation = Violation::new(
        Short::Static(""),
        Subject::Key(excerpt_short(key)),
        Code::DuplicateKey,
        Detail::Duplicate,
        None,
    );
    found.push_at(node, violation);
}

/// Walks a value that no rule looks inside, only to report duplicate keys (into `sink`,
/// when there is one) and to let serde_json check its syntax, strings and depth.
pub(crate) struct Walk<'a, 'de> {
    pub(crate) sink: Option<&'a mut Found<'de>>,
    pub(crate) path: &'a Path<'a, 'de>,
}

crate::shape::seed_of_any!('de, Walk<'_, 'de>);

impl<'de> Visitor<'de> for Walk<'_, 'de> {
    type Value = ();
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    crate::shape::scalar_kinds!(|_: JsonType| (), JsonType::Integer);
    fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<(), A::Error> {
        let mut i = 0usize;
        loop {
            let child = Path::index(self.path, i);
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
        let len = |sink: &Option<&mut Found<'de>>| sink.as_ref().map_or(0, |f| f.len());
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let start = len(&self.sink);
            let child = Path::key(self.path, &key);
            map.next_value_seed(Walk {
                sink: self.sink.as_deref_mut(),
                path: &child,
            })?;
            let end = len(&self.sink);
            keys.insert(key, start, end);
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
pub(crate) fn report_repeated<'de>(keys: KeySet<'de>, path: &Path<'_, 'de>, sink: &mut Found<'de>) {
    #[inline(never)]
    fn report<'de>(keys: KeySet<'de>, path: &Path<'_, 'de>, sink: &mut Found<'de>) {
        keys.each_repeat(|key, _, ranges| duplicate(sink, path, key, ranges));
    }
    if keys.may_repeat() {
        report(keys, path, sink);
    }
}

/// Reads a field's value as a [`Shape`]; containers are walked for duplicate keys,
/// except `tags`' array, whose elements are checked as tags.
pub(crate) struct ShapeSeed<'a, 'r, 'de> {
    pub(crate) st: &'a mut Checker<'r, 'de>,
    pub(crate) path: &'a Path<'a, 'de>,
    pub(crate) tags: bool,
}

crate::shape::seed_of_any!('de, ShapeSeed<'_, '_, 'de>);

impl<'de> Visitor<'de> for ShapeSeed<'_, '_, 'de> {
    type Value = Shape<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    crate::shape::scalar_shapes!(std::convert::identity);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Shape<'de>, A::Error> {
        if !self.tags {
            Walk {
                sink: Some(&mut self.st.found),
                path: self.path,
            }
            .visit_seq(seq)?;
            return Ok(Shape::Array);
        }
        let mut i = 0usize;
        loop {
            let child = Path::index(self.path, i);
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
            sink: Some(&mut self.st.found),
            path: self.path,
        }
        .visit_map(map)?;
        Ok(Shape::Object)
    }
}
