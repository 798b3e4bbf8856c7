//! The stable codes of violations, and the HTTP status each asks for.

use serde_json::{json, Value};

// The parts the rows' `params` schemas are made of.
fn int() -> Value {
    json!({ "type": "integer", "minimum": 0 })
}
fn string() -> Value {
    json!({ "type": "string" })
}
fn obj(props: Value, required: &[&str]) -> Value {
    json!({
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": false,
    })
}
/// A JSON type, as the params name it.
fn types() -> Value {
    json!({ "enum": ["null", "boolean", "integer", "number", "string", "array", "object", "unknown"] })
}
/// `{limit, actual, unit}`, the unit one of `units`.
fn limit(units: &[&str]) -> Value {
    obj(
        json!({ "limit": int(), "actual": int(), "unit": { "enum": units } }),
        &["limit", "actual", "unit"],
    )
}
/// `{key}`.
fn key() -> Value {
    obj(json!({ "key": string() }), &["key"])
}
/// `{allowed}`: a non-empty list of strings.
fn allowed() -> Value {
    obj(
        json!({ "allowed": { "type": "array", "items": string(), "minItems": 1 } }),
        &["allowed"],
    )
}

/// The fault table: one row per code, in the order of the contract's table. A row is
/// the variant's doc, the variant, its snake_case name, its HTTP status and the JSON
/// Schema of its `params`; the enum, [`Code::ALL`], [`Code::as_str`], [`Code::status`]
/// and the report schema's `params` of each code are generated from it, and
/// `tests/layout.rs` holds `docs/rules.md`'s and `docs/contract.md`'s code tables to it.
/// A code's messages and the writing of its `params` are its details' rows
/// (`message/details.rs`).
macro_rules! faults {
    ($($(#[doc = $doc:literal])+ $variant:ident = $name:literal, $status:literal, params: $params:expr;)+) => {
        crate::values::wire_enum! {
            /// The stable code of a violation (`docs/contract.md`, "Violation codes").
            /// Serializes as its snake_case name, and reads it back from it
            /// (case-sensitively).
            ///
            /// ```
            /// use ims_image_meta::Code;
            ///
            /// let code: Code = "out_of_range".parse()?;
            /// assert_eq!(code, Code::OutOfRange);
            /// assert!("OutOfRange".parse::<Code>().is_err());
            /// assert_eq!(code.status(), 400);
            /// assert_eq!(serde_json::to_string(&Code::ReadOnly)?, r#""read_only""#);
            /// assert_eq!(serde_json::from_str::<Code>(r#""too_many""#)?.status(), 413);
            /// assert!(serde_json::from_str::<Code>(r#""no_such_code""#).is_err());
            /// # Ok::<(), Box<dyn std::error::Error>>(())
            /// ```
            Code, "violation code" {
                $($(#[doc = $doc])+ $variant => $name,)+
            }
        }

        impl Code {
            /// The HTTP status this code asks for on its own: 415, 403, 404, 409, 413 or 400.
            pub const fn status(self) -> u16 {
                match self {
                    $(Code::$variant => $status,)+
                }
            }

            /// The JSON Schema of this code's `params` (what `report_schema()` gives
            /// each code).
            pub(crate) fn params_schema(self) -> Value {
                match self {
                    $(Code::$variant => $params,)+
                }
            }
        }
    };
}

faults! {
    /// The body is over the size cap; nothing else is checked. 413.
    BodyTooLarge = "body_too_large", 413,
        params: limit(&["bytes"]);
    /// No body, or only whitespace. 400.
    EmptyBody = "empty_body", 400,
        params: obj(json!({}), &[]);
    /// Not UTF-8, bad syntax, trailing characters, a lone surrogate, too deep. 400.
    MalformedJson = "malformed_json", 400,
        params: obj(json!({ "line": int(), "column": int() }), &["line", "column"]);
    /// The top-level value is not an object. 400.
    NotAnObject = "not_an_object", 400,
        params: obj(json!({ "expected": { "const": "object" }, "actual": types() }), &["expected", "actual"]);
    /// A key repeated in one object, at any depth. 400.
    DuplicateKey = "duplicate_key", 400,
        params: key();
    /// The JSON type is not the one the rule wants (`null` included where not allowed). 400.
    WrongType = "wrong_type", 400,
        params: obj(json!({ "expected": types(), "actual": types(), "hint": string() }), &["expected", "actual"]);
    /// A string or key under its length bound. 400.
    TooShort = "too_short", 400,
        params: limit(&["chars"]);
    /// A string or key over its length bound. 400.
    TooLong = "too_long", 400,
        params: limit(&["chars", "bytes"]);
    /// An integer outside its bounds. 400.
    OutOfRange = "out_of_range", 400,
        params: obj(json!({ "min": int(), "max": int(), "actual": { "type": ["integer", "null"] } }), &["min", "max", "actual"]);
    /// A string outside its set of allowed values. 400.
    NotAllowed = "not_allowed", 400,
        params: allowed();
    /// A string of the right length with a forbidden character or shape. 400.
    BadFormat = "bad_format", 400,
        params: obj(json!({ "format": { "enum": ["uuid", "no_edge_spaces", "name_charset", "description_chars", "one_operation", "json_pointer_one_token"] }, "char": { "type": "string", "pattern": "^U\\+[0-9A-F]{4,6}$" } }), &["format"]);
    /// `__os_version` is not in the catalog. 400.
    UnknownOsVersion = "unknown_os_version", 400,
        params: obj(json!({ "suggestions": { "type": "array", "items": string(), "maxItems": 3 } }), &["suggestions"]);
    /// A character at U+10000 or above in a key or string. 400.
    FourByteUnicode = "four_byte_unicode", 400,
        params: obj(json!({ "char": { "type": "string", "pattern": "^U\\+[0-9A-F]{5,6}$" } }), &["char"]);
    /// U+0000 in a key or string. 400.
    NulCharacter = "nul_character", 400,
        params: obj(json!({}), &[]);
    /// More tags or custom properties than the quota. 413.
    TooMany = "too_many", 413,
        params: obj(json!({ "limit": int(), "actual": int() }), &["limit", "actual"]);
    /// A key the service sets itself. 403.
    ReadOnly = "read_only", 403,
        params: key();
    /// A reserved key or prefix. 403.
    Reserved = "reserved", 403,
        params: key();
    /// A custom key one typo away from a documented field, under rules that refuse
    /// near misses (`Rules::refuse_near_miss_keys`). 400.
    NearMissKey = "near_miss_key", 400,
        params: obj(json!({ "key": string(), "meant": string() }), &["key", "meant"]);
    /// The media type of a PATCH is not one of the two JSON-patch types of the API;
    /// nothing is parsed. 415.
    UnsupportedMediaType = "unsupported_media_type", 415,
        params: allowed();
    /// The patch document is not a JSON array. 400.
    NotAnArray = "not_an_array", 400,
        params: obj(json!({ "expected": { "const": "array" }, "actual": types() }), &["expected", "actual"]);
    /// An operation of a patch lacks a member it needs (`params.member`). 400.
    Required = "required", 400,
        params: obj(json!({ "member": { "enum": ["op", "path", "value", "add"] } }), &["member"]);
    /// A documented field the update may not change, or may not remove. 403.
    NotUpdatable = "not_updatable", 403,
        params: obj(json!({ "key": string(), "op": { "enum": ["change", "remove"] } }), &["key", "op"]);
    /// `replace` or `remove` of an attribute the image does not have. 409.
    Conflict = "conflict", 409,
        params: obj(json!({ "key": string(), "op": { "enum": ["replace", "remove"] } }), &["key", "op"]);
    /// Removal of a tag the image does not have. 404.
    NotFound = "not_found", 404,
        params: json!({ "oneOf": [obj(json!({ "tag": { "type": ["string", "null"] } }), &["tag"]), obj(json!({ "image_id": { "type": ["string", "null"] } }), &["image_id"])] });
}
