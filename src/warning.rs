//! Warnings of an accepted body: defaults that may break later use, an `__os_version`
//! accepted leniently, and custom keys one typo away from a field.

use std::borrow::Cow;
use std::fmt;

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::message::Locale;
use crate::pointer::Short;

crate::values::wire_enum! {
    /// The stable code of a [`Warning`], as [`Code`](crate::Code) is that of a violation:
    /// its snake_case name, e.g. `"near_miss_key"`.
    WarningCode, "warning code" {
        /// `name_defaulted`.
        NameDefaulted => "name_defaulted",
        /// `os_version_defaulted`.
        OsVersionDefaulted => "os_version_defaulted",
        /// `os_version_inferred`.
        OsVersionInferred => "os_version_inferred",
        /// `os_version_not_derived`.
        OsVersionNotDerived => "os_version_not_derived",
        /// `near_miss_key`.
        NearMissKey => "near_miss_key",
        /// `derived_key`.
        DerivedKey => "derived_key",
    }
}

impl PartialEq<&str> for WarningCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

/// Something an accepted body did that may not be what its sender meant.
///
/// ```
/// use ims_image_meta::{validate, Locale, Rules, warning::WarningCode};
///
/// let ok = validate(br#"{"name": "a", "container-format": "bare"}"#, &Rules::default())?;
/// let w = &ok.warnings[1];
/// assert_eq!(w.code(), WarningCode::NearMissKey);
/// assert_eq!(w.pointer(), "/container-format");
/// assert_eq!(w.meant(), Some("container_format"));
/// assert_eq!(
///     w.message(),
///     "Property key 'container-format' looks like a misspelling of 'container_format', \
///      which it does not set: it is kept as a custom property."
/// );
/// assert_eq!(w.message_in(Locale::ZhCn), "自定义属性键'container-format'疑似'container_format'的拼写错误，并不会设置'container_format'，而是作为自定义属性保留。");
/// # Ok::<(), ims_image_meta::Report>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Warning {
    /// No `name` (or `null`): the image gets `""`, and servers cannot be created from it.
    NameDefaulted,
    /// No `__os_version`: the default is used, and servers from the image may not work.
    OsVersionDefaulted,
    /// An `__os_version` the catalog does not have, accepted because the rules allow
    /// it: `__os_type`, `__platform` and `__os_bit` were inferred (from a catalog value
    /// equal to it but for case and spaces, or from its text).
    OsVersionInferred,
    /// An `__os_version` the catalog does not have, accepted because the rules allow
    /// it: `__os_type`, `__platform` and `__os_bit` could not be derived, and are the
    /// default OS's.
    OsVersionNotDerived,
    /// A custom key one typo away from a documented field or a known extension
    /// (`container-format`, `os_version`, `minDisk`): kept as a custom property, it
    /// does not set the field.
    NearMissKey(KeyHint),
    /// A custom key that is a key the service derives, without its prefix (`os_type`
    /// for `__os_type`).
    DerivedKey(KeyHint),
}

/// A custom key and the key it probably meant: the data of [`Warning::NearMissKey`]
/// and [`Warning::DerivedKey`].
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeyHint {
    pub(crate) pointer: Short,
    /// The key, unescaped: an excerpt of at most 64 chars.
    pub(crate) key: Short,
    pub(crate) meant: &'static str,
}

impl KeyHint {
    /// The JSON Pointer of the custom key.
    pub fn pointer(&self) -> &str {
        &self.pointer
    }

    /// The key it probably meant.
    pub fn meant(&self) -> &'static str {
        self.meant
    }
}

impl Warning {
    /// The stable code.
    pub fn code(&self) -> WarningCode {
        match self {
            Warning::NameDefaulted => WarningCode::NameDefaulted,
            Warning::OsVersionDefaulted => WarningCode::OsVersionDefaulted,
            Warning::OsVersionInferred => WarningCode::OsVersionInferred,
            Warning::OsVersionNotDerived => WarningCode::OsVersionNotDerived,
            Warning::NearMissKey(_) => WarningCode::NearMissKey,
            Warning::DerivedKey(_) => WarningCode::DerivedKey,
        }
    }

    /// The JSON Pointer of the field or key.
    pub fn pointer(&self) -> &str {
        match self {
            Warning::NameDefaulted => "/name",
            Warning::OsVersionDefaulted
            | Warning::OsVersionInferred
            | Warning::OsVersionNotDerived => "/__os_version",
            Warning::NearMissKey(h) | Warning::DerivedKey(h) => &h.pointer,
        }
    }

    /// The field or key a near miss probably meant.
    pub fn meant(&self) -> Option<&'static str> {
        match self {
            Warning::NearMissKey(h) | Warning::DerivedKey(h) => Some(h.meant),
            _ => None,
        }
    }

    /// The key a near miss was sent as (an excerpt when long).
    fn key(&self) -> &str {
        match self {
            Warning::NearMissKey(h) | Warning::DerivedKey(h) => &h.key,
            _ => "",
        }
    }

    /// An English message.
    pub fn message(&self) -> Cow<'static, str> {
        self.message_in(Locale::En)
    }

    /// The message in `locale`.
    pub fn message_in(&self, locale: Locale) -> Cow<'static, str> {
        let zh = locale == Locale::ZhCn;
        let fixed = |en: &'static str, cn: &'static str| Cow::Borrowed(if zh { cn } else { en });
        match self {
            Warning::NameDefaulted => fixed(
                "No name given: the image's name is empty, and creating a server from it will fail.",
                "未指定name：镜像名称默认为空，但是使用该镜像创建虚拟机会失败。",
            ),
            Warning::OsVersionDefaulted => fixed(
                "No __os_version given: the default applies, and servers created from the image may not work.",
                "未指定__os_version：使用默认值，不保证该镜像能成功创建虚拟机以及通过该镜像创建的虚拟机能够正常使用。",
            ),
            Warning::OsVersionInferred => fixed(
                "__os_version is not in this catalog: accepted anyway, with __os_type, __platform and __os_bit inferred from it; the cloud may refuse it or derive them otherwise.",
                "__os_version不在本地取值列表中：仍然接受，__os_type、__platform和__os_bit由其推断得出；云服务可能拒绝该值或得出不同的结果。",
            ),
            Warning::OsVersionNotDerived => fixed(
                "__os_version is not in this catalog: accepted anyway, but __os_type, __platform and __os_bit could not be derived from it and are the default OS's; the cloud may refuse it or derive them otherwise.",
                "__os_version不在本地取值列表中：仍然接受，但无法由其得出__os_type、__platform和__os_bit，因此使用默认操作系统的值；云服务可能拒绝该值或得出不同的结果。",
            ),
            Warning::NearMissKey(KeyHint { key, meant, .. }) => Cow::Owned(if zh {
                format!("自定义属性键'{key}'疑似'{meant}'的拼写错误，并不会设置'{meant}'，而是作为自定义属性保留。")
            } else {
                format!("Property key '{key}' looks like a misspelling of '{meant}', which it does not set: it is kept as a custom property.")
            }),
            Warning::DerivedKey(KeyHint { key, meant, .. }) => Cow::Owned(if zh {
                format!("自定义属性键'{key}'不会设置'{meant}'：'{meant}'由服务根据__os_version得出。")
            } else {
                format!("Property key '{key}' does not set '{meant}': the service derives '{meant}' from __os_version.")
            }),
        }
    }

    /// The machine-readable parameters: `{key, meant}` for a near miss or a derived
    /// key, `{}` otherwise.
    pub fn params(&self) -> serde_json::Value {
        sure!(serde_json::to_value(Params(self)).ok(), "params serialize")
    }

    /// The warning serialized with its message in `locale`.
    pub fn localized(&self, locale: Locale) -> impl Serialize + '_ {
        InLocale(self, locale)
    }
}

struct Params<'a>(&'a Warning);

impl Serialize for Params<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(None)?;
        if let Some(meant) = self.0.meant() {
            m.serialize_entry("key", &self.0.key())?;
            m.serialize_entry("meant", meant)?;
        }
        m.end()
    }
}

struct InLocale<'a>(&'a Warning, Locale);

impl Serialize for InLocale<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let w = self.0;
        let mut st = s.serialize_struct("Warning", 4)?;
        st.serialize_field("pointer", w.pointer())?;
        st.serialize_field("code", &w.code())?;
        st.serialize_field("message", &w.message_in(self.1))?;
        st.serialize_field("params", &Params(w))?;
        st.end()
    }
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl Serialize for Warning {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        InLocale(self, Locale::En).serialize(s)
    }
}

/// The warnings of an accepted body, in order: the defaults' (no allocation for them),
/// then each near-miss key in body order. A slice of [`Warning`] (it derefs to one).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Warnings(pub(crate) Cow<'static, [Warning]>);

impl std::ops::Deref for Warnings {
    type Target = [Warning];
    fn deref(&self) -> &[Warning] {
        &self.0
    }
}

impl<'a> IntoIterator for &'a Warnings {
    type Item = &'a Warning;
    type IntoIter = std::slice::Iter<'a, Warning>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.iter()
    }
}

impl IntoIterator for Warnings {
    type Item = Warning;
    type IntoIter = std::vec::IntoIter<Warning>;
    fn into_iter(self) -> Self::IntoIter {
        self.0.into_owned().into_iter()
    }
}

impl<const N: usize> PartialEq<[Warning; N]> for Warnings {
    fn eq(&self, other: &[Warning; N]) -> bool {
        *self.0 == other[..]
    }
}

impl PartialEq<[Warning]> for Warnings {
    fn eq(&self, other: &[Warning]) -> bool {
        *self.0 == *other
    }
}

impl Serialize for Warnings {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter())
    }
}
