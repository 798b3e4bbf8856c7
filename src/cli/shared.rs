//! What every command shares: the flags parsed in one place (`--profile`, `--rules` and
//! their conflict, `--format`, `--lang`, `--now`), the rule loading, and the file
//! reading and JSON writing helpers.

use std::io::{Read, Write};
use std::time::SystemTime;

use lexopt::prelude::*;
use lexopt::{Arg, Parser};

use ims_image_meta::report::Format;
use ims_image_meta::{Catalog, Locale, Profile, Rules, Timestamp};

/// A rules, catalog or image file larger than this is refused (the built-in CSV is about
/// 10 KB).
const SMALL_FILE_MAX_BYTES: u64 = 16 << 20;

/// The flags a command may share; each command says which in `Shared::new`.
const RULE_FLAGS: &[&str] = &["profile", "rules"];
/// The flags of commands that print a report and stamp a time.
const REPORT_FLAGS: &[&str] = &["format", "lang", "now"];

/// The shared flags' values, parsed by `take` whatever the command.
#[derive(Debug)]
pub struct Shared {
    /// Whether the command takes `--format`, `--lang` and `--now` (`corpus` does not).
    reports: bool,
    pub profile: Option<Profile>,
    pub rules: Option<String>,
    pub format: Format,
    pub lang: Locale,
    pub now: Option<i64>,
}

impl Shared {
    /// The defaults; `reports` says whether `--format`, `--lang` and `--now` are taken.
    pub fn new(reports: bool) -> Self {
        Shared {
            reports,
            profile: None,
            rules: None,
            format: Format::Glance,
            lang: Locale::En,
            now: None,
        }
    }

    /// The shared flag `arg` is, if this command takes it (then `take` reads its value).
    pub fn flag(&self, arg: &Arg<'_>) -> Option<&'static str> {
        let Long(name) = arg else {
            return None;
        };
        let known = |list: &[&'static str]| list.iter().copied().find(|f| f == name);
        known(RULE_FLAGS).or_else(|| known(REPORT_FLAGS).filter(|_| self.reports))
    }

    /// Reads the value of `flag` (one `flag` returned).
    pub fn take(&mut self, flag: &str, p: &mut Parser) -> Result<(), lexopt::Error> {
        match flag {
            "profile" => {
                let v = p.value()?.string()?;
                self.profile = Some(v.parse().map_err(|e| format!("--profile: {e}"))?);
            }
            "rules" => self.rules = Some(p.value()?.string()?),
            "format" => self.format = format_value(p)?,
            "lang" => self.lang = lang_value(p)?,
            _ => {
                let v = p.value()?.string()?;
                let secs = v
                    .parse()
                    .map_err(|_| format!("--now wants Unix seconds, got '{v}'"))?;
                self.now = Some(secs);
            }
        }
        Ok(())
    }

    /// The checks across shared flags, once the command line is read.
    pub fn finish(self) -> Result<Self, lexopt::Error> {
        if self.profile.is_some() && self.rules.is_some() {
            let e = "give --profile or --rules, not both (a rules file names its own \"profile\")";
            return Err(e.into());
        }
        Ok(self)
    }

    /// The rule set: the `--rules` file, the `--profile`, or the default.
    pub fn load_rules(&self) -> Result<Rules, String> {
        match (&self.rules, self.profile) {
            (Some(path), _) => {
                let bytes =
                    read_small(path, "rules", |e| format!("cannot read rules {path}: {e}"))?;
                Rules::from_json(&bytes).map_err(|e| format!("bad rules {path}: {e}"))
            }
            (None, Some(profile)) => Ok(Rules::profile(profile)),
            (None, None) => Ok(Rules::default()),
        }
    }

    /// `--now`, or the current time.
    pub fn timestamp(&self) -> Result<Timestamp, String> {
        match self.now {
            Some(secs) => Timestamp::from_unix(secs),
            None => Timestamp::from_system_time(SystemTime::now()),
        }
        .map_err(|e| e.to_string())
    }
}

/// The value of `--format`.
fn format_value(p: &mut Parser) -> Result<Format, lexopt::Error> {
    match p.value()?.string()?.as_str() {
        "glance" => Ok(Format::Glance),
        "ims" => Ok(Format::Ims),
        "problem" => Ok(Format::Problem),
        other => Err(format!("--format wants glance, ims or problem, got '{other}'").into()),
    }
}

/// The value of `--lang`.
fn lang_value(p: &mut Parser) -> Result<Locale, lexopt::Error> {
    let v = p.value()?.string()?;
    v.parse().map_err(|_| {
        let all: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
        let e = format!(
            "--lang: unknown locale '{v}'; expected one of: {}",
            all.join(", ")
        );
        e.into()
    })
}

/// Reads at most `SMALL_FILE_MAX_BYTES` of a rules, catalog or image file (a larger
/// file is refused); `unreadable` words an error of the read.
pub fn read_small(
    path: &str,
    what: &str,
    unreadable: impl FnOnce(std::io::Error) -> String,
) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(SMALL_FILE_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(unreadable)?;
    if bytes.len() as u64 > SMALL_FILE_MAX_BYTES {
        return Err(format!(
            "bad {what} {path}: larger than {SMALL_FILE_MAX_BYTES} bytes"
        ));
    }
    Ok(bytes)
}

/// A catalog file: CSV, or the endpoint's JSON, told apart by content.
pub fn load_catalog(path: &str) -> Result<Catalog, String> {
    let bytes = read_small(path, "catalog", |e| {
        format!("cannot read catalog {path}: {e}")
    })?;
    Catalog::from_bytes(&bytes).map_err(|e| format!("bad catalog {path}: {e}"))
}

/// Reads at most `cap + 1` bytes of `file` (stdin for `-`): enough for the library to
/// answer 413 to anything larger, and never more memory than that.
pub fn read_capped(file: &str, cap: usize) -> std::io::Result<Vec<u8>> {
    let limit = u64::try_from(cap).unwrap_or(u64::MAX).saturating_add(1);
    let mut body = Vec::new();
    if file == "-" {
        std::io::stdin().lock().take(limit).read_to_end(&mut body)?;
    } else {
        std::fs::File::open(file)?
            .take(limit)
            .read_to_end(&mut body)?;
    }
    Ok(body)
}

/// A FILE as messages name it.
pub fn shown(file: &str) -> &str {
    if file == "-" {
        "stdin"
    } else {
        file
    }
}

/// JSON text, compact or indented.
pub fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> Result<String, String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|e| format!("cannot render JSON: {e}"))
}

/// Writes `text` and a newline to stdout, flushed.
pub fn emit(out: &mut impl Write, text: &[u8]) -> Result<(), String> {
    out.write_all(text)
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::BrokenPipe => BROKEN_PIPE.to_owned(),
            _ => format!("cannot write to stdout: {e}"),
        })
}

/// What [`emit`] says when the reader of stdout went away (`… | head`): the command
/// stops quietly with [`BROKEN_PIPE_EXIT`], as a Unix tool killed by `SIGPIPE` does.
pub const BROKEN_PIPE: &str = "broken pipe";
/// The exit code of a broken pipe: 128 + `SIGPIPE` (13), what shells report for a
/// tool killed by it.
pub const BROKEN_PIPE_EXIT: u8 = 141;
