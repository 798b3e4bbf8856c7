//! The update subcommands of the CLI (issue 23): `patch` (`PATCH /v2/images/{id}`) and
//! `tag add|remove` (`PUT` / `DELETE /v2/images/{id}/tags/{tag}`). One lexopt loop
//! reads both: options anywhere before `--`, positionals (the patch FILE, or `add|remove`
//! and TAG) anywhere, and everything after `--` positional (so a TAG may start with `-`).

use lexopt::prelude::*;
use lexopt::Parser;

use ims_image_meta::report::Style;
use ims_image_meta::{update, Record};

use super::shared::{emit, read_capped, read_small, shown, Shared};
use super::{help, no_value, Command};

/// What a patch or tag command runs on.
#[derive(Debug)]
pub struct UpdateOptions {
    shared: Shared,
    image: String,
    media_type: String,
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
    let (o, mut args) = match parse(p, true)? {
        Step::Done(help) => return Ok(help),
        Step::Args(o, args) => (o, args),
    };
    if let [first, second, ..] = &args[..] {
        return Err(format!("patch reads one FILE, got '{first}' and '{second}'").into());
    }
    let what = What::Patch(args.pop());
    o.finish(what)
}

/// `tag add|remove TAG [OPTIONS]`, the options anywhere before `--`.
pub fn parse_tag(p: Parser) -> Result<Command, lexopt::Error> {
    let (o, args) = match parse(p, false)? {
        Step::Done(help) => return Ok(help),
        Step::Args(o, args) => (o, args),
    };
    let mut args = args.into_iter();
    let action = args.next().ok_or("tag needs add or remove")?;
    let tag = args.next();
    if let Some(extra) = args.next() {
        return Err(lexopt::Error::UnexpectedArgument(extra.into()));
    }
    let what = match (action.as_str(), tag) {
        ("add", Some(tag)) => What::AddTag(tag),
        ("remove", Some(tag)) => What::RemoveTag(tag),
        ("add" | "remove", None) => return Err("tag needs a TAG".into()),
        (other, _) => return Err(format!("tag wants add or remove, got '{other}'").into()),
    };
    o.finish(what)
}

/// The options read so far (`image` still optional) and the positionals, in order.
struct Partial {
    shared: Shared,
    image: Option<String>,
    media_type: String,
}

impl Partial {
    /// The options once the positionals are known: `--image` is required.
    fn finish(self, what: What) -> Result<Command, lexopt::Error> {
        let image = self.image.ok_or("--image IMAGE.json is required")?;
        Ok(Command::Update(UpdateOptions {
            shared: self.shared.finish()?,
            image,
            media_type: self.media_type,
            what,
        }))
    }
}

/// What the loop read: `--help` (the command is known), or options and positionals.
enum Step {
    Done(Command),
    Args(Partial, Vec<String>),
}

/// The one loop of `patch` and `tag`: the shared flags, `--image`, `--media-type` (patch
/// only), `--help`, and the positionals.
fn parse(mut p: Parser, is_patch: bool) -> Result<Step, lexopt::Error> {
    let mut o = Partial {
        shared: Shared::new(true),
        image: None,
        media_type: update::MEDIA_TYPES[0].to_owned(),
    };
    let mut args = Vec::new();
    while let Some(arg) = p.next()? {
        if let Some(flag) = o.shared.flag(&arg) {
            o.shared.take(flag, &mut p)?;
            continue;
        }
        match arg {
            Short('h') | Long("help") => {
                let text = if is_patch { help::PATCH } else { help::TAG };
                return no_value(p, Command::SubHelp(text)).map(Step::Done);
            }
            Long("image") => o.image = Some(p.value()?.string()?),
            Long("media-type") if is_patch => o.media_type = p.value()?.string()?,
            Value(v) => args.push(v.string()?),
            _ => return Err(arg.unexpected()),
        }
    }
    Ok(Step::Args(o, args))
}
/// Runs `patch` or `tag`: 0 updated, 1 refused; `Err` is exit 2.
pub fn run(o: UpdateOptions) -> Result<u8, String> {
    let rules = o.shared.load_rules()?;
    let now = o.shared.timestamp()?;
    let image = read_image(&o.image)?;
    let style = Style::new(o.shared.format, o.shared.lang);
    // The one road per call: the library's answer, as a server would give it.
    let answer = match &o.what {
        What::Patch(file) => {
            let file = file.as_deref().unwrap_or("-");
            let body = read_capped(file, rules.max_body_bytes())
                .map_err(|e| format!("cannot read {}: {e}", shown(file)))?;
            update::answer_patch(&o.media_type, &body, image, &rules, now, style)
        }
        What::AddTag(tag) => update::answer_add_tag(tag, image, &rules, now, style),
        What::RemoveTag(tag) => update::answer_remove_tag(tag, image, &rules, now, style),
    };
    // Updated: the image as the call left it (a tag call's 204 has no body, so the
    // record itself); refused: the report, as the answer's bytes.
    let (text, code) = match answer.updated_record() {
        Some(record) => (record.to_pretty_json(), 0),
        None => (answer.to_pretty(), 1),
    };
    emit(&mut std::io::stdout().lock(), &text)?;
    Ok(code)
}

/// Reads the image: a record as JSON (at most 16 MiB).
fn read_image(path: &str) -> Result<Record, String> {
    let bytes = read_small(path, "image", |e| {
        format!("bad image {path}: cannot read it: {e}")
    })?;
    serde_json::from_slice(&bytes).map_err(|e| format!("bad image {path}: {e}"))
}
