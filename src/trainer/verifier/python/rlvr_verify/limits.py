"""Resource limits for one candidate child (applied after fork, before untrusted code)."""
from __future__ import annotations

import os
import resource
import signal
from dataclasses import dataclass
from typing import Any, Dict

_GIB = 1 << 30


@dataclass(frozen=True)
class Limits:
    memory_bytes: int = _GIB          # on top of the forked server's own address space
    cpu_seconds: int = 10
    nproc: int = 64
    fsize_bytes: int = 64 << 20
    nofile: int = 256

    @classmethod
    def from_json(cls, obj: Dict[str, Any], default_cpu: int) -> "Limits":
        known = {"memory_bytes", "cpu_seconds", "nproc", "fsize_bytes", "nofile"}
        unknown = set(obj) - known
        if unknown:
            raise ValueError(f"unknown limits {sorted(unknown)}; known: {sorted(known)}")
        values = {"cpu_seconds": default_cpu}
        for key, value in obj.items():
            if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
                raise ValueError(f"limits.{key} must be a positive integer, got {value!r}")
            values[key] = value
        return cls(**values)  # type: ignore[arg-type]


def current_address_space() -> int:
    with open("/proc/self/statm") as fh:
        pages = int(fh.read().split()[0])
    return pages * os.sysconf("SC_PAGE_SIZE")


def _set(kind: int, value: int, hard_extra: int = 0) -> None:
    soft_now, hard_now = resource.getrlimit(kind)
    hard = value + hard_extra
    if hard_now != resource.RLIM_INFINITY:
        hard = min(hard, hard_now)
    resource.setrlimit(kind, (min(value, hard), hard))


def apply_limits(limits: Limits) -> None:
    """RLIMIT_AS = current size + memory budget (the child starts as a copy of the big server);
    CPU soft limit raises SIGXCPU, the hard one a second later kills; oversized writes fail with
    EFBIG instead of killing the child. Note: the kernel does not enforce RLIMIT_NPROC for root."""
    _set(resource.RLIMIT_AS, current_address_space() + limits.memory_bytes)
    _set(resource.RLIMIT_CPU, limits.cpu_seconds, hard_extra=1)
    _set(resource.RLIMIT_NPROC, limits.nproc)
    _set(resource.RLIMIT_FSIZE, limits.fsize_bytes)
    _set(resource.RLIMIT_NOFILE, limits.nofile)
    _set(resource.RLIMIT_CORE, 0)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
