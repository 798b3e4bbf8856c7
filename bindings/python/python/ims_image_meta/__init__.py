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
from collections.abc import Mapping
from typing import Any, Dict, List, Optional

from ._native import Rejection, Validated, Violation


class ValidationError(ValueError):
    """A rejected body: the HTTP status and every violation the core found.

    ``status`` is 400, 403 or 413. ``violations`` is a list of read-only mappings
    (``Violation``, each equal to the dict of its items; ``to_dict()`` gives that dict)
    with the keys ``pointer`` (an RFC 6901 JSON Pointer into the body), ``code`` (a
    stable snake_case code), ``message``, ``ims_code`` (the IMS error code, or
    ``None``) and ``params``, each value made when read.
    ``to_problem()`` renders the rejection as RFC 9457 problem details.

    Raised by the native module with one argument, the core's report (a
    ``Rejection``): the message, the violations and the problem are rendered from it
    when first read, so a rejection costs what its verdict does. Built by hand as
    ``ValidationError(message, status, violations, problem)``, it holds those. It
    holds data only, no rule.
    """

    # No __init__: BaseException's keeps the arguments in ``args``, and the fields
    # below read them.

    @property
    def _native(self) -> Optional[Rejection]:
        a = self.args
        return a[0] if len(a) == 1 and type(a[0]) is Rejection else None

    @property
    def status(self) -> int:
        n = self._native
        return n.status if n is not None else self.args[1]

    @property
    def violations(self) -> List[Mapping[str, Any]]:
        # `_native` spelt out: this is the read a caller makes most.
        a = self.args
        if len(a) == 1 and type(a[0]) is Rejection:
            return a[0].violations
        return a[2]

    def to_problem(self) -> Dict[str, Any]:
        """The rejection as an RFC 9457 problem details dict (a fresh copy), ready to be
        sent as ``application/problem+json``: ``type``, ``title``, ``status``,
        ``detail``, ``errors`` (one per violation: ``pointer``, ``code``, ``detail``,
        ``params``) and ``ims_code``."""
        n = self._native
        return n.problem() if n is not None else copy.deepcopy(self.args[3])

    def __str__(self) -> str:
        n = self._native
        return n.summary if n is not None else str(self.args[0])

    def __reduce__(self):  # keeps the fields through pickle (multiprocessing)
        return (
            type(self),
            (str(self), self.status, self.violations, self.to_problem()),
        )


from ._native import (  # noqa: E402  (ValidationError must exist first)
    FORMATS,
    LOCALES,
    PROFILES,
    Answer,
    Validator,
    add_tag,
    answer,
    __version__,
    derive,
    patch,
    record_schema,
    remove_tag,
    request_schema,
    validate,
)

# A Validated result is a read-only mapping (request, warnings).
Mapping.register(Validated)
# So is each violation of a rejection (pointer, code, message, ims_code, params).
Mapping.register(Violation)

__all__ = [
    "FORMATS",
    "LOCALES",
    "PROFILES",
    "Answer",
    "Rejection",
    "Validated",
    "ValidationError",
    "Validator",
    "Violation",
    "__version__",
    "add_tag",
    "answer",
    "derive",
    "patch",
    "record_schema",
    "remove_tag",
    "request_schema",
    "validate",
]
