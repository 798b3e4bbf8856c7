//! The spelling of a top-level member's value, for the few numbers whose value alone
//! cannot say whether they were written as integers: serde_json reads `-0`, and integer
//! tokens beyond 64 bits, as floats, like `-0.0`, `1e19` or `9.3e18`. The text is read
//! again by serde_json, each value kept as its raw text ([`RawValue`]), only when such
//! a number met an integer field: a rare path, linear in the body.

use std::borrow::Cow;
use std::fmt;

use serde::de::{Deserializer, IgnoredAny, MapAccess, Visitor};
use serde_json::value::RawValue;

/// The text of the value of the first member of the top-level object whose key is
/// `key` (after unescaping), in `text`, which is valid JSON.
pub(crate) fn first_member_value<'t>(text: &'t str, key: &str) -> Option<&'t str> {
    struct First<'k>(&'k str);
    impl<'de> Visitor<'de> for First<'_> {
        type Value = Option<&'de str>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a JSON object")
        }
        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut first = None;
            while let Some(k) = map.next_key::<Cow<'de, str>>()? {
                if first.is_none() && k == self.0 {
                    first = Some(map.next_value::<&'de RawValue>()?.get());
                } else {
                    map.next_value::<IgnoredAny>()?;
                }
            }
            Ok(first)
        }
    }
    serde_json::Deserializer::from_str(text)
        .deserialize_map(First(key))
        .ok()
        .flatten()
}

/// The values of one member of the elements of a top-level array (an update's `value`
/// members: `/i/value`): the array is read once, each element kept as its raw text.
pub(crate) struct ElementMembers<'t> {
    elements: Vec<&'t RawValue>,
}

impl<'t> ElementMembers<'t> {
    /// The elements of the array `text` (JSON; none when it is not a valid array).
    pub(crate) fn new(text: &'t str) -> Self {
        let elements = serde_json::from_str(text).unwrap_or_default();
        ElementMembers { elements }
    }

    /// The text of the value of member `key` of element `index` (an object), if any.
    pub(crate) fn value(&mut self, index: usize, key: &str) -> Option<&'t str> {
        first_member_value(self.elements.get(index)?.get(), key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::shape::is_integer_token;

    #[test]
    fn finds_the_first_member_by_its_unescaped_key() {
        let text = r#" { "a" : [1, {"min_disk": 2}, "]"], "s": "x\"y", "min\u005fdisk":-0 , "min_disk": 1e3 }"#;
        assert_eq!(first_member_value(text, "min_disk"), Some("-0"));
        assert_eq!(
            first_member_value(text, "a"),
            Some(r#"[1, {"min_disk": 2}, "]"]"#)
        );
        assert_eq!(first_member_value(text, "s"), Some(r#""x\"y""#));
        assert_eq!(first_member_value(text, "nope"), None);
        assert_eq!(first_member_value("[]", "a"), None);
        assert_eq!(first_member_value("{}", "a"), None);
        assert!(is_integer_token("-0") && is_integer_token("18446744073709551616"));
        assert!(
            !is_integer_token("-0.0") && !is_integer_token("1e19") && !is_integer_token("9.3E18")
        );
    }
}
