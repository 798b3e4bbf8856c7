//! One function per field: its checks, its messages' data and its IMS codes. The
//! field table (`keys`) says which key is which field; the checker (`check`) holds
//! what the rules share.

use std::borrow::Cow;

use crate::chars;
use crate::code::Code;
use crate::keys::{Field, FieldKind, KeyKind, Value};
use crate::message::{Allowed, Detail, Hint, Naming, Quota, UnknownOs};

use crate::rules::check::{push_reserving, At, Checker, MinDisk, OsNote};
use crate::rules::Rules;
use crate::shape::{JsonType, Shape};
use crate::values::DiskFormat;
use crate::values::NameCharset;

/// Whether `c` is allowed in a name under the attributes page's charset: ASCII letters,
/// digits, `-`, `.`, `_`, space, and CJK unified ideographs U+4E00–U+9FFF.
pub(crate) fn is_name_char(c: char) -> bool {
    is_name_char_no_cjk(c) || matches!(c, '\u{4E00}'..='\u{9FFF}')
}

/// The attributes page's charset without CJK: ASCII letters, digits, `-`, `.`, `_`,
/// space.
pub(crate) fn is_name_char_no_cjk(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '.' | '_' | ' ')
}

impl<'de> Checker<'_, 'de> {
    /// Checks the value of a documented field (not `tags`, whose elements are checked
    /// one by one), by its kind in the field table.
    #[inline(always)] // See `classify`.
    pub(crate) fn field(&mut self, field: Field, shape: Shape<'de>) {
        match field.kind() {
            FieldKind::Uuid => self.id(shape),
            FieldKind::Name => self.name(shape),
            FieldKind::OsVersion => self.os_version(shape),
            FieldKind::Const { value, .. } => {
                let f = field;
                if let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), f.ims())
                {
                    if s != value {
                        self.not_allowed(f, Allowed::Field(f), &s);
                    }
                }
            }
            FieldKind::Bool => match shape {
                Shape::Bool(b) => self.store(field, Value::Bool(b)),
                other => self.wrong_type(At::Field(field), JsonType::Boolean, &other, field.ims()),
            },
            FieldKind::DiskFormat => self.disk_format(shape),
            FieldKind::Text { max_chars, forbid } => self.text(field, max_chars, forbid, shape),
            FieldKind::Choice { values } => {
                let f = field;
                if let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), f.ims())
                {
                    match values.iter().position(|v| *v == s) {
                        Some(i) => self.store(f, Value::Choice(i)),
                        None => self.not_allowed(f, Allowed::Field(f), &s),
                    }
                }
            }
            FieldKind::Int { max } => {
                let ims = field.ims();
                let max = max.under(self.rules);
                if let Some(v) = self.integer(field, shape, 0..=max, ims) {
                    self.store(field, Value::Int(v));
                }
            }
            // Its range may depend on the OS type, and `__os_version` may come later in
            // the body: then only its type here, its range once the body is read.
            FieldKind::MinDisk => {
                let ims = field.ims();
                match shape {
                    Shape::Int(i) if !self.min_disk_range_known() => {
                        self.draft.min_disk = MinDisk::Pending(i, self.found.len());
                    }
                    shape => {
                        let range = self.min_disk_range().clone();
                        if let Some(v) = self.integer(field, shape, range, ims) {
                            self.draft.min_disk = MinDisk::Checked(v);
                        }
                    }
                }
            }
            FieldKind::Tags => {}
        }
    }

    /// Keeps a checked value: `protected`'s, `min_ram`'s, or a known extension's (an
    /// integer extension too: its member, by the table).
    #[inline(always)]
    fn store(&mut self, field: Field, value: Value<Cow<'de, str>>) {
        match (field, value) {
            (Field::Protected, Value::Bool(b)) => self.draft.protected = b,
            (Field::MinRam, Value::Int(v)) => self.draft.min_ram = v,
            (f, v) => self.draft.extensions.set(f, v),
        }
    }

    /// Free text: at most `max_chars` chars, none of `forbid`.
    #[inline(always)]
    fn text(&mut self, f: Field, max_chars: usize, forbid: &'static [char], shape: Shape<'de>) {
        let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), f.ims()) else {
            return;
        };
        let p = At::Field(f);
        if let Some(len) = chars::chars_over(&s, max_chars) {
            let detail = Detail::TooLong {
                subject: Naming::Value,
                len,
                max: max_chars,
                from_one: false,
            };
            self.push(p, Code::TooLong, detail, f.ims());
        } else if s.contains(forbid) {
            self.push(p, Code::BadFormat, Detail::ForbiddenChars(forbid), f.ims());
        } else {
            self.store(f, Value::Text(s));
        }
    }

    /// `id`: a UUID in 8-4-4-4-12 hex form, any case.
    #[inline(always)]
    fn id(&mut self, shape: Shape<'de>) {
        let f = Field::Id;
        if let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), f.ims()) {
            if crate::uuid::is_uuid(&s) {
                self.draft.id = Some(s);
            } else {
                let p = At::Field(f);
                self.push(p, Code::BadFormat, Detail::BadUuid(self.quote(&s)), f.ims());
            }
        }
    }

    /// `name`: 1..=`name_max_chars` chars, no space at either end, the charset knob.
    fn name(&mut self, shape: Shape<'de>) {
        /// IMS's code for a name too long (its other faults are the field's IMG.0003).
        const TOO_LONG: Option<&str> = Some("IMG.0002");
        let f = Field::Name;
        let bad = f.ims();
        let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), bad) else {
            return;
        };
        let max = self.rules.name_max_chars;
        let p = || At::Field(f);
        if s.is_empty() {
            self.push(p(), Code::TooShort, Detail::TooShort(Naming::Value), bad);
        } else if let Some(len) = chars::chars_over(&s, max) {
            let detail = Detail::TooLong {
                subject: Naming::Value,
                len,
                max,
                from_one: true,
            };
            self.push(p(), Code::TooLong, detail, TOO_LONG);
        } else if s.starts_with(' ') || s.ends_with(' ') {
            self.push(p(), Code::BadFormat, Detail::NameSpaces, bad);
        } else if let Some((c, cjk)) = match self.rules.name_charset {
            NameCharset::Ims => s.chars().find(|&c| !is_name_char(c)).map(|c| (c, true)),
            NameCharset::ImsNoCjk => s
                .chars()
                .find(|&c| !is_name_char_no_cjk(c))
                .map(|c| (c, false)),
            NameCharset::Any => None,
        } {
            self.push(p(), Code::BadFormat, Detail::NameChar(c, cjk), bad);
        } else {
            self.draft.name = Some(s);
        }
    }

    /// `__os_version`: exactly a catalog value, or the default's (a body may spell
    /// the default out); or, when the rules allow unknown values, any non-empty text.
    #[inline(always)]
    fn os_version(&mut self, shape: Shape<'de>) {
        let f = Field::OsVersion;
        // IMS's code is for an unknown value only; a wrong type or character has none.
        let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), None) else {
            return;
        };
        let rules = self.rules;
        match rules.catalog.get(&s) {
            Some(os) => self.draft.os_version = Some(os.clone()),
            None if *s == *rules.default_os_version.version() => {
                self.draft.os_version = Some(rules.default_os_version.clone());
            }
            None if rules.allow_unknown_os_version && !s.is_empty() => {
                let (os, inferred) = rules.catalog.infer(&s, &rules.default_os_version);
                self.draft.os_version = Some(os);
                self.draft.os_note = if inferred {
                    OsNote::Inferred
                } else {
                    OsNote::NotDerived
                };
            }
            None => {
                // Suggestions are looked up when the message is rendered, on the whole
                // value, not on the excerpt the message shows.
                let detail = Detail::UnknownOs(UnknownOs {
                    value: s.as_ref().into(),
                    quoted: self.rules.quote_input,
                    catalog: self.rules.catalog.clone(),
                });
                self.push(At::Field(f), Code::UnknownOsVersion, detail, f.ims());
            }
        }
    }

    /// `disk_format`: one of the allowed formats (a knob).
    #[inline(always)]
    fn disk_format(&mut self, shape: Shape<'de>) {
        let f = Field::DiskFormat;
        let Some(s) = self.string_field(At::Field(f), shape, f.null_is_absent(), f.ims()) else {
            return;
        };
        match DiskFormat::from_wire(&s).filter(|d| self.rules.disk_formats.contains(d)) {
            Some(d) => self.draft.disk_format = Some(d),
            None => {
                let mask = DiskFormat::ALL
                    .iter()
                    .enumerate()
                    .filter(|(_, d)| self.rules.disk_formats.contains(d))
                    .fold(0u16, |m, (i, _)| m | (1 << i));
                self.not_allowed(f, Allowed::DiskFormats(mask), &s);
            }
        }
    }

    fn not_allowed(&mut self, f: Field, allowed: Allowed, got: &str) {
        let detail = Detail::NotAllowed {
            allowed,
            got: self.quote(got),
        };
        self.push(At::Field(f), Code::NotAllowed, detail, f.ims());
    }

    /// `tags` once its elements were checked: an array, within the tag quota.
    pub(crate) fn tags_value(&mut self, shape: &Shape<'_>) {
        /// IMS's code for too many tags (a bad tag is the field's IMG.0115).
        const IMS_QUOTA: Option<&str> = Some("IMG.0116");
        let f = Field::Tags;
        if !matches!(shape, Shape::Array) {
            self.wrong_type(At::Field(f), JsonType::StringArray, shape, f.ims());
            return;
        }
        if self.tag_count > self.rules.max_tags {
            let detail = Detail::TooMany {
                what: Quota::Tags,
                n: self.tag_count,
                max: self.rules.max_tags,
            };
            self.push(At::Field(f), Code::TooMany, detail, IMS_QUOTA);
        }
    }

    /// Checks tag `i`: a string of 1..=255 chars. A good one is kept, unless the body
    /// is already rejected (a violation was found, or the quota is passed): the list
    /// then need not grow.
    #[inline(always)]
    pub(crate) fn tag(&mut self, i: usize, shape: Shape<'de>) {
        let ims = Field::Tags.ims();
        let at = At::Tag(i);
        let s = match shape {
            Shape::Str(s) => s,
            other => {
                let detail = Detail::WrongType {
                    expected: JsonType::String,
                    found: other.kind(),
                    hint: Hint::None,
                };
                self.push(at, Code::WrongType, detail, ims);
                return;
            }
        };
        let facts = self.facts(&s);
        if !self.chars_ok(&facts, at, Naming::Tag, ims) {
            return;
        }
        if s.is_empty() {
            let detail = Detail::TooShort(Naming::Tag);
            self.push(at, Code::TooShort, detail, ims);
        } else if let Some(len) = chars::chars_over(&s, Rules::TAG_MAX_CHARS) {
            let detail = Detail::TooLong {
                subject: Naming::Tag,
                len,
                max: Rules::TAG_MAX_CHARS,
                from_one: true,
            };
            self.push(at, Code::TooLong, detail, ims);
        } else if self.found.is_empty() && self.tags.len() < self.rules.max_tags {
            push_reserving(&mut self.tags, 4, s);
        }
    }

    /// A read-only or reserved key: 403.
    pub(crate) fn forbidden_key(&mut self, key: &str, kind: KeyKind) {
        let read_only = kind == KeyKind::ReadOnly;
        let code = if read_only {
            Code::ReadOnly
        } else {
            Code::Reserved
        };
        self.push(At::Key(key), code, Detail::Forbidden { read_only }, None);
    }

    /// Checks a custom property's key (1..=255 chars); true when it passed.
    #[allow(clippy::ptr_arg)] // Whether it is borrowed matters to `facts`.
    #[inline(always)]
    pub(crate) fn custom_key(&mut self, key: &Cow<'_, str>) -> bool {
        let facts = self.facts(key);
        if !self.chars_ok(&facts, At::Key(key), Naming::Key, None) {
            return false;
        }
        if key.is_empty() {
            let detail = Detail::TooShort(Naming::Key);
            self.push(At::Key(key), Code::TooShort, detail, None);
            return false;
        }
        if let Some(len) = chars::chars_over(key, Rules::PROPERTY_KEY_MAX_CHARS) {
            let detail = Detail::TooLong {
                subject: Naming::Key,
                len,
                max: Rules::PROPERTY_KEY_MAX_CHARS,
                from_one: false,
            };
            self.push(At::Key(key), Code::TooLong, detail, None);
            return false;
        }
        true
    }

    /// Checks a custom property's value (a string of at most `property_value_max_bytes`
    /// bytes) and keeps the property while the body can still be accepted.
    #[inline(always)]
    pub(crate) fn custom(&mut self, key: Cow<'de, str>, shape: Shape<'de>) {
        let Some(s) = self.string_field(At::Key(&key), shape, false, None) else {
            return;
        };
        let max = self.rules.property_value_max_bytes;
        if s.len() > max {
            let detail = Detail::ValueTooLong { len: s.len(), max };
            self.push(At::Key(&key), Code::TooLong, detail, None);
            return;
        }
        if self.found.is_empty() {
            let list = &mut self.draft.properties;
            if list.len() == 4 && list.capacity() == 4 {
                // A body with more than 4: room for the quota (at most 128) at once,
                // one allocation instead of five doublings and their copies.
                list.reserve_exact(self.rules.max_properties.clamp(8, 128) - 4);
            }
            push_reserving(list, 4, (key, s));
        }
    }

    /// The quota of custom properties, once the body was read: 413 past it.
    pub(crate) fn properties_quota(&mut self) {
        if self.draft.property_count > self.rules.max_properties {
            let detail = Detail::TooMany {
                what: Quota::Properties,
                n: self.draft.property_count,
                max: self.rules.max_properties,
            };
            self.push(At::Body, Code::TooMany, detail, None);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn name_charset() {
        for c in ['a', 'Z', '0', '-', '.', '_', ' ', '一', '\u{9FFF}'] {
            assert!(is_name_char(c), "{c:?}");
        }
        for c in ['/', '\u{4DFF}', '\u{A000}', 'é', '\t', '(', '😀'] {
            assert!(!is_name_char(c), "{c:?}");
        }
    }
}
