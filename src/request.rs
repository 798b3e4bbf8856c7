//! The validated request: the body's values with the defaults filled in.

use std::borrow::Cow;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::catalog::OsVersion;
use crate::extras::serialize_extras;
use crate::values::{DiskFormat, FirmwareType};
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
    pub(crate) description: Option<Cow<'a, str>>,
    pub(crate) firmware: Option<FirmwareType>,
    pub(crate) os_hidden: Option<bool>,
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
            description: self.description.map(own),
            firmware: self.firmware,
            os_hidden: self.os_hidden,
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

    /// `visibility`: always `"private"` on create.
    pub fn visibility(&self) -> &'static str {
        "private"
    }

    /// `protected`.
    pub fn protected(&self) -> bool {
        self.protected
    }

    /// `container_format`: always `"bare"`.
    pub fn container_format(&self) -> &'static str {
        "bare"
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

    /// `__description`, when given.
    pub fn description(&self) -> Option<&str> {
        self.description.as_deref()
    }

    /// `hw_firmware_type`, when given.
    pub fn firmware_type(&self) -> Option<FirmwareType> {
        self.firmware
    }

    /// `os_hidden`, when given.
    pub fn os_hidden(&self) -> Option<bool> {
        self.os_hidden
    }

    /// The custom properties, in body order.
    pub fn properties(&self) -> &[(Cow<'a, str>, Cow<'a, str>)] {
        self.properties.as_slice()
    }

    /// The custom property `key`, if given.
    pub fn property(&self, key: &str) -> Option<&str> {
        self.properties
            .as_slice()
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| &**v)
    }
}

impl Serialize for CreateRequest<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(id) = &self.id {
            m.serialize_entry("id", id)?;
        }
        if let Some(name) = &self.name {
            m.serialize_entry("name", name)?;
        }
        m.serialize_entry("__os_version", self.os.version())?;
        m.serialize_entry("visibility", self.visibility())?;
        m.serialize_entry("protected", &self.protected)?;
        m.serialize_entry("container_format", self.container_format())?;
        m.serialize_entry("disk_format", &self.disk_format)?;
        m.serialize_entry("tags", self.tags.as_slice())?;
        m.serialize_entry("min_ram", &self.min_ram)?;
        m.serialize_entry("min_disk", &self.min_disk)?;
        serialize_extras(
            &mut m,
            self.description.as_deref(),
            self.firmware,
            self.os_hidden,
            self.properties.as_slice(),
        )?;
        m.end()
    }
}

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
