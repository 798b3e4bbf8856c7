//! `ims_image_meta._native`: the Python face of the core. Every option goes through
//! `ims_image_meta_adapter` (the one place shared with the WebAssembly binding), every
//! verdict comes from the core; this file only converts between Python and Rust.
//!
//! The public names are re-exported by `python/ims_image_meta/__init__.py`, which also
//! defines `ValidationError` (a `ValueError` subclass with fields cannot be a
//! `#[pyclass]` in an abi3 build for CPython 3.9).

#![forbid(unsafe_code)]

use std::borrow::Cow;

use ims_image_meta_adapter::{self as adapter, CatalogSource, ErrorKind, Options, OptionsError};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyString, PyType};
use serde_json::Value;

/// An options error: `ValueError` for options that make no sense.
fn options_error(e: OptionsError) -> PyErr {
    match e.kind {
        ErrorKind::Invalid => PyValueError::new_err(e.message),
    }
}

/// JSON text as Python objects (dict, list, str, int, float, bool, None), through the
/// standard library's `json.loads` (which keeps the key order of the text).
fn to_py(py: Python<'_>, text: &str) -> PyResult<Py<PyAny>> {
    static LOADS: PyOnceLock<Py<PyAny>> = PyOnceLock::new();
    let loads = LOADS.get_or_try_init(py, || {
        py.import("json")?.getattr("loads").map(Bound::unbind)
    })?;
    Ok(loads.bind(py).call1((text,))?.unbind())
}

/// A Python object as JSON: a `str` is parsed as JSON text, anything else goes through
/// `json.dumps`.
fn from_py(py: Python<'_>, what: &str, obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let text: String = if let Ok(s) = obj.cast::<PyString>() {
        s.to_cow()?.into_owned()
    } else {
        py.import("json")?
            .call_method1("dumps", (obj,))
            .map_err(|e| PyTypeError::new_err(format!("{what}: not JSON-serializable: {e}")))?
            .extract()?
    };
    serde_json::from_str(&text).map_err(|e| PyValueError::new_err(format!("{what}: {e}")))
}

/// The body's bytes: borrowed from a `bytes` (immutable, so safe to read without the
/// GIL), copied from a `bytearray` or `memoryview`, UTF-8 of a `str`.
fn body_bytes<'a>(body: &'a Bound<'_, PyAny>) -> PyResult<Cow<'a, [u8]>> {
    if let Ok(b) = body.cast::<PyBytes>() {
        Ok(Cow::Borrowed(b.as_bytes()))
    } else if let Ok(s) = body.cast::<PyString>() {
        Ok(match s.to_cow()? {
            Cow::Borrowed(s) => Cow::Borrowed(s.as_bytes()),
            Cow::Owned(s) => Cow::Owned(s.into_bytes()),
        })
    } else if let Ok(b) = body.cast::<PyByteArray>() {
        Ok(Cow::Owned(b.to_vec()))
    } else {
        Err(PyTypeError::new_err(format!(
            "body must be bytes or str, not {}",
            body.get_type().name()?
        )))
    }
}

fn options(
    py: Python<'_>,
    profile: &str,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: &str,
) -> PyResult<Options> {
    let rules = match rules {
        Some(r) if !r.is_none() => Some(from_py(py, "rules", r)?),
        _ => None,
    };
    let catalog = match catalog {
        None => CatalogSource::Builtin,
        Some(c) if c.is_none() => CatalogSource::Builtin,
        Some(c) => {
            if let Ok(s) = c.cast::<PyString>() {
                CatalogSource::Csv(s.to_cow()?.into_owned())
            } else if let Ok(b) = c.cast::<PyBytes>() {
                CatalogSource::OsVersionJson(b.as_bytes().to_vec())
            } else {
                return Err(PyTypeError::new_err(
                    "catalog must be str (CSV) or bytes (os_version JSON)",
                ));
            }
        }
    };
    Ok(Options {
        profile: profile.to_owned(),
        rules,
        catalog,
        locale: locale.to_owned(),
    })
}

/// `ims_image_meta.ValidationError(message, status, violations, problem)`.
fn validation_error(py: Python<'_>, r: &adapter::Rejection) -> PyErr {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let make = || -> PyResult<PyErr> {
        let class = CLASS.import(py, "ims_image_meta", "ValidationError")?;
        let args = (
            r.summary.as_str(),
            r.status,
            to_py(py, &r.violations)?,
            to_py(py, &r.problem)?,
        );
        Ok(PyErr::from_value(class.call1(args)?))
    };
    make().unwrap_or_else(|e| e)
}

/// Unix seconds from an `int` or a timezone-aware `datetime` (sub-seconds dropped,
/// towards the past).
fn unix_seconds(py: Python<'_>, now: &Bound<'_, PyAny>) -> PyResult<i64> {
    static DATETIME: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    if now.is_instance_of::<PyBool>() {
        return Err(PyTypeError::new_err(
            "now must be an int or an aware datetime, not bool",
        ));
    }
    if now.is_instance_of::<PyInt>() {
        return now.extract();
    }
    if now.is_instance(DATETIME.import(py, "datetime", "datetime")?)? {
        if now.call_method0("utcoffset")?.is_none() {
            return Err(PyValueError::new_err(
                "now must be timezone-aware (a naive datetime has no instant)",
            ));
        }
        let secs: f64 = now.call_method0("timestamp")?.extract()?;
        return Ok(secs.floor() as i64);
    }
    Err(PyTypeError::new_err(format!(
        "now must be an int (Unix seconds) or an aware datetime, not {}",
        now.get_type().name()?
    )))
}

/// Validates a create body.
///
/// Returns ``{"request": {...}, "warnings": [{"pointer", "code", "message"}]}``: the
/// accepted request with every default filled in, and the warnings of its defaults.
/// Raises ``ValidationError`` for a rejected body and ``ValueError`` for invalid
/// options. The GIL is released while the core validates.
#[pyfunction]
#[pyo3(signature = (body, *, profile = "ims-2022", rules = None, catalog = None, locale = "en"))]
fn validate(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    profile: &str,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: &str,
) -> PyResult<Py<PyAny>> {
    let bytes = body_bytes(body)?;
    let opts = options(py, profile, rules, catalog, locale)?;
    let verdict = py
        .detach(|| adapter::validate(&bytes, &opts))
        .map_err(options_error)?;
    match verdict {
        adapter::Verdict::Accepted { request, warnings } => to_py(
            py,
            &format!(r#"{{"request":{request},"warnings":{warnings}}}"#),
        ),
        adapter::Verdict::Rejected(r) => Err(validation_error(py, &r)),
    }
}

/// Validates a create body and derives the record the service answers with (the 201
/// body), for image ``image_id`` of project ``owner`` at time ``now`` (an ``int`` of
/// Unix seconds or a timezone-aware ``datetime``).
///
/// Raises ``ValidationError`` for a rejected body, ``ValueError`` for an invalid
/// context or options.
#[pyfunction]
#[pyo3(signature = (body, *, image_id, owner, now, profile = "ims-2022", rules = None, catalog = None, locale = "en"))]
#[allow(clippy::too_many_arguments)]
fn derive(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    image_id: &str,
    owner: &str,
    now: &Bound<'_, PyAny>,
    profile: &str,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: &str,
) -> PyResult<Py<PyAny>> {
    let bytes = body_bytes(body)?;
    let opts = options(py, profile, rules, catalog, locale)?;
    let ctx = adapter::context(image_id, owner, unix_seconds(py, now)?).map_err(options_error)?;
    let derived = py
        .detach(|| adapter::derive(&bytes, &opts, &ctx))
        .map_err(options_error)?;
    match derived {
        Ok(d) => to_py(py, &d.record),
        Err(r) => Err(validation_error(py, &r)),
    }
}

/// The JSON Schema (draft 2020-12) of a create body under a profile (and knob
/// overrides and catalog), as a dict.
#[pyfunction]
#[pyo3(signature = (*, profile = "ims-2022", rules = None, catalog = None))]
fn request_schema(
    py: Python<'_>,
    profile: &str,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
) -> PyResult<Py<PyAny>> {
    let opts = options(py, profile, rules, catalog, adapter::DEFAULT_LOCALE)?;
    to_py(py, &adapter::request_schema(&opts).map_err(options_error)?)
}

/// The JSON Schema (draft 2020-12) of the derived record, as a dict.
#[pyfunction]
fn record_schema(py: Python<'_>) -> PyResult<Py<PyAny>> {
    to_py(py, &adapter::record_schema())
}

/// The native half of ``ims_image_meta``; import the package, not this module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(derive, m)?)?;
    m.add_function(wrap_pyfunction!(request_schema, m)?)?;
    m.add_function(wrap_pyfunction!(record_schema, m)?)?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", adapter::PROFILES.to_vec())?;
    m.add("LOCALES", adapter::LOCALES.to_vec())?;
    Ok(())
}
