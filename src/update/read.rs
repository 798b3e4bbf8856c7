//! Reading a patch document in one serde pass: each operation's members as [`Shape`]s
//! (the `value`'s array elements too, for `tags`), every container walked for
//! repeated keys at any depth, depth bounded by serde_json as for a create body.

use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};

use crate::findings::Found;
use crate::scan::walk::{report_repeated, KeySeed, KeySet, Path, Walk};
use crate::shape::JsonType;
use crate::shape::Shape;

/// A value of an operation as read: its shape, and when it is an array and was asked
/// for, the shapes of its elements.
pub(super) struct Val<'de> {
    pub(super) shape: Shape<'de>,
    pub(super) elems: Vec<Shape<'de>>,
}

/// The members of one operation that the two media types define.
#[derive(Default)]
pub(super) struct Members<'de> {
    pub(super) op: Option<Shape<'de>>,
    pub(super) path: Option<Shape<'de>>,
    pub(super) value: Option<Val<'de>>,
    /// The v2.0 op members, in the order `add`, `remove`, `replace`.
    pub(super) ops: [Option<Shape<'de>>; 3],
}

/// One element of the patch document as read. Not boxed: an operation is read, judged
/// and dropped one at a time, and a box cost an allocation per operation.
#[allow(clippy::large_enum_variant)]
pub(super) enum Read<'de> {
    /// Not an object: what it is.
    NotObject(JsonType),
    /// An object; `repeated` when a key repeats anywhere in it (reported already:
    /// nothing else in the operation is judged).
    Object {
        members: Members<'de>,
        repeated: bool,
    },
}

/// Reads one element of the patch document.
pub(super) struct OpSeed<'a, 'de> {
    pub(super) found: &'a mut Found<'de>,
    pub(super) path: &'a Path<'a, 'de>,
}

crate::shape::seed_of_any!('de, OpSeed<'_, 'de>);

impl<'de> Visitor<'de> for OpSeed<'_, 'de> {
    type Value = Read<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a patch operation")
    }
    crate::shape::scalar_kinds!(Read::NotObject, JsonType::Integer);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Read<'de>, A::Error> {
        // Walked for repeated keys inside (a parsing hazard wherever it is).
        let start = self.found.len();
        Walk {
            sink: Some(&mut *self.found),
            path: self.path,
        }
        .visit_seq(seq)?;
        if self.found.len() > start {
            return Ok(Read::Object {
                members: Members::default(),
                repeated: true,
            });
        }
        Ok(Read::NotObject(JsonType::Array))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Read<'de>, A::Error> {
        let found = self.found;
        let op_start = found.len();
        let mut keys = KeySet::default();
        let mut m = Members::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let start = found.len();
            let child = Path::key(self.path, &key);
            let slot = match &*key {
                "op" => Some(&mut m.op),
                "path" => Some(&mut m.path),
                "add" => Some(&mut m.ops[0]),
                "remove" => Some(&mut m.ops[1]),
                "replace" => Some(&mut m.ops[2]),
                _ => None,
            };
            match (&*key, slot) {
                (_, Some(slot)) => {
                    let seed = ValSeed {
                        found: &mut *found,
                        path: &child,
                        elems: false,
                    };
                    *slot = Some(map.next_value_seed(seed)?.shape);
                }
                ("value", None) => {
                    let seed = ValSeed {
                        found: &mut *found,
                        path: &child,
                        elems: true,
                    };
                    m.value = Some(map.next_value_seed(seed)?);
                }
                _ => map.next_value_seed(Walk {
                    sink: Some(&mut *found),
                    path: &child,
                })?,
            }
            let end = found.len();
            keys.insert(key, start, end);
        }
        report_repeated(keys, self.path, found);
        Ok(Read::Object {
            members: m,
            repeated: found.len() > op_start,
        })
    }
}

/// Reads a member's value as a [`Shape`] (and an array's elements, when asked);
/// containers are walked for repeated keys.
struct ValSeed<'a, 'de> {
    found: &'a mut Found<'de>,
    path: &'a Path<'a, 'de>,
    elems: bool,
}

crate::shape::seed_of_any!('de, ValSeed<'_, 'de>);

fn val(shape: Shape<'_>) -> Val<'_> {
    Val {
        shape,
        elems: Vec::new(),
    }
}

impl<'de> Visitor<'de> for ValSeed<'_, 'de> {
    type Value = Val<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    crate::shape::scalar_shapes!(val);
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Val<'de>, A::Error> {
        if !self.elems {
            Walk {
                sink: Some(self.found),
                path: self.path,
            }
            .visit_seq(seq)?;
            return Ok(val(Shape::Array));
        }
        let mut elems = Vec::new();
        let mut i = 0usize;
        loop {
            let child = Path::index(self.path, i);
            let seed = ValSeed {
                found: &mut *self.found,
                path: &child,
                elems: false,
            };
            let Some(v) = seq.next_element_seed(seed)? else {
                break;
            };
            elems.push(v.shape);
            i += 1;
        }
        Ok(Val {
            shape: Shape::Array,
            elems,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Val<'de>, A::Error> {
        Walk {
            sink: Some(self.found),
            path: self.path,
        }
        .visit_map(map)?;
        Ok(val(Shape::Object))
    }
}
