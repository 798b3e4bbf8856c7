//! The adapter between the bindings (Python, WebAssembly) and the core: the ONE place
//! where a binding's options become the core's [`Rules`] and where the core's verdicts
//! are rendered for a foreign language. It holds no rule: every verdict is the core's.
//!
//! The Python binding calls [`validate`], [`derive`] and the schema functions with an
//! [`Options`] it fills from keyword arguments; the WebAssembly binding goes through
//! [`wire`], which takes the options as JSON text and answers JSON (bytes in, JSON out).
//!
//! Everything is the core's: named profiles (`Profile`), rule sets from JSON
//! (`Rules::from_json`, plus the conformance files' `min_disk_range` shorthand), the
//! catalog loaders, `params`, the locales and the RFC 9457 rendering. This crate only
//! maps option names and renders JSON text.

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;

use ims_image_meta::{
    warning::Warnings, Catalog, Context, Locale, Profile, Report, Rules, Timestamp,
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
}

impl Default for Options {
    fn default() -> Self {
        Options {
            profile: DEFAULT_PROFILE.to_owned(),
            rules: None,
            catalog: CatalogSource::Builtin,
            locale: DEFAULT_LOCALE.to_owned(),
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
}

/// A rejected body, rendered: the status, every violation and the problem+json object.
#[derive(Debug, Clone, PartialEq)]
pub struct Rejection {
    /// 400, 403 or 413.
    pub status: u16,
    /// JSON text: `[{"pointer", "code", "message", "ims_code", "params"}]`, in body
    /// order.
    pub violations: String,
    /// JSON text: the RFC 9457 problem details object (see [`problem`]).
    pub problem: String,
    /// One line for an exception's message: the status and every violation.
    pub summary: String,
}

impl Rejection {
    fn from_report(report: &Report, locale: Locale) -> Rejection {
        Rejection {
            status: report.status(),
            violations: violations(report, locale),
            problem: problem(report, locale),
            summary: report.to_string(),
        }
    }

    /// JSON text: `{"ok": false, "status", "violations", "problem"}`.
    pub fn to_json(&self) -> String {
        format!(
            r#"{{"ok":false,"status":{},"violations":{},"problem":{}}}"#,
            self.status, self.violations, self.problem
        )
    }
}

/// The violations of a report as JSON text, each with its `params` and its message in
/// `locale` (the core's rendering: `{"pointer", "code", "message", "ims_code",
/// "params"}`).
pub fn violations(report: &Report, locale: Locale) -> String {
    let list: Vec<_> = report
        .violations()
        .iter()
        .map(|v| v.localized(locale))
        .collect();
    to_text(&list)
}

/// The warnings of an accepted body in `locale`, as JSON text.
fn warnings(w: &Warnings, locale: Locale) -> String {
    let list: Vec<_> = w.iter().map(|w| w.localized(locale)).collect();
    to_text(&list)
}

/// The report as RFC 9457 problem details (the core's rendering), as JSON text.
pub fn problem(report: &Report, locale: Locale) -> String {
    to_text(&report.problem(locale))
}

/// The verdict on a body.
#[derive(Debug, Clone, PartialEq)]
pub enum Verdict {
    /// Accepted: the request with every default filled in, and the warnings.
    Accepted {
        /// JSON text: the accepted request (`CreateRequest` as it serializes, in its
        /// key order).
        request: String,
        /// JSON text: `[{"pointer", "code", "message"}]`.
        warnings: String,
    },
    /// Rejected.
    Rejected(Rejection),
}

/// JSON text of a value, in its serializer's key order (a `serde_json::Value` would
/// sort the keys of the request and the record).
fn to_text<T: Serialize + ?Sized>(v: &T) -> String {
    // The core's types serialize to strings, numbers, booleans, arrays and objects
    // with string keys: serialization cannot fail.
    serde_json::to_string(v).unwrap_or_else(|_| "null".to_owned())
}

/// Validates `body` under `opts`.
pub fn validate(body: &[u8], opts: &Options) -> Result<Verdict, OptionsError> {
    let locale = opts.locale()?;
    let rules = opts.rules()?;
    Ok(match ims_image_meta::validate(body, &rules) {
        Ok(ok) => Verdict::Accepted {
            request: to_text(&ok.request),
            warnings: warnings(&ok.warnings, locale),
        },
        Err(report) => Verdict::Rejected(Rejection::from_report(&report, locale)),
    })
}

/// The record of an accepted body, with the warnings of its acceptance.
#[derive(Debug, Clone, PartialEq)]
pub struct Derived {
    /// JSON text: the 201 body, in the record's key order.
    pub record: String,
    /// JSON text: `[{"pointer", "code", "message"}]`.
    pub warnings: String,
}

/// The context of a derivation, checked by the core.
pub fn context(image_id: &str, owner: &str, now_unix: i64) -> Result<Context, OptionsError> {
    let now = Timestamp::from_unix(now_unix).map_err(|e| invalid(format!("now: {e}")))?;
    Context::new(image_id, owner, now).map_err(|e| invalid(e.to_string()))
}

/// Validates `body` under `opts` and derives the record with `ctx`.
pub fn derive(
    body: &[u8],
    opts: &Options,
    ctx: &Context,
) -> Result<Result<Derived, Rejection>, OptionsError> {
    let locale = opts.locale()?;
    let rules = opts.rules()?;
    Ok(match ims_image_meta::validate(body, &rules) {
        Ok(ok) => Ok(Derived {
            warnings: warnings(&ok.warnings, locale),
            record: to_text(&ok.request.into_record(ctx)),
        }),
        Err(report) => Err(Rejection::from_report(&report, locale)),
    })
}

/// JSON text: the JSON Schema of a request body under `opts`.
pub fn request_schema(opts: &Options) -> Result<String, OptionsError> {
    Ok(ims_image_meta::schema::request_schema(&opts.rules()?).to_string())
}

/// JSON text: the JSON Schema of the record.
pub fn record_schema() -> String {
    ims_image_meta::schema::record_schema().to_string()
}

/// JSON in, JSON out: the calls of a binding that speaks JSON text (WebAssembly).
///
/// Options are a JSON object with the keys `profile`, `rules`, `catalog`
/// (`{"csv": TEXT}` or `{"osVersionJson": TEXT}`), `locale`, and for [`wire::derive`]
/// also `imageId`, `owner` and `now` (Unix seconds). Every answer is an object: a
/// verdict (`"ok": true | false`) or `{"error": {"kind", "message"}}`.
pub mod wire {
    use super::*;

    fn error(e: OptionsError) -> String {
        json!({"error": {"kind": e.kind.as_str(), "message": e.message}}).to_string()
    }

    fn string(map: &Map<String, Value>, key: &str) -> Result<Option<String>, OptionsError> {
        match map.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(Value::String(s)) => Ok(Some(s.clone())),
            Some(_) => Err(invalid(format!("option {key} must be a string"))),
        }
    }

    /// The options in `text`, and the rest of the object (the context keys).
    fn options(text: &[u8], extra: &[&str]) -> Result<(Options, Map<String, Value>), OptionsError> {
        let map = if text.is_empty() {
            Map::new()
        } else {
            match serde_json::from_slice(text) {
                Ok(Value::Object(map)) => map,
                _ => return Err(invalid("options must be a JSON object")),
            }
        };
        for key in map.keys() {
            let known = ["profile", "rules", "catalog", "locale"].contains(&key.as_str())
                || extra.contains(&key.as_str());
            if !known {
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
        Ok((opts, map))
    }

    fn verdict(v: Verdict) -> String {
        match v {
            Verdict::Accepted { request, warnings } => {
                format!(r#"{{"ok":true,"request":{request},"warnings":{warnings}}}"#)
            }
            Verdict::Rejected(r) => r.to_json(),
        }
    }

    /// [`super::validate`]: `{"ok": true, "request", "warnings"}` or
    /// `{"ok": false, "status", "violations", "problem"}`.
    pub fn validate(body: &[u8], options_json: &[u8]) -> String {
        options(options_json, &[])
            .and_then(|(opts, _)| super::validate(body, &opts))
            .map_or_else(error, verdict)
    }

    /// [`super::derive`]: `{"ok": true, "record", "warnings"}` or the rejection.
    pub fn derive(body: &[u8], options_json: &[u8]) -> String {
        let run = || -> Result<String, OptionsError> {
            let (opts, map) = options(options_json, &["imageId", "owner", "now"])?;
            let image_id =
                string(&map, "imageId")?.ok_or_else(|| invalid("imageId is required"))?;
            let owner = string(&map, "owner")?.ok_or_else(|| invalid("owner is required"))?;
            let now = map
                .get("now")
                .and_then(Value::as_i64)
                .ok_or_else(|| invalid("now is required: an integer of Unix seconds"))?;
            let ctx = context(&image_id, &owner, now)?;
            Ok(match super::derive(body, &opts, &ctx)? {
                Ok(d) => format!(
                    r#"{{"ok":true,"record":{},"warnings":{}}}"#,
                    d.record, d.warnings
                ),
                Err(r) => r.to_json(),
            })
        };
        run().unwrap_or_else(error)
    }

    /// [`super::request_schema`]: `{"ok": true, "schema"}`.
    pub fn request_schema(options_json: &[u8]) -> String {
        options(options_json, &[])
            .and_then(|(opts, _)| super::request_schema(&opts))
            .map_or_else(error, |schema| {
                format!(r#"{{"ok":true,"schema":{schema}}}"#)
            })
    }

    /// [`super::record_schema`]: `{"ok": true, "schema"}`.
    pub fn record_schema() -> String {
        format!(r#"{{"ok":true,"schema":{}}}"#, super::record_schema())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_options_are_the_default_rules() {
        assert_eq!(Options::default().rules().unwrap(), Rules::default());
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
    fn wire_renders_both_verdicts_and_errors() {
        let parse = |s: String| -> Value { serde_json::from_str(&s).unwrap() };
        let ok = parse(wire::validate(
            br#"{"name": "a", "__os_version": "Ubuntu 14.04 server 64bit"}"#,
            b"",
        ));
        assert_eq!(ok["ok"], true);
        assert_eq!(ok["request"]["min_disk"], 40);
        let bad = parse(wire::validate(
            br#"{"min_disk": 1}"#,
            br#"{"profile": "ims-2022"}"#,
        ));
        assert_eq!(bad["status"], 400);
        assert_eq!(bad["violations"][0]["pointer"], "/min_disk");
        assert_eq!(bad["problem"]["errors"][0]["code"], "out_of_range");
        assert_eq!(bad["violations"][0]["params"]["min"], 40);
        let err = parse(wire::validate(b"{}", br#"{"imageId": "x"}"#));
        assert_eq!(err["error"]["kind"], "invalid");
        let rec = parse(wire::derive(
            b"{}",
            br#"{"imageId": "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "owner": "b912fb4a4c464b568ecfca1071b21b10", "now": 1464853788}"#,
        ));
        assert_eq!(rec["record"]["created_at"], "2016-06-02T07:49:48Z");
        // The request keeps the core's key order (custom properties last).
        let text = wire::validate(br#"{"zz": "1", "name": "a"}"#, b"");
        assert!(
            text.find("\"name\"").unwrap() < text.find("\"zz\"").unwrap(),
            "{text}"
        );
    }
}
