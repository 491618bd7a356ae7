"""List exercise families: filtering, mapping, searching, reshaping and summarising integer lists."""

from __future__ import annotations

import math
from typing import Any, Callable

from .exercise import Draw, Exercise, make

XS = ("xs", "nums", "numbers", "values", "items", "data", "arr")
K = ("k", "factor", "amount", "step", "delta")
LIMIT = ("limit", "threshold", "cutoff", "bound", "minimum")
TARGET = ("target", "needle", "wanted", "value", "goal")

# (adjective used in names, phrase used in docs, condition source on x, oracle predicate)
CONDITIONS: tuple[tuple[str, str, str, Callable[[int], bool]], ...] = (
    ("even", "even numbers", "x % 2 == 0", lambda x: x % 2 == 0),
    ("odd", "odd numbers", "x % 2 != 0", lambda x: x % 2 == 1),
    ("positive", "positive numbers", "x > 0", lambda x: x > 0),
    ("negative", "negative numbers", "x < 0", lambda x: x < 0),
)


def list_input(d: Draw) -> Callable[[], tuple[Any, ...]]:
    return lambda: (d.ints(0, 6),)


def extreme(d: Draw) -> Exercise:
    largest = d.chance(0.5)
    word, fn, op = ("largest", max, ">") if largest else ("smallest", min, "<")
    names = ("largest", "biggest", "max_value", "maximum") if largest else ("smallest", "min_value", "minimum_of", "lowest")
    return make(
        d, names, {"xs": (XS, "list[int]")}, "int | None",
        docs=(f"Return the {word} number in $xs, or None if $xs is empty.",),
        solutions=(
            (f"An empty list has no {word} element, so I return None first; otherwise {fn.__name__} does it.",
             f"if not $xs:\n    return None\nreturn {fn.__name__}($xs)"),
            (f"I start from the first element and keep the {word} one while looping.",
             f"if not $xs:\n    return None\nbest = $xs[0]\nfor x in $xs:\n    if x {op} best:\n        best = x\nreturn best"),
        ),
        oracle=lambda xs: fn(xs) if xs else None,
        make_input=list_input(d),
    )


def sum_where(d: Draw) -> Exercise:
    adj, phrase, cond, pred = d.pick(CONDITIONS)
    return make(
        d, (f"sum_{adj}", f"total_of_{adj}", f"{adj}_sum", f"add_{adj}_numbers"), {"xs": (XS, "list[int]")}, "int",
        docs=(f"Return the sum of the {phrase} in $xs.", f"Add up the {phrase} of $xs (0 if there are none)."),
        solutions=(
            (f"I add each x of $xs when {cond}.", f"total = 0\nfor x in $xs:\n    if {cond}:\n        total += x\nreturn total"),
            (f"sum over a generator that keeps only the {phrase}.", f"return sum(x for x in $xs if {cond})"),
        ),
        oracle=lambda xs: sum(x for x in xs if pred(x)),
        make_input=list_input(d),
    )


def count_where(d: Draw) -> Exercise:
    adj, phrase, cond, pred = d.pick(CONDITIONS)
    return make(
        d, (f"count_{adj}", f"how_many_{adj}", f"num_{adj}"), {"xs": (XS, "list[int]")}, "int",
        docs=(f"Return how many {phrase} there are in $xs.", f"Count the {phrase} in $xs."),
        solutions=(
            (f"I count the elements for which {cond}.", f"count = 0\nfor x in $xs:\n    if {cond}:\n        count += 1\nreturn count"),
            (f"A list of the {phrase} has the length I need.", f"return len([x for x in $xs if {cond}])"),
        ),
        oracle=lambda xs: sum(1 for x in xs if pred(x)),
        make_input=list_input(d),
    )


def filter_where(d: Draw) -> Exercise:
    adj, phrase, cond, pred = d.pick(CONDITIONS)
    return make(
        d, (f"only_{adj}", f"keep_{adj}", f"filter_{adj}", f"{adj}_numbers"), {"xs": (XS, "list[int]")}, "list[int]",
        docs=(f"Return the {phrase} of $xs, in their original order.",),
        solutions=(
            (f"A list comprehension keeps x when {cond}.", f"return [x for x in $xs if {cond}]"),
            (f"I append every x with {cond} to a new list.",
             f"result = []\nfor x in $xs:\n    if {cond}:\n        result.append(x)\nreturn result"),
        ),
        oracle=lambda xs: [x for x in xs if pred(x)],
        make_input=list_input(d),
    )


def above_limit(d: Draw) -> Exercise:
    return make(
        d, ("count_above", "how_many_above", "greater_than_count"),
        {"xs": (XS, "list[int]"), "limit": (LIMIT, "int")}, "int",
        docs=("Return how many elements of $xs are strictly greater than $limit.",),
        solutions=(("I count the x with x > $limit.", "return sum(1 for x in $xs if x > $limit)"),),
        oracle=lambda xs, limit: len([x for x in xs if x > limit]),
        make_input=lambda: (d.ints(0, 6), d.int(-3, 10)),
    )


def map_each(d: Draw) -> Exercise:
    names, doc, expr, fn = d.pick((
        (("double_all", "twice_each", "doubled"), "Return a list with every element of $xs multiplied by 2.", "x * 2", lambda x: 2 * x),
        (("square_each", "squares_of", "squared"), "Return the squares of the elements of $xs.", "x * x", lambda x: x ** 2),
        (("negate_all", "negated"), "Return a list with the sign of every element of $xs flipped.", "-x", lambda x: -x),
        (("abs_all", "absolute_values"), "Return the absolute value of every element of $xs.", "abs(x)", lambda x: x if x >= 0 else -x),
    ))
    return make(
        d, names, {"xs": (XS, "list[int]")}, "list[int]", docs=(doc,),
        solutions=(
            (f"A list comprehension computes {expr} for each x.", f"return [{expr} for x in $xs]"),
            (f"I loop and append {expr} for each element.", f"result = []\nfor x in $xs:\n    result.append({expr})\nreturn result"),
        ),
        oracle=lambda xs: [fn(x) for x in xs],
        make_input=list_input(d),
    )


def scale_by(d: Draw) -> Exercise:
    add = d.chance(0.5)
    op, verb = ("+", "added to") if add else ("*", "multiplied by")
    return make(
        d, ("add_to_each", "shift_all", "offset_all") if add else ("scale", "multiply_each", "times_all"),
        {"xs": (XS, "list[int]"), "k": (K, "int")}, "list[int]",
        docs=(f"Return a new list with $k {verb} every element of $xs." if add else f"Return every element of $xs {verb} $k.",),
        solutions=((f"Each element becomes x {op} $k.", f"return [x {op} $k for x in $xs]"),),
        oracle=lambda xs, k: [x + k if add else x * k for x in xs],
        make_input=lambda: (d.ints(0, 5), d.int(-3, 5)),
    )


def index_of(d: Draw) -> Exercise:
    def make_input() -> tuple[list[int], int]:
        xs = d.ints(0, 6, 0, 9)
        return (xs, d.pick(xs) if xs and d.chance(0.6) else d.int(0, 9))

    return make(
        d, ("index_of", "position_of", "locate", "first_position"),
        {"xs": (XS, "list[int]"), "target": (TARGET, "int")}, "int",
        docs=("Return the position of the first $target in $xs, or -1 when it is missing.",),
        solutions=(
            ("enumerate gives positions; I return the first match and -1 after the loop.",
             "for i, x in enumerate($xs):\n    if x == $target:\n        return i\nreturn -1"),
            ("list.index finds it, but only when the value is present.",
             "if $target in $xs:\n    return $xs.index($target)\nreturn -1"),
        ),
        oracle=lambda xs, t: next((i for i in range(len(xs)) if xs[i] == t), -1),
        make_input=make_input,
    )


def prefix_sums(d: Draw) -> Exercise:
    def oracle(xs: list[int]) -> list[int]:
        return [sum(xs[: i + 1]) for i in range(len(xs))]

    return make(
        d, ("prefix_sums", "cumulative_sum", "accumulate", "partial_sums"), {"xs": (XS, "list[int]")}, "list[int]",
        docs=("Return the running sums of $xs: element i is the sum of the first i + 1 elements.",),
        solutions=(("I keep a running total and append it after adding each element.",
                    "result = []\ntotal = 0\nfor x in $xs:\n    total += x\n    result.append(total)\nreturn result"),),
        oracle=oracle,
        make_input=list_input(d),
    )


def concat_lists(d: Draw) -> Exercise:
    return make(
        d, ("flatten_once", "concat_lists", "join_lists", "merge_lists"), {"xs": (("lists", "groups", "nested", "rows"), "list[list[int]]")},
        "list[int]",
        docs=("Return all the numbers of the inner lists of $xs in one list, in order.",),
        solutions=(
            ("A nested comprehension takes every item of every inner list.", "return [x for inner in $xs for x in inner]"),
            ("I extend one result list with each inner list.", "result = []\nfor inner in $xs:\n    result.extend(inner)\nreturn result"),
        ),
        oracle=lambda lists: sum(lists, []),
        make_input=lambda: ([d.ints(0, 3) for _ in range(d.int(0, 3))],),
    )


def split_chunks(d: Draw) -> Exercise:
    return make(
        d, ("split_into_groups", "batches", "partition_list", "groups_of"),
        {"xs": (XS, "list[int]"), "n": (("n", "size", "width", "length"), "int")}, "list[list[int]]",
        docs=("Split $xs into pieces of $n elements (the last piece may be shorter).",),
        solutions=(("I slice $xs every $n positions.", "return [$xs[i:i + $n] for i in range(0, len($xs), $n)]"),),
        oracle=lambda xs, n: [xs[i * n:(i + 1) * n] for i in range((len(xs) + n - 1) // n)],
        make_input=lambda: (d.ints(0, 7), d.int(1, 3)),
    )


def unique(d: Draw) -> Exercise:
    def oracle(xs: list[int]) -> list[int]:
        return list(dict.fromkeys(xs))

    return make(
        d, ("unique", "remove_duplicates", "distinct", "without_repeats"), {"xs": (XS, "list[int]")}, "list[int]",
        docs=("Return $xs without duplicates, keeping the first occurrence of each value in order.",),
        solutions=(
            ("A set remembers what I have seen; I keep an element only the first time.",
             "seen = set()\nresult = []\nfor x in $xs:\n    if x not in seen:\n        seen.add(x)\n        result.append(x)\nreturn result"),
            ("I append an element only if it is not already in the result.",
             "result = []\nfor x in $xs:\n    if x not in result:\n        result.append(x)\nreturn result"),
        ),
        oracle=oracle,
        make_input=lambda: (d.ints(0, 7, 0, 5),),
    )


def runner_up(d: Draw) -> Exercise:
    def oracle(xs: list[int]) -> int | None:
        values = sorted(set(xs))
        return values[-2] if len(values) >= 2 else None

    return make(
        d, ("runner_up", "second_max", "second_biggest", "next_largest"), {"xs": (XS, "list[int]")}, "int | None",
        docs=("Return the second largest distinct value of $xs, or None if there are fewer than two distinct values.",),
        solutions=(("I sort the distinct values; the second from the end is the answer.",
                    "values = sorted(set($xs))\nif len(values) < 2:\n    return None\nreturn values[-2]"),),
        oracle=oracle,
        make_input=lambda: (d.ints(0, 5, 0, 6),),
    )


def rotate(d: Draw) -> Exercise:
    left = d.chance(0.5)

    def oracle(xs: list[int], k: int) -> list[int]:
        out = list(xs)
        for _ in range(k):
            if out:
                out = out[1:] + out[:1] if left else out[-1:] + out[:-1]
        return out

    body = "return $xs[k:] + $xs[:k]" if left else "return $xs[-k:] + $xs[:-k] if k else list($xs)"
    return make(
        d, ("rotate_left_by", "shift_left", "spin_left") if left else ("rotate_right", "shift_right", "spin_right"),
        {"xs": (XS, "list[int]"), "n": (("n", "steps", "times", "shift"), "int")}, "list[int]",
        docs=(f"Rotate $xs {'left' if left else 'right'} by $n positions and return the new list.",),
        solutions=(("I reduce $n modulo the length, then glue two slices together.",
                    "if not $xs:\n    return []\nk = $n % len($xs)\n" + body),),
        oracle=oracle,
        make_input=lambda: (d.ints(0, 5), d.int(0, 6)),
    )


def product(d: Draw) -> Exercise:
    return make(
        d, ("product", "multiply_all", "product_of"), {"xs": (XS, "list[int]")}, "int",
        docs=("Return the product of the numbers in $xs (1 for an empty list).",),
        solutions=(("I start at 1 and multiply by every element.", "result = 1\nfor x in $xs:\n    result *= x\nreturn result"),),
        oracle=math.prod,
        make_input=lambda: (d.ints(0, 4, -3, 6),),
    )


def end_or_none(d: Draw) -> Exercise:
    first = d.chance(0.5)
    idx = "0" if first else "-1"
    return make(
        d, ("first_or_none", "head_or_none", "first_item") if first else ("last_or_none", "last_item", "final_element"),
        {"xs": (XS, "list[int]")}, "int | None",
        docs=(f"Return the {'first' if first else 'last'} element of $xs, or None if it is empty.",),
        solutions=(("Empty lists have no element, so I check first.", f"if not $xs:\n    return None\nreturn $xs[{idx}]"),),
        oracle=lambda xs: (xs[0] if first else xs[len(xs) - 1]) if xs else None,
        make_input=list_input(d),
    )


def pairwise(d: Draw) -> Exercise:
    add = d.chance(0.5)
    op = "+" if add else "*"

    def make_input() -> tuple[list[int], list[int]]:
        n = d.int(0, 4)
        return ([d.int(-5, 9) for _ in range(n)], [d.int(-5, 9) for _ in range(n)])

    return make(
        d, ("add_lists", "pairwise_sum", "elementwise_add") if add else ("multiply_lists", "pairwise_product", "elementwise_product"),
        {"a": (("a", "left", "first"), "list[int]"), "b": (("b", "right", "second"), "list[int]")}, "list[int]",
        docs=(f"Return the element-wise {'sums' if add else 'products'} of $a and $b, which have the same length.",),
        solutions=(("zip pairs the elements up.", f"return [x {op} y for x, y in zip($a, $b)]"),),
        oracle=lambda a, b: [a[i] + b[i] if add else a[i] * b[i] for i in range(len(a))],
        make_input=make_input,
    )


def list_predicate(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("all_positive", "every_positive"), "Return True if every element of $xs is greater than zero.",
         "return all(x > 0 for x in $xs)", lambda xs: not [x for x in xs if x <= 0]),
        (("has_negative", "any_negative"), "Return True if $xs contains a negative number.",
         "return any(x < 0 for x in $xs)", lambda xs: bool([x for x in xs if x < 0])),
        (("is_sorted", "is_ascending", "in_order"), "Return True if $xs is in non-decreasing order.",
         "return all($xs[i] <= $xs[i + 1] for i in range(len($xs) - 1))", lambda xs: xs == sorted(xs)),
        (("contains_zero", "has_zero"), "Return True if 0 is one of the elements of $xs.", "return 0 in $xs",
         lambda xs: xs.count(0) > 0),
    ))
    return make(
        d, names, {"xs": (XS, "list[int]")}, "bool", docs=(doc,),
        solutions=(("A single expression over the elements answers this.", body),),
        oracle=fn,
        make_input=lambda: (d.pick((d.ints(0, 5), sorted(d.ints(0, 5)), d.ints(0, 4, 0, 9))),),
    )


def build_range(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("evens_up_to", "even_numbers_to"), "Return the even numbers from 0 up to and including $n.",
         "return [x for x in range($n + 1) if x % 2 == 0]", lambda n: list(range(0, n + 1, 2))),
        (("countdown", "count_down"), "Return the numbers from $n down to 1.", "return list(range($n, 0, -1))",
         lambda n: [n - i for i in range(n)]),
        (("squares_up_to", "first_squares"), "Return the squares of 1, 2, ..., $n.",
         "return [x * x for x in range(1, $n + 1)]", lambda n: [(i + 1) ** 2 for i in range(n)]),
    ))
    return make(
        d, names, {"n": (("n", "count", "limit", "top"), "int")}, "list[int]", docs=(doc,),
        solutions=(("range produces the numbers; I shape them into a list.", body),),
        oracle=fn,
        make_input=lambda: (d.int(0, 7),),
    )


def index_of_max(d: Draw) -> Exercise:
    return make(
        d, ("argmax", "index_of_max", "position_of_largest"), {"xs": (XS, "list[int]")}, "int",
        docs=("Return the index of the largest element of $xs (the first one on ties); $xs is not empty.",),
        solutions=(("I remember the index of the best value and only move it on a strictly larger one.",
                    "best = 0\nfor i in range(1, len($xs)):\n    if $xs[i] > $xs[best]:\n        best = i\nreturn best"),),
        oracle=lambda xs: xs.index(max(xs)),
        make_input=lambda: (d.ints(1, 6),),
    )


FAMILIES = (
    extreme, sum_where, count_where, filter_where, above_limit, map_each, scale_by, index_of, prefix_sums,
    concat_lists, split_chunks, unique, runner_up, rotate, product, end_or_none, pairwise, list_predicate,
    build_range, index_of_max,
)
