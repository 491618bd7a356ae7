"""Opt-in phase timing for profiling the fork-server (``RLVR_VERIFY_TIMING=1``)."""
from __future__ import annotations

import os
import time
from typing import Dict, List, Tuple

ENABLED = bool(os.environ.get("RLVR_VERIFY_TIMING"))
_ORIGIN_ENV = "RLVR_VERIFY_T0"


def start_request() -> None:
    """Server side, before fork: the origin every mark is measured from (children inherit it)."""
    if ENABLED:
        os.environ[_ORIGIN_ENV] = repr(time.perf_counter())


def since_origin_ms() -> float:
    return round((time.perf_counter() - float(os.environ.get(_ORIGIN_ENV, "0"))) * 1000, 2)


class PhaseTimer:
    def __init__(self) -> None:
        self.marks: List[Tuple[str, float]] = []

    def mark(self, name: str) -> None:
        if ENABLED:
            self.marks.append((name, since_origin_ms()))

    def report(self) -> Dict[str, object]:
        return {"timing": list(self.marks)} if ENABLED and self.marks else {}
