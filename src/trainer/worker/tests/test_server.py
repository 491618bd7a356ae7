"""The worker's request loop, driven through in-memory streams with stand-in handlers for real op
names (so params are still validated against the real schema)."""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any, Iterator, Mapping

import pytest

from rlvr_worker.context import OpContext
from rlvr_worker.errors import WorkerError
from rlvr_worker.protocol import Protocol
from rlvr_worker.server import Handler, WorkerServer

TIMEOUT_S = 10.0
CAPS = {"python": "3.11", "torch": "2", "transformers": "4", "peft": None, "trl": None, "device": "cpu",
        "dtype": "float32", "cuda_available": False, "gpu_name": None, "gpu_memory_total_bytes": None,
        "gpu_memory_free_bytes": None, "bf16_supported": False, "vllm_available": False, "cpu_threads": 1, "ops": []}
GENERATE = {"prompts": [{"messages": [{"role": "user", "content": "hi"}]}], "n": 2, "temperature": 1.0, "top_p": 1.0,
            "max_new_tokens": 4, "stop": [], "seed": 0, "emit_groups": True}
SCORE = {"sequences": [{"prompt_token_ids": [1], "completion_token_ids": [2]}], "temperature": 1.0}


class LineSource:
    """Stdin stand-in: yields lines the test pushes; ``close()`` is end of input."""

    def __init__(self) -> None:
        self._lines: queue.Queue[bytes | None] = queue.Queue()

    def send(self, frame: Any) -> None:
        """A dict is sent as JSON, a str as that text, bytes as they are (one line each)."""
        if isinstance(frame, bytes):
            self._lines.put(frame)
        else:
            self._lines.put((frame if isinstance(frame, str) else json.dumps(frame)).encode() + b"\n")

    def close(self) -> None:
        self._lines.put(None)

    def __iter__(self) -> Iterator[bytes]:
        while (line := self._lines.get()) is not None:
            yield line


class FrameSink:
    """Stdout stand-in: every written line must be one JSON object."""

    def __init__(self) -> None:
        self.frames: queue.Queue[dict[str, Any]] = queue.Queue()
        self._partial = ""

    def write(self, text: str) -> int:
        self._partial += text
        *lines, self._partial = self._partial.split("\n")
        for line in lines:
            self.frames.put(json.loads(line))
        return len(text)

    def flush(self) -> None:
        pass

    def next(self) -> dict[str, Any]:
        return self.frames.get(timeout=TIMEOUT_S)


def slow_generate(params: dict[str, Any], ctx: OpContext) -> Mapping[str, Any]:
    """Emits progress and one group, then loops until cancelled (or 'forever' = 10 s)."""
    ctx.progress("decode", 0, 10, "starting")
    ctx.emit_group(0, [1, 2], [{"token_ids": [3], "text": "x", "logprobs": [-0.1], "entropies": [0.2],
                                "token_offsets": [1], "finish_reason": "stop"}])
    deadline = time.monotonic() + TIMEOUT_S
    while time.monotonic() < deadline:
        ctx.check_cancelled()
        time.sleep(0.01)
    return {"groups": [], "time_s": 0.0, "tokens_per_second": 0.0}


def raising(exc: BaseException) -> Handler:
    def handler(_params: dict[str, Any], _ctx: OpContext) -> Mapping[str, Any]:
        raise exc
    return handler


def returning(value: Any) -> Handler:
    return lambda _params, _ctx: value


class Harness:
    def __init__(self, handlers: Mapping[str, Handler], validate_results: bool = False) -> None:
        self.source, self.sink = LineSource(), FrameSink()
        server = WorkerServer(self.source, self.sink, {"shutdown": returning({}), **handlers}, Protocol.load(),
                              CAPS, validate_results=validate_results)
        self.exit_codes: list[int] = []
        self.thread = threading.Thread(target=lambda: self.exit_codes.append(server.serve()), daemon=True)
        self.thread.start()
        self.hello = self.sink.next()

    def call(self, op: str, params: Any, request_id: int = 1) -> dict[str, Any]:
        self.source.send({"type": "request", "id": request_id, "op": op, "params": params})
        return self.sink.next()

    def stop(self) -> None:
        reply = self.call("shutdown", {}, 999)
        assert reply == {"type": "result", "id": 999, "result": {}}
        self.thread.join(TIMEOUT_S)
        assert self.exit_codes == [0]


@pytest.fixture
def harness() -> Iterator[Harness]:
    h = Harness({
        "generate": slow_generate,
        "score": returning({"logprobs": [[-0.5]], "entropies": [[0.1]]}),
        "save": raising(FileNotFoundError(2, "No such file or directory", "/nope/ckpt")),
        "load": raising(MemoryError()),
        "export": raising(ValueError("boom")),
        "train_step": returning([1, 2]),
        "load_policy": raising(WorkerError("no_model", "load_policy first")),
        "make_tiny_model": returning({"dir": "/t", "parameters": 1, "pretrain_loss": float("nan"), "time_s": 0.0}),
    })
    yield h
    if h.thread.is_alive():
        h.stop()


def code(frame: dict[str, Any]) -> str:
    assert frame["type"] == "error", frame
    return frame["error"]["code"]


def test_hello_comes_first_and_matches_the_schema(harness: Harness) -> None:
    assert harness.hello["type"] == "hello" and harness.hello["protocol"] == Protocol.load().version
    assert Protocol.load().frame_errors(harness.hello) == []


def test_round_trip_returns_the_handler_result(harness: Harness) -> None:
    assert harness.call("score", SCORE, 5) == {"type": "result", "id": 5,
                                                "result": {"logprobs": [[-0.5]], "entropies": [[0.1]]}}


def test_every_failure_is_a_typed_frame_and_the_worker_stays_up(harness: Harness) -> None:
    assert code(harness.call("nope", {})) == "unknown_op"
    invalid = harness.call("score", {**SCORE, "temperature": "hot"})
    assert code(invalid) == "invalid_params" and invalid["error"]["data"]["path"] == "$.temperature"
    io = harness.call("save", {"dir": "/nope/ckpt"})
    assert code(io) == "io_error" and io["error"]["data"]["filename"] == "/nope/ckpt"
    assert code(harness.call("load", {"dir": "/x"})) == "out_of_memory"
    internal = harness.call("export", {"dir": "/x"})
    assert code(internal) == "internal" and "ValueError: boom" in internal["error"]["message"]
    assert code(harness.call("load_policy", _load_policy_params())) == "no_model"
    assert code(harness.call("train_step", _train_step_params())) == "internal"  # returned a list
    nan = harness.call("make_tiny_model", {"dir": "/t", "seed": 0, "pretrain_steps": 0})
    assert code(nan) == "internal" and nan["error"]["data"]["path"] == "$.result.pretrain_loss"
    assert harness.call("score", SCORE, 6)["type"] == "result"


def test_unparsable_and_malformed_lines(harness: Harness) -> None:
    harness.source.send("not json")
    assert harness.sink.next() == {"type": "error", "id": None, "error": {
        "code": "parse_error", "message": "line is not JSON: Expecting value at column 1: 'not json\\n'",
        "data": {"reason": "Expecting value", "column": 1}}}
    harness.source.send(b"\xff\xfe\n")
    assert code(harness.sink.next()) == "parse_error"
    harness.source.send({"type": "request", "id": 4, "op": "score"})
    missing = harness.sink.next()
    assert (missing["id"], code(missing), missing["error"]["data"]["path"]) == (4, "invalid_params", "$.params")
    harness.source.send({"type": "result", "id": 4, "result": {}})
    wrong_way = harness.sink.next()
    assert (wrong_way["id"], code(wrong_way)) == (4, "parse_error")
    harness.source.send({"type": "request", "id": "x", "op": "score", "params": {}})
    assert harness.sink.next()["id"] is None


def test_cancel_stops_the_running_op_and_a_queued_one(harness: Harness) -> None:
    harness.source.send({"type": "request", "id": 10, "op": "generate", "params": GENERATE})
    harness.source.send({"type": "request", "id": 11, "op": "generate", "params": GENERATE})
    progress = harness.sink.next()
    assert progress == {"type": "progress", "id": 10, "stage": "decode", "done": 0, "total": 10, "message": "starting"}
    group = harness.sink.next()
    assert group["type"] == "group" and group["id"] == 10 and group["prompt_token_ids"] == [1, 2]
    harness.source.send({"type": "cancel", "id": 11})  # queued: must never start
    harness.source.send({"type": "cancel", "id": 10})
    harness.source.send({"type": "cancel", "id": 12345})  # unknown: ignored
    running = harness.sink.next()
    assert (running["id"], code(running)) == (10, "cancelled")
    queued = harness.sink.next()
    assert (queued["id"], code(queued)) == (11, "cancelled")
    assert harness.call("score", SCORE, 12)["type"] == "result"


def test_end_of_input_cancels_the_running_op_and_exits(harness: Harness) -> None:
    harness.source.send({"type": "request", "id": 20, "op": "generate", "params": GENERATE})
    assert harness.sink.next()["type"] == "progress"
    harness.source.close()
    frames = [harness.sink.next(), harness.sink.next()]
    assert frames[0]["type"] == "group" and code(frames[1]) == "cancelled"
    harness.thread.join(TIMEOUT_S)
    assert harness.exit_codes == [0]


def test_result_validation_catches_a_result_that_breaks_the_schema() -> None:
    h = Harness({"score": returning({"logprobs": [[-0.5]]})}, validate_results=True)
    reply = h.call("score", SCORE)
    assert code(reply) == "internal" and "$.entropies" in reply["error"]["message"]
    h.stop()


def _load_policy_params() -> dict[str, Any]:
    return {"model": "m", "device": "cpu", "dtype": "float32", "attn_implementation": "auto", "cpu_threads": 1,
            "seed": 0, "lora": None, "gradient_checkpointing": False, "beta": 0.0,
            "optimizer": {"learning_rate": 1e-5, "weight_decay": 0.0, "betas": [0.9, 0.999], "eps": 1e-8,
                          "schedule": "constant", "warmup_steps": 0, "total_steps": 1, "max_grad_norm": 1.0}}


def _train_step_params() -> dict[str, Any]:
    return {"sequences": [{"prompt_token_ids": [1], "completion_token_ids": [2], "advantage": 1.0,
                           "old_logprobs": None, "truncated": False}], "loss_type": "grpo", "epsilon_low": 0.2,
            "epsilon_high": 0.2, "beta": 0.0, "mask_truncated": False, "micro_batch_size": 1, "temperature": 1.0,
            "max_completion_length": 4}
