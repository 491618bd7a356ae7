"""The parent's judgement never trusts the child's word on which tests ran or how the sentinel
ended (messages here are forged the way a candidate with code execution could forge them)."""
import signal

from rlvr_verify.forkrun import ChildOutcome
from rlvr_verify.verdict import judge

TESTS = ["t::a", "t::b"]
SENTINEL = "test_sentinel_x"
TOKEN = "s3cr3t"


def run(messages, **kw):
    outcome = ChildOutcome(messages=messages, exit_code=kw.pop("exit_code", 0), **kw)
    return judge(TESTS, SENTINEL, TOKEN, outcome, timeout_s=2.0, seconds=0.1)


def result(id_, outcome="passed", message=""):
    return {"kind": "test", "id": id_, "outcome": outcome, "duration": 0.01, "message": message}


def codes(reply):
    return [f["code"] for f in reply["flags"]]


HONEST = [result("t::a"), result("t::b"), result(SENTINEL, "failed", f"rlvr sentinel {TOKEN}"), {"kind": "done"}]


def test_honest_run():
    reply = run(HONEST)
    assert reply["status"] == "ok" and reply["flags"] == []
    assert [t["id"] for t in reply["tests"]] == TESTS + [SENTINEL]


def test_sentinel_reported_passed():
    reply = run([result("t::a"), result("t::b"), result(SENTINEL, "passed"), {"kind": "done"}])
    assert codes(reply) == ["sentinel_passed"]


def test_sentinel_failed_without_the_secret():
    reply = run([result("t::a"), result("t::b"), result(SENTINEL, "failed", "rlvr sentinel guess"), {"kind": "done"}])
    assert codes(reply) == ["sentinel_passed"]


def test_missing_extra_and_repeated_ids():
    assert "test_set_mismatch" in codes(run([result("t::a"), result(SENTINEL, "failed", TOKEN), {"kind": "done"}]))
    assert "test_set_mismatch" in codes(run(HONEST[:3] + [result("t::zzz"), {"kind": "done"}]))
    assert "test_set_mismatch" in codes(run([result("t::a")] + HONEST))


def test_skips_and_xfails_are_not_passes():
    reply = run([result("t::a", "skipped"), result("t::b", "xpassed"), result(SENTINEL, "failed", TOKEN), {"kind": "done"}])
    assert codes(reply) == ["skipped_not_passed"]


def test_no_done_marker_is_a_crash_and_unreported_tests_are_errors():
    reply = run([result("t::a")], exit_code=0)
    assert reply["status"] == "crashed" and "crashed" in codes(reply)
    assert [t["outcome"] for t in reply["tests"]] == ["passed", "error", "error"]


def test_timeout_and_cpu_limit():
    assert run([result("t::a")], timed_out=True)["status"] == "timeout"
    reply = run([], exit_code=None, signal=signal.SIGXCPU)
    assert reply["status"] == "timeout" and codes(reply) == ["resource_limit"]


def test_garbage_on_the_pipe_is_flagged():
    assert "test_set_mismatch" in codes(run(HONEST, garbage_lines=1))


def test_rejection_passes_flags_through():
    reply = run([{"kind": "rejected", "flags": [{"code": "exit_call", "message": "line 2: calls sys.exit()"}]}])
    assert reply == {"status": "rejected", "tests": [], "seconds": 0.1,
                     "flags": [{"code": "exit_call", "message": "line 2: calls sys.exit()"}]}


def test_load_error_makes_every_test_an_error():
    reply = run([{"kind": "load_error", "message": "NameError: name 'x' is not defined"}])
    assert reply["status"] == "ok"
    assert {t["outcome"] for t in reply["tests"]} == {"error"}
    assert "NameError" in reply["tests"][0]["message"]


def test_memory_error_is_a_resource_flag():
    reply = run([result("t::a", "failed", "MemoryError"), result("t::b"), result(SENTINEL, "failed", TOKEN), {"kind": "done"}])
    assert codes(reply) == ["resource_limit"]
