//! Python objects straight from the core's `Serialize` impls (the request, the record,
//! violations, warnings, params, problem documents): a serde `Serializer` whose output
//! is a `dict`, `list`, `str`, `int`, `float`, `bool` or `None`, built with the C API
//! and no JSON text in between. The core decides every key and its order; this file
//! only maps serde's data model to Python's.

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
    value.serialize(Ser { py }).map_err(|e| e.0)
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
        // A key, or a value of a closed set (a disk format, an OS version), is a kept
        // string; any other is made anew.
        Ok(map_key(self.py, v).into_any())
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
        self.list.append(value.serialize(Ser { py: self.py })?)?;
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
        self.key = Some(key.serialize(Ser { py: self.py })?);
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self
            .key
            .take()
            .ok_or_else(|| Error(PyValueError::new_err("a map value without its key")))?;
        self.dict
            .set_item(key, value.serialize(Ser { py: self.py })?)?;
        Ok(())
    }
    fn serialize_entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(
        &mut self,
        key: &K,
        value: &V,
    ) -> Result<(), Error> {
        let ser = Ser { py: self.py };
        let k = key.serialize(ser)?;
        self.dict.set_item(k, value.serialize(ser)?)?;
        Ok(())
    }
    fn end(self) -> R<'py> {
        Ok(self.dict.into_any())
    }
}

/// The names of a violation's fields, as this binding shows them.
pub(crate) const VIOLATION_KEYS: [&str; 5] = ["pointer", "code", "message", "ims_code", "params"];

/// The longest string kept.
const KEPT_MAX_LEN: usize = 64;

/// Strings made Python strings once (interned) and kept, read-only, for the life of
/// the process: the keys and the closed-set values of the core's requests and records
/// (as the core's schemas name them: fields, `enum` and `const` values, the catalog's
/// OS versions) and a violation's field names. A request's dict takes them with a
/// reference count, not a new string each (`map_key`, `value`).
///
/// An open-addressed table read by FxHash's word-at-a-time hash (the profile of a
/// request's read put a third of its time in a `HashMap`'s SipHash): a few
/// instructions a key.
struct Kept {
    slots: Vec<Option<(Box<str>, Py<PyString>)>>,
    /// `64 - log2(slots.len())`: a hash's top bits are its slot.
    shift: u32,
}

/// FxHash's step (rustc's), 8 bytes at a time, the tail folded into one word.
fn hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let step = |h: u64, w: u64| (h.rotate_left(5) ^ w).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    let mut h = bytes.len() as u64;
    for c in &mut chunks {
        h = step(
            h,
            u64::from_le_bytes(<[u8; 8]>::try_from(c).unwrap_or_default()),
        );
    }
    let tail = chunks
        .remainder()
        .iter()
        .rev()
        .fold(0u64, |w, &b| (w << 8) | u64::from(b));
    step(h, tail)
}

impl Kept {
    fn new(cap: usize) -> Self {
        let size = (cap * 3).next_power_of_two().max(64);
        Kept {
            slots: (0..size).map(|_| None).collect(),
            shift: 64 - size.trailing_zeros(),
        }
    }

    /// The slot of `key`: where it is, or the empty one where it would go.
    fn slot(&self, key: &str) -> usize {
        let mask = self.slots.len() - 1;
        let mut at = (hash(key.as_bytes()) >> self.shift) as usize;
        loop {
            match &self.slots[at] {
                Some((k, _)) if **k != *key => at = (at + 1) & mask,
                _ => return at,
            }
        }
    }

    fn insert(&mut self, py: Python<'_>, key: &str) {
        let at = self.slot(key);
        if key.len() <= KEPT_MAX_LEN && self.slots[at].is_none() {
            self.slots[at] = Some((key.into(), PyString::intern(py, key).unbind()));
        }
    }

    fn get<'py>(&self, py: Python<'py>, key: &str) -> Option<Bound<'py, PyString>> {
        if key.len() > KEPT_MAX_LEN {
            return None;
        }
        self.slots[self.slot(key)]
            .as_ref()
            .map(|(_, s)| s.bind(py).clone())
    }
}

/// Every string value of `enum` and `const` in a schema, and every key of its
/// `properties`.
fn schema_strings<'a>(schema: &'a serde_json::Value, out: &mut Vec<&'a str>) {
    match schema {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("enum", serde_json::Value::Array(values)) => {
                        out.extend(values.iter().filter_map(serde_json::Value::as_str));
                    }
                    ("const", serde_json::Value::String(value)) => out.push(value),
                    ("properties", serde_json::Value::Object(p)) => {
                        out.extend(p.keys().map(String::as_str));
                        p.values().for_each(|v| schema_strings(v, out));
                    }
                    _ => schema_strings(v, out),
                }
            }
        }
        serde_json::Value::Array(items) => items.iter().for_each(|v| schema_strings(v, out)),
        _ => {}
    }
}

fn kept(py: Python<'_>) -> &Kept {
    static KEPT: PyOnceLock<Kept> = PyOnceLock::new();
    KEPT.get_or_init(py, || {
        let schemas = [
            ims_image_meta::schema::request_schema(&ims_image_meta::Rules::default()),
            ims_image_meta::schema::record_schema(),
        ];
        let mut strings: Vec<&str> = VIOLATION_KEYS.to_vec();
        for s in &schemas {
            schema_strings(s, &mut strings);
        }
        let mut kept = Kept::new(strings.len());
        for s in strings {
            kept.insert(py, s);
        }
        kept
    })
}

/// A key as a Python string: a kept one, else made anew (a custom property's key).
pub(crate) fn map_key<'py>(py: Python<'py>, key: &str) -> Bound<'py, PyString> {
    kept(py)
        .get(py, key)
        .unwrap_or_else(|| PyString::new(py, key))
}

/// A struct's field name as a Python string: a kept one, else interned (a params
/// field: the names are few, `&'static str`).
fn field_name<'py>(py: Python<'py>, key: &'static str) -> Bound<'py, PyString> {
    kept(py)
        .get(py, key)
        .unwrap_or_else(|| PyString::intern(py, key))
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
            value.serialize(Ser { py: self.py })?,
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

/// A fixed set of key names (a result's keys), each made an interned Python string
/// once: a key is found among them by identity first (a key spelt in Python code is
/// the same interned string), else by equality, with no UTF-8 copy of it (the abi3
/// API of CPython 3.9 has no borrowed UTF-8 view of a `str`).
pub(crate) struct Names<const N: usize> {
    names: [&'static str; N],
    kept: PyOnceLock<[Py<PyString>; N]>,
}

impl<const N: usize> Names<N> {
    pub(crate) const fn new(names: [&'static str; N]) -> Self {
        Names {
            names,
            kept: PyOnceLock::new(),
        }
    }

    fn kept(&self, py: Python<'_>) -> &[Py<PyString>; N] {
        self.kept
            .get_or_init(py, || self.names.map(|n| PyString::intern(py, n).unbind()))
    }

    /// How many names.
    pub(crate) const fn len(&self) -> usize {
        N
    }

    /// The names, as Python strings, in order.
    pub(crate) fn strings<'py>(&self, py: Python<'py>) -> [Bound<'py, PyString>; N] {
        let kept = self.kept(py);
        std::array::from_fn(|i| kept[i].bind(py).clone())
    }

    /// The index of `key` among the names; `None` for any other key, or a key that
    /// is not a `str`.
    pub(crate) fn which(&self, key: &Bound<'_, PyAny>) -> PyResult<Option<usize>> {
        let py = key.py();
        let kept = self.kept(py);
        if let Some(i) = kept.iter().position(|k| k.as_ptr() == key.as_ptr()) {
            return Ok(Some(i));
        }
        if !key.is_instance_of::<PyString>() {
            return Ok(None);
        }
        for (i, k) in kept.iter().enumerate() {
            if key.eq(k.bind(py))? {
                return Ok(Some(i));
            }
        }
        Ok(None)
    }
}
