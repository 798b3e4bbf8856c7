//! The scalar knobs, one row each: a count, a cap or a switch. A row gives the knob's
//! name (its field, its getter, the builder's setter and the rules file's key), its
//! type, its value in each profile, the bound `RulesBuilder::build` holds it to, and
//! what it means. [`Rules`] itself, the getters, the setters, the rules file's keys
//! (`scalar_rows!`, read by `file`) and the bounds' checks are generated from the
//! rows; the knobs with structure (ranges, lists, the catalog) are written by hand in
//! the parent module.

use std::ops::RangeInclusive;

use crate::catalog::{Catalog, OsVersion};
use crate::rules::{Profile, RulesBuilder, RulesError};
use crate::values::{DiskFormat, NameCharset};

/// Declares the scalar knobs. A row is
/// `name: type = value, bound;` with its doc, where `value` is one value for every
/// profile or `[ims-2022, huaweicloud, otc]` (a value per profile, in
/// [`Profile::ALL`]'s order), and `bound` is `any`, `(at least 1: "why")` or
/// `(at most MAX)`. `others` are the hand-written knobs' fields.
macro_rules! knobs {
    (
        scalars {
            $(
                $(#[$doc:meta])*
                $name:ident: $ty:ty = $value:tt, $bound:tt;
            )+
        }
        others {
            $( $(#[$odoc:meta])* $oname:ident: $oty:ty, )+
        }
    ) => {
        /// The knobs of validation. [`Rules::default`] is the contract's defaults, the
        /// [`Profile::Ims2022`] rule set; [`Rules::profile`] gives another cloud's.
        ///
        /// A rule set is checked when it is built, so that every one there is makes
        /// sense: a body accepted under it derives a request which, written back to
        /// JSON, validates under the same rules to the same request (only the body
        /// size cap is not part of that promise: the written-back body spells out
        /// every default). So the knobs are read through methods, and changed through
        /// [`RulesBuilder`]:
        ///
        /// ```
        /// use ims_image_meta::{validate, Profile, Rules, values::DiskFormat};
        ///
        /// // Open Telekom Cloud, with a smaller body cap.
        /// let rules = Rules::builder(Profile::Otc).max_body_bytes(65_536).build()?;
        /// assert!(validate(br#"{"min_disk": 1}"#, &rules).is_ok());
        /// assert_eq!(rules.default_disk_format(), DiskFormat::Zvhd2);
        ///
        /// // Nonsense is refused, naming the knob.
        /// let err = Rules::builder(Profile::Ims2022).min_disk(50..=40).build().unwrap_err();
        /// assert_eq!(err.knob(), Some("min_disk_linux"));
        /// # Ok::<(), ims_image_meta::RulesError>(())
        /// ```
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        pub struct Rules {
            $( pub(crate) $name: $ty, )+
            $( $(#[$odoc])* pub(crate) $oname: $oty, )+
        }

        /// The knobs written by hand, as [`Rules::assemble`] takes them.
        pub(crate) struct Others {
            $( pub(crate) $oname: $oty, )+
        }

        impl Rules {
            /// `profile`'s scalar knobs and the others given.
            pub(crate) fn assemble(profile: Profile, others: Others) -> Rules {
                Rules {
                    $( $name: knob_value!(profile, $value), )+
                    $( $oname: others.$oname, )+
                }
            }

            $(
                $(#[$doc])*
                pub fn $name(&self) -> $ty {
                    self.$name
                }
            )+

            /// The first scalar knob out of its bound, named.
            pub(crate) fn check_scalars(&self) -> Result<(), RulesError> {
                $( knob_bound!(self, $name, $bound); )+
                Ok(())
            }
        }

        impl RulesBuilder {
            $(
                #[doc = concat!("`", stringify!($name), "`: see [`Rules::", stringify!($name), "`].")]
                pub fn $name(mut self, value: $ty) -> Self {
                    self.rules.$name = value;
                    self
                }
            )+
        }

        /// Hands the scalar rows to `$m!`: `name: type;` each.
        macro_rules! scalar_rows {
            ($m:ident) => {
                $m! { $( $name: $ty; )+ }
            };
        }
        pub(crate) use scalar_rows;
    };
}

/// A row's value under `profile`: the one value, or the profile's of three.
macro_rules! knob_value {
    ($profile:ident, [$ims:expr, $huawei:expr, $otc:expr]) => {
        match $profile {
            Profile::Ims2022 => $ims,
            Profile::HuaweiCloud => $huawei,
            Profile::Otc => $otc,
        }
    };
    ($profile:ident, $value:expr) => {
        $value
    };
}

/// A row's bound, checked.
macro_rules! knob_bound {
    ($rules:ident, $name:ident, any) => {};
    ($rules:ident, $name:ident, (at least 1: $why:literal)) => {
        if $rules.$name == 0 {
            let reason = concat!("must be at least 1 (", $why, ")");
            return Err(RulesError::knob_err(stringify!($name), reason));
        }
    };
    ($rules:ident, $name:ident, (at most $max:expr)) => {
        if $rules.$name > $max {
            let reason = format!("must be at most {}", $max);
            return Err(RulesError::knob_err(stringify!($name), reason));
        }
    };
}

knobs! {
    scalars {
        /// A body longer than this many bytes is refused (413) before it is parsed
        /// (114,688: the OpenStack request-size default).
        max_body_bytes: usize = 114_688, (at least 1: "0 refuses every body");
        /// The most violations a report keeps (100); past it the report says it is
        /// truncated and gives the total. Whatever the body, a report then stays within a
        /// few KiB plus a bounded size per kept violation.
        max_violations: usize = 100, (at least 1: "a report keeps at least one violation");
        /// The most chars `name` may have: 255 (the request table) or 128 (the response
        /// table, the attributes page, Open Telekom Cloud).
        name_max_chars: usize = [255, 255, 128], (at least 1: "0 refuses every name");
        /// The most tags an image may have; more is 413 (128: Glance's `image_tag_quota`).
        max_tags: usize = 128, (at least 1: "0 refuses every tag");
        /// The most custom properties a body may have; more is 413 (128: Glance's
        /// `image_property_quota`).
        max_properties: usize = 128, (at least 1: "0 refuses every custom property");
        /// The most bytes a custom property value may have (65,535).
        property_value_max_bytes: usize = 65_535,
            (at least 1: "0 refuses every custom property value");
        /// The largest `min_ram`, in MB: [`Rules::MIN_RAM_MAX`] (Glance's column) in
        /// every profile. IMS bounds it by its flavors ("参数取值依据云服务器的规格限制"), so
        /// a region may set its largest flavor's memory; at most [`Rules::MIN_RAM_MAX`].
        min_ram_max: u32 = (Rules::MIN_RAM_MAX), (at most Rules::MIN_RAM_MAX);
        /// Whether characters at U+10000 and above are allowed in keys and strings
        /// (`false`: Glance's MySQL columns hold 3-byte UTF-8).
        allow_four_byte_unicode: bool = false, any;
        /// Whether an `__os_version` that is not in the catalog is accepted with a
        /// warning instead of refused (`false`). A client whose catalog is older than
        /// the cloud's should not block its user; a server keeps the default, strict.
        /// The record carries the value as sent; `__os_type`, `__platform` and
        /// `__os_bit` come from a catalog value equal to it but for case and spaces,
        /// else are inferred from its text (`Windows`, `Ubuntu`, `64bit`, …), else are
        /// the default OS's; the warning says which (`os_version_inferred` or
        /// `os_version_not_derived`). An empty value is still refused.
        allow_unknown_os_version: bool = false, any;
        /// Whether messages quote the body's values (true): excerpts of a value not
        /// allowed, a bad UUID, an unknown `__os_version`, the `"50"` of a type hint. A
        /// server that logs reports or shows them in HTML may leave them out; keys and
        /// limits stay.
        quote_input: bool = true, any;
        /// Whether a custom key one typo away from a documented field or a known
        /// extension (`container-format`, `os_version`, `minDisk`) is refused (400
        /// `near_miss_key`) rather than accepted with a warning (false, the default).
        refuse_near_miss_keys: bool = false, any;
    }
    others {
        name_charset: NameCharset,
        min_disk_linux: RangeInclusive<u32>,
        min_disk_windows: RangeInclusive<u32>,
        disk_formats: Vec<DiskFormat>,
        default_disk_format: DiskFormat,
        catalog: Catalog,
        default_os_version: OsVersion,
        /// The documented fields an update may change, a bit per [`crate::keys::Field`].
        updatable: u16,
    }
}
