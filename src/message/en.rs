//! The messages in English (Glance's wording where Glance has one).

use std::fmt::Write as _;

use super::*;

impl Detail {
    pub(super) fn render_en(&self, pointer: &str) -> String {
        let l = Locale::En;
        match self {
            Detail::Text(t, _) => t.to_string(),
            Detail::Empty => "Body expected in request.".to_owned(),
            Detail::Malformed {
                reason,
                line,
                column,
                ..
            } => format!("Malformed JSON in request body: {reason} at line {line} column {column}."),
            Detail::InvalidUtf8 { line, column } => format!(
                "Malformed JSON in request body: invalid UTF-8 at line {line} column {column}."
            ),
            Detail::TooLarge { len, max } => {
                format!("Request is too large: {len} bytes, at most {max} allowed.")
            }
            Detail::NotObject(kind) => format!("Request body must be a JSON object, found {kind}."),
            Detail::Duplicate => format!(
                "Duplicate key '{}' in a JSON object.",
                excerpt(&last_token(pointer), EXCERPT)
            ),
            Detail::WrongType {
                expected,
                found,
                hint,
            } => {
                let (expected, found) = (expected.as_str(), found.as_str());
                let mut m = format!("{} must be {expected}, found {found}.", subject_of(pointer, l));
                if let Some(h) = hint.text() {
                    let _ = write!(m, " Send {h}, not \"{h}\".");
                }
                m
            }
            Detail::Nul(s) => format!(
                "{} contains U+0000, which is not supported.",
                subject(*s, pointer, l)
            ),
            Detail::FourByte(s, c) => format!(
                "{} contains a 4-byte UTF-8 character ({}), which is not supported.",
                subject(*s, pointer, l),
                hex(*c)
            ),
            Detail::TooShort(Subject::Key) => {
                "Property key must have at least 1 character.".to_owned()
            }
            Detail::TooShort(s) => {
                format!("{} must have at least 1 character.", subject(*s, pointer, l))
            }
            Detail::TooLong { subject: s, len, max } => format!(
                "{} is too long: {len} characters, at most {max} allowed.",
                subject(*s, pointer, l)
            ),
            Detail::ValueTooLong { len, max } => format!(
                "Property '{}' is too long: {len} bytes, at most {max} allowed.",
                key(pointer)
            ),
            Detail::OutOfRange { got, lo, hi } => {
                let got = match got {
                    Got::Value(v) => v.to_string(),
                    Got::Negative(Some(v)) => v.to_string(),
                    Got::Negative(None) => "a negative number beyond 64 bits".to_owned(),
                    Got::Huge => "a number beyond 64 bits".to_owned(),
                };
                format!(
                    "Attribute '{}' must be an integer from {lo} to {hi}, got {got}.",
                    key(pointer)
                )
            }
            Detail::NotAllowed { allowed, got } => {
                let got = got
                    .as_ref()
                    .map(|g| format!(", got '{g}'"))
                    .unwrap_or_default();
                if *allowed == Allowed::Private {
                    return format!("Attribute 'visibility' must be 'private' on create{got}.");
                }
                format!(
                    "Attribute '{}' must be {}{}{got}.",
                    key(pointer),
                    if allowed.iter().count() == 1 { "" } else { "one of " },
                    allowed.joined(true)
                )
            }
            Detail::BadUuid(got) => format!(
                "Attribute 'id' must be a UUID (8-4-4-4-12 hex digits){}.",
                got.as_ref().map(|g| format!(", got '{g}'")).unwrap_or_default()
            ),
            Detail::NameSpaces => "Attribute 'name' may not start or end with a space.".to_owned(),
            Detail::NameChar(c, cjk) => format!(
                "Attribute 'name' may not contain {c:?} ({}): only letters, digits, '-', '.', '_'{} are allowed.",
                hex(*c),
                if *cjk { ", spaces and CJK ideographs" } else { " and spaces" }
            ),
            Detail::DescriptionChars => {
                "Attribute '__description' may not contain a carriage return, '<' or '>'.".to_owned()
            }
            Detail::UnknownOs {
                value,
                quoted,
                catalog,
                ..
            } => {
                let near = self.near();
                let mut m = String::with_capacity(160);
                let _ = if *quoted {
                    write!(m, "Unknown __os_version '{}'.", excerpt(value, EXCERPT))
                } else {
                    write!(m, "Unknown __os_version.")
                };
                let _ = if near.len == 0 {
                    write!(m, " It must be one of the catalog's values (exact, case-sensitive).")
                } else {
                    write!(m, " Did you mean {}?", NearList(catalog, near, " or "))
                };
                m
            }
            Detail::TooManyTags { n, max } => format!(
                "The limit has been exceeded on the number of allowed image tags. Attempted: {n}, Maximum: {max}"
            ),
            Detail::TooManyProperties { n, max } => format!(
                "The limit has been exceeded on the number of allowed image properties. Attempted: {n}, Maximum: {max}"
            ),
            Detail::Forbidden(what) => format!("Attribute '{}' is {what}.", key(pointer)),
            Detail::NearMiss { meant } => format!(
                "Property key '{}' looks like a misspelling of '{meant}', which it does not set.",
                key(pointer)
            ),
        }
    }
}
