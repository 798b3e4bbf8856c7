"""Type stubs of ``ims_image_meta`` (the functions live in the native module)."""

from datetime import datetime
from typing import (
    Any,
    Dict,
    Iterator,
    List,
    Literal,
    Mapping,
    Optional,
    Sequence,
    TypedDict,
    Union,
    overload,
)

__version__: str
PROFILES: List[str]
"""The profile names of SPEC section 7: ``ims-2022`` (default), ``huaweicloud``, ``otc``."""
LOCALES: List[str]
"""The message locales of the contract: ``en`` (default), ``zh-CN``."""
FORMATS: List[str]
"""The shapes of a rendered report (``answer``): ``glance`` (default), ``ims``, ``problem``."""

Body = Union[bytes, bytearray, memoryview, str]
Profile = Union[Literal["ims-2022", "huaweicloud", "otc"], str]
Locale = Union[Literal["en", "zh-CN"], str]
Format = Union[Literal["glance", "ims", "problem"], str]
Rules = Union[Mapping[str, Any], str]
"""Knob overrides: a JSON object (dict or JSON text) with every knob of the core's
rules file by name (``max_body_bytes``, ``name_max_chars``, ``name_charset``,
``min_disk_linux``, ``min_disk_windows``, ``disk_formats``, ``default_disk_format``,
``max_tags``, ``max_properties``, ``property_value_max_bytes``, ``min_ram_max``, ``max_violations``,
``allow_four_byte_unicode``, ``allow_unknown_os_version``, ``quote_input``,
``refuse_near_miss_keys``, ``default_os_version``, ``profile``, ``description``; see the
core's ``Rules::from_json``), starting from ``profile``; ``{"min_disk_range": [lo,
hi]}`` sets both ``min_disk`` ranges. An unknown knob is a ``ValueError``."""
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

class Validated(Mapping[str, Any]):
    """An accepted body: a read-only mapping with the keys ``request`` (a dict built
    in one pass from the core's request at the call) and ``warnings`` (built when
    first read, then kept)."""

    @property
    def request(self) -> Dict[str, Any]:
        """The accepted request, every default filled in (the core's key order)."""
    @property
    def warnings(self) -> List[WarningDict]:
        """The warnings of the defaults taken."""
    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> Dict[str, Any]:
        """``{"request": ..., "warnings": ...}`` as a plain dict."""

class Answer:
    """The whole answer to a create body, by the core's one road."""

    @property
    def status(self) -> int: ...
    @property
    def content_type(self) -> str: ...
    @property
    def body(self) -> bytes: ...
    @property
    def warnings(self) -> List[WarningDict]: ...

class Violation(Mapping[str, Any]):
    """One violation of a rejection: a light read-only mapping with the keys
    ``pointer``, ``code``, ``message``, ``ims_code`` and ``params``, each value made
    from the core's report when read. Equal to the dict of its items; pickles as one."""

    def __getitem__(self, key: str) -> Any: ...
    def __iter__(self) -> Iterator[str]: ...
    def __len__(self) -> int: ...
    def to_dict(self) -> ViolationDict:
        """The violation as a plain dict (a fresh copy)."""

class Rejection:
    """The core's report of a rejected body, the argument of a raised
    ``ValidationError``; rendered when read."""

    @property
    def status(self) -> int: ...
    @property
    def summary(self) -> str: ...
    @property
    def violations(self) -> List[Violation]: ...
    def problem(self) -> Dict[str, Any]: ...

class ValidationError(ValueError):
    """A rejected body: ``status`` (400, 403 or 413), ``violations``, ``to_problem()``.

    Raised with one argument (a ``Rejection``); built by hand with four."""

    @property
    def status(self) -> int: ...
    @property
    def violations(self) -> List[Union[Violation, ViolationDict]]:
        """``Violation`` mappings (raised by the core), or the dicts given by hand."""
    @overload
    def __init__(self, rejection: Rejection) -> None: ...
    @overload
    def __init__(
        self,
        message: str,
        status: int,
        violations: List[ViolationDict],
        problem: Dict[str, Any],
    ) -> None: ...
    def to_problem(self) -> Dict[str, Any]:
        """RFC 9457 problem details: type, title, status, detail, errors, ims_code."""

class Validator:
    """Options compiled once, for many calls; immutable and safe to share between
    threads."""

    def __init__(
        self,
        *,
        profile: Profile = "ims-2022",
        rules: Optional[Rules] = None,
        catalog: Optional[CatalogSource] = None,
        locale: Locale = "en",
        format: Format = "glance",
    ) -> None: ...
    @property
    def profile(self) -> str: ...
    @property
    def locale(self) -> str: ...
    @property
    def format(self) -> str: ...
    def answer(self, body: Body, *, image_id: str, owner: str, now: Union[int, datetime]) -> Answer:
        """The core's one road: status, media type and bytes (record or report)."""
    def validate(self, body: Body) -> Validated:
        """Validates a create body. Raises ``ValidationError``. Releases the GIL."""
    def patch(self, image: Image, body: Body, *, now: Union[int, datetime], media_type: Optional[str] = None) -> Dict[str, Any]:
        """PATCH /v2/images/{id}: the updated image. Raises ``ValidationError``."""
    def add_tag(self, image: Image, tag: str, *, now: Union[int, datetime]) -> Dict[str, Any]:
        """PUT /v2/images/{id}/tags/{tag}: the image with the tag."""
    def remove_tag(self, image: Image, tag: str, *, now: Union[int, datetime]) -> Dict[str, Any]:
        """DELETE /v2/images/{id}/tags/{tag}: the image without the tag."""
    def derive(self, body: Body, *, image_id: str, owner: str, now: Union[int, datetime]) -> Dict[str, Any]:
        """Validates a create body and returns the derived record (the 201 body)."""
    def request_schema(self) -> Dict[str, Any]:
        """The JSON Schema of a create body under these options."""

def validate(
    body: Body,
    *,
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Validated:
    """Validates a create body: a ``Validated`` mapping (``request``, ``warnings``).

    Raises ``ValidationError`` for a rejected body and ``ValueError`` for invalid
    options. Releases the GIL while the core validates. Default options (or only a
    profile and a locale) use a kept ``Validator``."""

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

def answer(
    body: Body,
    *,
    image_id: str,
    owner: str,
    now: Union[int, datetime],
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
    format: Format = "glance",
) -> Answer:
    """The whole answer a server sends: status, media type and bytes."""

Image = Union[Dict[str, Any], str, bytes]

def patch(
    image: Image,
    body: Body,
    *,
    now: Union[int, datetime],
    media_type: Optional[str] = None,
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Dict[str, Any]:
    """PATCH /v2/images/{id} (SPEC §8): the updated image, or ``ValidationError``
    (400, 403, 409, 413, 415). ``media_type`` defaults to the v2.1 JSON-patch type."""

def add_tag(
    image: Image,
    tag: str,
    *,
    now: Union[int, datetime],
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Dict[str, Any]:
    """PUT /v2/images/{id}/tags/{tag}: the image with ``tag``."""

def remove_tag(
    image: Image,
    tag: str,
    *,
    now: Union[int, datetime],
    profile: Profile = "ims-2022",
    rules: Optional[Rules] = None,
    catalog: Optional[CatalogSource] = None,
    locale: Locale = "en",
) -> Dict[str, Any]:
    """DELETE /v2/images/{id}/tags/{tag}: the image without ``tag`` (404 when absent)."""

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
