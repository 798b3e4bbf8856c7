//! The messages in English (Glance's wording where Glance has one).

use super::*;

impl Detail {
    /// The message in English, appended to `m` (one buffer for a whole report: no
    /// allocation per message, nor per part of one). `near` is [`Detail::near`]'s.
    pub(super) fn render_en(&self, who: &Subject, near: Near, m: &mut impl Sink) {
        let l = Locale::En;
        match self {
            Detail::Text(t, _) => m.text(t),
            Detail::Empty => m.lit("Body expected in request."),
            Detail::Malformed {
                reason,
                line,
                column,
                ..
            } => {
                m.lit("Malformed JSON in request body: ");
                m.text(reason);
                at_line(*line, *column, m);
            }
            Detail::InvalidUtf8 { line, column } => {
                m.lit("Malformed JSON in request body: invalid UTF-8");
                at_line(*line, *column, m);
            }
            Detail::TooLarge { len, max } => {
                m.lit("Request is too large: ");
                m.uint(*len as u64);
                m.lit(" bytes, at most ");
                m.uint(*max as u64);
                m.lit(" allowed.");
            }
            Detail::NotObject(kind) => {
                m.lit("Request body must be a JSON object, found ");
                m.lit(kind.en());
                m.lit(".");
            }
            Detail::Duplicate => {
                m.lit("Duplicate key '");
                name(who, m);
                m.lit("' in a JSON object.");
            }
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                subject_of(who, l, m);
                m.lit(" must be ");
                m.lit(expected.en());
                m.lit(", found ");
                m.lit(found.en());
                m.lit(".");
                if hint.is_some() {
                    m.lit(" Send ");
                    hint.write(m);
                    m.text(", not \"");
                    hint.write(m);
                    m.text("\".");
                }
            }
            Detail::Nul(s) => {
                subject(*s, who, l, m);
                m.lit(" contains U+0000, which is not supported.");
            }
            Detail::FourByte(s, c) => {
                subject(*s, who, l, m);
                m.lit(" contains a 4-byte UTF-8 character (");
                hex(*c, m);
                m.lit("), which is not supported.");
            }
            Detail::TooShort(Naming::Key) => m.lit("Property key must have at least 1 character."),
            Detail::TooShort(s) => {
                subject(*s, who, l, m);
                m.lit(" must have at least 1 character.");
            }
            Detail::TooLong {
                subject: s,
                len,
                max,
                ..
            } => {
                subject(*s, who, l, m);
                m.lit(" is too long: ");
                m.uint(*len as u64);
                m.lit(" characters, at most ");
                m.uint(*max as u64);
                m.lit(" allowed.");
            }
            Detail::ValueTooLong { len, max } => {
                m.lit("Property '");
                name(who, m);
                m.lit("' is too long: ");
                m.uint(*len as u64);
                m.lit(" bytes, at most ");
                m.uint(*max as u64);
                m.lit(" allowed.");
            }
            Detail::OutOfRange { got, lo, hi } => {
                m.lit("Attribute '");
                name(who, m);
                m.lit("' must be an integer from ");
                m.uint(u64::from(*lo));
                m.lit(" to ");
                m.uint(u64::from(*hi));
                m.lit(", got ");
                match got {
                    Got::Value(v) => m.uint(*v),
                    Got::Negative(Some(v)) => m.int(*v),
                    Got::Negative(None) => m.lit("a negative number beyond 64 bits"),
                    Got::Huge => m.lit("a number beyond 64 bits"),
                }
                m.lit(".");
            }
            Detail::NotAllowed { allowed, got } => {
                m.lit("Attribute '");
                name(who, m);
                if let Some((value, true)) = allowed.constant() {
                    m.lit("' must be '");
                    m.text(value);
                    m.lit("' on create");
                } else {
                    m.lit("' must be ");
                    let mut values = allowed.iter();
                    if values.next().is_none() || values.next().is_some() {
                        m.lit("one of ");
                    }
                    allowed.joined(true, m);
                }
                got_then_stop(m, got.as_ref());
            }
            Detail::BadUuid(got) => {
                m.lit("Attribute 'id' must be a UUID (8-4-4-4-12 hex digits)");
                got_then_stop(m, got.as_ref());
            }
            Detail::NameSpaces => m.lit("Attribute 'name' may not start or end with a space."),
            Detail::NameChar(c, cjk) => {
                m.lit("Attribute 'name' may not contain ");
                // A char's `Debug` (quoted, escaped where Rust escapes it): rare
                // enough to go through `core::fmt`.
                m.text(&format!("{c:?}"));
                m.lit(" (");
                hex(*c, m);
                m.lit("): only letters, digits, '-', '.', '_'");
                m.lit(if *cjk {
                    ", spaces and CJK ideographs"
                } else {
                    " and spaces"
                });
                m.lit(" are allowed.");
            }
            Detail::ForbiddenChars(chars) => {
                m.lit("Attribute '");
                name(who, m);
                m.lit("' may not contain ");
                char_list(chars, l, m);
                m.lit(".");
            }
            Detail::UnknownOs(u) => {
                let UnknownOs {
                    value,
                    quoted,
                    catalog,
                } = u;
                if *quoted {
                    m.lit("Unknown __os_version '");
                    m.text(&excerpt(value, EXCERPT));
                    m.lit("'.");
                } else {
                    m.lit("Unknown __os_version.");
                }
                if near.len == 0 {
                    m.lit(" It must be one of the catalog's values (exact, case-sensitive).");
                } else {
                    m.lit(" Did you mean ");
                    near_list(catalog, near, " or ", m);
                    m.lit("?");
                }
            }
            Detail::TooManyTags { n, max } => {
                m.lit(
                    "The limit has been exceeded on the number of allowed image tags. Attempted: ",
                );
                m.uint(*n as u64);
                m.lit(", Maximum: ");
                m.uint(*max as u64);
            }
            Detail::TooManyProperties { n, max } => {
                m.lit("The limit has been exceeded on the number of allowed image properties. Attempted: ");
                m.uint(*n as u64);
                m.lit(", Maximum: ");
                m.uint(*max as u64);
            }
            Detail::Forbidden { read_only } => {
                m.lit("Attribute '");
                name(who, m);
                m.lit(if *read_only {
                    "' is read-only."
                } else {
                    "' is reserved."
                });
            }
            Detail::Patch(p) => {
                // The update's faults are rendered through `core::fmt` (not create's
                // road).
                let mut s = String::new();
                p.render_en(who, &mut s);
                m.text(&s);
            }
            Detail::NearMiss { meant } => {
                m.lit("Property key '");
                name(who, m);
                m.lit("' looks like a misspelling of '");
                m.text(meant);
                m.lit("', which it does not set.");
            }
        }
    }
}

/// ` at line L column C.`
fn at_line(line: usize, column: usize, m: &mut impl Sink) {
    m.lit(" at line ");
    m.uint(line as u64);
    m.lit(" column ");
    m.uint(column as u64);
    m.lit(".");
}

/// `, got 'GOT'` when there is one, then the closing full stop.
fn got_then_stop(m: &mut impl Sink, got: Option<&Short>) {
    if let Some(g) = got {
        m.lit(", got '");
        m.short(g);
        m.lit("'");
    }
    m.lit(".");
}
