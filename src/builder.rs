//! The client side: compose a create body with types, check it, and send the minimal
//! JSON.

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

use crate::catalog::OsVersion;
use crate::keys::{extension_rows, Extensions, Field};
use crate::report::Report;
use crate::request::CreateRequest;
use crate::rules::Rules;
use crate::values::DiskFormat;

/// A typed builder for the `POST /v2/images` body.
///
/// [`RequestBuilder::build`] validates the body the builder stands for, so it returns
/// exactly what [`validate`](crate::validate) would: the request, or the same
/// violations. The builder serializes (serde) to the minimal JSON body: only what was
/// set, and not even that where it equals a default that no [`Rules`] knob changes
/// (`protected: false`, `min_ram: 0`, no tags). Values whose default is a knob
/// (`disk_format`, `min_disk`, `__os_version`) are sent whenever they are set, so that
/// the body means the same to every server.
///
/// ```
/// use ims_image_meta::{Catalog, RequestBuilder, Rules, values::DiskFormat};
///
/// let catalog = Catalog::builtin();
/// let os = catalog.get("CentOS 7.3 64bit").expect("in the catalog");
/// let request = RequestBuilder::new()
///     .name("web-server")
///     .os(os)
///     .disk_format(DiskFormat::Qcow2)
///     .min_disk(40)
///     .tags(["prod", "web"])
///     .property("owner_team", "platform")
///     .build(&Rules::default())?;
/// assert_eq!(request.os_version().version(), "CentOS 7.3 64bit");
///
/// let body = serde_json::to_string(&RequestBuilder::new().name("a").protected(false))?;
/// assert_eq!(body, r#"{"name":"a"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[must_use = "a builder does nothing until `build` or `to_body`"]
pub struct RequestBuilder {
    id: Option<String>,
    name: Option<String>,
    os_version: Option<String>,
    protected: Option<bool>,
    disk_format: Option<DiskFormat>,
    tags: Vec<String>,
    min_ram: Option<u32>,
    min_disk: Option<u32>,
    extensions: Extensions,
    properties: Vec<(String, String)>,
}

impl RequestBuilder {
    /// An empty body (`{}`: every default).
    pub fn new() -> Self {
        Self::default()
    }

    /// `id`: choose the image id (a UUID).
    pub fn id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// `name`.
    pub fn name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// `__os_version`, spelled exactly as the catalog has it.
    pub fn os_version(mut self, version: impl Into<String>) -> Self {
        self.os_version = Some(version.into());
        self
    }

    /// `__os_version` from a catalog entry ([`Catalog::get`](crate::Catalog::get)).
    pub fn os(self, os: &OsVersion) -> Self {
        self.os_version(os.version())
    }

    /// `protected`.
    pub fn protected(mut self, protected: bool) -> Self {
        self.protected = Some(protected);
        self
    }

    /// `disk_format`.
    pub fn disk_format(mut self, format: DiskFormat) -> Self {
        self.disk_format = Some(format);
        self
    }

    /// Adds one tag.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tags.push(tag.into());
        self
    }

    /// Adds tags.
    pub fn tags<T: Into<String>>(mut self, tags: impl IntoIterator<Item = T>) -> Self {
        self.tags.extend(tags.into_iter().map(Into::into));
        self
    }

    /// `min_ram`, in MB.
    pub fn min_ram(mut self, mb: u32) -> Self {
        self.min_ram = Some(mb);
        self
    }

    /// `min_disk`, in GB.
    pub fn min_disk(mut self, gb: u32) -> Self {
        self.min_disk = Some(gb);
        self
    }

    /// Sets a custom property (a later value for the same key replaces the earlier).
    ///
    /// The pair is written to the body as `"key": "value"` and judged as any body key
    /// is. So the body never holds a key twice, a key that a typed setter of this
    /// builder was also called for (`name`, `min_disk`, …) is not
    /// written by [`to_body`](RequestBuilder::to_body) (the setter's value is), and
    /// [`build`](RequestBuilder::build) refuses it as the repeated key it is:
    /// `duplicate_key` at `/KEY`. Any other key is written: a read-only or reserved key
    /// is then refused by `build` (`read_only`, `reserved`), a documented field with
    /// no setter (the fields with one fixed value) is checked by its rule.
    ///
    /// ```
    /// use ims_image_meta::{Code, RequestBuilder, Rules};
    ///
    /// let twice = RequestBuilder::new().name("web").property("name", "db");
    /// let report = twice.build(&Rules::default()).unwrap_err();
    /// assert_eq!(report.violations()[0].pointer(), "/name");
    /// assert_eq!(report.violations()[0].code(), Code::DuplicateKey);
    /// assert_eq!(twice.to_body(), br#"{"name":"web"}"#);
    ///
    /// let read_only = RequestBuilder::new().property("status", "active");
    /// let report = read_only.build(&Rules::default()).unwrap_err();
    /// assert_eq!(report.violations()[0].code(), Code::ReadOnly);
    /// ```
    pub fn property(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        let (key, value) = (key.into(), value.into());
        match self.properties.iter_mut().find(|(k, _)| *k == key) {
            Some(slot) => slot.1 = value,
            None => self.properties.push((key, value)),
        }
        self
    }

    /// The minimal JSON body, as bytes.
    pub fn to_body(&self) -> Vec<u8> {
        // Strings, integers and booleans only: serialization cannot fail.
        sure!(serde_json::to_vec(self).ok(), "a builder's body serializes")
    }

    /// Validates the body under `rules`: the request, or the violations `validate`
    /// reports for [`RequestBuilder::to_body`]. When a [`property`](Self::property)
    /// repeats a key a typed setter was called for, the body validated is the one
    /// described, with the key twice: each such key is then a `duplicate_key`.
    ///
    /// # Errors
    ///
    /// The [`Report`] of every violation, as [`validate`](crate::validate) gives it.
    pub fn build(&self, rules: &Rules) -> Result<CreateRequest<'static>, Report> {
        let repeated = self
            .properties
            .iter()
            .any(|(k, _)| self.typed_keys().any(|t| t == k));
        let body = if repeated {
            sure!(
                serde_json::to_vec(&Described(self)).ok(),
                "a builder's body serializes"
            )
        } else {
            self.to_body()
        };
        crate::validate(&body, rules).map(|ok| ok.request.into_owned())
    }

    /// The typed setters' values in body order, each with its field and whether it is
    /// a default that no knob changes (`protected: false`, `min_ram: 0`), which the
    /// minimal body leaves out. The one list of the typed members: the body and the
    /// check for repeated keys both read it.
    fn typed(&self) -> impl Iterator<Item = (Field, Typed<'_>, bool)> + '_ {
        fn text(v: &Option<String>) -> Option<Typed<'_>> {
            v.as_deref().map(Typed::Text)
        }
        let tags = (!self.tags.is_empty()).then_some(Typed::Tags(&self.tags));
        [
            (Field::Id, text(&self.id), false),
            (Field::Name, text(&self.name), false),
            (Field::OsVersion, text(&self.os_version), false),
            (
                Field::Protected,
                self.protected.map(Typed::Bool),
                self.protected == Some(false),
            ),
            (Field::DiskFormat, self.disk_format.map(Typed::Disk), false),
            (Field::Tags, tags, false),
            (
                Field::MinRam,
                self.min_ram.map(Typed::Int),
                self.min_ram == Some(0),
            ),
            (Field::MinDisk, self.min_disk.map(Typed::Int), false),
        ]
        .into_iter()
        .filter_map(|(f, v, default)| Some((f, v?, default)))
    }

    /// The keys of the typed setters that were called.
    fn typed_keys(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.typed().map(|(f, _, _)| f.key()).chain(
            Field::ALL
                .iter()
                .filter(|f| self.extensions.is_given(**f))
                .map(|f| f.key()),
        )
    }

    /// Writes the body: minimal, without a property that repeats a typed key; or, with
    /// `described`, every value set and every property (the body `build` judges).
    fn write<S: Serializer>(&self, s: S, described: bool) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        for (f, v, default) in self.typed() {
            if described || !default {
                m.serialize_entry(f.key(), &v)?;
            }
        }
        self.extensions.serialize_entries(&mut m)?;
        for (k, v) in &self.properties {
            if described || !self.typed_keys().any(|t| t == k) {
                m.serialize_entry(k, v)?;
            }
        }
        m.end()
    }
}

/// A typed setter's value, as the body holds it.
enum Typed<'a> {
    Text(&'a str),
    Bool(bool),
    Disk(DiskFormat),
    Tags(&'a [String]),
    Int(u32),
}

impl Serialize for Typed<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Typed::Text(v) => v.serialize(s),
            Typed::Bool(v) => v.serialize(s),
            Typed::Disk(v) => v.serialize(s),
            Typed::Tags(v) => v.serialize(s),
            Typed::Int(v) => v.serialize(s),
        }
    }
}

/// Each extension property's setter, from the field table.
macro_rules! setters {
    ($( $(#[$doc:meta])* $member:ident: $get:ty, $set:ty, $key:literal; )+) => {
        impl RequestBuilder {
            $(
                $(#[$doc])*
                pub fn $member(mut self, value: $set) -> Self {
                    self.extensions.$member = Some(value.into());
                    self
                }
            )+
        }
    };
}
extension_rows!(setters);

impl Serialize for RequestBuilder {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.write(s, false)
    }
}

/// The body a builder describes, repeated keys included (see [`RequestBuilder::build`]).
struct Described<'a>(&'a RequestBuilder);

impl Serialize for Described<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.0.write(s, true)
    }
}
