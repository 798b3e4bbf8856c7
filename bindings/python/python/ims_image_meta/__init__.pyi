"""Type stubs of ``ims_image_meta`` (the functions live in the native module)."""

from datetime import datetime
from typing import Any, Dict, List, Literal, Mapping, Optional, Sequence, TypedDict, Union

__version__: str
PROFILES: List[str]
"""The profile names of SPEC section 7: ``ims-2022`` (default), ``huaweicloud``, ``otc``."""
LOCALES: List[str]
"""The message locales of the contract: ``en`` (default), ``zh-CN``."""

Body = Union[bytes, bytearray, str]
Profile = Union[Literal["ims-2022", "huaweicloud", "otc"], str]
Locale = Union[Literal["en", "zh-CN"], str]
Rules = Union[Mapping[str, Any], str]
"""Knob overrides: a JSON object (dict or JSON text) with the core's knobs by name
(``max_tags``, ``min_disk_linux``, ``quote_input``, …; see the core's
``Rules::from_json``), starting from ``profile``; ``{"min_disk_range": [lo, hi]}`` sets
both ``min_disk`` ranges. An unknown knob is a ``ValueError``."""
CatalogSource = Union[str, bytes]
"""``str``: CSV in the format of the core's ``data/os_versions.csv``;
``bytes``: the JSON of IMS's OS-version listing."""

class WarningDict(TypedDict):
    pointer: str
    code: str
    message: str

class ViolationDict(TypedDict):
    pointer: str
    code: str
    message: str
    ims_code: Optional[str]
    params: Dict[str, Any]

class Validated(TypedDict):
    request: Dict[str, Any]
    warnings: List[WarningDict]

class ValidationError(ValueError):
    """A rejected body: ``status`` (400, 403 or 413), ``violations``, ``to_problem()``."""

    status: int
    violations: List[ViolationDict]
    def __init__(
        self,
        message: str,
        status: int,
        violations: List[ViolationDict],
        problem: Dict[str, Any],
    ) -> None: ...
    def to_problem(self) -> Dict[str, Any]:
        """RFC 9457 problem details: type, title, status, detail, errors, ims_code."""

def validate(
    body: Body,
    *,
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Validated:
    """Validates a create body: ``{"request": {...}, "warnings": [...]}``.

    Raises ``ValidationError`` for a rejected body and ``ValueError`` for invalid
    options. Releases the GIL while the core validates."""

def derive(
    body: Body,
    *,
    image_id: str,
    owner: str,
    now: Union[int, datetime],
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Dict[str, Any]:
    """Validates a create body and returns the derived record (the 201 body).

    ``now`` is an ``int`` of Unix seconds or a timezone-aware ``datetime``."""

def request_schema(
    *,
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
) -> Dict[str, Any]:
    """The JSON Schema of a create body under a profile."""

def record_schema() -> Dict[str, Any]:
    """The JSON Schema of the derived record."""

__all__: Sequence[str]
