"""What one forked candidate child does: isolate itself, check, load, run tests, report."""
from __future__ import annotations

import os
import sys
import traceback
import types
from dataclasses import dataclass
from typing import Any, Hashable, List, Optional, Set

import pytest

from .check import check_candidate
from .flags import flags_to_json
from .forkrun import Channel
from .limits import apply_limits
from .loader import install_candidate
from .protocol import Request
from .reports import aggregate
from .source_index import SourceIndex
from .timing import PhaseTimer


class ReportSink:
    """Collects pytest's reports for the item being run (registered as a plugin in the server)."""

    def __init__(self) -> None:
        self.current: Optional[List[Any]] = None

    def pytest_runtest_logreport(self, report) -> None:
        if self.current is not None:
            self.current.append(report)


@dataclass
class ChildJob:
    request: Request
    pristine: SourceIndex
    module: types.ModuleType
    items: List[Any]              # collected pytest items, in request order
    expected: Set[Hashable]
    sink: ReportSink
    token: str                    # secret the sentinel's failure message must carry


def make_sentinel(parent: Any, name: str, token: str) -> Any:
    """An always-failing test item inside ``parent`` (a pytest Module node)."""
    def sentinel() -> None:
        # pytrace=False: pytest reports just this message, skipping costly traceback formatting.
        pytest.fail(f"rlvr sentinel {token}: this test must fail", pytrace=False)
    sentinel.__name__ = name
    return pytest.Function.from_parent(parent, name=name, callobj=sentinel)


def run_child(job: ChildJob, channel: Channel, log_path: str) -> None:
    """Runs in the forked child; the caller ``os._exit``s afterwards."""
    _T.mark("child entry")
    os.setpgid(0, 0)
    _redirect_output(log_path)
    apply_limits(job.request.limits)
    try:
        _check_load_and_run(job, channel)
    except BaseException as exc:  # noqa: BLE001 - anything escaping is reported, never raised
        channel.send({"kind": "internal_error", "message": _describe(exc)})
    finally:
        for stream in (sys.stdout, sys.stderr):
            try:
                stream.flush()
            except Exception:  # noqa: BLE001
                pass


def _redirect_output(log_path: str) -> None:
    """stdin from /dev/null; stdout and stderr to the child's log (never the server's pipe)."""
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    log = os.open(log_path, os.O_WRONLY | os.O_TRUNC)
    os.dup2(log, 1)
    os.dup2(log, 2)
    os.close(log)


def _check_load_and_run(job: ChildJob, channel: Channel) -> None:
    req = job.request
    _T.mark("start")
    result = check_candidate(job.pristine, req.symbol, req.candidate, job.expected,
                             static=not req.skip_static_checks)
    if not result.ok:
        channel.send({"kind": "rejected", "flags": flags_to_json(result.flags)})
        return
    _T.mark("checked")
    module_node = job.items[-1].getparent(pytest.Module)
    sentinel = make_sentinel(module_node, req.sentinel, job.token)
    try:
        mode = install_candidate(job.module, result)
    except BaseException as exc:  # noqa: BLE001 - the candidate's def/decorators/imports failed
        channel.send({"kind": "load_error", "message": _describe(exc)})
        return
    _T.mark("loaded")
    channel.send({"kind": "loaded", "mode": mode})
    if _run_items(job, list(job.items) + [sentinel], sentinel, channel):
        channel.send({"kind": "done", **_T.report()})


def _run_items(job: ChildJob, items: List[Any], sentinel: Any, channel: Channel) -> bool:
    """pytest's full per-item protocol (fixtures, warnings, logging as in a normal run), one
    result line per item; False when the session was aborted (pytest.exit, KeyboardInterrupt)."""
    req = job.request
    for position, item in enumerate(items):
        public_id = req.sentinel if item is sentinel else item.nodeid
        next_item = items[position + 1] if position + 1 < len(items) else None
        job.sink.current = []
        try:
            item.ihook.pytest_runtest_protocol(item=item, nextitem=next_item)
        except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt, pytest.exit ...
            channel.send({"kind": "aborted", "id": public_id, "message": _describe(exc)})
            return False
        reports, job.sink.current = job.sink.current, None
        channel.send(dict(aggregate(public_id, reports).to_json(), kind="test"))
        _T.mark("ran " + public_id[-20:])
    return True


_T = PhaseTimer()


def _describe(exc: BaseException) -> str:
    lines = traceback.format_exception_only(type(exc), exc)
    return "".join(lines).strip()[:2000]
