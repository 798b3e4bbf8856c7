//! Judging and applying the operations of a patch, one by one as they are read,
//! against the image as the operations before left it (SPEC §8.2).

use std::borrow::Cow;
use std::collections::btree_map::Entry;
use std::collections::BTreeMap;
use std::fmt;

use serde::de::{MapAccess, SeqAccess, Visitor};

use super::read::{Members, OpSeed, Read, Val};
use super::MediaType;
use crate::catalog::OsVersion;
use crate::code::Code;
use crate::findings::Found;
use crate::keys::{classify, Field, KeyKind};
use crate::message::{Detail, Got, Naming, Part, PatchFault, Quota, Subject};
use crate::pointer::{push_pointer_index, push_pointer_token, Short, ShortBuf};
use crate::record::{Record, Timestamp};
use crate::report::{Report, Violation};
use crate::rules::check::{dedup_first_wins, quote, At, Checker, MinDisk};
use crate::rules::Rules;
use crate::scan::spelling::ElementMembers;
use crate::scan::walk::{Path, Walk};
use crate::shape::{JsonType, Shape};

/// A custom property's key in the update's map: after its first 8 bytes as an integer
/// (`chars::prefix8`), so that most comparisons of a lookup are an integer's. Borrowed
/// from the patch where the patch spells it plainly.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct PropKey<'de>(u64, Cow<'de, str>);

impl<'de> PropKey<'de> {
    fn new(key: Cow<'de, str>) -> Self {
        PropKey(crate::chars::prefix8(&key), key)
    }
}

/// The three operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Add,
    Remove,
    Replace,
}

/// The state of one update: the image as the operations so far left it, and the
/// violations found.
pub(super) struct Update<'r, 'de> {
    media: MediaType,
    text: &'de str,
    rules: &'r Rules,
    /// The patch's largest byte (see `Checker::new`).
    max_byte: u8,
    found: Found<'de>,
    /// The image, but its custom properties, which are in `props`.
    img: Record,
    /// The custom properties by key: the order they are written in, and the value.
    /// No hashing (no crafted keys can degrade it, and no random seed).
    props: BTreeMap<PropKey<'de>, (usize, String)>,
    /// The order the next new property gets.
    next: usize,
    /// Whether an operation added a property the image did not have.
    added: bool,
    /// The last operation that changed `__os_version`.
    os_set_at: Option<usize>,
    /// The `value` members' text, for numbers only their spelling can judge.
    spelling: Option<ElementMembers<'de>>,
    /// Constant keys set by an operation (the fields of fixed value): a
    /// different value the image was read with is dropped at the end (once, however
    /// many operations set them).
    reset: [bool; 2],
    /// The checker of operations' keys and values, clean between operations (one made
    /// and dropped per operation cost a drop of its draft each, and its properties'
    /// allocation); boxed, as it is large, so that taking it and giving it back move a
    /// pointer, and made once per patch.
    spare: Option<Box<Checker<'r, 'de>>>,
    /// Whether a field's rule spent `spare`'s draft (it is made again before use).
    spent: bool,
}

impl<'r, 'de> Update<'r, 'de> {
    pub(super) fn new(
        media: MediaType,
        text: &'de str,
        image: Cow<'_, Record>,
        rules: &'r Rules,
        max_byte: u8,
    ) -> Self {
        let mut img = image.into_owned();
        let listed = std::mem::take(&mut img.properties);
        let next = listed.len();
        // Built in bulk (sorted, then one pass), not by an insertion per key. Of a key
        // listed twice the map keeps the last it is given: so it is given the list
        // backwards, and the first stays, as create keeps it.
        let props: BTreeMap<_, _> = listed
            .into_iter()
            .enumerate()
            .rev()
            .map(|(i, (k, v))| (PropKey::new(Cow::Owned(k)), (i, v)))
            .collect();
        Update {
            media,
            text,
            rules,
            max_byte,
            found: Found::default(),
            img,
            props,
            next,
            added: false,
            os_set_at: None,
            spelling: None,
            reset: [false; 2],
            spare: None,
            spent: false,
        }
    }

    /// Pushes a violation at `pointer` in the patch, about `subject`.
    fn push(
        &mut self,
        (pointer, subject): (Short, Subject),
        code: Code,
        detail: Detail,
        ims: Option<&'static str>,
    ) {
        let v = Violation::new(pointer, subject, code, detail, ims);
        self.found.push_or_count(self.rules.max_violations, v);
    }

    /// Moves the first fault create's rule found (at `/KEY`, or under it) to `base` in
    /// the patch: an operation has at most one violation (SPEC §8), so a `tags` value
    /// with three bad tags is refused at its first. With `strip`, the part of the
    /// create pointer after its first `strip` bytes is kept (`/tags/3` → `/i/value/3`).
    fn moved(&mut self, ck: &mut Checker<'_, 'de>, base: &Short, strip: Option<usize>) {
        // What the capped check only counted is dropped: the operation keeps one fault
        // (its first, the one the checker kept), and the checker's count must start
        // from nothing for the next.
        let _dropped = ck.found.take_over();
        if let Some(mut v) = ck.found.take_made().into_iter().next() {
            let tail = strip.and_then(|n| v.pointer().get(n..)).unwrap_or_default();
            let pointer = if tail.is_empty() {
                base.clone()
            } else {
                let mut p = ShortBuf::default();
                p.push_str(base.as_str());
                p.push_str(tail);
                p.finish()
            };
            v.set_pointer(pointer);
            self.found.push_or_count(self.rules.max_violations, v);
        }
    }

    /// The text of operation `i`'s `value`.
    fn value_token(&mut self, i: usize) -> Option<&'de str> {
        let text = self.text;
        self.spelling
            .get_or_insert_with(|| ElementMembers::new(text))
            .value(i, "value")
    }

    /// Judges operation `i` and applies it when it passes: at most one violation
    /// (repeated keys, reported as read, aside).
    pub(super) fn judge(&mut self, i: usize, read: Read<'de>) {
        let at = |part: Part| place(i, part);
        let m = match read {
            Read::NotObject(kind) => {
                let detail = Detail::Patch(PatchFault::OpNotObject(kind));
                return self.push(at(Part::Whole), Code::WrongType, detail, None);
            }
            Read::Object { repeated: true, .. } => return,
            Read::Object { members, .. } => members,
        };
        let Members {
            op,
            path,
            value,
            ops,
        } = m;
        let required = |member| Detail::Patch(PatchFault::Required { member });
        // The shape: the op and its path.
        let (op, path, member) = match self.media {
            MediaType::V2_1 => {
                let Some(op) = op else {
                    return self.push(at(Part::Whole), Code::Required, required("op"), None);
                };
                let op = match op {
                    Shape::Str(s) => match &*s {
                        "add" => Op::Add,
                        "remove" => Op::Remove,
                        "replace" => Op::Replace,
                        other => {
                            let got = self.rules.quote_input.then(|| quote(other));
                            let detail = Detail::Patch(PatchFault::OpNotAllowed(got));
                            return self.push(at(Part::Op), Code::NotAllowed, detail, None);
                        }
                    },
                    other => {
                        let detail = Detail::Patch(PatchFault::MemberType {
                            found: other.kind(),
                        });
                        return self.push(at(Part::Op), Code::WrongType, detail, None);
                    }
                };
                let Some(path) = path else {
                    return self.push(at(Part::Whole), Code::Required, required("path"), None);
                };
                (op, path, Part::Path)
            }
            MediaType::V2_0 => {
                let mut present = ops
                    .into_iter()
                    .zip([
                        (Op::Add, Part::Add),
                        (Op::Remove, Part::Remove),
                        (Op::Replace, Part::Replace),
                    ])
                    .filter_map(|(shape, which)| shape.map(|s| (s, which)));
                let Some((path, (op, member))) = present.next() else {
                    return self.push(at(Part::Whole), Code::Required, required("add"), None);
                };
                if present.next().is_some() {
                    let detail = Detail::Patch(PatchFault::TwoOps);
                    return self.push(at(Part::Whole), Code::BadFormat, detail, None);
                }
                (op, path, member)
            }
        };
        let value = match (op, value) {
            (Op::Remove, _) => None,
            (_, Some(v)) => Some(v),
            (_, None) => {
                return self.push(at(Part::Whole), Code::Required, required("value"), None)
            }
        };
        // Made only when a violation names it (most operations pass).
        let path_at = || at(member);
        let path = match path {
            Shape::Str(s) => s,
            other => {
                let detail = Detail::Patch(PatchFault::MemberType {
                    found: other.kind(),
                });
                return self.push(path_at(), Code::WrongType, detail, None);
            }
        };
        // The path's form, then the key's characters.
        let Some(key) = one_token(path.clone()) else {
            let got = self.rules.quote_input.then(|| quote(&path));
            let detail = Detail::Patch(PatchFault::BadPath(got));
            return self.push(path_at(), Code::BadFormat, detail, None);
        };
        let mut ck = match self.spare.take() {
            Some(mut ck) => {
                if std::mem::take(&mut self.spent) {
                    *ck = self.checker();
                }
                ck
            }
            None => Box::new(self.checker()),
        };
        // Judged by create's rule for a field, its draft is spent: made again if
        // another operation comes (most patches have one).
        self.spent = self.judge_key(i, op, member, key, value, &mut ck);
        self.spare = Some(ck);
    }

    /// A checker for one operation's key and value. It keeps one violation and only
    /// counts the rest: an operation has at most one (SPEC §8), its first, which
    /// [`Update::moved`] takes; so a value of 20,000 bad tags makes one violation, not
    /// a report's worth to drop.
    fn checker(&self) -> Checker<'r, 'de> {
        let mut ck = Checker::new(self.rules, self.max_byte);
        ck.found.cap(1);
        ck
    }

    /// Judges operation `i` on the custom key or field `key` (its path well formed) and
    /// applies it when it passes; true when a field's rule spent the checker's draft.
    fn judge_key(
        &mut self,
        i: usize,
        op: Op,
        member: Part,
        key: Cow<'de, str>,
        value: Option<Val<'de>>,
        ck: &mut Checker<'r, 'de>,
    ) -> bool {
        let at = |part: Part| place(i, part);
        let path_at = || at(member);
        let facts = ck.facts(&key);
        if !ck.chars_ok(&facts, At::Key(&key), Naming::Key, None) {
            self.moved(ck, &path_at().0, None);
            return false;
        }
        // The key's kind.
        let value_at = || at(Part::Value).0;
        let key_at = |path_at: (Short, Subject)| (path_at.0, Subject::Key(quote(&key)));
        match classify(&key) {
            KeyKind::Field(Field::Id) | KeyKind::ReadOnly => {
                let detail = Detail::Forbidden { read_only: true };
                self.push(key_at(path_at()), Code::ReadOnly, detail, None);
            }
            KeyKind::Reserved => {
                let detail = Detail::Forbidden { read_only: false };
                self.push(key_at(path_at()), Code::Reserved, detail, None);
            }
            KeyKind::Field(f) => {
                let remove = op == Op::Remove;
                let removable = f.is_extension();
                if self.rules.updatable & f.bit() == 0 || (remove && !removable) {
                    let detail = Detail::Patch(PatchFault::NotUpdatable { remove });
                    let at = (path_at().0, Subject::Field(f));
                    self.push(at, Code::NotUpdatable, detail, None);
                    return false;
                }
                if op != Op::Add && !self.has_field(f) {
                    let detail = Detail::Patch(PatchFault::Conflict { remove });
                    let at = (path_at().0, Subject::Field(f));
                    self.push(at, Code::Conflict, detail, None);
                    return false;
                }
                match value {
                    None => self.remove_field(f),
                    Some(v) => {
                        self.set_field(i, f, v, ck, &value_at());
                        return true;
                    }
                }
            }
            KeyKind::Custom => {
                if !ck.custom_key(&key) {
                    self.moved(ck, &path_at().0, None);
                    return false;
                }
                let conflict = |remove| Detail::Patch(PatchFault::Conflict { remove });
                // One search of the properties per operation.
                match (op, value) {
                    (_, None) => {
                        if self.props.remove(&PropKey::new(key.clone())).is_none() {
                            let at = key_at(path_at());
                            self.push(at, Code::Conflict, conflict(true), None);
                            return false;
                        }
                    }
                    (Op::Replace, Some(v)) => {
                        let Some(slot) = self.props.get_mut(&PropKey::new(key.clone())) else {
                            let at = key_at(path_at());
                            self.push(at, Code::Conflict, conflict(false), None);
                            return false;
                        };
                        // Create's rule for a custom value (a string, at most so many
                        // bytes; `null` is a type error there too).
                        ck.custom(key, v.shape);
                        match ck.draft.properties.pop() {
                            Some((_, s)) if ck.found.is_empty() => slot.1 = s.into_owned(),
                            _ => self.moved(ck, &value_at(), None),
                        }
                    }
                    (_, Some(v)) => {
                        ck.custom(key, v.shape);
                        match ck.draft.properties.pop() {
                            Some((k, s)) if ck.found.is_empty() => self.add_property(k, s),
                            _ => self.moved(ck, &value_at(), None),
                        }
                    }
                }
            }
        }
        false
    }

    /// Whether the image has the documented field `f` (the optional extensions may be
    /// absent; every other field always has a value).
    fn has_field(&self, f: Field) -> bool {
        !f.is_extension() || self.img.extensions.is_given(f)
    }

    fn remove_field(&mut self, f: Field) {
        // Refused before for every other field: each has a default and is not removed.
        self.img.extensions.clear(f);
    }

    /// `add` of a custom property: its value replaced where the image has it (in its
    /// place), else the property added after every other.
    fn add_property(&mut self, key: Cow<'de, str>, value: Cow<'de, str>) {
        match self.props.entry(PropKey::new(key)) {
            Entry::Occupied(mut slot) => slot.get_mut().1 = value.into_owned(),
            Entry::Vacant(slot) => {
                slot.insert((self.next, value.into_owned()));
                self.next += 1;
                self.added = true;
            }
        }
    }

    /// Judges `v` by create's rule for field `f` and, when it passes, sets it.
    fn set_field(
        &mut self,
        i: usize,
        f: Field,
        v: Val<'de>,
        ck: &mut Checker<'_, 'de>,
        at: &Short,
    ) {
        let Val { shape, elems } = v;
        if matches!(shape, Shape::Null) && f.null_is_absent() {
            // Create reads this `null` as absent (only string fields do); here it would
            // mean remove, which `remove` says: a type error.
            ck.wrong_type(At::Field(f), JsonType::String, &shape, f.ims());
            return self.moved(ck, at, Some(f.pointer().len()));
        }
        match f {
            Field::Tags => {
                let n = elems.len();
                for (j, e) in elems.into_iter().enumerate() {
                    ck.tag(j, e);
                }
                ck.tag_count = n;
                ck.tags_value(&shape);
            }
            Field::MinDisk => {
                let img = &self.img;
                let os = OsVersion::new(
                    img.os_version.clone(),
                    img.os_type,
                    img.platform.clone(),
                    img.os_bit,
                );
                ck.assume_os(os);
                ck.field(f, shape);
            }
            _ => ck.field(f, shape),
        }
        for (field, v) in ck.take_spelled() {
            let token = self.value_token(i);
            ck.spelled(field, v, token);
        }
        if !ck.found.is_empty() {
            return self.moved(ck, at, Some(f.pointer().len()));
        }
        let img = &mut self.img;
        let d = &mut ck.draft;
        match f {
            Field::Name => {
                if let Some(s) = d.name.take() {
                    img.name = s.into_owned();
                }
            }
            Field::OsVersion => {
                if let Some(os) = d.os_version.take() {
                    img.os_version = os.version().to_owned();
                    img.os_type = os.os_type();
                    img.platform = os.platform().clone();
                    img.os_bit = os.bit();
                    self.os_set_at = Some(i);
                }
            }
            // Create's rule allows only the record's constant: the image now has it.
            Field::Visibility => self.reset[0] = true,
            Field::ContainerFormat => self.reset[1] = true,
            Field::Protected => img.protected = d.protected,
            Field::DiskFormat => {
                if let Some(df) = d.disk_format {
                    img.disk_format = df;
                }
            }
            Field::Tags => {
                let mut tags = std::mem::take(&mut ck.tags);
                dedup_first_wins(&mut tags);
                img.tags = tags.into_iter().map(Cow::into_owned).collect();
            }
            Field::MinRam => img.min_ram = d.min_ram,
            Field::MinDisk => {
                if let MinDisk::Checked(v) = d.min_disk {
                    img.min_disk = v;
                }
            }
            // Read-only on update: refused before.
            Field::Id => {}
            // A known extension, whatever its kind: its member, by the table.
            _ => img.extensions.take_from(f, &mut d.extensions),
        }
    }

    /// The verdict once every operation was read: `min_disk` against a new OS type,
    /// the property quota, then the report or the updated image.
    pub(super) fn finish(mut self, now: Timestamp) -> Result<Record, Report> {
        if let Some(at) = self.os_set_at {
            let range = self.rules.min_disk_range(self.img.os_type);
            let v = self.img.min_disk;
            if !range.contains(&v) {
                let detail = Detail::OutOfRange {
                    got: Got::Value(u64::from(v)),
                    lo: *range.start(),
                    hi: *range.end(),
                };
                let mut p = ShortBuf::default();
                push_pointer_index(&mut p, at);
                p.push_str("/value");
                let at = (p.finish(), Subject::Field(Field::MinDisk));
                let ims = Field::MinDisk.ims();
                self.push(at, Code::OutOfRange, detail, ims);
            }
        }
        let max = self.rules.max_properties;
        if self.added && self.props.len() > max {
            let detail = Detail::TooMany {
                what: Quota::Properties,
                n: self.props.len(),
                max,
            };
            self.push(
                (Short::Static(""), Subject::None),
                Code::TooMany,
                detail,
                None,
            );
        }
        if !self.found.is_empty() {
            return Err(self.found.finish(self.rules.max_violations));
        }
        // Back in the order they are written in: each in its slot (the image's own
        // place, or after them in the order added), no sort.
        let mut slots: Vec<Option<(String, String)>> = Vec::new();
        slots.resize_with(self.next, || None);
        for (k, (n, v)) in self.props {
            if n >= slots.len() {
                slots.resize_with(n + 1, || None);
            }
            if let Some(slot) = slots.get_mut(n) {
                *slot = Some((k.1.into_owned(), v));
            }
        }
        let mut img = self.img;
        for (reset, key) in self.reset.into_iter().zip(
            Field::ALL
                .iter()
                .filter(|f| f.fixed().is_some())
                .map(|f| f.key()),
        ) {
            if reset {
                img.service.retain(|(k, _)| k != key);
            }
        }
        img.properties = slots.into_iter().flatten().collect();
        img.updated_at = now;
        Ok(img)
    }
}

/// The place of a part of operation `i`: its pointer and the subject.
fn place(i: usize, part: Part) -> (Short, Subject) {
    let mut p = ShortBuf::default();
    push_pointer_index(&mut p, i);
    if part != Part::Whole {
        push_pointer_token(&mut p, part.member());
    }
    let index = u32::try_from(i).unwrap_or(u32::MAX);
    (p.finish(), Subject::Op(index, part))
}

/// The key a path names: an RFC 6901 pointer of exactly one token, unescaped.
fn one_token(path: Cow<'_, str>) -> Option<Cow<'_, str>> {
    let rest = path.strip_prefix('/')?;
    let b = rest.as_bytes();
    if b.contains(&b'/') {
        return None;
    }
    let escapes = b.iter().filter(|&&c| c == b'~').count();
    if escapes == 0 {
        return Some(match path {
            Cow::Borrowed(p) => Cow::Borrowed(p.get(1..).unwrap_or_default()),
            Cow::Owned(p) => Cow::Owned(p.get(1..).unwrap_or_default().to_owned()),
        });
    }
    let good = b
        .iter()
        .enumerate()
        .filter(|(_, &c)| c == b'~')
        .all(|(j, _)| matches!(b.get(j + 1), Some(b'0' | b'1')));
    good.then(|| Cow::Owned(rest.replace("~1", "/").replace("~0", "~")))
}

/// Reads the patch document: an array, whose operations are judged as they are read.
/// `Some(kind)` when it is not an array.
pub(super) struct PatchSeed<'a, 'r, 'de> {
    pub(super) up: &'a mut Update<'r, 'de>,
}

crate::shape::seed_of_any!('de, PatchSeed<'_, '_, 'de>);

impl<'de> Visitor<'de> for PatchSeed<'_, '_, 'de> {
    type Value = Option<JsonType>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON array of operations")
    }
    crate::shape::scalar_kinds!(Some, JsonType::Number);
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        // Read to the end, so that a syntax error inside still wins.
        Walk {
            sink: None,
            path: &Path::root(),
        }
        .visit_map(map)?;
        Ok(Some(JsonType::Object))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let root = Path::root();
        let mut i = 0usize;
        loop {
            let here = Path::index(&root, i);
            let seed = OpSeed {
                found: &mut self.up.found,
                path: &here,
            };
            let Some(read) = seq.next_element_seed(seed)? else {
                return Ok(None);
            };
            self.up.judge(i, read);
            i += 1;
        }
    }
}
