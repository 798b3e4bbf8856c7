//! The value sets of the API: disk format, firmware type, OS type, platform, bit.
//!
//! Each enum spells its values exactly as the wire does (`Display` writes that spelling,
//! `FromStr` reads it back, case-sensitively) and serializes as that string. All are
//! closed but [`Platform`], which keeps a platform it does not list as spelled.

use std::fmt;
use std::str::FromStr;
use std::sync::Arc;

/// The error of a `FromStr` on one of the value enums: the text is not one of its values.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {what}; expected one of: {expected}")]
pub struct ParseValueError {
    what: &'static str,
    value: String,
    expected: String,
}

impl ParseValueError {
    pub(crate) fn new(what: &'static str, value: &str, all: &[&str]) -> Self {
        ParseValueError {
            what,
            value: value.to_owned(),
            expected: all.join(", "),
        }
    }
}

/// Declares a closed, `#[non_exhaustive]` enum whose variants map 1:1 to wire strings:
/// the value sets here, the violation codes (`code.rs`) and the warning codes. Each
/// serializes as its spelling and deserializes from it.
macro_rules! wire_enum {
    (
        $(#[$meta:meta])*
        $name:ident, $what:literal {
            $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* $variant ),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every value's wire spelling, in declaration order.
            pub(crate) const WIRE: &'static [&'static str] = &[$($text),+];

            /// The wire spelling of this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value spelled exactly `text` (case-sensitive), if any.
            pub(crate) fn from_wire(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::values::ParseValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_wire(s).ok_or_else(|| {
                    $crate::values::ParseValueError::new($what, s, &[$($text),+])
                })
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        /// One of the wire spellings, exactly.
        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl ::serde::de::Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                        $crate::values::expecting(f, $what, $name::WIRE)
                    }
                    fn visit_str<E: ::serde::de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::from_wire(v)
                            .ok_or_else(|| E::invalid_value(::serde::de::Unexpected::Str(v), &self))
                    }
                }
                d.deserialize_str(V)
            }
        }
    };
}

/// What a wire enum's `Deserialize` expects: `a disk_format (one of "vhd", "zvhd", …)`.
pub(crate) fn expecting(f: &mut fmt::Formatter<'_>, what: &str, wire: &[&str]) -> fmt::Result {
    write!(f, "a {what} (one of")?;
    for (i, v) in wire.iter().enumerate() {
        write!(f, "{} \"{v}\"", if i == 0 { "" } else { "," })?;
    }
    f.write_str(")")
}

pub(crate) use wire_enum;

wire_enum! {
    /// `disk_format`: the image file format (the request table's five values, and
    /// `iso`, which today's Huawei Cloud accepts; which ones a body may send is the
    /// [`Rules`](crate::Rules) knob `disk_formats`).
    ///
    /// Like every value enum here: `FromStr`/`Display` and serde use the wire spelling,
    /// case-sensitively.
    ///
    /// ```
    /// use ims_image_meta::values::DiskFormat;
    ///
    /// let f: DiskFormat = "qcow2".parse()?;
    /// assert_eq!(f, DiskFormat::Qcow2);
    /// assert_eq!(serde_json::to_string(&f)?, r#""qcow2""#);
    /// assert_eq!(serde_json::from_str::<DiskFormat>(r#""zvhd2""#)?, DiskFormat::Zvhd2);
    /// assert!("QCOW2".parse::<DiskFormat>().is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    DiskFormat, "disk_format" {
        /// `vhd`, the default.
        Vhd => "vhd",
        /// `zvhd`.
        Zvhd => "zvhd",
        /// `zvhd2` (the Open Telekom Cloud default).
        Zvhd2 => "zvhd2",
        /// `raw`.
        Raw => "raw",
        /// `qcow2`.
        Qcow2 => "qcow2",
        /// `iso` (allowed by the `huaweicloud` profile, not by `ims-2022`).
        Iso => "iso",
    }
}

wire_enum! {
    /// `hw_firmware_type`: the boot firmware of servers created from the image.
    FirmwareType, "hw_firmware_type" {
        /// `bios`.
        Bios => "bios",
        /// `uefi`.
        Uefi => "uefi",
    }
}

wire_enum! {
    /// `__os_type`: the operating-system family, derived from `__os_version`.
    OsType, "__os_type" {
        /// `Windows`.
        Windows => "Windows",
        /// `Linux`.
        Linux => "Linux",
        /// `Other`.
        Other => "Other",
    }
}

/// Declares [`Platform`]: the listed spellings, plus [`Platform::Unlisted`].
macro_rules! platform_enum {
    ( $( $(#[$vmeta:meta])* $variant:ident => $text:literal ),+ $(,)? ) => {
        /// `__platform`: the OS platform, derived from `__os_version`.
        ///
        /// The documented enum, plus `openEuler` and `NeoKylin`, which the catalog's
        /// source page uses as group labels without a documented enum value. A platform
        /// the service names and this crate does not list (`Rocky`, `Kylin`, …) is kept
        /// as [`Platform::Unlisted`], spelled as the service spells it: a catalog never
        /// fails for a new platform.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Platform {
            $( $(#[$vmeta])* $variant, )+
            /// A platform this crate does not list, as spelled (never empty, never the
            /// spelling of a listed one).
            Unlisted(UnlistedPlatform),
        }

        impl Platform {
            /// Every listed value, in declaration order (not [`Platform::Unlisted`]).
            pub const ALL: &'static [Platform] = &[$(Platform::$variant),+];

            /// The wire spelling of this value.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Platform::$variant => $text,)+
                    Platform::Unlisted(u) => u.as_str(),
                }
            }

            /// The value spelled `text`: a listed one when `text` is its exact spelling
            /// (case-sensitive), else [`Platform::Unlisted`] keeping `text`. `None` only
            /// for an empty `text`.
            pub(crate) fn from_wire(text: &str) -> Option<Self> {
                match text {
                    "" => None,
                    $($text => Some(Platform::$variant),)+
                    other => Some(Platform::Unlisted(UnlistedPlatform(Arc::from(other)))),
                }
            }

            /// Whether this is one of [`Platform::ALL`].
            pub fn is_listed(&self) -> bool {
                !matches!(self, Platform::Unlisted(_))
            }
        }
    };
}

platform_enum! {
    /// `Windows`.
    Windows => "Windows",
    /// `Ubuntu`.
    Ubuntu => "Ubuntu",
    /// `RedHat`.
    RedHat => "RedHat",
    /// `SUSE`.
    Suse => "SUSE",
    /// `CentOS`.
    CentOs => "CentOS",
    /// `Debian`.
    Debian => "Debian",
    /// `OpenSUSE`.
    OpenSuse => "OpenSUSE",
    /// `Oracle Linux`.
    OracleLinux => "Oracle Linux",
    /// `Fedora`.
    Fedora => "Fedora",
    /// `EulerOS`.
    EulerOs => "EulerOS",
    /// `CoreOS`.
    CoreOs => "CoreOS",
    /// `Other`.
    Other => "Other",
    /// `openEuler` (a doc group label).
    OpenEuler => "openEuler",
    /// `NeoKylin` (a doc group label).
    NeoKylin => "NeoKylin",
}

/// The spelling of a [`Platform::Unlisted`] platform: made only by reading one
/// (`FromStr`, `Deserialize`, a catalog), so it is never empty and never a listed
/// spelling. Cheap to clone (shared).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct UnlistedPlatform(Arc<str>);

impl UnlistedPlatform {
    /// The platform as the service spells it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Platform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Platform {
    type Err = ParseValueError;
    /// Any non-empty text: a listed spelling gives its variant, any other
    /// [`Platform::Unlisted`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::from_wire(s).ok_or_else(|| {
            let all: Vec<&str> = Platform::ALL.iter().map(Platform::as_str).collect();
            let mut e = ParseValueError::new("__platform", s, &all);
            e.expected.push_str(", or any other non-empty spelling");
            e
        })
    }
}

impl serde::Serialize for Platform {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

wire_enum! {
    /// `__os_bit`: the OS word size, written to the record as the string `"32"` or `"64"`.
    OsBit, "__os_bit" {
        /// 32-bit.
        Bit32 => "32",
        /// 64-bit.
        Bit64 => "64",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every value of the value enums reads back what `Display` and serde write (the
    /// codes, warning codes and report formats are made by the same `wire_enum!`).
    #[test]
    fn every_value_round_trips_through_display_and_from_str() {
        fn all<T>(values: &[T])
        where
            T: PartialEq + fmt::Debug + fmt::Display + FromStr + serde::Serialize,
            T: serde::de::DeserializeOwned,
            T::Err: fmt::Debug,
        {
            for v in values {
                assert_eq!(&v.to_string().parse::<T>().unwrap(), v);
                let json = serde_json::to_string(v).unwrap();
                assert_eq!(&serde_json::from_str::<T>(&json).unwrap(), v);
            }
        }
        all(DiskFormat::ALL);
        all(Platform::ALL);
        all(OsType::ALL);
        all(OsBit::ALL);
        all(FirmwareType::ALL);
        all(NameCharset::ALL);
    }

    #[test]
    fn parsing_is_case_sensitive_and_says_what_is_expected() {
        let err = "VHD".parse::<DiskFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'VHD' is not a valid disk_format; expected one of: vhd, zvhd, zvhd2, raw, qcow2, iso"
        );
        assert!("64bit".parse::<OsBit>().is_err());
        assert_eq!(
            "Oracle Linux".parse::<Platform>(),
            Ok(Platform::OracleLinux)
        );
        assert_eq!("iso".parse::<DiskFormat>(), Ok(DiskFormat::Iso));
    }

    /// A platform the crate does not list is kept as spelled; a listed spelling always
    /// gives its variant; only the empty text is refused.
    #[test]
    fn unlisted_platforms_are_kept_as_spelled() {
        let rocky = Platform::from_wire("Rocky").unwrap();
        assert!(!rocky.is_listed());
        assert_eq!(rocky.as_str(), "Rocky");
        assert_eq!(rocky.to_string(), "Rocky");
        assert_eq!(serde_json::to_string(&rocky).unwrap(), r#""Rocky""#);
        assert_eq!("Rocky".parse::<Platform>(), Ok(rocky));
        // Case matters: "ubuntu" is not the listed "Ubuntu", and is kept as sent.
        assert_eq!(Platform::from_wire("ubuntu").unwrap().as_str(), "ubuntu");
        assert_eq!(Platform::from_wire("Ubuntu"), Some(Platform::Ubuntu));
        assert!(Platform::ALL.iter().all(Platform::is_listed));
        assert_eq!(Platform::from_wire(""), None);
        assert_eq!(
            "".parse::<Platform>().unwrap_err().to_string(),
            "'' is not a valid __platform; expected one of: Windows, Ubuntu, RedHat, SUSE, \
             CentOS, Debian, OpenSUSE, Oracle Linux, Fedora, EulerOS, CoreOS, Other, \
             openEuler, NeoKylin, or any other non-empty spelling"
        );
    }
}

wire_enum! {
    /// Which characters `name` may hold; a rules file names it `ims`, `ims-no-cjk` or
    /// `any`.
    #[derive(Default)]
    NameCharset, "name charset" {
        /// The IMS attributes page: ASCII letters and digits, `-` `.` `_` space, and CJK
        /// ideographs U+4E00–U+9FFF (the default).
        #[default]
        Ims => "ims",
        /// The IMS charset without CJK ideographs: ASCII letters and digits, `-` `.` `_`
        /// space (Open Telekom Cloud).
        ImsNoCjk => "ims-no-cjk",
        /// Any text, as Glance allows (the other string rules still apply).
        Any => "any",
    }
}
