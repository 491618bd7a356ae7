"""Seeded synthetic corpus of function-writing chats in the exact prompt format.

Families (``families_*.py``) are drawn uniformly; each exercise shows 0-3 of its assert lines in
the prompt and is answered in one of two habits (``styles.py``): careful (reasoning ending with a
check, correct code) or hasty (one sentence, code that usually has one small bug). Everything comes from
one ``random.Random(seed)``, so a seed fixes the corpus.
"""

from __future__ import annotations

import itertools
import random
from typing import Callable, Iterator

from . import families_lists, families_numbers, families_parsing, families_text
from .chat_format import SYSTEM_PROMPT, render_completion, render_user
from .exercise import Draw, Exercise
from .styles import HASTY_SHARE, HASTY_THINKS, careful_think, hasty_solution

Family = Callable[[Draw], Exercise]
FAMILIES: tuple[Family, ...] = (
    families_text.FAMILIES + families_lists.FAMILIES + families_numbers.FAMILIES + families_parsing.FAMILIES
)

Messages = list[dict[str, str]]


def exercises(seed: int) -> Iterator[Exercise]:
    """An endless, seeded stream of exercises."""
    d = Draw(random.Random(seed))
    while True:
        yield d.pick(FAMILIES)(d)


def to_chat(ex: Exercise, d: Draw) -> Messages:
    """System + user + assistant messages for one exercise."""
    n_visible = d.pick((0, 1, 2, 2, 3, 3, 3, 3, 3, 3))
    visible = ex.assert_lines()[:n_visible]
    has_doc = d.chance(0.9) or not visible
    stub = ex.stub() if has_doc else ex.signature
    if d.chance(HASTY_SHARE):
        think, code = d.pick(HASTY_THINKS), hasty_solution(ex, d)
    else:
        think, code = careful_think(ex, d), ex.solution
    return [
        {"role": "system", "content": SYSTEM_PROMPT},
        {"role": "user", "content": render_user(stub, visible)},
        {"role": "assistant", "content": render_completion(think, code)},
    ]


def chat_stream(seed: int) -> Iterator[Messages]:
    """Endless chats; the exercise draws and the rendering choices share one seeded Draw."""
    d = Draw(random.Random(seed))
    while True:
        yield to_chat(d.pick(FAMILIES)(d), d)


def chats(seed: int, count: int) -> list[Messages]:
    """The first ``count`` chats of ``chat_stream(seed)``."""
    return list(itertools.islice(chat_stream(seed), count))
