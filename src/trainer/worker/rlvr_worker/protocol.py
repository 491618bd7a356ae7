"""The worker's side of the host↔worker protocol, driven by the ONE schema file both sides read:
``src/shared/protocol/worker-protocol.schema.json`` (JSON Schema 2020-12).

Frames are validated by their ``type`` against ``x-frames``; request params and op results by
their op against ``x-ops``. Validation failures become ``WorkerError`` with a JSON path
(``$.prompts[0].messages[1].role``) that names the bad field, the same path the TypeScript
validator reports for the same input (the shared fixtures check that).
"""

from __future__ import annotations

import json
import os
from functools import cached_property
from pathlib import Path
from typing import Any, Iterable, Mapping

import jsonschema
from jsonschema import Draft202012Validator

from .errors import INVALID_PARAMS, PARSE_ERROR, WorkerError

SCHEMA_ENV = "RLVR_PROTOCOL_SCHEMA"
_SCHEMA_RELATIVE = Path("shared") / "protocol" / "worker-protocol.schema.json"
MAX_REPORTED_ERRORS = 5


def find_schema_path() -> Path:
    """``$RLVR_PROTOCOL_SCHEMA`` if set (the TS client sets it), else found by walking up from this
    package to the ``src/`` folder that holds ``shared/protocol``."""
    explicit = os.environ.get(SCHEMA_ENV)
    if explicit:
        return Path(explicit)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / _SCHEMA_RELATIVE
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(
        f"cannot find {_SCHEMA_RELATIVE} above {Path(__file__).parent}; set {SCHEMA_ENV} to the schema file"
    )


def load_schema(path: Path | None = None) -> dict[str, Any]:
    with open(path or find_schema_path(), encoding="utf-8") as f:
        schema = json.load(f)
    Draft202012Validator.check_schema(schema)
    return schema


class Protocol:
    """Compiled validators for every frame type and every op's params and result."""

    def __init__(self, schema: Mapping[str, Any]) -> None:
        self.schema = schema
        self.version: int = int(schema["x-protocol-version"])
        self.ops: tuple[str, ...] = tuple(schema["x-ops"].keys())
        self.error_codes: tuple[str, ...] = tuple(schema["$defs"]["ErrorCode"]["enum"])
        self._validators: dict[str, Draft202012Validator] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> "Protocol":
        return cls(load_schema(path))

    def _validator(self, subschema: Mapping[str, Any]) -> Draft202012Validator:
        """A validator for one ``{"$ref": "#/$defs/X"}`` entry, resolving refs against the root."""
        ref = subschema["$ref"]
        cached = self._validators.get(ref)
        if cached is None:
            cached = Draft202012Validator({"$defs": self.schema["$defs"], "$ref": ref})
            self._validators[ref] = cached
        return cached

    @cached_property
    def _frame_schemas(self) -> dict[str, Mapping[str, Any]]:
        frames: dict[str, Mapping[str, Any]] = {}
        for direction in self.schema["x-frames"].values():
            frames.update(direction)
        return frames

    def frame_errors(self, frame: Any) -> list[dict[str, str]]:
        """Problems with a frame of any direction (empty list: valid)."""
        if not isinstance(frame, dict):
            return [{"path": "$", "reason": f"a frame must be a JSON object, got {_json_type(frame)}"}]
        kind = frame.get("type")
        if kind not in self._frame_schemas:
            known = ", ".join(sorted(self._frame_schemas))
            return [{"path": "$.type", "reason": f"unknown frame type {kind!r}; expected one of: {known}"}]
        return describe_errors(self._validator(self._frame_schemas[kind]).iter_errors(frame))

    def params_errors(self, op: str, params: Any) -> list[dict[str, str]]:
        return describe_errors(self._validator(self.schema["x-ops"][op]["params"]).iter_errors(params))

    def result_errors(self, op: str, result: Any) -> list[dict[str, str]]:
        return describe_errors(self._validator(self.schema["x-ops"][op]["result"]).iter_errors(result))

    def check_request_envelope(self, frame: Any) -> None:
        """Raise ``parse_error`` unless ``frame`` is a well-formed request or cancel frame.
        A request's ``params`` is only checked to be an object here; ``check_params`` does the rest."""
        errors = self.frame_errors(frame)
        if not errors and frame.get("type") not in self.schema["x-frames"]["host_to_worker"]:
            errors = [{"path": "$.type", "reason": f"the host may not send {frame.get('type')!r} frames"}]
        if errors:
            raise WorkerError(PARSE_ERROR, f"invalid frame: {errors[0]['path']}: {errors[0]['reason']}",
                              {"path": errors[0]["path"], "reason": errors[0]["reason"], "errors": errors})

    def check_params(self, op: str, params: Any) -> None:
        """Raise ``invalid_params`` naming the first bad field."""
        errors = self.params_errors(op, params)
        if errors:
            first = errors[0]
            raise WorkerError(
                INVALID_PARAMS,
                f"invalid params for {op}: {first['path']}: {first['reason']}",
                {"op": op, "path": first["path"], "reason": first["reason"], "errors": errors},
            )


def describe_errors(errors: Iterable[jsonschema.ValidationError]) -> list[dict[str, str]]:
    """Schema errors as ``{path, reason}``, most relevant first (jsonschema's ``best_match``
    order: shallow before deep), at most MAX_REPORTED_ERRORS.

    ``required`` and ``additionalProperties`` errors are re-pointed at the offending property so
    the path always names the bad field, not its parent object.
    """
    ordered = sorted(errors, key=jsonschema.exceptions.relevance, reverse=True)
    return [_describe(_through_any_of(e)) for e in ordered[:MAX_REPORTED_ERRORS]]


def _through_any_of(error: jsonschema.ValidationError) -> jsonschema.ValidationError:
    """For an anyOf failure such as ``lora: LoraConfig | null`` given a bad object, report what is
    wrong inside the branch whose type matched, not "is not valid under any of the given schemas"."""
    if error.validator != "anyOf" or not error.context:
        return error
    type_matched = [
        e for e in error.context if not (e.validator == "type" and len(e.absolute_path) == len(error.absolute_path))
    ]
    if not type_matched:
        return error
    return _through_any_of(max(type_matched, key=jsonschema.exceptions.relevance))


def _describe(error: jsonschema.ValidationError) -> dict[str, str]:
    path = json_path(error.absolute_path)
    instance = error.instance
    if error.validator == "required" and isinstance(instance, dict):
        missing = [k for k in error.validator_value if k not in instance]
        if missing:
            return {"path": json_path([*error.absolute_path, missing[0]]), "reason": "is required"}
    if error.validator == "additionalProperties" and isinstance(instance, dict):
        known = error.schema.get("properties", {})
        extra = sorted(k for k in instance if k not in known)
        if extra:
            allowed = ", ".join(known) or "(none)"
            return {
                "path": json_path([*error.absolute_path, extra[0]]),
                "reason": f"is not an allowed property (allowed: {allowed})",
            }
    return {"path": path, "reason": _reason(error)}


def _reason(error: jsonschema.ValidationError) -> str:
    value = error.validator_value
    got = _short(error.instance)
    if error.validator == "type":
        expected = " or ".join(value) if isinstance(value, list) else value
        return f"must be {expected}, got {_json_type(error.instance)} {got}"
    if error.validator == "anyOf":
        expected = [_flat(e.validator_value) for e in error.context or [] if e.validator == "type"]
        if expected:
            return f"must be {' or '.join(expected)}, got {_json_type(error.instance)} {got}"
    if error.validator == "enum":
        return f"must be one of {', '.join(json.dumps(v) for v in value)}, got {got}"
    if error.validator == "const":
        return f"must be {json.dumps(value)}, got {got}"
    if error.validator in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        op = {"minimum": ">=", "maximum": "<=", "exclusiveMinimum": ">", "exclusiveMaximum": "<"}[error.validator]
        return f"must be {op} {value}, got {got}"
    if error.validator in ("minItems", "maxItems"):
        word = "at least" if error.validator == "minItems" else "at most"
        return f"must have {word} {value} item(s), got {len(error.instance)}"
    if error.validator == "minLength":
        return f"must have at least {value} character(s), got {got}"
    return error.message


def _flat(type_value: Any) -> str:
    return " or ".join(type_value) if isinstance(type_value, list) else str(type_value)


def json_path(parts: Iterable[Any]) -> str:
    """``["prompts", 0, "role"]`` → ``$.prompts[0].role`` (same format as the TS validator)."""
    out = "$"
    for part in parts:
        out += f"[{part}]" if isinstance(part, int) else f".{part}"
    return out


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def _short(value: Any, limit: int = 60) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= limit else text[: limit - 1] + "…"
