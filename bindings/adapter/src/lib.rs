//! The adapter between the bindings (Python, WebAssembly) and the core: the ONE place
//! where a binding's options become the core's [`Rules`] and where the core's verdicts
//! are rendered for a foreign language. It holds no rule: every verdict is the core's.
//!
//! A binding compiles its options once into a [`Validator`] (the core's `Rules` and
//! the locale of messages) and calls it many times; default options, and a bare
//! profile and locale, have kept validators ([`Validator::default_ref`],
//! [`Validator::cached`]). The Python binding builds its results as Python objects
//! from the core's values; the WebAssembly binding reads its options as JSON and
//! renders results on demand through [`wire`].
//!
//! Everything is the core's: named profiles (`Profile`), rule sets from JSON
//! (`Rules::from_json`: every knob by name, plus the conformance files'
//! `min_disk_range` shorthand), the catalog loaders, `params`, the locales and the
//! RFC 9457 rendering. This crate only maps option names.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;
use std::sync::OnceLock;

use ims_image_meta::{
    report::{Format, Style},
    warning::Warnings,
    Answer, Catalog, Context, Locale, Profile, Report, Rules, Timestamp, Validated,
};
use serde::Serialize;
use serde_json::{json, Map, Value};

/// The profile used when none is named.
pub const DEFAULT_PROFILE: &str = "ims-2022";
/// The profiles of SPEC section 7.
pub const PROFILES: &[&str] = &["ims-2022", "huaweicloud", "otc"];
/// The locale used when none is named.
pub const DEFAULT_LOCALE: &str = "en";
/// The locales of the contract's messages.
pub const LOCALES: &[&str] = &["en", "zh-CN"];
/// The shapes of a rendered report (the core's `report::Format`, `glance` first: the
/// default).
pub const FORMATS: &[&str] = &["glance", "ims", "problem"];

/// Where the `__os_version` catalog comes from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum CatalogSource {
    /// The catalog built into the core (the default).
    #[default]
    Builtin,
    /// CSV text in the format of the core's `data/os_versions.csv`.
    Csv(String),
    /// The JSON answer of IMS's OS-version listing (`Catalog::from_os_version_json`).
    OsVersionJson(Vec<u8>),
}

/// What a caller may choose, in every binding.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    /// A named profile (SPEC section 7).
    pub profile: String,
    /// Knob overrides, as a JSON object.
    pub rules: Option<Value>,
    /// The `__os_version` catalog.
    pub catalog: CatalogSource,
    /// The language of messages.
    pub locale: String,
    /// The shape of a rendered report ([`Validator::answer`]): `glance`, `ims` or
    /// `problem` (the core's `report::Format`).
    pub format: String,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: DEFAULT_PROFILE.to_owned(),
            rules: None,
            catalog: CatalogSource::Builtin,
            locale: DEFAULT_LOCALE.to_owned(),
            format: Format::default().as_str().to_owned(),
        }
    }
}

/// Why options were refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    /// Options that make no sense (an unknown name, a wrong type, an empty range).
    Invalid,
}

impl ErrorKind {
    /// `"invalid"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Invalid => "invalid",
        }
    }
}

/// Options the core cannot honour: not a verdict on the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// Why: options that make no sense.
    pub kind: ErrorKind,
    /// An English message naming the option.
    pub message: String,
}

impl fmt::Display for OptionsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for OptionsError {}

fn invalid(message: impl Into<String>) -> OptionsError {
    OptionsError {
        kind: ErrorKind::Invalid,
        message: message.into(),
    }
}

impl Options {
    /// The core's [`Rules`] for these options: the profile, then the knob overrides
    /// (`Rules::from_json`, knobs by name), then the catalog.
    pub fn rules(&self) -> Result<Rules, OptionsError> {
        let profile: Profile = self.profile.parse().map_err(|_| {
            invalid(format!(
                "unknown profile {:?}: expected one of {}",
                self.profile,
                PROFILES.join(", ")
            ))
        })?;
        let rules = match &self.rules {
            None => Rules::profile(profile),
            Some(Value::Object(map)) => {
                let mut map = map.clone();
                // The conformance files' shorthand: one range for every OS type.
                if let Some(range) = map.remove("min_disk_range") {
                    map.insert("min_disk_linux".into(), range.clone());
                    map.insert("min_disk_windows".into(), range);
                }
                map.entry("profile")
                    .or_insert_with(|| Value::String(profile.to_string()));
                let text = to_text(&map);
                Rules::from_json(text.as_bytes()).map_err(|e| invalid(e.to_string()))?
            }
            Some(_) => return Err(invalid("rules must be a JSON object of knobs")),
        };
        let catalog = match &self.catalog {
            CatalogSource::Builtin => return Ok(rules),
            CatalogSource::Csv(text) => {
                Catalog::from_csv(text).map_err(|e| invalid(format!("catalog (CSV): {e}")))?
            }
            CatalogSource::OsVersionJson(bytes) => Catalog::from_os_version_json(bytes)
                .map_err(|e| invalid(format!("catalog (os_version JSON): {e}")))?,
        };
        rules
            .to_builder()
            .catalog(catalog)
            .build()
            .map_err(|e| invalid(e.to_string()))
    }

    /// The locale of messages.
    pub fn locale(&self) -> Result<Locale, OptionsError> {
        self.locale.parse().map_err(|_| {
            invalid(format!(
                "unknown locale {:?}: expected one of {}",
                self.locale,
                LOCALES.join(", ")
            ))
        })
    }

    /// How a report is rendered: the format and the locale.
    pub fn style(&self) -> Result<Style, OptionsError> {
        let format: Format = self.format.parse().map_err(|_| {
            invalid(format!(
                "unknown format {:?}: expected one of {}",
                self.format,
                FORMATS.join(", ")
            ))
        })?;
        Ok(Style::new(format, self.locale()?))
    }
}

/// Options compiled once: the core's [`Rules`] and the [`Style`] of reports (format and
/// locale). Build one per set of options and call it many times; every verdict is the
/// core's.
#[derive(Debug, Clone, PartialEq)]
pub struct Validator {
    rules: Rules,
    style: Style,
}

impl Validator {
    /// The rules and locale of `opts`.
    pub fn new(opts: &Options) -> Result<Validator, OptionsError> {
        Ok(Validator {
            style: opts.style()?,
            rules: opts.rules()?,
        })
    }

    /// The validator of a named profile and locale (as spelled in [`PROFILES`] and
    /// [`LOCALES`]) with no knob overrides and the built-in catalog, built on first
    /// use and kept: the six of them cost nothing per call after that. `None` for any
    /// other name (build it with [`Validator::new`], which says what is wrong).
    pub fn cached(profile: &str, locale: &str) -> Option<&'static Validator> {
        static CACHE: [[OnceLock<Validator>; 2]; 3] = [
            [OnceLock::new(), OnceLock::new()],
            [OnceLock::new(), OnceLock::new()],
            [OnceLock::new(), OnceLock::new()],
        ];
        let p = PROFILES.iter().position(|&n| n == profile)?;
        let l = LOCALES.iter().position(|&n| n == locale)?;
        let slot = CACHE.get(p)?.get(l)?;
        if let Some(v) = slot.get() {
            return Some(v);
        }
        let opts = Options {
            profile: profile.to_owned(),
            locale: locale.to_owned(),
            ..Options::default()
        };
        let v = Validator::new(&opts).ok()?;
        Some(slot.get_or_init(|| v))
    }

    /// The validator of the default options (`ims-2022`, built-in catalog, `en`).
    pub fn default_ref() -> &'static Validator {
        static DEFAULT: OnceLock<Validator> = OnceLock::new();
        DEFAULT.get_or_init(|| Validator {
            rules: Rules::default(),
            style: Style::default(),
        })
    }

    /// The rules.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }

    /// The locale of messages.
    pub fn locale(&self) -> Locale {
        self.style.locale
    }

    /// The style of rendered reports.
    pub fn style(&self) -> Style {
        self.style
    }

    /// The core's verdict on `body` under these rules.
    pub fn validate<'a>(&self, body: &'a [u8]) -> Result<Validated<'a>, Report> {
        ims_image_meta::validate(body, &self.rules)
    }

    /// The whole answer to `body` by the core's one road (`ims_image_meta::answer`):
    /// the status, the media type and the bytes (the 201 record, or the report in
    /// this validator's style).
    pub fn answer(&self, body: &[u8], ctx: &Context) -> Answer {
        ims_image_meta::answer(body, &self.rules, ctx, self.style)
    }
}

/// An update of an image (SPEC §8): which call, and its argument.
#[derive(Debug, Clone, Copy)]
pub enum Update<'a> {
    /// `PATCH /v2/images/{id}`: the request's media type and the patch document.
    Patch {
        /// The `Content-Type` (`application/openstack-images-v2.1-json-patch` or the
        /// v2.0 one).
        media_type: &'a str,
        /// The patch document's bytes.
        body: &'a [u8],
    },
    /// `PUT /v2/images/{id}/tags/{tag}`.
    AddTag(&'a str),
    /// `DELETE /v2/images/{id}/tags/{tag}`.
    RemoveTag(&'a str),
}

/// The media type a patch is sent with when none is named: v2.1.
pub const DEFAULT_MEDIA_TYPE: &str = "application/openstack-images-v2.1-json-patch";

impl Validator {
    /// The whole answer to an update of `image` (a record as JSON, as the service
    /// answers it) at `now_unix`, by the core's one road (`update::answer_patch`,
    /// `answer_add_tag`, `answer_remove_tag`): the status (200, 204, or the report's),
    /// the updated image or the report, and the bytes in this validator's style. An
    /// image that is not a record is an options error (the caller's input, not a
    /// verdict).
    pub fn answer_update(
        &self,
        call: Update<'_>,
        image: &[u8],
        now_unix: i64,
    ) -> Result<Answer, OptionsError> {
        use ims_image_meta::update;
        let image: ims_image_meta::Record =
            serde_json::from_slice(image).map_err(|e| invalid(format!("image: {e}")))?;
        let now = Timestamp::from_unix(now_unix).map_err(|e| invalid(format!("now: {e}")))?;
        let (rules, style) = (&self.rules, self.style);
        Ok(match call {
            Update::Patch { media_type, body } => {
                update::answer_patch(media_type, body, image, rules, now, style)
            }
            Update::AddTag(tag) => update::answer_add_tag(tag, image, rules, now, style),
            Update::RemoveTag(tag) => update::answer_remove_tag(tag, image, rules, now, style),
        })
    }
}

/// The context of a derivation, checked by the core.
pub fn context(image_id: &str, owner: &str, now_unix: i64) -> Result<Context, OptionsError> {
    let now = Timestamp::from_unix(now_unix).map_err(|e| invalid(format!("now: {e}")))?;
    Context::new(image_id, owner, now).map_err(|e| invalid(e.to_string()))
}

/// JSON text of a value, in its serializer's key order (a `serde_json::Value` would
/// sort the keys of the request and the record).
fn to_text<T: Serialize + ?Sized>(v: &T) -> String {
    // The core's types serialize to strings, numbers, booleans, arrays and objects
    // with string keys: serialization cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

/// Appends the JSON of `v` to `out` (see [`to_text`]).
fn write<T: Serialize + ?Sized>(out: &mut Vec<u8>, v: &T) {
    // As in `to_text`: the core's values always serialize.
    if serde_json::to_writer(&mut *out, v).is_err() {
        out.extend_from_slice(b"null");
    }
}

/// JSON in, JSON out: what a binding that speaks JSON text (WebAssembly) needs around
/// a [`Validator`]. Only options and on-demand renderings are JSON here; a verdict is a
/// status and counts (see the wasm binding).
///
/// Options are a JSON object with the keys `profile`, `rules`, `catalog`
/// (`{"csv": TEXT}` or `{"osVersionJson": TEXT}`) and `locale`. An options error is
/// `{"error": {"kind", "message"}}`.
pub mod wire {
    use super::*;

    /// `{"error": {"kind", "message"}}`.
    pub fn error(e: &OptionsError) -> String {
        json!({"error": {"kind": e.kind.as_str(), "message": e.message}}).to_string()
    }

    fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, OptionsError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("option {key} must be a string"))),
        }
    }

    /// The options in `text` (empty: the defaults).
    pub fn options(text: &[u8]) -> Result<Options, OptionsError> {
        let map = if text.is_empty() {
            Map::new()
        } else {
            match serde_json::from_slice(text) {
                Ok(Value::Object(map)) => map,
                _ => return Err(invalid("options must be a JSON object")),
            }
        };
        for key in map.keys() {
            if !["profile", "rules", "catalog", "locale", "format"].contains(&key.as_str()) {
                return Err(invalid(format!("unknown option {key:?}")));
            }
        }
        let mut opts = Options::default();
        if let Some(p) = string(&map, "profile")? {
            opts.profile = p;
        }
        if let Some(l) = string(&map, "locale")? {
            opts.locale = l;
        }
        if let Some(f) = string(&map, "format")? {
            opts.format = f;
        }
        opts.rules = map.get("rules").filter(|v| !v.is_null()).cloned();
        opts.catalog = match map.get("catalog") {
            None | Some(Value::Null) => CatalogSource::Builtin,
            Some(Value::Object(c)) if c.len() == 1 => match c.iter().next() {
                Some((k, Value::String(s))) if k == "csv" => CatalogSource::Csv(s.clone()),
                Some((k, Value::String(s))) if k == "osVersionJson" => {
                    CatalogSource::OsVersionJson(s.clone().into_bytes())
                }
                _ => {
                    return Err(invalid(
                        "catalog must be {csv: TEXT} or {osVersionJson: TEXT}",
                    ))
                }
            },
            Some(_) => {
                return Err(invalid(
                    "catalog must be {csv: TEXT} or {osVersionJson: TEXT}",
                ))
            }
        };
        Ok(opts)
    }

    /// The validator of the options in `text`.
    pub fn validator(text: &[u8]) -> Result<Validator, OptionsError> {
        Validator::new(&options(text)?)
    }

    /// Appends `{"request": …, "warnings": […]}` of an accepted body to `out`, the
    /// warnings in the validator's locale.
    pub fn write_accepted(v: &Validator, ok: &Validated<'_>, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"request\":");
        write(out, &ok.request);
        out.extend_from_slice(b",\"warnings\":");
        write_warnings(v, &ok.warnings, out);
        out.push(b'}');
    }

    /// Appends `{"record": …, "warnings": […]}` of an accepted body derived in `ctx`.
    pub fn write_derived(v: &Validator, ok: &Validated<'_>, ctx: &Context, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"record\":");
        ok.request.write_record_json(ctx, out);
        out.extend_from_slice(b",\"warnings\":");
        write_warnings(v, &ok.warnings, out);
        out.push(b'}');
    }

    fn write_warnings(v: &Validator, w: &Warnings, out: &mut Vec<u8>) {
        let list: Vec<_> = w.iter().map(|w| w.localized(v.locale())).collect();
        write(out, &list);
    }

    /// Appends `{"glance": {"status", "violations": […]}, "problem": {…}}` of a
    /// rejected body: the report in the Glance shape (each violation `{"pointer",
    /// "code", "message", "ims_code", "params"}`) and as RFC 9457 problem details, both
    /// by the core's report writer, messages in the validator's locale.
    pub fn write_rejected(v: &Validator, report: &Report, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"glance\":");
        report.write_json(Style::new(Format::Glance, v.locale()), out);
        out.extend_from_slice(b",\"problem\":");
        report.write_json(Style::new(Format::Problem, v.locale()), out);
        out.push(b'}');
    }

    /// Appends `{"image": …}` of an accepted update: the image as the core's record
    /// writer writes it.
    pub fn write_updated(image: &ims_image_meta::Record, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"image\":");
        image.write_json(out);
        out.push(b'}');
    }

    /// JSON text: the JSON Schema of a request body under the validator's rules.
    pub fn request_schema(v: &Validator) -> String {
        to_text(&ims_image_meta::schema::request_schema(v.rules()))
    }

    /// JSON text: the JSON Schema of the record.
    pub fn record_schema() -> String {
        to_text(&ims_image_meta::schema::record_schema())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_are_the_default_rules() {
        assert_eq!(Options::default().rules().unwrap(), Rules::default());
        assert_eq!(
            Validator::new(&Options::default()).unwrap(),
            *Validator::default_ref()
        );
    }

    #[test]
    fn kept_validators_are_the_ones_built_from_their_names() {
        for p in PROFILES {
            for l in LOCALES {
                let opts = Options {
                    profile: (*p).into(),
                    locale: (*l).into(),
                    ..Options::default()
                };
                let kept = Validator::cached(p, l).unwrap();
                assert_eq!(*kept, Validator::new(&opts).unwrap());
                assert!(std::ptr::eq(kept, Validator::cached(p, l).unwrap()));
            }
        }
        assert!(Validator::cached("nope", "en").is_none());
        assert!(Validator::cached("otc", "fr").is_none());
    }

    #[test]
    fn profiles_locales_and_rules_reach_the_core() {
        let with_profile = |p: &str| Options {
            profile: p.into(),
            ..Options::default()
        };
        assert_eq!(
            with_profile("otc").rules().unwrap(),
            Rules::profile(Profile::Otc)
        );
        assert_eq!(
            with_profile("nope").rules().unwrap_err().kind,
            ErrorKind::Invalid
        );
        let mut o = Options {
            locale: "zh-CN".into(),
            ..Options::default()
        };
        assert_eq!(o.locale().unwrap(), Locale::ZhCn);
        o.locale = "fr".into();
        assert_eq!(o.locale().unwrap_err().kind, ErrorKind::Invalid);
        o.rules = Some(json!({"min_disk_range": [5, 1]}));
        assert_eq!(o.rules().unwrap_err().kind, ErrorKind::Invalid);
        o.rules = Some(json!({"min_disk_range": [1, 1024], "max_tags": 3}));
        let r = o.rules().unwrap();
        assert_eq!((r.min_disk_linux(), r.max_tags()), (1..=1024, 3));
        o.rules = Some(json!({"no_such_knob": 1}));
        assert!(o.rules().unwrap_err().message.contains("no_such_knob"));
    }

    #[test]
    fn answer_takes_the_format_and_locale_of_the_options() {
        let ctx = context(
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
            "b912fb4a4c464b568ecfca1071b21b10",
            1464853788,
        )
        .unwrap();
        let opts = |format: &str| Options {
            format: format.into(),
            ..Options::default()
        };
        for f in FORMATS {
            let v = Validator::new(&opts(f)).unwrap();
            let a = v.answer(br#"{"min_disk": 1}"#, &ctx);
            let want = ims_image_meta::answer(
                br#"{"min_disk": 1}"#,
                &Rules::default(),
                &ctx,
                Style::new(f.parse().unwrap(), Locale::En),
            );
            assert_eq!(a, want);
            assert_eq!(a.status(), 400);
        }
        let problem = Validator::new(&opts("problem")).unwrap();
        assert_eq!(
            problem.answer(br#"{"min_disk": 1}"#, &ctx).content_type(),
            "application/problem+json"
        );
        let ok = problem.answer(b"{}", &ctx);
        assert_eq!((ok.status(), ok.content_type()), (201, "application/json"));
        assert_eq!(
            Validator::new(&opts("xml")).unwrap_err().kind,
            ErrorKind::Invalid
        );
        assert_eq!(
            FORMATS,
            ims_image_meta::report::Format::ALL
                .iter()
                .map(|f| f.as_str())
                .collect::<Vec<_>>()
        );
    }

    #[test]
    fn wire_options_and_renderings() {
        let parse = |b: &[u8]| -> Value { serde_json::from_slice(b).unwrap() };
        let v = wire::validator(b"").unwrap();
        let ok = v
            .validate(br#"{"zz": "1", "name": "a", "__os_version": "Ubuntu 14.04 server 64bit"}"#)
            .unwrap();
        let mut out = Vec::new();
        wire::write_accepted(&v, &ok, &mut out);
        let text = String::from_utf8(out.clone()).unwrap();
        // The request keeps the core's key order (custom properties last).
        assert!(
            text.find("\"name\"").unwrap() < text.find("\"zz\"").unwrap(),
            "{text}"
        );
        assert_eq!(parse(&out)["request"]["min_disk"], 40);
        let v = wire::validator(br#"{"profile": "ims-2022", "locale": "zh-CN"}"#).unwrap();
        let report = v.validate(br#"{"min_disk": 1}"#).unwrap_err();
        out.clear();
        wire::write_rejected(&v, &report, &mut out);
        let bad = parse(&out);
        assert_eq!(bad["glance"]["violations"][0]["pointer"], "/min_disk");
        assert_eq!(bad["glance"]["violations"][0]["params"]["min"], 40);
        assert_eq!(bad["problem"]["errors"][0]["code"], "out_of_range");
        assert_eq!(
            bad["problem"]["errors"][0]["detail"],
            bad["glance"]["violations"][0]["message"]
        );
        assert!(!bad["glance"]["violations"][0]["message"]
            .as_str()
            .unwrap()
            .is_ascii());
        assert_eq!(bad["glance"]["status"], 400);
        let err = wire::validator(br#"{"imageId": "x"}"#).unwrap_err();
        assert!(wire::error(&err).contains("unknown option"));
        let ctx = context(
            "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
            "b912fb4a4c464b568ecfca1071b21b10",
            1464853788,
        )
        .unwrap();
        let v = Validator::default_ref();
        out.clear();
        wire::write_derived(v, &v.validate(b"{}").unwrap(), &ctx, &mut out);
        let rec = parse(&out);
        assert_eq!(rec["record"]["created_at"], "2016-06-02T07:49:48Z");
        assert_eq!(rec["warnings"][0]["code"], "name_defaulted");
    }
}
