"""``python -m rlvr_worker``: the compute worker process. See docs/protocol.md."""

from __future__ import annotations

import io
import logging
import os
import sys
from typing import Iterator, TextIO

EXIT_MISSING_DEPENDENCY = 3


def claim_stdout() -> TextIO:
    """Keep file descriptor 1 for frames only.

    The real stdout is duplicated to a private descriptor for frames; then fd 1 and ``sys.stdout``
    are pointed at stderr, so stray prints from libraries — Python or C level — land in the log
    instead of corrupting the frame stream.
    """
    sys.stdout.flush()
    frames_fd = os.dup(1)
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    return io.TextIOWrapper(os.fdopen(frames_fd, "wb"), encoding="utf-8", newline="\n", write_through=True)


def stdin_lines(fd: int = 0, chunk_size: int = 1 << 16) -> Iterator[bytes]:
    """Lines from a file descriptor via ``os.read``.

    Not ``sys.stdin.buffer``: the reader thread is a daemon blocked in a read when the worker
    exits, and a daemon holding the buffered reader's lock makes interpreter shutdown abort
    (SIGABRT, "could not acquire lock for <stdin>"). A bare syscall holds no such lock.
    """
    pending = bytearray()
    while chunk := os.read(fd, chunk_size):
        start = len(pending)
        pending += chunk
        newline = pending.find(b"\n", start)
        while newline != -1:
            yield bytes(pending[: newline + 1])
            del pending[: newline + 1]
            newline = pending.find(b"\n")
    if pending:
        yield bytes(pending)


def main() -> int:
    frames = claim_stdout()
    logging.basicConfig(stream=sys.stderr, level=os.environ.get("RLVR_WORKER_LOG_LEVEL", "INFO"),
                        format="rlvr_worker %(levelname)s %(message)s")
    log = logging.getLogger("rlvr_worker")
    try:
        from .device import capabilities  # imports torch: the slow part of start-up
        from .ops import build_handlers
        from .protocol import Protocol
        from .server import WorkerServer

        protocol = Protocol.load()
        handlers = build_handlers()
        caps = capabilities(list(handlers))
    except ImportError as exc:
        log.error("cannot start: %s (Python: %s). To fix: run `%s -m pip install -r "
                  "src/trainer/worker/requirements.txt` (or `npm run setup`)", exc, sys.executable, sys.executable)
        return EXIT_MISSING_DEPENDENCY
    server = WorkerServer(stdin_lines(), frames, handlers, protocol, caps,
                          validate_results=os.environ.get("RLVR_WORKER_VALIDATE_RESULTS") == "1")
    return server.serve()


if __name__ == "__main__":
    sys.exit(main())
