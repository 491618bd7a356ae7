"""``python -m rlvr_worker`` as a real process: stdout carries frames only, hello is valid."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rlvr_worker.protocol import Protocol

WORKER_DIR = Path(__file__).resolve().parents[1]
ENV = {**os.environ, "PYTHONPATH": str(WORKER_DIR)}


def test_stray_prints_go_to_stderr_not_into_the_frame_stream() -> None:
    script = (
        "import os, sys\n"
        "from rlvr_worker.__main__ import claim_stdout\n"
        "frames = claim_stdout()\n"
        "print('python-level noise')\n"
        "os.write(1, b'c-level noise\\n')\n"
        "frames.write('{\"frame\":1}\\n')\n"
    )
    done = subprocess.run([sys.executable, "-c", script], env=ENV, capture_output=True, timeout=60, check=True)
    assert done.stdout == b'{"frame":1}\n'
    assert b"python-level noise" in done.stderr and b"c-level noise" in done.stderr


def test_real_worker_says_hello_answers_and_shuts_down() -> None:
    worker = subprocess.Popen([sys.executable, "-m", "rlvr_worker"], env=ENV, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert worker.stdin is not None and worker.stdout is not None

    def call(request: dict[str, object]) -> dict[str, object]:
        worker.stdin.write(json.dumps(request).encode() + b"\n")  # type: ignore[union-attr]
        worker.stdin.flush()  # type: ignore[union-attr]
        return json.loads(worker.stdout.readline())  # type: ignore[union-attr]

    try:
        hello = json.loads(worker.stdout.readline())
        protocol = Protocol.load()
        assert protocol.frame_errors(hello) == []  # W1's device.capabilities() matches the schema
        assert sorted(hello["capabilities"]["ops"]) == sorted(protocol.ops)
        unknown = call({"type": "request", "id": 1, "op": "no_such_op", "params": {}})
        assert unknown["id"] == 1 and unknown["error"]["code"] == "unknown_op"  # type: ignore[index]
        assert call({"type": "request", "id": 2, "op": "shutdown", "params": {}}) == {
            "type": "result", "id": 2, "result": {}}
        assert worker.wait(timeout=60) == 0
        assert worker.stdout.read() == b""
    finally:
        if worker.poll() is None:
            worker.kill()
        worker.wait()
        worker.stdin.close()
        worker.stdout.close()
        worker.stderr.close()  # type: ignore[union-attr]


def test_stdin_lines_reassembles_lines_across_chunks() -> None:
    from rlvr_worker.__main__ import stdin_lines

    read_fd, write_fd = os.pipe()
    os.write(write_fd, b'{"a":1}\n{"b":"' + "é".encode() * 10 + b'"}\n\nlast-without-newline')
    os.close(write_fd)
    try:
        lines = list(stdin_lines(read_fd, chunk_size=3))
    finally:
        os.close(read_fd)
    assert lines == [b'{"a":1}\n', b'{"b":"' + "é".encode() * 10 + b'"}\n', b"\n", b"last-without-newline"]
