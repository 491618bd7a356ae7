"""``run`` = fresh pytest over the spliced file (the sandbox binds it over the original; here we
write it into a copy of the workspace instead)."""
import json
import shutil

import pytest

from verify_builders import Workspace, basic_workspace

T = "tests/test_strings.py::"


@pytest.fixture
def spliced_copy(tmp_path):
    """(workspace with the candidate spliced in, path of the pristine file, helper to run)"""
    pristine_ws = basic_workspace(tmp_path / "pristine")
    pristine_file = pristine_ws.root / "pkg" / "strings.py"

    def prepare(candidate: str, tests, with_pristine=True):
        run_ws = Workspace(tmp_path / "run")
        if run_ws.root.exists():
            shutil.rmtree(run_ws.root)
        shutil.copytree(pristine_ws.root, run_ws.root)
        cand = tmp_path / "cand.py"
        cand.write_text(candidate)
        spliced = tmp_path / "spliced.py"
        check = pristine_ws.run_json("check", "--file", "pkg/strings.py", "--symbol", "slugify",
                                     "--candidate-file", str(cand), "--spliced-output", str(spliced))
        if spliced.exists():
            shutil.copy(spliced, run_ws.root / "pkg" / "strings.py")
        tests_file = tmp_path / "tests.json"
        tests_file.write_text(json.dumps(tests))
        report = tmp_path / "report.json"
        args = ["run", "--file", "pkg/strings.py", "--symbol", "slugify", "--candidate-file", str(cand),
                "--tests-file", str(tests_file), "--sentinel", "test_rlvr_sentinel_r", "--report", str(report)]
        if with_pristine:
            args += ["--pristine-file", str(pristine_file)]
        proc = run_ws.run(*args)
        return check, proc, json.loads(report.read_text())

    return prepare


def test_correct_candidate_passes(spliced_copy):
    _, proc, report = spliced_copy("def slugify(text, sep='-'):\n    return sep.join(text.lower().split())\n",
                                   [T + "test_slugify_basic", T + "test_slugify_sep"])
    assert proc.returncode == 0, proc.stderr
    assert report["status"] == "ok" and report["flags"] == [] and report["staticChecks"] is True
    assert [t["outcome"] for t in report["tests"]] == ["passed", "passed", "failed"]
    assert report["tests"][-1]["id"] == "test_rlvr_sentinel_r"


def test_wrong_candidate_fails(spliced_copy):
    _, _, report = spliced_copy("def slugify(text, sep='-'):\n    return text\n", [T + "test_slugify_basic"])
    assert report["tests"][0]["outcome"] == "failed"


def test_static_flags_reject_without_running(spliced_copy):
    _, _, report = spliced_copy("import os\ndef slugify(text, sep='-'):\n    os._exit(0)\n", [T + "test_slugify_basic"])
    assert report["status"] == "rejected" and "exit_call" in [f["code"] for f in report["flags"]]


def test_refuses_a_target_file_that_is_not_the_spliced_candidate(tmp_path):
    ws = basic_workspace(tmp_path / "ws")
    cand = tmp_path / "cand.py"
    cand.write_text("def slugify(text, sep='-'):\n    return text\n")
    (tmp_path / "tests.json").write_text(json.dumps([T + "test_slugify_basic"]))
    proc = ws.run("run", "--file", "pkg/strings.py", "--symbol", "slugify", "--candidate-file", str(cand),
                  "--tests-file", str(tmp_path / "tests.json"), "--sentinel", "test_rlvr_sentinel_r",
                  "--report", str(tmp_path / "r.json"), "--pristine-file", str(ws.root / "pkg" / "strings.py"))
    assert proc.returncode == 2
    assert "not the spliced candidate" in json.loads((tmp_path / "r.json").read_text())["message"]


def test_without_pristine_file_static_checks_are_skipped_and_said_so(spliced_copy):
    _, _, report = spliced_copy("def slugify(text, sep='-'):\n    return sep.join(text.lower().split())\n",
                                [T + "test_slugify_basic"], with_pristine=False)
    assert report["staticChecks"] is False and report["status"] == "ok"
