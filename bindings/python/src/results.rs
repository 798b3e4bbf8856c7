//! The results a call hands to Python: `Validated` (an accepted body), `Rejection` (the
//! argument of a raised `ValidationError`) and `Answer` (the core's one road). Each
//! holds the core's value and builds Python objects from it when first read.

use ims_image_meta::{Answer, Locale, Report, Validated};
use pyo3::exceptions::PyKeyError;
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{PyBytes, PyDict, PyList, PyString, PyTuple, PyType};

use crate::topy;

/// An accepted body: a read-only mapping with the keys ``request`` (the request with
/// every default filled in, a ``dict`` in the core's key order) and ``warnings`` (a
/// ``list`` of ``{"pointer", "code", "message", "params"}``). Both are built on first
/// access, from the core's values, and kept.
#[pyclass(frozen, module = "ims_image_meta", name = "Validated")]
pub(crate) struct PyValidated {
    inner: Validated<'static>,
    locale: Locale,
    request: PyOnceLock<Py<PyAny>>,
    warnings: PyOnceLock<Py<PyAny>>,
}

const VALIDATED_KEYS: [&str; 2] = ["request", "warnings"];

impl PyValidated {
    /// An accepted body's result, nothing built yet.
    pub(crate) fn new(inner: Validated<'static>, locale: Locale) -> Self {
        PyValidated {
            inner,
            locale,
            request: PyOnceLock::new(),
            warnings: PyOnceLock::new(),
        }
    }

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
pub(crate) struct PyRejection {
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

/// `ims_image_meta.ValidationError(Rejection)`, ready to raise.
pub(crate) fn rejection(py: Python<'_>, report: Report, locale: Locale) -> PyErr {
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
