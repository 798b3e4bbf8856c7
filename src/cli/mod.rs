//! The command line: the subcommand table, the dispatch, and the exit status.
//!
//! `--help` is the reference; the exit status is 0 (every body accepted, or the update
//! done), 1 (some rejected, or the update refused) or 2 (bad usage, an unreadable file,
//! a bad catalog or rule set), the worst over all FILEs.
//!
//! Parsing comes first (one lexopt loop per command, the shared flags read by
//! `shared::Shared::take`); running reads only the parsed options.

mod corpus;
mod create;
mod help;
mod shared;
mod update;
mod uuid;

use std::ffi::OsString;
use std::process::ExitCode;

use lexopt::Parser;

const NAME: &str = env!("CARGO_PKG_NAME");
const VERSION: &str = env!("CARGO_PKG_VERSION");

/// What a command line asks for.
#[derive(Debug)]
enum Command {
    /// The top-level `--help`.
    Help,
    /// `SUBCOMMAND --help`: that subcommand's help text.
    SubHelp(&'static str),
    Version,
    /// `ims-image-meta [OPTIONS] [FILE]...`: validate each FILE.
    Validate(create::Options),
    /// `patch …` or `tag add|remove …`: an update (issue 23).
    Update(update::UpdateOptions),
    /// `ims-image-meta corpus DIR ...`: write bodies with their verdicts.
    Corpus(corpus::CorpusOptions),
}

/// Parses a subcommand's arguments (those after its word) in a lexopt loop of its own.
type ParseFn = fn(Parser) -> Result<Command, lexopt::Error>;

/// The subcommands, by the word that names them. The word must be the first argument
/// (`ims-image-meta WORD [its own options]`); any other first argument, an option or a
/// FILE, starts the validation command, so a FILE named like a subcommand is given as
/// `./WORD`, after `--`, or after any other argument. A new subcommand is a row here,
/// its `parse` function, a `Command` variant and its help in `help.rs`.
const SUBCOMMANDS: &[(&str, ParseFn)] = &[
    ("patch", update::parse_patch),
    ("tag", update::parse_tag),
    ("corpus", corpus::parse),
];

/// Parses the arguments (without the program name).
fn parse_args<I>(args: I) -> Result<Command, String>
where
    I: IntoIterator,
    I::Item: Into<OsString>,
{
    dispatch(SUBCOMMANDS, Parser::from_args(args)).map_err(usage_error)
}

/// Hands the arguments to the subcommand the first one names, else to the create
/// command's parser.
fn dispatch(subcommands: &[(&str, ParseFn)], mut p: Parser) -> Result<Command, lexopt::Error> {
    let mut parse: ParseFn = create::parse;
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

/// Parses and runs a command line (without the program name).
pub fn main(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    // One arm per command; a subcommand adds its own, calling its own `run`.
    let text = |text: String| shared::emit(&mut std::io::stdout().lock(), text.as_bytes());
    let outcome = match parse_args(args) {
        Ok(Command::Help) => text(format!(
            "{NAME} {VERSION}\n\n{}\n{}\n\n{}\n\n{}",
            help::USAGE,
            help::UPDATE_USAGE,
            help::HELP,
            help::UPDATE_HELP
        ))
        .map(|()| 0),
        Ok(Command::SubHelp(t)) => text(format!("{NAME} {VERSION}\n\n{t}")).map(|()| 0),
        Ok(Command::Version) => text(format!("{NAME} {VERSION}")).map(|()| 0),
        Ok(Command::Validate(o)) => create::run(o),
        Ok(Command::Update(o)) => update::run(o),
        Ok(Command::Corpus(o)) => corpus::run(o),
        Err(e) => {
            eprintln!(
                "{NAME}: {e}\n{}\n{}\nTry '{NAME} --help' for more.",
                help::USAGE,
                help::UPDATE_USAGE
            );
            return ExitCode::from(2);
        }
    };
    match outcome {
        Ok(code) => ExitCode::from(code),
        Err(e) if e == shared::BROKEN_PIPE => ExitCode::from(shared::BROKEN_PIPE_EXIT),
        Err(e) => {
            eprintln!("{NAME}: {e}");
            ExitCode::from(2)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lexopt::prelude::*;

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
        let (a, b) = (uuid::random_v4(), uuid::random_v4());
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
    }
}
