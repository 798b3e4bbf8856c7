//! The messages in English (Glance's wording where Glance has one).

use std::fmt::Write as _;

use super::*;

impl Detail {
    /// The message in English, appended to `m` (one buffer for a whole report: no
    /// allocation per message, nor per part of one).
    pub(super) fn render_en(&self, who: &Subject, m: &mut String) {
        let l = Locale::En;
        // Writing to a String cannot fail.
        let _ = match self {
            Detail::Text(t, _) => write!(m, "{t}"),
            Detail::Empty => m.write_str("Body expected in request."),
            Detail::Malformed {
                reason,
                line,
                column,
                ..
            } => write!(m, "Malformed JSON in request body: {reason} at line {line} column {column}."),
            Detail::InvalidUtf8 { line, column } => write!(m,
                "Malformed JSON in request body: invalid UTF-8 at line {line} column {column}."
            ),
            Detail::TooLarge { len, max } => {
                write!(m, "Request is too large: {len} bytes, at most {max} allowed.")
            }
            Detail::NotObject(kind) => write!(m, "Request body must be a JSON object, found {}.", kind.en()),
            Detail::Duplicate => write!(m,
                "Duplicate key '{}' in a JSON object.",
                key(who)
            ),
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                let (expected, found) = (expected.en(), found.en());
                let _ = write!(m, "{} must be {expected}, found {found}.", subject_of(who, l));
                match hint.text() {
                    Some(h) => write!(m, " Send {h}, not \"{h}\"."),
                    None => Ok(()),
                }
            }
            Detail::Nul(s) => write!(m,
                "{} contains U+0000, which is not supported.",
                subject(*s, who, l)
            ),
            Detail::FourByte(s, c) => write!(m,
                "{} contains a 4-byte UTF-8 character ({}), which is not supported.",
                subject(*s, who, l),
                hex(*c)
            ),
            Detail::TooShort(Naming::Key) => {
                m.write_str("Property key must have at least 1 character.")
            }
            Detail::TooShort(s) => {
                write!(m, "{} must have at least 1 character.", subject(*s, who, l))
            }
            Detail::TooLong { subject: s, len, max, .. } => write!(m,
                "{} is too long: {len} characters, at most {max} allowed.",
                subject(*s, who, l)
            ),
            Detail::ValueTooLong { len, max } => write!(m,
                "Property '{}' is too long: {len} bytes, at most {max} allowed.",
                key(who)
            ),
            Detail::OutOfRange { got, lo, hi } => {
                let _ = write!(
                    m,
                    "Attribute '{}' must be an integer from {lo} to {hi}, got ",
                    key(who)
                );
                let _ = match got {
                    Got::Value(v) => write!(m, "{v}"),
                    Got::Negative(Some(v)) => write!(m, "{v}"),
                    Got::Negative(None) => m.write_str("a negative number beyond 64 bits"),
                    Got::Huge => m.write_str("a number beyond 64 bits"),
                };
                m.write_str(".")
            }
            Detail::NotAllowed { allowed, got } => {
                let _ = if let Some((value, true)) = allowed.constant() {
                    write!(m, "Attribute '{}' must be '{value}' on create", key(who))
                } else {
                    write!(
                        m,
                        "Attribute '{}' must be {}{}",
                        key(who),
                        if allowed.iter().count() == 1 { "" } else { "one of " },
                        allowed.joined(true)
                    )
                };
                got_then_stop(m, got.as_deref())
            }
            Detail::BadUuid(got) => {
                let _ = m.write_str("Attribute 'id' must be a UUID (8-4-4-4-12 hex digits)");
                got_then_stop(m, got.as_deref())
            }
            Detail::NameSpaces => m.write_str("Attribute 'name' may not start or end with a space."),
            Detail::NameChar(c, cjk) => write!(m,
                "Attribute 'name' may not contain {c:?} ({}): only letters, digits, '-', '.', '_'{} are allowed.",
                hex(*c),
                if *cjk { ", spaces and CJK ideographs" } else { " and spaces" }
            ),
            Detail::ForbiddenChars(chars) => write!(m,
                "Attribute '{}' may not contain {}.",
                key(who),
                CharList(chars, l)
            ),
            Detail::UnknownOs(u) => {
                let UnknownOs {
                    value,
                    quoted,
                    catalog,
                    ..
                } = u;
                let near = self.near();
                let _ = if *quoted {
                    write!(m, "Unknown __os_version '{}'.", excerpt(value, EXCERPT))
                } else {
                    write!(m, "Unknown __os_version.")
                };
                if near.len == 0 {
                    write!(m, " It must be one of the catalog's values (exact, case-sensitive).")
                } else {
                    write!(m, " Did you mean {}?", NearList(catalog, near, " or "))
                }
            }
            Detail::TooManyTags { n, max } => write!(m,
                "The limit has been exceeded on the number of allowed image tags. Attempted: {n}, Maximum: {max}"
            ),
            Detail::TooManyProperties { n, max } => write!(m,
                "The limit has been exceeded on the number of allowed image properties. Attempted: {n}, Maximum: {max}"
            ),
            Detail::Forbidden { read_only } => write!(m,
                "Attribute '{}' is {}.",
                key(who),
                if *read_only { "read-only" } else { "reserved" }
            ),
            Detail::Patch(p) => {
                p.render_en(who, m);
                Ok(())
            }
            Detail::NearMiss { meant } => write!(m,
                "Property key '{}' looks like a misspelling of '{meant}', which it does not set.",
                key(who)
            ),
        };
    }
}

/// `, got 'GOT'` when there is one, then the closing full stop.
fn got_then_stop(m: &mut String, got: Option<&str>) -> std::fmt::Result {
    if let Some(g) = got {
        write!(m, ", got '{g}'")?;
    }
    m.write_str(".")
}
