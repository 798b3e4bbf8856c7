//! The server example answers `POST /v2/images` on 127.0.0.1 with the crate's verdict.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Command, Stdio};

/// Sends one raw HTTP request; returns (status, headers, body).
fn send(addr: &str, request: &[u8]) -> (u16, String, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    (status, head.to_owned(), serde_json::from_str(body).unwrap())
}

fn post(addr: &str, path: &str, body: &[u8]) -> (u16, String, serde_json::Value) {
    let mut req = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    send(addr, &req)
}

/// Kills the server if the test fails before it stops by itself.
struct Server(std::process::Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn server_answers_with_the_crates_verdict_on_loopback() {
    let requests = 9;
    let mut server = Server(
        Command::new(common::example("server"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--max-requests",
                &requests.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut server.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(addr.starts_with("127.0.0.1:"), "{addr}");

    let sample = std::fs::read(common::root().join("examples/sample-request.json")).unwrap();
    let (status, _, record) = post(&addr, "/v2/images", &sample);
    assert_eq!(status, 201);
    assert_eq!(record["status"], "queued");
    assert_eq!(record["__platform"], "Ubuntu");
    assert_eq!(
        record["self"],
        format!("/v2/images/{}", record["id"].as_str().unwrap())
    );

    let (status, head, record) = post(&addr, "/v2/images", b"{}");
    assert_eq!(status, 201);
    assert!(head.contains("X-Ims-Warning: name_defaulted"), "{head}");
    assert_eq!(record["name"], "");

    let (status, _, report) = post(&addr, "/v2/images", br#"{"min_disk":1,"status":"x"}"#);
    assert_eq!(status, 403);
    assert_eq!(report["violations"][0]["pointer"], "/min_disk");
    assert_eq!(report["violations"][1]["code"], "read_only");

    // RFC 9457 when the client asks for it, in Chinese when it prefers that.
    let body = br#"{"min_disk":1}"#;
    let mut req = format!(
        "POST /v2/images HTTP/1.1\r\nHost: {addr}\r\nAccept: application/problem+json\r\nAccept-Language: zh-CN\r\nContent-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    let (status, head, problem) = send(&addr, &req);
    assert_eq!(status, 400);
    assert!(
        head.contains("Content-Type: application/problem+json"),
        "{head}"
    );
    assert_eq!(problem["type"], "about:blank");
    assert_eq!(problem["errors"][0]["pointer"], "/min_disk");
    assert_eq!(problem["errors"][0]["params"]["min"], 40);
    assert_eq!(
        problem["errors"][0]["detail"],
        "属性'min_disk'的取值为40～1024，实际为1。"
    );

    let (status, _, ims) = post(&addr, "/v2/images?format=ims", br#"{"min_disk":1}"#);
    assert_eq!(status, 400);
    assert_eq!(ims["error"]["code"], "IMG.0055");

    // Over the cap: the server reads one byte past it, and the crate answers 413.
    let big = vec![b' '; ims_image_meta::Rules::default().max_body_bytes() + 10];
    let (status, _, report) = post(&addr, "/v2/images", &big);
    assert_eq!(status, 413);
    assert_eq!(report["violations"][0]["code"], "body_too_large");

    // The audit's report bomb: a bounded 400 (it was 548 MB and seconds).
    let objects = vec![r#"{"":0,"":0}"#; 4778].join(",");
    let bomb = format!(r#"{{"{}":[{objects}]}}"#, "/".repeat(57_344 - 2));
    assert!(bomb.len() <= ims_image_meta::Rules::default().max_body_bytes());
    let mut req = format!(
        "POST /v2/images HTTP/1.1\r\nHost: {addr}\r\nContent-Length: {}\r\n\r\n",
        bomb.len()
    )
    .into_bytes();
    req.extend_from_slice(bomb.as_bytes());
    let mut s = TcpStream::connect(&addr).unwrap();
    s.write_all(&req).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    assert!(raw.len() < 64 * 1024, "a {}-byte answer", raw.len());
    let text = String::from_utf8(raw).unwrap();
    assert!(text.starts_with("HTTP/1.1 400"), "{text:.200}");
    let (_, body) = text.split_once("\r\n\r\n").unwrap();
    let report: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(report["violations"].as_array().unwrap().len(), 100);
    assert_eq!(report["total"], 4779);
    assert_eq!(report["truncated"], true);

    let (status, _, schema) = send(&addr, b"GET /v2/schemas/image-create HTTP/1.1\r\n\r\n");
    assert_eq!(status, 200);
    assert_eq!(
        schema,
        ims_image_meta::schema::request_schema(&ims_image_meta::Rules::default())
    );

    let (status, _, _) = send(&addr, b"DELETE /v2/images HTTP/1.1\r\n\r\n");
    assert_eq!(status, 405);

    // It stops by itself after the requests it was told to serve.
    assert!(child.wait().unwrap().success());
}

/// Sends one raw HTTP request; returns (status, headers, body), `null` for no body.
fn send_any(addr: &str, request: &[u8]) -> (u16, String, serde_json::Value) {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request).unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8(raw).unwrap();
    let (head, body) = text.split_once("\r\n\r\n").unwrap();
    let status = head[9..12].parse().unwrap();
    let body = if body.is_empty() {
        serde_json::Value::Null
    } else {
        serde_json::from_str(body).unwrap()
    };
    (status, head.to_owned(), body)
}

fn with_body(method: &str, addr: &str, path: &str, headers: &str, body: &[u8]) -> Vec<u8> {
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\n{headers}Content-Length: {}\r\n\r\n",
        body.len()
    )
    .into_bytes();
    req.extend_from_slice(body);
    req
}

/// The update calls on the server's in-memory images (issue 23): each outcome with its
/// status.
#[test]
fn server_answers_the_update_calls() {
    let requests = 13;
    let mut server = Server(
        Command::new(common::example("server"))
            .args([
                "--addr",
                "127.0.0.1:0",
                "--max-requests",
                &requests.to_string(),
            ])
            .stdout(Stdio::piped())
            .spawn()
            .unwrap(),
    );
    let child = &mut server.0;
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    let sample = std::fs::read(common::root().join("examples/sample-request.json")).unwrap();
    let (status, _, record) = post(&addr, "/v2/images", &sample);
    assert_eq!(status, 201);
    let id = record["id"].as_str().unwrap().to_owned();
    let image = format!("/v2/images/{id}");
    let v21 = "Content-Type: application/openstack-images-v2.1-json-patch\r\n";

    // 200: the updated image.
    let body = br#"[{"op": "replace", "path": "/name", "value": "web"}, {"op": "add", "path": "/k", "value": "v"}]"#;
    let (status, _, updated) = send_any(&addr, &with_body("PATCH", &addr, &image, v21, body));
    assert_eq!(status, 200);
    assert_eq!(
        (updated["name"].as_str(), updated["k"].as_str()),
        (Some("web"), Some("v"))
    );
    // It is kept: GET reads it back.
    let (status, _, got) = send_any(&addr, format!("GET {image} HTTP/1.1\r\n\r\n").as_bytes());
    assert_eq!((status, got), (200, updated));
    // 403, 409, 400, 415 (with Accept-Patch), 404 for an unknown image.
    for (headers, body, want) in [
        (
            v21,
            &br#"[{"op": "replace", "path": "/status", "value": "x"}]"#[..],
            403,
        ),
        (v21, br#"[{"op": "remove", "path": "/nope"}]"#, 409),
        (
            v21,
            br#"[{"op": "replace", "path": "/name", "value": "<x>"}]"#,
            400,
        ),
        ("Content-Type: application/json\r\n", b"[]", 415),
    ] {
        let (status, head, report) =
            send_any(&addr, &with_body("PATCH", &addr, &image, headers, body));
        assert_eq!(status, want, "{report}");
        assert_eq!(report["status"], want);
        if want == 415 {
            // Exactly the one road's value: both media types, v2.1 first.
            let line = format!("Accept-Patch: {}", ims_image_meta::update::ACCEPT_PATCH);
            assert!(head.lines().any(|l| l.trim_end() == line), "{head}");
            assert!(ims_image_meta::update::ACCEPT_PATCH.contains("v2.0-json-patch"));
        } else {
            assert!(!head.contains("Accept-Patch"), "{head}");
        }
    }
    let (status, _, _) = send_any(
        &addr,
        &with_body(
            "PATCH",
            &addr,
            "/v2/images/00000000-0000-0000-0000-000000000000",
            v21,
            b"[]",
        ),
    );
    assert_eq!(status, 404);
    // Tags: 204, 204 (percent-decoded), 404 for a tag it lacks, 400 for a bad one.
    let (status, _, body) = send_any(
        &addr,
        format!("PUT {image}/tags/new HTTP/1.1\r\n\r\n").as_bytes(),
    );
    assert_eq!((status, body), (204, serde_json::Value::Null));
    let (status, _, _) = send_any(
        &addr,
        format!("PUT {image}/tags/a%20b HTTP/1.1\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 204);
    let (status, _, _) = send_any(
        &addr,
        format!("DELETE {image}/tags/test HTTP/1.1\r\n\r\n").as_bytes(),
    );
    assert_eq!(status, 204);
    let (status, _, report) = send_any(
        &addr,
        format!("DELETE {image}/tags/test HTTP/1.1\r\n\r\n").as_bytes(),
    );
    assert_eq!(
        (status, report["violations"][0]["code"].as_str()),
        (404, Some("not_found"))
    );
    let (status, _, got) = send_any(&addr, format!("GET {image} HTTP/1.1\r\n\r\n").as_bytes());
    assert_eq!(status, 200);
    assert_eq!(got["tags"], serde_json::json!(["image", "new", "a b"]));
    assert!(child.wait().unwrap().success());
}
