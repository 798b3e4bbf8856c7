//! The checker: the state of one scan as the rules see it (the violations found, the
//! draft request), the helpers every field's rule shares, and the accepted request
//! built from the draft. The engine drives it; the rules in `fields` fill it.

use std::borrow::Cow;

use crate::catalog::OsVersion;
use crate::chars::{self, StrFacts};
use crate::code::Code;
use crate::findings::key_pointer;
use crate::findings::Found;
use crate::keys::{classify, near_miss, ptr, Extensions, Field, KeyKind};
use crate::message::{excerpt_short, Detail, Got, Hint, Naming, Subject};
use crate::pointer::{push_pointer_index, Short, ShortBuf, SHORT_INLINE};
use crate::report::{Report, Violation};
use crate::request::{CreateRequest, Properties, Tags, Validated};
use crate::rules::Rules;
use crate::shape::{Int, JsonType, Shape};
use crate::values::DiskFormat;
use crate::warning::{KeyHint, Warning, Warnings};

/// How the engine is to read the value of a top-level key.
pub(crate) enum Plan {
    /// A documented field met again: only walk its value (for syntax and inner
    /// duplicates), then [`Checker::repeated_field`].
    Repeated { field: Field, first: bool },
    /// `tags`: its elements go to [`Checker::tag`], then the array to
    /// [`Checker::tags_value`].
    Tags,
    /// A documented field: its value goes to [`Checker::field`].
    Field(Field),
    /// A custom property with a good key: its value goes to [`Checker::custom`].
    Custom,
    /// A forbidden or broken key (already reported): only walk its value.
    Skip,
}

/// The fields of a body as the scan found them; `None` is absent (or `null` where null
/// means absent).
#[derive(Default)]
pub(crate) struct Draft<'de> {
    /// Fields seen, a bit per [`Field`].
    seen: u16,
    /// Fields whose repetition was reported, a bit per [`Field`].
    repeated: u16,
    /// The violations each field's first value produced (moot if it is repeated).
    first: [(u32, u32); Field::COUNT],
    pub(crate) id: Option<Cow<'de, str>>,
    pub(crate) name: Option<Cow<'de, str>>,
    pub(crate) os_version: Option<OsVersion>,
    pub(crate) protected: bool,
    pub(crate) disk_format: Option<DiskFormat>,
    pub(crate) min_ram: u32,
    pub(crate) min_disk: MinDisk,
    /// How `os_version` was found.
    pub(crate) os_note: OsNote,
    pub(crate) extensions: Extensions<Cow<'de, str>>,
    pub(crate) properties: Properties<'de>,
    pub(crate) property_count: usize,
    /// Integer fields whose number only its spelling can judge (see `Shape::Spelled`).
    pub(crate) spelled: Vec<(Field, f64)>,
    /// Custom keys one typo away from a field, in body order (kept while the body can
    /// still be accepted).
    pub(crate) near: Vec<Warning>,
}

/// `min_disk` as the scan found it.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) enum MinDisk {
    /// Absent, or already reported.
    #[default]
    Absent,
    /// Within the range of the request's OS type.
    Checked(u32),
    /// An integer whose range was unknown when it was read (the ranges differ by OS
    /// type and `__os_version` had not come yet), and how many violations came before
    /// it (where its own goes): checked once the body is read.
    Pending(Int, u32),
}

/// How the draft's `__os_version` was found: in the catalog (or the default, spelled
/// out), or, under lenient rules, not, with its fields inferred or defaulted. The
/// discriminants index the warning table of [`Checker::accept`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum OsNote {
    #[default]
    Listed = 0,
    Inferred = 2,
    NotDerived = 3,
}

/// The mutable state of one scan; strings borrow from the body (`'de`).
pub(crate) struct Checker<'r, 'de> {
    pub(crate) rules: &'r Rules,
    /// The body holds no byte `0xF0..`, so a string borrowed from it (no escape) holds
    /// no 4-byte character, and no NUL either (serde_json refuses raw control
    /// characters): its facts are known without a pass over it.
    below_four_byte: bool,
    /// The violations found so far, and the places of those in nested values.
    pub(crate) found: Found<'de>,
    pub(crate) tags: Tags<'de>,
    pub(crate) tag_count: usize,
    pub(crate) draft: Draft<'de>,
}

/// Pushes `item`, giving an empty list room for `first` items at once (no growth
/// path for a typical body's few).
#[inline(always)]
pub(crate) fn push_reserving<T>(list: &mut Vec<T>, first: usize, item: T) {
    if list.capacity() == 0 {
        // Straight to the allocator: `reserve` would go through the growth path.
        *list = Vec::with_capacity(first);
    }
    list.push(item);
}

/// An input string kept for a message: at most [`crate::message::EXCERPT`] chars (and
/// an ellipsis).
pub(crate) fn quote(s: &str) -> Short {
    excerpt_short(s)
}

/// Where a create rule found a fault, as the rule knows it: its pointer and the subject
/// its message names are both made from this.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At<'a> {
    /// The body itself.
    Body,
    /// A documented field's value.
    Field(Field),
    /// Any other top-level key, or its value.
    Key(&'a str),
    /// Element N of `tags`.
    Tag(usize),
}

/// `/tags/N`, written straight into a [`Short`]'s inline bytes (digits by hand).
fn tag_pointer(i: usize) -> Short {
    const HEAD: &[u8] = b"/tags/";
    let mut bytes = [0u8; SHORT_INLINE];
    let digits = i.checked_ilog10().map_or(1, |d| d as usize + 1);
    if let Some((head, tail)) = bytes
        .get_mut(..HEAD.len() + digits)
        .and_then(|b| b.split_at_mut_checked(HEAD.len()))
    {
        head.copy_from_slice(HEAD);
        let mut n = i;
        for d in tail.iter_mut().rev() {
            *d = b'0' + (n % 10) as u8;
            n /= 10;
        }
        // At most SHORT_INLINE, so it fits a u8.
        return Short::Inline((HEAD.len() + digits) as u8, bytes);
    }
    let mut p = ShortBuf::default();
    p.push_str("/tags");
    push_pointer_index(&mut p, i);
    p.finish()
}

impl At<'_> {
    /// The pointer: `""`, `/name`, `/KEY` (escaped, cut when long), `/tags/N`.
    #[inline]
    pub(crate) fn pointer(self) -> Short {
        match self {
            At::Body => Short::Static(""),
            At::Field(f) => Short::Static(f.pointer()),
            At::Key(k) => key_pointer(k),
            At::Tag(i) => tag_pointer(i),
        }
    }

    /// The pointer and the subject.
    #[inline]
    pub(crate) fn place(self) -> (Short, Subject) {
        match self {
            At::Body => (Short::Static(""), Subject::None),
            At::Field(f) => (Short::Static(f.pointer()), Subject::Field(f)),
            At::Key(k) => (key_pointer(k), Subject::Key(excerpt_short(k))),
            At::Tag(_) => (self.pointer(), self.subject()),
        }
    }

    /// What the message names.
    #[inline]
    pub(crate) fn subject(self) -> Subject {
        match self {
            At::Body => Subject::None,
            At::Field(f) => Subject::Field(f),
            At::Key(k) => Subject::Key(excerpt_short(k)),
            At::Tag(i) => Subject::Tag(u32::try_from(i).unwrap_or(u32::MAX)),
        }
    }
}

impl<'r, 'de> Checker<'r, 'de> {
    /// A checker for a body under `rules`; `max_byte` is the body's largest byte
    /// ([`chars::max_byte`]).
    pub(crate) fn new(rules: &'r Rules, max_byte: u8) -> Self {
        Checker {
            rules,
            below_four_byte: max_byte < 0xF0,
            found: Found::default(),
            tags: Tags::new(),
            tag_count: 0,
            draft: Draft::default(),
        }
    }

    /// Sorts a top-level key and says how to read its value. A repeated field, a
    /// forbidden key and a broken custom key are reported here.
    #[allow(clippy::ptr_arg)] // Whether it is borrowed matters to `facts`.
    #[inline(always)] // See `classify`.
    pub(crate) fn plan(&mut self, key: &Cow<'de, str>) -> Plan {
        match classify(key) {
            KeyKind::Field(f) => {
                // Documented fields are tracked in bit sets: seen, and repeat reported.
                let bit = 1u16 << (f as u16);
                let draft = &mut self.draft;
                if draft.seen & bit != 0 {
                    let first = draft.repeated & bit == 0;
                    draft.repeated |= bit;
                    return Plan::Repeated { field: f, first };
                }
                draft.seen |= bit;
                if f == Field::Tags {
                    Plan::Tags
                } else {
                    Plan::Field(f)
                }
            }
            KeyKind::Custom => {
                self.draft.property_count += 1;
                if !self.custom_key(key) {
                    return Plan::Skip;
                }
                match near_miss(key) {
                    None => Plan::Custom,
                    Some(meant) => self.near_miss_key(key, meant),
                }
            }
            kind => {
                self.forbidden_key(key, kind);
                Plan::Skip
            }
        }
    }

    /// Judges what follows as if the body had sent `os` as its `__os_version` before
    /// (an update judges `min_disk` by the image's OS type).
    pub(crate) fn assume_os(&mut self, os: OsVersion) {
        self.draft.os_version = Some(os);
        self.draft.seen |= Field::OsVersion.bit();
    }

    /// Notes the violations field `f`'s value produced: from `start` to now.
    #[inline(always)]
    pub(crate) fn field_read(&mut self, f: Field, start: u32) {
        if let Some(slot) = self.draft.first.get_mut(f as usize) {
            *slot = (start, self.found.len());
        }
    }

    /// Field `f` met again; its value (walked only) produced the violations from
    /// `start` to now. The values of every occurrence are moot: the repetition is the
    /// one violation at the field's place, reported once.
    pub(crate) fn repeated_field(&mut self, f: Field, first: bool, start: u32) {
        let end = self.found.len();
        self.found.drop_range(start, end);
        if first {
            if let Some(&(s, e)) = self.draft.first.get(f as usize) {
                self.found.drop_range(s, e);
            }
            self.push(At::Field(f), Code::DuplicateKey, Detail::Duplicate, None);
        }
    }

    /// A key other than a field met `count` times: a custom property counts once
    /// toward the quota.
    pub(crate) fn repeated_other(&mut self, key: &str, count: usize) {
        if classify(key) == KeyKind::Custom {
            let extra = count.saturating_sub(1);
            self.draft.property_count = self.draft.property_count.saturating_sub(extra);
        }
    }

    /// The integer fields whose number only its spelling can judge.
    pub(crate) fn take_spelled(&mut self) -> Vec<(Field, f64)> {
        std::mem::take(&mut self.draft.spelled)
    }

    /// Judges field `f`'s number `v` by its spelling `token`: with a fraction or an
    /// exponent it is a float, whatever its value (a type error); else it is an
    /// integer: `-0` is 0, and anything else here is beyond 64 bits.
    pub(crate) fn spelled(&mut self, f: Field, v: f64, token: Option<&str>) {
        if self.draft.repeated & (1u16 << (f as u16)) != 0 {
            // A repeated field: its repetition is the one violation at its place.
            return;
        }
        let int = match token {
            Some(t) if crate::shape::is_integer_token(t) => {
                if v == 0.0 {
                    Int::Value(0)
                } else if v < 0.0 {
                    Int::Negative(None)
                } else {
                    Int::Huge
                }
            }
            _ => {
                let found = Shape::Float;
                self.wrong_type(At::Field(f), JsonType::Integer, &found, f.ims());
                return;
            }
        };
        self.field(f, Shape::Int(int));
    }

    /// A custom key one typo away from `meant` (a field, or with `true` a key the
    /// service derives): a warning, or a violation under rules that refuse near misses.
    #[cold]
    fn near_miss_key(&mut self, key: &str, (meant, derived): (&'static str, bool)) -> Plan {
        if self.rules.refuse_near_miss_keys && !derived {
            let detail = Detail::NearMiss { meant };
            self.push(At::Key(key), Code::NearMissKey, detail, None);
            return Plan::Skip;
        }
        if self.found.is_empty() {
            let pointer = ptr(key);
            let hint = KeyHint {
                pointer,
                key: excerpt_short(key),
                meant,
            };
            self.draft.near.push(if derived {
                Warning::DerivedKey(hint)
            } else {
                Warning::NearMissKey(hint)
            });
        }
        Plan::Custom
    }

    /// [`chars::facts`] of `s`, without a pass over it when it is borrowed from a body
    /// without 4-byte characters.
    #[allow(clippy::ptr_arg)] // Whether it is borrowed is the point.
    pub(crate) fn facts(&self, s: &Cow<'_, str>) -> StrFacts {
        match s {
            Cow::Borrowed(_) if self.below_four_byte => StrFacts::CLEAN,
            _ => chars::facts(s),
        }
    }

    pub(crate) fn push(
        &mut self,
        at: At<'_>,
        code: Code,
        detail: Detail,
        ims: Option<&'static str>,
    ) {
        if self.found.is_full() {
            // Only counted: no pointer is made for it (an update's value of 20,000 bad
            // tags keeps its first).
            return self.found.count_over((1, code.status()));
        }
        let (pointer, subject) = at.place();
        self.found
            .push(Violation::new(pointer, subject, code, detail, ims));
    }

    /// NUL and 4-byte checks, shared by every string and key. True when it passed.
    #[inline]
    pub(crate) fn chars_ok(
        &mut self,
        facts: &StrFacts,
        at: At<'_>,
        subject: Naming,
        ims: Option<&'static str>,
    ) -> bool {
        if facts.nul {
            self.push(at, Code::NulCharacter, Detail::Nul(subject), ims);
            return false;
        }
        if let (Some(c), false) = (facts.four_byte, self.rules.allow_four_byte_unicode) {
            self.push(at, Code::FourByteUnicode, Detail::FourByte(subject, c), ims);
            return false;
        }
        true
    }

    pub(crate) fn wrong_type(
        &mut self,
        at: At<'_>,
        expected: JsonType,
        shape: &Shape<'_>,
        ims: Option<&'static str>,
    ) {
        let detail = Detail::WrongType {
            expected,
            found: shape.kind(),
            hint: self.hint(expected, shape),
        };
        self.push(at, Code::WrongType, detail, ims);
    }

    /// A string that spells the expected integer or boolean (`"50"`, `"true"`): the
    /// value to send instead, when the rules let messages quote input.
    pub(crate) fn hint(&self, expected: JsonType, shape: &Shape<'_>) -> Hint {
        let Shape::Str(s) = shape else {
            return Hint::None;
        };
        if !self.rules.quote_input {
            return Hint::None;
        }
        let digits = s.strip_prefix('-').unwrap_or(s);
        match expected {
            // Digits only (no `+`, no spaces): what a JSON integer would spell.
            JsonType::Integer if digits.bytes().all(|b| b.is_ascii_digit()) => {
                s.parse().map_or(Hint::None, Hint::int)
            }
            JsonType::Boolean => s.parse().map_or(Hint::None, Hint::Bool),
            _ => Hint::None,
        }
    }

    /// An input string kept for a message (an excerpt), unless the rules leave input
    /// out of messages.
    pub(crate) fn quote(&self, s: &str) -> Option<Short> {
        self.rules.quote_input.then(|| quote(s))
    }

    /// A string field's value after its type and character checks, or `None` (reported,
    /// or absent when `null_is_absent`).
    #[inline(always)] // See `classify`.
    pub(crate) fn string_field(
        &mut self,
        at: At<'_>,
        shape: Shape<'de>,
        null_is_absent: bool,
        ims: Option<&'static str>,
    ) -> Option<Cow<'de, str>> {
        match shape {
            Shape::Str(s) => {
                let facts = self.facts(&s);
                let ok = self.chars_ok(&facts, at, Naming::Value, ims);
                ok.then_some(s)
            }
            Shape::Null if null_is_absent => None,
            other => {
                self.wrong_type(at, JsonType::String, &other, ims);
                None
            }
        }
    }

    /// An integer field's value within `range`, or `None` (reported).
    #[inline(always)]
    pub(crate) fn integer(
        &mut self,
        f: Field,
        shape: Shape<'_>,
        range: std::ops::RangeInclusive<u32>,
        ims: Option<&'static str>,
    ) -> Option<u32> {
        match shape {
            Shape::Int(i) => self.in_range(f, i, range, ims),
            Shape::Spelled(v) => {
                // Judged by its spelling once the body is read (`Checker::spelled`).
                self.draft.spelled.push((f, v));
                None
            }
            other => {
                self.wrong_type(At::Field(f), JsonType::Integer, &other, ims);
                None
            }
        }
    }

    /// An integer's value within `range`, or `None` (reported).
    #[inline(always)]
    pub(crate) fn in_range(
        &mut self,
        f: Field,
        int: Int,
        range: std::ops::RangeInclusive<u32>,
        ims: Option<&'static str>,
    ) -> Option<u32> {
        let got = match int {
            Int::Value(v) => match u32::try_from(v).ok().filter(|v| range.contains(v)) {
                Some(v) => return Some(v),
                None => Got::Value(v),
            },
            Int::Negative(v) => Got::Negative(v),
            Int::Huge => Got::Huge,
        };
        let detail = Detail::OutOfRange {
            got,
            lo: *range.start(),
            hi: *range.end(),
        };
        self.push(At::Field(f), Code::OutOfRange, detail, ims);
        None
    }

    /// The verdict once the whole body was read: the quota of custom properties, then
    /// the report (every violation, one per place) or the accepted request.
    pub(crate) fn finish(&mut self) -> Result<Validated<'de>, Report> {
        self.pending_min_disk();
        self.properties_quota();
        if !self.found.is_empty() {
            let found = std::mem::take(&mut self.found);
            return Err(found.finish(self.rules.max_violations));
        }
        Ok(self.accept())
    }

    /// The `min_disk` range of the request's OS type: the OS type of the draft's
    /// `__os_version`, the default OS's when it is absent, wrong or unknown.
    pub(crate) fn min_disk_range(&self) -> &'r std::ops::RangeInclusive<u32> {
        let rules = self.rules;
        let os_type = match &self.draft.os_version {
            Some(os) => os.os_type(),
            None => rules.default_os_version.os_type(),
        };
        rules.min_disk_for(os_type)
    }

    /// Whether the `min_disk` range is known yet: the same for every OS type, or
    /// `__os_version` already read.
    #[inline(always)]
    pub(crate) fn min_disk_range_known(&self) -> bool {
        let rules = self.rules;
        rules.min_disk_linux == rules.min_disk_windows
            || self.draft.seen & (1 << Field::OsVersion as u16) != 0
    }

    /// A pending `min_disk` against its range, once the whole body was read; its
    /// violation goes where `min_disk` was in the body.
    fn pending_min_disk(&mut self) {
        let MinDisk::Pending(got, at) = self.draft.min_disk else {
            return;
        };
        self.draft.min_disk = MinDisk::Absent;
        if self.draft.repeated & (1u16 << (Field::MinDisk as u16)) != 0 {
            // A repeated field: its repetition is the one violation at its place.
            return;
        }
        let range = self.min_disk_range().clone();
        if let Some(v) = self.in_range(Field::MinDisk, got, range, Field::MinDisk.ims()) {
            self.draft.min_disk = MinDisk::Checked(v);
        } else {
            // `in_range` pushed the violation last: move it to its place in body order.
            self.found.move_last_to(at);
        }
    }
}

mod accept;

pub(crate) use accept::dedup_first_wins;

#[cfg(test)]
mod tests;
