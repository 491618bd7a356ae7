"""The protocol schema, the shared fixtures and the worker's request loop (in-memory streams)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rlvr_worker import errors
from rlvr_worker.ops import build_handlers
from rlvr_worker.protocol import Protocol, find_schema_path

FIXTURES = Path(__file__).resolve().parents[3] / "shared" / "protocol" / "fixtures"


@pytest.fixture(scope="module")
def protocol() -> Protocol:
    return Protocol.load()


def _cases(name: str) -> list[dict[str, Any]]:
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))["cases"]


def _errors(protocol: Protocol, case: dict[str, Any]) -> list[dict[str, str]]:
    if case["kind"] == "frame":
        return protocol.frame_errors(case["value"])
    if case["kind"] == "params":
        return protocol.params_errors(case["op"], case["value"])
    return protocol.result_errors(case["op"], case["value"])


@pytest.mark.parametrize("case", _cases("valid.json"), ids=lambda c: c["name"])
def test_valid_fixture_passes(protocol: Protocol, case: dict[str, Any]) -> None:
    assert _errors(protocol, case) == []


@pytest.mark.parametrize("case", _cases("invalid.json"), ids=lambda c: c["name"])
def test_invalid_fixture_fails_at_the_named_path(protocol: Protocol, case: dict[str, Any]) -> None:
    found = _errors(protocol, case)
    assert found, f"{case['name']} was accepted"
    assert found[0]["path"] == case["path"], found


def test_fixtures_cover_every_op_and_frame_type(protocol: Protocol) -> None:
    valid = _cases("valid.json")
    for op in protocol.ops:
        assert any(c["kind"] == "params" and c["op"] == op for c in valid), f"no valid params fixture for {op}"
        assert any(c["kind"] == "result" and c["op"] == op for c in valid), f"no valid result fixture for {op}"
    frame_types = {c["value"]["type"] for c in valid if c["kind"] == "frame"}
    for direction in protocol.schema["x-frames"].values():
        assert set(direction) <= frame_types


def test_schema_and_python_agree_on_codes_ops_and_version(protocol: Protocol) -> None:
    assert protocol.error_codes == errors.ERROR_CODES
    assert set(protocol.ops) == set(build_handlers())
    assert protocol.version == 2
    assert find_schema_path().name == "worker-protocol.schema.json"


def test_worker_error_rejects_codes_outside_the_protocol() -> None:
    with pytest.raises(ValueError, match="unknown worker error code"):
        errors.WorkerError("oops", "x")
    assert errors.Cancelled().to_payload()["code"] == "cancelled"


def test_invalid_params_names_the_field(protocol: Protocol) -> None:
    with pytest.raises(errors.WorkerError) as raised:
        protocol.check_params("score", {"sequences": [{"prompt_token_ids": [1], "completion_token_ids": ["x"]}],
                                        "temperature": 1.0})
    assert raised.value.code == "invalid_params"
    assert raised.value.data is not None
    assert raised.value.data["path"] == "$.sequences[0].completion_token_ids[0]"
    assert "$.sequences[0].completion_token_ids[0]" in raised.value.message
