"""Killing whatever a candidate left running once its child has finished."""
from __future__ import annotations

import ctypes
import os
import signal
import time
from typing import Dict, List, Set

_PR_SET_CHILD_SUBREAPER = 36


def become_subreaper() -> bool:
    """Orphans of our descendants (double-forked, setsid daemons) get re-parented to this
    process instead of init, so they stay visible as descendants and can be killed."""
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(_PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _stat(pid: int):
    """(ppid, state) of ``pid``, or None when it is gone."""
    try:
        with open(f"/proc/{pid}/stat", "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    # comm may contain spaces and parentheses: parse after the last ')'.
    fields = data[data.rindex(b")") + 2:].split()
    return int(fields[1]), fields[0].decode()


def _ppid(pid: int) -> int:
    stat = _stat(pid)
    return stat[0] if stat else -1


def _alive(pid: int) -> bool:
    stat = _stat(pid)
    return stat is not None and stat[1] not in ("Z", "X")


def _all_pids() -> List[int]:
    return [int(name) for name in os.listdir("/proc") if name.isdigit()]


def _direct_children(pid: int) -> List[int]:
    """Via /proc/PID/task/TID/children (CONFIG_PROC_CHILDREN); raises OSError when missing."""
    out: List[int] = []
    for tid in os.listdir(f"/proc/{pid}/task"):
        try:
            with open(f"/proc/{pid}/task/{tid}/children") as fh:
                out.extend(int(c) for c in fh.read().split())
        except FileNotFoundError:
            if not os.path.exists(f"/proc/{pid}/task/{tid}"):
                continue  # the thread ended meanwhile
            raise
    return out


def descendants(root: int) -> Set[int]:
    try:
        return _walk(root, _direct_children)
    except OSError:
        children: Dict[int, List[int]] = {}
        for pid in _all_pids():
            children.setdefault(_ppid(pid), []).append(pid)
        return _walk(root, lambda p: children.get(p, []))


def _walk(root: int, children_of) -> Set[int]:
    out: Set[int] = set()
    stack = list(children_of(root))
    while stack:
        pid = stack.pop()
        if pid in out:
            continue
        out.add(pid)
        try:
            stack.extend(children_of(pid))
        except OSError:
            pass  # it exited while we walked
    return out


def ancestors(pid: int) -> Set[int]:
    out: Set[int] = set()
    while pid > 1 and pid not in out:
        out.add(pid)
        pid = _ppid(pid)
    return out


def namespace_others(me: int) -> Set[int]:
    """Every process in this PID namespace except pid 1, this one and its ancestors."""
    keep = ancestors(me) | {1, me}
    return {pid for pid in _all_pids() if pid not in keep}


def kill_leftovers(me: int, whole_namespace: bool, deadline_s: float = 5.0) -> int:
    """SIGKILL leftovers and wait until they are gone (reaped), re-scanning because they may
    fork while we scan; returns how many were signalled. Gives up after ``deadline_s``."""
    find = (lambda: namespace_others(me)) if whole_namespace else (lambda: descendants(me))
    killed: Set[int] = set()
    give_up = time.monotonic() + deadline_s
    while True:
        remaining = find()
        if not remaining or time.monotonic() > give_up:
            return len(killed)
        for pid in remaining:
            if _alive(pid):
                try:
                    os.kill(pid, signal.SIGKILL)
                    killed.add(pid)
                except (ProcessLookupError, PermissionError):
                    pass
        reap_zombies()
        if find():
            time.sleep(0.001)   # SIGKILLed processes take a moment to become reapable


def reap_zombies() -> None:
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return
