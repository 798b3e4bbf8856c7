//! The crate's main job from a shell: validate a create body and print the verdict.
//!
//! ```text
//! cargo run --release --example validate -- [--id UUID] [--owner ID] [--now UNIX_SECONDS] [FILE]
//! ```
//!
//! Reads the body from FILE (stdin when FILE is absent or `-`) and applies the default
//! rules. Accepted: exit 0, the derived record as JSON on stdout, warnings on stderr.
//! Rejected: exit 1, the report `{"status", "violations"}` on stdout. Bad flags or an
//! unreadable file: exit 2, a message on stderr. Without flags the image id is a random
//! v4 UUID, the owner a fixed demo project and the time the current time.
//!
//! `validate --schema` prints the JSON Schema of the request body under the default
//! rules and exits 0.

use std::io::{Read, Write};
use std::process::ExitCode;
use std::time::SystemTime;

use ims_image_meta::{validate, Context, Rules, Timestamp};

#[path = "support/uuid.rs"]
mod uuid;

const DEMO_OWNER: &str = "b912fb4a4c464b568ecfca1071b21b10";
const USAGE: &str = "usage: validate [--id UUID] [--owner ID] [--now UNIX_SECONDS] [FILE | -]";

struct Args {
    schema: bool,
    id: Option<String>,
    owner: String,
    now: Option<i64>,
    file: Option<String>,
}

fn parse_args(mut args: impl Iterator<Item = String>) -> Result<Option<Args>, String> {
    let mut out = Args {
        schema: false,
        id: None,
        owner: DEMO_OWNER.to_owned(),
        now: None,
        file: None,
    };
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or_else(|| format!("{flag} needs a value"));
        match arg.as_str() {
            "-h" | "--help" => return Ok(None),
            "--schema" => out.schema = true,
            "--id" => out.id = Some(value("--id")?),
            "--owner" => out.owner = value("--owner")?,
            "--now" => {
                let v = value("--now")?;
                let secs = v
                    .parse()
                    .map_err(|_| format!("--now wants Unix seconds, got '{v}'"))?;
                out.now = Some(secs);
            }
            "-" => out.file = Some(arg),
            flag if flag.starts_with('-') => return Err(format!("unknown flag '{flag}'")),
            _ if out.file.is_some() => return Err(format!("more than one FILE: '{arg}'")),
            _ => out.file = Some(arg),
        }
    }
    Ok(Some(out))
}

fn fail(msg: &str) -> ExitCode {
    eprintln!("validate: {msg}");
    ExitCode::from(2)
}

fn main() -> ExitCode {
    let args = match parse_args(std::env::args().skip(1)) {
        Ok(Some(a)) => a,
        Ok(None) => {
            println!("{USAGE}");
            return ExitCode::SUCCESS;
        }
        Err(e) => return fail(&format!("{e}\n{USAGE}")),
    };
    if args.schema {
        let schema = ims_image_meta::request_schema(&Rules::default());
        return match serde_json::to_string_pretty(&schema) {
            Ok(s) => {
                println!("{s}");
                ExitCode::SUCCESS
            }
            Err(e) => fail(&format!("cannot render JSON: {e}")),
        };
    }
    let now = match args.now {
        Some(secs) => Timestamp::from_unix(secs),
        None => Timestamp::from_system_time(SystemTime::now()),
    };
    let ctx = match now
        .and_then(|now| Context::new(args.id.unwrap_or_else(uuid::random_v4), args.owner, now))
    {
        Ok(c) => c,
        Err(e) => return fail(&e.to_string()),
    };
    let mut body = Vec::new();
    let read = match args.file.as_deref() {
        None | Some("-") => std::io::stdin().read_to_end(&mut body).map(|_| ()),
        Some(path) => std::fs::read(path).map(|b| body = b),
    };
    if let Err(e) = read {
        let from = args.file.as_deref().unwrap_or("stdin");
        return fail(&format!("cannot read {from}: {e}"));
    }

    let (json, code) = match validate(&body, &Rules::default()) {
        Ok(accepted) => {
            for w in accepted.warnings {
                eprintln!("warning: {} ({}): {}", w.code(), w.pointer(), w.message());
            }
            (
                serde_json::to_string_pretty(&accepted.request.into_record(&ctx)),
                0,
            )
        }
        Err(report) => (serde_json::to_string_pretty(&report), 1),
    };
    let json = match json {
        Ok(j) => j,
        Err(e) => return fail(&format!("cannot render JSON: {e}")),
    };
    let mut out = std::io::stdout().lock();
    if writeln!(out, "{json}").and_then(|()| out.flush()).is_err() {
        return ExitCode::from(2);
    }
    ExitCode::from(code)
}
