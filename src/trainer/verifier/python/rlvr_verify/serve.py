"""``serve``: a pytest fork-server. Collects the pristine tests once, then per request forks a
child that checks, loads and runs one candidate (see child.py); replies are judged here."""
from __future__ import annotations

import gc
import inspect
import json
import os
import platform
import secrets
import sys
import time
from typing import Any, Dict, Hashable, List, Set, Tuple

import pytest

from . import PROTOCOL_VERSION, reaper, timing
from .check import CheckInputError, check_candidate, load_pristine, pristine_baseline
from .child import ChildJob, ReportSink, run_child
from .forkrun import run_forked
from .literals import keys_from_sources, keys_from_test_ids
from .loader import LoadError, import_by_path
from .protocol import RequestError, parse_request
from .reports import short_message
from .source_index import SourceIndex
from .stdio import detach_protocol_streams
from .verdict import judge


class Server:
    def __init__(self, reader, writer, root: str, reap_namespace: bool) -> None:
        self.reader, self.writer = reader, writer
        self.root = root
        self.reap_namespace = reap_namespace
        self.sink = ReportSink()
        self.collect_errors: List[str] = []
        self.items: Dict[str, Any] = {}
        self.ready_sent = False
        self.started = time.monotonic()
        self._pristine: Dict[str, SourceIndex] = {}
        self._modules: Dict[str, Any] = {}
        self._expected: Dict[Tuple[Tuple[str, ...], Tuple[str, ...]], Set[Hashable]] = {}

    # pytest hooks (this object is registered as a plugin) -----------------------------------
    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid or '<session>'}: {short_message(report)}")

    def pytest_runtest_logreport(self, report) -> None:
        self.sink.pytest_runtest_logreport(report)

    @pytest.hookimpl(tryfirst=True)
    def pytest_runtestloop(self, session) -> bool:
        self.items = {item.nodeid: item for item in session.items}
        warm_up()
        self.ready_sent = True
        self.send({"type": "ready", "protocol": PROTOCOL_VERSION, "tests": len(self.items),
                   "collect_seconds": round(time.monotonic() - self.started, 6),
                   "collectErrors": self.collect_errors, "python": platform.python_version(),
                   "pytest": pytest.__version__, "subreaper": reaper.become_subreaper()})
        for line in iter(self.reader.readline, b""):
            if line.strip():
                self.send(self.handle(line))
        return True

    # protocol -------------------------------------------------------------------------------
    def send(self, message: Dict[str, Any]) -> None:
        self.writer.write((json.dumps(message) + "\n").encode())

    def handle(self, line: bytes) -> Dict[str, Any]:
        request_id = None
        try:
            obj = json.loads(line)
            request_id = obj.get("id") if isinstance(obj, dict) else None
            return self._verify(parse_request(obj))
        except (ValueError, RequestError, CheckInputError, LoadError) as exc:
            return {"type": "error", "id": request_id, "message": str(exc)}
        except Exception as exc:  # noqa: BLE001 - e.g. fork() failing: answer, keep serving
            return {"type": "error", "id": request_id, "message": f"internal error: {type(exc).__name__}: {exc}"}

    def _verify(self, req) -> Dict[str, Any]:
        started = time.monotonic()
        unknown = [t for t in req.tests if t not in self.items]
        if unknown:
            raise RequestError(f"unknown test ids {unknown[:5]} (the server collected {len(self.items)} "
                               "tests; re-mine the workspace if it changed)")
        path = os.path.join(self.root, req.file)
        pristine = self._pristine_index(path, req.file)
        try:
            pristine_baseline(pristine, req.symbol)     # computed here once, inherited by children
        except LookupError as exc:
            raise RequestError(str(exc)) from exc
        module = self._module(path)
        job = ChildJob(req, pristine, module, [self.items[t] for t in req.tests],
                       self._expected_keys(req.expected_literals, req.held_out_tests), self.sink,
                       secrets.token_hex(12))
        protocol_fds = [self.reader.fileno(), self.writer.fileno()]
        timing.start_request()
        outcome = run_forked(lambda channel, log: run_child(job, channel, log), req.timeout_s, protocol_fds)
        reaper.kill_leftovers(os.getpid(), self.reap_namespace)
        reply = judge(req.tests, req.sentinel, job.token, outcome, req.timeout_s, time.monotonic() - started)
        marks = [m["timing"] for m in outcome.messages if m.get("kind") == "done" and "timing" in m]
        if marks:   # RLVR_VERIFY_TIMING=1 only: phase marks in ms, for profiling
            reply["timing"] = marks[0] + [("server total", timing.since_origin_ms())]
        return dict({"type": "result", "id": req.id}, **reply)

    def _module(self, path: str):
        """The target module, imported once here (trusted pristine code) so children inherit it."""
        module = self._modules.get(path)
        if module is None:
            loaded = len(sys.modules)
            module = self._modules[path] = import_by_path(path)
            if len(sys.modules) != loaded:
                warm_up_modules()
        return module

    def _pristine_index(self, path: str, label: str) -> SourceIndex:
        if path not in self._pristine:
            self._pristine[path] = load_pristine(path, label)
        return self._pristine[path]

    def _expected_keys(self, literals: Tuple[str, ...], held_out: Tuple[str, ...]) -> Set[Hashable]:
        key = (literals, held_out)
        if key not in self._expected:
            self._expected[key] = keys_from_sources(literals) | keys_from_test_ids(self.root, held_out)
        return self._expected[key]


def warm_up() -> None:
    """Pay one-time lazy costs (regex compilation in tokenize, pytest's traceback machinery)
    here, not again in every forked child."""
    index = SourceIndex("import os\nclass A:\n    def f(self, x=1):\n        return 'a'\n")
    check_candidate(index, "A.f", '    def f(self, x=2):\n        s = """a\nb"""\n        return s\n')
    try:
        raise AssertionError("warm-up")
    except AssertionError:
        pytest.ExceptionInfo.from_current().getrepr(style="short")
    warm_up_modules()


def warm_up_modules() -> None:
    """``inspect.getmodule`` (used by pytest to show failing source) caches the file of every
    loaded module; fill that cache here so children only add what they import themselves."""
    inspect.getmodule(warm_up_modules.__code__)
    # Objects alive now are never collected in children: keeps gc from touching (and so
    # copying) the server's memory pages after each fork.
    gc.freeze()


def main(pytest_args: List[str], reap_namespace: bool) -> int:
    reader, writer = detach_protocol_streams()
    root = os.getcwd()
    server = Server(reader, writer, root, reap_namespace)
    args = ["-p", "no:cacheprovider", "-q", "-s", "--rootdir", root] + list(pytest_args)
    code = int(pytest.main(args, plugins=[server]))
    if server.ready_sent:
        return 0          # stdin closed after serving; collection errors were in the ready line
    server.send({"type": "fatal", "message": f"pytest could not start (exit code {code}); see stderr"})
    return code or 1
