//! The stable codes of violations, and the HTTP status each asks for.

use std::fmt;

use serde::{Serialize, Serializer};

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
    /// The body is over the size cap; nothing else is checked. 413.
    BodyTooLarge,
    /// No body, or only whitespace. 400.
    EmptyBody,
    /// Not UTF-8, bad syntax, trailing characters, a lone surrogate, too deep. 400.
    MalformedJson,
    /// The top-level value is not an object. 400.
    NotAnObject,
    /// A key repeated in one object, at any depth. 400.
    DuplicateKey,
    /// The JSON type is not the one the rule wants (`null` included where not allowed). 400.
    WrongType,
    /// A string or key under its length bound. 400.
    TooShort,
    /// A string or key over its length bound. 400.
    TooLong,
    /// An integer outside its bounds. 400.
    OutOfRange,
    /// A string outside its set of allowed values. 400.
    NotAllowed,
    /// A string of the right length with a forbidden character or shape. 400.
    BadFormat,
    /// `__os_version` is not in the catalog. 400.
    UnknownOsVersion,
    /// A character at U+10000 or above in a key or string. 400.
    FourByteUnicode,
    /// U+0000 in a key or string. 400.
    NulCharacter,
    /// More tags or custom properties than the quota. 413.
    TooMany,
    /// A key the service sets itself. 403.
    ReadOnly,
    /// A reserved key or prefix. 403.
    Reserved,
    /// A custom key one typo away from a documented field, under rules that refuse
    /// near misses (`Rules::refuse_near_miss_keys`). 400.
    NearMissKey,
    /// The media type of a PATCH is not one of the two JSON-patch types of the API;
    /// nothing is parsed. 415.
    UnsupportedMediaType,
    /// The patch document is not a JSON array. 400.
    NotAnArray,
    /// An operation of a patch lacks a member it needs (`params.member`). 400.
    Required,
    /// A documented field the update may not change, or may not remove. 403.
    NotUpdatable,
    /// `replace` or `remove` of an attribute the image does not have. 409.
    Conflict,
    /// Removal of a tag the image does not have. 404.
    NotFound,
}

impl Code {
    /// Every code, in the order of the contract's table.
    pub const ALL: &'static [Code] = &[
        Code::BodyTooLarge,
        Code::EmptyBody,
        Code::MalformedJson,
        Code::NotAnObject,
        Code::DuplicateKey,
        Code::WrongType,
        Code::TooShort,
        Code::TooLong,
        Code::OutOfRange,
        Code::NotAllowed,
        Code::BadFormat,
        Code::UnknownOsVersion,
        Code::FourByteUnicode,
        Code::NulCharacter,
        Code::TooMany,
        Code::ReadOnly,
        Code::Reserved,
        Code::NearMissKey,
        Code::UnsupportedMediaType,
        Code::NotAnArray,
        Code::Required,
        Code::NotUpdatable,
        Code::Conflict,
        Code::NotFound,
    ];

    /// The snake_case name, e.g. `"out_of_range"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Code::BodyTooLarge => "body_too_large",
            Code::EmptyBody => "empty_body",
            Code::MalformedJson => "malformed_json",
            Code::NotAnObject => "not_an_object",
            Code::DuplicateKey => "duplicate_key",
            Code::WrongType => "wrong_type",
            Code::TooShort => "too_short",
            Code::TooLong => "too_long",
            Code::OutOfRange => "out_of_range",
            Code::NotAllowed => "not_allowed",
            Code::BadFormat => "bad_format",
            Code::UnknownOsVersion => "unknown_os_version",
            Code::FourByteUnicode => "four_byte_unicode",
            Code::NulCharacter => "nul_character",
            Code::TooMany => "too_many",
            Code::ReadOnly => "read_only",
            Code::Reserved => "reserved",
            Code::NearMissKey => "near_miss_key",
            Code::UnsupportedMediaType => "unsupported_media_type",
            Code::NotAnArray => "not_an_array",
            Code::Required => "required",
            Code::NotUpdatable => "not_updatable",
            Code::Conflict => "conflict",
            Code::NotFound => "not_found",
        }
    }

    /// The HTTP status this code asks for on its own: 415, 403, 404, 409, 413 or 400.
    pub const fn status(self) -> u16 {
        match self {
            Code::UnsupportedMediaType => 415,
            Code::ReadOnly | Code::Reserved | Code::NotUpdatable => 403,
            Code::NotFound => 404,
            Code::Conflict => 409,
            Code::BodyTooLarge | Code::TooMany => 413,
            _ => 400,
        }
    }
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
