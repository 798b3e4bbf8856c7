//! The adapter between the bindings (Python, WebAssembly) and the core: the ONE place
//! where a binding's options become the core's [`Rules`] and where the core's verdicts
//! are rendered for a foreign language. It holds no rule: every verdict is the core's.
//!
//! The Python binding calls [`validate`], [`derive`] and the schema functions with an
//! [`Options`] it fills from keyword arguments; the WebAssembly binding goes through
//! [`wire`], which takes the options as JSON text and answers JSON (bytes in, JSON out).
//!
//! Features of the contract that the core does not have yet are refused here with an
//! [`ErrorKind::Unsupported`] error, so that they light up in both bindings by changing
//! this file only:
//!
//! - named profiles other than `ims-2022` (SPEC section 7) — see [`Options::rules`];
//! - rule sets loaded from JSON (`rules`), except the conformance file's
//!   `min_disk_range` override — see [`Options::rules`];
//! - `params` on violations (always `{}` today) — see [`violations`];
//! - locales other than `en` — see [`Options::check_locale`];
//! - the RFC 9457 problem+json rendering — see [`problem`].

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::fmt;

use ims_image_meta::{Catalog, Context, Report, Rules, Timestamp};
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
    /// A feature of the contract that this core does not have yet.
    Unsupported,
    /// Options that make no sense (an unknown name, a wrong type, an empty range).
    Invalid,
}

impl ErrorKind {
    /// `"unsupported"` or `"invalid"`.
    pub const fn as_str(self) -> &'static str {
        match self {
            ErrorKind::Unsupported => "unsupported",
            ErrorKind::Invalid => "invalid",
        }
    }
}

/// Options the core cannot honour: not a verdict on the body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OptionsError {
    /// Unsupported by this core, or invalid.
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

fn unsupported(message: impl Into<String>) -> OptionsError {
    OptionsError {
        kind: ErrorKind::Unsupported,
        message: message.into(),
    }
}

fn invalid(message: impl Into<String>) -> OptionsError {
    OptionsError {
        kind: ErrorKind::Invalid,
        message: message.into(),
    }
}

impl Options {
    /// The core's [`Rules`] for these options: the profile, then the knob overrides,
    /// then the catalog.
    pub fn rules(&self) -> Result<Rules, OptionsError> {
        // TODO(core): named profiles (SPEC section 7) — replace with the core's lookup
        // of a profile by name once it has one.
        let mut rules = match self.profile.as_str() {
            DEFAULT_PROFILE => Rules::default(),
            p if PROFILES.contains(&p) => {
                return Err(unsupported(format!(
                    "profile {p:?} is not supported by this core yet (only {DEFAULT_PROFILE:?})"
                )))
            }
            p => {
                return Err(invalid(format!(
                    "unknown profile {p:?}: expected one of {}",
                    PROFILES.join(", ")
                )))
            }
        };
        if let Some(overrides) = &self.rules {
            apply_overrides(&mut rules, overrides)?;
        }
        match &self.catalog {
            CatalogSource::Builtin => {}
            CatalogSource::Csv(text) => {
                rules.catalog =
                    Catalog::from_csv(text).map_err(|e| invalid(format!("catalog (CSV): {e}")))?;
            }
            CatalogSource::OsVersionJson(bytes) => {
                rules.catalog = Catalog::from_os_version_json(bytes)
                    .map_err(|e| invalid(format!("catalog (os_version JSON): {e}")))?;
            }
        }
        Ok(rules)
    }

    /// Refuses a locale this core cannot render messages in.
    pub fn check_locale(&self) -> Result<(), OptionsError> {
        // TODO(core): locales — pass the locale to the core's message rendering.
        match self.locale.as_str() {
            DEFAULT_LOCALE => Ok(()),
            l if LOCALES.contains(&l) => Err(unsupported(format!(
                "locale {l:?} is not supported by this core yet (only {DEFAULT_LOCALE:?})"
            ))),
            l => Err(invalid(format!(
                "unknown locale {l:?}: expected one of {}",
                LOCALES.join(", ")
            ))),
        }
    }
}

/// Applies `rules` overrides. Today only the conformance file's
/// `{"min_disk_range": [lo, hi]}`; any other knob is refused as unsupported.
fn apply_overrides(rules: &mut Rules, overrides: &Value) -> Result<(), OptionsError> {
    let Value::Object(map) = overrides else {
        return Err(invalid("rules must be a JSON object of knobs"));
    };
    for (knob, value) in map {
        match knob.as_str() {
            "min_disk_range" => {
                let pair = value
                    .as_array()
                    .filter(|a| a.len() == 2)
                    .and_then(|a| Some((as_u32(&a[0])?, as_u32(&a[1])?)));
                let Some((lo, hi)) = pair else {
                    return Err(invalid(
                        "rules.min_disk_range must be [lo, hi], two integers 0..=4294967295",
                    ));
                };
                if lo > hi {
                    return Err(invalid(format!(
                        "rules.min_disk_range [{lo}, {hi}] is empty"
                    )));
                }
                rules.min_disk = lo..=hi;
            }
            // TODO(core): rule sets from JSON (SPEC section 7) — hand the whole object
            // to the core's loader once it has one.
            other => {
                return Err(unsupported(format!(
                    "rules.{other}: rule sets from JSON are not supported by this core yet \
                     (only min_disk_range)"
                )))
            }
        }
    }
    Ok(())
}

fn as_u32(v: &Value) -> Option<u32> {
    v.as_u64().and_then(|n| u32::try_from(n).ok())
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
    fn from_report(report: &Report) -> Rejection {
        Rejection {
            status: report.status(),
            violations: violations(report),
            problem: problem(report),
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

/// One violation as the bindings show it (fields in this order).
#[derive(Serialize)]
struct ViolationOut<'a> {
    pointer: &'a str,
    code: &'static str,
    message: &'a str,
    ims_code: Option<&'static str>,
    params: Value,
}

/// The violations of a report as JSON text, each with its `params`.
pub fn violations(report: &Report) -> String {
    let out: Vec<ViolationOut<'_>> = report
        .violations()
        .iter()
        .map(|v| ViolationOut {
            pointer: v.pointer(),
            code: v.code().as_str(),
            message: v.message(),
            ims_code: v.ims_code(),
            // TODO(core): params on violations — the core's own params object.
            params: json!({}),
        })
        .collect();
    to_text(&out)
}

/// The report as RFC 9457 problem details: `type`, `title`, `status`, `detail`, and
/// `errors` (one per violation: `pointer`, `code`, `detail`, `params`), plus the IMS
/// code as the extension member `ims_code`.
///
/// TODO(core): problem+json rendering — a minimal stand-in built from the report's
/// fields; replace it with the core's renderer once it has one.
pub fn problem(report: &Report) -> String {
    #[derive(Serialize)]
    struct Problem<'a> {
        #[serde(rename = "type")]
        kind: &'static str,
        title: &'static str,
        status: u16,
        detail: String,
        ims_code: &'static str,
        errors: Vec<ProblemError<'a>>,
    }
    #[derive(Serialize)]
    struct ProblemError<'a> {
        pointer: &'a str,
        code: &'static str,
        detail: &'a str,
        params: Value,
    }
    let status = report.status();
    let problem = Problem {
        kind: "about:blank",
        title: match status {
            400 => "Bad Request",
            403 => "Forbidden",
            413 => "Content Too Large",
            _ => "Error",
        },
        status,
        detail: report.ims_error().message(),
        ims_code: report.ims_error().code(),
        errors: report
            .violations()
            .iter()
            .map(|v| ProblemError {
                pointer: v.pointer(),
                code: v.code().as_str(),
                detail: v.message(),
                params: json!({}),
            })
            .collect(),
    };
    to_text(&problem)
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
    opts.check_locale()?;
    let rules = opts.rules()?;
    Ok(match ims_image_meta::validate(body, &rules) {
        Ok(ok) => Verdict::Accepted {
            request: to_text(&ok.request),
            warnings: to_text(ok.warnings),
        },
        Err(report) => Verdict::Rejected(Rejection::from_report(&report)),
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
    opts.check_locale()?;
    let rules = opts.rules()?;
    Ok(match ims_image_meta::validate(body, &rules) {
        Ok(ok) => Ok(Derived {
            warnings: to_text(ok.warnings),
            record: to_text(&ok.request.into_record(ctx)),
        }),
        Err(report) => Err(Rejection::from_report(&report)),
    })
}

/// JSON text: the JSON Schema of a request body under `opts`.
pub fn request_schema(opts: &Options) -> Result<String, OptionsError> {
    Ok(ims_image_meta::request_schema(&opts.rules()?).to_string())
}

/// JSON text: the JSON Schema of the record.
pub fn record_schema() -> String {
    ims_image_meta::record_schema().to_string()
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
    fn unsupported_and_invalid_are_told_apart() {
        let with_profile = |p: &str| Options {
            profile: p.into(),
            ..Options::default()
        };
        assert_eq!(
            with_profile("otc").rules().unwrap_err().kind,
            ErrorKind::Unsupported
        );
        assert_eq!(
            with_profile("nope").rules().unwrap_err().kind,
            ErrorKind::Invalid
        );
        let mut o = Options {
            locale: "zh-CN".into(),
            ..Options::default()
        };
        assert_eq!(o.check_locale().unwrap_err().kind, ErrorKind::Unsupported);
        o.rules = Some(json!({"min_disk_range": [5, 1]}));
        assert_eq!(o.rules().unwrap_err().kind, ErrorKind::Invalid);
    }

    #[test]
    fn min_disk_range_reaches_the_rules() {
        let o = Options {
            rules: Some(json!({"min_disk_range": [1, 1024]})),
            ..Options::default()
        };
        assert_eq!(o.rules().unwrap().min_disk, 1..=1024);
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
