//! [`ims-image-meta`](ims_image_meta) on axum: extractors that read a call's body under
//! the rules' cap and the client's choice of shape and language, and [`ImsResponse`],
//! the crate's answer (status, content type, bytes, `Accept-Patch`, warnings) as an
//! axum response. The rules are the crate's: nothing here judges a body.
//!
//! ```no_run
//! use axum::{routing::post, Router};
//! use ims_image_meta::{answer, Context, Rules, Timestamp};
//! use ims_image_meta_axum::{CreateBody, Ims, ImsResponse};
//!
//! async fn create(ims: axum::extract::State<Ims>, body: CreateBody) -> ImsResponse {
//!     let ctx = Context::new(
//!         "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86",
//!         "b912fb4a4c464b568ecfca1071b21b10",
//!         Timestamp::from_system_time(std::time::SystemTime::now()).unwrap(),
//!     )
//!     .unwrap();
//!     ImsResponse(answer(&body.bytes, ims.rules(), &ctx, body.style))
//! }
//!
//! # async fn serve() {
//! let app: Router = Router::new()
//!     .route("/v2/images", post(create))
//!     .with_state(Ims::new(Rules::default()));
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await.unwrap();
//! axum::serve(listener, app).await.unwrap();
//! # }
//! ```
//!
//! - A create body must be sent as `application/json` (or a `+json` type): otherwise
//!   415 with `Accept-Post: application/json`, nothing read.
//! - A PATCH body is read whatever its `Content-Type`; the crate's answer judges the
//!   media type (415 with `Accept-Patch`, SPEC §8.2).
//! - A body is read one byte past the rules' cap at most: a longer one is answered with
//!   the crate's 413 `body_too_large` report, not axum's text.
//! - `Accept: application/problem+json` picks RFC 9457 problem details, `?format=ims` the
//!   IMS shape, else the [`Ims`] default (Glance's); `Accept-Language: zh…` picks Chinese.
//!   No refusal is a 422.
//! - Warnings of an accepted body go out as `X-Ims-Warning: CODE: MESSAGE` headers, one
//!   per warning, at most [`MAX_WARNING_HEADERS`] (then `X-Ims-Warnings-Omitted: N`).

#![forbid(unsafe_code)]
#![deny(missing_docs)]

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{FromRef, FromRequest, FromRequestParts, Request};
use axum::http::header::{ACCEPT, ACCEPT_LANGUAGE, CONTENT_TYPE};
use axum::http::request::Parts;
use axum::http::{HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;
use ims_image_meta::report::{Format, Problem, Style};
use ims_image_meta::{Answer, Locale, Rules};

pub mod reference;

/// The header each warning of an accepted body goes out in: `CODE: MESSAGE`.
pub const WARNING_HEADER: &str = "x-ims-warning";

/// The most [`WARNING_HEADER`]s sent: a body full of near-miss keys has a warning per
/// key, and clients refuse answers with too many header fields (ureq: 100).
pub const MAX_WARNING_HEADERS: usize = 32;

/// Sent with the count of warnings left out when there are more than
/// [`MAX_WARNING_HEADERS`].
pub const WARNINGS_OMITTED_HEADER: &str = "x-ims-warnings-omitted";

/// What the extractors need from the router's state: the rules and the default style
/// of a refusal. `FromRef` it from your own state, or use it as the state.
#[derive(Debug, Clone)]
pub struct Ims {
    rules: Arc<Rules>,
    style: Style,
}

impl Ims {
    /// The rules, with refusals in Glance's shape and English unless the client asks.
    pub fn new(rules: Rules) -> Ims {
        Ims {
            rules: Arc::new(rules),
            style: Style::default(),
        }
    }

    /// The same, with another default style (the client's `Accept` and
    /// `Accept-Language` still win).
    pub fn with_style(mut self, style: Style) -> Ims {
        self.style = style;
        self
    }

    /// The rules every call is judged by.
    pub fn rules(&self) -> &Rules {
        &self.rules
    }
}

/// The style the client asked for: `Accept: application/problem+json` (problem
/// details), `?format=ims` (the IMS shape), `Accept-Language: zh…` (Chinese); the rest
/// from the router's default.
#[derive(Debug, Clone, Copy)]
pub struct Negotiated(pub Style);

impl Negotiated {
    /// The style `parts` asks for, over `default`.
    pub fn from_parts(parts: &Parts, default: Style) -> Negotiated {
        let header = |name| {
            parts
                .headers
                .get_all(name)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .collect::<Vec<_>>()
                .join(",")
        };
        let problem = header(ACCEPT)
            .split(',')
            .any(|t| media_type_is(t, Problem::MEDIA_TYPE));
        let ims = parts
            .uri
            .query()
            .is_some_and(|q| q.split('&').any(|p| p == "format=ims"));
        let format = match (problem, ims) {
            (true, _) => Format::Problem,
            (false, true) => Format::Ims,
            _ => default.format,
        };
        let zh = header(ACCEPT_LANGUAGE)
            .split(',')
            .next()
            .is_some_and(|l| l.trim().to_ascii_lowercase().starts_with("zh"));
        let locale = if zh { Locale::ZhCn } else { default.locale };
        Negotiated(Style::new(format, locale))
    }
}

impl<S> FromRequestParts<S> for Negotiated
where
    Ims: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ok(Negotiated::from_parts(parts, Ims::from_ref(state).style))
    }
}

/// A create body (`POST /v2/images`): its bytes, read up to one byte past the rules'
/// cap, and the style asked for. Refused with 415 unless sent as JSON.
#[derive(Debug)]
pub struct CreateBody {
    /// The body, at most the rules' cap plus one byte (the crate answers a longer one
    /// with `body_too_large`).
    pub bytes: Bytes,
    /// How the client asked to be answered.
    pub style: Style,
}

impl<S> FromRequest<S> for CreateBody
where
    Ims: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let (media_type, bytes, style) = read_request(req, state, is_json).await?;
        match media_type {
            Some(_) => Ok(CreateBody { bytes, style }),
            None => Err((
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                [(HeaderName::from_static("accept-post"), "application/json")],
            )
                .into_response()),
        }
    }
}

/// A patch body (`PATCH /v2/images/{id}`): its `Content-Type` as sent (the crate's
/// answer judges it), its bytes up to one byte past the cap, and the style asked for.
#[derive(Debug)]
pub struct PatchBody {
    /// The `Content-Type` header's value (empty when absent or not text).
    pub media_type: String,
    /// The patch document, at most the rules' cap plus one byte.
    pub bytes: Bytes,
    /// How the client asked to be answered.
    pub style: Style,
}

impl<S> FromRequest<S> for PatchBody
where
    Ims: FromRef<S>,
    S: Send + Sync,
{
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        // Any media type: the crate's answer judges it.
        let (media_type, bytes, style) = read_request(req, state, |_| true).await?;
        let media_type = media_type.unwrap_or_default();
        Ok(PatchBody {
            media_type,
            bytes,
            style,
        })
    }
}

/// What both body extractors read: the `Content-Type` (`None` when `accept` refuses
/// it; then no body is read), the body up to one byte past the rules' cap, and the
/// style asked for.
async fn read_request<S>(
    req: Request,
    state: &S,
    accept: impl Fn(&str) -> bool,
) -> Result<(Option<String>, Bytes, Style), Response>
where
    Ims: FromRef<S>,
{
    let ims = Ims::from_ref(state);
    let (parts, body) = req.into_parts();
    let style = Negotiated::from_parts(&parts, ims.style).0;
    let media_type = parts
        .headers
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if !accept(media_type) {
        return Ok((None, Bytes::new(), style));
    }
    let media_type = media_type.to_owned();
    let bytes = read_capped(body, ims.rules.max_body_bytes()).await?;
    Ok((Some(media_type), bytes, style))
}

/// Reads `body` up to `cap + 1` bytes: enough for the crate to see it is over the cap,
/// whatever `Content-Length` says. A body that fails to arrive is a 400 with no body.
async fn read_capped(mut body: Body, cap: usize) -> Result<Bytes, Response> {
    let limit = cap.saturating_add(1);
    let mut out = Vec::new();
    while out.len() < limit {
        match body.frame().await {
            None => break,
            Some(Ok(frame)) => {
                if let Ok(data) = frame.into_data() {
                    let room = limit - out.len();
                    out.extend_from_slice(&data[..data.len().min(room)]);
                }
            }
            Some(Err(_)) => return Err(StatusCode::BAD_REQUEST.into_response()),
        }
    }
    Ok(Bytes::from(out))
}

/// Whether a `Content-Type` is JSON: `application/json` or a `+json` type, ignoring
/// case, spaces and parameters.
fn is_json(content_type: &str) -> bool {
    let essence = content_type.split(';').next().unwrap_or_default().trim();
    media_type_is(essence, "application/json")
        || essence
            .get(essence.len().saturating_sub(5)..)
            .is_some_and(|tail| tail.eq_ignore_ascii_case("+json"))
}

/// Whether one entry of an `Accept` list (or a `Content-Type`) names `media_type`.
fn media_type_is(entry: &str, media_type: &str) -> bool {
    entry
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .eq_ignore_ascii_case(media_type)
}

/// The crate's answer as an axum response: its status, `Content-Type` (none on a 204),
/// bytes, `Accept-Patch` on a refused PATCH, and one [`WARNING_HEADER`] per warning.
#[derive(Debug)]
pub struct ImsResponse(pub Answer);

impl IntoResponse for ImsResponse {
    fn into_response(self) -> Response {
        let a = self.0;
        let status = StatusCode::from_u16(a.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        let mut headers = Vec::new();
        if !a.body().is_empty() {
            headers.push((CONTENT_TYPE, HeaderValue::from_static(a.content_type())));
        }
        if let Some(v) = a.accept_patch() {
            headers.push((
                HeaderName::from_static("accept-patch"),
                HeaderValue::from_static(v),
            ));
        }
        let warnings = a.warnings().iter().count();
        for w in a.warnings().iter().take(MAX_WARNING_HEADERS) {
            // The message as JSON string contents: no control character in a header.
            let message = serde_json::to_string(&w.message()).unwrap_or_default();
            let message = message.trim_matches('"');
            let line = format!("{}: {message}", w.code());
            if let Ok(v) = HeaderValue::from_bytes(line.as_bytes()) {
                headers.push((HeaderName::from_static(WARNING_HEADER), v));
            }
        }
        if warnings > MAX_WARNING_HEADERS {
            let omitted = (warnings - MAX_WARNING_HEADERS).to_string();
            if let Ok(v) = HeaderValue::from_str(&omitted) {
                headers.push((HeaderName::from_static(WARNINGS_OMITTED_HEADER), v));
            }
        }
        let mut response = Response::new(Body::from(a.into_body()));
        *response.status_mut() = status;
        for (name, value) in headers {
            response.headers_mut().append(name, value);
        }
        response
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_media_types() {
        for t in [
            "application/json",
            "Application/JSON; charset=utf-8",
            " application/json ",
            "application/merge-patch+json",
        ] {
            assert!(is_json(t), "{t}");
        }
        for t in [
            "text/plain",
            "application/jsonx",
            "",
            "json",
            "application/x-json",
        ] {
            assert!(!is_json(t), "{t}");
        }
    }
}
