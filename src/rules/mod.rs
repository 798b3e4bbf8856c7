//! What the service decides: the knobs ([`Rules`]) and the named sets they start from
//! (`profile`), the key lists and the field table (`keys`), and one function per field
//! that holds its checks and IMS codes (`fields`), run by the engine through the
//! checker (`check`). `file` loads a rule set from JSON.

use std::ops::RangeInclusive;

use crate::catalog::{version_fault, Catalog, OsVersion};
use crate::values::{DiskFormat, NameCharset, OsBit, OsType, Platform};

pub(crate) mod check;
mod fields;
mod file;
mod knobs;
mod profile;

pub use knobs::Rules;
pub use profile::Profile;

/// Why a rule set was refused: the knob, and why its value makes no sense; or, for a
/// rules file, the place in the JSON and the reason.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RulesError {
    /// A knob's value makes no sense (an empty range, a default outside the allowed
    /// set, a zero cap, …), or a rules file gives a knob a value it cannot have.
    #[error("rules: {knob}: {reason}")]
    Knob {
        /// The knob, as the builder method and the rules file name it.
        knob: &'static str,
        /// What is wrong with its value.
        reason: String,
    },
    /// A rules file is not a JSON object of known knobs: its syntax, an unknown knob
    /// (never ignored), or a value of the wrong type; the message gives line and
    /// column.
    #[error("rules JSON: {0}")]
    Json(String),
}

impl RulesError {
    /// The knob at fault, when the error is about one.
    pub fn knob(&self) -> Option<&'static str> {
        match self {
            RulesError::Knob { knob, .. } => Some(knob),
            RulesError::Json(_) => None,
        }
    }

    fn knob_err(knob: &'static str, reason: impl Into<String>) -> RulesError {
        RulesError::Knob {
            knob,
            reason: reason.into(),
        }
    }
}

impl Default for Rules {
    /// The [`Profile::Ims2022`] rule set.
    fn default() -> Self {
        Rules::profile(Profile::Ims2022)
    }
}

impl Rules {
    /// Characters a tag may have (fixed by the request table).
    pub const TAG_MAX_CHARS: usize = 255;
    /// Characters a custom property key may have (fixed by the page's note).
    pub const PROPERTY_KEY_MAX_CHARS: usize = 255;
    /// Characters the description extension may have (the field table's).
    pub const DESCRIPTION_MAX_CHARS: usize = crate::keys::DESCRIPTION_MAX_CHARS;
    /// The largest `min_ram` (Glance's database column is a signed 32-bit integer).
    pub const MIN_RAM_MAX: u32 = crate::keys::MIN_RAM_MAX;

    /// The rule set of `profile`, with the built-in catalog.
    pub fn profile(profile: Profile) -> Rules {
        let k = profile.knobs();
        let catalog = Catalog::builtin();
        // Every profile's default is a built-in value (a unit test checks it).
        let default_os_version = catalog
            .get(k.default_os_version)
            .cloned()
            .unwrap_or_else(|| {
                OsVersion::new(
                    k.default_os_version,
                    OsType::Linux,
                    Platform::Other,
                    OsBit::Bit64,
                )
            });
        let others = knobs::Others {
            name_charset: k.name_charset,
            min_disk_linux: k.min_disk_linux.0..=k.min_disk_linux.1,
            min_disk_windows: k.min_disk_windows.0..=k.min_disk_windows.1,
            disk_formats: k.disk_formats.to_vec(),
            default_disk_format: k.default_disk_format,
            catalog,
            default_os_version,
            updatable: crate::keys::Field::Name.bit() | crate::keys::Field::Description.bit(),
        };
        Rules::assemble(profile, others)
    }

    /// A builder starting from `profile`'s rule set.
    pub fn builder(profile: Profile) -> RulesBuilder {
        RulesBuilder {
            rules: Rules::profile(profile),
            updatable_error: None,
        }
    }

    /// A builder starting from this rule set, to change some of its knobs.
    pub fn to_builder(&self) -> RulesBuilder {
        RulesBuilder {
            rules: self.clone(),
            updatable_error: None,
        }
    }

    /// The documented fields (and known extensions) an update (`PATCH`, SPEC §8) may
    /// change, in the field table's order: the name and the description by default
    /// (the IMS page: "only customized attributes, image name, and image description
    /// can be modified"). Custom properties are always updatable; `id`, read-only and reserved
    /// keys never are.
    pub fn updatable(&self) -> impl Iterator<Item = &'static str> + '_ {
        crate::keys::Field::ALL
            .iter()
            .filter(|f| self.updatable & f.bit() != 0)
            .map(|f| f.key())
    }

    /// Whether an update may change the documented field `key` (false for any key
    /// that is not a documented field or known extension).
    pub fn is_updatable(&self, key: &str) -> bool {
        match crate::keys::classify(key) {
            crate::keys::KeyKind::Field(f) => self.updatable & f.bit() != 0,
            _ => false,
        }
    }

    /// Which characters `name` may hold.
    pub fn name_charset(&self) -> NameCharset {
        self.name_charset
    }

    /// The allowed `min_disk` range, in GB, of an image whose OS type is Linux or
    /// Other.
    pub fn min_disk_linux(&self) -> RangeInclusive<u32> {
        self.min_disk_linux.clone()
    }

    /// The allowed `min_disk` range, in GB, of an image whose OS type is Windows.
    pub fn min_disk_windows(&self) -> RangeInclusive<u32> {
        self.min_disk_windows.clone()
    }

    /// The allowed `min_disk` range for an OS type.
    pub fn min_disk_range(&self, os_type: OsType) -> RangeInclusive<u32> {
        self.min_disk_for(os_type).clone()
    }

    pub(crate) fn min_disk_for(&self, os_type: OsType) -> &RangeInclusive<u32> {
        if os_type == OsType::Windows {
            &self.min_disk_windows
        } else {
            &self.min_disk_linux
        }
    }

    /// The `min_disk` recorded when a body has none: the lower bound of the range of
    /// the request's OS type.
    pub fn default_min_disk(&self, os_type: OsType) -> u32 {
        *self.min_disk_for(os_type).start()
    }

    /// The `disk_format` values a body may send.
    pub fn disk_formats(&self) -> &[DiskFormat] {
        &self.disk_formats
    }

    /// The `disk_format` recorded when a body has none (one of
    /// [`Rules::disk_formats`]).
    pub fn default_disk_format(&self) -> DiskFormat {
        self.default_disk_format
    }

    /// The allowed `__os_version` values.
    pub fn catalog(&self) -> &Catalog {
        &self.catalog
    }

    /// The `__os_version` (and what it derives) recorded when a body has none. It need
    /// not be in the catalog: a body may always send it.
    pub fn default_os_version(&self) -> &OsVersion {
        &self.default_os_version
    }

    /// Whether every knob makes sense; the first that does not is named.
    fn check(&self) -> Result<(), RulesError> {
        self.check_scalars()?;
        for (knob, range) in [
            ("min_disk_linux", &self.min_disk_linux),
            ("min_disk_windows", &self.min_disk_windows),
        ] {
            if range.start() > range.end() {
                let reason = format!(
                    "the range {}..={} is empty (its lower bound is above its upper bound)",
                    range.start(),
                    range.end()
                );
                return Err(RulesError::knob_err(knob, reason));
            }
        }
        if self.disk_formats.is_empty() {
            return Err(RulesError::knob_err(
                "disk_formats",
                "is empty: no disk format would be allowed",
            ));
        }
        if !self.disk_formats.contains(&self.default_disk_format) {
            let allowed: Vec<&str> = self.disk_formats.iter().map(|f| f.as_str()).collect();
            let reason = format!(
                "'{}' is not one of the allowed disk_formats ({})",
                self.default_disk_format,
                allowed.join(", ")
            );
            return Err(RulesError::knob_err("default_disk_format", reason));
        }
        let default = &self.default_os_version;
        if let Some(fault) = version_fault(default.version()) {
            return Err(RulesError::knob_err("default_os_version", fault));
        }
        if let Some(row) = self.catalog.get(default.version()) {
            if row != default {
                let fields =
                    |o: &OsVersion| format!("{}/{}/{}", o.os_type(), o.platform(), o.bit());
                let reason = format!(
                    "'{}' derives {} in the catalog, but {} as the default",
                    default.version(),
                    fields(row),
                    fields(default)
                );
                return Err(RulesError::knob_err("default_os_version", reason));
            }
        }
        Ok(())
    }
}

/// Changes the knobs of a rule set; [`RulesBuilder::build`] checks them all. Made by
/// [`Rules::builder`] (from a [`Profile`]) or [`Rules::to_builder`]. Each method is
/// named as the knob is in a rules file ([`Rules::from_json`]).
#[derive(Debug, Clone)]
pub struct RulesBuilder {
    rules: Rules,
    /// A key `updatable` may not name, reported by `build`.
    updatable_error: Option<RulesError>,
}

impl RulesBuilder {
    /// `name_charset`.
    pub fn name_charset(mut self, charset: NameCharset) -> Self {
        self.rules.name_charset = charset;
        self
    }

    /// Both `min_disk` ranges (Linux and Other, and Windows) at once, in GB.
    pub fn min_disk(self, range: RangeInclusive<u32>) -> Self {
        self.min_disk_linux(range.clone()).min_disk_windows(range)
    }

    /// `min_disk_linux`: the `min_disk` range of images whose OS type is Linux or
    /// Other (not empty).
    pub fn min_disk_linux(mut self, range: RangeInclusive<u32>) -> Self {
        self.rules.min_disk_linux = range;
        self
    }

    /// `min_disk_windows`: the `min_disk` range of images whose OS type is Windows (not
    /// empty).
    pub fn min_disk_windows(mut self, range: RangeInclusive<u32>) -> Self {
        self.rules.min_disk_windows = range;
        self
    }

    /// `disk_formats`: the formats a body may send (not empty; repeats are kept once).
    pub fn disk_formats(mut self, formats: impl IntoIterator<Item = DiskFormat>) -> Self {
        let mut list: Vec<DiskFormat> = Vec::new();
        for f in formats {
            if !list.contains(&f) {
                list.push(f);
            }
        }
        self.rules.disk_formats = list;
        self
    }

    /// `default_disk_format`: recorded when a body has none (one of the allowed).
    pub fn default_disk_format(mut self, format: DiskFormat) -> Self {
        self.rules.default_disk_format = format;
        self
    }

    /// The `__os_version` catalog ([`Catalog::builtin`], [`Catalog::from_bytes`], …).
    pub fn catalog(mut self, catalog: Catalog) -> Self {
        self.rules.catalog = catalog;
        self
    }

    /// `default_os_version`: recorded when a body has none; it need not be in the
    /// catalog, but where the catalog has it, it must derive the same fields.
    pub fn default_os_version(mut self, os: OsVersion) -> Self {
        self.rules.default_os_version = os;
        self
    }

    /// `updatable`: the documented fields (and known extensions) an update may change,
    /// replacing the list (the name and the description by default). [`RulesBuilder::build`] refuses `id`, a
    /// read-only or reserved key (they can never be changed by a client), and any key
    /// that is not a documented field (custom properties are always updatable).
    ///
    /// ```
    /// use ims_image_meta::{Profile, Rules};
    ///
    /// let rules = Rules::builder(Profile::Ims2022).updatable(["name", "min_ram"]).build()?;
    /// assert_eq!(rules.updatable().collect::<Vec<_>>(), ["name", "min_ram"]);
    /// let err = Rules::builder(Profile::Ims2022).updatable(["status"]).build().unwrap_err();
    /// assert_eq!(err.knob(), Some("updatable"));
    /// # Ok::<(), ims_image_meta::RulesError>(())
    /// ```
    pub fn updatable<I>(mut self, keys: I) -> Self
    where
        I: IntoIterator,
        I::Item: AsRef<str>,
    {
        let mut bits = 0u16;
        for key in keys {
            let key = key.as_ref();
            let why = match crate::keys::classify(key) {
                crate::keys::KeyKind::Field(crate::keys::Field::Id) => {
                    "is the image's id, which can never be changed"
                }
                crate::keys::KeyKind::Field(f) => {
                    bits |= f.bit();
                    continue;
                }
                crate::keys::KeyKind::ReadOnly => "is read-only (set by the service)",
                crate::keys::KeyKind::Reserved => "is reserved",
                crate::keys::KeyKind::Custom => {
                    "is not a documented field (custom properties are always updatable)"
                }
            };
            if self.updatable_error.is_none() {
                let shown = crate::chars::excerpt(key, crate::message::EXCERPT);
                let reason = format!("'{shown}' {why}");
                self.updatable_error = Some(RulesError::knob_err("updatable", reason));
            }
        }
        self.rules.updatable = bits;
        self
    }

    /// The rule set, if every knob makes sense; else the first knob that does not.
    pub fn build(self) -> Result<Rules, RulesError> {
        if let Some(e) = self.updatable_error {
            return Err(e);
        }
        self.rules.check()?;
        Ok(self.rules)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every profile is a rule set that makes sense, and its default OS is a built-in
    /// value.
    #[test]
    fn every_profile_passes_its_own_checks() {
        for &p in Profile::ALL {
            let rules = Rules::profile(p);
            assert_eq!(rules.check(), Ok(()), "{p}");
            let default = p.knobs().default_os_version;
            assert_eq!(
                Catalog::builtin().get(default),
                Some(rules.default_os_version()),
                "{p}"
            );
            assert_eq!(p.to_string().parse::<Profile>(), Ok(p));
        }
        assert_eq!(Rules::default(), Rules::profile(Profile::Ims2022));
        assert_eq!(
            "OTC".parse::<Profile>().unwrap_err().to_string(),
            "'OTC' is not a valid profile; expected one of: ims-2022, huaweicloud, otc"
        );
    }
}
