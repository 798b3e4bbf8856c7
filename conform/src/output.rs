//! What a run reports: a summary by class on stdout (each divergence with its case,
//! request and answer), and on demand one JSON line per request (`--jsonl`) and a
//! JUnit XML file (`--junit`) for CI.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::process::ExitCode;

use serde_json::json;

use ims_image_meta::Code;

use crate::verdict::{violations_of, Class, Divergence, Got};

/// The most bytes of a request or an answer body kept in a report.
const EXCERPT: usize = 2048;

/// One request and its judgement.
#[derive(Debug)]
pub struct Outcome {
    call: &'static str,
    what: String,
    method: &'static str,
    url: String,
    content_type: Option<String>,
    raw: Vec<u8>,
    body: String,
    want_codes: Vec<String>,
    want_status: u16,
    got: Option<Got>,
    divergence: Option<Divergence>,
}

fn excerpt(bytes: &[u8]) -> String {
    let cut = &bytes[..bytes.len().min(EXCERPT)];
    let mut s = String::from_utf8_lossy(cut).into_owned();
    if bytes.len() > EXCERPT {
        let _ = write!(s, "… ({} bytes)", bytes.len());
    }
    s
}

impl Outcome {
    /// An outcome: the call, what the case is, the request, the status the contract
    /// gives, the answer (none on a transport error) and the divergence found.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        call: &'static str,
        what: String,
        method: &'static str,
        url: &str,
        content_type: Option<&str>,
        body: &[u8],
        want_status: u16,
        want_codes: Vec<String>,
        got: Option<Got>,
        divergence: Option<Divergence>,
    ) -> Outcome {
        Outcome {
            call,
            what,
            method,
            url: url.to_owned(),
            content_type: content_type.map(str::to_owned),
            raw: body.to_vec(),
            body: excerpt(body),
            want_codes,
            want_status,
            got,
            divergence,
        }
    }

    fn line(&self, headers: &[(String, String)]) -> serde_json::Value {
        let violations = self
            .got
            .as_ref()
            .and_then(|g| serde_json::from_slice(&g.body).ok())
            .and_then(|v: serde_json::Value| violations_of(&v))
            .map(|(set, _)| set.into_iter().collect::<Vec<_>>());
        json!({
            "call": self.call,
            "case": self.what,
            "class": self.divergence.as_ref().map_or("ok", |d| d.0.as_str()),
            "status": self.got.as_ref().map(|g| g.status),
            "expected_status": self.want_status,
            "violations": violations,
            "expected_codes": self.want_codes,
            "detail": self.divergence.as_ref().map(|d| d.1.as_str()),
            "request": { "method": self.method, "url": self.url, "body": self.body },
            "answer": self.got.as_ref().map(|g| json!({
                "content_type": g.content_type, "body": excerpt(&g.body),
            })),
            "curl": self.curl(headers),
        })
    }

    /// A shell command that replays the request: the body through `printf` (every
    /// byte that is not plain printable ASCII written as an octal escape).
    fn curl(&self, headers: &[(String, String)]) -> String {
        let q = |s: &str| format!("'{}'", s.replace('\'', "'\\''"));
        let mut c = String::new();
        if !self.raw.is_empty() {
            let mut p = String::new();
            for &b in &self.raw {
                match b {
                    b'%' => p.push_str("%%"),
                    b'\\' => p.push_str("\\\\"),
                    b'\'' => p.push_str("'\\''"),
                    0x20..=0x7e => p.push(char::from(b)),
                    _ => {
                        let _ = write!(p, "\\{b:03o}");
                    }
                }
            }
            let _ = write!(c, "printf '{p}' | ");
        }
        let _ = write!(c, "curl -si -X {}", self.method);
        for (k, v) in headers {
            let _ = write!(c, " -H {}", q(&format!("{k}: {v}")));
        }
        if let Some(ct) = &self.content_type {
            let _ = write!(c, " -H {}", q(&format!("Content-Type: {ct}")));
        }
        if !self.raw.is_empty() {
            c.push_str(" --data-binary @-");
        }
        let _ = write!(c, " {}", q(&self.url));
        c
    }
}

fn xml(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '&' => "&amp;".to_owned(),
            '<' => "&lt;".to_owned(),
            '>' => "&gt;".to_owned(),
            '"' => "&quot;".to_owned(),
            c if (c as u32) < 0x20 && c != '\n' && c != '\t' => format!("&#x{:X};", c as u32),
            c => c.to_string(),
        })
        .collect()
}

/// A baseline: the divergences accepted, each by (call, class, topic), with the
/// reason it is accepted. A topic is what the divergence is about: a code of the
/// contract (`reserved`), a record field for `record_mismatch` (`__os_type`), or
/// `valid` for a valid body refused. See [`Outcome::topics`].
pub type Baseline = BTreeMap<(String, String, String), String>;

/// Reads a baseline file: one JSON object per line, `{"call": …, "class": …, "code":
/// … or "field": …, "reason": …}`; blank lines and lines starting with `#` are
/// skipped. Every entry needs a reason.
pub fn read_baseline(path: &str) -> Result<Baseline, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--baseline {path}: {e}"))?;
    let mut out = Baseline::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let at = || format!("--baseline {path} line {}", i + 1);
        let v: serde_json::Value =
            serde_json::from_str(line).map_err(|e| format!("{}: {e}", at()))?;
        let s = |k: &str| v[k].as_str().map(str::to_owned);
        let (Some(call), Some(class), Some(topic)) =
            (s("call"), s("class"), s("code").or_else(|| s("field")))
        else {
            return Err(format!(
                "{}: an entry has `call`, `class` and `code` (or `field`)",
                at()
            ));
        };
        if Class::from_name(&class).is_none() {
            return Err(format!("{}: no class `{class}`", at()));
        }
        let Some(reason) = s("reason").filter(|r| !r.trim().is_empty()) else {
            return Err(format!("{}: the entry gives no `reason`", at()));
        };
        out.insert((call, class, topic), reason);
    }
    Ok(out)
}

/// Writes the entries a baseline needs to hold this run's divergences, one per
/// (call, class, topic), with how many requests each covers and an empty `reason`
/// to fill in (`read_baseline` refuses an entry without one).
pub fn write_baseline(path: &str, outcomes: &[Outcome]) -> Result<(), String> {
    let mut seen: BTreeMap<(String, &str, String), usize> = BTreeMap::new();
    for o in outcomes {
        let Some(d) = &o.divergence else { continue };
        for t in o.topics() {
            *seen
                .entry((o.call.to_owned(), d.0.as_str(), t))
                .or_insert(0) += 1;
        }
    }
    let mut text = String::new();
    for ((call, class, topic), n) in seen {
        let member = if class == Class::RecordMismatch.as_str() {
            "field"
        } else {
            "code"
        };
        let line = json!({"call": call, "class": class, member: topic, "seen": n, "reason": ""});
        text.push_str(&line.to_string());
        text.push('\n');
    }
    std::fs::write(path, text).map_err(|e| format!("--write-baseline {path}: {e}"))
}

impl Outcome {
    /// What a divergence is about, for the baseline: for `record_mismatch` the record
    /// fields that differ; for a valid body refused, `valid`; for `wrong_status` the
    /// case's codes that give the status it wants (the codes whose answer the server
    /// got wrong); else every code of the case (`valid` when it has none).
    pub fn topics(&self) -> Vec<String> {
        let Some(Divergence(class, _, fields)) = &self.divergence else {
            return Vec::new();
        };
        let valid = || vec!["valid".to_owned()];
        match class {
            Class::RecordMismatch => fields.clone(),
            Class::RejectedValid => valid(),
            _ if self.want_codes.is_empty() => valid(),
            Class::WrongStatus => {
                let status = |c: &String| c.parse::<Code>().ok().map(Code::status);
                let deciding: Vec<String> = self
                    .want_codes
                    .iter()
                    .filter(|c| status(c) == Some(self.want_status))
                    .cloned()
                    .collect();
                if deciding.is_empty() {
                    self.want_codes.clone()
                } else {
                    deciding
                }
            }
            _ => self.want_codes.clone(),
        }
    }

    /// The baseline's entries that hold this divergence: every topic must be there
    /// (a divergence about a code the baseline does not name is new).
    fn known_by(&self, b: &Baseline) -> Option<Vec<(String, String, String)>> {
        let class = self.divergence.as_ref()?.0.as_str();
        let keys: Vec<_> = self
            .topics()
            .into_iter()
            .map(|t| (self.call.to_owned(), class.to_owned(), t))
            .collect();
        (!keys.is_empty() && keys.iter().all(|k| b.contains_key(k))).then_some(keys)
    }
}

/// Progress on stderr: a bar redrawn in place on a terminal, else a plain line at
/// every tenth of a call's cases.
#[derive(Debug, Default)]
pub struct Progress {
    /// How many outcomes were counted, and how many of them diverged.
    counted: usize,
    diverged: usize,
    /// Whether stderr is a terminal (`None`: not asked yet).
    tty: Option<bool>,
    /// Whether a bar is on the line.
    drawn: bool,
}

impl Progress {
    /// `done` of `of` cases of `call` are through, with `outcomes` so far.
    pub fn show(&mut self, call: &str, done: u64, of: u64, outcomes: &[Outcome]) {
        use std::io::IsTerminal as _;
        let fresh = outcomes.get(self.counted..).unwrap_or_default();
        self.diverged += fresh.iter().filter(|o| o.divergence.is_some()).count();
        self.counted = outcomes.len();
        let tty = *self
            .tty
            .get_or_insert_with(|| std::io::stderr().is_terminal());
        if tty {
            let filled = usize::try_from(done * 30 / of.max(1)).unwrap_or(30);
            eprint!(
                "\r{call:<6} [{:<30}] {done}/{of} cases, {} divergences",
                "#".repeat(filled),
                self.diverged
            );
            self.drawn = true;
        } else if done > 0 && (done * 10 / of.max(1)) != ((done - 1) * 10 / of.max(1)) {
            eprintln!("{call}: {done}/{of} cases, {} divergences", self.diverged);
        }
    }

    /// The cases are through: ends the bar's line.
    pub fn done(&mut self, outcomes: &[Outcome]) {
        if self.drawn {
            self.show("all", 1, 1, outcomes);
            eprintln!(
                "\rdone   [{}] {} requests, {} divergences      ",
                "#".repeat(30),
                self.counted,
                self.diverged
            );
        }
    }
}

/// Where a run's report goes, and what it says beside the outcomes.
#[derive(Debug)]
pub struct Report<'a> {
    /// `--jsonl`.
    pub jsonl: &'a Option<String>,
    /// `--junit`.
    pub junit: &'a Option<String>,
    /// `--baseline`, read.
    pub baseline: Option<&'a Baseline>,
    /// `--write-baseline`.
    pub write_baseline: &'a Option<String>,
    /// `-H`, for the replay commands.
    pub headers: &'a [(String, String)],
    /// How long the run took.
    pub seconds: f64,
}

/// Prints the summary, writes the files asked for; exit 0 when nothing diverged (or,
/// with a baseline, nothing the baseline does not hold: its known divergences are
/// counted apart, and those gone are reported as fixed).
pub fn finish(r: &Report<'_>, outcomes: &[Outcome]) -> ExitCode {
    let (jsonl, junit, baseline, headers) = (r.jsonl, r.junit, r.baseline, r.headers);
    // The baseline's entries that hold each outcome (`None`: not held), found once.
    let known: Vec<_> = outcomes
        .iter()
        .map(|o| baseline.and_then(|b| o.known_by(b)))
        .collect();
    let diverged: Vec<&Outcome> = outcomes
        .iter()
        .zip(&known)
        .filter(|(o, k)| o.divergence.is_some() && k.is_none())
        .map(|(o, _)| o)
        .collect();
    if let Some(b) = baseline {
        let held = known.iter().flatten().count();
        let used: BTreeSet<_> = known.into_iter().flatten().flatten().collect();
        println!(
            "baseline: {held} known divergences, {} of its {} entries seen, {} new",
            used.len(),
            b.len(),
            diverged.len()
        );
        for (k, _) in b.iter().filter(|(k, _)| !used.contains(*k)) {
            println!("  not seen in this run: {} {} {}", k.0, k.1, k.2);
        }
    }
    for o in &diverged {
        if let Some(Divergence(class, detail, _)) = &o.divergence {
            println!(
                "{class}: {} {} {} ({}): {detail}",
                o.call, o.method, o.url, o.what
            );
            println!("    request: {}", o.body);
            if let Some(g) = &o.got {
                println!(
                    "    answer: {} {} {}",
                    g.status,
                    g.content_type,
                    excerpt(&g.body)
                );
            }
        }
    }
    println!(
        "{} requests, {} divergences, in {:.1} s ({:.0} requests a second)",
        outcomes.len(),
        diverged.len(),
        r.seconds,
        outcomes.len() as f64 / r.seconds.max(1e-9)
    );
    for class in Class::ALL {
        let n = diverged
            .iter()
            .filter(|o| o.divergence.as_ref().map(|d| d.0) == Some(class))
            .count();
        if n > 0 {
            println!("  {class}: {n}");
        }
    }
    // Per code: the contract's codes of the cases that diverged.
    let mut by_code: std::collections::BTreeMap<&str, usize> = Default::default();
    for o in &diverged {
        for code in &o.want_codes {
            *by_code.entry(code.as_str()).or_insert(0) += 1;
        }
    }
    for (code, n) in by_code {
        println!("  expected {code}: {n}");
    }
    if let Some(path) = r.write_baseline {
        if let Err(e) = write_baseline(path, outcomes) {
            eprintln!("ims-conform: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(path) = jsonl {
        let text: String = outcomes
            .iter()
            .map(|o| o.line(headers).to_string() + "\n")
            .collect();
        if let Err(e) = std::fs::write(path, text) {
            eprintln!("ims-conform: cannot write {path}: {e}");
            return ExitCode::from(2);
        }
    }
    if let Some(path) = junit {
        let mut x = format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuite name=\"ims-conform\" tests=\"{}\" failures=\"{}\">\n",
            outcomes.len(),
            diverged.len()
        );
        for o in outcomes {
            let _ = write!(
                x,
                "  <testcase classname=\"{}\" name=\"{}\"",
                o.call,
                xml(&o.what)
            );
            match &o.divergence {
                None => x.push_str("/>\n"),
                Some(Divergence(class, detail, _)) => {
                    let _ = write!(
                        x,
                        ">\n    <failure type=\"{class}\" message=\"{}\">{}</failure>\n  </testcase>\n",
                        xml(detail),
                        xml(&o.line(headers).to_string())
                    );
                }
            }
        }
        x.push_str("</testsuite>\n");
        if let Err(e) = std::fs::write(path, x) {
            eprintln!("ims-conform: cannot write {path}: {e}");
            return ExitCode::from(2);
        }
    }
    if diverged.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    }
}
