//! Server side: answer `POST /v2/images` with the crate's verdict, on loopback.
//!
//! ```text
//! cargo run --example server -- [--addr 127.0.0.1:8080] [--owner PROJECT_ID] [--max-requests N]
//! curl -si -X POST --data-binary @examples/sample-request.json http://127.0.0.1:8080/v2/images
//! ```
//!
//! A minimal HTTP/1.1 server on `std::net` alone (no dependency enters the library's
//! graph): one request per connection, answered and closed. `POST /v2/images` answers
//! 201 with the derived record (a random v4 id, the owner, the current time; warnings
//! in `X-Ims-Warning` headers) or the report with its status (400, 403, 413). With
//! `?format=ims` a rejection uses the IMS shape `{"error": {"code", "message"}}`; with
//! `Accept: application/problem+json`, RFC 9457 problem details; with
//! `Accept-Language: zh-CN`, Chinese messages.
//! `GET /v2/schemas/image` serves the record schema, `GET /v2/schemas/image-create` the
//! request schema, `GET /v2/schemas/image-patch` the schema of a v2.1 patch document.
//!
//! The images it creates are kept in memory (`GET /v2/images/{id}` reads one back), and
//! the update calls work on them (issue 23): `PATCH /v2/images/{id}` (its
//! `Content-Type` one of the two JSON-patch types, each answered in `Accept-Patch`)
//! answers 200 with the updated image, `PUT` and `DELETE /v2/images/{id}/tags/{tag}`
//! answer 204; a refusal is the report with its status (400, 403, 404, 409, 413, 415),
//! shaped and in the language asked, as for create; an unknown image is 404. The body read is capped at the rules' size cap plus one byte, so
//! memory stays bounded whatever `Content-Length` says. Prints `listening on ADDR` once
//! bound; with `--max-requests N` it stops after N requests (as CI runs it).

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::ExitCode;
use std::time::{Duration, SystemTime};

use ims_image_meta::report::{Format, Problem, Style};
use ims_image_meta::schema::{patch_schema, record_schema, request_schema};
use ims_image_meta::{answer, update, Context, Locale, Record, Rules, Timestamp};

#[path = "../src/cli/uuid.rs"]
mod uuid;

const USAGE: &str = "usage: server [--addr HOST:PORT] [--owner PROJECT_ID] [--max-requests N]";
/// The longest request line or header line read.
const MAX_LINE: usize = 8 * 1024;
/// The most header lines read.
const MAX_HEADERS: usize = 100;

struct Config {
    addr: String,
    owner: String,
    max_requests: Option<u64>,
}

fn parse_args() -> Result<Config, String> {
    let mut c = Config {
        addr: "127.0.0.1:8080".into(),
        owner: "b912fb4a4c464b568ecfca1071b21b10".into(),
        max_requests: None,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut value = || args.next().ok_or_else(|| format!("{a} needs a value"));
        match a.as_str() {
            "--addr" => c.addr = value()?,
            "--owner" => c.owner = value()?,
            "--max-requests" => {
                let v = value()?;
                c.max_requests = Some(v.parse().map_err(|_| format!("bad --max-requests '{v}'"))?);
            }
            other => return Err(format!("unknown argument '{other}'")),
        }
    }
    Ok(c)
}

struct Response {
    status: u16,
    content_type: &'static str,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

/// How the client asked to be answered: `Accept: application/problem+json` (RFC 9457),
/// `?format=ims`, and `Accept-Language: zh…` for Chinese messages.
#[derive(Clone, Copy, Default)]
struct Asked {
    problem: bool,
    ims: bool,
    locale: Locale,
}

impl Response {
    fn json(status: u16, body: String) -> Response {
        Response {
            status,
            content_type: "application/json",
            headers: Vec::new(),
            body: body.into_bytes(),
        }
    }

    fn error(status: u16, message: &str) -> Response {
        Response::json(status, serde_json::json!({ "error": message }).to_string())
    }
}

fn reason(status: u16) -> &'static str {
    match status {
        201 => "Created",
        200 => "OK",
        204 => "No Content",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        411 => "Length Required",
        409 => "Conflict",
        413 => "Payload Too Large",
        415 => "Unsupported Media Type",
        _ => "Error",
    }
}

/// Reads one line (up to `\n`) of at most `MAX_LINE` bytes.
fn read_line(r: &mut impl BufRead) -> Result<String, String> {
    let mut buf = Vec::new();
    let n = r
        .take(MAX_LINE as u64 + 1)
        .read_until(b'\n', &mut buf)
        .map_err(|e| e.to_string())?;
    if n > MAX_LINE {
        return Err("line too long".into());
    }
    String::from_utf8(buf).map_err(|_| "header is not UTF-8".into())
}

/// Discards what a client sent past the part read, at most this many bytes, so that
/// closing the connection does not reset it before the client reads the answer.
const MAX_DRAIN: u64 = 16 * 1024 * 1024;

/// The images created, by id.
type Store = BTreeMap<String, Record>;

fn handle(
    stream: &TcpStream,
    rules: &Rules,
    owner: &str,
    store: &mut Store,
) -> Result<Response, String> {
    let mut reader = BufReader::new(stream);
    let request_line = read_line(&mut reader)?;
    let mut parts = request_line.split_whitespace();
    let (method, target) = match (parts.next(), parts.next()) {
        (Some(m), Some(t)) => (m.to_owned(), t.to_owned()),
        _ => return Ok(Response::error(400, "bad request line")),
    };
    let mut length: Option<usize> = None;
    let mut content_type = String::new();
    let mut asked = Asked::default();
    for _ in 0..MAX_HEADERS {
        let line = read_line(&mut reader)?;
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':') {
            if name.eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().ok();
            } else if name.eq_ignore_ascii_case("content-type") {
                value.trim().clone_into(&mut content_type);
            } else if name.eq_ignore_ascii_case("accept") {
                asked.problem = value.contains(Problem::MEDIA_TYPE);
            } else if name.eq_ignore_ascii_case("accept-language")
                && value.trim_start().to_ascii_lowercase().starts_with("zh")
            {
                asked.locale = Locale::ZhCn;
            }
        }
    }
    let (path, query) = target.split_once('?').unwrap_or((&target, ""));
    let pretty = |v: &serde_json::Value| serde_json::to_string_pretty(v).unwrap_or_default();
    match (method.as_str(), path) {
        ("GET", "/v2/schemas/image") => Ok(Response::json(200, pretty(&record_schema()))),
        ("GET", "/v2/schemas/image-create") => {
            Ok(Response::json(200, pretty(&request_schema(rules))))
        }
        ("GET", "/v2/schemas/image-patch") => Ok(Response::json(200, pretty(&patch_schema(rules)))),
        ("POST", "/v2/images") | ("PATCH", _) => {
            let Some(length) = length else {
                return Ok(Response::error(411, "Content-Length required"));
            };
            // Never read more than one byte past the cap: the crate then answers 413.
            let take = length.min(rules.max_body_bytes().saturating_add(1));
            let mut body = vec![0u8; take];
            reader.read_exact(&mut body).map_err(|e| e.to_string())?;
            asked.ims = query == "format=ims";
            let response = if method == "POST" {
                create(&body, rules, owner, asked, store)
            } else {
                patch(path, &content_type, &body, rules, asked, store)
            };
            let unread = u64::try_from(length - take)
                .unwrap_or(u64::MAX)
                .min(MAX_DRAIN);
            let _ = std::io::copy(&mut reader.take(unread), &mut std::io::sink());
            Ok(response)
        }
        ("GET", _) if image_id(path).is_some() => {
            let id = image_id(path).unwrap_or_default();
            Ok(match store.get(id) {
                Some(img) => Response::json(200, pretty(&img.to_json_value())),
                None => Response::error(404, "no such image"),
            })
        }
        ("PUT" | "DELETE", _) if tag_path(path).is_some() => {
            asked.ims = query == "format=ims";
            Ok(tag(&method, path, rules, asked, store))
        }
        (_, "/v2/images") => Ok(Response::error(405, "only POST")),
        _ => Ok(Response::error(404, "no such resource")),
    }
}

fn create(body: &[u8], rules: &Rules, owner: &str, asked: Asked, store: &mut Store) -> Response {
    let ctx = Timestamp::from_system_time(SystemTime::now())
        .and_then(|now| Context::new(uuid::random_v4(), owner, now));
    let ctx = match ctx {
        Ok(c) => c,
        Err(e) => return Response::error(500, &e.to_string()),
    };
    let format = if asked.problem {
        Format::Problem
    } else if asked.ims {
        Format::Ims
    } else {
        Format::Glance
    };
    // The one road: the status, the content type and the bytes.
    let a = answer(body, rules, &ctx, Style::new(format, asked.locale));
    let headers = a
        .warnings()
        .iter()
        .map(|w| {
            (
                "X-Ims-Warning".to_owned(),
                format!("{}: {}", w.code(), w.message()),
            )
        })
        .collect();
    if a.is_accepted() {
        // Kept for the update calls (read back from the bytes answered).
        if let Ok(record) = serde_json::from_slice::<Record>(a.body()) {
            store.insert(record.id.clone(), record);
        }
    }
    Response {
        status: a.status(),
        content_type: a.content_type(),
        headers,
        body: a.into_body(),
    }
}

/// `{id}` of `/v2/images/{id}`.
fn image_id(path: &str) -> Option<&str> {
    path.strip_prefix("/v2/images/")
        .filter(|id| !id.is_empty() && !id.contains('/'))
}

/// `({id}, {tag})` of `/v2/images/{id}/tags/{tag}`, the tag still percent-encoded.
fn tag_path(path: &str) -> Option<(&str, &str)> {
    let rest = path.strip_prefix("/v2/images/")?;
    let (id, tag) = rest.split_once("/tags/")?;
    (!id.contains('/') && !tag.contains('/')).then_some((id, tag))
}

/// A URL segment, percent-decoded (`None`: a bad escape or not UTF-8).
fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while let Some(&c) = b.get(i) {
        if c == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(c);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// The style of an update's report, shaped and in the language asked.
fn style(asked: Asked) -> Style {
    let format = if asked.problem {
        Format::Problem
    } else if asked.ims {
        Format::Ims
    } else {
        Format::Glance
    };
    Style::new(format, asked.locale)
}

/// The response for an update's whole answer (its status, content type, bytes and
/// `Accept-Patch` on a 415), storing the updated image when the call went through.
fn sent(answer: ims_image_meta::Answer, store: &mut Store) -> Response {
    let headers = answer
        .accept_patch()
        .map(|v| ("Accept-Patch".to_owned(), v.to_owned()))
        .into_iter()
        .collect();
    let (status, content_type) = (answer.status(), answer.content_type());
    let body = answer.body().to_vec();
    if let Some(updated) = answer.into_updated_record() {
        store.insert(updated.id.clone(), updated);
    }
    Response {
        status,
        content_type,
        headers,
        body,
    }
}

fn now() -> Result<Timestamp, Response> {
    Timestamp::from_system_time(SystemTime::now()).map_err(|e| Response::error(500, &e.to_string()))
}

/// `PATCH /v2/images/{id}`: 200 and the updated image, or the report.
fn patch(
    path: &str,
    content_type: &str,
    body: &[u8],
    rules: &Rules,
    asked: Asked,
    store: &mut Store,
) -> Response {
    let Some(image) = image_id(path).and_then(|id| store.get(id)) else {
        return Response::error(404, "no such image");
    };
    let now = match now() {
        Ok(t) => t,
        Err(r) => return r,
    };
    let answer = update::answer_patch(content_type, body, image, rules, now, style(asked));
    sent(answer, store)
}

/// `PUT` / `DELETE /v2/images/{id}/tags/{tag}`: 204, or the report.
fn tag(method: &str, path: &str, rules: &Rules, asked: Asked, store: &mut Store) -> Response {
    let Some((id, raw)) = tag_path(path) else {
        return Response::error(404, "no such resource");
    };
    let Some(tag) = percent_decode(raw) else {
        return Response::error(400, "bad percent-encoding in the tag");
    };
    let Some(image) = store.get(id) else {
        return Response::error(404, "no such image");
    };
    let now = match now() {
        Ok(t) => t,
        Err(r) => return r,
    };
    let answer = if method == "PUT" {
        update::answer_add_tag(&tag, image, rules, now, style(asked))
    } else {
        update::answer_remove_tag(&tag, image, rules, now, style(asked))
    };
    sent(answer, store)
}

fn respond(mut stream: &TcpStream, r: &Response) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\nContent-Type: {}\r\nContent-Length: {}\r\nConnection: close\r\n",
        r.status,
        reason(r.status),
        r.content_type,
        r.body.len()
    );
    for (k, v) in &r.headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&r.body)?;
    stream.flush()
}

fn main() -> ExitCode {
    let config = match parse_args() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("server: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let listener = match TcpListener::bind(&config.addr) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("server: cannot bind {}: {e}", config.addr);
            return ExitCode::from(2);
        }
    };
    match listener.local_addr() {
        Ok(a) => println!("listening on {a}"),
        Err(e) => {
            eprintln!("server: {e}");
            return ExitCode::from(2);
        }
    }
    let rules = Rules::default();
    let mut store = Store::new();
    let mut served = 0u64;
    for stream in listener.incoming() {
        let Ok(stream) = stream else { continue };
        let _ = stream.set_read_timeout(Some(Duration::from_secs(10)));
        let response = handle(&stream, &rules, &config.owner, &mut store)
            .unwrap_or_else(|e| Response::error(400, &e));
        if let Err(e) = respond(&stream, &response) {
            eprintln!("server: write failed: {e}");
        }
        served += 1;
        if config.max_requests.is_some_and(|max| served >= max) {
            break;
        }
    }
    ExitCode::SUCCESS
}
