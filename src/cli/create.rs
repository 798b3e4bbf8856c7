//! The create command: `ims-image-meta [OPTIONS] [FILE]...` validates each FILE as a
//! `POST /v2/images` body, and `--schema` prints a JSON Schema.

use lexopt::prelude::*;
use lexopt::Parser;

use ims_image_meta::report::Style;
use ims_image_meta::warning::Warnings;
use ims_image_meta::{answer, Answer, Context, Locale};

use super::shared::{emit, load_catalog, read_capped, shown, to_json, Shared};
use super::uuid::random_v4;
use super::{no_value, Command};

const DEMO_OWNER: &str = "b912fb4a4c464b568ecfca1071b21b10";

/// Which JSON Schema `--schema` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Schema {
    Request,
    Record,
    Patch,
    OpenApi,
}

/// `--schema`'s values.
const SCHEMAS: [(&str, Schema); 4] = [
    ("request", Schema::Request),
    ("record", Schema::Record),
    ("patch", Schema::Patch),
    ("openapi", Schema::OpenApi),
];

/// The validation command's options and FILEs.
#[derive(Debug)]
pub struct Options {
    shared: Shared,
    id: Option<String>,
    owner: String,
    catalog: Option<String>,
    jsonl: bool,
    schema: Option<Schema>,
    pub files: Vec<String>,
}

/// `[OPTIONS] [FILE]...`. One `match` arm per flag: a new flag is a new arm.
/// `--flag=value` and `--flag value` are the same; a flag that takes no value refuses
/// `=value`; `--` ends the options, and `-` is a FILE (stdin).
pub fn parse(mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut o = Options {
        shared: Shared::new(true),
        id: None,
        owner: DEMO_OWNER.to_owned(),
        catalog: None,
        jsonl: false,
        schema: None,
        files: Vec::new(),
    };
    while let Some(arg) = p.next()? {
        if let Some(flag) = o.shared.flag(&arg) {
            o.shared.take(flag, &mut p)?;
            continue;
        }
        match arg {
            Short('h') | Long("help") => return no_value(p, Command::Help),
            Short('V') | Long("version") => return no_value(p, Command::Version),
            Long("id") => o.id = Some(p.value()?.string()?),
            Long("owner") => o.owner = p.value()?.string()?,
            Long("catalog") => o.catalog = Some(p.value()?.string()?),
            Long("jsonl") => o.jsonl = true,
            Long("schema") => {
                // The value is optional: take the next argument only if it is one.
                let known = |a: &str| SCHEMAS.iter().find(|(name, _)| *name == a);
                let v = match p.optional_value() {
                    Some(v) => v,
                    None => (p.raw_args()?)
                        .next_if(|a| a.to_str().is_some_and(|a| known(a).is_some()))
                        .unwrap_or_else(|| "request".into()),
                };
                let v = v.string()?;
                let (_, schema) = known(&v).ok_or_else(|| {
                    format!("--schema wants request, record, patch or openapi, got '{v}'")
                })?;
                o.schema = Some(*schema);
            }
            Value(file) => o.files.push(file.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    if o.schema.is_some() && !o.files.is_empty() {
        let e = format!("--schema reads no FILE, got '{}'", o.files.join("', '"));
        return Err(e.into());
    }
    o.shared = o.shared.finish()?;
    if o.files.iter().filter(|f| *f == "-").count() > 1 {
        return Err("stdin ('-') can be read only once".into());
    }
    Ok(Command::Validate(o))
}

/// Runs a parsed command line; `Err` is a failure of the whole run (exit 2).
pub fn run(o: Options) -> Result<u8, String> {
    let mut rules = o.shared.load_rules()?;
    if let Some(path) = &o.catalog {
        rules = rules
            .to_builder()
            .catalog(load_catalog(path)?)
            .build()
            .map_err(|e| format!("{path}: {e}"))?;
    }
    let mut out = std::io::stdout().lock();
    if let Some(which) = o.schema {
        let schema = match which {
            Schema::Request => ims_image_meta::schema::request_schema(&rules),
            Schema::Record => ims_image_meta::schema::record_schema(),
            Schema::Patch => ims_image_meta::schema::patch_schema(&rules),
            Schema::OpenApi => ims_image_meta::schema::openapi(&rules),
        };
        emit(&mut out, to_json(&schema, true)?.as_bytes())?;
        return Ok(0);
    }
    let now = o.shared.timestamp()?;
    let (format, lang) = (o.shared.format, o.shared.lang);
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
                eprintln!("{}: {msg}", super::NAME);
                if o.jsonl {
                    let line = Line { file, error: &msg };
                    emit(&mut out, to_json(&line, false)?.as_bytes())?;
                }
                worst = 2;
                continue;
            }
        };
        // A fresh random id per body, unless one was given.
        let id = o.id.clone().unwrap_or_else(random_v4);
        let ctx = Context::new(id, &o.owner, now).map_err(|e| e.to_string())?;
        // The one road: the status and the bytes a server would answer with.
        let a = answer(&body, &rules, &ctx, Style::new(format, lang));
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
                w.message_in(lang)
            );
        }
        let text = if o.jsonl {
            jsonl_line(file, &a, lang)?
        } else {
            a.to_pretty()
        };
        let code = if a.is_accepted() { 0 } else { 1 };
        emit(&mut out, &text)?;
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
    error: &'a str,
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

#[cfg(test)]
mod tests {
    use super::super::parse_args;
    use super::*;
    use ims_image_meta::report::Format;

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
            (o.owner.as_str(), o.shared.now, o.shared.format),
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
                "--schema wants request, record, patch or openapi, got 'x'",
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
}
