//! The API as an OpenAPI 3.1 document: the create, read, update and delete calls of
//! `/v2/images` and the tag calls, their bodies and every answer, built from the same
//! schemas as `--schema` (so it cannot drift from them) and the kit's cases as
//! examples.

use serde_json::{json, Map, Value};

use super::{patch_schema, record_schema, report_schema, request_schema};
use crate::code::Code;
use crate::keys::Field;
use crate::kit::{self, Case, Source};
use crate::rules::Rules;
use crate::update::MEDIA_TYPES;

/// A body larger than this is left out of the examples (a document for people and
/// generators, not a corpus).
const EXAMPLE_MAX_BYTES: usize = 2048;

/// What a client generator loses from this document, said in its `info.description`.
pub const GENERATOR_LIMITS: &[&str] = &[
    "if/then/else: the per-OS-type min_disk range, each patch path's value rule and the report's params by code are given that way; generators that ignore them keep the plain bounds (min_disk's union range) and the types",
    "patternProperties and propertyNames (custom properties: their keys and values)",
    "the checks no schema says: duplicate keys, the body cap, the catalog's spelling suggestions, the status precedence (403 > 409 > 413 > 400), the patch's order and the image's state",
];

/// The OpenAPI 3.1 document of the calls under `rules`: `POST`, `GET`, `PATCH` and
/// `DELETE` of `/v2/images[/{image_id}]`, `PUT` and `DELETE` of
/// `/v2/images/{image_id}/tags/{tag}`, each with an `operationId` and a response per
/// status in the three error shapes (Glance's and IMS's as `application/json`,
/// RFC 9457 as `application/problem+json`). Named components: the create request, the
/// image record, the three error shapes, and a v2.1 and a v2.0 patch document. The
/// create request's examples are the kit's simplest cases: one valid body and one per
/// code the rules allow.
///
/// ```
/// let doc = ims_image_meta::schema::openapi(&ims_image_meta::Rules::default());
/// assert_eq!(doc["openapi"], "3.1.0");
/// assert_eq!(doc["paths"]["/v2/images"]["post"]["operationId"], "createImage");
/// assert!(doc["components"]["schemas"]["ImageRecord"].is_object());
/// ```
pub fn openapi(rules: &Rules) -> Value {
    let mut schemas = Map::new();
    let mut add = |name: &str, schema: Value| {
        let schema = hoist(name, schema, &mut schemas);
        schemas.insert(name.to_owned(), schema);
    };
    add("CreateImageRequest", request_schema(rules));
    add("ImageRecord", record_schema());
    add("GlanceError", report_schema());
    add("ImsError", ims_error_schema());
    add("Problem", problem_schema());
    add("PatchV2_1", patch_schema(rules));
    // The v2.0 document from the v2.1 one as hoisted (its `$ref`s already point at
    // the v2.1 one's definitions).
    let v20 = patch_v2_0(&schemas["PatchV2_1"]);
    schemas.insert("PatchV2_0".to_owned(), v20);

    let limits: Vec<String> = GENERATOR_LIMITS.iter().map(|l| format!("- {l}")).collect();
    let image_id = json!({
        "name": "image_id", "in": "path", "required": true,
        "schema": { "type": "string" },
    });
    // A tag as create judges one (its length, its characters under the rules).
    let tag_schema =
        schemas["CreateImageRequest"]["properties"][Field::Tags.key()]["items"].clone();
    let tag = json!({
        "name": "tag", "in": "path", "required": true,
        "description": "The tag, percent-encoded in the URL (judged as create judges one tag).",
        "schema": tag_schema,
    });
    let record = |status: &str, what: &str| {
        json!({ status: {
            "description": what,
            "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ImageRecord" } } },
        }})
    };
    let no_content = |what: &str| json!({ "204": { "description": what } });
    json!({
        "openapi": "3.1.0",
        "jsonSchemaDialect": "https://json-schema.org/draft/2020-12/schema",
        "info": {
            "title": "IMS image metadata (OpenStack-native, Glance-compatible)",
            "version": env!("CARGO_PKG_VERSION"),
            "description": format!(
                "The calls ims-image-meta judges, under one rule set. A refusal answers \
                 in Glance's shape or IMS's (`application/json`) or as RFC 9457 problem \
                 details (`application/problem+json`). What a client generator will \
                 lose:\n{}",
                limits.join("\n")
            ),
        },
        "paths": {
            "/v2/images": {
                "post": operation(
                    "createImage",
                    "Create an image's metadata",
                    None,
                    Some(json!({
                        "required": true,
                        "content": { "application/json": {
                            "schema": { "$ref": "#/components/schemas/CreateImageRequest" },
                            "examples": create_examples(rules),
                        }},
                    })),
                    with_415(record("201", "The image record (the 201 body).")),
                    &[400, 403, 413],
                ),
            },
            "/v2/images/{image_id}": {
                "get": operation("getImage", "Read an image", Some(&[&image_id]), None,
                    record("200", "The image record."), &[404]),
                "patch": operation(
                    "updateImage",
                    "Update an image by a JSON-patch document",
                    Some(&[&image_id]),
                    Some(json!({
                        "required": true,
                        "content": {
                            MEDIA_TYPES[0]: {
                                "schema": { "$ref": "#/components/schemas/PatchV2_1" },
                                "examples": { "rename": { "value": [{"op": "replace", "path": "/name", "value": "web-2"}] } },
                            },
                            MEDIA_TYPES[1]: {
                                "schema": { "$ref": "#/components/schemas/PatchV2_0" },
                                "examples": { "rename": { "value": [{"replace": "/name", "value": "web-2"}] } },
                            },
                        },
                    })),
                    record("200", "The image as the patch left it."),
                    &[400, 403, 404, 409, 413, 415],
                ),
                "delete": operation("deleteImage", "Delete an image", Some(&[&image_id]), None,
                    no_content("Deleted."), &[404]),
            },
            "/v2/images/{image_id}/tags/{tag}": {
                "put": operation("addImageTag", "Add a tag to an image", Some(&[&image_id, &tag]),
                    None, no_content("Added, or the image had it already."), &[400, 404, 413]),
                "delete": operation("removeImageTag", "Remove a tag from an image",
                    Some(&[&image_id, &tag]), None, no_content("Removed."), &[404]),
            },
        },
        "components": { "schemas": schemas },
    })
}

/// `responses` with the 415 of a create body not sent as JSON (an integration's
/// answer, before the crate reads it: no body, `Accept-Post` says what to send).
fn with_415(mut responses: Value) -> Value {
    responses["415"] = json!({
        "description": "The body was not sent as `application/json` (or a `+json` type): nothing judged.",
        "headers": { "Accept-Post": { "schema": { "type": "string", "const": "application/json" } } },
    });
    responses
}

/// One operation: its id, summary, parameters, body, success response and refusals.
fn operation(
    id: &str,
    summary: &str,
    parameters: Option<&[&Value]>,
    body: Option<Value>,
    success: Value,
    refusals: &[u16],
) -> Value {
    let mut responses = success.as_object().cloned().unwrap_or_default();
    for &status in refusals {
        responses.insert(status.to_string(), refusal(status));
    }
    let mut op = json!({ "operationId": id, "summary": summary, "responses": responses });
    if let Some(p) = parameters {
        op["parameters"] = json!(p);
    }
    if let Some(b) = body {
        op["requestBody"] = b;
    }
    op
}

/// A refusal with `status`: which codes give it, in the three error shapes.
fn refusal(status: u16) -> Value {
    let codes: Vec<&str> = Code::ALL
        .iter()
        .filter(|c| c.status() == status)
        .map(|c| c.as_str())
        .collect();
    let description = if status == 404 {
        "No image with that id (the server's store), or DELETE of a tag the image does not have (`not_found`).".to_owned()
    } else {
        let codes: Vec<String> = codes.iter().map(|c| format!("`{c}`")).collect();
        format!("Refused: {}.", codes.join(", "))
    };
    let mut out = json!({
        "description": description,
        "content": {
            "application/json": { "schema": { "oneOf": [
                { "$ref": "#/components/schemas/GlanceError" },
                { "$ref": "#/components/schemas/ImsError" },
            ]}},
            "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } },
        },
    });
    if status == 415 {
        out["headers"] = json!({ "Accept-Patch": {
            "description": "The two patch media types, v2.1 first.",
            "schema": { "type": "string", "const": crate::update::ACCEPT_PATCH },
        }});
    }
    out
}

/// The kit's simplest cases as the create request's examples: `valid`, then one per
/// code (named by it) whose body is a JSON value and small.
fn create_examples(rules: &Rules) -> Value {
    let simplest = || Source::from_bytes(&[]);
    let mut out = Map::new();
    let mut add = |name: String, case: Result<Case, kit::KitError>| {
        let Ok(case) = case else { return };
        if case.body().len() > EXAMPLE_MAX_BYTES {
            return;
        }
        // A JSON value, which says the same as the body: a repeated key, a syntax
        // error or an empty body cannot be an example.
        let Ok(value) = serde_json::from_slice::<Value>(case.body()) else {
            return;
        };
        let again = serde_json::to_vec(&value).unwrap_or_default();
        let same = match crate::validate(&again, rules) {
            Ok(_) => case.agrees(201, &[]),
            Err(r) => {
                let found: Vec<(&str, Code)> = r
                    .violations()
                    .iter()
                    .map(|v| (v.pointer(), v.code()))
                    .collect();
                case.agrees(r.status(), &found)
            }
        };
        if !same {
            return;
        }
        let summary = if case.is_valid() {
            "accepted (201)".to_owned()
        } else {
            format!("refused ({}): {}", case.status(), case.what())
        };
        out.insert(name, json!({ "summary": summary, "value": value }));
    };
    add("valid".to_owned(), Case::valid(rules, &mut simplest()));
    for code in kit::codes(rules) {
        add(
            code.as_str().to_owned(),
            Case::breaking(rules, code, &mut simplest()),
        );
    }
    Value::Object(out)
}

/// `{"error": {"code", "message"}}`: the IMS extension shape of a refusal.
fn ims_error_schema() -> Value {
    json!({
        "title": "IMS error (the IMS extension shape of a refusal)",
        "type": "object",
        "properties": { "error": {
            "type": "object",
            "properties": {
                "code": { "type": "string", "pattern": "^IMG\\.[0-9]{4}$" },
                "message": { "type": "string", "minLength": 1 },
            },
            "required": ["code", "message"],
            "additionalProperties": false,
        }},
        "required": ["error"],
        "additionalProperties": false,
    })
}

/// RFC 9457 problem details with the violations as `errors`.
fn problem_schema() -> Value {
    json!({
        "title": "Problem details (RFC 9457), the violations as errors",
        "type": "object",
        "properties": {
            "type": { "const": "about:blank" },
            "title": { "type": "string", "minLength": 1 },
            "status": { "enum": [400, 403, 404, 409, 413, 415] },
            "detail": { "type": "string", "minLength": 1 },
            "errors": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "properties": {
                        "pointer": { "type": "string", "pattern": "^(/([^~]|~[01])*)*$" },
                        "code": { "enum": Code::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>() },
                        "detail": { "type": "string", "minLength": 1 },
                        "params": { "type": "object" },
                    },
                    "required": ["pointer", "code", "detail", "params"],
                    "additionalProperties": false,
                },
            },
            "truncated": { "const": true },
            "total": { "type": "integer", "minimum": 1 },
        },
        "required": ["type", "title", "status", "detail", "errors"],
        "dependentRequired": { "truncated": ["total"], "total": ["truncated"] },
        "additionalProperties": false,
    })
}

/// The v2.0 patch document from the v2.1 one: each operation names its path under its
/// op's member (`{"replace": "/name", "value": …}`), with the same path and value rules.
fn patch_v2_0(v21: &Value) -> Value {
    let items = &v21["items"];
    let path = items["properties"]["path"].clone();
    // The v2.1 checks read `op` and `path`: in v2.0 each op member holds the path.
    let checks = items["allOf"].as_array().cloned().unwrap_or_default();
    let by_op: Vec<Value> = ["add", "remove", "replace"]
        .iter()
        .map(|op| {
            let others: Vec<&str> = ["add", "remove", "replace"]
                .into_iter()
                .filter(|o| o != op)
                .collect();
            let renamed: Vec<Value> = checks
                .iter()
                .filter_map(|c| v2_0_check(c, op))
                .collect();
            json!({
                "required": [op],
                "properties": { *op: path.clone() },
                "not": { "anyOf": others.iter().map(|o| json!({ "required": [o] })).collect::<Vec<_>>() },
                "allOf": renamed,
            })
        })
        .collect();
    json!({
        "title": format!("IMS PATCH /v2/images/{{image_id}} body ({})", MEDIA_TYPES[1]),
        "description": v21["description"].as_str().unwrap_or_default().replace(
            "the v2.0 dialect (application/openstack-images-v2.0-json-patch): this schema is of v2.1",
            "the v2.1 dialect: this schema is of v2.0",
        ),
        "type": "array",
        "items": { "type": "object", "oneOf": by_op },
    })
}

/// A v2.1 item check rewritten for the v2.0 operation `op`: a check on `path` reads the
/// op's member; one on `op` holds only if it names `op` (then it applies as is, on the
/// value), else it is dropped.
fn v2_0_check(check: &Value, op: &str) -> Option<Value> {
    let cond = &check["if"]["properties"];
    let then = check["then"].clone();
    if let Some(on_op) = cond.get("op") {
        let applies = match (on_op.get("const"), on_op.get("enum")) {
            (Some(c), _) => c == op,
            (_, Some(Value::Array(e))) => e.iter().any(|v| v == op),
            _ => false,
        };
        if !applies {
            return None;
        }
        let mut then = then;
        if let Some(p) = then["properties"].as_object_mut() {
            if let Some(path) = p.remove("path") {
                p.insert(op.to_owned(), path);
            }
        }
        return Some(then);
    }
    let path = cond.get("path")?;
    Some(json!({ "if": { "properties": { op: path } }, "then": then }))
}

/// Moves a schema's `$defs` into the components (named `NAME_DEF`), and points its
/// `$ref`s at them: an OpenAPI document resolves `#/...` from its own root. Drops the
/// `$schema` keyword (the document's `jsonSchemaDialect` says it).
fn hoist(name: &str, mut schema: Value, into: &mut Map<String, Value>) -> Value {
    if let Some(m) = schema.as_object_mut() {
        m.remove("$schema");
        if let Some(Value::Object(defs)) = m.remove("$defs") {
            for (k, v) in defs {
                into.insert(format!("{name}_{k}"), retarget(v, name));
            }
        }
    }
    retarget(schema, name)
}

/// Every `"$ref": "#/$defs/X"` under `v` made `#/components/schemas/NAME_X`.
fn retarget(v: Value, name: &str) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let v = match (&*k, v) {
                        ("$ref", Value::String(s)) => match s.strip_prefix("#/$defs/") {
                            Some(d) => Value::String(format!("#/components/schemas/{name}_{d}")),
                            None => Value::String(s),
                        },
                        (_, v) => retarget(v, name),
                    };
                    (k, v)
                })
                .collect(),
        ),
        Value::Array(a) => Value::Array(a.into_iter().map(|v| retarget(v, name)).collect()),
        other => other,
    }
}
