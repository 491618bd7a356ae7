"""File-descriptor plumbing: keep protocol output apart from whatever the workspace prints."""
from __future__ import annotations

import contextlib
import os
import sys
from typing import Iterator


@contextlib.contextmanager
def stdout_to_stderr() -> Iterator[None]:
    """Point fd 1 (and ``sys.stdout``) at stderr for the duration, so pytest's terminal output and
    the tests' prints cannot corrupt the JSON this process prints on stdout afterwards."""
    sys.stdout.flush()
    saved = os.dup(1)
    os.dup2(2, 1)
    try:
        yield
    finally:
        sys.stdout.flush()
        os.dup2(saved, 1)
        os.close(saved)


def detach_protocol_streams():
    """For long-lived servers: returns (binary reader, binary writer) on private copies of fds 0/1
    and rewires fd 0 to /dev/null and fd 1 to stderr, so nothing else can read requests or write
    frames."""
    sys.stdout.flush()
    reader = os.fdopen(os.dup(0), "rb", buffering=0)
    writer = os.fdopen(os.dup(1), "wb", buffering=0)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    os.dup2(2, 1)
    return reader, writer
