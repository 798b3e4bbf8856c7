//! The kit's update cases (SPEC §8): a call (a PATCH in either dialect, or a tag call)
//! on a fixed image, with the verdict the contract gives, and for one that goes
//! through, the image it leaves. Expectations come from the mutation made (the image
//! edited as the operations say), never from `update::patch`.

use serde_json::json;

use super::{KitError, Source};
use crate::code::Code;
use crate::keys::Field;
use crate::record::{Context, Record, Timestamp};
use crate::rules::Rules;
use crate::update::MEDIA_TYPES;

/// Which call a [`PatchCase`] makes.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PatchCall {
    /// `PATCH /v2/images/{id}` with this `Content-Type` and body.
    Patch {
        /// The media type sent.
        media_type: String,
        /// The patch document sent.
        body: Vec<u8>,
    },
    /// `PUT /v2/images/{id}/tags/{tag}`.
    AddTag(String),
    /// `DELETE /v2/images/{id}/tags/{tag}`.
    RemoveTag(String),
}

/// An update and its verdict: the call, the image it applies to, the time, the exact
/// status and (pointer, code) set, and the image after it when it goes through.
#[derive(Debug, Clone)]
pub struct PatchCase {
    call: PatchCall,
    image: Record,
    create_body: String,
    now: Timestamp,
    status: u16,
    violations: Vec<(String, Code)>,
    after: Option<Record>,
    what: String,
}

impl PatchCase {
    /// The call.
    pub fn call(&self) -> &PatchCall {
        &self.call
    }
    /// The image the call applies to.
    pub fn image(&self) -> &Record {
        &self.image
    }
    /// The create body the image is derived from: what a runner sends to make the
    /// image on a live server (its id and times will differ, nothing else).
    pub fn create_body(&self) -> &[u8] {
        self.create_body.as_bytes()
    }
    /// The time of the update.
    pub fn now(&self) -> Timestamp {
        self.now
    }
    /// The status the contract gives (200, 204, or a refusal's).
    pub fn status(&self) -> u16 {
        self.status
    }
    /// The (pointer, code) set of a refusal, in no particular order; empty when the
    /// call goes through.
    pub fn violations(&self) -> &[(String, Code)] {
        &self.violations
    }
    /// The image after a call that goes through.
    pub fn after(&self) -> Option<&Record> {
        self.after.as_ref()
    }
    /// What the case is, in a few words.
    pub fn what(&self) -> &str {
        &self.what
    }

    /// An update that goes through: one to three operations in either dialect
    /// (rename, add, replace or remove custom properties), or a tag added or removed.
    ///
    /// # Errors
    ///
    /// [`KitError::Impossible`] never for the default rules; when the rules keep even
    /// the custom properties from being changed (they cannot), a clear error.
    pub fn valid(rules: &Rules, source: &mut Source) -> Result<PatchCase, KitError> {
        let image = base_image(rules, 0)?;
        let now = later(&image);
        let mut after = image.clone();
        after.updated_at = now;
        let (call, status, what) = match source.below(6) {
            0 => {
                let tag = format!("tag-{}", source.below(1000));
                after.tags.push(tag.clone());
                (PatchCall::AddTag(tag), 204, "add a new tag".to_owned())
            }
            1 => {
                let tag = image.tags.first().cloned().unwrap_or_default();
                after.tags.retain(|t| *t != tag);
                (PatchCall::RemoveTag(tag), 204, "remove a tag".to_owned())
            }
            _ => {
                let v21 = source.below(2) == 0;
                let mut ops = Vec::new();
                let n = source.in_range(0, 3);
                for i in 0..n {
                    match source.below(4) {
                        0 if rules.updatable & Field::Name.bit() != 0 => {
                            let name = format!("renamed-{i}");
                            after.name.clone_from(&name);
                            ops.push(op(v21, "replace", "/name", Some(json!(name))));
                        }
                        1 => {
                            let key = format!("kit_new_{i}");
                            set_property(&mut after, &key, Some("added"));
                            ops.push(op(v21, "add", &format!("/{key}"), Some(json!("added"))));
                        }
                        2 => {
                            set_property(&mut after, "k1", Some("replaced"));
                            ops.push(op(v21, "replace", "/k1", Some(json!("replaced"))));
                        }
                        _ if has_property(&after, "k2") => {
                            set_property(&mut after, "k2", None);
                            ops.push(op(v21, "remove", "/k2", None));
                        }
                        _ => {
                            set_property(&mut after, "k1", Some("again"));
                            ops.push(op(v21, "add", "/k1", Some(json!("again"))));
                        }
                    }
                }
                let dialect = if v21 { "v2.1" } else { "v2.0" };
                let what = format!("{} operation(s), {dialect}", ops.len());
                (patch_call(v21, &json!(ops).to_string()), 200, what)
            }
        };
        Ok(case(call, image, now, status, vec![], Some(after), &what))
    }

    /// An update refused with `code` (one operation, or the call itself, at fault).
    ///
    /// # Errors
    ///
    /// [`KitError::Impossible`] when `code` is not an update code, or the rules rule
    /// it out (`not_updatable` when every field is updatable).
    pub fn breaking(rules: &Rules, code: Code, source: &mut Source) -> Result<PatchCase, KitError> {
        let v21 = source.below(2) == 0;
        let path_member = if v21 { "path" } else { "replace" };
        let image = base_image(rules, 0)?;
        let now = later(&image);
        let one = |body: String, status: u16, pointer: &str, what: &str| {
            Ok(case(
                patch_call(v21, &body),
                image.clone(),
                now,
                status,
                vec![(pointer.to_owned(), code)],
                None,
                what,
            ))
        };
        let single = |o: serde_json::Value| json!([o]).to_string();
        // One `replace` of `path` refused at its path member.
        let at_path = |path: &str, value: &str, status: u16, what: &str| {
            let body = single(op(v21, "replace", path, Some(json!(value))));
            one(body, status, &format!("/0/{path_member}"), what)
        };
        // A call refused as a whole (the pointer is the document's).
        let whole = |call: PatchCall, image: Record, status: u16, what: &str| {
            let violations = vec![(String::new(), code)];
            Ok(case(call, image, now, status, violations, None, what))
        };
        match code {
            Code::UnsupportedMediaType => {
                let body = single(op(true, "replace", "/name", Some(json!("x"))));
                let call = PatchCall::Patch {
                    media_type: "application/json".into(),
                    body: body.into_bytes(),
                };
                whole(call, image, 415, "sent as application/json")
            }
            Code::NotAnArray => one(
                op(v21, "replace", "/k1", Some(json!("x"))).to_string(),
                400,
                "",
                "an operation, not a list",
            ),
            Code::EmptyBody => one(String::new(), 400, "", "an empty body"),
            Code::MalformedJson => one("[{\"op\": ".to_owned(), 400, "", "cut short"),
            Code::Required => {
                let o = if v21 {
                    json!({"op": "add", "path": "/k9"})
                } else {
                    json!({"add": "/k9"})
                };
                one(single(o), 400, "/0", "add without a value")
            }
            Code::WrongType => one("[7]".to_owned(), 400, "/0", "an operation that is a number"),
            Code::BadFormat => at_path("k1", "x", 400, "a path without its slash"),
            Code::ReadOnly => at_path("/status", "active", 403, "replace a read-only key"),
            Code::Reserved => at_path("/os_glance_kit", "x", 403, "a reserved key"),
            Code::NotUpdatable => {
                let f = Field::ALL
                    .iter()
                    .find(|f| {
                        **f != Field::Id && !f.is_extension() && rules.updatable & f.bit() == 0
                    })
                    .ok_or(KitError::Impossible {
                        code,
                        reason: "every documented field is updatable under these rules".into(),
                    })?;
                at_path(&format!("/{}", f.key()), "x", 403, "a field the rules keep")
            }
            Code::Conflict => at_path("/kit_absent", "x", 409, "replace a key the image lacks"),
            Code::TooLong if rules.updatable & Field::Name.bit() != 0 => {
                let name = "n".repeat(rules.name_max_chars + 1);
                let bad = op(v21, "replace", "/name", Some(json!(name)));
                if source.below(2) == 0 {
                    one(
                        json!([bad]).to_string(),
                        400,
                        "/0/value",
                        "a name one char too long",
                    )
                } else {
                    // A valid rename first: the second, bad, one is refused on its own.
                    let good = op(v21, "replace", "/name", Some(json!("renamed")));
                    let body = json!([good, bad]).to_string();
                    one(body, 400, "/1/value", "a second rename, one char too long")
                }
            }
            Code::TooMany => {
                let full = base_image(rules, rules.max_properties.saturating_sub(2))?;
                let body = single(op(v21, "add", "/kit_one_more", Some(json!("x"))));
                whole(
                    patch_call(v21, &body),
                    full,
                    413,
                    "a property past the quota",
                )
            }
            Code::NotFound => {
                let call = PatchCall::RemoveTag("kit-absent".into());
                whole(call, image, 404, "remove a tag the image lacks")
            }
            _ => Err(KitError::Impossible {
                code,
                reason: "the patch kit makes no update with this code".into(),
            }),
        }
    }

    /// Any: a valid update one time in three, else one fault of any code the rules
    /// allow.
    ///
    /// # Errors
    ///
    /// As [`valid`](PatchCase::valid).
    pub fn any(rules: &Rules, source: &mut Source) -> Result<PatchCase, KitError> {
        if source.below(3) == 0 {
            return PatchCase::valid(rules, source);
        }
        let all = patch_codes(rules);
        match source.pick(&all) {
            Some(&code) => PatchCase::breaking(rules, code, source),
            None => PatchCase::valid(rules, source),
        }
    }
}

/// The codes [`PatchCase::breaking`] makes under `rules`.
pub fn patch_codes(rules: &Rules) -> Vec<Code> {
    let mut s = Source::from_bytes(&[]);
    Code::ALL
        .iter()
        .copied()
        .filter(|&c| PatchCase::breaking(rules, c, &mut s).is_ok())
        .collect()
}

fn case(
    call: PatchCall,
    image: Record,
    now: Timestamp,
    status: u16,
    violations: Vec<(String, Code)>,
    after: Option<Record>,
    what: &str,
) -> PatchCase {
    // The body `base_image` made the image from.
    let create_body = body_of(image.properties.len().saturating_sub(2));
    PatchCase {
        call,
        image,
        create_body,
        now,
        status,
        violations,
        after,
        what: what.to_owned(),
    }
}

fn patch_call(v21: bool, body: &str) -> PatchCall {
    PatchCall::Patch {
        media_type: MEDIA_TYPES[usize::from(!v21)].to_owned(),
        body: body.as_bytes().to_vec(),
    }
}

/// One operation in a dialect: v2.1 `{"op", "path", "value"}`, v2.0 `{OP: path, "value"}`.
fn op(v21: bool, name: &str, path: &str, value: Option<serde_json::Value>) -> serde_json::Value {
    let mut o = if v21 {
        json!({ "op": name, "path": path })
    } else {
        json!({ name: path })
    };
    if let Some(v) = value {
        o["value"] = v;
    }
    o
}

/// The image every case applies to: named `base`, tags `t1` and `t2`, custom
/// properties `k1` and `k2` and `extra` more (for the quota), made at a fixed time.
fn base_image(rules: &Rules, extra: usize) -> Result<Record, KitError> {
    let text = body_of(extra);
    let fail = || KitError::no_fit("image to update", rules);
    let ok = crate::validate(text.as_bytes(), rules).map_err(|_| fail())?;
    let now = Timestamp::from_unix(1_700_000_000).map_err(|_| fail())?;
    let ctx = Context::new(
        "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
        "b912fb4a4c464b568ecfca1071b21b10",
        now,
    )
    .map_err(|_| fail())?;
    Ok(ok.request.into_record(&ctx))
}

/// The create body of the base image with `extra` more custom properties.
fn body_of(extra: usize) -> String {
    let mut body = json!({ "name": "base", "tags": ["t1", "t2"], "k1": "v1", "k2": "v2" });
    for i in 0..extra {
        body[format!("q{i}")] = json!("v");
    }
    body.to_string()
}

/// A minute after the image was made.
fn later(image: &Record) -> Timestamp {
    Timestamp::from_unix(image.created_at.unix() + 60).unwrap_or(image.created_at)
}

fn has_property(r: &Record, key: &str) -> bool {
    r.properties.iter().any(|(k, _)| k == key)
}

/// Sets (appended when new) or removes a custom property, as an update does.
fn set_property(r: &mut Record, key: &str, value: Option<&str>) {
    match (r.properties.iter().position(|(k, _)| k == key), value) {
        (Some(i), Some(v)) => r.properties[i].1 = v.to_owned(),
        (None, Some(v)) => r.properties.push((key.to_owned(), v.to_owned())),
        (Some(i), None) => {
            r.properties.remove(i);
        }
        (None, None) => {}
    }
}
