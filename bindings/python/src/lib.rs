//! `ims_image_meta._native`: the Python face of the core. Options become the core's
//! `Rules` once, in `ims_image_meta_adapter` (the one place shared with the
//! WebAssembly binding); every verdict comes from the core; this file only converts
//! between Python and Rust, with no JSON text in between: results are built as Python
//! objects straight from the core's values (`topy`), and only when asked for.
//!
//! The public names are re-exported by `python/ims_image_meta/__init__.py`, which also
//! defines `ValidationError` (a `ValueError` subclass with fields cannot be a
//! `#[pyclass]` in an abi3 build for CPython 3.9): the native module raises it with one
//! argument, a `Rejection` holding the core's report, and its fields read from that.

#![forbid(unsafe_code)]

mod topy;

use std::borrow::Cow;

use ims_image_meta::{Context, Locale, Report, Validated as CoreValidated};
use ims_image_meta_adapter::{
    self as adapter, CatalogSource, ErrorKind, Options, OptionsError, Validator as Compiled,
};
use pyo3::exceptions::{PyKeyError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDict, PyInt, PyList, PyMemoryView, PyString, PyTuple, PyType,
};
use serde_json::Value;

/// An options error: `ValueError` for options that make no sense.
fn options_error(e: OptionsError) -> PyErr {
    match e.kind {
        ErrorKind::Invalid => PyValueError::new_err(e.message),
    }
}

/// A Python object as JSON: a `str` is parsed as JSON text, anything else goes through
/// `json.dumps` (options only: never on a call's path).
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
/// GIL); the UTF-8 of a `str` (copied by the abi3 API of CPython 3.9); copied from a
/// `bytearray` or a `memoryview` (either may change while the GIL is released).
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
    } else if body.cast::<PyMemoryView>().is_ok() {
        let copy = body.call_method0("tobytes")?;
        let copy = copy.cast::<PyBytes>()?;
        Ok(Cow::Owned(copy.as_bytes().to_vec()))
    } else {
        Err(PyTypeError::new_err(format!(
            "body must be bytes, str, bytearray or memoryview, not {}",
            body.get_type().name()?
        )))
    }
}

/// Options from keyword arguments.
fn options(
    py: Python<'_>,
    profile: Option<&str>,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: Option<&str>,
    format: Option<&str>,
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
    let mut opts = Options {
        rules,
        catalog,
        ..Options::default()
    };
    if let Some(p) = profile {
        p.clone_into(&mut opts.profile);
    }
    if let Some(l) = locale {
        l.clone_into(&mut opts.locale);
    }
    if let Some(f) = format {
        f.clone_into(&mut opts.format);
    }
    Ok(opts)
}

/// The compiled options of a module-level call: a kept validator when only a profile
/// and a locale are named (the default options included), else one built now.
enum Chosen {
    Kept(&'static Compiled),
    Built(Box<Compiled>),
}

impl Chosen {
    fn get(&self) -> &Compiled {
        match self {
            Chosen::Kept(v) => v,
            Chosen::Built(v) => v,
        }
    }
}

fn choose(
    py: Python<'_>,
    profile: Option<&str>,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: Option<&str>,
    format: Option<&str>,
) -> PyResult<Chosen> {
    let plain = rules.map_or(true, |r| r.is_none())
        && catalog.map_or(true, |c| c.is_none())
        && format.is_none();
    if plain {
        if profile.is_none() && locale.is_none() {
            return Ok(Chosen::Kept(Compiled::default_ref()));
        }
        let kept = Compiled::cached(
            profile.unwrap_or(adapter::DEFAULT_PROFILE),
            locale.unwrap_or(adapter::DEFAULT_LOCALE),
        );
        if let Some(v) = kept {
            return Ok(Chosen::Kept(v));
        }
    }
    let opts = options(py, profile, rules, catalog, locale, format)?;
    Ok(Chosen::Built(Box::new(
        Compiled::new(&opts).map_err(options_error)?,
    )))
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

fn context(
    py: Python<'_>,
    image_id: &str,
    owner: &str,
    now: &Bound<'_, PyAny>,
) -> PyResult<Context> {
    adapter::context(image_id, owner, unix_seconds(py, now)?).map_err(options_error)
}

// --- results ----------------------------------------------------------------------

/// An accepted body: a read-only mapping with the keys ``request`` (the request with
/// every default filled in, a ``dict`` in the core's key order) and ``warnings`` (a
/// ``list`` of ``{"pointer", "code", "message", "params"}``). Both are built on first
/// access, from the core's values, and kept.
#[pyclass(frozen, module = "ims_image_meta", name = "Validated")]
struct PyValidated {
    inner: CoreValidated<'static>,
    locale: Locale,
    request: PyOnceLock<Py<PyAny>>,
    warnings: PyOnceLock<Py<PyAny>>,
}

const VALIDATED_KEYS: [&str; 2] = ["request", "warnings"];

impl PyValidated {
    fn request<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyAny>> {
        self.request
            .get_or_try_init(py, || {
                topy::to_py(py, &self.inner.request).map(Bound::unbind)
            })
            .map(|v| v.bind(py))
    }

    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyAny>> {
        let locale = self.locale;
        self.warnings
            .get_or_try_init(py, || {
                let list = PyList::empty(py);
                for w in self.inner.warnings.iter() {
                    list.append(topy::to_py(py, &w.localized(locale))?)?;
                }
                Ok::<_, PyErr>(list.into_any().unbind())
            })
            .map(|v| v.bind(py))
    }

    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("request", self.request(py)?)?;
        d.set_item("warnings", self.warnings(py)?)?;
        Ok(d)
    }
}

#[pymethods]
impl PyValidated {
    /// The accepted request: a ``dict`` with every default filled in.
    #[getter(request)]
    fn get_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.request(py).cloned()
    }

    /// The warnings of the defaults taken: ``[{"pointer", "code", "message", "params"}]``.
    #[getter(warnings)]
    fn get_warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.warnings(py).cloned()
    }

    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match key
            .cast::<PyString>()
            .ok()
            .map(|k| k.to_cow())
            .transpose()?
            .as_deref()
        {
            Some("request") => self.get_request(py),
            Some("warnings") => self.get_warnings(py),
            _ => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(match key.cast::<PyString>() {
            Ok(k) => VALIDATED_KEYS.contains(&&*k.to_cow()?),
            Err(_) => false,
        })
    }

    fn __len__(&self) -> usize {
        VALIDATED_KEYS.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyTuple::new(py, VALIDATED_KEYS)?
            .try_iter()
            .map(Bound::into_any)
    }

    /// ``("request", "warnings")``.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, VALIDATED_KEYS)
    }

    /// ``(request, warnings)``.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, [self.get_request(py)?, self.get_warnings(py)?])
    }

    /// ``(("request", request), ("warnings", warnings))``.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(
            py,
            [
                ("request", self.get_request(py)?),
                ("warnings", self.get_warnings(py)?),
            ],
        )
    }

    /// The value of ``key``, or ``default``.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        if self.__contains__(key)? {
            self.__getitem__(py, key)
        } else {
            Ok(default.unwrap_or_else(|| py.None().into_bound(py)))
        }
    }

    /// ``{"request": ..., "warnings": ...}`` as a plain ``dict``.
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.as_dict(py)
    }

    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<bool> {
        let mine = self.as_dict(py)?;
        if let Ok(o) = other.cast::<PyValidated>() {
            return mine.eq(o.get().as_dict(py)?);
        }
        mine.eq(other)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(format!("Validated({})", self.as_dict(py)?.repr()?))
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Pickles as the plain dict it shows.
        (py.get_type::<PyDict>(), (self.as_dict(py)?,))
            .into_pyobject(py)
            .map(Bound::into_any)
    }
}

/// A rejected body as the core reported it: the argument of ``ValidationError``. Its
/// message, violations and problem document are rendered when first asked for.
#[pyclass(frozen, module = "ims_image_meta", name = "Rejection")]
struct PyRejection {
    report: Report,
    locale: Locale,
    summary: PyOnceLock<Py<PyString>>,
    violations: PyOnceLock<Py<PyAny>>,
}

#[pymethods]
impl PyRejection {
    /// 400, 403 or 413.
    #[getter]
    fn status(&self) -> u16 {
        self.report.status()
    }

    /// One line: the status and every violation (English).
    #[getter]
    fn summary<'py>(&self, py: Python<'py>) -> Bound<'py, PyString> {
        self.summary
            .get_or_init(py, || PyString::new(py, &self.report.to_string()).unbind())
            .bind(py)
            .clone()
    }

    /// ``[{"pointer", "code", "message", "ims_code", "params"}]``, messages in the
    /// validator's locale (built once, then the same list).
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.violations
            .get_or_try_init(py, || {
                let list = PyList::empty(py);
                for v in self.report.violations() {
                    list.append(topy::to_py(py, &v.localized(self.locale))?)?;
                }
                Ok::<_, PyErr>(list.into_any().unbind())
            })
            .map(|v| v.bind(py).clone())
    }

    /// The RFC 9457 problem details, a fresh ``dict`` at each call.
    fn problem<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        topy::to_py(py, &self.report.problem(self.locale))
    }

    fn __repr__(&self) -> String {
        format!("Rejection({})", self.report)
    }
}

fn rejection(py: Python<'_>, report: Report, locale: Locale) -> PyErr {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let make = || -> PyResult<PyErr> {
        let class = CLASS.import(py, "ims_image_meta", "ValidationError")?;
        let r = Py::new(
            py,
            PyRejection {
                report,
                locale,
                summary: PyOnceLock::new(),
                violations: PyOnceLock::new(),
            },
        )?;
        Ok(PyErr::from_type(class.clone(), (r,)))
    };
    make().unwrap_or_else(|e| e)
}

// --- the calls ----------------------------------------------------------------------

fn run_validate(
    py: Python<'_>,
    v: &Compiled,
    body: &Bound<'_, PyAny>,
) -> PyResult<Py<PyValidated>> {
    let bytes = body_bytes(body)?;
    let verdict = py.detach(|| v.validate(&bytes).map(CoreValidated::into_owned));
    match verdict {
        Ok(inner) => Py::new(
            py,
            PyValidated {
                inner,
                locale: v.locale(),
                request: PyOnceLock::new(),
                warnings: PyOnceLock::new(),
            },
        ),
        Err(report) => Err(rejection(py, report, v.locale())),
    }
}

fn run_derive<'py>(
    py: Python<'py>,
    v: &Compiled,
    body: &Bound<'py, PyAny>,
    ctx: &Context,
) -> PyResult<Bound<'py, PyAny>> {
    let bytes = body_bytes(body)?;
    let verdict = py.detach(|| v.validate(&bytes).map(|ok| ok.request.into_record(ctx)));
    match verdict {
        Ok(record) => topy::to_py(py, &record),
        Err(report) => Err(rejection(py, report, v.locale())),
    }
}

/// The whole answer to a create body, by the core's one road: ``status`` (201, or 400,
/// 403, 413), ``content_type`` (``application/json`` or ``application/problem+json``),
/// ``body`` (``bytes``: the 201 record, or the report rendered in the validator's
/// format and locale, by the core's byte writers) and ``warnings`` (of an accepted
/// body).
#[pyclass(frozen, module = "ims_image_meta", name = "Answer")]
struct PyAnswer {
    answer: ims_image_meta::Answer,
    locale: Locale,
    body: PyOnceLock<Py<PyBytes>>,
}

#[pymethods]
impl PyAnswer {
    /// The HTTP status.
    #[getter]
    fn status(&self) -> u16 {
        self.answer.status()
    }

    /// The ``Content-Type`` to answer with.
    #[getter]
    fn content_type(&self) -> &'static str {
        self.answer.content_type()
    }

    /// The bytes to answer with (made once, then the same object).
    #[getter]
    fn body<'py>(&self, py: Python<'py>) -> Bound<'py, PyBytes> {
        self.body
            .get_or_init(py, || PyBytes::new(py, self.answer.body()).unbind())
            .bind(py)
            .clone()
    }

    /// The warnings of an accepted body, ``[{"pointer", "code", "message", "params"}]``
    /// (empty for a rejected one).
    #[getter]
    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let list = PyList::empty(py);
        for w in self.answer.warnings().iter() {
            list.append(topy::to_py(py, &w.localized(self.locale))?)?;
        }
        Ok(list)
    }

    fn __repr__(&self) -> String {
        format!(
            "Answer(status={}, content_type={:?}, body=<{} bytes>)",
            self.answer.status(),
            self.answer.content_type(),
            self.answer.body().len()
        )
    }
}

fn run_answer(
    py: Python<'_>,
    v: &Compiled,
    body: &Bound<'_, PyAny>,
    ctx: &Context,
) -> PyResult<Py<PyAnswer>> {
    let bytes = body_bytes(body)?;
    let answer = py.detach(|| v.answer(&bytes, ctx));
    Py::new(
        py,
        PyAnswer {
            answer,
            locale: v.locale(),
            body: PyOnceLock::new(),
        },
    )
}

/// Options compiled once, for many calls: ``Validator(*, profile="ims-2022",
/// rules=None, catalog=None, locale="en", format="glance")``. Immutable, and safe to share between
/// threads (the GIL is released while the core works).
#[pyclass(frozen, module = "ims_image_meta", name = "Validator")]
struct PyValidator {
    v: Compiled,
    profile: String,
    locale: String,
    format: String,
}

#[pymethods]
impl PyValidator {
    #[new]
    #[pyo3(signature = (*, profile = None, rules = None, catalog = None, locale = None, format = None))]
    fn new(
        py: Python<'_>,
        profile: Option<&str>,
        rules: Option<&Bound<'_, PyAny>>,
        catalog: Option<&Bound<'_, PyAny>>,
        locale: Option<&str>,
        format: Option<&str>,
    ) -> PyResult<Self> {
        let opts = options(py, profile, rules, catalog, locale, format)?;
        Ok(PyValidator {
            v: Compiled::new(&opts).map_err(options_error)?,
            profile: opts.profile,
            locale: opts.locale,
            format: opts.format,
        })
    }

    /// The whole answer a server sends for a create body (the core's one road): an
    /// ``Answer`` with ``status``, ``content_type``, ``body`` (bytes) and ``warnings``.
    /// A rejection is an answer too, not an exception. Releases the GIL while the
    /// core works.
    #[pyo3(signature = (body, *, image_id, owner, now))]
    fn answer(
        &self,
        py: Python<'_>,
        body: &Bound<'_, PyAny>,
        image_id: &str,
        owner: &str,
        now: &Bound<'_, PyAny>,
    ) -> PyResult<Py<PyAnswer>> {
        let ctx = context(py, image_id, owner, now)?;
        run_answer(py, &self.v, body, &ctx)
    }

    /// Validates a create body: a ``Validated`` mapping (``request``, ``warnings``).
    /// Raises ``ValidationError`` for a rejected body. Releases the GIL while the
    /// core validates.
    fn validate(&self, py: Python<'_>, body: &Bound<'_, PyAny>) -> PyResult<Py<PyValidated>> {
        run_validate(py, &self.v, body)
    }

    /// Validates a create body and derives the record (the 201 body) as a ``dict``.
    #[pyo3(signature = (body, *, image_id, owner, now))]
    fn derive<'py>(
        &self,
        py: Python<'py>,
        body: &Bound<'py, PyAny>,
        image_id: &str,
        owner: &str,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let ctx = context(py, image_id, owner, now)?;
        run_derive(py, &self.v, body, &ctx)
    }

    /// The JSON Schema (draft 2020-12) of a create body under these rules.
    fn request_schema<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        topy::to_py(py, &ims_image_meta::schema::request_schema(self.v.rules()))
    }

    /// The profile named (``ims-2022`` unless given).
    #[getter]
    fn profile(&self) -> &str {
        &self.profile
    }

    /// The locale of messages.
    #[getter]
    fn locale(&self) -> &str {
        &self.locale
    }

    /// The format of a rendered report (``answer``): ``glance``, ``ims`` or ``problem``.
    #[getter]
    fn format(&self) -> &str {
        &self.format
    }

    fn __repr__(&self) -> String {
        format!(
            "Validator(profile={:?}, locale={:?}, format={:?})",
            self.profile, self.locale, self.format
        )
    }
}

/// Validates a create body.
///
/// Returns a ``Validated`` mapping: ``["request"]`` is the accepted request with every
/// default filled in, ``["warnings"]`` the warnings of its defaults. Raises
/// ``ValidationError`` for a rejected body and ``ValueError`` for invalid options. The
/// GIL is released while the core validates. Default options (or only a profile and a
/// locale) use a kept ``Validator``.
#[pyfunction]
#[pyo3(signature = (body, *, profile = None, rules = None, catalog = None, locale = None))]
fn validate(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    profile: Option<&str>,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: Option<&str>,
) -> PyResult<Py<PyValidated>> {
    let v = choose(py, profile, rules, catalog, locale, None)?;
    run_validate(py, v.get(), body)
}

/// Validates a create body and derives the record the service answers with (the 201
/// body), for image ``image_id`` of project ``owner`` at time ``now`` (an ``int`` of
/// Unix seconds or a timezone-aware ``datetime``).
///
/// Raises ``ValidationError`` for a rejected body, ``ValueError`` for an invalid
/// context or options.
#[pyfunction]
#[pyo3(signature = (body, *, image_id, owner, now, profile = None, rules = None, catalog = None, locale = None))]
#[allow(clippy::too_many_arguments)]
fn derive<'py>(
    py: Python<'py>,
    body: &Bound<'py, PyAny>,
    image_id: &str,
    owner: &str,
    now: &Bound<'py, PyAny>,
    profile: Option<&str>,
    rules: Option<&Bound<'py, PyAny>>,
    catalog: Option<&Bound<'py, PyAny>>,
    locale: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = choose(py, profile, rules, catalog, locale, None)?;
    let ctx = context(py, image_id, owner, now)?;
    run_derive(py, v.get(), body, &ctx)
}

/// The whole answer a server sends for a create body, by the core's one road: an
/// ``Answer`` (``status``, ``content_type``, ``body`` bytes, ``warnings``), the report
/// rendered in ``format`` (``glance``, ``ims`` or ``problem``) and ``locale``.
#[pyfunction]
#[pyo3(signature = (body, *, image_id, owner, now, profile = None, rules = None, catalog = None, locale = None, format = None))]
#[allow(clippy::too_many_arguments)]
fn answer(
    py: Python<'_>,
    body: &Bound<'_, PyAny>,
    image_id: &str,
    owner: &str,
    now: &Bound<'_, PyAny>,
    profile: Option<&str>,
    rules: Option<&Bound<'_, PyAny>>,
    catalog: Option<&Bound<'_, PyAny>>,
    locale: Option<&str>,
    format: Option<&str>,
) -> PyResult<Py<PyAnswer>> {
    let v = choose(py, profile, rules, catalog, locale, format)?;
    let ctx = context(py, image_id, owner, now)?;
    run_answer(py, v.get(), body, &ctx)
}

/// The JSON Schema (draft 2020-12) of a create body under a profile (and knob
/// overrides and catalog), as a dict.
#[pyfunction]
#[pyo3(signature = (*, profile = None, rules = None, catalog = None))]
fn request_schema<'py>(
    py: Python<'py>,
    profile: Option<&str>,
    rules: Option<&Bound<'py, PyAny>>,
    catalog: Option<&Bound<'py, PyAny>>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = choose(py, profile, rules, catalog, None, None)?;
    topy::to_py(py, &ims_image_meta::schema::request_schema(v.get().rules()))
}

/// The JSON Schema (draft 2020-12) of the derived record, as a dict.
#[pyfunction]
fn record_schema(py: Python<'_>) -> PyResult<Bound<'_, PyAny>> {
    topy::to_py(py, &ims_image_meta::schema::record_schema())
}

/// The native half of ``ims_image_meta``; import the package, not this module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(derive, m)?)?;
    m.add_function(wrap_pyfunction!(answer, m)?)?;
    m.add_function(wrap_pyfunction!(request_schema, m)?)?;
    m.add_function(wrap_pyfunction!(record_schema, m)?)?;
    m.add_class::<PyValidator>()?;
    m.add_class::<PyValidated>()?;
    m.add_class::<PyRejection>()?;
    m.add_class::<PyAnswer>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", adapter::PROFILES.to_vec())?;
    m.add("LOCALES", adapter::LOCALES.to_vec())?;
    m.add("FORMATS", adapter::FORMATS.to_vec())?;
    Ok(())
}
