"""The shipped example workspace: every mined task maps to tests, the original body passes and a
`raise NotImplementedError` body fails, through the fork-server."""
import json
import sys
from pathlib import Path

import pytest

from rlvr_verify.source_index import SourceIndex
from verify_builders import ServeClient, Workspace

EXAMPLE = Path(__file__).resolve().parents[5] / "examples" / "python-basics"
pytestmark = [
    pytest.mark.skipif(not (EXAMPLE / "tests").is_dir(), reason=f"{EXAMPLE} not present"),
    pytest.mark.skipif(sys.version_info < (3, 10), reason="the example needs Python >= 3.10 (X | Y annotations)"),
]


@pytest.fixture(scope="module")
def mined():
    ws = Workspace(EXAMPLE)
    before = ws.snapshot()
    result = ws.run_json("mine")
    assert ws.snapshot() == before
    return result


def tasks(mined):
    """function key -> test ids that call it (only passing tests)."""
    passing = {t["id"] for t in mined["tests"] if t["outcome"] == "passed"}
    out = {}
    for test_id, callees in mined["calls"].items():
        for callee in callees:
            if test_id in passing:
                out.setdefault(callee, []).append(test_id)
    return out


def test_every_test_passes_and_maps_to_functions(mined):
    assert mined["collectErrors"] == []
    assert all(t["outcome"] == "passed" for t in mined["tests"])
    assert all(mined["calls"][t["id"]] for t in mined["tests"])


def test_uncalled_functions_are_not_tasks_and_methods_are(mined):
    mapped = tasks(mined)
    for uncalled in ("basics/strings.py::preview", "basics/arithmetic.py::percent",
                     "basics/parsing.py::read_config_file"):
        assert uncalled not in mapped
    for method in ("Stack.push", "Stack.pop", "Stack.peek"):
        assert "basics/structures.py::" + method in mapped


def test_original_passes_and_not_implemented_fails_for_every_task(mined):
    mapped = tasks(mined)
    functions = {f"{f['file']}::{f['symbol']}": f for f in mined["functions"]}
    client = ServeClient(EXAMPLE)
    failures = []
    try:
        for key, tests in sorted(mapped.items()):
            fn = functions[key]
            source = (EXAMPLE / fn["file"]).read_text()
            index = SourceIndex(source)
            site = index.find(fn["symbol"])
            original = "".join(index.lines[site.def_line - 1:site.end_line])
            reply = client.verify(fn["file"], fn["symbol"], original, tests)
            if reply.get("status") != "ok" or reply["flags"] or \
                    any(t["outcome"] != "passed" for t in reply["tests"][:-1]):
                failures.append((key, "original", reply))
            stub = index.header_text(site.node) + "\n    raise NotImplementedError\n"
            reply = client.verify(fn["file"], fn["symbol"], stub, tests)
            if reply.get("status") != "ok" or any(t["outcome"] == "passed" for t in reply["tests"]):
                failures.append((key, "stub", reply))
    finally:
        client.close()
    assert not failures, json.dumps(failures[:3], indent=1)[:4000]
    assert len(mapped) >= 40
