"""Typed errors that travel to the host as ``error`` frames.

Engine code raises ``WorkerError(code, message, data)``; the server turns it into
``{"type": "error", "id": ..., "error": {"code", "message", "data"}}``. Any other exception
becomes code ``internal`` (or ``out_of_memory`` when it is a CUDA/CPU OOM), so the worker stays up.
"""

from __future__ import annotations

from typing import Any, Mapping

PARSE_ERROR = "parse_error"
UNKNOWN_OP = "unknown_op"
INVALID_PARAMS = "invalid_params"
NO_MODEL = "no_model"
CANCELLED = "cancelled"
OUT_OF_MEMORY = "out_of_memory"
MODEL_LOAD_FAILED = "model_load_failed"
IO_ERROR = "io_error"
INTERNAL = "internal"

# Must match the enum of ErrorCode in src/shared/protocol/worker-protocol.schema.json
# (tests/test_protocol.py checks that).
ERROR_CODES: tuple[str, ...] = (
    PARSE_ERROR,
    UNKNOWN_OP,
    INVALID_PARAMS,
    NO_MODEL,
    CANCELLED,
    OUT_OF_MEMORY,
    MODEL_LOAD_FAILED,
    IO_ERROR,
    INTERNAL,
)


class WorkerError(Exception):
    """An error with a protocol code, a human message (what failed, with what input, what to do)
    and optional JSON-serialisable ``data`` for the host."""

    def __init__(self, code: str, message: str, data: Mapping[str, Any] | None = None) -> None:
        if code not in ERROR_CODES:
            raise ValueError(f"unknown worker error code {code!r}; expected one of {ERROR_CODES}")
        super().__init__(message)
        self.code = code
        self.message = message
        self.data: dict[str, Any] | None = dict(data) if data is not None else None

    def to_payload(self) -> dict[str, Any]:
        """The ``error`` member of an error frame."""
        payload: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.data is not None:
            payload["data"] = self.data
        return payload

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.code!r}, {self.message!r}, data={self.data!r})"


class Cancelled(WorkerError):
    """Raised by ``OpContext.check_cancelled()`` after the host sent ``cancel`` for the running op."""

    def __init__(self, message: str = "operation cancelled by the host", data: Mapping[str, Any] | None = None) -> None:
        super().__init__(CANCELLED, message, data)
