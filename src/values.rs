//! The closed value sets of the API: disk format, firmware type, OS type, platform, bit.
//!
//! Each enum spells its values exactly as the wire does (`Display` writes that spelling,
//! `FromStr` reads it back, case-sensitively) and serializes as that string.

use std::fmt;
use std::str::FromStr;

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

/// Declares a closed, `#[non_exhaustive]` enum whose variants map 1:1 to wire strings.
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

            /// The wire spelling of this value.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The value spelled exactly `text` (case-sensitive), if any.
            pub fn from_wire(text: &str) -> Option<Self> {
                match text {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl FromStr for $name {
            type Err = ParseValueError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::from_wire(s).ok_or_else(|| {
                    ParseValueError::new($what, s, &[$($text),+])
                })
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

wire_enum! {
    /// `disk_format`: the image file format (the request table's five values).
    ///
    /// Like every value enum here: `FromStr`/`Display` and serde use the wire spelling,
    /// case-sensitively.
    ///
    /// ```
    /// use ims_image_meta::DiskFormat;
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

wire_enum! {
    /// `__platform`: the OS platform, derived from `__os_version`.
    ///
    /// The documented enum, plus `openEuler` and `NeoKylin`, which the catalog's source
    /// page uses as group labels without a documented enum value.
    Platform, "__platform" {
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

    #[test]
    fn every_value_round_trips_through_display_and_from_str() {
        for v in DiskFormat::ALL {
            assert_eq!(v.to_string().parse::<DiskFormat>().unwrap(), *v);
        }
        for v in Platform::ALL {
            assert_eq!(v.to_string().parse::<Platform>().unwrap(), *v);
        }
        for v in OsType::ALL {
            assert_eq!(v.to_string().parse::<OsType>().unwrap(), *v);
        }
        for v in OsBit::ALL {
            assert_eq!(v.to_string().parse::<OsBit>().unwrap(), *v);
        }
        for v in FirmwareType::ALL {
            assert_eq!(v.to_string().parse::<FirmwareType>().unwrap(), *v);
        }
    }

    #[test]
    fn parsing_is_case_sensitive_and_says_what_is_expected() {
        let err = "VHD".parse::<DiskFormat>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "'VHD' is not a valid disk_format; expected one of: vhd, zvhd, zvhd2, raw, qcow2"
        );
        assert!("64bit".parse::<OsBit>().is_err());
        assert_eq!(
            "Oracle Linux".parse::<Platform>(),
            Ok(Platform::OracleLinux)
        );
    }
}
