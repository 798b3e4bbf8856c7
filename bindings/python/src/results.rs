//! The results a call hands to Python: `Validated` (an accepted body: its request
//! dict built at the call), `Rejection` (the argument of a raised `ValidationError`),
//! its `Violation`s (light mappings over the report) and `Answer` (the core's one
//! road). Each holds the core's value and builds Python objects from it when read.

use std::sync::Arc;

use ims_image_meta::warning::Warnings;
use ims_image_meta::{Answer, Locale, Report, Validated, Violation};
use pyo3::exceptions::{PyIndexError, PyKeyError, PyRuntimeError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple, PyType};

use crate::topy;

/// The value of `cell`, made by `make` when it has none: made with the GIL held and
/// then set, where `PyOnceLock::get_or_init` releases the GIL around its lock (a
/// profile of reading a rejection's violations put a tenth of the read there). Two
/// threads may both make it; the first set is kept, and both return that one.
fn once<'a, T>(
    py: Python<'_>,
    cell: &'a PyOnceLock<T>,
    make: impl FnOnce() -> PyResult<T>,
) -> PyResult<&'a T> {
    if let Some(v) = cell.get(py) {
        return Ok(v);
    }
    // A value another thread set first is kept; this one is dropped.
    let _ = cell.set(py, make()?);
    cell.get(py)
        .ok_or_else(|| PyRuntimeError::new_err("a kept value was not kept"))
}

/// An accepted body: a read-only mapping with the keys ``request`` (the request with
/// every default filled in, a ``dict`` in the core's key order, built in one pass from
/// the core's typed request while the body is at hand, as pydantic builds a model) and
/// ``warnings`` (a ``list`` of ``{"pointer", "code", "message", "params"}``, built on
/// first access, its messages rendered then, and kept).
#[pyclass(frozen, module = "ims_image_meta", name = "Validated")]
pub(crate) struct PyValidated {
    request: Py<PyAny>,
    warned: Warnings,
    locale: Locale,
    warnings: PyOnceLock<Py<PyAny>>,
}

static VALIDATED_KEYS: topy::Names<2> = topy::Names::new(["request", "warnings"]);
/// A violation's keys, as this binding shows them.
static VIOLATION_KEYS: topy::Names<5> = topy::Names::new(topy::VIOLATION_KEYS);

impl PyValidated {
    /// An accepted body's result: the request made a ``dict`` now (no copy of the
    /// body's strings into Rust first), the warnings when read.
    pub(crate) fn new(py: Python<'_>, accepted: Validated<'_>, locale: Locale) -> PyResult<Self> {
        Ok(PyValidated {
            request: topy::to_py(py, &accepted.request)?.unbind(),
            warned: accepted.warnings,
            locale,
            warnings: PyOnceLock::new(),
        })
    }

    fn request<'py>(&self, py: Python<'py>) -> &Bound<'py, PyAny> {
        self.request.bind(py)
    }

    fn warnings<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyAny>> {
        let locale = self.locale;
        once(py, &self.warnings, || {
            let list = PyList::empty(py);
            for w in self.warned.iter() {
                list.append(topy::to_py(py, &w.localized(locale))?)?;
            }
            Ok(list.into_any().unbind())
        })
        .map(|v| v.bind(py))
    }

    fn as_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let d = PyDict::new(py);
        d.set_item("request", self.request(py))?;
        d.set_item("warnings", self.warnings(py)?)?;
        Ok(d)
    }
}

#[pymethods]
impl PyValidated {
    /// The accepted request: a ``dict`` with every default filled in.
    #[getter(request)]
    fn get_request<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        Ok(self.request(py).clone())
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
        match VALIDATED_KEYS.which(key)? {
            Some(0) => self.get_request(py),
            Some(_) => self.get_warnings(py),
            _ => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(VALIDATED_KEYS.which(key)?.is_some())
    }

    fn __len__(&self) -> usize {
        VALIDATED_KEYS.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        PyTuple::new(py, VALIDATED_KEYS.strings(py))?
            .try_iter()
            .map(Bound::into_any)
    }

    /// ``("request", "warnings")``.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, VALIDATED_KEYS.strings(py))
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
pub(crate) struct PyRejection {
    /// Shared with its violations (no reference from them back to this object, so no
    /// cycle for the garbage collector to find).
    report: Arc<Report>,
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
    fn summary<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyString>> {
        once(py, &self.summary, || {
            Ok(PyString::new(py, &self.report.to_string()).unbind())
        })
        .map(|s| s.bind(py).clone())
    }

    /// ``[Violation]``: one light mapping per violation, ``{"pointer", "code",
    /// "message", "ims_code", "params"}``, each value made when read (the message in
    /// the validator's locale). The list is built once, then the same list.
    #[getter]
    fn violations<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        once(py, &self.violations, || {
            let n = self.report.violations().len();
            let mut items = Vec::with_capacity(n);
            for index in 0..n {
                items.push(Py::new(
                    py,
                    PyViolation {
                        report: Arc::clone(&self.report),
                        locale: self.locale,
                        index,
                        whole: PyOnceLock::new(),
                    },
                )?);
            }
            Ok(PyList::new(py, items)?.into_any().unbind())
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

/// One violation of a rejection, as a light read-only mapping with the keys
/// ``pointer``, ``code``, ``message``, ``ims_code`` and ``params``: it holds its
/// rejection and its place there, and makes each value when read (the message in the
/// validator's locale, by the core). It equals the ``dict`` of the same items, and
/// pickles as one.
#[pyclass(frozen, module = "ims_image_meta", name = "Violation")]
pub(crate) struct PyViolation {
    report: Arc<Report>,
    locale: Locale,
    index: usize,
    /// The whole violation as a ``dict`` (the core's serialization), once built.
    whole: PyOnceLock<Py<PyDict>>,
}

impl PyViolation {
    fn with<R>(&self, f: impl FnOnce(&Violation, Locale) -> R) -> PyResult<R> {
        self.report
            .violations()
            .get(self.index)
            .map(|v| f(v, self.locale))
            .ok_or_else(|| PyIndexError::new_err("a violation out of its report"))
    }

    /// The violation as the core serializes it, with its message in the locale: built
    /// once (for ``params``, whose key order is the core's, and the whole mapping).
    fn whole<'py>(&self, py: Python<'py>) -> PyResult<&Bound<'py, PyDict>> {
        once(py, &self.whole, || {
            let d = self.with(|v, locale| topy::to_py(py, &v.localized(locale)))??;
            Ok(d.cast_into::<PyDict>()?.unbind())
        })
        .map(|d| d.bind(py))
    }

    /// The value of the key at `index` of [`VIOLATION_KEYS`].
    fn value<'py>(&self, py: Python<'py>, index: usize) -> PyResult<Bound<'py, PyAny>> {
        match index {
            0 => self.with(|v, _| PyString::new(py, v.pointer()).into_any()),
            1 => self.with(|v, _| topy::map_key(py, v.code().as_str()).into_any()),
            2 if self.whole.get(py).is_none() => {
                self.with(|v, l| PyString::new(py, &v.message_in(l)).into_any())
            }
            3 => self
                .with(|v, _| v.ims_code().into_pyobject(py).map(Bound::into_any))?
                .map_err(|e| match e {}),
            _ => {
                let key = VIOLATION_KEYS.strings(py);
                let key = key.get(index).ok_or_else(|| PyIndexError::new_err(index))?;
                self.whole(py)?
                    .get_item(key)?
                    .ok_or_else(|| PyKeyError::new_err(key.clone().unbind()))
            }
        }
    }
}

#[pymethods]
impl PyViolation {
    fn __getitem__<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match VIOLATION_KEYS.which(key)? {
            Some(k) => self.value(py, k),
            None => Err(PyKeyError::new_err(key.clone().unbind())),
        }
    }

    fn __contains__(&self, key: &Bound<'_, PyAny>) -> PyResult<bool> {
        Ok(VIOLATION_KEYS.which(key)?.is_some())
    }

    fn __len__(&self) -> usize {
        topy::VIOLATION_KEYS.len()
    }

    fn __iter__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        self.keys(py)?.try_iter().map(Bound::into_any)
    }

    /// ``("pointer", "code", "message", "ims_code", "params")``.
    fn keys<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyTuple>> {
        PyTuple::new(py, VIOLATION_KEYS.strings(py))
    }

    /// The values, in the order of the keys.
    fn values<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.whole(py)?.values().pipe_ok()
    }

    /// ``(key, value)`` pairs, in the order of the keys.
    fn items<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        self.whole(py)?.items().pipe_ok()
    }

    /// The value of ``key``, or ``default``.
    #[pyo3(signature = (key, default = None))]
    fn get<'py>(
        &self,
        py: Python<'py>,
        key: &Bound<'py, PyAny>,
        default: Option<Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        match VIOLATION_KEYS.which(key)? {
            Some(k) => self.value(py, k),
            None => Ok(default.unwrap_or_else(|| py.None().into_bound(py))),
        }
    }

    /// The violation as a plain ``dict`` (a fresh copy).
    fn to_dict<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        self.whole(py)?.copy()
    }

    fn __eq__<'py>(&self, py: Python<'py>, other: &Bound<'py, PyAny>) -> PyResult<bool> {
        let mine = self.whole(py)?;
        if let Ok(o) = other.cast::<PyViolation>() {
            return mine.eq(o.get().whole(py)?);
        }
        mine.eq(other)
    }

    fn __repr__(&self, py: Python<'_>) -> PyResult<String> {
        Ok(self.whole(py)?.repr()?.to_string())
    }

    fn __reduce__<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyAny>> {
        // Pickles as the plain dict it shows.
        (py.get_type::<PyDict>(), (self.to_dict(py)?,))
            .into_pyobject(py)
            .map(Bound::into_any)
    }
}

/// `Ok` of a value, for a chain that ends in one.
trait PipeOk: Sized {
    fn pipe_ok(self) -> PyResult<Self> {
        Ok(self)
    }
}

impl<T> PipeOk for Bound<'_, T> {}

/// `ims_image_meta.ValidationError(Rejection)`, ready to raise.
pub(crate) fn rejection(py: Python<'_>, report: Report, locale: Locale) -> PyErr {
    static CLASS: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    let make = || -> PyResult<PyErr> {
        let class = CLASS.import(py, "ims_image_meta", "ValidationError")?;
        let r = Py::new(
            py,
            PyRejection {
                report: Arc::new(report),
                locale,
                summary: PyOnceLock::new(),
                violations: PyOnceLock::new(),
            },
        )?;
        Ok(PyErr::from_type(class.clone(), (r,)))
    };
    make().unwrap_or_else(|e| e)
}

/// The whole answer to a create body, by the core's one road: ``status`` (201, or 400,
/// 403, 413), ``content_type`` (``application/json`` or ``application/problem+json``),
/// ``body`` (``bytes``: the 201 record, or the report rendered in the validator's
/// format and locale, by the core's byte writers) and ``warnings`` (of an accepted
/// body).
#[pyclass(frozen, module = "ims_image_meta", name = "Answer")]
pub(crate) struct PyAnswer {
    answer: Answer,
    locale: Locale,
    body: PyOnceLock<Py<PyBytes>>,
}

impl PyAnswer {
    /// The core's answer, its bytes not yet made a Python object.
    pub(crate) fn new(answer: Answer, locale: Locale) -> Self {
        PyAnswer {
            answer,
            locale,
            body: PyOnceLock::new(),
        }
    }
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
    fn body<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyBytes>> {
        once(py, &self.body, || {
            Ok(PyBytes::new(py, self.answer.body()).unbind())
        })
        .map(|b| b.bind(py).clone())
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
