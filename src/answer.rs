//! The whole answer to a create call, by the one road: the status, the media type and
//! the bytes, written by the crate's byte writers (the record's, or the report's in
//! the chosen [`Style`]).

use crate::json;
use crate::record::Context;
use crate::report::Style;
use crate::rules::Rules;
use crate::scan;
use crate::warning::Warnings;

/// What a server sends back for a create body: see [`answer`](crate::answer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    warnings: Warnings,
}

impl Answer {
    /// The answer to `body` under `rules` in `ctx`, a report rendered in `style`.
    pub(crate) fn create(body: &[u8], rules: &Rules, ctx: &Context, style: Style) -> Answer {
        let mut out = Vec::new();
        match scan::validate(body, rules) {
            Ok(accepted) => {
                accepted.request.write_record_json(ctx, &mut out);
                Answer {
                    status: 201,
                    content_type: "application/json",
                    body: out,
                    warnings: accepted.warnings,
                }
            }
            Err(report) => {
                report.write_json(style, &mut out);
                Answer {
                    status: report.status(),
                    content_type: style.content_type(),
                    body: out,
                    warnings: Warnings::default(),
                }
            }
        }
    }

    /// The HTTP status: 201 when the body was accepted, else the report's (403, 413
    /// or 400).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the body was accepted (status 201).
    pub fn is_accepted(&self) -> bool {
        self.status == 201
    }

    /// The `Content-Type` to answer with: `application/json`, or
    /// `application/problem+json` for a report in the problem format.
    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// The answer's bytes: the 201 record, or the rendered report (compact JSON).
    pub fn body(&self) -> &[u8] {
        &self.body
    }

    /// The answer's bytes, owned.
    pub fn into_body(self) -> Vec<u8> {
        self.body
    }

    /// The warnings of an accepted body (defaults that may break later use, near-miss
    /// keys); empty for a rejected one.
    pub fn warnings(&self) -> &Warnings {
        &self.warnings
    }

    /// The body indented as `serde_json::to_string_pretty` writes the same value (for
    /// people: a command line, a log).
    pub fn to_pretty(&self) -> Vec<u8> {
        let mut out = Vec::new();
        json::pretty(&self.body, &mut out);
        out
    }
}
