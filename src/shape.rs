//! What a JSON value is, as far as the rules care: the engine reads each value into a
//! [`Shape`], the rules judge it. A leaf: it imports nothing of the crate.

use std::borrow::Cow;

/// An integer as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Int {
    /// Zero or positive, within u64.
    Value(u64),
    /// Below zero.
    Negative,
    /// An integer token above u64 (serde_json reads it as a float).
    Huge,
}

/// The JSON type of a field's value, with the payload the rules look at.
pub(crate) enum Shape<'de> {
    Null,
    Bool(bool),
    Int(Int),
    Float,
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Shape<'_> {
    /// The JSON type, as a message names it.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Shape::Null => "null",
            Shape::Bool(_) => "a boolean",
            Shape::Int(_) => "an integer",
            Shape::Float => "a number with a fraction or an exponent",
            Shape::Str(_) => "a string",
            Shape::Array => "an array",
            Shape::Object => "an object",
        }
    }
}
