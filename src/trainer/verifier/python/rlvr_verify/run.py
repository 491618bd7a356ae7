"""``run``: one fresh pytest run of the listed tests plus a sentinel, in this process (for the
baseline benchmark and as a fallback when fork is unavailable). The sandbox binds the spliced
module over the target path, so this process imports the candidate like any module."""
from __future__ import annotations

import json
import os
import secrets
import shutil
import tempfile
import time
from collections import OrderedDict
from typing import Any, Dict, List, Optional

import pytest

from .check import CheckInputError, check_candidate, expected_keys, load_pristine, _read_json_list
from .flags import flags_to_json
from .forkrun import ChildOutcome
from .reports import aggregate
from .stdio import stdout_to_stderr
from .verdict import judge


class RunReportPlugin:
    def __init__(self, sentinel_path: str, sentinel: str) -> None:
        self.sentinel_path = os.path.realpath(sentinel_path)
        self.sentinel = sentinel
        self.public_ids: Dict[str, str] = {}
        self.reports: "OrderedDict[str, List[Any]]" = OrderedDict()

    def pytest_collection_finish(self, session) -> None:
        for item in session.items:
            in_sentinel_file = os.path.realpath(str(getattr(item, "path", ""))) == self.sentinel_path
            self.public_ids[item.nodeid] = self.sentinel if in_sentinel_file else item.nodeid

    def pytest_runtest_logreport(self, report) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)


def _sentinel_source(name: str, token: str) -> str:
    return ("import pytest\n\n\n"
            f"def {name}():\n"
            f"    pytest.fail('rlvr sentinel {token}: this test must fail', pytrace=False)\n")


def _static_verdict(args, root: str) -> Optional[Dict[str, Any]]:
    """Static checks against ``--pristine-file`` (the overlay hides the original); None = pass."""
    if not args.pristine_file:
        return None
    pristine = load_pristine(args.pristine_file, args.file)
    with open(args.candidate_file, encoding="utf-8") as fh:
        candidate = fh.read()
    result = check_candidate(pristine, args.symbol, candidate,
                             expected_keys(root, args.expected_literals_file, args.held_out_tests_file))
    if result.flags:
        return {"status": "rejected", "tests": [], "flags": flags_to_json(result.flags), "seconds": 0.0}
    with open(os.path.join(root, args.file), encoding="utf-8") as fh:
        on_disk = fh.read()
    if result.splice is None or on_disk != result.splice.text:
        raise CheckInputError(f"{args.file} is not the spliced candidate: bind the output of "
                              "`check --spliced-output` over it before `run`")
    return None


def run(args) -> Dict[str, Any]:
    started = time.monotonic()
    root = os.getcwd()
    rejected = _static_verdict(args, root)
    if rejected is not None:
        return rejected
    tests = _read_json_list(args.tests_file)
    if not args.sentinel.isidentifier() or not args.sentinel.startswith("test"):
        raise CheckInputError(f"--sentinel must be an identifier starting with 'test', got {args.sentinel!r}")
    token = secrets.token_hex(12)
    tmp = tempfile.mkdtemp(prefix="rlvr-sentinel-")
    try:
        sentinel_path = os.path.join(tmp, f"{args.sentinel}.py")
        with open(sentinel_path, "w", encoding="utf-8") as fh:
            fh.write(_sentinel_source(args.sentinel, token))
        plugin = RunReportPlugin(sentinel_path, args.sentinel)
        with stdout_to_stderr():
            pytest.main(["-p", "no:cacheprovider", "-q", "--rootdir", root] + tests + [sentinel_path],
                         plugins=[plugin])
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    outcome = ChildOutcome(exit_code=0)
    for node_id, public_id in plugin.public_ids.items():
        result = aggregate(public_id, plugin.reports.get(node_id, []))
        outcome.messages.append(dict(result.to_json(), kind="test"))
    outcome.messages.append({"kind": "done"})
    reply = judge(tests, args.sentinel, token, outcome, timeout_s=0.0, seconds=time.monotonic() - started)
    reply["staticChecks"] = bool(args.pristine_file)
    return reply


def main(args) -> int:
    try:
        report = run(args)
        code = 0
    except (CheckInputError, ValueError, OSError) as exc:
        report, code = {"type": "error", "message": str(exc)}, 2
    with open(args.report, "w", encoding="utf-8") as fh:
        json.dump(report, fh)
    return code
