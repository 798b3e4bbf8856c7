//! Python objects straight from the core's `Serialize` impls (the request, the record,
//! violations, warnings, params, problem documents): a serde `Serializer` whose output
//! is a `dict`, `list`, `str`, `int`, `float`, `bool` or `None`, built with the C API
//! and no JSON text in between. The core decides every key and its order; this file
//! only maps serde's data model to Python's.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyDict, PyList, PyString};
use serde::ser::{self, Serialize};

/// `value` as a Python object.
pub fn to_py<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    value: &T,
) -> PyResult<Bound<'py, PyAny>> {
    value.serialize(Ser { py, key: false }).map_err(|e| e.0)
}

/// A serializer's error: the Python exception it met.
#[derive(Debug)]
pub struct Error(PyErr);

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: std::fmt::Display>(msg: T) -> Self {
        Error(PyValueError::new_err(msg.to_string()))
    }
}

impl From<std::convert::Infallible> for Error {
    fn from(e: std::convert::Infallible) -> Self {
        match e {}
    }
}

impl From<PyErr> for Error {
    fn from(e: PyErr) -> Self {
        Error(e)
    }
}

#[derive(Clone, Copy)]
struct Ser<'py> {
    py: Python<'py>,
    /// Serializing a map's key (a string is looked up among the kept keys).
    key: bool,
}

type R<'py> = Result<Bound<'py, PyAny>, Error>;

/// A list being filled.
pub struct Seq<'py> {
    py: Python<'py>,
    list: Bound<'py, PyList>,
}

/// A dict being filled (a map or a struct).
pub struct Map<'py> {
    py: Python<'py>,
    dict: Bound<'py, PyDict>,
    key: Option<Bound<'py, PyAny>>,
}

/// `{variant: ...}` being filled.
pub struct Variant<'py, T> {
    py: Python<'py>,
    name: &'static str,
    inner: T,
}

impl<'py> ser::Serializer for Ser<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    type SerializeSeq = Seq<'py>;
    type SerializeTuple = Seq<'py>;
    type SerializeTupleStruct = Seq<'py>;
    type SerializeTupleVariant = Variant<'py, Seq<'py>>;
    type SerializeMap = Map<'py>;
    type SerializeStruct = Map<'py>;
    type SerializeStructVariant = Variant<'py, Map<'py>>;

    fn serialize_bool(self, v: bool) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.to_owned().into_any())
    }
    fn serialize_i8(self, v: i8) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i16(self, v: i16) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i32(self, v: i32) -> R<'py> {
        self.serialize_i64(v.into())
    }
    fn serialize_i64(self, v: i64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_u8(self, v: u8) -> R<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u16(self, v: u16) -> R<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u32(self, v: u32) -> R<'py> {
        self.serialize_u64(v.into())
    }
    fn serialize_u64(self, v: u64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_f32(self, v: f32) -> R<'py> {
        self.serialize_f64(v.into())
    }
    fn serialize_f64(self, v: f64) -> R<'py> {
        Ok(v.into_pyobject(self.py)?.into_any())
    }
    fn serialize_char(self, v: char) -> R<'py> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> R<'py> {
        if self.key {
            return Ok(map_key(self.py, v).into_any());
        }
        Ok(PyString::new(self.py, v).into_any())
    }
    fn serialize_bytes(self, v: &[u8]) -> R<'py> {
        Ok(pyo3::types::PyBytes::new(self.py, v).into_any())
    }
    fn serialize_none(self) -> R<'py> {
        Ok(self.py.None().into_bound(self.py))
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_struct(self, _: &'static str) -> R<'py> {
        self.serialize_none()
    }
    fn serialize_unit_variant(self, _: &'static str, _: u32, variant: &'static str) -> R<'py> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(self, _: &'static str, value: &T) -> R<'py> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> R<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(variant, value.serialize(self)?)?;
        Ok(dict.into_any())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Seq<'py>, Error> {
        Ok(Seq {
            py: self.py,
            list: PyList::empty(self.py),
        })
    }
    fn serialize_tuple(self, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(self, _: &'static str, len: usize) -> Result<Seq<'py>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'py, Seq<'py>>, Error> {
        Ok(Variant {
            py: self.py,
            name: variant,
            inner: self.serialize_seq(Some(len))?,
        })
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Map<'py>, Error> {
        Ok(Map {
            py: self.py,
            dict: PyDict::new(self.py),
            key: None,
        })
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Map<'py>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Variant<'py, Map<'py>>, Error> {
        Ok(Variant {
            py: self.py,
            name: variant,
            inner: self.serialize_map(Some(len))?,
        })
    }
}

impl<'py> ser::SerializeSeq for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.list.append(value.serialize(Ser {
            py: self.py,
            key: false,
        })?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.list.into_any())
    }
}

impl<'py> ser::SerializeTuple for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R<'py> {
        ser::SerializeSeq::end(self)
    }
}

impl<'py> ser::SerializeTupleStruct for Seq<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> R<'py> {
        ser::SerializeSeq::end(self)
    }
}

impl<'py> ser::SerializeTupleVariant for Variant<'py, Seq<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(&mut self.inner, value)
    }
    fn end(self) -> R<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.name, ser::SerializeSeq::end(self.inner)?)?;
        Ok(dict.into_any())
    }
}

impl<'py> ser::SerializeMap for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = Some(key.serialize(Ser {
            py: self.py,
            key: true,
        })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error(PyValueError::new_err("a map value without its key")))?;
        self.dict.set_item(
            key,
            value.serialize(Ser {
                py: self.py,
                key: false,
            })?,
        )?;
        Ok(())
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        let ser = Ser {
            py: self.py,
            key: false,
        };
        let k = key.serialize(Ser { key: true, ..ser })?;
        self.dict.set_item(k, value.serialize(ser)?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

/// FNV-1a: the keys looked up are a few bytes long, where SipHash's setup costs more
/// than the key (the profile of a request read put a third of its time in the lookup).
#[derive(Clone, Copy)]
struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type KeyMap = HashMap<Box<str>, Py<PyString>, BuildHasherDefault<Fnv>>;

/// The names of a violation's and a warning's fields, as this binding shows them.
pub(crate) const VIOLATION_KEYS: [&str; 5] = ["pointer", "code", "message", "ims_code", "params"];

/// The keys the core's values are made of, each made a Python string once (interned)
/// and kept, read-only, for the life of the process: the request's and the record's
/// fields (as the core's schemas name them) and a violation's fields.
fn kept_keys(py: Python<'_>) -> &KeyMap {
    static KEPT: PyOnceLock<KeyMap> = PyOnceLock::new();
    KEPT.get_or_init(py, || {
        let mut kept = KeyMap::default();
        let schemas = [
            ims_image_meta::schema::request_schema(&ims_image_meta::Rules::default()),
            ims_image_meta::schema::record_schema(),
        ];
        let fields = schemas
            .iter()
            .filter_map(|s| s.get("properties")?.as_object())
            .flat_map(|p| p.keys().map(String::as_str));
        for key in fields.chain(VIOLATION_KEYS) {
            kept.entry(key.into())
                .or_insert_with(|| PyString::intern(py, key).unbind());
        }
        kept
    })
}

/// A key as a Python string: a kept one, else made anew (a custom property's key).
pub(crate) fn map_key<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    match kept_keys(py).get(key) {
        Some(s) => s.bind(py).clone(),
        None => PyString::new(py, key),
    }
}

/// A struct's field name as a Python string: a kept one, else interned (a params
/// field: the names are few, `&'static str`).
fn field_name<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    match kept_keys(py).get(key) {
        Some(s) => s.bind(py).clone(),
        None => PyString::intern(py, key),
    }
}

impl<'py> ser::SerializeStruct for Map<'py> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.dict.set_item(
            field_name(self.py, key),
            value.serialize(Ser {
                py: self.py,
                key: false,
            })?,
        )?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

impl<'py> ser::SerializeStructVariant for Variant<'py, Map<'py>> {
    type Ok = Bound<'py, PyAny>;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        ser::SerializeStruct::serialize_field(&mut self.inner, key, value)
    }
    fn end(self) -> R<'py> {
        let dict = PyDict::new(self.py);
        dict.set_item(self.name, ser::SerializeStruct::end(self.inner)?)?;
        Ok(dict.into_any())
    }
}
