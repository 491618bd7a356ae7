"""One synthetic exercise (a small Python function with tests) and the seeded helpers that
families use to draw names, constants and inputs.

A family writes its solution as *text* and, separately, an *oracle* (a plain Python callable).
Assert lines are computed from the oracle, never from the text, so a wrong text solution is caught
by ``tests/test_tiny.py`` (it executes the text against the asserts).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from string import Template
from typing import Any, Callable, Mapping, Sequence

WORDS = (
    "apple", "banana", "cherry", "river", "stone", "cloud", "tiger", "lemon", "piano", "ocean",
    "green", "house", "light", "music", "paper", "robot", "sugar", "table", "water", "zebra",
    "code", "data", "test", "loop", "list", "word", "moon", "star", "tree", "bird", "fish",
    "cat", "dog", "sun", "sky", "red", "blue", "box", "cup", "map", "key", "pen", "hat",
    "python", "number", "garden", "window", "planet", "orange", "silver", "rocket",
)
PALINDROMES = ("level", "radar", "civic", "kayak", "noon", "refer", "madam", "rotor", "stats", "wow")


@dataclass(frozen=True)
class Exercise:
    """A function-writing task. ``body`` is indented relative to the def (no leading indent)."""

    name: str
    params: tuple[tuple[str, str], ...]  # (argument name, type annotation)
    returns: str
    docstring: str
    body: str
    think: str
    oracle: Callable[..., Any]
    inputs: tuple[tuple[Any, ...], ...]  # one argument tuple per assert

    @property
    def signature(self) -> str:
        args = ", ".join(f"{arg}: {annotation}" for arg, annotation in self.params)
        return f"def {self.name}({args}) -> {self.returns}:"

    @property
    def solution(self) -> str:
        """The complete function as the assistant writes it (no docstring: shorter completions)."""
        return self.signature + "\n" + indent(self.body)

    def stub(self) -> str:
        """Signature plus docstring, as shown in the user prompt."""
        if not self.docstring:
            return self.signature
        return self.signature + "\n" + indent(render_docstring(self.docstring))

    def assert_lines(self) -> list[str]:
        return [render_assert(self.name, args, self.oracle(*args)) for args in self.inputs]


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line if line else line for line in text.split("\n"))


def render_docstring(doc: str) -> str:
    if "\n" not in doc:
        return f'"""{doc}"""'
    return f'"""{doc}\n"""'


def literal(value: Any) -> str:
    """Python source for ``value`` in the style of formatted code (double-quoted strings)."""
    if isinstance(value, str):
        if '"' in value or "\\" in value or not value.isprintable():
            return repr(value)
        return f'"{value}"'
    if isinstance(value, list):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, tuple):
        inner = ", ".join(literal(v) for v in value)
        return f"({inner},)" if len(value) == 1 else f"({inner})"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{literal(k)}: {literal(v)}" for k, v in value.items()) + "}"
    return repr(value)


def render_call(name: str, args: Sequence[Any]) -> str:
    return f"{name}({', '.join(literal(a) for a in args)})"


def render_assert(name: str, args: Sequence[Any], expected: Any) -> str:
    call = render_call(name, args)
    if expected is True:
        return f"assert {call}"
    if expected is False:
        return f"assert not {call}"
    if expected is None:
        return f"assert {call} is None"
    return f"assert {call} == {literal(expected)}"


class Draw:
    """Seeded choices for families. Every random decision of the corpus goes through here."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pick(self, options: Sequence[Any]) -> Any:
        return options[self.rng.randrange(len(options))]

    def chance(self, p: float) -> bool:
        return self.rng.random() < p

    def int(self, lo: int, hi: int) -> int:
        return self.rng.randint(lo, hi)

    def ints(self, n_lo: int, n_hi: int, lo: int = -9, hi: int = 20) -> list[int]:
        return [self.rng.randint(lo, hi) for _ in range(self.rng.randint(n_lo, n_hi))]

    def word(self) -> str:
        return self.pick(WORDS)

    def words(self, n_lo: int = 1, n_hi: int = 4) -> list[str]:
        return [self.word() for _ in range(self.rng.randint(n_lo, n_hi))]

    def sentence(self, n_lo: int = 1, n_hi: int = 4) -> str:
        return " ".join(self.words(n_lo, n_hi))

    def letter(self) -> str:
        return self.pick("abcdefghijklmnoprstuwy")

    def inputs(self, make: Callable[[], tuple[Any, ...]], n: int = 3) -> tuple[tuple[Any, ...], ...]:
        """``n`` argument tuples, without duplicates (duplicates would waste an assert line)."""
        seen: list[tuple[Any, ...]] = []
        for _ in range(n * 4):
            args = make()
            if args not in seen:
                seen.append(args)
            if len(seen) == n:
                break
        return tuple(seen)


Param = tuple[Sequence[str], str]  # (pool of argument names, type annotation)

# Held-out tasks have names the corpus never uses, so the model must learn to *copy* the
# signature from the prompt rather than recall names from a family's pool: a share of names and
# arguments is decorated or replaced by arbitrary identifiers. (Bodies never use these as locals.)
NAME_PREFIXES = ("get_", "compute_", "calc_", "find_", "my_", "make_", "do_", "to_")
NAME_SUFFIXES = ("_value", "_result", "_fn", "_v2", "_helper", "_all", "_of", "_now")
GENERIC_ARGS = ("arg", "val", "inp", "p", "q", "z", "src", "obj", "elems", "seq", "operand", "u", "v")


def vary_name(d: Draw, name: str) -> str:
    roll = d.rng.random()
    if roll < 0.5:
        return name
    if roll < 0.65:
        return d.pick(NAME_PREFIXES) + name
    if roll < 0.8:
        return name + d.pick(NAME_SUFFIXES)
    return f"{d.word()}_{d.word()}" if roll < 0.9 else f"{name.split('_')[0]}_{d.word()}"


def make(
    d: Draw,
    names: Sequence[str],
    params: Mapping[str, Param],
    returns: str,
    docs: Sequence[str],
    solutions: Sequence[tuple[str, str]],
    oracle: Callable[..., Any],
    make_input: Callable[[], tuple[Any, ...]],
    consts: Mapping[str, Any] | None = None,
) -> Exercise:
    """Draw one concrete exercise from a family description.

    Templates use ``$key`` placeholders (``string.Template``, so dict braces in code stay literal):
    each key of ``params`` becomes the drawn argument name, each key of ``consts`` its literal.
    ``solutions`` pairs a reasoning text with the body it describes, so the two always agree.
    """
    mapping: dict[str, str] = {k: literal(v) for k, v in (consts or {}).items()}
    chosen: list[tuple[str, str]] = []
    for key, (pool, annotation) in params.items():
        pool = GENERIC_ARGS if d.chance(0.25) else pool
        free = [n for n in pool if n not in mapping.values()]
        mapping[key] = d.pick(free)
        chosen.append((mapping[key], annotation))
    think, body = d.pick(solutions)
    return Exercise(
        name=vary_name(d, d.pick(names)),
        params=tuple(chosen),
        returns=returns,
        docstring=Template(d.pick(docs)).substitute(mapping),
        body=Template(body).substitute(mapping),
        think=Template(think).substitute(mapping),
        oracle=oracle,
        inputs=d.inputs(make_input, n=4),
    )


def check_line(ex: Exercise, args: tuple[Any, ...]) -> str:
    """A verification sentence for the reasoning, e.g. ``Check: f(3) gives 9.``"""
    return f"Check: {render_call(ex.name, args)} gives {literal(ex.oracle(*args))}."
