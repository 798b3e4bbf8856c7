//! The JSON Schema of a rendered report, with each code's `params`.

use serde_json::{json, Value};

use super::strings;
use crate::code::Code;

/// A JSON Schema (draft 2020-12) of a rendered report (`{"status", "violations",
/// "truncated"?, "total"?}`, in any locale), with the `params` of each code: what a
/// client may rely on to build its own messages.
pub fn report_schema() -> Value {
    let int = || json!({ "type": "integer", "minimum": 0 });
    let string = || json!({ "type": "string" });
    let obj = |props: Value, required: &[&str]| {
        json!({
            "type": "object",
            "properties": props,
            "required": required,
            "additionalProperties": false,
        })
    };
    let types = json!({ "enum": ["null", "boolean", "integer", "number", "string", "array", "object", "unknown"] });
    let limit = |units: &[&str]| {
        obj(
            json!({ "limit": int(), "actual": int(), "unit": { "enum": units } }),
            &["limit", "actual", "unit"],
        )
    };
    let key = || obj(json!({ "key": string() }), &["key"]);
    let params: Vec<(Code, Value)> = vec![
        (Code::BodyTooLarge, limit(&["bytes"])),
        (Code::EmptyBody, obj(json!({}), &[])),
        (
            Code::MalformedJson,
            obj(
                json!({ "line": int(), "column": int() }),
                &["line", "column"],
            ),
        ),
        (
            Code::NotAnObject,
            obj(
                json!({ "expected": { "const": "object" }, "actual": types }),
                &["expected", "actual"],
            ),
        ),
        (Code::DuplicateKey, key()),
        (
            Code::WrongType,
            obj(
                json!({ "expected": types, "actual": types, "hint": string() }),
                &["expected", "actual"],
            ),
        ),
        (Code::TooShort, limit(&["chars"])),
        (Code::TooLong, limit(&["chars", "bytes"])),
        (
            Code::OutOfRange,
            obj(
                json!({ "min": int(), "max": int(), "actual": { "type": ["integer", "null"] } }),
                &["min", "max", "actual"],
            ),
        ),
        (
            Code::NotAllowed,
            obj(
                json!({ "allowed": { "type": "array", "items": string(), "minItems": 1 } }),
                &["allowed"],
            ),
        ),
        (
            Code::BadFormat,
            obj(
                json!({
                    "format": { "enum": ["uuid", "no_edge_spaces", "name_charset", "description_chars", "one_operation", "json_pointer_one_token"] },
                    "char": { "type": "string", "pattern": "^U\\+[0-9A-F]{4,6}$" },
                }),
                &["format"],
            ),
        ),
        (
            Code::UnknownOsVersion,
            obj(
                json!({ "suggestions": { "type": "array", "items": string(), "maxItems": 3 } }),
                &["suggestions"],
            ),
        ),
        (
            Code::FourByteUnicode,
            obj(
                json!({ "char": { "type": "string", "pattern": "^U\\+[0-9A-F]{5,6}$" } }),
                &["char"],
            ),
        ),
        (Code::NulCharacter, obj(json!({}), &[])),
        (
            Code::TooMany,
            obj(
                json!({ "limit": int(), "actual": int() }),
                &["limit", "actual"],
            ),
        ),
        (Code::ReadOnly, key()),
        (Code::Reserved, key()),
        (
            Code::NearMissKey,
            obj(
                json!({ "key": string(), "meant": string() }),
                &["key", "meant"],
            ),
        ),
        (
            Code::UnsupportedMediaType,
            obj(
                json!({ "allowed": { "type": "array", "items": string(), "minItems": 1 } }),
                &["allowed"],
            ),
        ),
        (
            Code::NotAnArray,
            obj(
                json!({ "expected": { "const": "array" }, "actual": types }),
                &["expected", "actual"],
            ),
        ),
        (
            Code::Required,
            obj(
                json!({ "member": { "enum": ["op", "path", "value", "add"] } }),
                &["member"],
            ),
        ),
        (
            Code::NotUpdatable,
            obj(
                json!({ "key": string(), "op": { "enum": ["change", "remove"] } }),
                &["key", "op"],
            ),
        ),
        (
            Code::Conflict,
            obj(
                json!({ "key": string(), "op": { "enum": ["replace", "remove"] } }),
                &["key", "op"],
            ),
        ),
        (
            Code::NotFound,
            json!({
                "oneOf": [
                    obj(json!({ "tag": { "type": ["string", "null"] } }), &["tag"]),
                    obj(json!({ "image_id": { "type": ["string", "null"] } }), &["image_id"]),
                ],
            }),
        ),
    ];
    debug_assert_eq!(params.len(), Code::ALL.len());
    let by_code: Vec<Value> = params
        .into_iter()
        .map(|(code, p)| {
            json!({
                "if": { "properties": { "code": { "const": code.as_str() } } },
                "then": { "properties": { "params": p } },
            })
        })
        .collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "ims-image-meta report (4xx answer of POST /v2/images and of the update calls, Glance shape)",
        "type": "object",
        "properties": {
            "status": { "enum": [400, 403, 404, 409, 413, 415] },
            "violations": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "pointer": { "type": "string", "pattern": "^(/([^~]|~[01])*)*$" },
                        "code": { "enum": strings(Code::ALL.iter().map(|c| c.as_str())) },
                        "message": { "type": "string", "minLength": 1 },
                        "ims_code": { "type": ["string", "null"], "pattern": "^IMG\\.[0-9]{4}$" },
                        "params": { "type": "object" },
                    },
                    "required": ["pointer", "code", "message", "ims_code", "params"],
                    "additionalProperties": false,
                    "allOf": by_code,
                },
            },
            "truncated": { "const": true },
            "total": { "type": "integer", "minimum": 1 },
        },
        "required": ["status", "violations"],
        "dependentRequired": { "truncated": ["total"], "total": ["truncated"] },
        "additionalProperties": false,
    })
}
