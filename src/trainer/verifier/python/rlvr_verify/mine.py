"""``mine``: run the workspace's tests once, in-process, recording per test which workspace
functions it calls, plus each function's metadata for task building."""
from __future__ import annotations

import json
import os
import sys
from collections import OrderedDict
from typing import Any, Dict, List, Set

import pytest

from .context import render_context
from .reports import aggregate, short_message
from .stdio import stdout_to_stderr
from .tracer import CallTracer, SymbolResolver
from .workspace import Workspace


class MinePlugin:
    """Traces setup (fixtures) and call phases; teardown calls are not attributed to the test."""

    def __init__(self, workspace: Workspace, tracer: CallTracer) -> None:
        self.workspace = workspace
        self.tracer = tracer
        self.reports: "OrderedDict[str, List[Any]]" = OrderedDict()
        self.collect_errors: List[str] = []
        self.item_ids: List[str] = []

    def pytest_collection_finish(self, session) -> None:
        self.item_ids = [item.nodeid for item in session.items]
        self.workspace.add_test_files(str(item.path) for item in session.items if hasattr(item, "path"))

    def pytest_collectreport(self, report) -> None:
        if report.failed:
            self.collect_errors.append(f"{report.nodeid or '<session>'}: {short_message(report)}")

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_setup(self, item):
        self.tracer.begin(item.nodeid)
        try:
            yield
        finally:
            self.tracer.pause()

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_call(self, item):
        self.tracer.begin(item.nodeid)
        try:
            yield
        finally:
            self.tracer.pause()

    def pytest_runtest_logreport(self, report) -> None:
        self.reports.setdefault(report.nodeid, []).append(report)


def mine(root: str, pytest_args: List[str]) -> Dict[str, Any]:
    workspace = Workspace(root)
    resolver = SymbolResolver(workspace)
    tracer = CallTracer(resolver)
    plugin = MinePlugin(workspace, tracer)
    args = ["-p", "no:cacheprovider", "-q", "--rootdir", root,
            "--continue-on-collection-errors"] + list(pytest_args)
    with stdout_to_stderr():
        exit_code = pytest.main(args, plugins=[plugin])
    if int(exit_code) in (3, 4):  # internal error / usage error: nothing trustworthy ran
        plugin.collect_errors.append(f"pytest exited with code {int(exit_code)} (args: {args})")
    tests = [aggregate(test_id, plugin.reports.get(test_id, [])).to_json() for test_id in plugin.item_ids]
    for item in tests:
        item.pop("message", None)
    calls = {test_id: sorted(tracer.calls.get(test_id, set())) for test_id in plugin.item_ids}
    return {
        "tests": tests,
        "functions": _functions(workspace, resolver, calls),
        "calls": calls,
        "collectErrors": plugin.collect_errors,
    }


def _functions(workspace: Workspace, resolver: SymbolResolver, calls: Dict[str, List[str]]) -> List[Dict[str, Any]]:
    """Metadata for every task-eligible function in workspace files that were imported or called."""
    files: Set[str] = set()
    for module in list(sys.modules.values()):
        path = getattr(module, "__file__", None)
        if path and workspace.is_source_file(path):
            files.add(os.path.realpath(path))
    for callees in calls.values():
        files.update(workspace.abspath(c.split("::", 1)[0]) for c in callees)
    out: List[Dict[str, Any]] = []
    for path in sorted(files):
        index = resolver.index_for(path)
        if index is None:
            continue
        rel = workspace.relpath(path)
        for symbol, site in index.sites.items():
            out.append({
                "file": rel,
                "symbol": symbol,
                "signature": index.header_text(site.node),
                "docstring": _docstring(site.node),
                "startLine": site.start_line,
                "endLine": site.end_line,
                "context": render_context(index, site),
                "kind": site.kind,
            })
    return out


def _docstring(node) -> Any:
    import ast
    return ast.get_docstring(node, clean=True)


def main(pytest_args: List[str]) -> int:
    result = mine(os.getcwd(), pytest_args)
    sys.stdout.write(json.dumps(result) + "\n")
    sys.stdout.flush()
    return 0
