//! `ims-conform`: judge a live IMS-compatible server by the contract. The kit's bodies
//! (each with the exact verdict the contract gives) are sent over HTTP; every answer is
//! compared with its verdict (status, (pointer, code) set, the record's fields), and
//! the divergences are reported by class.
//!
//! ```text
//! ims-conform URL [--count N] [--seed S] [--calls create,tag] [--profile P | --rules F]
//!             [-H 'Name: value']... [--jsonl FILE] [--junit FILE]
//! ```
//!
//! Exit status: 0 no divergence, 1 divergences, 2 a usage or environment error (the
//! server unreachable, or 401/403 on the first valid body).

#![forbid(unsafe_code)]

mod output;
mod verdict;

use std::io::Read as _;
use std::process::ExitCode;
use std::str::FromStr;
use std::time::Duration;

use ims_image_meta::kit::{Case, PatchCall, PatchCase, Source};
use ims_image_meta::{validate, Context, Profile, Rules, Timestamp};
use serde_json::{Map, Value};

use output::Outcome;
use verdict::{judge, judge_answer, Class, Divergence, Expected, Got, SERVER_ASSIGNED};

const USAGE: &str = "usage: ims-conform URL [--count N] [--seed S] [--calls create,patch,tag] \
[--profile P | --rules F] [-H 'Name: value']... [--token-cmd CMD] [--rate R] \
[--baseline FILE] [--write-baseline FILE] [--jsonl FILE] [--junit FILE]";

/// The command line.
#[derive(Debug)]
struct Options {
    url: String,
    count: u64,
    seed: u64,
    create: bool,
    tag: bool,
    patch: bool,
    rules: Rules,
    headers: Vec<(String, String)>,
    jsonl: Option<String>,
    junit: Option<String>,
    token_cmd: Option<String>,
    rate: Option<f64>,
    baseline: Option<String>,
    write_baseline: Option<String>,
}

fn parse() -> Result<Options, String> {
    use lexopt::prelude::*;
    let mut p = lexopt::Parser::from_env();
    let (mut url, mut count, mut seed) = (None, 100, 0);
    let (mut create, mut tag, mut patch) = (true, true, true);
    let (mut profile, mut rules_file) = (None, None);
    let (mut headers, mut jsonl, mut junit) = (Vec::new(), None, None);
    let (mut token_cmd, mut rate, mut baseline) = (None, None, None);
    let mut write_baseline = None;
    let err = |e: lexopt::Error| e.to_string();
    while let Some(arg) = p.next().map_err(err)? {
        match arg {
            Long("count") => count = p.value().map_err(err)?.parse().map_err(err)?,
            Long("seed") => seed = p.value().map_err(err)?.parse().map_err(err)?,
            Long("calls") => {
                let v = p.value().map_err(err)?.string().map_err(err)?;
                (create, tag, patch) = (false, false, false);
                for c in v.split(',') {
                    match c {
                        "create" => create = true,
                        "tag" => tag = true,
                        "patch" => patch = true,
                        other => {
                            return Err(format!(
                                "--calls: unknown call '{other}' (create, patch, tag)"
                            ))
                        }
                    }
                }
            }
            Long("profile") => profile = Some(p.value().map_err(err)?.string().map_err(err)?),
            Long("rules") => rules_file = Some(p.value().map_err(err)?.string().map_err(err)?),
            Short('H') | Long("header") => {
                let h = p.value().map_err(err)?.string().map_err(err)?;
                let (name, value) = h
                    .split_once(':')
                    .ok_or_else(|| format!("-H wants 'Name: value', got '{h}'"))?;
                headers.push((name.trim().to_owned(), value.trim().to_owned()));
            }
            Long("jsonl") => jsonl = Some(p.value().map_err(err)?.string().map_err(err)?),
            Long("junit") => junit = Some(p.value().map_err(err)?.string().map_err(err)?),
            Long("token-cmd") => token_cmd = Some(p.value().map_err(err)?.string().map_err(err)?),
            Long("baseline") => baseline = Some(p.value().map_err(err)?.string().map_err(err)?),
            Long("write-baseline") => {
                write_baseline = Some(p.value().map_err(err)?.string().map_err(err)?)
            }
            Long("rate") => {
                let r: f64 = p.value().map_err(err)?.parse().map_err(err)?;
                if !(r > 0.0 && r.is_finite()) {
                    return Err(format!("--rate wants requests per second above 0, got {r}"));
                }
                rate = Some(r);
            }
            Short('h') | Long("help") => return Err(USAGE.into()),
            Value(v) if url.is_none() => url = Some(v.string().map_err(err)?),
            _ => return Err(format!("{}\n{USAGE}", arg.unexpected())),
        }
    }
    let rules = match (profile, rules_file) {
        (Some(_), Some(_)) => return Err("--profile and --rules exclude each other".into()),
        (Some(p), None) => {
            Rules::profile(Profile::from_str(&p).map_err(|e| format!("--profile: {e}"))?)
        }
        (None, Some(f)) => {
            let bytes = std::fs::read(&f).map_err(|e| format!("cannot read {f}: {e}"))?;
            Rules::from_json(&bytes).map_err(|e| format!("bad rules {f}: {e}"))?
        }
        (None, None) => Rules::default(),
    };
    let url = url.ok_or_else(|| format!("URL is required\n{USAGE}"))?;
    Ok(Options {
        url: url.trim_end_matches('/').to_owned(),
        count,
        seed,
        create,
        tag,
        patch,
        rules,
        headers,
        jsonl,
        junit,
        token_cmd,
        rate,
        baseline,
        write_baseline,
    })
}

/// A tag call: method, tag, the contract's status and (pointer, code) set.
type TagCall = (&'static str, String, u16, Vec<(&'static str, &'static str)>);

/// The HTTP side: one agent, the `-H` headers on every request, the token of
/// `--token-cmd` (as `X-Auth-Token`, run again on a 401 and the request replayed
/// once), and `--rate`'s pace.
struct Client {
    agent: ureq::Agent,
    headers: Vec<(String, String)>,
    token_cmd: Option<String>,
    token: std::cell::RefCell<Option<String>>,
    pause: Option<Duration>,
    last: std::cell::Cell<Option<std::time::Instant>>,
}

impl Client {
    fn new(o: &Options) -> Result<Client, String> {
        let c = Client {
            agent: ureq::AgentBuilder::new()
                .timeout(Duration::from_secs(30))
                .build(),
            headers: o.headers.clone(),
            token_cmd: o.token_cmd.clone(),
            token: Default::default(),
            pause: o.rate.map(|r| Duration::from_secs_f64(1.0 / r)),
            last: Default::default(),
        };
        c.refresh()?;
        Ok(c)
    }

    /// Runs `--token-cmd` (by `sh -c`): its first line of output is the token.
    fn refresh(&self) -> Result<(), String> {
        let Some(cmd) = &self.token_cmd else {
            return Ok(());
        };
        let out = std::process::Command::new("sh")
            .args(["-c", cmd])
            .output()
            .map_err(|e| format!("--token-cmd: {e}"))?;
        if !out.status.success() {
            return Err(format!(
                "--token-cmd failed: {}",
                String::from_utf8_lossy(&out.stderr)
            ));
        }
        let text = String::from_utf8_lossy(&out.stdout);
        let token = text.lines().next().unwrap_or_default().trim().to_owned();
        *self.token.borrow_mut() = Some(token);
        Ok(())
    }

    fn send(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Got, String> {
        let got = self.send_once(method, url, content_type, body)?;
        if got.status == 401 && self.token_cmd.is_some() {
            self.refresh()?;
            return self.send_once(method, url, content_type, body);
        }
        Ok(got)
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> Result<Got, String> {
        if let (Some(pause), Some(last)) = (self.pause, self.last.get()) {
            std::thread::sleep(pause.saturating_sub(last.elapsed()));
        }
        self.last.set(Some(std::time::Instant::now()));
        let mut req = self.agent.request(method, url);
        for (k, v) in &self.headers {
            req = req.set(k, v);
        }
        if let Some(token) = self.token.borrow().as_deref() {
            req = req.set("X-Auth-Token", token);
        }
        if let Some(ct) = content_type {
            req = req.set("Content-Type", ct);
        }
        let resp = match req.send_bytes(body) {
            Ok(r) => r,
            Err(ureq::Error::Status(_, r)) => r,
            Err(e) => return Err(e.to_string()),
        };
        let status = resp.status();
        let content_type = resp.header("content-type").unwrap_or_default().to_owned();
        let mut body = Vec::new();
        std::io::Read::read_to_end(&mut resp.into_reader().take(64 << 20), &mut body)
            .map_err(|e| e.to_string())?;
        Ok(Got {
            status,
            content_type,
            body,
        })
    }
}

/// The record fields a valid body fixes: the crate's derivation, less what the
/// server assigns.
fn record_fields(body: &[u8], rules: &Rules) -> Option<Map<String, Value>> {
    let now = Timestamp::from_unix(0).ok()?;
    let ctx = Context::new("00000000-0000-4000-8000-000000000000", "owner", now).ok()?;
    let ok = validate(body, rules).ok()?;
    let mut out = Vec::new();
    ok.request.write_record_json(&ctx, &mut out);
    contract_fields(&out)
}

/// A record's JSON less what the server assigns.
fn contract_fields(record: &[u8]) -> Option<Map<String, Value>> {
    let Ok(Value::Object(mut m)) = serde_json::from_slice(record) else {
        return None;
    };
    for k in SERVER_ASSIGNED {
        m.remove(*k);
    }
    Some(m)
}

/// After a tag call answered 204 (no body), the image read back (`GET`): 200, and the
/// record's contract fields in `want` (tags as a set). One more outcome, of `call`.
fn read_back(
    client: &Client,
    call: &'static str,
    what: &str,
    image_url: &str,
    answer: &Result<Got, String>,
    want: Option<Map<String, Value>>,
) -> Option<Outcome> {
    let (Ok(g), Some(record)) = (answer, want) else {
        return None;
    };
    if g.status != 204 {
        return None;
    }
    let want = Expected {
        status: 200,
        violations: Default::default(),
        record: Some(record),
    };
    let got = client.send("GET", image_url, None, b"");
    let class = judge_answer(&want, &got);
    Some(Outcome::new(
        call,
        format!("GET after {what}"),
        "GET",
        image_url,
        None,
        b"",
        200,
        Vec::new(),
        got.ok(),
        class,
    ))
}

/// The contract's codes of a case, once each.
fn codes(want: &Expected) -> Vec<String> {
    let set: std::collections::BTreeSet<&String> = want.violations.iter().map(|(_, c)| c).collect();
    set.into_iter().cloned().collect()
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

fn main() -> ExitCode {
    let o = match parse() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("ims-conform: {e}");
            return ExitCode::from(2);
        }
    };
    let client = match Client::new(&o) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ims-conform: {e}");
            return ExitCode::from(2);
        }
    };
    let baseline = match o.baseline.as_deref().map(output::read_baseline).transpose() {
        Ok(b) => b,
        Err(e) => {
            eprintln!("ims-conform: {e}");
            return ExitCode::from(2);
        }
    };
    let started = std::time::Instant::now();
    match run(&o, &client) {
        Ok(outcomes) => output::finish(
            &output::Report {
                jsonl: &o.jsonl,
                junit: &o.junit,
                baseline: baseline.as_ref(),
                write_baseline: &o.write_baseline,
                headers: &o.headers,
                seconds: started.elapsed().as_secs_f64(),
            },
            &outcomes,
        ),
        Err(e) => {
            eprintln!("ims-conform: {e}");
            ExitCode::from(2)
        }
    }
}

/// Sends every case, judges every answer, deletes every image made.
fn run(o: &Options, client: &Client) -> Result<Vec<Outcome>, String> {
    let images = format!("{}/v2/images", o.url);
    let mut outcomes = Vec::new();
    let mut made = Vec::new();
    let mut first_valid = true;
    let mut post = |what: String,
                    body: Vec<u8>,
                    want: Expected,
                    outcomes: &mut Vec<Outcome>|
     -> Result<Option<String>, String> {
        let got = client.send("POST", &images, Some("application/json"), &body);
        let (class, id) = match &got {
            Err(e) => (Some(Divergence::new(Class::Transport, e.clone())), None),
            Ok(g) => {
                if want.status == 201 && first_valid {
                    first_valid = false;
                    if g.status == 401 || g.status == 403 {
                        return Err(format!(
                            "{} on the first valid body: check -H (credentials)",
                            g.status
                        ));
                    }
                }
                let id = serde_json::from_slice::<Value>(&g.body)
                    .ok()
                    .filter(|_| g.status == 201)
                    .and_then(|v| v.get("id").and_then(Value::as_str).map(str::to_owned));
                (judge(&want, g), id)
            }
        };
        if let Some(id) = &id {
            made.push(id.clone());
        }
        outcomes.push(Outcome::new(
            "create",
            what,
            "POST",
            &images,
            Some("application/json"),
            &body,
            want.status,
            codes(&want),
            got.ok(),
            class,
        ));
        Ok(id)
    };
    let mut progress = output::Progress::default();
    if o.create {
        for i in 0..o.count {
            progress.show("create", i, o.count, &outcomes);
            let case = Case::any(&o.rules, &mut Source::from_seed(o.seed.wrapping_add(i)))
                .map_err(|e| e.to_string())?;
            let want = Expected {
                status: case.status(),
                violations: case
                    .violations()
                    .iter()
                    .map(|(p, c)| (p.clone(), c.as_str().to_owned()))
                    .collect(),
                record: if case.is_valid() {
                    record_fields(case.body(), &o.rules)
                } else {
                    None
                },
            };
            post(
                format!("#{i} {}", case.what()),
                case.body().to_vec(),
                want,
                &mut outcomes,
            )?;
        }
    }
    if o.tag {
        // One image to tag: the kit's simplest valid body.
        let base =
            Case::valid(&o.rules, &mut Source::from_bytes(&[])).map_err(|e| e.to_string())?;
        let want = Expected {
            status: 201,
            violations: Default::default(),
            record: None,
        };
        let id = post(
            "tag base image".into(),
            base.body().to_vec(),
            want,
            &mut outcomes,
        )?;
        if let Some(id) = id {
            let image_url = format!("{images}/{id}");
            // The tags the image should have after each call (a tag call changes only
            // them): the base body's, then as each call that goes through leaves them.
            let mut tags: Vec<Value> = record_fields(base.body(), &o.rules)
                .and_then(|m| m.get("tags").and_then(Value::as_array).cloned())
                .unwrap_or_default();
            let tag_url = |t: &str| format!("{images}/{id}/tags/{}", percent(t));
            let over = "t".repeat(Rules::TAG_MAX_CHARS + 1);
            let calls: Vec<TagCall> = vec![
                ("PUT", "conform-tag".to_owned(), 204, vec![]),
                ("PUT", "conform-tag".to_owned(), 204, vec![]),
                ("PUT", over, 400, vec![("", "too_long")]),
                ("DELETE", "conform-tag".to_owned(), 204, vec![]),
                (
                    "DELETE",
                    "conform-absent".to_owned(),
                    404,
                    vec![("", "not_found")],
                ),
            ];
            for (method, tag, status, violations) in calls {
                let url = tag_url(&tag);
                let want = Expected {
                    status,
                    violations: violations
                        .iter()
                        .map(|(p, c)| (p.to_string(), c.to_string()))
                        .collect(),
                    record: None,
                };
                let got = client.send(method, &url, None, b"");
                let class = judge_answer(&want, &got);
                let what = format!("{method} tag ({} chars)", tag.chars().count());
                if status == 204 {
                    let t = Value::from(tag.as_str());
                    tags.retain(|x| *x != t);
                    if method == "PUT" {
                        tags.push(t);
                    }
                }
                let mut after = Map::new();
                after.insert("tags".into(), Value::Array(tags.clone()));
                let back = read_back(client, "tag", &what, &image_url, &got, Some(after));
                outcomes.push(Outcome::new(
                    "tag",
                    what,
                    method,
                    &url,
                    None,
                    b"",
                    status,
                    codes(&want),
                    got.ok(),
                    class,
                ));
                outcomes.extend(back);
            }
        }
    }
    if o.patch {
        for i in 0..o.count {
            progress.show("patch", i, o.count, &outcomes);
            let case = PatchCase::any(&o.rules, &mut Source::from_seed(o.seed.wrapping_add(i)))
                .map_err(|e| e.to_string())?;
            // The image, made on the server from the body the kit derived it from.
            let want = Expected {
                status: 201,
                violations: Default::default(),
                record: None,
            };
            let what = format!("#{i} image for: {}", case.what());
            let Some(id) = post(what, case.create_body().to_vec(), want, &mut outcomes)? else {
                continue;
            };
            let image_url = format!("{images}/{id}");
            let url = image_url.clone();
            let record = case.after().and_then(|r| {
                let mut out = Vec::new();
                r.write_json(&mut out);
                contract_fields(&out)
            });
            let want = Expected {
                status: case.status(),
                violations: case
                    .violations()
                    .iter()
                    .map(|(p, c)| (p.clone(), c.as_str().to_owned()))
                    .collect(),
                record: if case.status() == 200 {
                    record.clone()
                } else {
                    None
                },
            };
            let (method, url, media, body): (&'static str, String, Option<&str>, &[u8]) = match case
                .call()
            {
                PatchCall::Patch { media_type, body } => {
                    ("PATCH", url, Some(media_type.as_str()), body)
                }
                PatchCall::AddTag(t) => ("PUT", format!("{url}/tags/{}", percent(t)), None, b""),
                PatchCall::RemoveTag(t) => {
                    ("DELETE", format!("{url}/tags/{}", percent(t)), None, b"")
                }
                other => return Err(format!("a patch call this runner does not know: {other:?}")),
            };
            let got = client.send(method, &url, media, body);
            let class = judge_answer(&want, &got);
            let what = format!("#{i} {}", case.what());
            let want_back = if case.status() == 204 { record } else { None };
            let back = read_back(client, "patch", &what, &image_url, &got, want_back);
            outcomes.push(Outcome::new(
                "patch",
                what,
                method,
                &url,
                media,
                body,
                want.status,
                codes(&want),
                got.ok(),
                class,
            ));
            outcomes.extend(back);
        }
    }
    progress.done(&outcomes);
    // Every image made is deleted; those left are reported.
    let mut left = Vec::new();
    for id in made {
        let url = format!("{images}/{id}");
        let deleted =
            |g: &Result<Got, String>| g.as_ref().is_ok_and(|g| (200..300).contains(&g.status));
        let mut got = client.send("DELETE", &url, None, b"");
        if got.as_ref().is_ok_and(|g| g.status == 403) {
            // A protected image: unprotect it, then delete it.
            let unprotect = br#"[{"op": "replace", "path": "/protected", "value": false}]"#;
            let _ = client.send(
                "PATCH",
                &url,
                Some(ims_image_meta::update::MEDIA_TYPES[0]),
                unprotect,
            );
            got = client.send("DELETE", &url, None, b"");
        }
        if !deleted(&got) {
            left.push(id);
        }
    }
    if !left.is_empty() {
        eprintln!(
            "ims-conform: {} image(s) left behind: {}",
            left.len(),
            left.join(", ")
        );
    }
    Ok(outcomes)
}
