//! Unit tests of the parent module (they see its private items).

use super::*;
use std::time::Duration;

fn ts(secs: i64) -> String {
    Timestamp::from_unix(secs).unwrap().to_string()
}

#[test]
fn timestamps_format_in_utc() {
    assert_eq!(ts(0), "1970-01-01T00:00:00Z");
    assert_eq!(ts(1_464_853_788), "2016-06-02T07:49:48Z");
    assert_eq!(ts(951_782_400), "2000-02-29T00:00:00Z");
    assert_eq!(ts(-1), "1969-12-31T23:59:59Z");
    assert_eq!(ts(MIN_UNIX), "0000-01-01T00:00:00Z");
    assert_eq!(ts(MAX_UNIX), "9999-12-31T23:59:59Z");
    assert_eq!(ts(4_107_542_400), "2100-03-01T00:00:00Z");
}

#[test]
fn timestamps_outside_four_digit_years_are_refused() {
    assert_eq!(
        Timestamp::from_unix(MAX_UNIX + 1),
        Err(ContextError::TimeOutOfRange(MAX_UNIX + 1))
    );
    assert!(Timestamp::from_unix(MIN_UNIX - 1).is_err());
    assert!(Timestamp::from_unix(i64::MIN).is_err());
    assert!(Timestamp::from_unix(i64::MAX).is_err());
}

#[test]
fn system_time_truncates_toward_the_past() {
    let t = UNIX_EPOCH + Duration::from_millis(1_464_853_788_900);
    assert_eq!(
        Timestamp::from_system_time(t).unwrap().unix(),
        1_464_853_788
    );
    let before = UNIX_EPOCH - Duration::from_millis(1_500);
    assert_eq!(Timestamp::from_system_time(before).unwrap().unix(), -2);
    let exact = UNIX_EPOCH - Duration::from_secs(2);
    assert_eq!(Timestamp::from_system_time(exact).unwrap().unix(), -2);
}

#[test]
fn context_checks_its_inputs() {
    let now = Timestamp::from_unix(0).unwrap();
    assert!(Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "p", now).is_ok());
    assert_eq!(
        Context::new("x", "p", now).unwrap_err().to_string(),
        "image id 'x' is not a UUID (8-4-4-4-12 hex digits)"
    );
    assert_eq!(
        Context::new("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86", "", now),
        Err(ContextError::EmptyOwner)
    );
}
