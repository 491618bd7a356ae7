"""Stable flag codes shared with the TypeScript side (docs/verifier-sandbox-protocol.md)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Dict, List

PARSE_ERROR = "parse_error"
WRONG_SYMBOL = "wrong_symbol"
EXTRA_TOPLEVEL = "extra_toplevel"
EXIT_CALL = "exit_call"
TEST_FRAMEWORK_ACCESS = "test_framework_access"
INTROSPECTION = "introspection"
FORBIDDEN_IMPORT = "forbidden_import"
ALWAYS_EQUAL = "always_equal"
HARDCODED_EXPECTED = "hardcoded_expected"
SENTINEL_PASSED = "sentinel_passed"
TEST_SET_MISMATCH = "test_set_mismatch"
SKIPPED_NOT_PASSED = "skipped_not_passed"
TIMEOUT = "timeout"
CRASHED = "crashed"
RESOURCE_LIMIT = "resource_limit"


@dataclass(frozen=True)
class Flag:
    """One reason a candidate cannot be rewarded. ``key`` identifies the offending construct
    (a dotted name, a module, a literal) so flags already present in the pristine code can be
    exempted; it is not part of the wire format."""

    code: str
    message: str
    key: str = ""

    def to_json(self) -> Dict[str, str]:
        return {"code": self.code, "message": self.message}


def flags_to_json(flags: List[Flag]) -> List[Dict[str, str]]:
    return [f.to_json() for f in flags]
