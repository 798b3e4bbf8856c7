//! The update calls (SPEC §8): `PATCH /v2/images/{id}` ([`patch`]) and the tag calls
//! `PUT` / `DELETE /v2/images/{id}/tags/{tag}` ([`add_tag`], [`remove_tag`]).
//!
//! Pure, as the create call: the media type, the bytes, the image as it is now (a
//! [`Record`]), the [`Rules`] and the time in; the updated image or a [`Report`] out.
//! The image is lent (`&image`: the update works on a copy) or given (`image`: a
//! server that read it from storage owns it, and the update works in it, with no
//! copy).
//! Each value is judged by create's own rule for its key (the same code, under the
//! same rules and profile), its fault moved to where the value is in the patch
//! (`/2/value`) with create's code, message and IMS code. The bounds are create's: the
//! body cap, serde_json's nesting limit, at most [`Rules::max_violations`] violations
//! kept; time and memory linear in the patch.
//!
//! ```
//! use ims_image_meta::{update, validate, Context, Rules, Timestamp};
//!
//! let rules = Rules::default();
//! let ctx = Context::new(
//!     "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
//!     "b912fb4a4c464b568ecfca1071b21b10",
//!     Timestamp::from_unix(1_464_853_788)?,
//! )?;
//! let image = validate(br#"{"name": "test", "min_disk": 40}"#, &rules)
//!     .expect("a valid body")
//!     .request
//!     .into_record(&ctx);
//! let now = Timestamp::from_unix(1_464_854_400)?;
//!
//! let patch = br#"[{"op": "replace", "path": "/name", "value": "test01"},
//!                  {"op": "add", "path": "/login-user", "value": "kvothe"}]"#;
//! let updated = update::patch(update::MEDIA_TYPES[0], patch, &image, &rules, now)?;
//! assert_eq!(updated.name, "test01");
//! assert_eq!(updated.properties, [("login-user".to_owned(), "kvothe".to_owned())]);
//! assert_eq!(updated.updated_at, now);
//!
//! // Every fault at once, pointers into the patch, the status by precedence.
//! let bad = br#"[{"op": "replace", "path": "/min_disk", "value": 50},
//!                {"op": "replace", "path": "/name", "value": "bad<name"},
//!                {"op": "remove", "path": "/nope"}]"#;
//! let report = update::patch(update::MEDIA_TYPES[0], bad, &image, &rules, now).unwrap_err();
//! assert_eq!(report.status(), 403);
//! let found: Vec<(&str, &str)> =
//!     report.violations().iter().map(|v| (v.pointer(), v.code().as_str())).collect();
//! assert_eq!(
//!     found,
//!     [("/0/path", "not_updatable"), ("/1/value", "bad_format"), ("/2/path", "conflict")]
//! );
//! // Create's message and IMS code for the same fault.
//! assert_eq!(report.violations()[1].ims_code(), Some("IMG.0003"));
//! assert!(report.violations()[1].message().starts_with("Attribute 'name' may not contain"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::borrow::Cow;

use serde::de::DeserializeSeed;

use crate::answer::Answer;
use crate::chars;
use crate::code::Code;
use crate::message::{Detail, PatchFault, Quota, Subject, PATCH_MEDIA_TYPES};
use crate::pointer::Short;
use crate::record::{Record, Timestamp};
use crate::report::{Report, Style};
use crate::rules::check::{quote, Checker};
use crate::rules::Rules;
use crate::scan::one;
use crate::shape::Shape;

mod apply;
mod read;

/// The media types a PATCH takes, v2.1 first: what a server answers in
/// `Accept-Patch`.
pub const MEDIA_TYPES: [&str; 2] = PATCH_MEDIA_TYPES;

/// The `Accept-Patch` header's value a 415 is sent with: [`MEDIA_TYPES`], v2.1 first,
/// joined by `", "` (see [`Answer::accept_patch`]).
pub const ACCEPT_PATCH: &str =
    "application/openstack-images-v2.1-json-patch, application/openstack-images-v2.0-json-patch";

/// The whole answer to `PATCH /v2/images/{id}` (SPEC §8.1–8.2), by the one road: the
/// [`patch`] of `image` at `now`, answered 200 with the updated image's bytes (by the
/// record's writer), or the report rendered in `style` with its status (400, 403,
/// 409, 413, or 415 with [`Answer::accept_patch`] set to [`ACCEPT_PATCH`]).
///
/// ```
/// use ims_image_meta::report::{Format, Style};
/// use ims_image_meta::{update, validate, Context, Locale, Rules, Timestamp};
///
/// let rules = Rules::default();
/// let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", Timestamp::from_unix(0)?)?;
/// let image = validate(br#"{"name": "test"}"#, &rules).unwrap().request.into_record(&ctx);
/// let now = Timestamp::from_unix(60)?;
/// let style = Style::default();
///
/// let op = br#"[{"op": "replace", "path": "/name", "value": "test01"}]"#;
/// let ok = update::answer_patch(update::MEDIA_TYPES[0], op, &image, &rules, now, style);
/// assert_eq!((ok.status(), ok.content_type(), ok.accept_patch()), (200, "application/json", None));
/// let updated = ok.updated_record().unwrap();
/// assert_eq!(updated.name, "test01");
/// let mut bytes = Vec::new();
/// updated.write_json(&mut bytes);
/// assert_eq!(ok.body(), bytes);
///
/// let problem = Style::new(Format::Problem, Locale::En);
/// let bad = update::answer_patch("application/json", op, &image, &rules, now, problem);
/// assert_eq!(bad.status(), 415);
/// assert_eq!(bad.content_type(), "application/problem+json");
/// assert_eq!(bad.accept_patch(), Some(update::ACCEPT_PATCH));
/// assert!(bad.updated_record().is_none());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn answer_patch<'i>(
    media_type: &str,
    body: &[u8],
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
    style: Style,
) -> Answer {
    // Each generic call is a shim: its body is built once, here (not once per
    // caller's crate, which cost the wasm module 10 KB).
    answered(
        patch_image(media_type, body, image.into(), rules, now),
        200,
        style,
    )
}

/// The whole answer to `PUT /v2/images/{id}/tags/{tag}` (SPEC §8.3): the [`add_tag`]
/// of `tag`, answered 204 with no body (the updated image in
/// [`Answer::updated_record`]), or the report rendered in `style` (400, 413).
///
/// ```
/// use ims_image_meta::report::Style;
/// use ims_image_meta::{update, validate, Context, Rules, Timestamp};
///
/// let rules = Rules::default();
/// let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", Timestamp::from_unix(0)?)?;
/// let image = validate(br#"{"tags": ["a"]}"#, &rules).unwrap().request.into_record(&ctx);
/// let now = Timestamp::from_unix(60)?;
/// let ok = update::answer_add_tag("web", &image, &rules, now, Style::default());
/// assert_eq!((ok.status(), ok.body()), (204, &b""[..]));
/// assert_eq!(ok.updated_record().unwrap().tags, ["a", "web"]);
/// let gone = update::answer_remove_tag("nope", &image, &rules, now, Style::default());
/// assert_eq!(gone.status(), 404);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn answer_add_tag<'i>(
    tag: &str,
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
    style: Style,
) -> Answer {
    answered(add_tag_to(tag, image.into(), rules, now), 204, style)
}

/// The whole answer to `DELETE /v2/images/{id}/tags/{tag}` (SPEC §8.3): the
/// [`remove_tag`] of `tag`, answered 204 with no body (the updated image in
/// [`Answer::updated_record`]), or the report rendered in `style` (404). See
/// [`answer_add_tag`].
pub fn answer_remove_tag<'i>(
    tag: &str,
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
    style: Style,
) -> Answer {
    answered(remove_tag_from(tag, image.into(), rules, now), 204, style)
}

/// The answer to an update: `status` with the image (a body only for 200), or the
/// report (`Accept-Patch` on a 415).
fn answered(result: Result<Record, Report>, status: u16, style: Style) -> Answer {
    match result {
        Ok(updated) => Answer::updated(status, updated, status == 200),
        Err(report) => {
            let accept = (report.status() == 415).then_some(ACCEPT_PATCH);
            Answer::refused(report, style, accept)
        }
    }
}

/// The dialect of a patch document, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum MediaType {
    /// `application/openstack-images-v2.1-json-patch`: RFC 6902 style, `{"op", "path",
    /// "value"}` (the default).
    V2_1,
    /// `application/openstack-images-v2.0-json-patch`: `{"add" | "remove" | "replace":
    /// PATH, "value"}`.
    V2_0,
}

impl MediaType {
    /// The media type of a `Content-Type` header's value, ignoring case, spaces and any
    /// `;` parameters (RFC 9110 §8.3.1); `None` when it is not one of the two.
    ///
    /// ```
    /// use ims_image_meta::update::MediaType;
    ///
    /// let v21 = MediaType::from_header("Application/OpenStack-Images-v2.1-JSON-Patch; charset=utf-8");
    /// assert_eq!(v21, Some(MediaType::V2_1));
    /// assert_eq!(MediaType::from_header("application/json"), None);
    /// ```
    pub fn from_header(value: &str) -> Option<MediaType> {
        let essence = value.split(';').next().unwrap_or_default().trim();
        if essence.eq_ignore_ascii_case(PATCH_MEDIA_TYPES[0]) {
            Some(MediaType::V2_1)
        } else if essence.eq_ignore_ascii_case(PATCH_MEDIA_TYPES[1]) {
            Some(MediaType::V2_0)
        } else {
            None
        }
    }

    /// The media type, as [`MEDIA_TYPES`] spells it.
    pub const fn as_str(self) -> &'static str {
        match self {
            MediaType::V2_1 => PATCH_MEDIA_TYPES[0],
            MediaType::V2_0 => PATCH_MEDIA_TYPES[1],
        }
    }
}

/// Applies a patch document (`PATCH /v2/images/{id}`, SPEC §8.1–8.2) to `image` at
/// `now`.
///
/// `media_type` is the request's `Content-Type` value. Checks, in order: the media
/// type (415, nothing parsed), the body as a create body's (413 over the cap, 400
/// empty, malformed or too deep), a top-level array (400 `not_an_array`), then every
/// operation, in order, against the image as the operations before it left it: its
/// shape, its path (exactly one RFC 6901 token), the key's kind (403 `read_only`,
/// `reserved`, `not_updatable`), the state (409 `conflict`), the value by create's rule
/// for the key (400 / 413); at most one violation per operation, and an operation that
/// fails changes nothing. Then the custom-property quota, when a property was added
/// (413). The image itself is not judged: only what the patch changes.
///
/// # Errors
///
/// A [`Report`] with every violation, pointers into the patch document (`/2/value`),
/// and the status 415, or 403 > 409 > 413 > 400.
pub fn patch<'i>(
    media_type: &str,
    patch: &[u8],
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    patch_image(media_type, patch, image.into(), rules, now)
}

/// [`patch`], built once.
fn patch_image(
    media_type: &str,
    patch: &[u8],
    image: Cow<'_, Record>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    let Some(media) = MediaType::from_header(media_type) else {
        let got = rules.quote_input.then(|| quote(media_type));
        return Err(one(
            Code::UnsupportedMediaType,
            Detail::Patch(PatchFault::MediaType(got)),
            None,
        ));
    };
    let text = crate::scan::prelude(patch, rules)?;
    let mut up = apply::Update::new(media, text, image, rules, chars::max_byte(patch));
    let mut de = serde_json::Deserializer::from_str(text);
    let top = apply::PatchSeed { up: &mut up }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    match top {
        Err(e) => Err(crate::scan::syntax_report(&e)),
        Ok(Some(kind)) => Err(one(
            Code::NotAnArray,
            Detail::Patch(PatchFault::NotArray(kind)),
            Some("IMG.0001"),
        )),
        Ok(None) => up.finish(now),
    }
}

/// An image lent to an update: the update works on a copy of it.
impl<'a> From<&'a Record> for Cow<'a, Record> {
    fn from(image: &'a Record) -> Self {
        Cow::Borrowed(image)
    }
}

/// An image given to an update (a server that read it from storage owns it): the
/// update works in it, with no copy.
impl From<Record> for Cow<'_, Record> {
    fn from(image: Record) -> Self {
        Cow::Owned(image)
    }
}

/// Adds `tag` to `image` at `now` (`PUT /v2/images/{id}/tags/{tag}`, SPEC §8.3; the
/// server answers 204). The tag is judged by create's rule for one tag (1–255 chars,
/// no NUL, no 4-byte character unless the rules allow them); a tag the image has
/// already leaves the tags as they are (only `updated_at` changes); a new tag past
/// [`Rules::max_tags`] is 413 `too_many`.
///
/// ```
/// use ims_image_meta::{update, validate, Context, Rules, Timestamp};
///
/// let rules = Rules::default();
/// let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", Timestamp::from_unix(0)?)?;
/// let image = validate(br#"{"tags": ["a"]}"#, &rules).unwrap().request.into_record(&ctx);
/// let now = Timestamp::from_unix(60)?;
/// let tagged = update::add_tag("web", &image, &rules, now)?;
/// assert_eq!(tagged.tags, ["a", "web"]);
/// let report = update::add_tag("", &image, &rules, now).unwrap_err();
/// assert_eq!((report.status(), report.violations()[0].code().as_str()), (400, "too_short"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// A [`Report`] (pointer `""`, the tag itself): 400 with create's code for a bad tag,
/// 413 `too_many` past the quota.
pub fn add_tag<'i>(
    tag: &str,
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    add_tag_to(tag, image.into(), rules, now)
}

/// [`add_tag`], built once.
fn add_tag_to(
    tag: &str,
    image: Cow<'_, Record>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    // Not read from JSON: a NUL may be there raw, so the checker looks at every
    // character (no shortcut from the largest byte).
    let mut ck = Checker::new(rules, u8::MAX);
    ck.tag(0, Shape::Str(Cow::Borrowed(tag)));
    if !ck.found.is_empty() {
        let mut list = ck.found.take_made();
        for v in &mut list {
            // Create's rule named tag 0: the message names "the tag", at the body.
            v.set_subject(Subject::OneTag);
            v.set_pointer(Short::Static(""));
        }
        return Err(Report::new(list));
    }
    let mut out = image.into_owned();
    out.updated_at = now;
    if out.tags.iter().any(|t| t == tag) {
        return Ok(out);
    }
    if out.tags.len() >= rules.max_tags {
        let detail = Detail::TooMany {
            what: Quota::Tags,
            n: out.tags.len() + 1,
            max: rules.max_tags,
        };
        // IMS's code for too many tags, as on create.
        return Err(one(Code::TooMany, detail, Some("IMG.0116")));
    }
    out.tags.push(tag.to_owned());
    Ok(out)
}

/// The answer to a call on an image the server does not have (`GET`, `PATCH`,
/// `DELETE` of `/v2/images/{image_id}` and the tag calls): 404 `not_found` at `""`,
/// naming the id as asked (quoted when the rules quote input), in `style`. The store
/// is the server's; the answer's shape is the crate's, as for every other refusal.
///
/// ```
/// use ims_image_meta::report::Style;
/// use ims_image_meta::{update, Code, Rules};
///
/// let a = update::answer_image_not_found("nope", &Rules::default(), Style::default());
/// assert_eq!(a.status(), 404);
/// assert_eq!(a.report().unwrap().violations()[0].code(), Code::NotFound);
/// ```
pub fn answer_image_not_found(image_id: &str, rules: &Rules, style: Style) -> Answer {
    let got = rules.quote_input.then(|| quote(image_id));
    let report = one(
        Code::NotFound,
        Detail::Patch(PatchFault::ImageNotFound(got)),
        None,
    );
    Answer::refused(report, style, None)
}

/// Removes `tag` from `image` at `now` (`DELETE /v2/images/{id}/tags/{tag}`, SPEC
/// §8.3; the server answers 204).
///
/// # Errors
///
/// 404 `not_found` (pointer `""`) when the image does not have the tag.
pub fn remove_tag<'i>(
    tag: &str,
    image: impl Into<Cow<'i, Record>>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    remove_tag_from(tag, image.into(), rules, now)
}

/// [`remove_tag`], built once.
fn remove_tag_from(
    tag: &str,
    image: Cow<'_, Record>,
    rules: &Rules,
    now: Timestamp,
) -> Result<Record, Report> {
    if !image.tags.iter().any(|t| t == tag) {
        let got = rules.quote_input.then(|| quote(tag));
        return Err(one(
            Code::NotFound,
            Detail::Patch(PatchFault::TagNotFound(got)),
            None,
        ));
    }
    let mut out = image.into_owned();
    out.tags.retain(|t| t != tag);
    out.updated_at = now;
    Ok(out)
}
