//! The stable codes of violations, and the HTTP status each asks for.

use std::fmt;

use serde::{Serialize, Serializer};

/// The fault table: one row per code, in the order of the contract's table. A row is
/// the variant's doc, the variant, its snake_case name and its HTTP status; the enum,
/// [`Code::ALL`], [`Code::as_str`] and [`Code::status`] are generated from it, and
/// `tests/layout.rs` holds `docs/rules.md`'s and `docs/contract.md`'s code tables to it.
macro_rules! faults {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal, $status:literal;)+) => {
        /// The stable code of a violation (`docs/contract.md`, "Violation codes").
        /// Serializes as its snake_case name, and reads back from it.
        ///
        /// ```
        /// use ims_image_meta::Code;
        ///
        /// let code: Code = "out_of_range".parse()?;
        /// assert_eq!(code, Code::OutOfRange);
        /// assert_eq!(code.status(), 400);
        /// assert_eq!(serde_json::to_string(&Code::ReadOnly)?, r#""read_only""#);
        /// assert_eq!(serde_json::from_str::<Code>(r#""too_many""#)?.status(), 413);
        /// assert!(serde_json::from_str::<Code>(r#""no_such_code""#).is_err());
        /// # Ok::<(), Box<dyn std::error::Error>>(())
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[doc = $doc])+ $variant,)+
        }

        impl Code {
            /// Every code, in the order of the contract's table.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The snake_case name, e.g. `"out_of_range"`.
            pub const fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $name,)+
                }
            }

            /// The HTTP status this code asks for on its own: 415, 403, 404, 409, 413 or 400.
            pub const fn status(self) -> u16 {
                match self {
                    $(Code::$variant => $status,)+
                }
            }
        }
    };
}

faults! {
    /// The body is over the size cap; nothing else is checked. 413.
    BodyTooLarge = "body_too_large", 413;
    /// No body, or only whitespace. 400.
    EmptyBody = "empty_body", 400;
    /// Not UTF-8, bad syntax, trailing characters, a lone surrogate, too deep. 400.
    MalformedJson = "malformed_json", 400;
    /// The top-level value is not an object. 400.
    NotAnObject = "not_an_object", 400;
    /// A key repeated in one object, at any depth. 400.
    DuplicateKey = "duplicate_key", 400;
    /// The JSON type is not the one the rule wants (`null` included where not allowed). 400.
    WrongType = "wrong_type", 400;
    /// A string or key under its length bound. 400.
    TooShort = "too_short", 400;
    /// A string or key over its length bound. 400.
    TooLong = "too_long", 400;
    /// An integer outside its bounds. 400.
    OutOfRange = "out_of_range", 400;
    /// A string outside its set of allowed values. 400.
    NotAllowed = "not_allowed", 400;
    /// A string of the right length with a forbidden character or shape. 400.
    BadFormat = "bad_format", 400;
    /// `__os_version` is not in the catalog. 400.
    UnknownOsVersion = "unknown_os_version", 400;
    /// A character at U+10000 or above in a key or string. 400.
    FourByteUnicode = "four_byte_unicode", 400;
    /// U+0000 in a key or string. 400.
    NulCharacter = "nul_character", 400;
    /// More tags or custom properties than the quota. 413.
    TooMany = "too_many", 413;
    /// A key the service sets itself. 403.
    ReadOnly = "read_only", 403;
    /// A reserved key or prefix. 403.
    Reserved = "reserved", 403;
    /// A custom key one typo away from a documented field, under rules that refuse
    /// near misses (`Rules::refuse_near_miss_keys`). 400.
    NearMissKey = "near_miss_key", 400;
    /// The media type of a PATCH is not one of the two JSON-patch types of the API;
    /// nothing is parsed. 415.
    UnsupportedMediaType = "unsupported_media_type", 415;
    /// The patch document is not a JSON array. 400.
    NotAnArray = "not_an_array", 400;
    /// An operation of a patch lacks a member it needs (`params.member`). 400.
    Required = "required", 400;
    /// A documented field the update may not change, or may not remove. 403.
    NotUpdatable = "not_updatable", 403;
    /// `replace` or `remove` of an attribute the image does not have. 409.
    Conflict = "conflict", 409;
    /// Removal of a tag the image does not have. 404.
    NotFound = "not_found", 404;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Code {
    type Err = crate::values::ParseValueError;

    /// The code spelled exactly `s` (snake_case, case-sensitive).
    ///
    /// ```
    /// use ims_image_meta::Code;
    /// assert_eq!("out_of_range".parse::<Code>(), Ok(Code::OutOfRange));
    /// assert!("OutOfRange".parse::<Code>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Code, Self::Err> {
        Code::ALL
            .iter()
            .copied()
            .find(|c| c.as_str() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
                crate::values::ParseValueError::new("violation code", s, &names)
            })
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}
