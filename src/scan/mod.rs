//! The engine: bytes → serde_json → the rules, in a single pass.
//!
//! One `serde_json::Deserializer` reads the body once. The top-level visitor asks the
//! rules how to read each key's value ([`Plan`]) and hands them what it read; values
//! that no rule looks inside (a wrong-typed value, say) are still walked, only to find
//! duplicate keys at any depth. Strings are borrowed from the input whenever they hold
//! no escape, and pointer strings are built only when a violation is recorded. A syntax
//! error anywhere discards everything else: the body is then only `malformed_json`.
//!
//! The engine knows no rule: which key is which field, and what each field must be,
//! are the `rules` module's.

use std::fmt;

use serde::de::{DeserializeSeed, MapAccess, SeqAccess, Visitor};

use crate::chars;
use crate::code::Code;
use crate::keys::Field;
use crate::message::{Detail, Subject, Syntax};
use crate::pointer::Short;
use crate::report::{Report, Violation};
use crate::request::Validated;
use crate::rules::check::{Checker, Plan};
use crate::rules::Rules;
use crate::shape::JsonType;

pub(crate) mod spelling;
pub(crate) mod walk;

use walk::{duplicate, KeySeed, KeySet, Path, ShapeSeed, Walk};

/// A report of one violation at the body itself (a create's, or an update call's).
pub(crate) fn one(code: Code, detail: Detail, ims: Option<&'static str>) -> Report {
    Report::new(vec![Violation::new(
        Short::Static(""),
        Subject::None,
        code,
        detail,
        ims,
    )])
}

/// What every body goes through before it is parsed (section 1): the size cap (413,
/// nothing parsed), an empty body, one UTF-8 check of the whole body. The body as
/// text, or the report. Shared with the update (`update::patch`).
pub(crate) fn prelude<'a>(body: &'a [u8], rules: &Rules) -> Result<&'a str, Report> {
    if body.len() > rules.max_body_bytes {
        let detail = Detail::TooLarge {
            len: body.len(),
            max: rules.max_body_bytes,
        };
        return Err(one(Code::BodyTooLarge, detail, None));
    }
    if body
        .iter()
        .all(|b| matches!(b, b' ' | b'\t' | b'\n' | b'\r'))
    {
        return Err(one(Code::EmptyBody, Detail::Empty, Some("IMG.0007")));
    }
    // One UTF-8 check of the whole body, after which serde_json reads a `&str` and
    // skips its per-string check.
    chars::utf8(body).map_err(|valid_up_to| {
        let (line, column) = line_column(body, valid_up_to);
        let detail = Detail::InvalidUtf8 { line, column };
        one(Code::MalformedJson, detail, Some("IMG.0001"))
    })
}

/// The report of a body serde_json refused (bad syntax, too deep, trailing
/// characters, a number out of range): `malformed_json` alone.
pub(crate) fn syntax_report(e: &serde_json::Error) -> Report {
    let kind = match e.classify() {
        serde_json::error::Category::Eof => Syntax::Eof,
        serde_json::error::Category::Data => Syntax::Data,
        _ => Syntax::Bad,
    };
    // serde_json's own words, without the position it appends.
    let text = e.to_string();
    let reason = match text.rfind(" at line ") {
        Some(at) => text.get(..at).unwrap_or(&text),
        None => &text,
    };
    let detail = Detail::Malformed {
        kind,
        reason: reason.into(),
        line: e.line(),
        column: e.column(),
    };
    one(Code::MalformedJson, detail, Some("IMG.0001"))
}

/// Validates `body` under `rules`: the whole contract of its sections 1–4.
pub(crate) fn validate<'a>(body: &'a [u8], rules: &Rules) -> Result<Validated<'a>, Report> {
    let text = prelude(body, rules)?;
    let mut st = Checker::new(rules, chars::max_byte(body));
    let mut de = serde_json::Deserializer::from_str(text);
    let top = TopSeed { st: &mut st }
        .deserialize(&mut de)
        .and_then(|top| de.end().map(|()| top));
    match top {
        Err(e) => Err(syntax_report(&e)),
        Ok(Top::Other(kind)) => Err(one(
            Code::NotAnObject,
            Detail::NotObject(kind),
            Some("IMG.0001"),
        )),
        Ok(Top::Object) => {
            for (field, v) in st.take_spelled() {
                let token = spelling::first_member_value(text, field.key());
                st.spelled(field, v, token);
            }
            st.finish()
        }
    }
}

/// 1-based line and column (in bytes, as serde_json counts) of byte `at`.
fn line_column(body: &[u8], at: usize) -> (usize, usize) {
    let before = body.get(..at).unwrap_or(body);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => at - nl,
        None => at + 1,
    };
    (line, column)
}

/// What the top-level value turned out to be.
enum Top {
    /// The draft is in the checker.
    Object,
    Other(JsonType),
}

struct TopSeed<'a, 'r, 'de> {
    st: &'a mut Checker<'r, 'de>,
}

crate::shape::seed_of_any!('de, TopSeed<'_, '_, 'de>);

impl<'de> Visitor<'de> for TopSeed<'_, '_, 'de> {
    type Value = Top;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON object")
    }
    crate::shape::scalar_kinds!(Top::Other, JsonType::Number);
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top, A::Error> {
        // Read to the end, so that a syntax error inside still wins.
        Walk {
            sink: None,
            path: &Path::root(),
        }
        .visit_seq(seq)?;
        Ok(Top::Other(JsonType::Array))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let st = self.st;
        let root = Path::root();
        // Keys other than the documented fields (which the rules track in bit sets),
        // each with the range of violations its key and value produced.
        let mut others = KeySet::default();
        while let Some(key) = map.next_key_seed(KeySeed)? {
            let start = st.found.len();
            let path = Path::key(&root, &key);
            let shape_seed = |st, tags| ShapeSeed {
                st,
                path: &path,
                tags,
            };
            match st.plan(&key) {
                Plan::Repeated { field, first } => {
                    // Which occurrence counts is the very ambiguity reported: read it
                    // only for its syntax and inner duplicates.
                    map.next_value_seed(Walk {
                        sink: Some(&mut st.found),
                        path: &path,
                    })?;
                    st.repeated_field(field, first, start);
                }
                Plan::Tags => {
                    let shape = map.next_value_seed(shape_seed(&mut *st, true))?;
                    st.tags_value(&shape);
                    st.field_read(Field::Tags, start);
                }
                Plan::Field(field) => {
                    let shape = map.next_value_seed(shape_seed(&mut *st, false))?;
                    st.field(field, shape);
                    st.field_read(field, start);
                }
                Plan::Custom => {
                    let shape = map.next_value_seed(shape_seed(&mut *st, false))?;
                    st.custom(key.clone(), shape);
                    others.insert(key, start, st.found.len());
                }
                Plan::Skip => {
                    map.next_value_seed(Walk {
                        sink: Some(&mut st.found),
                        path: &path,
                    })?;
                    others.insert(key, start, st.found.len());
                }
            }
        }
        if others.may_repeat() {
            others.each_repeat(|key, count, ranges| {
                st.repeated_other(key, count);
                duplicate(&mut st.found, &root, key, ranges);
            });
        }
        Ok(Top::Object)
    }
}
