//! The reference server over loopback, with a real HTTP client (ureq): every public
//! conformance case for create and update gives the status, the content type and the
//! bytes of the crate's answer (the same clock and id); 100 concurrent PATCHes of one
//! image all land; the extractors' edges (the cap, the media types, the style asked
//! for) answer as the crate does, never 422.

use std::collections::BTreeMap;
use std::io::Read;
use std::net::SocketAddr;
use std::sync::Arc;

use ims_image_meta::report::{Format, Style};
use ims_image_meta::{
    answer, schema, update, Answer, Context, Locale, Profile, Record, Rules, Timestamp,
};
use ims_image_meta_axum::reference::{router, serve_on_loopback, AppState};
use ims_image_meta_axum::Ims;
use serde_json::Value;

const OWNER: &str = "b912fb4a4c464b568ecfca1071b21b10";

/// The core's test data (the copies of `../shared/conformance`).
fn data(name: &str) -> Vec<Value> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name);
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// A server on a free loopback port with `rules`, its clock fixed at `now`; its state
/// (to seed images) and its address. It runs on its own runtime thread until the test
/// process ends.
fn serve(rules: Rules, now: Timestamp) -> (AppState, SocketAddr) {
    let state = AppState::new(Ims::new(rules), OWNER).with_clock(Arc::new(move || now));
    let addr = serve_on_loopback(router(state.clone())).unwrap();
    (state, addr)
}

/// What came back: status, `Content-Type` (empty when none), headers, body.
struct Got {
    status: u16,
    content_type: String,
    headers: BTreeMap<String, Vec<String>>,
    body: Vec<u8>,
}

fn send(req: ureq::Request, body: &[u8]) -> Got {
    let resp = match req.send_bytes(body) {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => panic!("transport: {e}"),
    };
    let mut headers: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for name in resp.headers_names() {
        let values = resp.all(&name).iter().map(|v| v.to_string()).collect();
        headers.insert(name.to_ascii_lowercase(), values);
    }
    let status = resp.status();
    let content_type = resp.header("content-type").unwrap_or_default().to_owned();
    let mut body = Vec::new();
    resp.into_reader().read_to_end(&mut body).unwrap();
    Got {
        status,
        content_type,
        headers,
        body,
    }
}

fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new().build()
}

/// Whether `got` is `want` on the wire: status, content type (none on a 204), bytes,
/// `Accept-Patch` exactly on a refused PATCH.
fn same(got: &Got, want: &Answer) -> Result<(), String> {
    let ct = if want.body().is_empty() {
        ""
    } else {
        want.content_type()
    };
    let accept = got.headers.get("accept-patch").map(|v| v.join(", "));
    if (
        got.status,
        got.content_type.as_str(),
        &got.body[..],
        accept.as_deref(),
    ) != (want.status(), ct, want.body(), want.accept_patch())
    {
        return Err(format!(
            "got {} {:?} {:?} {}, want {} {:?} {:?} {}",
            got.status,
            got.content_type,
            accept,
            String::from_utf8_lossy(&got.body),
            want.status(),
            ct,
            want.accept_patch(),
            String::from_utf8_lossy(want.body())
        ));
    }
    Ok(())
}

fn case_body(v: &Value) -> Vec<u8> {
    match (v.get("body"), v.get("body_b64")) {
        (Some(b), _) => b.as_str().unwrap().as_bytes().to_vec(),
        (None, Some(b)) => base64(b.as_str().unwrap()),
        _ => panic!("no body: {v}"),
    }
}

fn base64(s: &str) -> Vec<u8> {
    let val = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'+' => 62,
        b'/' => 63,
        _ => panic!("bad base64 byte {c}"),
    };
    let clean: Vec<u8> = s
        .bytes()
        .filter(|&c| c != b'=' && !c.is_ascii_whitespace())
        .collect();
    let mut out = Vec::new();
    for chunk in clean.chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= val(c) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

fn case_rules(v: &Value) -> Rules {
    let r = v.get("rules");
    let profile = r
        .and_then(|r| r.get("profile"))
        .map(|p| p.as_str().unwrap().parse::<Profile>().unwrap())
        .unwrap_or_default();
    let mut b = Rules::builder(profile);
    if let Some(range) = r.and_then(|r| r.get("min_disk_range")) {
        let (lo, hi) = (
            range[0].as_u64().unwrap() as u32,
            range[1].as_u64().unwrap() as u32,
        );
        b = b.min_disk(lo..=hi);
    }
    b.build().unwrap()
}

fn styles() -> Vec<Style> {
    Format::ALL
        .iter()
        .flat_map(|&f| Locale::ALL.iter().map(move |&l| Style::new(f, l)))
        .collect()
}

/// How a client asks for `style`.
fn ask(req: ureq::Request, style: Style) -> ureq::Request {
    let req = match style.format {
        Format::Problem => req.set("Accept", "application/problem+json"),
        Format::Ims => req.query("format", "ims"),
        _ => req,
    };
    match style.locale {
        Locale::ZhCn => req.set("Accept-Language", "zh-CN,zh;q=0.9"),
        _ => req,
    }
}

#[test]
fn every_create_case_answers_as_the_crate() {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let mut servers: BTreeMap<String, (Rules, SocketAddr)> = BTreeMap::new();
    let (agent, mut failures, mut n) = (agent(), Vec::new(), 0);
    for case in data("cases.jsonl") {
        let key = case.get("rules").map(Value::to_string).unwrap_or_default();
        let (rules, addr) = servers
            .entry(key)
            .or_insert_with(|| {
                let rules = case_rules(&case);
                let (_, addr) = serve(rules.clone(), now);
                (rules, addr)
            })
            .clone();
        let body = case_body(&case);
        for style in styles() {
            let req = agent
                .post(&format!("http://{addr}/v2/images"))
                .set("Content-Type", "application/json");
            let got = send(ask(req, style), &body);
            // The id the server drew, for the crate's answer in the same context.
            let id = serde_json::from_slice::<Value>(&got.body)
                .ok()
                .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned))
                .unwrap_or_else(|| "4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86".to_owned());
            let ctx = Context::new(id, OWNER, now).unwrap();
            // The server reads one byte past the cap, no more: a longer body is judged
            // on what it read (`actual` says cap + 1).
            let read = &body[..body.len().min(rules.max_body_bytes() + 1)];
            let want = answer(read, &rules, &ctx, style);
            if let Err(e) = same(&got, &want) {
                failures.push(format!("{} {style:?}: {e}", case["name"]));
            }
            assert_ne!(got.status, 422);
            n += 1;
        }
    }
    assert!(n > 100, "{n}");
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn every_update_case_answers_as_the_crate() {
    let (agent, mut failures) = (agent(), Vec::new());
    let cases = data("patch.jsonl");
    assert!(cases.len() >= 44);
    for case in &cases {
        let rules = match case.get("rules") {
            Some(r) => Rules::from_json(&serde_json::to_vec(r).unwrap()).unwrap(),
            None => Rules::default(),
        };
        let now = Timestamp::from_unix(case["now"].as_i64().unwrap()).unwrap();
        let image: Record = serde_json::from_value(case["image"].clone()).unwrap();
        let (state, addr) = serve(rules.clone(), now);
        for style in styles() {
            // Each call on the image as the case gives it.
            state.store().insert(image.clone());
            let url = format!("http://{addr}/v2/images/{}", image.id);
            let s = |k: &str| case.get(k).and_then(Value::as_str).unwrap_or_default();
            let (got, want) = match s("call") {
                "patch" => {
                    let req = agent.patch(&url).set("Content-Type", s("media_type"));
                    let got = send(ask(req, style), s("body").as_bytes());
                    let want = update::answer_patch(
                        s("media_type"),
                        s("body").as_bytes(),
                        &image,
                        &rules,
                        now,
                        style,
                    );
                    (got, want)
                }
                call => {
                    let tag = s("tag");
                    let url = format!("{url}/tags/{}", percent(tag));
                    let (req, want) = if call == "tag_add" {
                        (
                            agent.put(&url),
                            update::answer_add_tag(tag, &image, &rules, now, style),
                        )
                    } else {
                        (
                            agent.delete(&url),
                            update::answer_remove_tag(tag, &image, &rules, now, style),
                        )
                    };
                    (send(ask(req, style), b""), want)
                }
            };
            if let Err(e) = same(&got, &want) {
                failures.push(format!("{} {style:?}: {e}", case["name"]));
            }
            // What the server stored is what the crate gave back.
            let stored = state.store().get(&image.id).unwrap();
            let expected = want.updated_record().unwrap_or(&image);
            if &stored != expected {
                failures.push(format!("{} {style:?}: stored {stored:?}", case["name"]));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{}:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// A tag as a URL path segment: every byte but unreserved ones percent-encoded.
fn percent(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[test]
fn concurrent_patches_of_one_image_all_land() {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let (state, addr) = serve(Rules::default(), now);
    let created = send(
        agent()
            .post(&format!("http://{addr}/v2/images"))
            .set("Content-Type", "application/json"),
        br#"{"name": "web"}"#,
    );
    assert_eq!(created.status, 201);
    let id = serde_json::from_slice::<Value>(&created.body).unwrap()["id"]
        .as_str()
        .unwrap()
        .to_owned();
    let threads: Vec<_> = (0..100)
        .map(|i| {
            let url = format!("http://{addr}/v2/images/{id}");
            std::thread::spawn(move || {
                let body = format!(r#"[{{"op": "add", "path": "/k{i}", "value": "v{i}"}}]"#);
                let req = agent()
                    .patch(&url)
                    .set("Content-Type", update::MEDIA_TYPES[0]);
                send(req, body.as_bytes()).status
            })
        })
        .collect();
    for t in threads {
        assert_eq!(t.join().unwrap(), 200);
    }
    let image = state.store().get(&id).unwrap();
    let keys: Vec<&str> = image.properties.iter().map(|(k, _)| k.as_str()).collect();
    for i in 0..100 {
        assert!(
            keys.contains(&format!("k{i}").as_str()),
            "k{i} lost: {keys:?}"
        );
    }
    assert_eq!(keys.len(), 100);
    // And GET reads it back, by the record's writer.
    let got = send(agent().get(&format!("http://{addr}/v2/images/{id}")), b"");
    let mut want = Vec::new();
    image.write_json(&mut want);
    assert_eq!((got.status, got.body), (200, want));
}

#[test]
fn the_edges_answer_as_the_crate() {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let rules = Rules::default();
    let (_, addr) = serve(rules.clone(), now);
    let url = format!("http://{addr}/v2/images");
    let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", OWNER, now).unwrap();
    // Over the cap (no Content-Length helps: the server reads one byte past the cap):
    // the crate's 413 report.
    let big = vec![b' '; rules.max_body_bytes() + 10_000];
    let got = send(
        agent().post(&url).set("Content-Type", "application/json"),
        &big,
    );
    let want = answer(
        &big[..rules.max_body_bytes() + 1],
        &rules,
        &ctx,
        Style::default(),
    );
    assert_eq!(want.status(), 413);
    same(&got, &want).unwrap();
    // Not JSON: 415 with Accept-Post, nothing judged.
    let got = send(agent().post(&url).set("Content-Type", "text/plain"), b"{}");
    assert_eq!(got.status, 415);
    assert_eq!(got.headers["accept-post"], ["application/json"]);
    // A `+json` type and parameters are JSON.
    let got = send(
        agent()
            .post(&url)
            .set("Content-Type", "application/vnd.x+json; charset=utf-8"),
        b"{\"min_ram\": -1}",
    );
    assert_eq!(
        (got.status, got.content_type.as_str()),
        (400, "application/json")
    );
    // A PATCH of an unknown image: 404 before its media type is judged.
    let got = send(
        agent()
            .patch(&format!("{url}/nope"))
            .set("Content-Type", "application/json"),
        b"[]",
    );
    assert_eq!(got.status, 404);
    // Warnings go out in headers, one per warning.
    let got = send(
        agent().post(&url).set("Content-Type", "application/json"),
        b"{}",
    );
    let want = answer(b"{}", &rules, &ctx, Style::default());
    assert_eq!(got.status, 201);
    let lines = &got.headers["x-ims-warning"];
    assert_eq!(lines.len(), want.warnings().iter().count());
    for (line, w) in lines.iter().zip(want.warnings().iter()) {
        assert!(line.starts_with(&format!("{}: ", w.code())), "{line}");
    }
    // The OpenAPI document of the server's rules.
    let got = send(agent().get(&format!("http://{addr}/openapi.json")), b"");
    let doc: Value = serde_json::from_slice(&got.body).unwrap();
    assert_eq!((got.status, doc), (200, schema::openapi(&rules)));
    // Unknown images: the crate's 404, in the style asked for.
    for style in styles() {
        let want = update::answer_image_not_found("nope", &rules, style);
        for req in [
            agent().get(&format!("{url}/nope")),
            agent().delete(&format!("{url}/nope")),
            agent().put(&format!("{url}/nope/tags/x")),
            agent().delete(&format!("{url}/nope/tags/x")),
            agent()
                .patch(&format!("{url}/nope"))
                .set("Content-Type", update::MEDIA_TYPES[0]),
        ] {
            same(&send(ask(req, style), b"[]"), &want).unwrap();
        }
    }
}

/// A body with more near-miss keys than warning headers sent: at most 32 headers and
/// the count left out, so that clients with a header limit still read the answer.
#[test]
fn warnings_are_capped_in_headers() {
    let now = Timestamp::from_unix(1_700_000_000).unwrap();
    let rules = Rules::default();
    let (_, addr) = serve(rules.clone(), now);
    // `name` spelled 120 ways that fold to it: case and leading separators.
    let keys: Vec<String> = (0..120)
        .map(|i| {
            let spelled: String = "name"
                .chars()
                .enumerate()
                .map(|(j, c)| {
                    if i >> j & 1 == 1 {
                        c.to_ascii_uppercase()
                    } else {
                        c
                    }
                })
                .collect();
            format!("\"{}{spelled}\": \"v\"", "_".repeat(i / 16 + 1))
        })
        .collect();
    let body = format!("{{{}}}", keys.join(","));
    let ctx = Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", OWNER, now).unwrap();
    let want = answer(body.as_bytes(), &rules, &ctx, Style::default());
    let n = want.warnings().iter().count();
    assert!(
        n > 100,
        "{n} warnings: the body must make more than a client's header limit"
    );
    let got = send(
        agent()
            .post(&format!("http://{addr}/v2/images"))
            .set("Content-Type", "application/json"),
        body.as_bytes(),
    );
    assert_eq!(got.status, 201);
    assert_eq!(
        got.headers["x-ims-warning"].len(),
        ims_image_meta_axum::MAX_WARNING_HEADERS
    );
    assert_eq!(
        got.headers["x-ims-warnings-omitted"],
        [(n - 32).to_string()]
    );
}
