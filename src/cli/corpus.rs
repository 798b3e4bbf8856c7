//! `ims-image-meta corpus DIR`: bodies from the kit, with their verdicts and a
//! dictionary, for fuzzers (libFuzzer, AFL++) and for testing a server.

use std::fmt::Write as _;
use std::path::Path;

use lexopt::prelude::*;
use lexopt::Parser;

use ims_image_meta::kit::{self, Case, Source};
use ims_image_meta::Rules;

use super::shared::Shared;
use super::{help, no_value, Command};

/// The most bodies one run writes (file names have five digits).
const MAX_COUNT: usize = 100_000;

/// The `corpus` subcommand's DIR and options.
#[derive(Debug)]
pub struct CorpusOptions {
    dir: String,
    count: usize,
    seed: u64,
    /// `--profile` or `--rules` (no `--format`, `--lang` or `--now`).
    shared: Shared,
}

/// `corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]`.
pub fn parse(mut p: Parser) -> Result<Command, lexopt::Error> {
    let (mut count, mut seed, mut shared) = (1000, 0, Shared::new(false));
    let mut dir = None;
    while let Some(arg) = p.next()? {
        if let Some(flag) = shared.flag(&arg) {
            shared.take(flag, &mut p)?;
            continue;
        }
        match arg {
            Short('h') | Long("help") => return no_value(p, Command::SubHelp(help::CORPUS)),
            Long("count") => {
                let v = p.value()?.string()?;
                count = v.parse().ok().filter(|n| *n <= MAX_COUNT).ok_or_else(|| {
                    format!("--count wants a number up to {MAX_COUNT}, got '{v}'")
                })?;
            }
            Long("seed") => {
                let v = p.value()?.string()?;
                seed = v
                    .parse()
                    .map_err(|_| format!("--seed wants an unsigned 64-bit number, got '{v}'"))?;
            }
            Value(d) if dir.is_none() => dir = Some(d.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    let shared = shared.finish()?;
    let dir = dir.ok_or("corpus needs a DIR to write into")?;
    Ok(Command::Corpus(CorpusOptions {
        dir,
        count,
        seed,
        shared,
    }))
}

/// Runs `corpus`: the summary on stderr, exit 0.
pub fn run(o: CorpusOptions) -> Result<u8, String> {
    let rules = o.shared.load_rules()?;
    let summary = write(Path::new(&o.dir), o.count, o.seed, &rules)?;
    eprintln!("{}: {summary}", super::NAME);
    Ok(0)
}

/// Writes `count` bodies made from `seed` under `rules` into `dir` (created when
/// missing) as `NNNNN.json`, their verdicts as `manifest.jsonl` and the dictionary as
/// `ims.dict`. The first bodies break each code the rules allow, once; the rest are
/// `Case::any`. The same arguments write the same bytes.
fn write(dir: &Path, count: usize, seed: u64, rules: &Rules) -> Result<String, String> {
    let shown = dir.display();
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {shown}: {e}"))?;
    let put = |path: &Path, bytes: &[u8]| {
        std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    let mut source = Source::from_seed(seed);
    let codes = kit::codes(rules);
    let mut manifest = String::new();
    let (mut valid, mut skipped) = (0usize, 0usize);
    for i in 0..count {
        let case = match codes.get(i) {
            Some(&code) => Case::breaking(rules, code, &mut source),
            None => Case::any(rules, &mut source),
        };
        let case = match case {
            Ok(c) => c,
            // A code that no body under this cap can break: a valid body instead.
            Err(_) => match Case::valid(rules, &mut source) {
                Ok(c) => c,
                Err(e) => return Err(format!("{e}")),
            },
        };
        skipped += usize::from(i < codes.len() && case.is_valid());
        valid += usize::from(case.is_valid());
        let file = format!("{i:05}.json");
        put(&dir.join(&file), case.body())?;
        manifest.push_str(&manifest_line(&file, &case)?);
        manifest.push('\n');
    }
    put(&dir.join("manifest.jsonl"), manifest.as_bytes())?;
    put(&dir.join("ims.dict"), kit::dictionary(rules).as_bytes())?;
    let mut summary = format!(
        "{count} bodies ({valid} valid, {} rejected) in {shown}, with manifest.jsonl and ims.dict",
        count - valid
    );
    if skipped > 0 {
        let _ = write!(summary, "; {skipped} code(s) did not fit the body cap");
    }
    Ok(summary)
}

/// `{"file", "status", "violations": [[pointer, code], …], "what"}`.
fn manifest_line(file: &str, case: &Case) -> Result<String, String> {
    let violations: Vec<(&str, &str)> = case
        .violations()
        .iter()
        .map(|(p, c)| (p.as_str(), c.as_str()))
        .collect();
    let line = serde_json::json!({
        "file": file,
        "status": case.status(),
        "violations": violations,
        "what": case.what(),
    });
    serde_json::to_string(&line).map_err(|e| e.to_string())
}
