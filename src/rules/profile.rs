//! The named rule sets (SPEC section 7): which clouds' editions of the call the knobs
//! can start from. Pure data: `Rules::profile` builds a rule set from it.

use crate::values::DiskFormat;
use crate::values::NameCharset;

crate::values::wire_enum! {
    /// A named starting point for [`Rules`](crate::Rules): the knobs of one cloud's edition
    /// of `POST /v2/images`. Every knob can still be changed afterwards
    /// ([`Rules::builder`](crate::Rules::builder)).
    ///
    /// ```
    /// use ims_image_meta::{validate, Profile, Rules};
    ///
    /// let profile: Profile = "huaweicloud".parse()?;
    /// let rules = Rules::profile(profile);
    /// assert!(validate(br#"{"__os_version": "CentOS 7.6 64bit", "min_disk": 10}"#, &rules).is_ok());
    /// assert!(validate(br#"{"min_disk": 10}"#, &Rules::default()).is_err()); // ims-2022: 40
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[derive(Default)]
    Profile, "profile" {
        /// `ims-2022`: the IMS API page of 2022 this crate's contract comes from (the
        /// default).
        #[default]
        Ims2022 => "ims-2022",
        /// `huaweicloud`: Huawei Cloud's current docs and its own Terraform provider.
        HuaweiCloud => "huaweicloud",
        /// `otc`: Open Telekom Cloud's edition of the API.
        Otc => "otc",
    }
}

/// The knobs a profile sets (the others are the same in every profile).
pub(crate) struct Knobs {
    pub(crate) min_disk_linux: (u32, u32),
    pub(crate) min_disk_windows: (u32, u32),
    pub(crate) disk_formats: &'static [DiskFormat],
    pub(crate) default_disk_format: DiskFormat,
    pub(crate) name_charset: NameCharset,
    pub(crate) default_os_version: &'static str,
}

impl Profile {
    /// Where the profile's values come from.
    pub const fn source(self) -> &'static str {
        match self {
            Profile::Ims2022 => "the IMS API page (2022), this crate's contract",
            Profile::HuaweiCloud => "Huawei Cloud docs and its Terraform provider (2026)",
            Profile::Otc => "Open Telekom Cloud docs (2025)",
        }
    }

    pub(crate) const fn knobs(self) -> Knobs {
        use DiskFormat::{Iso, Qcow2, Raw, Vhd, Zvhd, Zvhd2};
        match self {
            Profile::Ims2022 => Knobs {
                min_disk_linux: (40, 1024),
                min_disk_windows: (40, 1024),
                disk_formats: &[Vhd, Zvhd, Zvhd2, Raw, Qcow2],
                default_disk_format: Vhd,
                name_charset: NameCharset::Ims,
                default_os_version: "Other Linux(64 bit)",
            },
            Profile::HuaweiCloud => Knobs {
                min_disk_linux: (10, 1024),
                min_disk_windows: (20, 1024),
                disk_formats: &[Zvhd2, Vhd, Raw, Qcow2, Iso],
                default_disk_format: Zvhd2,
                name_charset: NameCharset::Ims,
                default_os_version: "Other Linux (64 bit)",
            },
            Profile::Otc => Knobs {
                min_disk_linux: (1, 1024),
                min_disk_windows: (1, 1024),
                disk_formats: &[Zvhd2, Vhd, Raw, Qcow2],
                default_disk_format: Zvhd2,
                name_charset: NameCharset::ImsNoCjk,
                default_os_version: "Other Linux(64 bit)",
            },
        }
    }
}
