//! `ims_image_meta._native`: the Python face of the core. Options become the core's
//! `Rules` once, in `ims_image_meta_adapter` (the one place shared with the
//! WebAssembly binding); every verdict comes from the core; this file only converts
//! between Python and Rust, with no JSON text in between: results are built as Python
//! objects straight from the core's values (`topy`): an accepted request at the call,
//! in one pass while the body is at hand; the rest (warnings, a rejection's
//! violations, messages, problem documents) held by the results (`results`) until
//! asked for.
//!
//! The public names are re-exported by `python/ims_image_meta/__init__.py`, which also
//! defines `ValidationError` (a `ValueError` subclass with fields cannot be a
//! `#[pyclass]` in an abi3 build for CPython 3.9): the native module raises it with one
//! argument, a `Rejection` holding the core's report, and its fields read from that.

#![forbid(unsafe_code)]

mod results;
mod topy;

use std::borrow::Cow;

use results::{rejection, PyAnswer, PyRejection, PyValidated, PyViolation};

use ims_image_meta::Context;
use ims_image_meta_adapter::{
    self as adapter, CatalogSource, ErrorKind, Options, OptionsError, Validator as Compiled,
};
use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBool, PyByteArray, PyBytes, PyInt, PyMemoryView, PyString, PyType};
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

// --- the calls ----------------------------------------------------------------------

fn run_validate(
    py: Python<'_>,
    v: &Compiled,
    body: &Bound<'_, PyAny>,
) -> PyResult<Py<PyValidated>> {
    let bytes = body_bytes(body)?;
    // The request borrows the body's strings; its dict is built before `bytes` goes.
    let verdict = py.detach(|| v.validate(&bytes));
    match verdict {
        Ok(accepted) => Py::new(py, PyValidated::new(py, accepted, v.locale())?),
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

fn run_answer(
    py: Python<'_>,
    v: &Compiled,
    body: &Bound<'_, PyAny>,
    ctx: &Context,
) -> PyResult<Py<PyAnswer>> {
    let bytes = body_bytes(body)?;
    let answer = py.detach(|| v.answer(&bytes, ctx));
    Py::new(py, PyAnswer::new(answer, v.locale()))
}

/// The image of an update as JSON: a ``dict`` (a record, as the service answers it),
/// or its JSON text (``str`` or ``bytes``).
fn image_json(py: Python<'_>, image: &Bound<'_, PyAny>) -> PyResult<Vec<u8>> {
    if image.is_instance_of::<pyo3::types::PyDict>() {
        let value = from_py(py, "image", image)?;
        return serde_json::to_vec(&value)
            .map_err(|e| pyo3::exceptions::PyValueError::new_err(format!("image: {e}")));
    }
    Ok(body_bytes(image)?.to_vec())
}

/// An update (PATCH or a tag call) of `image` at `now`: the updated image as a
/// ``dict``, or ``ValidationError`` with the report (statuses 400, 403, 404, 409, 413,
/// 415). The GIL is released while the core works.
fn run_update<'py>(
    py: Python<'py>,
    v: &Compiled,
    call: adapter::Update<'_>,
    image: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
) -> PyResult<Bound<'py, PyAny>> {
    let image = image_json(py, image)?;
    let now = unix_seconds(py, now)?;
    let answer = py
        .detach(|| v.answer_update(call, &image, now))
        .map_err(options_error)?;
    if let Some(record) = answer.updated_record() {
        return topy::to_py(py, record);
    }
    match answer.into_report() {
        Some(report) => Err(rejection(py, report, v.locale())),
        None => Err(pyo3::exceptions::PyRuntimeError::new_err(
            "an update answer with neither an image nor a report",
        )),
    }
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

    /// ``PATCH /v2/images/{id}`` (SPEC §8): applies the patch document ``body`` (sent
    /// with ``media_type``, v2.1 by default) to ``image`` (a record ``dict`` or its
    /// JSON) at ``now``; the updated image, or ``ValidationError``.
    #[pyo3(signature = (image, body, *, now, media_type = None))]
    fn patch<'py>(
        &self,
        py: Python<'py>,
        image: &Bound<'py, PyAny>,
        body: &Bound<'py, PyAny>,
        now: &Bound<'py, PyAny>,
        media_type: Option<&str>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let body = body_bytes(body)?;
        let media_type = media_type.unwrap_or(adapter::DEFAULT_MEDIA_TYPE);
        run_update(
            py,
            &self.v,
            adapter::Update::Patch {
                media_type,
                body: &body,
            },
            image,
            now,
        )
    }

    /// ``PUT /v2/images/{id}/tags/{tag}``: the image with ``tag``, or ``ValidationError``.
    #[pyo3(signature = (image, tag, *, now))]
    fn add_tag<'py>(
        &self,
        py: Python<'py>,
        image: &Bound<'py, PyAny>,
        tag: &str,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        run_update(py, &self.v, adapter::Update::AddTag(tag), image, now)
    }

    /// ``DELETE /v2/images/{id}/tags/{tag}``: the image without ``tag``, or
    /// ``ValidationError`` (404 ``not_found`` when it has no such tag).
    #[pyo3(signature = (image, tag, *, now))]
    fn remove_tag<'py>(
        &self,
        py: Python<'py>,
        image: &Bound<'py, PyAny>,
        tag: &str,
        now: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        run_update(py, &self.v, adapter::Update::RemoveTag(tag), image, now)
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

/// ``PATCH /v2/images/{id}`` (SPEC §8) with the module's options: see
/// ``Validator.patch``.
#[pyfunction]
#[pyo3(signature = (image, body, *, now, media_type = None, profile = None, rules = None, catalog = None, locale = None))]
#[allow(clippy::too_many_arguments)]
fn patch<'py>(
    py: Python<'py>,
    image: &Bound<'py, PyAny>,
    body: &Bound<'py, PyAny>,
    now: &Bound<'py, PyAny>,
    media_type: Option<&str>,
    profile: Option<&str>,
    rules: Option<&Bound<'py, PyAny>>,
    catalog: Option<&Bound<'py, PyAny>>,
    locale: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = choose(py, profile, rules, catalog, locale, None)?;
    let body = body_bytes(body)?;
    let media_type = media_type.unwrap_or(adapter::DEFAULT_MEDIA_TYPE);
    run_update(
        py,
        v.get(),
        adapter::Update::Patch {
            media_type,
            body: &body,
        },
        image,
        now,
    )
}

/// ``PUT /v2/images/{id}/tags/{tag}`` with the module's options: see
/// ``Validator.add_tag``.
#[pyfunction]
#[pyo3(signature = (image, tag, *, now, profile = None, rules = None, catalog = None, locale = None))]
#[allow(clippy::too_many_arguments)]
fn add_tag<'py>(
    py: Python<'py>,
    image: &Bound<'py, PyAny>,
    tag: &str,
    now: &Bound<'py, PyAny>,
    profile: Option<&str>,
    rules: Option<&Bound<'py, PyAny>>,
    catalog: Option<&Bound<'py, PyAny>>,
    locale: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = choose(py, profile, rules, catalog, locale, None)?;
    run_update(py, v.get(), adapter::Update::AddTag(tag), image, now)
}

/// ``DELETE /v2/images/{id}/tags/{tag}`` with the module's options: see
/// ``Validator.remove_tag``.
#[pyfunction]
#[pyo3(signature = (image, tag, *, now, profile = None, rules = None, catalog = None, locale = None))]
#[allow(clippy::too_many_arguments)]
fn remove_tag<'py>(
    py: Python<'py>,
    image: &Bound<'py, PyAny>,
    tag: &str,
    now: &Bound<'py, PyAny>,
    profile: Option<&str>,
    rules: Option<&Bound<'py, PyAny>>,
    catalog: Option<&Bound<'py, PyAny>>,
    locale: Option<&str>,
) -> PyResult<Bound<'py, PyAny>> {
    let v = choose(py, profile, rules, catalog, locale, None)?;
    run_update(py, v.get(), adapter::Update::RemoveTag(tag), image, now)
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

/// For the tests: the accepted request of `body` (default options) as the core's own
/// JSON (serde_json), to set beside the dict the binding builds. ``None`` for a
/// rejected body. Not public API.
#[pyfunction]
fn _request_json(body: &Bound<'_, PyAny>) -> PyResult<Option<String>> {
    let bytes = body_bytes(body)?;
    Ok(Compiled::default_ref()
        .validate(&bytes)
        .ok()
        .and_then(|ok| serde_json::to_string(&ok.request).ok()))
}

/// The native half of ``ims_image_meta``; import the package, not this module.
#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(validate, m)?)?;
    m.add_function(wrap_pyfunction!(derive, m)?)?;
    m.add_function(wrap_pyfunction!(answer, m)?)?;
    m.add_function(wrap_pyfunction!(patch, m)?)?;
    m.add_function(wrap_pyfunction!(add_tag, m)?)?;
    m.add_function(wrap_pyfunction!(remove_tag, m)?)?;
    m.add_function(wrap_pyfunction!(request_schema, m)?)?;
    m.add_function(wrap_pyfunction!(record_schema, m)?)?;
    m.add_function(wrap_pyfunction!(_request_json, m)?)?;
    m.add_class::<PyValidator>()?;
    m.add_class::<PyValidated>()?;
    m.add_class::<PyRejection>()?;
    m.add_class::<PyViolation>()?;
    m.add_class::<PyAnswer>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    m.add("PROFILES", adapter::PROFILES.to_vec())?;
    m.add("LOCALES", adapter::LOCALES.to_vec())?;
    m.add("FORMATS", adapter::FORMATS.to_vec())?;
    Ok(())
}
