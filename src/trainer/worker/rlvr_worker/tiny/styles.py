"""Two reasoning habits for the corpus: *careful* and *hasty*.

Real base models carry habits that the verifier can tell apart — checking a case before answering
is more often right than answering at once — and GRPO's gains at small scale come mostly from
shifting the mix towards the habit that passes tests (docs/training.md, "The demo preset"). The
tiny model gets such a mix on purpose, so the demo has something to learn that carries over to
functions it never trained on:

- careful: the family's reasoning followed by a ``Check:`` line, then the correct function;
- hasty: one short sentence, then the function with one small bug when a mutation that fails a
  test exists, the kind a rushed programmer makes: printing the result instead of returning it
  (3 times in 5: it fits any function, so avoiding it carries over to unseen ones), else a
  flipped comparison, an off-by-one constant, a swapped operator.

Nothing tells the model which habit pays; only the tests do. A hasty sample whose mutant still
passes every assert keeps it (the tests cannot tell), so "hasty" is worse on average, not always.
"""

from __future__ import annotations

import contextlib
import copy
import io
import re
import sys
from typing import Any

from .exercise import Draw, Exercise, check_line, indent

# Share of corpus chats written in the hasty habit. About 4 in 5 exercises have a mutant that
# fails one of their asserts; the others are answered correctly even when hasty.
HASTY_SHARE = 0.6
# Share of hasty answers that try the print-instead-of-return bug first (see hasty_solution).
PRINT_SHARE = 0.6

HASTY_THINKS = (
    "Easy, I write it directly.",
    "Simple enough, no need to check.",
    "Quick one, straight to the code.",
    "Obvious, here it is.",
)

# (pattern, replacement) pairs; one match of one applicable pair is replaced. Patterns avoid
# `->`, `<<`, `**` and names with digits, so a mutant stays valid Python in the same shape.
MUTATIONS: tuple[tuple[str, str], ...] = (
    (r"(?<![<>=!-])<(?![<=])", "<="),
    (r"<=", "<"),
    (r"(?<![<>=!-])>(?![>=])", ">="),
    (r">=", ">"),
    (r"==", "!="),
    (r"!=", "=="),
    (r" \+ ", " - "),
    (r" - ", " + "),
    (r" \* ", " + "),
    (r"(?<![\w.])(\d+)(?![\w.])", "+1"),  # a constant off by one
    (r"\bTrue\b", "False"),
    (r"\bFalse\b", "True"),
    (r"\band\b", "or"),
    (r"\bor\b", "and"),
    (r"\bmax\(", "min("),
    (r"\bmin\(", "max("),
    (r"\[1:\]", "[:-1]"),
    (r"\[::-1\]", "[:]"),
    (r"\.lower\(\)", ".upper()"),
    (r"\.upper\(\)", ".lower()"),
    (r"\.isdigit\(\)", ".isalpha()"),
    (r"\.isalpha\(\)", ".isdigit()"),
    (r"\bnot in\b", "in"),
    (r"\.extend\(", ".append("),
    (r"\bdict\(\w+\)", "dict()"),
    (r"\bsorted\(", "list("),
    (r'"[^"\n]*"\.join', '" ".join'),
)
LINE_BUDGET = 20_000  # a mutated loop that runs longer than this counts as failing (it would time out)


def careful_think(ex: Exercise, d: Draw) -> str:
    return ex.think + ("\n" + check_line(ex, d.pick(ex.inputs)) if ex.inputs else "")


def hasty_solution(ex: Exercise, d: Draw) -> str:
    """The function text of a hasty answer: a failing mutant when one is found, else the solution.

    Usually (PRINT_SHARE) the mutant is the rushed programmer's classic, printing the result
    instead of returning it: a bug that fits any function, so a model that learns to avoid it
    avoids it on functions it has never seen. Otherwise one local mutation (MUTATIONS) is tried."""
    if d.chance(PRINT_SHARE):
        printed = print_instead_of_return(ex)
        if printed is not None and fails_an_assert(ex, printed):
            return printed
    candidates = [(repl, match) for pattern, repl in MUTATIONS for match in re.finditer(pattern, ex.body)]
    d.rng.shuffle(candidates)
    for repl, match in candidates[:6]:
        new = str(int(match.group(1)) + 1) if repl == "+1" else match.expand(repl)
        if new == match.group(0):
            continue
        body = ex.body[: match.start()] + new + ex.body[match.end():]
        solution = ex.signature + "\n" + indent(body)
        if fails_an_assert(ex, solution):
            return solution
    return ex.solution


def print_instead_of_return(ex: Exercise) -> str | None:
    """The solution with its last ``return EXPR`` written as ``print(EXPR)``; None without one."""
    lines = ex.body.split("\n")
    for i in range(len(lines) - 1, -1, -1):
        stripped = lines[i].lstrip()
        if stripped.startswith("return ") and len(stripped) > len("return "):
            lines[i] = lines[i][: len(lines[i]) - len(stripped)] + f"print({stripped[len('return '):]})"
            return ex.signature + "\n" + indent("\n".join(lines))
    return None


def fails_an_assert(ex: Exercise, solution: str) -> bool:
    """True when the text solution errors or disagrees with the oracle on one of the inputs."""
    try:
        code = compile(solution, "<mutant>", "exec")
    except SyntaxError:
        return False  # never teach broken syntax; the caller tries another mutation
    namespace: dict[str, Any] = {}
    lines = 0

    def count_lines(frame: Any, event: str, arg: Any) -> Any:
        nonlocal lines
        lines += 1
        if lines > LINE_BUDGET:
            raise TimeoutError("mutant loops too long")
        return count_lines

    previous = sys.gettrace()
    sys.settrace(count_lines)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # print-instead-of-return mutants print
            exec(code, namespace)  # our own generated code, no model output
            fn = namespace[ex.name]
            return any(fn(*copy.deepcopy(args)) != ex.oracle(*copy.deepcopy(args)) for args in ex.inputs)
    except Exception:  # noqa: BLE001 - any error (or a runaway loop) means the mutant fails its tests
        return True
    finally:
        sys.settrace(previous)
