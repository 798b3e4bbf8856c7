"""Validate and derive Huawei Cloud IMS ``POST /v2/images`` bodies (Glance-compatible).

Every verdict comes from the ``ims-image-meta`` Rust core (the same code as the Rust
crate and the WebAssembly module); this package only converts between Python and Rust.

>>> import ims_image_meta
>>> ims_image_meta.validate(b'{"name": "a", "__os_version": "Ubuntu 14.04 server 64bit"}')["request"]["min_disk"]
40
>>> try:
...     ims_image_meta.validate('{"min_disk": 1}')
... except ims_image_meta.ValidationError as e:
...     print(e.status, [(v["pointer"], v["code"]) for v in e.violations])
400 [('/min_disk', 'out_of_range')]
"""

from __future__ import annotations

import copy
from typing import Any, Dict, List


class ValidationError(ValueError):
    """A rejected body: the HTTP status and every violation the core found.

    ``status`` is 400, 403 or 413. ``violations`` is a list of dicts with the keys
    ``pointer`` (an RFC 6901 JSON Pointer into the body), ``code`` (a stable snake_case
    code), ``message``, ``ims_code`` (the IMS error code, or ``None``) and ``params``.
    ``to_problem()`` renders the rejection as RFC 9457 problem details.

    Raised by the native module; it holds data only, no rule.
    """

    status: int
    violations: List[Dict[str, Any]]

    def __init__(
        self,
        message: str,
        status: int,
        violations: List[Dict[str, Any]],
        problem: Dict[str, Any],
    ) -> None:
        super().__init__(message)
        self.status = status
        self.violations = violations
        self._problem = problem

    def to_problem(self) -> Dict[str, Any]:
        """The rejection as an RFC 9457 problem details dict (a fresh copy), ready to be
        sent as ``application/problem+json``: ``type``, ``title``, ``status``,
        ``detail``, ``errors`` (one per violation: ``pointer``, ``code``, ``detail``,
        ``params``) and ``ims_code``."""
        return copy.deepcopy(self._problem)

    def __reduce__(self):  # keeps the fields through pickle (multiprocessing)
        return (
            type(self),
            (str(self), self.status, self.violations, self._problem),
        )


from ._native import (  # noqa: E402  (ValidationError must exist first)
    LOCALES,
    PROFILES,
    __version__,
    derive,
    record_schema,
    request_schema,
    validate,
)

__all__ = [
    "LOCALES",
    "PROFILES",
    "ValidationError",
    "__version__",
    "derive",
    "record_schema",
    "request_schema",
    "validate",
]
