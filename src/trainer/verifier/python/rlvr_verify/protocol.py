"""``serve`` requests: parsing and validation at the process boundary."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Dict, List, Tuple

from .limits import Limits

DEFAULT_TIMEOUT_S = 10.0
MAX_TIMEOUT_S = 600.0


class RequestError(ValueError):
    """A malformed request (a bug on the calling side, never the candidate's fault)."""


@dataclass(frozen=True)
class Request:
    id: Any
    file: str
    symbol: str
    candidate: str
    tests: Tuple[str, ...]
    sentinel: str
    timeout_s: float
    limits: Limits
    expected_literals: Tuple[str, ...] = ()
    held_out_tests: Tuple[str, ...] = ()
    skip_static_checks: bool = False   # tests and benchmarks of the runtime wall only


_KNOWN = {"id", "file", "symbol", "candidate", "tests", "sentinel", "timeout_s", "limits",
          "expected_literals", "held_out_tests", "skip_static_checks", "type"}


def parse_request(obj: Any) -> Request:
    if not isinstance(obj, dict):
        raise RequestError(f"request must be a JSON object, got {type(obj).__name__}")
    unknown = set(obj) - _KNOWN
    if unknown:
        raise RequestError(f"unknown request fields {sorted(unknown)}; known: {sorted(_KNOWN)}")
    for key in ("file", "symbol", "candidate", "sentinel"):
        if not isinstance(obj.get(key), str) or (key != "candidate" and not obj[key]):
            raise RequestError(f"request field {key!r} must be a non-empty string, got {obj.get(key)!r}")
    if obj["file"].startswith("/") or ".." in obj["file"].split("/"):
        raise RequestError(f"file must be workspace-relative without '..', got {obj['file']!r}")
    sentinel = obj["sentinel"]
    if not (sentinel.isidentifier() and sentinel.startswith("test")):
        raise RequestError(f"sentinel must be an identifier starting with 'test', got {sentinel!r}")
    tests = _string_list(obj, "tests", required=True)
    if len(set(tests)) != len(tests):
        raise RequestError("request field 'tests' lists a test id twice")
    timeout = obj.get("timeout_s", DEFAULT_TIMEOUT_S)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or not 0 < timeout <= MAX_TIMEOUT_S:
        raise RequestError(f"timeout_s must be a number in (0, {MAX_TIMEOUT_S}], got {timeout!r}")
    limits_obj = obj.get("limits", {})
    if not isinstance(limits_obj, dict):
        raise RequestError(f"limits must be an object, got {limits_obj!r}")
    try:
        limits = Limits.from_json(limits_obj, default_cpu=int(math.ceil(timeout)) + 1)
    except ValueError as exc:
        raise RequestError(str(exc)) from exc
    skip = obj.get("skip_static_checks", False)
    if not isinstance(skip, bool):
        raise RequestError(f"skip_static_checks must be a boolean, got {skip!r}")
    return Request(obj.get("id"), obj["file"], obj["symbol"], obj["candidate"], tuple(tests), sentinel,
                   float(timeout), limits, tuple(_string_list(obj, "expected_literals")),
                   tuple(_string_list(obj, "held_out_tests")), skip)


def _string_list(obj: Dict[str, Any], key: str, required: bool = False) -> List[str]:
    value = obj.get(key)
    if value is None and not required:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value) \
            or (required and not value):
        raise RequestError(f"request field {key!r} must be a {'non-empty ' if required else ''}"
                           f"list of non-empty strings, got {value!r}")
    return value
