//! The knobs of validation, with the defaults of the contract.

use std::ops::RangeInclusive;

use crate::catalog::{Catalog, OsVersion};
use crate::values::{DiskFormat, OsBit, OsType, Platform};

/// The OpenStack request-size default, in bytes: the default body cap.
pub const DEFAULT_MAX_BODY_BYTES: usize = 114_688;
/// Characters a `name` may have by default (the request table).
pub const DEFAULT_NAME_MAX_CHARS: usize = 255;
/// Tags an image may have by default (Glance's `image_tag_quota`).
pub const DEFAULT_MAX_TAGS: usize = 128;
/// Custom properties a body may have by default (Glance's `image_property_quota`).
pub const DEFAULT_MAX_PROPERTIES: usize = 128;
/// Bytes a custom property value may have by default.
pub const DEFAULT_PROPERTY_VALUE_MAX_BYTES: usize = 65_535;
/// Characters a tag may have (fixed by the request table).
pub const TAG_MAX_CHARS: usize = 255;
/// Characters a custom property key may have (fixed by the page's note).
pub const PROPERTY_KEY_MAX_CHARS: usize = 255;
/// Characters `__description` may have.
pub const DESCRIPTION_MAX_CHARS: usize = 1024;
/// The largest `min_ram` (Glance's database column is a signed 32-bit integer).
pub const MIN_RAM_MAX: u32 = 2_147_483_647;
/// The `__os_version` used when a body has none.
pub const DEFAULT_OS_VERSION: &str = "Other Linux(64 bit)";

/// Which characters `name` may hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[non_exhaustive]
pub enum NameCharset {
    /// The IMS attributes page: ASCII letters and digits, `-` `.` `_` space, and CJK
    /// ideographs U+4E00–U+9FFF (the default).
    #[default]
    Ims,
    /// Any text, as Glance allows (the other string rules still apply).
    Any,
}

/// The knobs of validation. [`Rules::default`] is the contract's defaults
/// (`docs/contract.md`).
///
/// Fields are public so that a server can change any knob; the struct is
/// `#[non_exhaustive]`, so start from a default and assign:
///
/// ```
/// use ims_image_meta::{DiskFormat, Rules};
///
/// // Open Telekom Cloud's edition of the API.
/// let mut rules = Rules::default();
/// rules.min_disk = 1..=1024;
/// rules.default_disk_format = DiskFormat::Zvhd2;
/// rules.name_max_chars = 128;
/// assert!(ims_image_meta::validate(br#"{"min_disk": 1}"#, &rules).is_ok());
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct Rules {
    /// A body longer than this many bytes is refused (413) before it is parsed.
    pub max_body_bytes: usize,
    /// The most chars `name` may have: 255 (the request table) or 128 (the response
    /// table and the attributes page).
    pub name_max_chars: usize,
    /// Which characters `name` may hold.
    pub name_charset: NameCharset,
    /// The allowed `min_disk` range, in GB; its lower bound is the default when absent.
    pub min_disk: RangeInclusive<u32>,
    /// The `disk_format` values a body may send.
    pub disk_formats: Vec<DiskFormat>,
    /// The `disk_format` recorded when a body has none.
    pub default_disk_format: DiskFormat,
    /// The most tags an image may have; more is 413.
    pub max_tags: usize,
    /// The most custom properties a body may have; more is 413.
    pub max_properties: usize,
    /// The most bytes a custom property value may have.
    pub property_value_max_bytes: usize,
    /// Whether characters at U+10000 and above are allowed in keys and strings
    /// (Glance refuses them: its MySQL columns hold 3-byte UTF-8).
    pub allow_four_byte_unicode: bool,
    /// The allowed `__os_version` values.
    pub catalog: Catalog,
    /// The `__os_version` (and what it derives) recorded when a body has none. It need
    /// not be in [`Rules::catalog`].
    pub default_os_version: OsVersion,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            name_max_chars: DEFAULT_NAME_MAX_CHARS,
            name_charset: NameCharset::Ims,
            min_disk: 40..=1024,
            disk_formats: DiskFormat::ALL.to_vec(),
            default_disk_format: DiskFormat::Vhd,
            max_tags: DEFAULT_MAX_TAGS,
            max_properties: DEFAULT_MAX_PROPERTIES,
            property_value_max_bytes: DEFAULT_PROPERTY_VALUE_MAX_BYTES,
            allow_four_byte_unicode: false,
            catalog: Catalog::builtin(),
            default_os_version: OsVersion::new(
                DEFAULT_OS_VERSION,
                OsType::Linux,
                Platform::Other,
                OsBit::Bit64,
            ),
        }
    }
}

impl Rules {
    /// The default `min_disk`: the lower bound of the allowed range.
    pub fn default_min_disk(&self) -> u32 {
        *self.min_disk.start()
    }
}
