//! `ims-image-meta`: the crate's main job from a shell. Validates create bodies
//! (`POST /v2/images`) and prints, per body, the 201 record or the report.
//!
//! Uses the library's own dependencies and `lexopt` for the arguments. `--help` is the
//! reference; the exit status is 0 (every body accepted), 1 (some rejected) or 2 (bad
//! usage, an unreadable file, a bad catalog), the worst over all FILEs.
//!
//! Parsing (`parse_args`, a lexopt loop per command) comes first; running and
//! rendering (`run` and below) read only the parsed `Options`.

#![forbid(unsafe_code)]

#[path = "bin_support/corpus.rs"]
mod corpus;
#[path = "bin_support/update.rs"]
mod update_cmd;
#[path = "bin_support/uuid.rs"]
mod uuid;
use uuid::random_v4;

use lexopt::prelude::*;
use lexopt::Parser;

use std::ffi::OsString;
use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::SystemTime;

use ims_image_meta::report::{Format, Style};
use ims_image_meta::warning::Warnings;
use ims_image_meta::{answer, Answer, Catalog, Context, Locale, Profile, Rules, Timestamp};

const NAME: &str = env!("CARGO_PKG_NAME");
const VERSION: &str = env!("CARGO_PKG_VERSION");
const DEMO_OWNER: &str = "b912fb4a4c464b568ecfca1071b21b10";
/// A catalog file larger than this is refused (the built-in CSV is about 10 KB).
const CATALOG_MAX_BYTES: u64 = 16 << 20;

const USAGE: &str = "\
usage: ims-image-meta [OPTIONS] [FILE]...
       ims-image-meta --schema [request|record|patch]
       ims-image-meta corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]";

const HELP: &str = "\
Validate IMS `POST /v2/images` create bodies (Glance-compatible) and print, for each,
the 201 record the service would answer with, or the report of every violation.

Reads each FILE (stdin when there is none, or for `-`), at most the body cap + 1 byte
of it (a larger body is answered 413 without reading the rest), and applies the
contract's default rules (docs/contract.md).

Options:
  --id UUID                 image id of the record (default: a random v4 UUID)
  --owner ID                owner project id (default: b912fb4a4c464b568ecfca1071b21b10)
  --now UNIX_SECONDS        the record's creation time (default: the current time)
  --profile NAME            the rule set to start from: ims-2022 (the default, the
                            contract's page), huaweicloud or otc
  --rules FILE              a rule set from a JSON file: knobs by name, with a
                            \"profile\" to start from (see examples/rules/)
  --catalog FILE            the __os_version catalog to validate against, instead of
                            the built-in one: CSV (os_version,os_type,platform,os_bit)
                            or the JSON answer of GET /v1/cloudimages/os_version,
                            told apart by content
  --format glance|ims|problem
                            report shape: {\"status\", \"violations\"} (glance, the
                            default), the IMS {\"error\": {\"code\", \"message\"}}, or
                            RFC 9457 application/problem+json
  --lang en|zh-CN           the language of messages and warnings (default: en)
  --jsonl                   one compact JSON line per FILE, in order:
                            {\"file\", \"status\", \"record\", \"warnings\"} when accepted,
                            {\"file\", \"status\", \"report\"} when rejected,
                            {\"file\", \"error\"} when unreadable
  --schema [request|record|patch]
                            print the JSON Schema of the request body (the default),
                            of the 201 record, or of a v2.1 patch document (under
                            --profile / --rules), and exit
  -h, --help                print this help and exit
  -V, --version             print the version and exit

An option's value may also be given as --option=value. `--` ends the options.

Subcommand (the first argument):
  corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]
                            write N bodies (default 1000, at most 100000) made by the
                            crate's kit from seed S (default 0) under the rule set, with
                            the verdict each must get: DIR/00000.json, …, one body per
                            file (the first ones break each violation code once);
                            DIR/manifest.jsonl, one line per body: {\"file\", \"status\",
                            \"violations\": [[pointer, code], …], \"what\"}; DIR/ims.dict,
                            a libFuzzer/AFL++ dictionary (keys, values, catalog rows,
                            limits' edges, escapes). The same arguments write the same
                            bytes. Exit 0, or 2 on bad usage or an unwritable DIR.

Output and exit status:
  accepted   exit 0; the record (JSON) on stdout; a `warning: …` line on stderr per
             default that may break later use (no name, no __os_version)
  rejected   exit 1; the report on stdout
  bad usage, unreadable FILE, bad catalog
             exit 2; the reason on stderr
  With several FILEs, each verdict is printed in turn and the exit status is the
  worst of them (2 > 1 > 0); warnings are then prefixed with the FILE.

Examples:
  ims-image-meta examples/sample-request.json
  echo '{\"min_disk\": 1, \"status\": \"active\"}' | ims-image-meta --format ims
  ims-image-meta --jsonl a.json b.json c.json
  ims-image-meta --catalog os_version.json --owner my-project body.json
  ims-image-meta --profile huaweicloud body.json
  ims-image-meta --format problem --lang zh-CN body.json
  ims-image-meta --rules examples/rules/dedicated-region.json body.json
  ims-image-meta --id=4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86 --now=1464853788 body.json
  ims-image-meta --schema record
  ims-image-meta corpus fuzz/corpus/validate_bytes --count 500 --seed 1";

/// Which JSON Schema `--schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    Request,
    Record,
    Patch,
}

/// The validation command's options and FILEs.
#[derive(Debug)]
struct Options {
    id: Option<String>,
    owner: String,
    now: Option<i64>,
    profile: Option<Profile>,
    rules: Option<String>,
    catalog: Option<String>,
    format: Format,
    lang: Locale,
    jsonl: bool,
    schema: Option<Schema>,
    files: Vec<String>,
}

/// What a command line asks for.
#[derive(Debug)]
enum Command {
    Help,
    Version,
    /// `ims-image-meta [OPTIONS] [FILE]...`: validate each FILE.
    Validate(Options),
    /// `patch …` or `tag add|remove …`: an update (issue 23).
    Update(update_cmd::UpdateOptions),
    /// `ims-image-meta corpus DIR ...`: write bodies with their verdicts.
    Corpus(CorpusOptions),
}

/// The `corpus` subcommand's DIR and options.
#[derive(Debug)]
struct CorpusOptions {
    dir: String,
    count: usize,
    seed: u64,
    profile: Option<Profile>,
    rules: Option<String>,
}

/// Parses a subcommand's arguments (those after its word) in a lexopt loop of its own.
type ParseFn = fn(Parser) -> Result<Command, lexopt::Error>;

/// The subcommands, by the word that names them. The word must be the first argument
/// (`ims-image-meta WORD [its own options]`); any other first argument, an option or a
/// FILE, starts the validation command, so a FILE named like a subcommand is given as
/// `./WORD`, after `--`, or after any other argument. None yet: issues 22 and 23 add
/// `corpus`, `patch` and `tag` here, each with a `parse_*` function beside
/// `parse_validate` and a `Command` variant, and their lines in `--help`.
const SUBCOMMANDS: &[(&str, ParseFn)] = &[
    ("patch", update_cmd::parse_patch),
    ("tag", update_cmd::parse_tag),
    ("corpus", parse_corpus),
];

/// Parses the arguments (without the program name).
fn parse_args<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    dispatch(SUBCOMMANDS, Parser::from_args(args)).map_err(usage_error)
}

/// Hands the arguments to the subcommand the first one names, else to `parse_validate`.
fn dispatch(subcommands: &[(&str, ParseFn)], mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut parse: ParseFn = parse_validate;
    p.raw_args()?.next_if(
        |first| match subcommands.iter().find(|(word, _)| first == *word) {
            Some(&(_, sub)) => {
                parse = sub;
                true
            }
            None => false,
        },
    );
    parse(p)
}

/// `[OPTIONS] [FILE]...`. One `match` arm per flag: a new flag is a new arm.
/// `--flag=value` and `--flag value` are the same; a flag that takes no value refuses
/// `=value`; `--` ends the options, and `-` is a FILE (stdin).
fn parse_validate(mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut o = Options {
        id: None,
        owner: DEMO_OWNER.to_owned(),
        now: None,
        profile: None,
        rules: None,
        catalog: None,
        format: Format::Glance,
        lang: Locale::En,
        jsonl: false,
        schema: None,
        files: Vec::new(),
    };
    while let Some(arg) = p.next()? {
        match arg {
            Short('h') | Long("help") => return no_value(p, Command::Help),
            Short('V') | Long("version") => return no_value(p, Command::Version),
            Long("id") => o.id = Some(p.value()?.string()?),
            Long("owner") => o.owner = p.value()?.string()?,
            Long("now") => {
                let v = p.value()?.string()?;
                let secs = v
                    .parse()
                    .map_err(|_| format!("--now wants Unix seconds, got '{v}'"))?;
                o.now = Some(secs);
            }
            Long("catalog") => o.catalog = Some(p.value()?.string()?),
            Long("profile") => {
                let v = p.value()?.string()?;
                o.profile = Some(v.parse().map_err(|e| format!("--profile: {e}"))?);
            }
            Long("rules") => o.rules = Some(p.value()?.string()?),
            Long("format") => o.format = format_value(&mut p)?,
            Long("lang") => o.lang = lang_value(&mut p)?,
            Long("jsonl") => o.jsonl = true,
            Long("schema") => {
                // The value is optional: take the next argument only if it is one.
                let v = match p.optional_value() {
                    Some(v) => v,
                    None => (p.raw_args()?)
                        .next_if(|a| a == "request" || a == "record" || a == "patch")
                        .unwrap_or_else(|| "request".into()),
                };
                o.schema = Some(match v.string()?.as_str() {
                    "request" => Schema::Request,
                    "record" => Schema::Record,
                    "patch" => Schema::Patch,
                    other => {
                        let e = format!("--schema wants request, record or patch, got '{other}'");
                        return Err(e.into());
                    }
                });
            }
            Value(file) => o.files.push(file.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    if o.schema.is_some() && !o.files.is_empty() {
        let e = format!("--schema reads no FILE, got '{}'", o.files.join("', '"));
        return Err(e.into());
    }
    if o.profile.is_some() && o.rules.is_some() {
        let e = "give --profile or --rules, not both (a rules file names its own \"profile\")";
        return Err(e.into());
    }
    if o.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err("stdin ('-') can be read only once".into());
    }
    Ok(Command::Validate(o))
}

/// `corpus DIR [--count N] [--seed S] [--profile NAME | --rules FILE]`.
fn parse_corpus(mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut o = CorpusOptions {
        dir: String::new(),
        count: 1000,
        seed: 0,
        profile: None,
        rules: None,
    };
    let mut dir = None;
    while let Some(arg) = p.next()? {
        match arg {
            Short('h') | Long("help") => return no_value(p, Command::Help),
            Long("count") => {
                let v = p.value()?.string()?;
                o.count = v
                    .parse()
                    .ok()
                    .filter(|n| *n <= corpus::MAX_COUNT)
                    .ok_or_else(|| {
                        format!(
                            "--count wants a number up to {}, got '{v}'",
                            corpus::MAX_COUNT
                        )
                    })?;
            }
            Long("seed") => {
                let v = p.value()?.string()?;
                o.seed = v
                    .parse()
                    .map_err(|_| format!("--seed wants an unsigned 64-bit number, got '{v}'"))?;
            }
            Long("profile") => {
                let v = p.value()?.string()?;
                o.profile = Some(v.parse().map_err(|e| format!("--profile: {e}"))?);
            }
            Long("rules") => o.rules = Some(p.value()?.string()?),
            Value(d) if dir.is_none() => dir = Some(d.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    if o.profile.is_some() && o.rules.is_some() {
        let e = "give --profile or --rules, not both (a rules file names its own \"profile\")";
        return Err(e.into());
    }
    o.dir = dir.ok_or("corpus needs a DIR to write into")?;
    Ok(Command::Corpus(o))
}

/// Runs `corpus`: the summary on stderr, exit 0.
fn run_corpus(o: CorpusOptions) -> Result<u8, String> {
    let rules = match (&o.rules, o.profile) {
        (Some(path), _) => load_rules(path)?,
        (None, Some(profile)) => Rules::profile(profile),
        (None, None) => Rules::default(),
    };
    let summary = corpus::write(std::path::Path::new(&o.dir), o.count, o.seed, &rules)?;
    eprintln!("{NAME}: {summary}");
    Ok(0)
}

/// `command`, unless the flag just read came with a value (`--help=1`, `-hV`): then the
/// error lexopt gives any other flag that takes none (`raw_args` refuses a pending value).
fn no_value(mut p: Parser, command: Command) -> Result<Command, lexopt::Error> {
    p.raw_args()?;
    Ok(command)
}

/// A usage error in this tool's words.
fn usage_error(e: lexopt::Error) -> String {
    match e {
        lexopt::Error::MissingValue { option: Some(flag) } => format!("{flag} needs a value"),
        lexopt::Error::UnexpectedValue { option, .. } => format!("{option} takes no value"),
        lexopt::Error::UnexpectedOption(flag) => format!("unknown option '{flag}'"),
        lexopt::Error::NonUnicodeValue(arg) => {
            format!("argument '{}' is not UTF-8", arg.to_string_lossy())
        }
        other => other.to_string(),
    }
}

fn main() -> ExitCode {
    // One arm per command; a subcommand adds its own, calling its own `run_*`.
    let outcome = match parse_args(std::env::args_os().skip(1)) {
        Ok(Command::Help) => {
            println!(
                "{NAME} {VERSION}\n\n{USAGE}\n{}\n\n{HELP}\n\n{}",
                update_cmd::USAGE,
                update_cmd::HELP
            );
            return ExitCode::SUCCESS;
        }
        Ok(Command::Version) => {
            println!("{NAME} {VERSION}");
            return ExitCode::SUCCESS;
        }
        Ok(Command::Validate(o)) => run(o),
        Ok(Command::Update(o)) => update_cmd::run(o),
        Ok(Command::Corpus(o)) => run_corpus(o),
        Err(e) => {
            eprintln!(
                "{NAME}: {e}\n{USAGE}\n{}\nTry '{NAME} --help' for more.",
                update_cmd::USAGE
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("{NAME}: {e}");
            ExitCode::from(2)
        }
    }
}

/// Runs a parsed command line; `Err` is a failure of the whole run (exit 2).
fn run(o: Options) -> Result<u8, String> {
    let mut rules = match (&o.rules, o.profile) {
        (Some(path), _) => load_rules(path)?,
        (None, Some(profile)) => Rules::profile(profile),
        (None, None) => Rules::default(),
    };
    if let Some(path) = &o.catalog {
        rules = rules
            .to_builder()
            .catalog(load_catalog(path)?)
            .build()
            .map_err(|e| format!("{path}: {e}"))?;
    }
    let mut out = std::io::stdout().lock();
    let mut emit = |text: &[u8]| {
        out.write_all(text)
            .and_then(|()| out.write_all(b"\n"))
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write to stdout: {e}"))
    };
    if let Some(which) = o.schema {
        let schema = match which {
            Schema::Request => ims_image_meta::schema::request_schema(&rules),
            Schema::Record => ims_image_meta::schema::record_schema(),
            Schema::Patch => ims_image_meta::schema::patch_schema(&rules),
        };
        emit(to_json(&schema, true)?.as_bytes())?;
        return Ok(0);
    }
    let now = match o.now {
        Some(secs) => Timestamp::from_unix(secs),
        None => Timestamp::from_system_time(SystemTime::now()),
    }
    .map_err(|e| e.to_string())?;
    // Checked once up front, so that a bad --id or --owner fails before any read.
    Context::new(o.id.clone().unwrap_or_else(random_v4), &o.owner, now)
        .map_err(|e| e.to_string())?;

    let files = if o.files.is_empty() {
        vec!["-".to_owned()]
    } else {
        o.files.clone()
    };
    let several = files.len() > 1;
    let mut worst = 0u8;
    for file in &files {
        let body = match read_capped(file, rules.max_body_bytes()) {
            Ok(b) => b,
            Err(e) => {
                let msg = format!("cannot read {}: {e}", shown(file));
                eprintln!("{NAME}: {msg}");
                if o.jsonl {
                    let line = Line {
                        error: Some(&msg),
                        ..Line::new(file)
                    };
                    emit(to_json(&line, false)?.as_bytes())?;
                }
                worst = 2;
                continue;
            }
        };
        // A fresh random id per body, unless one was given.
        let id = o.id.clone().unwrap_or_else(random_v4);
        let ctx = Context::new(id, &o.owner, now).map_err(|e| e.to_string())?;
        // The one road: the status and the bytes a server would answer with.
        let a = answer(&body, &rules, &ctx, Style::new(o.format, o.lang));
        for w in a.warnings().iter() {
            let prefix = if several {
                format!("{}: ", shown(file))
            } else {
                String::new()
            };
            eprintln!(
                "{prefix}warning: {} ({}): {}",
                w.code(),
                w.pointer(),
                w.message_in(o.lang)
            );
        }
        let text = if o.jsonl {
            jsonl_line(file, &a, o.lang)?
        } else {
            a.to_pretty()
        };
        let code = if a.is_accepted() { 0 } else { 1 };
        emit(&text)?;
        worst = worst.max(code);
    }
    Ok(worst)
}

/// The warnings of an accepted body, in a locale.
struct WarningsIn<'a>(&'a Warnings, Locale);

impl serde::Serialize for WarningsIn<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(|w| w.localized(self.1)))
    }
}

/// The `--jsonl` line of a FILE that could not be read.
#[derive(serde::Serialize)]
struct Line<'a> {
    file: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a str>,
}

impl<'a> Line<'a> {
    fn new(file: &'a str) -> Self {
        Line { file, error: None }
    }
}

/// One `--jsonl` line, compact: `{"file", "status", "record", "warnings"}` or
/// `{"file", "status", "report"}`, the record or report being the answer's bytes.
fn jsonl_line(file: &str, a: &Answer, lang: Locale) -> Result<Vec<u8>, String> {
    let mut line = b"{\"file\":".to_vec();
    line.extend_from_slice(to_json(&file, false)?.as_bytes());
    line.extend_from_slice(format!(",\"status\":{}", a.status()).as_bytes());
    line.extend_from_slice(if a.is_accepted() {
        b",\"record\":"
    } else {
        b",\"report\":"
    });
    line.extend_from_slice(a.body());
    if a.is_accepted() {
        line.extend_from_slice(b",\"warnings\":");
        line.extend_from_slice(to_json(&WarningsIn(a.warnings(), lang), false)?.as_bytes());
    }
    line.push(b'}');
    Ok(line)
}

fn to_json<T: serde::Serialize>(value: &T, pretty: bool) -> Result<String, String> {
    let text = if pretty {
        serde_json::to_string_pretty(value)
    } else {
        serde_json::to_string(value)
    };
    text.map_err(|e| format!("cannot render JSON: {e}"))
}

fn shown(file: &str) -> &str {
    if file == "-" {
        "stdin"
    } else {
        file
    }
}

/// Reads at most `cap + 1` bytes of `file` (stdin for `-`): enough for the library to
/// answer 413 to anything larger, and never more memory than that.
fn read_capped(file: &str, cap: usize) -> std::io::Result<Vec<u8>> {
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

/// Loads `--catalog FILE`: the endpoint's JSON when the content starts with `[` or
/// `{`, else CSV.
/// Reads at most `max` bytes of a rules or catalog file (a larger file is refused).
fn read_small(path: &str, what: &str) -> Result<Vec<u8>, String> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(CATALOG_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("cannot read {what} {path}: {e}"))?;
    if bytes.len() as u64 > CATALOG_MAX_BYTES {
        return Err(format!(
            "bad {what} {path}: larger than {CATALOG_MAX_BYTES} bytes"
        ));
    }
    Ok(bytes)
}

/// A catalog file: CSV, or the endpoint's JSON, told apart by content.
fn load_catalog(path: &str) -> Result<Catalog, String> {
    let bytes = read_small(path, "catalog")?;
    Catalog::from_bytes(&bytes).map_err(|e| format!("bad catalog {path}: {e}"))
}

/// A rules file: the knobs by name, with a "profile" to start from.
fn load_rules(path: &str) -> Result<Rules, String> {
    let bytes = read_small(path, "rules")?;
    Rules::from_json(&bytes).map_err(|e| format!("bad rules {path}: {e}"))
}

/// The value of `--format` (every command that prints a report takes it).
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
    v.parse().map_err(|_| unknown_locale(&v).into())
}

/// The error of an unknown `--lang`.
fn unknown_locale(v: &str) -> String {
    let all: Vec<&str> = Locale::ALL.iter().map(|l| l.as_str()).collect();
    format!(
        "--lang: unknown locale '{v}'; expected one of: {}",
        all.join(", ")
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(args: &[&str]) -> Result<Command, String> {
        parse_args(args)
    }

    fn options(args: &[&str]) -> Options {
        match parse(args) {
            Ok(Command::Validate(o)) => o,
            other => panic!("{args:?}: {other:?}"),
        }
    }

    #[test]
    fn flags_take_values_inline_or_next() {
        let o = options(&[
            "--id=x",
            "--owner",
            "p",
            "--now=5",
            "--format=ims",
            "a",
            "b",
        ]);
        assert_eq!(o.id.as_deref(), Some("x"));
        assert_eq!(
            (o.owner.as_str(), o.now, o.format),
            ("p", Some(5), Format::Ims)
        );
        assert_eq!(o.files, ["a", "b"]);
        let o = options(&["--", "--id", "-"]);
        assert_eq!(o.files, ["--id", "-"]);
        assert_eq!(options(&["--schema"]).schema, Some(Schema::Request));
        assert_eq!(
            options(&["--schema", "record"]).schema,
            Some(Schema::Record)
        );
        assert_eq!(options(&["--schema=request"]).schema, Some(Schema::Request));
        assert!(matches!(parse(&["x", "--help"]), Ok(Command::Help)));
        assert!(matches!(parse(&["-V"]), Ok(Command::Version)));
    }

    #[test]
    fn bad_command_lines_say_why() {
        for (args, why) in [
            (&["--bogus"][..], "unknown option '--bogus'"),
            (&["--id"][..], "--id needs a value"),
            (&["--jsonl=yes"][..], "--jsonl takes no value"),
            (&["--help=1"][..], "--help takes no value"),
            (
                &["--format", "xml"][..],
                "--format wants glance, ims or problem, got 'xml'",
            ),
            (
                &["--schema=x"][..],
                "--schema wants request, record or patch, got 'x'",
            ),
            (
                &["--schema", "a.json"][..],
                "--schema reads no FILE, got 'a.json'",
            ),
            (&["-", "-"][..], "stdin ('-') can be read only once"),
            (&["-x"][..], "unknown option '-x'"),
        ] {
            assert_eq!(parse(args).unwrap_err(), why, "{args:?}");
        }
    }

    /// A stand-in subcommand: `Help` when its own loop accepts all it is given.
    fn parse_probe(mut p: Parser) -> Result<Command, lexopt::Error> {
        while let Some(arg) = p.next()? {
            match arg {
                Long("deep") | Value(_) => {}
                _ => return Err(arg.unexpected()),
            }
        }
        Ok(Command::Help)
    }

    #[test]
    fn only_a_first_argument_names_a_subcommand() {
        let probe: &[(&str, ParseFn)] = &[("probe", parse_probe)];
        let parse = |args: &[&str]| dispatch(probe, Parser::from_args(args)).map_err(usage_error);
        // The subcommand's own loop reads the rest: `--deep` is no validation flag.
        assert!(matches!(
            parse(&["probe", "--deep", "x"]),
            Ok(Command::Help)
        ));
        assert_eq!(
            parse(&["probe", "--jsonl"]).unwrap_err(),
            "unknown option '--jsonl'"
        );
        // Anywhere else the word is a FILE (or an option's value).
        for (args, files) in [
            (&["./probe"][..], &["./probe"][..]),
            (&["--", "probe"], &["probe"]),
            (&["a.json", "probe"], &["a.json", "probe"]),
            (&["--jsonl", "probe"], &["probe"]),
            (&["--owner", "probe"], &[]),
        ] {
            match parse(args) {
                Ok(Command::Validate(o)) => assert_eq!(o.files, files, "{args:?}"),
                other => panic!("{args:?}: {other:?}"),
            }
        }
        assert_eq!(
            parse(&["--deep", "probe"]).unwrap_err(),
            "unknown option '--deep'"
        );
    }

    /// `std::env::args` would panic on it.
    #[test]
    #[cfg(unix)]
    fn a_non_utf8_argument_is_a_usage_error() {
        use std::os::unix::ffi::OsStringExt;
        let bad = || OsString::from_vec(b"a\xffb".to_vec());
        for args in [vec![bad()], vec!["--owner".into(), bad()]] {
            assert_eq!(
                parse_args(args).unwrap_err(),
                "argument 'a\u{fffd}b' is not UTF-8"
            );
        }
    }

    #[test]
    fn random_ids_are_v4_uuids() {
        let (a, b) = (random_v4(), random_v4());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}
