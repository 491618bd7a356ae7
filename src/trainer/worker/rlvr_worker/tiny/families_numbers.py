"""Arithmetic exercise families: one-liners, predicates, clamping, digits, classic small loops."""

from __future__ import annotations

import math

from .exercise import Draw, Exercise, make

N = ("n", "x", "num", "value", "number")
A = ("a", "x", "left", "first")
B = ("b", "y", "right", "second")

NUMBER_WORDS = {2: "double", 3: "triple", 4: "quadruple", 10: "times_ten"}


def binary_op(d: Draw) -> Exercise:
    names, doc, expr, fn = d.pick((
        (("plus", "sum_two", "add_numbers", "total_of"), "Return $a plus $b.", "$a + $b", lambda a, b: a + b),
        (("subtract", "minus", "difference"), "Return $a minus $b.", "$a - $b", lambda a, b: a - b),
        (("multiply", "times", "product_of_two"), "Return the product of $a and $b.", "$a * $b", lambda a, b: a * b),
        (("larger_of", "max_of_two", "bigger"), "Return the larger of $a and $b.", "$a if $a >= $b else $b",
         lambda a, b: max(a, b)),
        (("smaller_of", "min_of_two", "lesser"), "Return the smaller of $a and $b.", "$a if $a <= $b else $b",
         lambda a, b: min(a, b)),
        (("abs_diff", "distance", "gap"), "Return the absolute difference between $a and $b.", "abs($a - $b)",
         lambda a, b: a - b if a > b else b - a),
    ))
    return make(
        d, names, {"a": (A, "int"), "b": (B, "int")}, "int", docs=(doc,),
        solutions=((f"This is a single expression: {expr}.", f"return {expr}"),),
        oracle=fn,
        make_input=lambda: (d.int(-9, 30), d.int(-9, 30)),
    )


def unary_op(d: Draw) -> Exercise:
    k = d.pick((2, 3, 4, 10, 5, 7))
    names, doc, expr, fn = d.pick((
        ((NUMBER_WORDS.get(k, f"times_{k}"), f"multiply_by_{k}"), "Return $n multiplied by $k.", "$n * $k", lambda n: n * k),
        ((f"add_{k}", f"plus_{k}", f"increase_by_{k}"), "Return $n plus $k.", "$n + $k", lambda n: n + k),
        (("cube", "cubed", "third_power"), "Return $n raised to the third power.", "$n ** 3", lambda n: n * n * n),
        (("square_of", "squared_value", "sq"), "Return the square of $n.", "$n * $n", lambda n: n ** 2),
        (("negate", "opposite"), "Return $n with its sign flipped.", "-$n", lambda n: 0 - n),
        (("half", "halve"), "Return $n divided by 2, rounded down.", "$n // 2", lambda n: math.floor(n / 2)),
        (("last_digit", "ones_digit"), "Return the last decimal digit of the non-negative number $n.", "$n % 10",
         lambda n: int(str(n)[-1])),
    ))
    return make(
        d, names, {"n": (N, "int")}, "int", docs=(doc,),
        solutions=((f"I return {expr}.", f"return {expr}"),),
        oracle=fn,
        make_input=lambda: (d.int(0, 40) if "digit" in doc else d.int(-10, 30),),
        consts={"k": k},
    )


def divisibility(d: Draw) -> Exercise:
    k = d.pick((2, 3, 4, 5, 7, 10))
    names, doc, body, fn = d.pick((
        (("is_odd", "odd"), "Return True if $n is odd.", "return $n % 2 != 0", lambda n: n % 2 == 1),
        (("is_even_number", "even_check"), "Return True if $n is even, including negative numbers.", "return $n % 2 == 0",
         lambda n: n % 2 == 0),
        ((f"divisible_by_{k}", f"is_multiple_of_{k}"), "Return True if $n is a multiple of $k.", "return $n % $k == 0",
         lambda n: n % k == 0),
    ))
    return make(
        d, names, {"n": (N, "int")}, "bool", docs=(doc,),
        solutions=(("The remainder operator % tells me this.", body),),
        oracle=fn,
        make_input=lambda: (d.int(-12, 40),),
        consts={"k": k},
    )


def classify_sign(d: Draw) -> Exercise:
    words = d.pick((("negative", "zero", "positive"), ("neg", "zero", "pos"), ("below", "equal", "above")))
    as_int = d.chance(0.5)

    def oracle(n: int) -> object:
        index = (n > 0) - (n < 0) + 1
        return index - 1 if as_int else words[index]

    neg, zero, pos = ("-1", "0", "1") if as_int else ("$neg", "$zero", "$pos")
    return make(
        d, ("sign_of", "signum", "direction") if as_int else ("classify", "describe_sign", "sign_name"),
        {"n": (N, "int")}, "int" if as_int else "str",
        docs=(f"Return {neg} if $n is negative, {zero} if it is zero and {pos} if it is positive.",),
        solutions=((f"Two comparisons cover the three cases.",
                    f"if $n < 0:\n    return {neg}\nif $n == 0:\n    return {zero}\nreturn {pos}"),),
        oracle=oracle,
        make_input=lambda: (d.pick((0, d.int(-20, -1), d.int(1, 20))),),
        consts={"neg": words[0], "zero": words[1], "pos": words[2]},
    )


def clamp_range(d: Draw) -> Exercise:
    if d.chance(0.5):
        lo, hi = d.pick(((0, 100), (0, 255), (1, 10), (-5, 5), (0, 9)))
        return make(
            d, (f"clamp_{lo}_{hi}".replace("-", "minus"), "limit_value", "bound_value", "clip"), {"n": (N, "int")}, "int",
            docs=("Return $n limited to the range from $lo to $hi inclusive.",),
            solutions=(("min caps the top and max lifts the bottom.", "return max($lo, min($n, $hi))"),
                       ("Values below $lo become $lo and values above $hi become $hi.",
                        "if $n < $lo:\n    return $lo\nif $n > $hi:\n    return $hi\nreturn $n")),
            oracle=lambda n: sorted((lo, n, hi))[1],
            make_input=lambda: (d.int(lo - 20, hi + 20),),
            consts={"lo": lo, "hi": hi},
        )
    return make(
        d, ("limit", "bound", "clip_to", "restrict"),
        {"n": (N, "int"), "lo": (("lo", "low", "smallest"), "int"), "hi": (("hi", "high", "largest"), "int")}, "int",
        docs=("Return $n kept inside the inclusive range [$lo, $hi] (assume $lo <= $hi).",),
        solutions=(("min caps the top and max lifts the bottom.", "return max($lo, min($n, $hi))"),
                   ("I handle the two out-of-range sides, otherwise $n is fine.",
                    "if $n < $lo:\n    return $lo\nif $n > $hi:\n    return $hi\nreturn $n")),
        oracle=lambda n, lo, hi: sorted((lo, n, hi))[1],
        make_input=lambda: (d.int(-20, 30), d.int(-5, 5), d.int(6, 15)),
    )


def average(d: Draw) -> Exercise:
    return make(
        d, ("average", "mean_of", "avg", "mean_value"), {"xs": (("xs", "values", "nums", "scores"), "list[float]")}, "float",
        docs=("Return the average of $xs, or 0.0 when $xs is empty.",),
        solutions=(("The mean is the sum divided by the count; an empty list would divide by zero.",
                    "if not $xs:\n    return 0.0\nreturn sum($xs) / len($xs)"),
                   ("Guard the empty case, then divide the total by the length.",
                    "if len($xs) == 0:\n    return 0.0\ntotal = 0\nfor x in $xs:\n    total += x\nreturn total / len($xs)")),
        oracle=lambda xs: math.fsum(xs) / len(xs) if xs else 0.0,
        make_input=lambda: ([float(d.int(0, 8)) for _ in range(d.pick((0, 2, 4)))],),
    )


def fizz_words(d: Draw) -> Exercise:
    a, b = d.pick(((3, 5), (2, 3), (3, 7), (2, 5)))
    wa, wb = d.pick((("Fizz", "Buzz"), ("Foo", "Bar"), ("Ping", "Pong"), ("Tic", "Tac")))

    def oracle(n: int) -> str:
        return (wa if n % a == 0 else "") + (wb if n % b == 0 else "") or str(n)

    return make(
        d, ("fizz_label", "foo_bar", "ping_pong", "game_word"), {"n": (N, "int")}, "str",
        docs=(f"Return '{wa}{wb}' if $n is divisible by both $a and $b, '{wa}' if only by $a, '{wb}' if only by $b, else str($n).",),
        solutions=((f"I test divisibility by both first, then by $a, then by $b.",
                    f"if $n % $a == 0 and $n % $b == 0:\n    return \"{wa}{wb}\"\nif $n % $a == 0:\n    return \"{wa}\"\n"
                    f"if $n % $b == 0:\n    return \"{wb}\"\nreturn str($n)"),),
        oracle=oracle,
        make_input=lambda: (d.int(1, 40),),
        consts={"a": a, "b": b},
    )


def factorial_like(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("fact", "factorial_of", "product_up_to"), "Return the product 1 * 2 * ... * $n (1 when $n is 0).",
         "result = 1\nfor i in range(2, $n + 1):\n    result *= i\nreturn result", math.factorial),
        (("sum_up_to", "triangle_number", "sum_first"), "Return 1 + 2 + ... + $n.",
         "total = 0\nfor i in range(1, $n + 1):\n    total += i\nreturn total", lambda n: n * (n + 1) // 2),
        (("fib", "nth_fib", "fibonacci_number"), "Return the $n-th Fibonacci number, with fib(0) = 0 and fib(1) = 1.",
         "a, b = 0, 1\nfor _ in range($n):\n    a, b = b, a + b\nreturn a", lambda n: round(((1 + 5 ** 0.5) / 2) ** n / 5 ** 0.5)),
    ))
    return make(
        d, names, {"n": (("n", "k", "count", "num"), "int")}, "int", docs=(doc,),
        solutions=(("A simple loop from the bottom up builds the answer.", body),),
        oracle=fn,
        make_input=lambda: (d.int(0, 12),),
    )


def prime_check(d: Draw) -> Exercise:
    return make(
        d, ("prime_check", "is_prime_number", "check_prime", "prime"), {"n": (N, "int")}, "bool",
        docs=("Return True if $n is a prime number.",),
        solutions=(("Numbers below 2 are not prime; otherwise I try divisors up to the square root.",
                    "if $n < 2:\n    return False\ni = 2\nwhile i * i <= $n:\n    if $n % i == 0:\n        return False\n"
                    "    i += 1\nreturn True"),),
        oracle=lambda n: n >= 2 and all(n % k for k in range(2, n)),
        make_input=lambda: (d.int(-2, 50),),
    )


def divisor_pair(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("greatest_common_divisor", "hcf", "common_factor"), "Return the greatest common divisor of the positive numbers $a and $b.",
         "while $b:\n    $a, $b = $b, $a % $b\nreturn $a", math.gcd),
        (("lcm", "least_common_multiple", "smallest_multiple"), "Return the least common multiple of the positive numbers $a and $b.",
         "x, y = $a, $b\nwhile y:\n    x, y = y, x % y\nreturn $a * $b // x", lambda a, b: a * b // math.gcd(a, b)),
    ))
    return make(
        d, names, {"a": (("a", "m", "first"), "int"), "b": (("b", "k", "second"), "int")}, "int", docs=(doc,),
        solutions=(("Euclid's algorithm: replace the pair by (b, a % b) until b is zero.", body),),
        oracle=fn,
        make_input=lambda: (d.int(1, 60), d.int(1, 60)),
    )


def digits(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("sum_digits", "digit_total", "add_digits"), "Return the sum of the decimal digits of the non-negative number $n.",
         "total = 0\nwhile $n > 0:\n    total += $n % 10\n    $n //= 10\nreturn total", lambda n: sum(map(int, str(n)))),
        (("count_digits", "num_digits", "digit_length"), "Return how many decimal digits the non-negative number $n has.",
         "return len(str($n))", lambda n: len(f"{n}")),
        (("reverse_digits", "flip_number", "mirror_number"), "Return the number made of the digits of the non-negative $n in reverse order.",
         "return int(str($n)[::-1])", lambda n: int("".join(reversed(str(n))))),
    ))
    return make(
        d, names, {"n": (N, "int")}, "int", docs=(doc,),
        solutions=(("Working with the digits is easiest through str or through % 10.", body),),
        oracle=fn,
        make_input=lambda: (d.int(0, 9999),),
    )


def percent_of(d: Draw) -> Exercise:
    places = d.pick((0, 1, 2))
    return make(
        d, ("percentage", "ratio_percent", "share_percent", "as_percent"),
        {"part": (("part", "done", "count"), "int"), "total": (("total", "whole", "size"), "int")}, "float",
        docs=("Return $part as a percentage of $total rounded to $places decimals, or 0.0 when $total is 0.",),
        solutions=(("Guard the zero total, then divide, multiply by 100 and round.",
                    "if $total == 0:\n    return 0.0\nreturn round($part / $total * 100, $places)"),),
        oracle=lambda part, total: round(part / total * 100, places) if total else 0.0,
        make_input=lambda: (d.int(0, 30), d.pick((0, d.int(1, 40)))),
        consts={"places": places},
    )


def misc_predicate(d: Draw) -> Exercise:
    names, params, doc, body, fn, gen = d.pick((
        (("is_leap", "leap_year"), {"n": (("year", "y"), "int")},
         "Return True if $n is a leap year in the Gregorian calendar.",
         "return $n % 4 == 0 and ($n % 100 != 0 or $n % 400 == 0)",
         lambda y: y % 400 == 0 or (y % 4 == 0 and y % 100 != 0), lambda: (d.pick((1900, 2000, 2023, 2024, d.int(1890, 2100))),)),
        (("is_between", "in_range", "within"), {"n": (N, "int"), "lo": (("lo", "low"), "int"), "hi": (("hi", "high"), "int")},
         "Return True if $lo <= $n <= $hi.", "return $lo <= $n <= $hi",
         lambda n, lo, hi: lo <= n and n <= hi, lambda: (d.int(-5, 15), d.int(-3, 3), d.int(4, 10))),
    ))
    return make(
        d, names, params, "bool", docs=(doc,),
        solutions=(("This is one boolean expression.", body),),
        oracle=fn,
        make_input=gen,
    )


FAMILIES = (
    binary_op, unary_op, divisibility, classify_sign, clamp_range, average, fizz_words, factorial_like,
    prime_check, divisor_pair, digits, percent_of, misc_predicate,
)
