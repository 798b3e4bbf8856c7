//! One entry of a value that serializes as a map (the accepted request), written as
//! JSON alone: a serde `Serializer` that walks the map's entries, compares each key
//! with the one asked for and writes that entry's value only (by `serde_json`), so
//! that reading one field of a request renders that field and not the whole request.

use serde::ser::{self, Impossible, Serialize, SerializeMap};

/// Appends the JSON of the value of `key` in `value`'s map to `out`: whether `value`
/// had that key. `value` must serialize as a map (anything else has no keys).
pub(crate) fn entry<T: Serialize + ?Sized>(value: &T, key: &str, out: &mut Vec<u8>) -> bool {
    let mut pick = Pick {
        want: key,
        matched: false,
        out,
    };
    matches!(value.serialize(&mut pick), Err(Stop::Found))
}

struct Pick<'k, 'o> {
    /// The key asked for.
    want: &'k str,
    /// Whether the key of the entry at hand is `want`.
    matched: bool,
    out: &'o mut Vec<u8>,
}

/// Serializes a map's key (a string) only to compare it with `want`: whether it is.
struct SameKey<'k>(&'k str);

/// Why the walk stopped early: the entry was written (not an error), or the value is
/// not a map of the shape asked about.
#[derive(Debug)]
enum Stop {
    Found,
    NotAMap,
}

impl std::fmt::Display for Stop {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Stop::Found => "found",
            Stop::NotAMap => "not a map",
        })
    }
}

impl std::error::Error for Stop {}

impl ser::Error for Stop {
    fn custom<M: std::fmt::Display>(_: M) -> Self {
        Stop::NotAMap
    }
}

/// Every `serialize_*` but the map's: not a map.
macro_rules! not_a_map {
    ($ok:ty: $($name:ident($($arg:ty),*);)+) => {
        $(fn $name(self, $(_: $arg),*) -> Result<$ok, Stop> { Err(Stop::NotAMap) })+
    };
}

/// The rest of a serializer but its map (which each writes itself): `Some` and a
/// newtype struct seen through, every other compound not a map.
macro_rules! rest_of_serializer {
    () => {
        fn serialize_some<T: Serialize + ?Sized>(self, v: &T) -> Result<Self::Ok, Stop> {
            v.serialize(self)
        }
        fn serialize_newtype_struct<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            v: &T,
        ) -> Result<Self::Ok, Stop> {
            v.serialize(self)
        }
        fn serialize_newtype_variant<T: Serialize + ?Sized>(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: &T,
        ) -> Result<Self::Ok, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_tuple_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleStruct, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_tuple_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeTupleVariant, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_struct(
            self,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStruct, Stop> {
            Err(Stop::NotAMap)
        }
        fn serialize_struct_variant(
            self,
            _: &'static str,
            _: u32,
            _: &'static str,
            _: usize,
        ) -> Result<Self::SerializeStructVariant, Stop> {
            Err(Stop::NotAMap)
        }
    };
}

impl ser::Serializer for &mut Pick<'_, '_> {
    type Ok = ();
    type Error = Stop;
    type SerializeSeq = Impossible<(), Stop>;
    type SerializeTuple = Impossible<(), Stop>;
    type SerializeTupleStruct = Impossible<(), Stop>;
    type SerializeTupleVariant = Impossible<(), Stop>;
    type SerializeMap = Self;
    type SerializeStruct = Impossible<(), Stop>;
    type SerializeStructVariant = Impossible<(), Stop>;

    not_a_map! { ():
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
        serialize_str(&str); serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    rest_of_serializer!();

    fn serialize_map(self, _: Option<usize>) -> Result<Self, Stop> {
        Ok(self)
    }
}

impl ser::Serializer for SameKey<'_> {
    type Ok = bool;
    type Error = Stop;
    type SerializeSeq = Impossible<bool, Stop>;
    type SerializeTuple = Impossible<bool, Stop>;
    type SerializeTupleStruct = Impossible<bool, Stop>;
    type SerializeTupleVariant = Impossible<bool, Stop>;
    type SerializeMap = Impossible<bool, Stop>;
    type SerializeStruct = Impossible<bool, Stop>;
    type SerializeStructVariant = Impossible<bool, Stop>;

    fn serialize_str(self, key: &str) -> Result<bool, Stop> {
        Ok(key == self.0)
    }

    not_a_map! { bool:
        serialize_bool(bool); serialize_i8(i8); serialize_i16(i16); serialize_i32(i32);
        serialize_i64(i64); serialize_u8(u8); serialize_u16(u16); serialize_u32(u32);
        serialize_u64(u64); serialize_f32(f32); serialize_f64(f64); serialize_char(char);
        serialize_bytes(&[u8]); serialize_none(); serialize_unit();
        serialize_unit_struct(&'static str);
        serialize_unit_variant(&'static str, u32, &'static str);
    }

    rest_of_serializer!();

    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Stop> {
        Err(Stop::NotAMap)
    }
}

impl SerializeMap for &mut Pick<'_, '_> {
    type Ok = ();
    type Error = Stop;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Stop> {
        self.matched = key.serialize(SameKey(self.want))?;
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Stop> {
        if !self.matched {
            return Ok(());
        }
        let start = self.out.len();
        if serde_json::to_writer(&mut *self.out, value).is_err() {
            self.out.truncate(start);
            return Err(Stop::NotAMap);
        }
        // The rest of the map is not walked.
        Err(Stop::Found)
    }

    fn end(self) -> Result<(), Stop> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::entry;

    #[test]
    fn one_entry_of_the_request() {
        let v = ims_image_meta_adapter::Validator::default_ref();
        let ok = v
            .validate(br#"{"name": "web", "tags": ["a"], "x/y": "1\"\u00e9", "min_disk": 50}"#)
            .expect("valid");
        let whole = serde_json::to_value(&ok.request).expect("serializes");
        let serde_json::Value::Object(map) = whole else {
            panic!("a map")
        };
        assert!(map.len() >= 5, "{map:?}");
        for (k, want) in &map {
            let mut out = b"kept".to_vec();
            assert!(entry(&ok.request, k, &mut out), "{k}");
            assert_eq!(&out[..4], b"kept");
            let got: serde_json::Value = serde_json::from_slice(&out[4..]).expect("JSON");
            assert_eq!(&got, want, "{k}");
        }
        let mut out = Vec::new();
        assert!(!entry(&ok.request, "nope", &mut out));
        assert!(!entry(&ok.request, "", &mut out));
        assert!(!entry(&5u32, "name", &mut out));
        assert!(out.is_empty());
    }
}
