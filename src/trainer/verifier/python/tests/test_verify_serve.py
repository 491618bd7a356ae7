"""End-to-end tests of the fork-server, run WITHOUT a sandbox (the Python side's own defences)."""
import os
import re
import textwrap

import pytest

from rlvr_verify.reaper import descendants
from verify_builders import ServeClient, basic_workspace, flag_codes, outcomes

T = "tests/test_strings.py::"
FILE = "pkg/strings.py"
SLUG_TESTS = [T + "test_slugify_basic", T + "test_slugify_param[Foo Bar-foo-bar]"]
GOOD_SLUG = """
    def slugify(text, sep='-'):
        return sep.join(text.lower().split())
"""


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    return basic_workspace(tmp_path_factory.mktemp("serve") / "ws")


@pytest.fixture(scope="module")
def server(ws):
    before = ws.snapshot()
    client = ServeClient(ws.root)
    yield client
    client.close()
    assert ws.snapshot() == before, "serve wrote into the workspace"


def assert_still_serving(server):
    reply = server.verify(FILE, "slugify", GOOD_SLUG, SLUG_TESTS)
    assert reply["status"] == "ok" and reply["flags"] == [], reply
    assert all(o == "passed" for i, o in outcomes(reply).items() if "sentinel" not in i)


def test_ready_line(server):
    assert server.ready["type"] == "ready"
    assert server.ready["tests"] == 11 and server.ready["collectErrors"] == []
    assert server.ready["collect_seconds"] > 0


def test_correct_candidate_passes_and_sentinel_fails(server):
    reply = server.verify(FILE, "slugify", GOOD_SLUG, SLUG_TESTS)
    assert reply["status"] == "ok" and reply["flags"] == []
    sentinel = reply["tests"][-1]
    assert sentinel["id"].startswith("test_rlvr_sentinel_") and sentinel["outcome"] == "failed"
    assert [t["id"] for t in reply["tests"][:-1]] == SLUG_TESTS
    assert all(t["outcome"] == "passed" for t in reply["tests"][:-1])


def test_wrong_candidate_fails_with_assertion_message(server):
    reply = server.verify(FILE, "slugify", "def slugify(text, sep='-'):\n    return text\n", SLUG_TESTS)
    assert reply["status"] == "ok"
    first = reply["tests"][0]
    assert first["outcome"] == "failed" and "hello-world" in first["message"]


def test_references_imported_by_tests_see_the_candidate(server):
    # the test module did `from pkg.strings import slugify` at collection time
    reply = server.verify(FILE, "slugify", "def slugify(text, sep='-'):\n    return 'nope'\n", [T + "test_slugify_basic"])
    assert outcomes(reply)[T + "test_slugify_basic"] == "failed"


def test_methods_fixtures_and_super(server):
    reply = server.verify(FILE, "Stack.pop", "    def pop(self):\n        return self.items[-1]\n", [T + "test_pop"])
    assert outcomes(reply)[T + "test_pop"] == "passed"
    reply = server.verify(FILE, "Stack.pop", "def pop(self):\n    return 99\n", [T + "test_pop"])
    assert outcomes(reply)[T + "test_pop"] == "failed"
    # zero-argument super() in a replaced method refers to the real class
    reply = server.verify(FILE, "Child.push", "def push(self, item):\n    super().push(item * 10)\n", [T + "test_child_push"])
    assert outcomes(reply)[T + "test_child_push"] == "passed", reply
    reply = server.verify(FILE, "Child.push", "def push(self, item):\n    super().push(item)\n", [T + "test_child_push"])
    assert outcomes(reply)[T + "test_child_push"] == "failed"


def test_decorated_function_keeps_decorator_and_cache_is_fresh(server):
    reply = server.verify(FILE, "shout", "def shout(word):\n    return word.upper() + '!'\n", [T + "test_shout"])
    assert outcomes(reply)[T + "test_shout"] == "passed"
    reply = server.verify(FILE, "shout", "def shout(word):\n    return word\n", [T + "test_shout"])
    assert outcomes(reply)[T + "test_shout"] == "failed"
    reply = server.verify(FILE, "shout", "@staticmethod\ndef shout(word):\n    return word.upper() + '!'\n",
                          [T + "test_shout"])
    assert reply["status"] == "ok"   # replaced decorators: loaded by rebinding (staticmethod is callable on 3.10+)


def test_candidates_do_not_leak_into_each_other(server):
    server.verify(FILE, "slugify", "def slugify(text, sep='-'):\n    return 'leak'\n", SLUG_TESTS)
    assert_still_serving(server)


def test_static_rejection_runs_nothing(server):
    reply = server.verify(FILE, "slugify", "import sys\ndef slugify(text, sep='-'):\n    sys.exit(0)\n", SLUG_TESTS)
    assert reply["status"] == "rejected" and reply["tests"] == []
    assert flag_codes(reply) == ["exit_call"]


def test_held_out_literals_in_request(server):
    reply = server.verify(FILE, "slugify", "def slugify(text, sep='-'):\n    return 'hello-world'\n", SLUG_TESTS,
                          held_out_tests=[T + "test_slugify_basic"])
    assert flag_codes(reply) == ["hardcoded_expected"]
    reply = server.verify(FILE, "slugify", "def slugify(text, sep='-'):\n    return 'foo-bar'\n", SLUG_TESTS,
                          expected_literals=["'foo-bar'"])
    assert flag_codes(reply) == ["hardcoded_expected"]


def test_always_equal_object_is_rejected(server):
    candidate = """
        def slugify(text, sep='-'):
            class Anything(str):
                def __eq__(self, other):
                    return True
            return Anything()
    """
    reply = server.verify(FILE, "slugify", candidate, SLUG_TESTS)
    assert reply["status"] == "rejected" and flag_codes(reply) == ["always_equal"]


# --- runtime defences, static checks switched off to reach them -------------------------------

def unchecked(server, candidate, tests=SLUG_TESTS, **extra):
    return server.verify(FILE, "slugify", candidate, tests, skip_static_checks=True, **extra)


def test_os_exit_zero_is_a_crash_not_a_pass(server):
    reply = unchecked(server, "import os\ndef slugify(text, sep='-'):\n    os._exit(0)\n")
    assert reply["status"] == "crashed" and "crashed" in flag_codes(reply)
    assert all(t["outcome"] == "error" for t in reply["tests"])
    assert_still_serving(server)


def test_sys_exit_zero_fails_the_test(server):
    reply = unchecked(server, "import sys\ndef slugify(text, sep='-'):\n    sys.exit(0)\n")
    assert reply["status"] == "ok"
    assert outcomes(reply)[SLUG_TESTS[0]] == "failed" and "SystemExit" in reply["tests"][0]["message"]


def test_pytest_exit_aborts_and_is_not_a_pass(server):
    reply = unchecked(server, "import pytest\ndef slugify(text, sep='-'):\n    pytest.exit('bye', returncode=0)\n")
    assert reply["status"] == "crashed" and not any(t["outcome"] == "passed" for t in reply["tests"])
    assert_still_serving(server)


def test_skip_from_candidate_is_flagged(server):
    reply = unchecked(server, "import pytest\ndef slugify(text, sep='-'):\n    pytest.skip('later')\n")
    assert "skipped_not_passed" in flag_codes(reply)


def test_infinite_loop_times_out(server):
    reply = unchecked(server, "def slugify(text, sep='-'):\n    while True:\n        pass\n",
                      timeout_s=1.0, limits={"cpu_seconds": 30})
    assert reply["status"] == "timeout" and "timeout" in flag_codes(reply)
    assert reply["seconds"] < 5
    assert_still_serving(server)


def test_cpu_limit(server):
    reply = unchecked(server, "def slugify(text, sep='-'):\n    while True:\n        pass\n",
                      timeout_s=20, limits={"cpu_seconds": 1})
    assert reply["status"] == "timeout" and "resource_limit" in flag_codes(reply)


def test_memory_bomb_is_a_memory_error_not_a_server_death(server):
    candidate = "def slugify(text, sep='-'):\n    blob = bytearray(8 << 30)\n    return 'x'\n"
    reply = unchecked(server, candidate, limits={"memory_bytes": 256 << 20})
    assert reply["status"] in ("ok", "crashed")
    assert not any(t["outcome"] == "passed" for t in reply["tests"])
    assert "resource_limit" in flag_codes(reply) or reply["status"] == "crashed"
    assert_still_serving(server)


def test_fork_flood_is_bounded_and_cleaned_up(server):
    candidate = """
        import os, time
        def slugify(text, sep='-'):
            made = 0
            for _ in range(60):
                try:
                    pid = os.fork()
                except OSError:
                    break
                if pid == 0:
                    time.sleep(60)
                    os._exit(0)
                made += 1
            return 'made %d' % made
    """
    reply = unchecked(server, candidate, tests=[T + "test_slugify_basic"], limits={"nproc": 20})
    message = reply["tests"][0]["message"]
    made = int(re.search(r"made (\d+)", message).group(1))
    if os.geteuid() != 0:
        assert made < 20        # RLIMIT_NPROC (the kernel does not enforce it for root)
    assert descendants(server.proc.pid) == set(), "leftover processes survived the candidate"
    assert_still_serving(server)


def test_setsid_daemon_is_killed_afterwards(server, tmp_path):
    pid_file = tmp_path / "daemon.pid"
    candidate = f"""
        import os, signal, time
        def slugify(text, sep='-'):
            if os.fork() == 0:
                os.setsid()
                if os.fork() == 0:
                    signal.signal(signal.SIGTERM, signal.SIG_IGN)
                    with open({str(pid_file)!r}, 'w') as fh:
                        fh.write(str(os.getpid()))
                    time.sleep(120)
                os._exit(0)
            for _ in range(200):
                if os.path.exists({str(pid_file)!r}):
                    break
                time.sleep(0.01)
            return 'daemon started'
    """
    reply = unchecked(server, candidate, tests=[T + "test_slugify_basic"])
    assert reply["status"] == "ok"
    daemon = int(pid_file.read_text())
    assert not _alive(daemon), "the setsid daemon outlived its candidate"
    assert_still_serving(server)


def test_a_test_that_forks_still_works(server):
    candidate = """
        import os
        def slugify(text, sep='-'):
            r, w = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.write(w, sep.join(text.lower().split()).encode())
                os._exit(0)
            os.close(w)
            os.waitpid(pid, 0)
            return os.read(r, 1000).decode()
    """
    reply = unchecked(server, candidate)
    assert all(t["outcome"] == "passed" for t in reply["tests"][:-1]), reply


def test_report_patching_is_caught_by_the_sentinel(server):
    candidate = """
        import _pytest.reports as reports
        def slugify(text, sep='-'):
            original = reports.TestReport.from_item_and_call.__func__
            def forged(cls, item, call):
                report = original(cls, item, call)
                report.outcome = 'passed'
                report.longrepr = None
                return report
            reports.TestReport.from_item_and_call = classmethod(forged)
            return 'wrong'
    """
    reply = unchecked(server, candidate)
    assert "sentinel_passed" in flag_codes(reply)
    assert_still_serving(server)     # the patch died with the child


def test_writes_to_stdout_do_not_reach_the_protocol(server):
    candidate = """
        import os, sys
        def slugify(text, sep='-'):
            print('{"id": 999, "status": "ok"}')
            os.write(1, b'{"type": "result", "status": "ok"}\\n')
            sys.__stdout__.write('garbage\\n')
            return sep.join(text.lower().split())
    """
    reply = unchecked(server, candidate)
    assert reply["status"] == "ok" and reply["flags"] == []
    assert_still_serving(server)


# --- protocol errors ---------------------------------------------------------------------------

def test_malformed_requests_get_typed_errors(server):
    assert server.send_raw("not json")["type"] == "error"
    reply = server.send_raw('{"id": 5, "file": "pkg/strings.py"}')
    assert reply["type"] == "error" and reply["id"] == 5 and "symbol" in reply["message"]
    reply = server.verify(FILE, "slugify", GOOD_SLUG, ["tests/test_strings.py::nope"])
    assert reply["type"] == "error" and "unknown test ids" in reply["message"]
    reply = server.verify(FILE, "missing", GOOD_SLUG, SLUG_TESTS)
    assert reply["type"] == "error" and "no function 'missing'" in reply["message"]
    assert_still_serving(server)


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            state = fh.read().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state not in ("Z", "X")


def test_reap_namespace_mode_inside_a_private_pid_namespace(ws, tmp_path):
    """What bwrap --unshare-pid gives the server: after each candidate only the server (and
    pid 1) may remain in the namespace."""
    import shutil
    import subprocess
    prefix = ["unshare", "--pid", "--fork", "--mount-proc"]
    if os.geteuid() != 0:
        prefix[1:1] = ["--user", "--map-root-user"]
    if shutil.which("unshare") is None or subprocess.run(prefix + ["true"], capture_output=True).returncode != 0:
        pytest.skip("cannot create a PID namespace here (unshare missing or not permitted)")
    client = ServeClient(ws.root, "--reap-namespace", prefix=prefix)
    try:
        daemon = """
            import os, time
            def slugify(text, sep='-'):
                if os.fork() == 0:
                    os.setsid()
                    if os.fork() == 0:
                        time.sleep(120)
                    os._exit(0)
                time.sleep(0.2)
                return 'started'
        """
        reply = client.verify(FILE, "slugify", daemon, [T + "test_slugify_basic"], skip_static_checks=True)
        assert reply["status"] == "ok"
        census = """
            import os
            def slugify(text, sep='-'):
                return 'pids ' + ' '.join(sorted(p for p in os.listdir('/proc') if p.isdigit()))
        """
        reply = client.verify(FILE, "slugify", census, [T + "test_slugify_basic"], skip_static_checks=True)
        pids = re.search(r"pids ([\d ]+)", reply["tests"][0]["message"]).group(1).split()
        assert len(pids) == 2, f"expected only the server and the candidate child, saw {pids}"
        assert "1" in pids
        assert_still_serving(client)
    finally:
        client.close()


def test_collection_errors_are_listed_in_the_ready_line(tmp_path):
    broken = basic_workspace(tmp_path / "ws")
    broken.write("tests/test_broken.py", "import does_not_exist\n")
    client = ServeClient(broken.root)
    try:
        assert any("test_broken.py" in e for e in client.ready["collectErrors"])
        assert_still_serving(client)
    finally:
        client.close()


def test_pytest_usage_error_is_a_fatal_line(tmp_path):
    ws = basic_workspace(tmp_path / "ws")
    client = ServeClient(ws.root, "--no-such-pytest-option")
    try:
        assert client.ready["type"] == "fatal" and "exit code" in client.ready["message"]
    finally:
        client.close()
