//! Unit tests of the parent module (they see its private items).

use super::*;

fn v(pointer: &str, code: Code) -> Violation {
    let msg = format!("m {code}");
    Violation::new(
        Short::from(pointer),
        Subject::None,
        code,
        Detail::Text(msg.into(), None),
        None,
    )
}

#[test]
fn status_precedence_is_403_then_413_then_400() {
    assert_eq!(Report::new(vec![v("/a", Code::WrongType)]).status(), 400);
    let r = Report::new(vec![v("/a", Code::WrongType), v("/tags", Code::TooMany)]);
    assert_eq!(r.status(), 413);
    let r = Report::new(vec![
        v("/tags", Code::TooMany),
        v("/status", Code::ReadOnly),
        v("/a", Code::WrongType),
    ]);
    assert_eq!(r.status(), 403);
}

#[test]
fn code_names_round_trip() {
    for c in Code::ALL {
        assert_eq!(c.as_str().parse::<Code>().ok(), Some(*c));
    }
    assert_eq!("nope".parse::<Code>().ok(), None);
}

#[test]
fn renderings() {
    let r = Report::new(vec![
        v("/status", Code::ReadOnly),
        Violation::new(
            "/min_disk".into(),
            Subject::None,
            Code::OutOfRange,
            Detail::Text("m2".into(), None),
            Some("IMG.0055"),
        ),
    ]);
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json, r.to_json_value());
    assert_eq!(json["status"], 403);
    assert_eq!(json["violations"][0]["ims_code"], serde_json::Value::Null);
    assert_eq!(json["violations"][1]["code"], "out_of_range");
    let ims = serde_json::to_value(r.ims_error()).unwrap();
    assert_eq!(
        ims,
        serde_json::json!({"error": {"code": "IMG.0055", "message": "m read_only. m2."}})
    );
    assert_eq!(
        r.to_string(),
        "request rejected (403): 2 violations; read_only at '/status': m read_only; \
         out_of_range at '/min_disk': m2"
    );
    let plain = Report::new(vec![v("", Code::TooMany)]);
    assert_eq!(plain.ims_error().code(), IMS_GENERIC_CODE);
}
