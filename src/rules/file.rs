//! A rule set from a JSON document (a region's rules file): a profile to start from and
//! the knobs to change, by name.

use crate::rules::knobs::scalar_rows;
use crate::rules::{Profile, Rules, RulesBuilder, RulesError};
use crate::values::DiskFormat;
use crate::values::NameCharset;

/// The document: every knob optional, unknown names refused. The scalar knobs come
/// from their rows (`knobs`), after the hand-written ones.
macro_rules! rules_file {
    ($($name:ident: $ty:ty;)+) => {
        #[derive(serde::Deserialize)]
        #[serde(deny_unknown_fields)]
        struct RulesFile {
            profile: Option<String>,
            /// Free text for the reader (where the values come from); not a knob.
            #[allow(dead_code)] // Read only to be allowed.
            description: Option<String>,
            name_charset: Option<String>,
            min_disk_linux: Option<[u32; 2]>,
            min_disk_windows: Option<[u32; 2]>,
            disk_formats: Option<Vec<String>>,
            default_disk_format: Option<String>,
            default_os_version: Option<String>,
            updatable: Option<Vec<String>>,
            $( $name: Option<$ty>, )+
        }

        impl RulesFile {
            /// Sets the scalar knobs the file gives.
            fn scalars(&self, mut b: RulesBuilder) -> RulesBuilder {
                $( if let Some(v) = self.$name {
                    b = b.$name(v);
                } )+
                b
            }
        }
    };
}
scalar_rows!(rules_file);

impl Rules {
    /// A rule set from a JSON object: `"profile"` (`ims-2022`, the default;
    /// `huaweicloud`; `otc`) to start from, then any knob by name:
    ///
    /// | key | JSON value |
    /// |---|---|
    /// | `max_body_bytes`, `name_max_chars`, `max_tags`, `max_properties`, `property_value_max_bytes`, `max_violations` | integer ≥ 1 |
    /// | `min_ram_max` | integer ≤ 2,147,483,647 |
    /// | `name_charset` | `"ims"`, `"ims-no-cjk"` or `"any"` |
    /// | `min_disk_linux`, `min_disk_windows` | `[lo, hi]`, GB, `lo ≤ hi` |
    /// | `disk_formats` | array of `vhd` `zvhd` `zvhd2` `raw` `qcow2` `iso`, not empty |
    /// | `default_disk_format` | one of `disk_formats` |
    /// | `allow_four_byte_unicode`, `allow_unknown_os_version`, `quote_input`, `refuse_near_miss_keys` | boolean |
    /// | `default_os_version` | a value of the built-in catalog (it brings its fields) |
    /// | `updatable` | array of documented field keys an update may change (never `id`, a read-only or a reserved key) |
    /// | `description` | free text, ignored |
    ///
    /// A knob that is absent (or `null`) keeps the profile's value; an unknown key is
    /// an error, never ignored. The catalog is not in the file: set it with
    /// [`RulesBuilder::catalog`](crate::RulesBuilder::catalog). Errors give the place
    /// (line and column, or the knob) and the reason.
    ///
    /// ```
    /// let rules = ims_image_meta::Rules::from_json(br#"{
    ///     "profile": "huaweicloud",
    ///     "min_disk_linux": [40, 255],
    ///     "min_disk_windows": [40, 255]
    /// }"#)?;
    /// assert_eq!(rules.min_disk_linux(), 40..=255);
    /// let err = ims_image_meta::Rules::from_json(br#"{"min_disk": [1, 2]}"#).unwrap_err();
    /// assert!(err.to_string().starts_with("rules JSON: unknown field `min_disk`"));
    /// # Ok::<(), ims_image_meta::RulesError>(())
    /// ```
    pub fn from_json(json: &[u8]) -> Result<Rules, RulesError> {
        let file: RulesFile =
            serde_json::from_slice(json).map_err(|e| RulesError::Json(e.to_string()))?;
        let profile = match &file.profile {
            Some(name) => name
                .parse::<Profile>()
                .map_err(|e| RulesError::knob_err("profile", e.to_string()))?,
            None => Profile::default(),
        };
        let mut b = file.scalars(Rules::builder(profile));
        let format = |k: &'static str, text: &str| {
            text.parse::<DiskFormat>()
                .map_err(|e| RulesError::knob_err(k, e.to_string()))
        };
        if let Some(name) = &file.name_charset {
            let charset = name.parse::<NameCharset>().ok().ok_or_else(|| {
                RulesError::knob_err(
                    "name_charset",
                    format!("'{name}' is not one of 'ims', 'ims-no-cjk', 'any'"),
                )
            })?;
            b = b.name_charset(charset);
        }
        if let Some([lo, hi]) = file.min_disk_linux {
            b = b.min_disk_linux(lo..=hi);
        }
        if let Some([lo, hi]) = file.min_disk_windows {
            b = b.min_disk_windows(lo..=hi);
        }
        if let Some(list) = &file.disk_formats {
            let formats = list
                .iter()
                .map(|f| format("disk_formats", f))
                .collect::<Result<Vec<_>, _>>()?;
            b = b.disk_formats(formats);
        }
        if let Some(f) = &file.default_disk_format {
            b = b.default_disk_format(format("default_disk_format", f)?);
        }
        if let Some(keys) = &file.updatable {
            b = b.updatable(keys);
        }
        if let Some(v) = &file.default_os_version {
            let os = b.rules.catalog.get(v).cloned().ok_or_else(|| {
                RulesError::knob_err(
                    "default_os_version",
                    format!("'{v}' is not a value of the catalog"),
                )
            })?;
            b = b.default_os_version(os);
        }
        b.build()
    }
}
