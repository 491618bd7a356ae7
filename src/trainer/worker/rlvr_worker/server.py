"""The NDJSON request loop.

Threads: a reader thread parses stdin lines as they arrive, so a ``cancel`` frame is seen while an
op runs; the main thread runs ops one at a time, in arrival order, because they share one model
(and, on CUDA, one stream). Every failure becomes an ``error`` frame and the loop goes on; only
``shutdown`` or the end of stdin stops it.
"""

from __future__ import annotations

import json
import logging
import queue
import threading
import traceback
from dataclasses import dataclass, field
from typing import Any, BinaryIO, Callable, Iterable, Mapping, TextIO

from . import __version__
from .context import Frame, OpContext
from .errors import (
    CANCELLED,
    INTERNAL,
    INVALID_PARAMS,
    IO_ERROR,
    OUT_OF_MEMORY,
    PARSE_ERROR,
    UNKNOWN_OP,
    WorkerError,
)
from .protocol import Protocol, json_path

Handler = Callable[[dict[str, Any], OpContext], Mapping[str, Any]]
log = logging.getLogger("rlvr_worker")


@dataclass
class _Job:
    id: int
    op: str
    params: Any
    cancel: threading.Event = field(default_factory=threading.Event)


class FrameWriter:
    """Writes one JSON object per line. Called from the reader thread (parse errors) and the main
    thread (everything else), hence the lock. A host that went away is logged, not raised."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._lock = threading.Lock()

    def write(self, frame: Frame) -> None:
        """Raises ``WorkerError(internal)`` for values that are not JSON (NaN, unknown types)."""
        self.write_line(encode_frame(frame), str(frame.get("type")))

    def write_line(self, line: str, kind: str = "frame") -> None:
        with self._lock:
            try:
                self._stream.write(line)
                self._stream.flush()
            except (BrokenPipeError, ValueError) as exc:  # ValueError: stream already closed
                log.warning("cannot write %s frame, the host has gone: %s", kind, exc)


def encode_frame(frame: Frame) -> str:
    """Strict JSON (NaN/Infinity are not JSON and would break the host's parser) plus newline.
    Tensors and numpy values that slipped into a result are converted with ``tolist()``."""
    try:
        return json.dumps(frame, allow_nan=False, separators=(",", ":"), default=_to_plain) + "\n"
    except ValueError as exc:
        where = _find_non_finite(frame, [])
        raise WorkerError(INTERNAL, f"the worker produced a non-finite number at {where}; this is a worker bug "
                          "(report it with the op and params)", {"path": where}) from exc


def _to_plain(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    raise TypeError(f"{type(value).__name__} is not JSON serialisable")


def _find_non_finite(value: Any, path: list[Any]) -> str:
    if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
        return json_path(path)
    items: Iterable[tuple[Any, Any]] = ()
    if isinstance(value, dict):
        items = value.items()
    elif isinstance(value, (list, tuple)):
        items = enumerate(value)
    for key, item in items:
        found = _find_non_finite(item, [*path, key])
        if found:
            return found
    return ""


class WorkerServer:
    """Serves requests from ``reader`` (bytes or str lines) and writes frames to ``writer``."""

    def __init__(
        self,
        reader: BinaryIO | TextIO | Iterable[bytes | str],
        writer: TextIO,
        handlers: Mapping[str, Handler],
        protocol: Protocol,
        capabilities: Mapping[str, Any],
        *,
        validate_results: bool = False,
    ) -> None:
        self._reader = reader
        self._out = FrameWriter(writer)
        self._handlers = handlers
        self._protocol = protocol
        self._capabilities = dict(capabilities)
        self._validate_results = validate_results
        self._queue: queue.Queue[_Job | None] = queue.Queue()
        self._in_flight: dict[int, threading.Event] = {}
        self._lock = threading.Lock()

    # ---- main thread
    def serve(self) -> int:
        """Say hello, then run requests until ``shutdown`` or end of input. Returns the exit code."""
        self._out.write({
            "type": "hello",
            "protocol": self._protocol.version,
            "worker_version": __version__,
            "capabilities": self._capabilities,
        })
        threading.Thread(target=self._read_loop, name="rlvr-worker-reader", daemon=True).start()
        while (job := self._queue.get()) is not None:
            succeeded = self._run(job)
            if job.op == "shutdown" and succeeded:
                log.info("shutdown requested; exiting")
                break
        return 0

    def _run(self, job: _Job) -> bool:
        ctx = OpContext(job.id, self._out.write, job.cancel)
        try:
            if job.op != "shutdown":  # shutdown still runs after end of input cancelled the queue
                ctx.check_cancelled()  # cancelled while still queued
            result = self._dispatch(job, ctx)
            # Encoded before anything is written, so a NaN in the result becomes an error frame.
            line = encode_frame({"type": "result", "id": job.id, "result": result})
            self._out.write_line(line, "result")
            return True
        except BaseException as exc:  # noqa: BLE001 - every failure must become a frame
            if isinstance(exc, (KeyboardInterrupt, SystemExit)):
                raise
            error = error_from_exception(exc, job.op)
            self._out.write({"type": "error", "id": job.id, "error": error.to_payload()})
            return False
        finally:
            with self._lock:
                self._in_flight.pop(job.id, None)

    def _dispatch(self, job: _Job, ctx: OpContext) -> dict[str, Any]:
        handler = self._handlers.get(job.op)
        if handler is None:
            known = sorted(self._handlers)
            raise WorkerError(UNKNOWN_OP, f"unknown op {job.op!r}; this worker knows: {', '.join(known)}",
                              {"op": job.op, "known_ops": known})
        self._protocol.check_params(job.op, job.params)
        result = handler(job.params, ctx)
        if not isinstance(result, Mapping):
            raise WorkerError(INTERNAL, f"op {job.op} returned {type(result).__name__}, not an object (worker bug)")
        result = dict(result)
        if self._validate_results:
            problems = self._protocol.result_errors(job.op, json.loads(json.dumps(result, default=_to_plain)))
            if problems:
                raise WorkerError(INTERNAL, f"op {job.op} returned a result that breaks the protocol at "
                                  f"{problems[0]['path']}: {problems[0]['reason']} (worker bug)",
                                  {"op": job.op, "errors": problems})
        return result

    # ---- reader thread
    def _read_loop(self) -> None:
        try:
            for raw in self._reader:
                self._handle_line(raw)
        except Exception:  # noqa: BLE001 - a broken stdin must still end the main loop
            log.exception("reading stdin failed")
        finally:
            self._cancel_everything()
            self._queue.put(None)

    def _handle_line(self, raw: bytes | str) -> None:
        try:
            text = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        except UnicodeDecodeError as exc:
            self._send_parse_error(None, f"line is not UTF-8: {exc}", {"reason": "not utf-8"})
            return
        if not text.strip():
            return
        try:
            frame = json.loads(text)
        except json.JSONDecodeError as exc:
            self._send_parse_error(None, f"line is not JSON: {exc.msg} at column {exc.colno}: {text[:80]!r}",
                                   {"reason": exc.msg, "column": exc.colno})
            return
        try:
            self._protocol.check_request_envelope(_without_params(frame))
        except WorkerError as err:
            if err.data and str(err.data.get("path", "")).startswith("$.params"):
                err = WorkerError(INVALID_PARAMS, err.message.replace("invalid frame", "invalid request"), err.data)
            self._out.write({"type": "error", "id": _usable_id(frame), "error": err.to_payload()})
            return
        if frame["type"] == "cancel":
            self._cancel(frame["id"])
        else:
            self._enqueue(frame)

    def _enqueue(self, frame: dict[str, Any]) -> None:
        job = _Job(frame["id"], frame["op"], frame["params"])
        with self._lock:
            self._in_flight[job.id] = job.cancel
        self._queue.put(job)

    def _cancel(self, request_id: int) -> None:
        with self._lock:
            event = self._in_flight.get(request_id)
        if event is None:
            log.info("cancel for request %s ignored: it is not running or queued", request_id)
        else:
            event.set()

    def _cancel_everything(self) -> None:
        with self._lock:
            for event in self._in_flight.values():
                event.set()

    def _send_parse_error(self, request_id: int | None, message: str, data: dict[str, Any]) -> None:
        self._out.write({"type": "error", "id": request_id, "error": {"code": PARSE_ERROR, "message": message, "data": data}})


def _without_params(frame: Any) -> Any:
    """The envelope check only requires ``params`` to be an object; the op's own params schema is
    checked on the main thread, after the op name is known to be valid."""
    if isinstance(frame, dict) and frame.get("type") == "request" and isinstance(frame.get("params"), dict):
        return {**frame, "params": {}}
    return frame


def _usable_id(frame: Any) -> int | None:
    value = frame.get("id") if isinstance(frame, dict) else None
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 2**53 - 1 else None


def error_from_exception(exc: BaseException, op: str) -> WorkerError:
    """Map any exception to a typed protocol error. Unexpected ones are logged with a traceback."""
    if isinstance(exc, WorkerError):
        if exc.code != CANCELLED:
            log.info("op %s failed: %s: %s", op, exc.code, exc.message)
        return exc
    if _is_out_of_memory(exc):
        return WorkerError(OUT_OF_MEMORY, f"{op} ran out of memory: {_first_line(exc)}. Lower micro_batch_size, "
                           "n, max_new_tokens or the model size, or use a smaller dtype.",
                           {"op": op, "exception": type(exc).__name__})
    if isinstance(exc, OSError):
        return WorkerError(IO_ERROR, f"{op} failed with {type(exc).__name__}: {exc}",
                           {"op": op, "exception": type(exc).__name__, "filename": _str_or_none(exc.filename)})
    log.error("op %s raised an unexpected exception:\n%s", op, "".join(traceback.format_exception(exc)))
    return WorkerError(INTERNAL, f"{op} failed with {type(exc).__name__}: {_first_line(exc)} "
                       "(unexpected; the worker's stderr has the traceback)",
                       {"op": op, "exception": type(exc).__name__})


def _is_out_of_memory(exc: BaseException) -> bool:
    # torch.cuda.OutOfMemoryError / torch.OutOfMemoryError, without importing torch here.
    if isinstance(exc, MemoryError) or type(exc).__name__ == "OutOfMemoryError":
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0][:300] if text else type(exc).__name__


def _str_or_none(value: Any) -> str | None:
    return None if value is None else str(value)

