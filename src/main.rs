//! `ims-image-meta`: the crate's main job from a shell. Validates create bodies
//! (`POST /v2/images`) and prints, per body, the 201 record or the report; applies
//! updates (`patch`, `tag`); writes fuzzing corpora (`corpus`).
//!
//! The command line lives in `cli/` (this binary's own modules, not the library's):
//! `cli/mod.rs` the subcommand table and dispatch, `cli/shared.rs` the flags every
//! command shares, one file per command, `cli/help.rs` the texts.

#![forbid(unsafe_code)]

mod cli;

fn main() -> std::process::ExitCode {
    cli::main(std::env::args_os().skip(1))
}
