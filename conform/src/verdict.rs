//! One answer against the contract's verdict: the status exactly, the (pointer, code)
//! set when the answer is in a shape the crate writes, and on a 201 the record's
//! fields the case fixes. A divergence falls in one class.

use std::collections::BTreeSet;
use std::fmt;

use serde_json::{Map, Value};

/// What went wrong, in one word (the classes of issue 28).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Class {
    /// The contract refuses, the server accepted.
    AcceptedInvalid,
    /// The contract accepts, the server refused.
    RejectedValid,
    /// Refused, with another status.
    WrongStatus,
    /// The same status, another (pointer, code) set.
    WrongViolations,
    /// Accepted, but the record's fields are not the contract's.
    RecordMismatch,
    /// A 5xx.
    ServerError,
    /// An answer in no shape this runner reads where one was needed.
    Unreadable,
    /// A refused connection, a reset or a timeout.
    Transport,
}

impl Class {
    /// Every class, in report order.
    pub const ALL: [Class; 8] = [
        Class::AcceptedInvalid,
        Class::RejectedValid,
        Class::WrongStatus,
        Class::WrongViolations,
        Class::RecordMismatch,
        Class::ServerError,
        Class::Unreadable,
        Class::Transport,
    ];

    /// Its snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Class::AcceptedInvalid => "accepted_invalid",
            Class::RejectedValid => "rejected_valid",
            Class::WrongStatus => "wrong_status",
            Class::WrongViolations => "wrong_violations",
            Class::RecordMismatch => "record_mismatch",
            Class::ServerError => "server_error",
            Class::Unreadable => "unreadable",
            Class::Transport => "transport",
        }
    }

    /// The class named `name` (its snake_case name).
    pub fn from_name(name: &str) -> Option<Class> {
        Class::ALL.into_iter().find(|c| c.as_str() == name)
    }
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the contract says of one request.
#[derive(Debug, Clone)]
pub struct Expected {
    /// The exact status.
    pub status: u16,
    /// The (pointer, code) set of a refusal (all of them, before any truncation).
    pub violations: BTreeSet<(String, String)>,
    /// On acceptance, the record's fields the case fixes (the server's own fields
    /// left out).
    pub record: Option<Map<String, Value>>,
}

/// An answer as received.
#[derive(Debug, Clone)]
pub struct Got {
    /// The status.
    pub status: u16,
    /// The `Content-Type` (empty when none).
    pub content_type: String,
    /// The body.
    pub body: Vec<u8>,
}

/// The record's keys a server assigns itself: never compared.
pub const SERVER_ASSIGNED: &[&str] = &[
    "id",
    "created_at",
    "updated_at",
    "owner",
    "self",
    "file",
    "schema",
    "status",
    "size",
    "virtual_size",
    "checksum",
    "os_hash_algo",
    "os_hash_value",
    "direct_url",
    "locations",
    "stores",
    "active_at",
];

/// The (pointer, code) set of a report in a shape the crate writes (Glance's
/// `violations`, problem details' `errors`), and whether it says it was truncated;
/// `None` for another shape (IMS's carries no pointer).
pub fn violations_of(body: &Value) -> Option<(BTreeSet<(String, String)>, bool)> {
    let list = body
        .get("violations")
        .or_else(|| body.get("errors"))?
        .as_array()?;
    let mut set = BTreeSet::new();
    for v in list {
        let pointer = v.get("pointer")?.as_str()?;
        let code = v.get("code")?.as_str()?;
        set.insert((pointer.to_owned(), code.to_owned()));
    }
    let truncated = body.get("truncated").and_then(Value::as_bool) == Some(true);
    Some((set, truncated))
}

/// A divergence: its class, what differs, and (a record mismatch) the record's
/// fields that differ.
#[derive(Debug, Clone, PartialEq)]
pub struct Divergence(pub Class, pub String, pub Vec<String>);

impl Divergence {
    /// A divergence that names no field.
    pub fn new(class: Class, detail: String) -> Divergence {
        Divergence(class, detail, Vec::new())
    }
}

/// The divergence of `got` from `want`, if any, with what differs.
pub fn judge(want: &Expected, got: &Got) -> Option<Divergence> {
    if got.status >= 500 {
        return Some(Divergence::new(
            Class::ServerError,
            format!("status {}", got.status),
        ));
    }
    let accepted = (200..300).contains(&got.status);
    let want_accepted = (200..300).contains(&want.status);
    match (want_accepted, accepted) {
        (false, true) => {
            return Some(Divergence::new(
                Class::AcceptedInvalid,
                format!("{} accepted, want {}", got.status, want.status),
            ))
        }
        (true, false) => {
            return Some(Divergence::new(
                Class::RejectedValid,
                format!("refused {}, want {}", got.status, want.status),
            ))
        }
        _ => {}
    }
    if got.status != want.status {
        return Some(Divergence::new(
            Class::WrongStatus,
            format!("status {}, want {}", got.status, want.status),
        ));
    }
    let body: Option<Value> = serde_json::from_slice(&got.body).ok();
    if accepted {
        let Some(fields) = &want.record else {
            return None;
        };
        let Some(Value::Object(record)) = body else {
            return Some(Divergence::new(
                Class::Unreadable,
                "the record is not a JSON object".into(),
            ));
        };
        let differ: Vec<(&String, String)> = fields
            .iter()
            .filter(|(k, v)| !same_field(k, v, record.get(k.as_str())))
            .map(|(k, v)| {
                let got = record.get(k.as_str()).unwrap_or(&Value::Null);
                (k, format!("{k}: {got} (want {v})"))
            })
            .collect();
        return (!differ.is_empty()).then(|| {
            let detail: Vec<&str> = differ.iter().map(|(_, d)| d.as_str()).collect();
            let keys = differ.iter().map(|(k, _)| (*k).clone()).collect();
            Divergence(Class::RecordMismatch, detail.join("; "), keys)
        });
    }
    // A refusal in a shape with pointers: the exact set (or, truncated, a subset).
    let (set, truncated) = body.as_ref().and_then(violations_of)?;
    let fits = if truncated {
        set.is_subset(&want.violations)
    } else {
        set == want.violations
    };
    (!fits).then(|| {
        let extra: Vec<_> = set.difference(&want.violations).collect();
        let missing: Vec<_> = want.violations.difference(&set).collect();
        Divergence::new(
            Class::WrongViolations,
            format!("unexpected {extra:?}, missing {missing:?}"),
        )
    })
}

/// The divergence of an answer, or of its absence (a transport error), from `want`.
pub fn judge_answer(want: &Expected, got: &Result<Got, String>) -> Option<Divergence> {
    match got {
        Err(e) => Some(Divergence::new(Class::Transport, e.clone())),
        Ok(g) => judge(want, g),
    }
}

/// Whether the server's value of `key` is the contract's (tags as a set: Glance keeps
/// them unordered).
fn same_field(key: &str, want: &Value, got: Option<&Value>) -> bool {
    match (key, want, got) {
        ("tags", Value::Array(w), Some(Value::Array(g))) => {
            let w: BTreeSet<String> = w.iter().map(Value::to_string).collect();
            let g: BTreeSet<String> = g.iter().map(Value::to_string).collect();
            w == g
        }
        (_, w, Some(g)) => w == g,
        (_, _, None) => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn want(status: u16, v: &[(&str, &str)]) -> Expected {
        Expected {
            status,
            violations: v
                .iter()
                .map(|(p, c)| (p.to_string(), c.to_string()))
                .collect(),
            record: None,
        }
    }

    fn got(status: u16, body: Value) -> Got {
        Got {
            status,
            content_type: "application/json".into(),
            body: body.to_string().into_bytes(),
        }
    }

    #[test]
    fn every_class() {
        let bad = want(400, &[("/min_ram", "out_of_range")]);
        let glance =
            |p: &str, c: &str| json!({"status": 400, "violations": [{"pointer": p, "code": c}]});
        assert_eq!(
            judge(&bad, &got(400, glance("/min_ram", "out_of_range"))),
            None
        );
        assert_eq!(
            judge(&bad, &got(201, json!({}))).unwrap().0,
            Class::AcceptedInvalid
        );
        assert_eq!(
            judge(&bad, &got(413, json!({}))).unwrap().0,
            Class::WrongStatus
        );
        assert_eq!(
            judge(&bad, &got(400, glance("/min_disk", "out_of_range")))
                .unwrap()
                .0,
            Class::WrongViolations
        );
        assert_eq!(
            judge(&bad, &got(500, json!({}))).unwrap().0,
            Class::ServerError
        );
        // Another shape: the status alone.
        assert_eq!(
            judge(&bad, &got(400, json!({"error": {"code": "IMG.0055"}}))),
            None
        );
        // Problem details' errors.
        let problem =
            json!({"status": 400, "errors": [{"pointer": "/min_ram", "code": "out_of_range"}]});
        assert_eq!(judge(&bad, &got(400, problem)), None);
        let mut ok = want(201, &[]);
        assert_eq!(
            judge(&ok, &got(400, json!({}))).unwrap().0,
            Class::RejectedValid
        );
        ok.record = Some(
            json!({"name": "web", "tags": ["a", "b"]})
                .as_object()
                .unwrap()
                .clone(),
        );
        assert_eq!(
            judge(&ok, &got(201, json!({"name": "web", "tags": ["b", "a"]}))),
            None
        );
        assert_eq!(
            judge(&ok, &got(201, json!({"name": "x", "tags": ["a", "b"]})))
                .unwrap()
                .0,
            Class::RecordMismatch
        );
        let text = Got {
            status: 201,
            content_type: "text/plain".into(),
            body: b"ok".to_vec(),
        };
        assert_eq!(judge(&ok, &text).unwrap().0, Class::Unreadable);
    }
}
