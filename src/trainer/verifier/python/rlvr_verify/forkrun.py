"""Run a function in a forked child with a wall-clock deadline and a private result pipe."""
from __future__ import annotations

import json
import os
import select
import signal
import sys
import tempfile
import time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, List, Optional

_LOG_TAIL_BYTES = 4096


@dataclass
class ChildOutcome:
    messages: List[Dict[str, Any]] = field(default_factory=list)
    exit_code: Optional[int] = None
    signal: Optional[int] = None
    timed_out: bool = False
    log_tail: str = ""
    garbage_lines: int = 0


class Channel:
    """Child side of the result pipe: one JSON object per line."""

    def __init__(self, fd: int) -> None:
        self.fd = fd

    def send(self, message: Dict[str, Any]) -> None:
        data = (json.dumps(message) + "\n").encode()
        while data:
            written = os.write(self.fd, data)
            data = data[written:]


def run_forked(child: Callable[[Channel, str], None], timeout_s: float, close_in_child: Iterable[int]) -> ChildOutcome:
    """Fork; the child runs ``child(channel, log_path)`` with fds 0/1/2 not yet touched and must
    never return normally (it is ``os._exit``-ed if it does). The parent waits at most
    ``timeout_s`` and SIGKILLs the child's process group on expiry."""
    log_fd, log_path = tempfile.mkstemp(prefix="rlvr-child-", suffix=".log")
    os.close(log_fd)
    read_fd, write_fd = os.pipe()
    sys.stdout.flush()
    sys.stderr.flush()
    pid = os.fork()
    if pid == 0:  # child
        status = 70
        try:
            os.close(read_fd)
            for fd in close_in_child:
                try:
                    os.close(fd)
                except OSError:
                    pass
            child(Channel(write_fd), log_path)
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    try:
        os.setpgid(pid, pid)   # also done by the child; whichever runs first wins the race
    except OSError:
        pass
    try:
        outcome = _wait(pid, read_fd, time.monotonic() + timeout_s)
    finally:
        os.close(read_fd)
    outcome.log_tail = _tail_and_remove(log_path)
    return outcome


def _wait(pid: int, read_fd: int, deadline: float) -> ChildOutcome:
    outcome = ChildOutcome()
    buffer = bytearray()
    pidfd = _pidfd_open(pid)
    os.set_blocking(read_fd, False)
    pipe_open, status = True, None
    try:
        while status is None:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                outcome.timed_out = True
                _kill_group(pid)
                status = os.waitpid(pid, 0)[1]
                break
            watch = ([read_fd] if pipe_open else []) + ([pidfd] if pidfd is not None else [])
            ready, _, _ = select.select(watch, [], [], remaining if pidfd is not None else min(remaining, 0.005))
            if read_fd in ready:
                pipe_open = _drain(read_fd, buffer)
            if pidfd is None or pidfd in ready:
                done_pid, raw = os.waitpid(pid, os.WNOHANG)
                if done_pid:
                    status = raw
    finally:
        if pidfd is not None:
            os.close(pidfd)
    _drain(read_fd, buffer)  # what was written just before exit (grandchildren may hold the pipe)
    if os.WIFSIGNALED(status):
        outcome.signal = os.WTERMSIG(status)
    else:
        outcome.exit_code = os.WEXITSTATUS(status)
    _decode(buffer, outcome)
    return outcome


def _pidfd_open(pid: int) -> Optional[int]:
    opener = getattr(os, "pidfd_open", None)
    if opener is None:
        return None
    try:
        return opener(pid)
    except OSError:
        return None


def _drain(fd: int, buffer: bytearray) -> bool:
    """Read what is available; False once the pipe reached EOF."""
    while True:
        try:
            chunk = os.read(fd, 65536)
        except BlockingIOError:
            return True
        if not chunk:
            return False
        buffer.extend(chunk)


def _kill_group(pid: int) -> None:
    for kill in (lambda: os.killpg(pid, signal.SIGKILL), lambda: os.kill(pid, signal.SIGKILL)):
        try:
            kill()
        except (ProcessLookupError, PermissionError):
            pass


def _decode(buffer: bytearray, outcome: ChildOutcome) -> None:
    for line in bytes(buffer).split(b"\n"):
        if not line.strip():
            continue
        try:
            message = json.loads(line)
        except ValueError:
            outcome.garbage_lines += 1
            continue
        if isinstance(message, dict):
            outcome.messages.append(message)
        else:
            outcome.garbage_lines += 1


def _tail_and_remove(path: str) -> str:
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            size = fh.tell()
            fh.seek(max(0, size - _LOG_TAIL_BYTES))
            return fh.read().decode("utf-8", "replace")
    except OSError:
        return ""
    finally:
        try:
            os.unlink(path)
        except OSError:
            pass
