//! What a JSON value is, as far as the rules care: the engine reads each value into a
//! [`Shape`], the rules judge it. A leaf: it imports nothing of the crate.

use std::borrow::Cow;

/// An integer as far as the rules care.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Int {
    /// Zero or positive, within u64.
    Value(u64),
    /// Below zero: the value when it fits 64 bits.
    Negative(Option<i64>),
    /// An integer token above u64 (serde_json reads it as a float).
    Huge,
}

/// The JSON type of a field's value, with the payload the rules look at.
pub(crate) enum Shape<'de> {
    Null,
    Bool(bool),
    Int(Int),
    /// A number with a fraction or an exponent.
    Float,
    /// A number whose spelling decides what it is: serde_json reads `-0` and integer
    /// tokens beyond 64 bits as floats, like `-0.0` or `1e19` (the value: `-0.0`, or
    /// an integral value beyond 64 bits).
    Spelled(f64),
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Shape<'_> {
    /// The shape of a number serde_json read as a float. serde_json hands `-0` and
    /// integer tokens beyond 64 bits over as floats: an integral float that is -0 or
    /// that large may have been written either way ([`Shape::Spelled`]).
    pub(crate) fn from_f64(v: f64) -> Self {
        const BEYOND_I64: f64 = 9.2e18;
        let integral = v.is_finite() && v.fract() == 0.0;
        if integral && ((v == 0.0 && v.is_sign_negative()) || v.abs() >= BEYOND_I64) {
            Shape::Spelled(v)
        } else {
            Shape::Float
        }
    }

    /// The JSON type, as a message names it.
    pub(crate) fn kind(&self) -> JsonType {
        match self {
            Shape::Null => JsonType::Null,
            Shape::Bool(_) => JsonType::Boolean,
            Shape::Int(_) => JsonType::Integer,
            Shape::Float => JsonType::Fraction,
            Shape::Spelled(_) => JsonType::Number,
            Shape::Str(_) => JsonType::String,
            Shape::Array => JsonType::Array,
            Shape::Object => JsonType::Object,
        }
    }
}

/// The `Visitor` methods of JSON's scalars, each giving `$wrap` of the value's
/// [`Shape`] (a string borrowed from the body where it can be): the one reading of a
/// value's shape, for the seeds that read one (`scan/walk.rs`, `update/read.rs`).
macro_rules! scalar_shapes {
    ($wrap:expr) => {
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::Bool(v)))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            use $crate::shape::Int;
            let int = match u64::try_from(v) {
                Ok(v) => Int::Value(v),
                Err(_) => Int::Negative(Some(v)),
            };
            Ok($wrap($crate::shape::Shape::Int(int)))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::Int($crate::shape::Int::Value(
                v,
            ))))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::from_f64(v)))
        }
        fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::Str(
                ::std::borrow::Cow::Borrowed(v),
            )))
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            let owned = ::std::borrow::Cow::Owned(v.to_owned());
            Ok($wrap($crate::shape::Shape::Str(owned)))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::Str(::std::borrow::Cow::Owned(
                v,
            ))))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::Shape::Null))
        }
    };
}

pub(crate) use scalar_shapes;

/// The `Visitor` methods of JSON's scalars for a seed that needs only their type: each
/// gives `$wrap` of the [`JsonType`], an integer's as `$int` (a member's `Integer`, a
/// whole document's `Number`).
macro_rules! scalar_kinds {
    ($wrap:expr, $int:expr) => {
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::JsonType::Boolean))
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok($wrap($int))
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok($wrap($int))
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::JsonType::Number))
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::JsonType::String))
        }
        fn visit_unit<E>(self) -> Result<Self::Value, E> {
            Ok($wrap($crate::shape::JsonType::Null))
        }
    };
}

pub(crate) use scalar_kinds;

/// A seed that is its own [`Visitor`](serde::de::Visitor) of any JSON value: the
/// `DeserializeSeed` of each of the crate's seeds (`$de` the input's lifetime).
macro_rules! seed_of_any {
    ($de:lifetime, $seed:ty) => {
        impl<$de> ::serde::de::DeserializeSeed<$de> for $seed {
            type Value = <Self as ::serde::de::Visitor<$de>>::Value;
            fn deserialize<D>(self, d: D) -> Result<Self::Value, D::Error>
            where
                D: ::serde::Deserializer<$de>,
            {
                d.deserialize_any(self)
            }
        }
    };
}

pub(crate) use seed_of_any;

/// The JSON types, one row each: the variant, and how an English message, a Chinese
/// message and `params` (JSON Schema's type names) name it.
macro_rules! json_types {
    ($($(#[doc = $doc:literal])* $variant:ident => $en:literal, $zh:literal, $param:literal;)+) => {
        /// A JSON type, as a rule expects it or a value has it: what messages and
        /// `params` name (each in its own words).
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub(crate) enum JsonType {
            $($(#[doc = $doc])* $variant,)+
        }

        impl JsonType {
            /// In an English message: `a boolean`, `an integer`, …
            pub(crate) const fn en(self) -> &'static str {
                match self {
                    $(JsonType::$variant => $en,)+
                }
            }

            /// In a Chinese message.
            pub(crate) const fn zh(self) -> &'static str {
                match self {
                    $(JsonType::$variant => $zh,)+
                }
            }

            /// In `params`: JSON Schema's type names.
            pub(crate) const fn param(self) -> &'static str {
                match self {
                    $(JsonType::$variant => $param,)+
                }
            }
        }
    };
}

json_types! {
    Null => "null", "null", "null";
    Boolean => "a boolean", "布尔值", "boolean";
    Integer => "an integer", "整数", "integer";
    /// A number whose spelling alone tells what it is (`-0`, beyond 64 bits).
    Number => "a number", "数字", "number";
    /// A number with a fraction or an exponent.
    Fraction => "a number with a fraction or an exponent", "带小数或指数的数字", "number";
    String => "a string", "字符串", "string";
    Array => "an array", "数组", "array";
    /// An array of strings (what `tags` expects).
    StringArray => "an array of strings", "字符串数组", "array";
    Object => "an object", "对象", "object";
}

/// Whether a JSON number token is written as an integer: no fraction, no exponent.
pub(crate) fn is_integer_token(token: &str) -> bool {
    !token.bytes().any(|c| matches!(c, b'.' | b'e' | b'E'))
}
