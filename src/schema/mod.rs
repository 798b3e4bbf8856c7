//! The rules as JSON Schema (draft 2020-12), for servers that publish them and clients
//! in other languages.
//!
//! The regular expressions are written to mean the same in ECMA-262, Python's `re` and
//! Rust's `regex`: characters are written literally (no `\u{…}` or `\x{…}` escapes, no
//! look-around), and every `$` anchor is paired with a length or charset bound that
//! excludes a trailing newline, since Python's `$` also matches before one.

use serde_json::{json, Map, Value};

use std::ops::RangeInclusive;

use crate::keys::{Field, FieldKind, READ_ONLY, RESERVED, RESERVED_PREFIX};
use crate::record::keys::{Others, Own, Slot};
use crate::rules::Rules;
use crate::values::NameCharset;
use crate::values::{DiskFormat, OsBit, OsType, Platform};

mod openapi;
mod report;
pub use openapi::{openapi, GENERATOR_LIMITS};
pub use report::report_schema;

/// A UUID in 8-4-4-4-12 hex form, any case (`maxLength` 36 goes with it: Python's `$`
/// also matches before a final newline).
const UUID_PATTERN: &str =
    "^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$";

/// A string that is a UUID.
fn uuid_schema() -> Value {
    json!({ "type": "string", "maxLength": 36, "pattern": UUID_PATTERN })
}

/// What a JSON Schema cannot say of the rules; the schema's `description` lists it.
pub const LIMITS: &[&str] = &[
    "duplicate keys (a JSON parser has already merged them)",
    "the body size cap (413), counted in bytes of the raw body",
    "the custom property value bound, which is in UTF-8 bytes: the schema bounds it in characters (exact for ASCII)",
    "the custom-property quota, which excludes documented fields: the schema bounds all keys by the quota plus the 13 documented and extension fields",
    "integers written as floats (1024.0, 1e3), which the crate refuses and JSON Schema counts as integers",
    "tag de-duplication (repeated tags are accepted and kept once)",
    "with allow_unknown_os_version, the OS type the crate infers for a value not in the catalog: the schema gives such a value the default OS's min_disk range",
    "which HTTP status a rejection gets (403 > 413 > 400)",
];

fn strings(items: impl IntoIterator<Item = impl Into<String>>) -> Value {
    Value::Array(items.into_iter().map(|s| Value::String(s.into())).collect())
}

/// The characters no string may hold: U+0000, and (unless allowed) U+10000–U+10FFFF,
/// written literally so that every regex dialect reads the same class.
fn forbidden_chars(rules: &Rules) -> String {
    if rules.allow_four_byte_unicode {
        "[\u{0}]".to_owned()
    } else {
        "[\u{0}\u{10000}-\u{10FFFF}]".to_owned()
    }
}

/// A string with the characters every string must avoid, plus `extra` keywords.
fn text(extra: Value) -> Value {
    let mut s = json!({ "$ref": "#/$defs/text" });
    if let (Some(m), Value::Object(e)) = (s.as_object_mut(), extra) {
        m.extend(e);
    }
    s
}

/// The name's charset and end-spaces rule, as a pattern that must *not* match.
fn name_forbidden(rules: &Rules) -> String {
    match rules.name_charset {
        // A char outside the class, or a space at either end. (The class excludes "\n",
        // so Python's "$ before a final newline" changes no verdict.)
        NameCharset::Ims => "[^A-Za-z0-9._ \u{4E00}-\u{9FFF}-]|^ | $".to_owned(),
        NameCharset::ImsNoCjk => "[^A-Za-z0-9._ -]|^ | $".to_owned(),
        NameCharset::Any => "^ | $".to_owned(),
    }
}

fn min_disk_bounds(range: &RangeInclusive<u32>) -> Value {
    json!({ "minimum": range.start(), "maximum": range.end() })
}

/// The `__os_version` values a body may send: the catalog's, and the default's.
fn os_versions(rules: &Rules) -> Vec<(&str, OsType)> {
    let mut all: Vec<(&str, OsType)> = rules
        .catalog
        .iter()
        .map(|e| (e.version(), e.os_type()))
        .collect();
    let default = &rules.default_os_version;
    if !rules.catalog.contains(default.version()) {
        all.push((default.version(), default.os_type()));
    }
    all
}

/// The `min_disk` range by OS type, as `if`/`then`/`else` on `__os_version`: the
/// values of the OS type the default does not have select their range, anything else
/// (absent, or a value of the default's type) gets the default type's. `None` when
/// the two ranges are equal, or no value selects the other range.
fn min_disk_by_os_type(rules: &Rules) -> Option<Value> {
    let (linux, windows) = (&rules.min_disk_linux, &rules.min_disk_windows);
    if linux == windows {
        return None;
    }
    let default_windows = rules.default_os_version.os_type() == OsType::Windows;
    let (other_range, default_range) = if default_windows {
        (linux, windows)
    } else {
        (windows, linux)
    };
    let others: Vec<&str> = os_versions(rules)
        .into_iter()
        .filter(|&(_, t)| (t == OsType::Windows) != default_windows)
        .map(|(v, _)| v)
        .collect();
    if others.is_empty() {
        return None;
    }
    let (os, min_disk) = (Field::OsVersion.key(), Field::MinDisk.key());
    let range = |r| json!({ "properties": { (min_disk): min_disk_bounds(r) } });
    Some(json!({
        "if": {
            "required": [os],
            "properties": { (os): { "enum": strings(others) } },
        },
        "then": range(other_range),
        "else": range(default_range),
    }))
}

/// A JSON Schema (draft 2020-12) that accepts a create body exactly when
/// [`validate`](crate::validate) does under `rules`, for every rule a schema can
/// express (the `min_disk` range by OS type as `if`/`then`/`else` on
/// `__os_version`). What it cannot express is listed in its `description` (and in
/// [`LIMITS`]).
pub fn request_schema(rules: &Rules) -> Value {
    let os_version = if rules.allow_unknown_os_version {
        text(json!({
            "description": "The OS version: one of the catalog's values, or (accepted with a warning) any other non-empty text.",
            "minLength": 1,
        }))
    } else {
        json!({
            "description": "The OS version, one of the catalog's values (exact, case-sensitive), or the default's.",
            "type": "string",
            "enum": strings(os_versions(rules).into_iter().map(|(v, _)| v)),
        })
    };
    let formats: Vec<Value> = rules
        .disk_formats
        .iter()
        .map(|f| json!(f.as_str()))
        .chain([Value::Null])
        .collect();
    let by_os_type = min_disk_by_os_type(rules);
    // Each field by its kind (no key is named here: the table's rows give them).
    let mut props = Value::Object(Map::new());
    for f in Field::ALL {
        props[f.key()] = match f.kind() {
            FieldKind::OsVersion => os_version.clone(),
            FieldKind::Name => json!({
                "description": "Absent or null: \"\" with a warning.",
                "type": ["string", "null"],
                "minLength": 1,
                "maxLength": rules.name_max_chars,
                "allOf": [
                    { "$ref": "#/$defs/nullable_text" },
                    { "not": { "type": "string", "pattern": name_forbidden(rules) } },
                ],
            }),
            FieldKind::DiskFormat => json!({ "enum": formats }),
            FieldKind::Tags => json!({
                "type": "array",
                "maxItems": rules.max_tags,
                "items": text(json!({ "minLength": 1, "maxLength": Rules::TAG_MAX_CHARS })),
            }),
            FieldKind::MinDisk => {
                // Plain bounds for generators (which ignore `if`/`then`/`else`): the
                // default OS type's range, or, when the range depends on the OS type,
                // the union of both (the exact range by OS type is `by_os_type`, on
                // top).
                let range = match by_os_type {
                    None => rules
                        .min_disk_for(rules.default_os_version.os_type())
                        .clone(),
                    Some(_) => {
                        let (l, w) = (&rules.min_disk_linux, &rules.min_disk_windows);
                        *l.start().min(w.start())..=*l.end().max(w.end())
                    }
                };
                json!({
                    "description": "GB. Its range depends on the OS type of __os_version (the default OS's when absent).",
                    "type": "integer",
                    "minimum": range.start(),
                    "maximum": range.end(),
                })
            }
            FieldKind::Uuid => uuid_schema(),
            FieldKind::Const { value, .. } if f.null_is_absent() => {
                json!({ "enum": [value, null] })
            }
            FieldKind::Const { value, .. } => json!({ "type": "string", "enum": [value] }),
            FieldKind::Bool => json!({ "type": "boolean" }),
            FieldKind::Text { max_chars, forbid } => text(json!({
                "maxLength": max_chars,
                "not": { "pattern": char_class(forbid) },
            })),
            FieldKind::Choice { values } => json!({ "type": "string", "enum": values }),
            FieldKind::Int { max } => {
                json!({ "type": "integer", "minimum": 0, "maximum": max.under(rules) })
            }
        };
    }
    debug_assert_eq!(props.as_object().map(Map::len), Some(Field::COUNT));
    for key in READ_ONLY.iter().chain(RESERVED) {
        props[*key] = Value::Bool(false);
    }
    let limits: Vec<String> = LIMITS.iter().map(|l| format!("- {l}")).collect();
    let mut schema = json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "IMS POST /v2/images request body",
        "description": format!(
            "The create-image-metadata body, as ims-image-meta validates it. Read-only and \
             reserved keys are forbidden; any other key is a custom property with a string \
             value. Not expressed here, and checked only by the crate:\n{}",
            limits.join("\n")
        ),
        "type": "object",
        "properties": props,
        "patternProperties": { format!("^{RESERVED_PREFIX}"): false },
        "additionalProperties": text(json!({ "maxLength": rules.property_value_max_bytes })),
        "propertyNames": text(json!({ "minLength": 1, "maxLength": Rules::PROPERTY_KEY_MAX_CHARS })),
        "maxProperties": rules.max_properties.saturating_add(Field::COUNT),
        "$defs": {
            "text": {
                "type": "string",
                "not": { "pattern": forbidden_chars(rules) },
            },
            "nullable_text": {
                "not": { "type": "string", "pattern": forbidden_chars(rules) },
            },
        },
    });
    if let (Some(m), Some(by_os_type)) = (schema.as_object_mut(), by_os_type) {
        m.insert("allOf".into(), json!([by_os_type]));
    }
    schema
}

/// A JSON Schema (draft 2020-12) of the derived 201 record: types, enums, and `readOnly`
/// on what the service sets, as Glance's image schema does.
pub fn record_schema() -> Value {
    let ro = |mut v: Value| {
        if let Some(m) = v.as_object_mut() {
            m.insert("readOnly".into(), Value::Bool(true));
        }
        v
    };
    let listed: Vec<&str> = Platform::ALL.iter().map(Platform::as_str).collect();
    // The record's rows (`record/keys.rs`) but the documented fields' (below): what the
    // service sets, read-only.
    let mut props = Value::Object(Map::new());
    for &(key, slot) in crate::record::keys::ORDER {
        let fragment = match slot {
            _ if Field::KEYS.contains(&key) => continue,
            Slot::Constant(c) => json!({ "type": "string", "const": c }),
            Slot::Service(_, Others::OneOf(values)) => json!({ "type": "string", "enum": values }),
            Slot::Service(_, Others::Digits) => json!({ "type": "string", "pattern": "^[0-9]+$" }),
            Slot::Link(suffix) => json!({
                "type": "string",
                "pattern": format!(
                    "^/v2/images/[0-9A-Fa-f]{{8}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{4}}-[0-9A-Fa-f]{{12}}{suffix}$"
                ),
            }),
            Slot::Own(Own::CreatedAt | Own::UpdatedAt) => json!({
                "type": "string",
                "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$",
                "maxLength": 20,
            }),
            Slot::Own(Own::OsType) => {
                json!({ "type": "string", "enum": strings(OsType::ALL.iter().map(|v| v.as_str())) })
            }
            Slot::Own(Own::OsBit) => {
                json!({ "type": "string", "enum": strings(OsBit::ALL.iter().map(|v| v.as_str())) })
            }
            Slot::Own(Own::Platform) => json!({
                "description": format!(
                    "One of {}, or a platform the catalog names that this crate does not list, as spelled.",
                    listed.join(", ")
                ),
                "type": "string",
                "minLength": 1,
            }),
            Slot::Own(Own::Owner) => json!({ "type": "string", "minLength": 1 }),
            // A documented field's member: skipped above.
            Slot::Own(_) => continue,
        };
        props[key] = ro(fragment);
    }
    for f in Field::ALL {
        props[f.key()] = record_by_kind(*f);
    }
    // Every key but the known extensions', which a record has when the body gave them.
    let required: Vec<&str> = props
        .as_object()
        .into_iter()
        .flat_map(|m| m.keys().map(String::as_str))
        .filter(|k| !Field::EXTENSION_KEYS.contains(k))
        .collect();
    let required = strings(required);
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "IMS image record (201 answer of POST /v2/images)",
        "type": "object",
        "properties": props,
        "required": required,
        "additionalProperties": {
            "description": "Custom properties, echoed as given.",
            "type": "string",
        },
    })
}

/// The record schema of a field, by its kind.
fn record_by_kind(f: Field) -> Value {
    match f.kind() {
        FieldKind::Uuid => uuid_schema(),
        FieldKind::Name => json!({ "type": "string", "maxLength": 255 }),
        FieldKind::OsVersion => json!({ "type": "string", "minLength": 1 }),
        FieldKind::DiskFormat => {
            json!({ "type": "string", "enum": strings(DiskFormat::ALL.iter().map(|f| f.as_str())) })
        }
        FieldKind::Tags => json!({
            "type": "array",
            "items": { "type": "string", "minLength": 1, "maxLength": Rules::TAG_MAX_CHARS },
            "uniqueItems": true,
        }),
        FieldKind::MinDisk => json!({ "type": "integer", "minimum": 0, "maximum": u32::MAX }),
        FieldKind::Const { value, .. } => json!({ "type": "string", "enum": [value] }),
        FieldKind::Bool => json!({ "type": "boolean" }),
        FieldKind::Text { max_chars, .. } => json!({ "type": "string", "maxLength": max_chars }),
        FieldKind::Choice { values } => json!({ "type": "string", "enum": values }),
        // A record's bound is the loosest any rules allow.
        FieldKind::Int { max } => json!({ "type": "integer", "minimum": 0, "maximum": max.cap }),
    }
}

/// A regex class of `chars` (`[\r<>]`), the class's own specials escaped.
fn char_class(chars: &[char]) -> String {
    let mut class = String::from("[");
    for c in chars {
        if matches!(c, ']' | '\\' | '^' | '-' | '[') {
            class.push('\\');
        }
        class.push(*c);
    }
    class.push(']');
    class
}

/// What the JSON Schema of a patch document cannot say of the update (SPEC §8); the
/// schema's `description` lists it.
pub const PATCH_LIMITS: &[&str] = &[
    "the state of the image: replace or remove of an attribute the image does not have (409), add of one it has (a replace)",
    "the order of operations (each sees the image the ones before left)",
    "the custom-property quota, counted on the image after the patch",
    "the min_disk range, which depends on the image's OS type (the schema allows the union of the ranges), and min_disk against a new __os_version",
    "the v2.0 dialect (application/openstack-images-v2.0-json-patch): this schema is of v2.1",
    "duplicate keys, the body size cap, integers written as floats, the custom value bound in UTF-8 bytes (as for a create body)",
    "which HTTP status a rejection gets (415; 403 > 409 > 413 > 400)",
];

/// A JSON Schema (draft 2020-12) of a v2.1 patch document
/// (`application/openstack-images-v2.1-json-patch`) under `rules`, as far as a schema
/// can say it: an array of operations, each `op` one of `add` `remove` `replace`, a
/// `path` of exactly one RFC 6901 token that names no read-only, reserved or
/// non-updatable key (nor, for `remove`, a field that cannot be removed), and for `add`
/// and `replace` a `value` that is not `null` and that create's rule for the key
/// accepts (each documented field's schema is the request schema's). What it cannot
/// express is in its `description` ([`PATCH_LIMITS`]).
///
/// ```
/// let schema = ims_image_meta::schema::patch_schema(&ims_image_meta::Rules::default());
/// assert_eq!(schema["type"], "array");
/// assert_eq!(schema["items"]["properties"]["op"]["enum"], serde_json::json!(["add", "remove", "replace"]));
/// ```
pub fn patch_schema(rules: &Rules) -> Value {
    let request = request_schema(rules);
    let props = request["properties"]
        .as_object()
        .cloned()
        .unwrap_or_default();
    let path_of = |key: &str| format!("/{}", key.replace('~', "~0").replace('/', "~1"));
    // Keys no operation may name: read-only (and `id`), reserved, and documented
    // fields the rules do not open.
    let mut forbidden: Vec<String> = READ_ONLY
        .iter()
        .chain(RESERVED)
        .map(|k| path_of(k))
        .collect();
    let mut checks: Vec<Value> = Vec::new();
    let mut unremovable = Vec::new();
    for f in Field::ALL {
        let path = path_of(f.key());
        if *f == Field::Id || rules.updatable & f.bit() == 0 {
            forbidden.push(path);
            continue;
        }
        if !f.is_extension() {
            unremovable.push(path.clone());
        }
        let mut value = props.get(f.key()).cloned().unwrap_or(Value::Bool(true));
        if let Some(m) = value.as_object_mut() {
            // `null` is never a value to set.
            if let Some(Value::Array(types)) = m.get_mut("type") {
                types.retain(|t| t != "null");
            }
            if let Some(Value::Array(values)) = m.get_mut("enum") {
                values.retain(|v| !v.is_null());
            }
            if matches!(f.kind(), FieldKind::MinDisk) {
                let (l, w) = (&rules.min_disk_linux, &rules.min_disk_windows);
                m.insert("minimum".into(), json!(l.start().min(w.start())));
                m.insert("maximum".into(), json!(l.end().max(w.end())));
            }
        }
        checks.push(json!({
            "if": { "properties": { "path": { "const": path } } },
            "then": { "properties": { "value": value } },
        }));
    }
    let fields: Vec<String> = Field::ALL.iter().map(|f| path_of(f.key())).collect();
    // Any other key is a custom property: a string value, create's bound.
    checks.push(json!({
        "if": { "properties": { "path": { "not": { "enum": fields } } } },
        "then": { "properties": { "value": request["additionalProperties"].clone() } },
    }));
    checks.push(json!({
        "if": { "properties": { "op": { "enum": ["add", "replace"] } } },
        "then": { "required": ["value"], "properties": { "value": { "not": { "type": "null" } } } },
    }));
    checks.push(json!({
        "if": { "properties": { "op": { "const": "remove" } } },
        "then": { "properties": { "path": { "not": { "enum": unremovable } } } },
    }));
    let limits: Vec<String> = PATCH_LIMITS.iter().map(|l| format!("- {l}")).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "IMS PATCH /v2/images/{image_id} body (application/openstack-images-v2.1-json-patch)",
        "description": format!(
            "A patch document as ims-image-meta judges it. Each value is judged by create's \
             rule for its key. Not expressed here, and checked only by the crate:\n{}",
            limits.join("\n")
        ),
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "op": { "enum": ["add", "remove", "replace"] },
                "path": {
                    "type": "string",
                    "pattern": "^/([^/~]|~[01])*$",
                    "minLength": 2,
                    "not": {
                        "anyOf": [
                            { "enum": forbidden },
                            { "pattern": format!("^/{RESERVED_PREFIX}") },
                            // A key of more than 255 characters: each unit one char.
                            { "pattern": format!("^/([^/~]|~[01]){{{}}}", Rules::PROPERTY_KEY_MAX_CHARS + 1) },
                            { "pattern": forbidden_chars(rules) },
                        ],
                    },
                },
            },
            "required": ["op", "path"],
            "allOf": checks,
        },
        "$defs": request["$defs"].clone(),
    })
}
