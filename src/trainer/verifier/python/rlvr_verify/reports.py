"""Turns pytest's per-phase reports into one outcome per test id."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, List, Optional

_MAX_MESSAGE = 2000


@dataclass
class TestResult:
    id: str
    outcome: str          # passed|failed|skipped|error|xfailed|xpassed
    duration: float
    message: str = ""

    def to_json(self) -> Dict[str, Any]:
        return {"id": self.id, "outcome": self.outcome, "duration": round(self.duration, 6),
                "message": self.message}


def aggregate(test_id: str, reports: List[Any]) -> TestResult:
    """Outcome of one test from its setup/call/teardown reports (pytest's own precedence:
    a setup failure is an error, skips and xfails are never passes, a teardown failure after a
    passing call is an error)."""
    outcome: Optional[str] = None
    message = ""
    duration = 0.0
    for rep in reports:
        duration += float(getattr(rep, "duration", 0.0) or 0.0)
        phase_outcome = _phase_outcome(rep)
        if phase_outcome is None:
            continue
        if rep.when == "teardown":
            if phase_outcome == "error" and outcome in (None, "passed", "xpassed"):
                outcome, message = "error", short_message(rep)
            continue
        if outcome is None or outcome in ("passed", "xpassed"):
            outcome = phase_outcome
            if phase_outcome not in ("passed",):
                message = short_message(rep)
    if outcome is None:
        outcome, message = "error", "no setup/call report (test did not run)"
    return TestResult(test_id, outcome, duration, message)


def _phase_outcome(rep: Any) -> Optional[str]:
    xfail = hasattr(rep, "wasxfail")
    if rep.when == "setup":
        if rep.failed:
            return "error"
        if rep.skipped:
            return "xfailed" if xfail else "skipped"
        return None
    if rep.when == "call":
        if rep.passed:
            return "xpassed" if xfail else "passed"
        if rep.failed:
            return "failed"
        return "xfailed" if xfail else "skipped"
    if rep.when == "teardown" and rep.failed:
        return "error"
    return None


def short_message(rep: Any) -> str:
    """The exception line(s) pytest shows for a failure, or the skip/xfail reason."""
    longrepr = getattr(rep, "longrepr", None)
    text = ""
    if isinstance(longrepr, tuple) and len(longrepr) == 3:
        text = str(longrepr[2])                      # skip: (path, lineno, reason)
    elif longrepr is not None:
        crash = getattr(longrepr, "reprcrash", None)
        text = getattr(crash, "message", None) or _last_lines(str(longrepr))
    if not text and hasattr(rep, "wasxfail"):
        text = "xfail: " + str(rep.wasxfail)
    return text[:_MAX_MESSAGE]


def _last_lines(text: str, count: int = 5) -> str:
    return "\n".join(text.strip().splitlines()[-count:])
