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
