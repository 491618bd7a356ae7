"""Parent-side judgement of what a candidate child reported (never trusts the child's word on
which tests ran or how the sentinel ended)."""
from __future__ import annotations

import signal
from collections import OrderedDict
from typing import Any, Dict, List, Optional, Sequence

from . import flags as F
from .flags import Flag, flags_to_json
from .forkrun import ChildOutcome

_NOT_PASSED = ("skipped", "xfailed", "xpassed")


def judge(tests: Sequence[str], sentinel: str, token: str, outcome: ChildOutcome,
          timeout_s: float, seconds: float) -> Dict[str, Any]:
    by_kind: Dict[str, List[Dict[str, Any]]] = {}
    for message in outcome.messages:
        by_kind.setdefault(str(message.get("kind")), []).append(message)
    if "rejected" in by_kind:
        flags = [Flag(str(f.get("code")), str(f.get("message"))) for f in by_kind["rejected"][0].get("flags", [])]
        return _reply("rejected", [], flags, seconds)
    status, flags = _status(outcome, by_kind, timeout_s)
    expected_ids = list(tests) + [sentinel]
    if "load_error" in by_kind:
        message = "candidate failed to load: " + str(by_kind["load_error"][0].get("message"))
        results = [_result(test_id, "error", message) for test_id in expected_ids]
        return _reply(status, results, flags, seconds)
    reported: "OrderedDict[str, Dict[str, Any]]" = OrderedDict()
    for message in by_kind.get("test", []):
        test_id = str(message.get("id"))
        if test_id in reported or test_id not in expected_ids:
            flags.append(Flag(F.TEST_SET_MISMATCH, f"unexpected or repeated result for test {test_id!r}"))
        reported[test_id] = _result(test_id, str(message.get("outcome")), str(message.get("message", "")),
                                    message.get("duration"))
    finished = "done" in by_kind and status == "ok"
    if finished and set(reported) != set(expected_ids):
        missing = sorted(set(expected_ids) - set(reported))
        flags.append(Flag(F.TEST_SET_MISMATCH, f"no result for {missing[:5]} although the run finished"))
    reason = _not_run_reason(status, by_kind)
    results = [reported.get(test_id) or _result(test_id, "error", reason) for test_id in expected_ids]
    flags += _sentinel_flags(reported.get(sentinel), token, finished)
    flags += _content_flags(results[:-1])
    if outcome.garbage_lines:
        flags.append(Flag(F.TEST_SET_MISMATCH, f"{outcome.garbage_lines} malformed line(s) on the result pipe"))
    return _reply(status, results, flags, seconds)


def _status(outcome: ChildOutcome, by_kind: Dict[str, List[Dict[str, Any]]], timeout_s: float):
    flags: List[Flag] = []
    if outcome.timed_out:
        flags.append(Flag(F.TIMEOUT, f"no complete result within {timeout_s:g} s (wall clock); child killed"))
        return "timeout", flags
    if outcome.signal == signal.SIGXCPU and "done" not in by_kind:
        flags.append(Flag(F.RESOURCE_LIMIT, "CPU time limit exceeded (SIGXCPU)"))
        return "timeout", flags
    if "done" in by_kind or "load_error" in by_kind:
        return "ok", flags
    how = (f"killed by signal {_signal_name(outcome.signal)}" if outcome.signal is not None
           else f"exited with code {outcome.exit_code}")
    detail = ""
    if "internal_error" in by_kind:
        detail = "; " + str(by_kind["internal_error"][0].get("message"))
    elif "aborted" in by_kind:
        detail = "; test run aborted: " + str(by_kind["aborted"][0].get("message"))
    tail = outcome.log_tail.strip().splitlines()[-8:]
    if tail:
        detail += "; last output: " + " | ".join(tail)
    flags.append(Flag(F.CRASHED, f"candidate process {how} before reporting every test{detail}"[:2000]))
    return "crashed", flags


def _not_run_reason(status: str, by_kind: Dict[str, List[Dict[str, Any]]]) -> str:
    if "aborted" in by_kind:
        return "not run: test session aborted (" + str(by_kind["aborted"][0].get("message"))[:200] + ")"
    return {"timeout": "not run: timeout", "crashed": "not run: candidate process died"}.get(
        status, "no result reported")


def _sentinel_flags(result: Optional[Dict[str, Any]], token: str, finished: bool) -> List[Flag]:
    if result is None:
        return []   # missing: covered by timeout / crashed / test_set_mismatch
    if result["outcome"] == "failed" and token in result["message"]:
        return []
    if result["outcome"] == "error":
        return [] if not finished else [Flag(F.SENTINEL_PASSED, "sentinel test errored instead of failing")]
    return [Flag(F.SENTINEL_PASSED, f"the always-failing sentinel test was reported {result['outcome']!r}"
                 + ("" if result["outcome"] != "failed" else " without its secret failure message"))]


def _content_flags(results: List[Dict[str, Any]]) -> List[Flag]:
    flags: List[Flag] = []
    not_passed = [r["id"] for r in results if r["outcome"] in _NOT_PASSED]
    if not_passed:
        flags.append(Flag(F.SKIPPED_NOT_PASSED,
                          f"{len(not_passed)} test(s) skipped/xfailed/xpassed instead of passing: {not_passed[:5]}"))
    if any("MemoryError" in r["message"] for r in results):
        flags.append(Flag(F.RESOURCE_LIMIT, "a test hit the memory limit (MemoryError)"))
    return flags


def _result(test_id: str, outcome: str, message: str, duration: Any = 0.0) -> Dict[str, Any]:
    if outcome not in ("passed", "failed", "skipped", "error", "xfailed", "xpassed"):
        outcome, message = "error", f"invalid outcome {outcome!r} reported"
    duration = float(duration) if isinstance(duration, (int, float)) and not isinstance(duration, bool) else 0.0
    return {"id": test_id, "outcome": outcome, "duration": duration, "message": message[:2000]}


def _reply(status: str, tests: List[Dict[str, Any]], flags: List[Flag], seconds: float) -> Dict[str, Any]:
    return {"status": status, "tests": tests, "flags": flags_to_json(flags), "seconds": round(seconds, 6)}


def _signal_name(number: Optional[int]) -> str:
    try:
        return signal.Signals(number).name  # type: ignore[arg-type]
    except (ValueError, TypeError):
        return str(number)
