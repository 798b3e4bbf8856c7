//! The whole answer to a call, by the one road: the status, the media type and the
//! bytes, written by the crate's byte writers (the record's, or the report's in the
//! chosen [`Style`]). Create's is [`answer`](crate::answer); the update calls' are
//! `update::answer_patch`, `update::answer_add_tag` and `update::answer_remove_tag`.

use crate::json;
use crate::record::{Context, Record};
use crate::report::{Report, Style};
use crate::rules::Rules;
use crate::scan;
use crate::warning::Warnings;

/// What a server sends back for a call: see [`answer`](crate::answer) (create) and
/// `update::answer_patch` and its tag siblings (the update calls).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    status: u16,
    content_type: &'static str,
    body: Vec<u8>,
    warnings: Warnings,
    accept_patch: Option<&'static str>,
    updated: Option<Box<Record>>,
    report: Option<Report>,
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
                    accept_patch: None,
                    updated: None,
                    report: None,
                }
            }
            Err(report) => Answer::refused(report, style, None),
        }
    }

    /// The answer refusing a call: `report` rendered in `style`, with its status, and
    /// `accept_patch` for the `Accept-Patch` header (a 415's).
    pub(crate) fn refused(
        report: Report,
        style: Style,
        accept_patch: Option<&'static str>,
    ) -> Answer {
        let mut out = Vec::new();
        report.write_json(style, &mut out);
        Answer {
            status: report.status(),
            content_type: style.content_type(),
            body: out,
            warnings: Warnings::default(),
            accept_patch,
            updated: None,
            report: Some(report),
        }
    }

    /// The answer to an update that went through: `status` (200 or 204), the record's
    /// bytes by its writer when `with_body` (200), none for a 204.
    pub(crate) fn updated(status: u16, record: Record, with_body: bool) -> Answer {
        let mut out = Vec::new();
        if with_body {
            record.write_json(&mut out);
        }
        Answer {
            status,
            content_type: "application/json",
            body: out,
            warnings: Warnings::default(),
            accept_patch: None,
            updated: Some(Box::new(record)),
            report: None,
        }
    }

    /// The HTTP status: 201 when a create body was accepted, 200 for a patch and 204
    /// for a tag call that went through, else the report's (403, 404, 409, 413, 415 or
    /// 400).
    pub fn status(&self) -> u16 {
        self.status
    }

    /// Whether the call went through (a 2xx status: 201, 200 or 204).
    pub fn is_accepted(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The `Accept-Patch` header's value to send with the answer: the two patch media
    /// types, v2.1 first, on a PATCH refused with 415; `None` otherwise.
    pub fn accept_patch(&self) -> Option<&'static str> {
        self.accept_patch
    }

    /// The image as an update call left it (the record the server stores), when the
    /// call went through; `None` for create and for a refusal.
    pub fn updated_record(&self) -> Option<&Record> {
        self.updated.as_deref()
    }

    /// The report the answer's bytes render, when the call was refused (for a server
    /// that logs violations, or a binding that gives them to its caller as objects);
    /// `None` when it went through.
    pub fn report(&self) -> Option<&Report> {
        self.report.as_ref()
    }

    /// The report, owned (see [`report`](Answer::report)).
    pub fn into_report(self) -> Option<Report> {
        self.report
    }

    /// The updated image, owned (see [`updated_record`](Answer::updated_record)).
    pub fn into_updated_record(self) -> Option<Record> {
        self.updated.map(|r| *r)
    }

    /// The `Content-Type` to answer with: `application/json`, or
    /// `application/problem+json` for a report in the problem format.
    pub fn content_type(&self) -> &'static str {
        self.content_type
    }

    /// The answer's bytes: the 201 or 200 record, nothing for a 204, or the rendered
    /// report (compact JSON).
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
