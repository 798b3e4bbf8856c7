//! The update subcommands of the CLI (issue 23): `patch` (`PATCH /v2/images/{id}`) and
//! `tag add|remove` (`PUT` / `DELETE /v2/images/{id}/tags/{tag}`). Each parses its own
//! arguments in a lexopt loop and runs `ims_image_meta::update`.

use std::io::Write;
use std::time::SystemTime;

use lexopt::prelude::*;
use lexopt::Parser;

use ims_image_meta::report::Format;
use ims_image_meta::{update, Locale, Profile, Record, Report, Rules, Timestamp};

use crate::{load_rules, read_capped, shown, to_json, Command};

/// An image file larger than this is refused.
const IMAGE_MAX_BYTES: u64 = 16 << 20;

// The first line keeps its indentation: no `\` line continuation (which would eat it).
pub const USAGE: &str =
    "       ims-image-meta patch --image IMAGE.json [--media-type TYPE] [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L] [FILE]
       ims-image-meta tag add|remove TAG --image IMAGE.json [--now UNIX_SECONDS]
                            [--profile NAME | --rules FILE] [--format F] [--lang L]";

pub const HELP: &str = "\
Updates (docs/contract.md, section 9):
  patch       apply the patch document FILE (stdin when there is none, or `-`) to the
              image IMAGE.json, as `PATCH /v2/images/{id}` does: every operation
              judged by create's rule for its key, under the same --profile / --rules
  tag add     add TAG to the image (`PUT /v2/images/{id}/tags/{tag}`)
  tag remove  remove TAG from the image (`DELETE /v2/images/{id}/tags/{tag}`)
  Their options:
  --image IMAGE.json        the image as it is now: a record as `ims-image-meta`
                            prints it, or as the service answers (required)
  --media-type TYPE         the patch's Content-Type (default:
                            application/openstack-images-v2.1-json-patch; also
                            application/openstack-images-v2.0-json-patch)
  --now UNIX_SECONDS        the time of the update, written as updated_at (default:
                            the current time)
  --profile, --rules, --format, --lang   as above
  Output: the updated image (JSON) on stdout, exit 0; a refusal: the report on
  stdout, exit 1 (statuses 400, 403, 404, 409, 413, 415); a bad IMAGE.json, FILE or
  usage: the reason on stderr, exit 2.
  ims-image-meta patch --image image.json patch.json
  echo '[{\"op\": \"replace\", \"path\": \"/name\", \"value\": \"web\"}]' | ims-image-meta patch --image image.json
  ims-image-meta tag add web --image image.json --now 1464854400";

/// What a patch or tag command runs on.
#[derive(Debug)]
pub struct UpdateOptions {
    image: Option<String>,
    media_type: String,
    now: Option<i64>,
    profile: Option<Profile>,
    rules: Option<String>,
    format: Format,
    lang: Locale,
    what: What,
}

/// Which call.
#[derive(Debug)]
enum What {
    /// `patch [FILE]`.
    Patch(Option<String>),
    /// `tag add TAG`.
    AddTag(String),
    /// `tag remove TAG`.
    RemoveTag(String),
}

/// `patch [OPTIONS] [FILE]`.
pub fn parse_patch(p: Parser) -> Result<Command, lexopt::Error> {
    parse(p, What::Patch(None))
}

/// `tag add|remove TAG [OPTIONS]`.
pub fn parse_tag(mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut next = |what: &str| -> Result<String, lexopt::Error> {
        match p.next()? {
            Some(Value(v)) => Ok(v.string()?),
            Some(other) => Err(other.unexpected()),
            None => Err(format!("tag needs {what}").into()),
        }
    };
    let what = match next("add or remove")?.as_str() {
        "add" => What::AddTag(next("a TAG")?),
        "remove" => What::RemoveTag(next("a TAG")?),
        other => return Err(format!("tag wants add or remove, got '{other}'").into()),
    };
    parse(p, what)
}

fn parse(mut p: Parser, mut what: What) -> Result<Command, lexopt::Error> {
    let mut o = UpdateOptions {
        image: None,
        media_type: update::MEDIA_TYPES[0].to_owned(),
        now: None,
        profile: None,
        rules: None,
        format: Format::Glance,
        lang: Locale::En,
        what: What::Patch(None),
    };
    let is_patch = matches!(what, What::Patch(_));
    while let Some(arg) = p.next()? {
        match arg {
            Short('h') | Long("help") => return crate::no_value(p, Command::Help),
            Long("image") => o.image = Some(p.value()?.string()?),
            Long("media-type") if is_patch => o.media_type = p.value()?.string()?,
            Long("now") => {
                let v = p.value()?.string()?;
                let secs = v
                    .parse()
                    .map_err(|_| format!("--now wants Unix seconds, got '{v}'"))?;
                o.now = Some(secs);
            }
            Long("profile") => {
                let v = p.value()?.string()?;
                o.profile = Some(v.parse().map_err(|e| format!("--profile: {e}"))?);
            }
            Long("rules") => o.rules = Some(p.value()?.string()?),
            Long("format") => o.format = crate::format_value(&mut p)?,
            Long("lang") => o.lang = crate::lang_value(&mut p)?,
            Value(file) if is_patch => {
                let file = file.string()?;
                if let What::Patch(Some(first)) = &what {
                    return Err(format!("patch reads one FILE, got '{first}' and '{file}'").into());
                }
                what = What::Patch(Some(file));
            }
            _ => return Err(arg.unexpected()),
        }
    }
    if o.image.is_none() {
        return Err("--image IMAGE.json is required".into());
    }
    if o.profile.is_some() && o.rules.is_some() {
        let e = "give --profile or --rules, not both (a rules file names its own \"profile\")";
        return Err(e.into());
    }
    o.what = what;
    Ok(Command::Update(o))
}

/// Runs `patch` or `tag`: 0 updated, 1 refused; `Err` is exit 2.
pub fn run(o: UpdateOptions) -> Result<u8, String> {
    let rules = match (&o.rules, o.profile) {
        (Some(path), _) => load_rules(path)?,
        (None, Some(profile)) => Rules::profile(profile),
        (None, None) => Rules::default(),
    };
    let now = match o.now {
        Some(secs) => Timestamp::from_unix(secs),
        None => Timestamp::from_system_time(SystemTime::now()),
    }
    .map_err(|e| e.to_string())?;
    let path = o.image.as_deref().unwrap_or_default();
    let image = read_image(path)?;
    let outcome = match &o.what {
        What::Patch(file) => {
            let file = file.as_deref().unwrap_or("-");
            let body = read_capped(file, rules.max_body_bytes())
                .map_err(|e| format!("cannot read {}: {e}", shown(file)))?;
            update::patch(&o.media_type, &body, &image, &rules, now)
        }
        What::AddTag(tag) => update::add_tag(tag, &image, &rules, now),
        What::RemoveTag(tag) => update::remove_tag(tag, &image, &rules, now),
    };
    let (text, code) = match &outcome {
        Ok(record) => (to_json(record, true)?, 0),
        Err(report) => (render(report, o.format, o.lang)?, 1),
    };
    let mut out = std::io::stdout().lock();
    out.write_all(text.as_bytes())
        .and_then(|()| out.write_all(b"\n"))
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write to stdout: {e}"))?;
    Ok(code)
}

/// The report in a shape and a language, indented.
fn render(report: &Report, format: Format, lang: Locale) -> Result<String, String> {
    match format {
        Format::Ims => to_json(&report.ims_error_in(lang), true),
        Format::Problem => to_json(&report.problem(lang), true),
        _ => to_json(&report.localized(lang), true),
    }
}

/// Reads the image: a record as JSON (at most 16 MiB).
fn read_image(path: &str) -> Result<Record, String> {
    use std::io::Read;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .and_then(|f| f.take(IMAGE_MAX_BYTES + 1).read_to_end(&mut bytes))
        .map_err(|e| format!("bad image {path}: cannot read it: {e}"))?;
    if bytes.len() as u64 > IMAGE_MAX_BYTES {
        return Err(format!(
            "bad image {path}: larger than {IMAGE_MAX_BYTES} bytes"
        ));
    }
    serde_json::from_slice(&bytes).map_err(|e| format!("bad image {path}: {e}"))
}
