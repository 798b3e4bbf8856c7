//! Which keys a body may hold: the field table (one row per documented field), the
//! read-only and reserved key lists, and `classify`, which sorts a top-level key into
//! one of them.
//!
//! ```
//! use ims_image_meta::keys;
//!
//! assert_eq!(keys::FIELDS[..3], ["id", "name", "__os_version"]);
//! assert!(keys::READ_ONLY.contains(&"status"));
//! assert!(keys::RESERVED.contains(&"deleted"));
//! assert_eq!(keys::RESERVED_PREFIX, "os_glance");
//! ```

use crate::findings::key_pointer;
use crate::json;
use crate::pointer::Short;
use crate::values::FirmwareType;

mod near;
pub(crate) use near::near_miss;

/// What a field's value is, as its checks, its schema and its messages need to know:
/// the kinds whose check is generic are judged by the kind alone (no function of the
/// field's own); the others name the one function that judges them.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FieldKind {
    /// A UUID in 8-4-4-4-12 hex form (`rules::fields`' `id`).
    Uuid,
    /// The name: its length, spaces and the charset knob (`rules::fields`' `name`).
    Name,
    /// A catalog value (`rules::fields`' `os_version`).
    OsVersion,
    /// One fixed string: the record always says it. `on_create` when the value is
    /// fixed only at creation (the message says so).
    Const {
        /// The only value.
        value: &'static str,
        /// Whether the value is fixed only on create.
        on_create: bool,
    },
    /// A boolean.
    Bool,
    /// One of the rules' disk formats.
    DiskFormat,
    /// The tag list (`rules::fields`' `tag` and `tags_value`).
    Tags,
    /// An integer from 0 to `max`.
    Int {
        /// The largest value: the table's, or a knob's.
        max: IntMax,
    },
    /// An integer whose range the OS type sets (`rules::fields`' `min_disk`).
    MinDisk,
    /// Free text: at most `max_chars` chars, none of `forbid`.
    Text {
        /// The most chars.
        max_chars: usize,
        /// The chars it may not hold.
        forbid: &'static [char],
    },
    /// One of a closed set of wire values.
    Choice {
        /// The values, in order.
        values: &'static [&'static str],
    },
}

/// The largest value of a [`FieldKind::Int`] field: the table's `cap`, or a knob of
/// the rules that may set it lower (a limit that differs between profiles, or that a
/// region sets; `RulesBuilder::build` holds the knob to at most `cap`).
#[derive(Debug, Clone, Copy)]
pub(crate) struct IntMax {
    /// The largest value under any rules.
    pub(crate) cap: u32,
    /// The knob, a [`Rules`](crate::Rules) getter.
    pub(crate) knob: Option<fn(&crate::Rules) -> u32>,
}

impl IntMax {
    /// The largest value under `rules`.
    pub(crate) fn under(self, rules: &crate::Rules) -> u32 {
        self.knob.map_or(self.cap, |knob| knob(rules))
    }
}

/// Declares the body's documented fields and known extension properties, once: one row
/// per field with its key, whether `null` means absent, the IMS code of its faults and
/// its [`FieldKind`]; an extension row also names its member of [`Extensions`] and the
/// type it holds (`T` for text). Generates [`Field`] (key, JSON Pointer, the columns),
/// [`Field::ALL`], [`Field::COUNT`], [`Extensions`] and its per-member code, and the
/// macro `extension_rows!` that hands the extension rows to a module's own template
/// (the builder's setters, the request's getters).
macro_rules! fields {
    (
        documented {
            $(
                $(#[$doc:meta])*
                $variant:ident => $key:literal, null_is_absent: $null:literal, ims: $ims:expr,
                    kind: $kind:expr;
            )+
        }
        extensions {
            $(
                $(#[$xdoc:meta])*
                $xvariant:ident => $xkey:literal, null_is_absent: $xnull:literal, ims: $xims:expr,
                    kind: $xkind:expr, member: $member:ident: $ty:ty, via $via:ident, get: $get:ty, set: $set:ty;
            )+
        }
    ) => {
        /// The body's documented fields and known extension properties.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum Field {
            $( $(#[$doc])* $variant, )+
            $( $(#[$xdoc])* $xvariant, )+
        }

        impl Field {
            /// Every field, in the table's order.
            pub(crate) const ALL: &'static [Field] = &[$(Field::$variant,)+ $(Field::$xvariant,)+];
            /// How many fields there are.
            pub(crate) const COUNT: usize = Field::ALL.len();
            /// Every field's key, in the table's order.
            pub(crate) const KEYS: &'static [&'static str] = &[$($key,)+ $($xkey,)+];
            /// The known extension properties' keys.
            pub(crate) const EXTENSION_KEYS: &'static [&'static str] = &[$($xkey),+];

            /// The key.
            pub(crate) const fn key(self) -> &'static str {
                match self {
                    $(Field::$variant => $key,)+
                    $(Field::$xvariant => $xkey,)+
                }
            }

            /// The JSON Pointer: `/` and the key (no field key needs escaping).
            pub(crate) const fn pointer(self) -> &'static str {
                match self {
                    $(Field::$variant => concat!("/", $key),)+
                    $(Field::$xvariant => concat!("/", $xkey),)+
                }
            }

            /// The field's bit in a `u16` set of fields.
            pub(crate) const fn bit(self) -> u16 {
                1u16 << (self as u16)
            }

            /// Whether `null` means absent (else it is a type error).
            pub(crate) const fn null_is_absent(self) -> bool {
                match self {
                    $(Field::$variant => $null,)+
                    $(Field::$xvariant => $xnull,)+
                }
            }

            /// The IMS error code of the field's faults, where IMS has one.
            pub(crate) const fn ims(self) -> Option<&'static str> {
                match self {
                    $(Field::$variant => $ims,)+
                    $(Field::$xvariant => $xims,)+
                }
            }

            /// Its one value, for a field of fixed value.
            pub(crate) const fn fixed(self) -> Option<&'static str> {
                match self.kind() {
                    FieldKind::Const { value, .. } => Some(value),
                    _ => None,
                }
            }

            /// Whether it is a known extension property: optional, echoed when given, a
            /// member of [`Extensions`].
            pub(crate) const fn is_extension(self) -> bool {
                matches!(self, $(Field::$xvariant)|+)
            }

            /// What its value is.
            pub(crate) const fn kind(self) -> FieldKind {
                match self {
                    $(Field::$variant => $kind,)+
                    $(Field::$xvariant => $xkind,)+
                }
            }
        }

        /// The known extension properties a body gave (each optional, echoed in the
        /// record when given): part of [`CreateRequest`](crate::CreateRequest) and of
        /// [`Record`](crate::Record). `T` is the type of their text: borrowed from the
        /// body in a request, a `String` in a record.
        #[derive(Debug, Clone, PartialEq, Eq, Default)]
        #[non_exhaustive]
        pub struct Extensions<T = String> {
            $( $(#[$xdoc])* pub $member: Option<$ty>, )+
        }

        impl<T> Extensions<T> {
            /// The same properties, their text converted with `f`.
            pub(crate) fn map_text<U>(self, mut f: impl FnMut(T) -> U) -> Extensions<U> {
                Extensions { $( $member: self.$member.map(|v| via!($via, map v, &mut f)), )+ }
            }

            /// Sets `field`'s member from a checked value (a field of another kind, or
            /// a value of another kind, leaves it as it was).
            pub(crate) fn set(&mut self, field: Field, value: Value<T>) {
                match field {
                    $( Field::$xvariant => {
                        if let Some(v) = via!($via, from value) {
                            self.$member = Some(v);
                        }
                    } )+
                    _ => debug_assert!(false, "{field:?} is not an extension"),
                }
            }

            /// Removes `field`'s member.
            pub(crate) fn clear(&mut self, field: Field) {
                match field {
                    $( Field::$xvariant => self.$member = None, )+
                    _ => {}
                }
            }

            /// Moves `field`'s member out of `other`, when `other` has it.
            pub(crate) fn take_from<U: Into<T>>(&mut self, field: Field, other: &mut Extensions<U>) {
                match field {
                    $( Field::$xvariant => {
                        if let Some(v) = other.$member.take() {
                            self.$member = Some(via!($via, map v, Into::into));
                        }
                    } )+
                    _ => {}
                }
            }

            /// Whether `field`'s member is given.
            pub(crate) fn is_given(&self, field: Field) -> bool {
                match field {
                    $( Field::$xvariant => self.$member.is_some(), )+
                    _ => false,
                }
            }

            /// The given members as map entries, in the table's order.
            pub(crate) fn serialize_entries<M: serde::ser::SerializeMap>(&self, m: &mut M) -> Result<(), M::Error>
            where
                T: serde::Serialize,
            {
                $( if let Some(v) = &self.$member { m.serialize_entry($xkey, v)?; } )+
                Ok(())
            }

            /// The given members as `,"key":value` JSON, in the table's order (as
            /// [`Extensions::serialize_entries`] writes them).
            pub(crate) fn write_json(&self, out: &mut Vec<u8>)
            where
                T: AsRef<str>,
            {
                $( if let Some(v) = &self.$member {
                    out.extend_from_slice(concat!(",\"", $xkey, "\":").as_bytes());
                    via!($via, write v, out);
                } )+
            }
        }

        impl<T: AsRef<str>> Extensions<T> {
            /// About how many bytes [`Extensions::write_json`] writes (escapes aside).
            pub(crate) fn json_len(&self) -> usize {
                0 $( + self.$member.as_ref().map_or(0, |v| $xkey.len() + 6 + via!($via, len v)) )+
            }
        }

        impl Extensions<String> {
            /// Reads the value of `key` into its member, if `key` is an extension's;
            /// `Ok(false)` for any other key. A repeated key is an error.
            pub(crate) fn deserialize_entry<'de, A: serde::de::MapAccess<'de>>(
                &mut self,
                key: &str,
                map: &mut A,
            ) -> Result<bool, A::Error> {
                match key {
                    $( $xkey => {
                        if self.$member.is_some() {
                            return Err(serde::de::Error::duplicate_field($xkey));
                        }
                        self.$member = Some(map.next_value()?);
                        Ok(true)
                    } )+
                    _ => Ok(false),
                }
            }
        }

        /// Hands the extension rows to `$m!`: `member: get-type, set-type, key;` each.
        macro_rules! extension_rows {
            ($m:ident) => {
                $m! { $( $(#[$xdoc])* $member: $get, $set, $xkey; )+ }
            };
        }
        pub(crate) use extension_rows;
    };
}

/// A checked value of an extension property, as [`Extensions::set`] takes it.
#[derive(Debug, Clone)]
pub(crate) enum Value<T> {
    Bool(bool),
    Text(T),
    /// The index of a [`FieldKind::Choice`] value.
    Choice(usize),
    /// A [`FieldKind::Int`] value.
    Int(u32),
}

/// What an extension member does by its kind (`via` in the table): take a checked
/// value, convert its text, write its JSON.
macro_rules! via {
    (text, from $v:expr) => {
        match $v {
            Value::Text(t) => Some(t),
            _ => None,
        }
    };
    (bool, from $v:expr) => {
        match $v {
            Value::Bool(b) => Some(b),
            _ => None,
        }
    };
    (int, from $v:expr) => {
        match $v {
            Value::Int(n) => Some(n),
            _ => None,
        }
    };
    (firmware, from $v:expr) => {
        match $v {
            Value::Choice(i) => FirmwareType::ALL.get(i).copied(),
            _ => None,
        }
    };
    (text, map $x:expr, $f:expr) => {
        $f($x)
    };
    // Only text converts.
    ($via:ident, map $x:expr, $f:expr) => {
        $x
    };
    (text, write $x:expr, $out:expr) => {
        json::string($out, $x.as_ref())
    };
    (bool, write $x:expr, $out:expr) => {
        json::boolean($out, *$x)
    };
    (int, write $x:expr, $out:expr) => {
        json::uint($out, u64::from(*$x))
    };
    (firmware, write $x:expr, $out:expr) => {
        json::known($out, $x.as_str())
    };
    (text, len $x:expr) => {
        $x.as_ref().len()
    };
    (bool, len $x:expr) => {
        5 + 0 * usize::from(*$x)
    };
    (int, len $x:expr) => {
        10 + 0 * *$x as usize
    };
    (firmware, len $x:expr) => {
        $x.as_str().len()
    };
}

fields! {
    documented {
        /// `id`: a client-chosen UUID.
        Id => "id", null_is_absent: false, ims: None, kind: FieldKind::Uuid;
        /// `name`.
        Name => "name", null_is_absent: true, ims: Some("IMG.0003"), kind: FieldKind::Name;
        /// `__os_version`: a catalog value.
        OsVersion => "__os_version", null_is_absent: false, ims: Some("IMG.0122"),
            kind: FieldKind::OsVersion;
        /// `visibility`: `private` only, on create.
        Visibility => "visibility", null_is_absent: false, ims: None,
            kind: FieldKind::Const { value: "private", on_create: true };
        /// `protected`.
        Protected => "protected", null_is_absent: false, ims: None, kind: FieldKind::Bool;
        /// `container_format`: `bare` only.
        ContainerFormat => "container_format", null_is_absent: true, ims: None,
            kind: FieldKind::Const { value: "bare", on_create: false };
        /// `disk_format`.
        DiskFormat => "disk_format", null_is_absent: true, ims: None, kind: FieldKind::DiskFormat;
        /// `tags`.
        Tags => "tags", null_is_absent: false, ims: Some("IMG.0115"), kind: FieldKind::Tags;
        /// `min_ram`.
        MinRam => "min_ram", null_is_absent: false, ims: Some("IMG.0055"),
            kind: FieldKind::Int {
                max: IntMax { cap: MIN_RAM_MAX, knob: Some(crate::Rules::min_ram_max) },
            };
        /// `min_disk`.
        MinDisk => "min_disk", null_is_absent: false, ims: Some("IMG.0055"),
            kind: FieldKind::MinDisk;
    }
    extensions {
        /// `__description` (a known extension): at most 1024 chars, no CR, `<` or `>`.
        Description => "__description", null_is_absent: false, ims: None,
            kind: FieldKind::Text { max_chars: DESCRIPTION_MAX_CHARS, forbid: &['\r', '<', '>'] },
            member: description: T, via text, get: &str, set: impl Into<String>;
        /// `hw_firmware_type` (a known extension): the boot firmware, `bios` or `uefi`.
        Firmware => "hw_firmware_type", null_is_absent: false, ims: None,
            kind: FieldKind::Choice { values: FirmwareType::WIRE },
            member: firmware_type: FirmwareType, via firmware, get: crate::values::FirmwareType, set: crate::values::FirmwareType;
        /// `os_hidden` (a Glance base property): whether image lists hide the image.
        OsHidden => "os_hidden", null_is_absent: false, ims: None, kind: FieldKind::Bool,
            member: os_hidden: bool, via bool, get: bool, set: bool;
    }
}

impl Field {
    /// The integer fields of the table ([`FieldKind::Int`]), each with its largest
    /// value under `rules`.
    pub(crate) fn ints(rules: &crate::Rules) -> impl Iterator<Item = (Field, u32)> + '_ {
        Field::ALL.iter().filter_map(|f| match f.kind() {
            FieldKind::Int { max } => Some((*f, max.under(rules))),
            _ => None,
        })
    }
}

/// The getters of the fields of fixed value, on the request.
macro_rules! fixed_rows {
    ($m:ident) => {
        $m! { Visibility visibility; ContainerFormat container_format; }
    };
}
pub(crate) use fixed_rows;

/// `min_ram`'s largest value (MB): Glance's `int32` bound.
pub(crate) const MIN_RAM_MAX: u32 = 2_147_483_647;
/// `__description`'s most chars.
pub(crate) const DESCRIPTION_MAX_CHARS: usize = 1024;

// The scan tracks seen and repeated fields in `u16` bit sets.
const _: () = assert!(Field::COUNT <= u16::BITS as usize);

/// The documented fields and known extension properties a body may send, in the
/// contract's order (`id`, `name`, `__os_version`, …); any other key that is neither
/// read-only nor reserved is a custom property.
pub const FIELDS: &[&str] = Field::KEYS;

/// Keys the service sets itself: 403 `read_only`.
pub const READ_ONLY: &[&str] = &[
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

/// Keys reserved by Glance: 403 `reserved`; every key starting with
/// [`RESERVED_PREFIX`] is reserved too.
pub const RESERVED: &[&str] = &["location", "deleted", "deleted_at"];
/// The prefix of reserved keys: `os_glance`.
pub const RESERVED_PREFIX: &str = "os_glance";

/// What a top-level key is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyKind {
    Field(Field),
    ReadOnly,
    Reserved,
    Custom,
}

// The per-key and per-value checks (`classify`, `Checker::plan`, `Checker::field`,
// `string_field`, `integer`, `tag`, `custom_key`, `custom_value`) are
// `#[inline(always)]`: each is called once or twice per key, and their frame setup
// cost more than their work. Callgrind on the sample body: 8,534 -> 7,682
// instructions per call.
/// Sorts a top-level key. Spells the key lists out again, bucketed by length (one
/// jump, then a few fixed-size comparisons, instead of a comparison against each of
/// the 51 known keys in turn); a unit test keeps it equal to the lists.
#[inline(always)]
pub(crate) fn classify(key: &str) -> KeyKind {
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

/// The JSON Pointer of a top-level key: static for the documented fields (no
/// allocation on their errors), built for any other key.
pub(crate) fn ptr(key: &str) -> Short {
    match classify(key) {
        KeyKind::Field(f) => Short::Static(f.pointer()),
        _ => key_pointer(key),
    }
}

#[cfg(test)]
mod tests;
