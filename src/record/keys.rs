//! The record's keys, one row each, in the order the record writes them: the key, and
//! what its value is. The record's `Serialize`, its byte writer (straight-line code
//! made from the rows), its `Deserialize` (which keys it requires, which are constants
//! a stored image may carry otherwise) and the check of a key the record writes as a
//! constant read these rows. A new key of the record is its row, and its member and
//! arms when it holds one of its own.

use super::{fixed, Record};
use crate::keys::Field;

/// A value the record holds in a member of its own: a documented field (its key is the
/// field table's), or one the context or the catalog derives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Own {
    Id,
    Name,
    Protected,
    DiskFormat,
    Tags,
    MinRam,
    MinDisk,
    CreatedAt,
    UpdatedAt,
    Owner,
    OsVersion,
    OsType,
    Platform,
    OsBit,
}

/// What a key of the record holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// A member of the record's own: required when a record is read.
    Own(Own),
    /// A constant, unless a stored image was read with another value
    /// ([`Record::service`]).
    Constant(&'static str),
    /// A value the service sets and changes: a new image's, unless a stored image was
    /// read with another; `Others` says what else the service writes (the record's
    /// schema).
    Service(&'static str, &'static Others),
    /// The image's link, `/v2/images/{id}` and this suffix, unless a stored image was
    /// read with another value.
    Link(&'static str),
}

/// What else the service writes in a [`Slot::Service`] key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Others {
    /// One of these (the new image's among them).
    OneOf(&'static [&'static str]),
    /// Decimal digits.
    Digits,
}

/// The rows, given to `$then!`: each key as a literal (the match of [`row`] and the
/// byte writer's straight-line code are compiled from them), a documented field's
/// checked against the field table when the crate is built.
macro_rules! record_rows {
    ($then:ident) => {
        $then! {
            "id" = Field::Id => Slot::Own(Own::Id),
            "name" = Field::Name => Slot::Own(Own::Name),
            "status" => Slot::Service(
                Record::STATUS,
                &Others::OneOf(&["queued", "saving", "deleted", "killed", "active"]),
            ),
            "visibility" = Field::Visibility => Slot::Constant(fixed(Field::Visibility)),
            "protected" = Field::Protected => Slot::Own(Own::Protected),
            "container_format" = Field::ContainerFormat
                => Slot::Constant(fixed(Field::ContainerFormat)),
            "disk_format" = Field::DiskFormat => Slot::Own(Own::DiskFormat),
            "tags" = Field::Tags => Slot::Own(Own::Tags),
            "min_ram" = Field::MinRam => Slot::Own(Own::MinRam),
            "min_disk" = Field::MinDisk => Slot::Own(Own::MinDisk),
            "created_at" => Slot::Own(Own::CreatedAt),
            "updated_at" => Slot::Own(Own::UpdatedAt),
            "self" => Slot::Link(""),
            "file" => Slot::Link("/file"),
            "schema" => Slot::Constant(Record::SCHEMA),
            "owner" => Slot::Own(Own::Owner),
            "__os_version" = Field::OsVersion => Slot::Own(Own::OsVersion),
            "__os_type" => Slot::Own(Own::OsType),
            "__platform" => Slot::Own(Own::Platform),
            "__os_bit" => Slot::Own(Own::OsBit),
            "__image_source_type" => Slot::Constant(Record::IMAGE_SOURCE_TYPE),
            "__image_size" => Slot::Service(Record::IMAGE_SIZE, &Others::Digits),
            "__isregistered" => Slot::Constant(Record::IS_REGISTERED),
            "__imagetype" => Slot::Constant(Record::IMAGE_TYPE),
            "virtual_env_type" => Slot::Service(
                Record::VIRTUAL_ENV_TYPE,
                &Others::OneOf(&["FusionCompute", "Ironic", "DataImage"]),
            ),
        }
    };
}
pub(super) use record_rows;

/// [`ORDER`] and [`row`] from the rows.
macro_rules! record_keys {
    ($($key:literal $(= $field:expr)? => $slot:expr,)+) => {
        /// The record's keys in its order.
        pub(crate) const ORDER: &[(&str, Slot)] = &[$(($key, $slot),)+];

        $($(const _: () = assert!(same($key, $field.key()), "a field's key, as the field table spells it");)?)+

        /// The row of `key`, if the record writes it: its index in [`ORDER`], its
        /// slot and its key (static).
        pub(crate) fn row(key: &str) -> Option<(usize, Slot, &'static str)> {
            match key {
                $($key => {
                    const AT: usize = index_of($key);
                    Some((AT, $slot, $key))
                })+
                _ => None,
            }
        }
    };
}

record_rows!(record_keys);

/// Whether `a` and `b` are the same string (in a constant).
const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// The index of `key`'s row in [`ORDER`] (in a constant: a key with no row fails the
/// build).
const fn index_of(key: &str) -> usize {
    let mut i = 0;
    while !same(ORDER[i].0, key) {
        i += 1;
    }
    i
}

/// The key of a member of the record's own.
pub(crate) fn key_of(own: Own) -> &'static str {
    ORDER
        .iter()
        .find(|(_, s)| *s == Slot::Own(own))
        .map_or("", |(k, _)| k)
}

/// Whether the record writes `key` as a constant (or a link): a value a stored image
/// may carry otherwise.
pub(crate) fn is_constant_key(key: &str) -> bool {
    row(key).is_some_and(|(_, s, _)| !matches!(s, Slot::Own(_)))
}
