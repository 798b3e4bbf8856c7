//! The validated request: the body's values with the defaults filled in.

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::catalog::OsVersion;
use crate::keys::{extension_rows, fixed_rows, Extensions, Field};
use crate::values::DiskFormat;
use crate::warning::Warnings;

/// The tags of a request.
pub(crate) type Tags<'a> = Vec<Cow<'a, str>>;
/// The custom properties of a request, in body order.
pub(crate) type Properties<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

/// A create body that passed every rule, with the defaults filled in.
///
/// Its strings borrow from the body where the body spells them without escapes (the
/// hot path allocates only the tag and property lists); [`CreateRequest::into_owned`]
/// detaches it from the body.
///
/// It serializes (serde) back to a body that validates to the same request: every field
/// explicit except `id` and `name` when the body had none, custom properties last.
///
/// ```
/// use ims_image_meta::{validate, Rules, values::DiskFormat};
///
/// let accepted = validate(br#"{"name": "web", "min_disk": 50}"#, &Rules::default())
///     .expect("valid");
/// let request = accepted.request;
/// assert_eq!(request.name(), Some("web"));
/// assert_eq!(request.disk_format(), DiskFormat::Vhd); // the default
/// assert_eq!(request.os_version().version(), "Other Linux(64 bit)"); // the default...
/// assert_eq!(accepted.warnings.len(), 1); // ...with a warning
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CreateRequest<'a> {
    pub(crate) id: Option<Cow<'a, str>>,
    pub(crate) name: Option<Cow<'a, str>>,
    pub(crate) os: OsVersion,
    pub(crate) protected: bool,
    pub(crate) disk_format: DiskFormat,
    pub(crate) tags: Tags<'a>,
    pub(crate) min_ram: u32,
    pub(crate) min_disk: u32,
    pub(crate) extensions: Extensions<Cow<'a, str>>,
    pub(crate) properties: Properties<'a>,
}

impl<'a> CreateRequest<'a> {
    /// The same request, owning its strings (no longer tied to the body).
    pub fn into_owned(self) -> CreateRequest<'static> {
        fn own(c: Cow<'_, str>) -> Cow<'static, str> {
            Cow::Owned(c.into_owned())
        }
        CreateRequest {
            id: self.id.map(own),
            name: self.name.map(own),
            os: self.os,
            protected: self.protected,
            disk_format: self.disk_format,
            tags: self.tags.into_iter().map(own).collect(),
            min_ram: self.min_ram,
            min_disk: self.min_disk,
            extensions: self.extensions.map_text(own),
            properties: self
                .properties
                .into_iter()
                .map(|(k, v)| (own(k), own(v)))
                .collect(),
        }
    }

    /// The client-chosen image id, if the body had one (kept as sent, any case).
    pub fn id(&self) -> Option<&str> {
        self.id.as_deref()
    }

    /// The name, if the body had one (`null` counts as none); the record then says `""`.
    pub fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    /// The `__os_version` (given or default) with what it derives.
    pub fn os_version(&self) -> &OsVersion {
        &self.os
    }

    /// `protected`.
    pub fn protected(&self) -> bool {
        self.protected
    }

    /// `disk_format`.
    pub fn disk_format(&self) -> DiskFormat {
        self.disk_format
    }

    /// The tags, each once, in first-seen order.
    pub fn tags(&self) -> &[Cow<'a, str>] {
        self.tags.as_slice()
    }

    /// `min_ram`, in MB.
    pub fn min_ram(&self) -> u32 {
        self.min_ram
    }

    /// `min_disk`, in GB.
    pub fn min_disk(&self) -> u32 {
        self.min_disk
    }

    /// The known extension properties given.
    pub fn extensions(&self) -> &Extensions<Cow<'a, str>> {
        &self.extensions
    }

    /// The custom properties, in body order.
    pub fn properties(&self) -> &[(Cow<'a, str>, Cow<'a, str>)] {
        self.properties.as_slice()
    }

    /// The custom property `key`, if given.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }
}

impl Serialize for CreateRequest<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The table's order: every documented field (`id` and `name` when given), then
        // the extensions given, then the custom properties.
        let mut m = s.serialize_map(None)?;
        for &f in Field::ALL.iter().filter(|f| !f.is_extension()) {
            let key = f.key();
            // By field, not by kind: two fields of one kind are two slots.
            match f {
                Field::Id => self
                    .id
                    .as_ref()
                    .map_or(Ok(()), |v| m.serialize_entry(key, v))?,
                Field::Name => self
                    .name
                    .as_ref()
                    .map_or(Ok(()), |v| m.serialize_entry(key, v))?,
                Field::OsVersion => m.serialize_entry(key, self.os.version())?,
                Field::Protected => m.serialize_entry(key, &self.protected)?,
                Field::DiskFormat => m.serialize_entry(key, &self.disk_format)?,
                Field::Tags => m.serialize_entry(key, self.tags.as_slice())?,
                Field::MinRam => m.serialize_entry(key, &self.min_ram)?,
                Field::MinDisk => m.serialize_entry(key, &self.min_disk)?,
                // `visibility`, `container_format`: their one value.
                _ => f
                    .fixed()
                    .map_or(Ok(()), |value| m.serialize_entry(key, value))?,
            }
        }
        self.extensions.serialize_entries(&mut m)?;
        for (k, v) in &self.properties {
            m.serialize_entry(k, v)?;
        }
        m.end()
    }
}

/// Each fixed field's getter, from the field table: its one value.
macro_rules! fixed_getters {
    ($( $variant:ident $getter:ident; )+) => {
        impl CreateRequest<'_> {
            $(
                #[doc = concat!("`", stringify!($getter), "`: always its one value on create.")]
                pub fn $getter(&self) -> &'static str {
                    // A field of the list without a fixed value fails the build.
                    const VALUE: &str = match Field::$variant.fixed() {
                        Some(v) => v,
                        None => panic!("not a field of fixed value"),
                    };
                    VALUE
                }
            )+
        }
    };
}
fixed_rows!(fixed_getters);

/// Each extension property's getter, from the field table: the value, when given.
macro_rules! getters {
    ($( $(#[$doc:meta])* $member:ident: $get:ty, $set:ty, $key:literal; )+) => {
        impl CreateRequest<'_> {
            $(
                $(#[$doc])*
                ///
                /// When given (the record echoes it).
                pub fn $member(&self) -> Option<$get> {
                    self.extensions.$member.as_ref().map(|v| Read::read(v))
                }
            )+
        }
    };
}
extension_rows!(getters);

/// How a getter reads a member: text as `&str`, the rest by value.
trait Read<'r> {
    type Out;
    fn read(&'r self) -> Self::Out;
}

impl<'r> Read<'r> for Cow<'_, str> {
    type Out = &'r str;
    fn read(&'r self) -> &'r str {
        self
    }
}

/// The members read by value.
macro_rules! read_by_value {
    ($($t:ty),+) => {$(
        impl Read<'_> for $t {
            type Out = $t;
            fn read(&self) -> $t {
                *self
            }
        }
    )+};
}
read_by_value!(bool, u32, crate::values::FirmwareType);

/// An accepted body: the request, and the warnings of the defaults it took.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Validated<'a> {
    /// The request, defaults filled in.
    pub request: CreateRequest<'a>,
    /// Defaults applied that the page says may break later use (no `name`, no
    /// `__os_version`), in that order.
    pub warnings: Warnings,
}

impl Validated<'_> {
    /// The same outcome, owning its strings (no longer tied to the body).
    pub fn into_owned(self) -> Validated<'static> {
        Validated {
            request: self.request.into_owned(),
            warnings: self.warnings,
        }
    }
}
