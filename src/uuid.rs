//! The UUID form a body's `id` and a context's image id must have.

/// Whether `s` is a UUID in 8-4-4-4-12 hex form, any case.
pub(crate) fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuid_shape() {
        assert!(is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba86"));
        assert!(is_uuid("4CA46BF1-5C61-48FF-B4F3-0AD4E5E3BA86"));
        assert!(!is_uuid("4ca46bf15c6148ffb4f30ad4e5e3ba86"));
        assert!(!is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba8g"));
        assert!(!is_uuid("4ca46bf1-5c61-48ff-b4f3-0ad4e5e3ba866"));
        assert!(!is_uuid(""));
    }
}
