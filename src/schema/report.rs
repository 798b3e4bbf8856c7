//! The JSON Schema of a rendered report, with each code's `params`.

use serde_json::{json, Value};

use super::strings;
use crate::code::Code;

/// A JSON Schema (draft 2020-12) of a rendered report (`{"status", "violations",
/// "truncated"?, "total"?}`, in any locale), with the `params` of each code: what a
/// client may rely on to build its own messages (each code's from its row of the
/// fault table, `code.rs`).
pub fn report_schema() -> Value {
    let by_code: Vec<Value> = Code::ALL
        .iter()
        .map(|code| {
            json!({
                "if": { "properties": { "code": { "const": code.as_str() } } },
                "then": { "properties": { "params": code.params_schema() } },
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
