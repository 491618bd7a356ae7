"""Parsing and dictionary exercise families: split/format strings, small dict transforms, counting."""

from __future__ import annotations

from collections import Counter

from .exercise import Draw, Exercise, make

S = ("s", "text", "line", "raw", "spec")
D = ("d", "mapping", "table", "counts", "data")


def ints_from_text(d: Draw) -> Exercise:
    sep = d.pick((",", ";", " ", "|"))

    def make_input() -> tuple[str]:
        nums = d.ints(0, 5, -9, 99)
        if not nums:
            return ("",)
        spaced = sep if sep == " " or d.chance(0.5) else sep + " "
        return (spaced.join(map(str, nums)),)

    return make(
        d, ("parse_numbers", "ints_from_text", "split_ints", "read_numbers"), {"s": (S, "str")}, "list[int]",
        docs=("Parse the integers in $s, which are separated by $sep (spaces around them are allowed); an empty string gives [].",),
        solutions=(
            ("I split on $sep, strip each piece and convert it with int, skipping empty pieces.",
             "return [int(part) for part in $s.split($sep) if part.strip()]"),
            ("Loop over the pieces between separators and convert the non-empty ones.",
             "result = []\nfor part in $s.split($sep):\n    part = part.strip()\n    if part:\n        result.append(int(part))\nreturn result"),
        ),
        oracle=lambda s: [int(p) for p in s.replace(sep, " ").split()],
        make_input=make_input,
        consts={"sep": sep},
    )


def ints_to_text(d: Draw) -> Exercise:
    sep = d.pick((",", ", ", "-", " + "))
    return make(
        d, ("format_numbers", "join_numbers", "ints_to_text", "numbers_line"), {"xs": (("xs", "nums", "values"), "list[int]")}, "str",
        docs=("Return the numbers of $xs written in decimal and joined by $sep.",),
        solutions=(("str turns each number into text and join glues them.", "return $sep.join(str(x) for x in $xs)"),),
        oracle=lambda xs: sep.join(map(repr, xs)),
        make_input=lambda: (d.ints(0, 4),),
        consts={"sep": sep},
    )


def parse_pairs(d: Draw) -> Exercise:
    item_sep, kv_sep = d.pick(((";", "="), (",", ":"), ("&", "="), ("\n", ":")))

    def make_input() -> tuple[str]:
        keys = d.rng.sample(["name", "size", "color", "mode", "level", "user", "port"], d.int(0, 3))
        return (item_sep.join(f"{k}{kv_sep}{d.word()}" for k in keys),)

    def oracle(s: str) -> dict[str, str]:
        return dict(tuple(p.split(kv_sep, 1)) for p in s.split(item_sep) if p)

    return make(
        d, ("parse_pairs", "parse_settings", "read_options", "to_dict"), {"s": (S, "str")}, "dict[str, str]",
        docs=("Parse $s made of items separated by $item_sep, each item being key${kv_sep}value, into a dict.",),
        solutions=(("I split into items, then split each item once on $kv_sep.",
                    "result = {}\nfor item in $s.split($item_sep):\n    if item:\n        key, value = item.split($kv_sep, 1)\n"
                    "        result[key] = value\nreturn result"),),
        oracle=oracle,
        make_input=make_input,
        consts={"item_sep": item_sep, "kv_sep": kv_sep},
    )


def format_pairs(d: Draw) -> Exercise:
    kv_sep, item_sep = d.pick((("=", "&"), (": ", ", "), ("=", ";")))
    return make(
        d, ("format_pairs", "encode_options", "dict_to_text", "settings_line"), {"d": (D, "dict[str, int]")}, "str",
        docs=("Return the items of $d as key${kv_sep}value joined by $item_sep, with keys in sorted order.",),
        solutions=(("I sort the keys, format each pair and join them.",
                    "return $item_sep.join(f\"{key}$kv_sep{$d[key]}\" for key in sorted($d))"
                    .replace("$kv_sep", kv_sep)),),
        oracle=lambda m: item_sep.join(k + kv_sep + str(m[k]) for k in sorted(m)),
        make_input=lambda: ({k: d.int(0, 9) for k in d.rng.sample(["b", "a", "x", "m", "k"], d.int(0, 3))},),
        consts={"item_sep": item_sep, "kv_sep": kv_sep},
    )


def to_bool(d: Draw) -> Exercise:
    truthy = d.pick((("yes", "true", "1"), ("y", "yes", "on"), ("true", "on", "1")))
    return make(
        d, ("to_bool", "is_truthy", "parse_flag", "read_switch"), {"s": (S, "str")}, "bool",
        docs=(f"Return True if $s, ignoring case and surrounding spaces, is one of {', '.join(truthy)}.",),
        solutions=(("I normalise the text and check membership in the accepted words.",
                    "return $s.strip().lower() in $truthy"),),
        oracle=lambda s: any(s.strip().lower() == t for t in truthy),
        make_input=lambda: (d.pick(truthy + ("no", "off", "0", "maybe")).upper() if d.chance(0.3) else d.pick(truthy + ("no", "off", "false")),),
        consts={"truthy": truthy},
    )


def tagged_words(d: Draw) -> Exercise:
    mark = d.pick(("#", "@", "$"))

    def make_input() -> tuple[str]:
        return (" ".join(mark + w if d.chance(0.4) else w for w in d.words(1, 5)),)

    return make(
        d, ("find_tags", "mentions", "tagged_words", "extract_marked"), {"s": (S, "str")}, "list[str]",
        docs=("Return the words of $s that start with $mark, without the $mark, in order.",),
        solutions=(("I split into words and keep those that start with $mark, dropping the first character.",
                    "return [w[1:] for w in $s.split() if w.startswith($mark)]"),),
        oracle=lambda s: [w[len(mark):] for w in s.split() if w[:1] == mark],
        make_input=make_input,
        consts={"mark": mark},
    )


def keep_digits(d: Draw) -> Exercise:
    return make(
        d, ("digits_only", "keep_digits", "strip_non_digits"), {"s": (S, "str")}, "str",
        docs=("Return only the digit characters of $s, in order.",),
        solutions=(("I keep the characters for which isdigit is true.", 'return "".join(ch for ch in $s if ch.isdigit())'),),
        oracle=lambda s: "".join(c for c in s if c in "0123456789"),
        make_input=lambda: (d.pick(("tel: 555-0199", "a1b2c3", d.word(), f"{d.word()}{d.int(0, 999)}")),),
    )


def merge_two(d: Draw) -> Exercise:
    return make(
        d, ("combine_dicts", "merge", "overlay", "updated_copy"),
        {"a": (("a", "base", "defaults"), "dict[str, int]"), "b": (("b", "extra", "overrides"), "dict[str, int]")}, "dict[str, int]",
        docs=("Return a new dict with the items of $a and $b; values from $b win on shared keys.",),
        solutions=(("I copy $a and update it with $b, leaving both inputs unchanged.",
                    "result = dict($a)\nresult.update($b)\nreturn result"),
                   ("Dict unpacking merges left to right.", "return {**$a, **$b}")),
        oracle=lambda a, b: {k: b.get(k, a.get(k)) for k in list(a) + [k for k in b if k not in a]},
        make_input=lambda: ({k: d.int(0, 9) for k in d.rng.sample("abcd", d.int(0, 2))},
                            {k: d.int(0, 9) for k in d.rng.sample("bcde", d.int(0, 2))}),
    )


def invert(d: Draw) -> Exercise:
    return make(
        d, ("swap_keys_values", "reverse_mapping", "flip_dict", "inverse"), {"d": (D, "dict[str, int]")}, "dict[int, str]",
        docs=("Return a dict mapping each value of $d to its key (values are distinct).",),
        solutions=(("A dict comprehension swaps each pair.", "return {value: key for key, value in $d.items()}"),),
        oracle=lambda m: dict(zip(m.values(), m.keys())),
        make_input=lambda: (dict(zip(d.rng.sample("abcxyz", 3), d.rng.sample(range(10), 3))),),
    )


def group_words(d: Draw) -> Exercise:
    by_len = d.chance(0.5)
    key_expr, key_type = ("len(w)", "int") if by_len else ("w[0]", "str")

    def oracle(words: list[str]) -> dict[object, list[str]]:
        out: dict[object, list[str]] = {}
        for w in words:
            out.setdefault(len(w) if by_len else w[0], []).append(w)
        return out

    return make(
        d, ("bucket_by_length", "group_by_size", "words_by_length") if by_len else ("group_by_first_letter", "index_words", "by_initial"),
        {"ws": (("words", "names", "items"), "list[str]")}, f"dict[{key_type}, list[str]]",
        docs=(f"Group $ws by {'their length' if by_len else 'their first letter'}, keeping the original order inside each group.",),
        solutions=(("setdefault creates each group the first time I meet its key.",
                    f"groups = {{}}\nfor w in $ws:\n    groups.setdefault({key_expr}, []).append(w)\nreturn groups"),
                   ("I create a list for a new key and append to it.",
                    f"groups = {{}}\nfor w in $ws:\n    key = {key_expr}\n    if key not in groups:\n        groups[key] = []\n"
                    "    groups[key].append(w)\nreturn groups")),
        oracle=oracle,
        make_input=lambda: (d.words(0, 5),),
    )


def frequencies(d: Draw) -> Exercise:
    words = d.chance(0.5)
    unit, split = ("word", "$s.split()") if words else ("character", "$s")
    return make(
        d, ("word_counts", "count_each_word", "tally_words") if words else ("char_frequencies", "letter_counts", "count_each_char"),
        {"s": (S, "str")}, "dict[str, int]",
        docs=(f"Return a dict mapping each {unit} of $s to the number of times it occurs.",),
        solutions=((f"I walk over the {unit}s and add one to their counter, starting from 0 with get.",
                    f"counts = {{}}\nfor item in {split}:\n    counts[item] = counts.get(item, 0) + 1\nreturn counts"),),
        oracle=lambda s: dict(Counter(s.split() if words else s)),
        make_input=lambda: (d.sentence(1, 4) if words else d.word(),),
    )


def lookup(d: Draw) -> Exercise:
    default = d.pick((0, -1, None))
    return make(
        d, ("lookup", "get_or_default", "value_for", "find_value"),
        {"d": (D, "dict[str, int]"), "key": (("key", "name", "k"), "str")}, "int" if default is not None else "int | None",
        docs=("Return the value stored under $key in $d, or $default if the key is missing.",),
        solutions=(("dict.get takes the default as its second argument.", "return $d.get($key, $default)"),
                   ("I check membership first.", "if $key in $d:\n    return $d[$key]\nreturn $default")),
        oracle=lambda m, key: m[key] if key in m else default,
        make_input=lambda: ({k: d.int(1, 9) for k in d.rng.sample("abc", 2)}, d.pick("abcd")),
        consts={"default": default},
    )


def text_lines(d: Draw) -> Exercise:
    def lines() -> tuple[str]:
        return ("\n".join(d.pick((d.word(), "", "  ")) for _ in range(d.int(1, 4))),)

    def clock() -> tuple[str]:
        return (f"{d.int(0, 23)}:{d.int(0, 59):02d}",)

    names, doc, body, fn, gen = d.pick((
        (("line_count", "count_lines"), "Return the number of lines in $s that are not blank.",
         'return len([ln for ln in $s.split("\\n") if ln.strip()])', lambda s: sum(1 for ln in s.splitlines() if ln.strip()), lines),
        (("to_minutes", "parse_clock", "minutes_from_time"), 'Convert a time "H:MM" in $s to the number of minutes after midnight.',
         'hours, minutes = $s.split(":")\nreturn int(hours) * 60 + int(minutes)', lambda s: int(s[:s.index(":")]) * 60 + int(s[-2:]), clock),
    ))
    return make(d, names, {"s": (S, "str")}, "int", docs=(doc,),
                solutions=(("I split the text and work on the parts.", body),), oracle=fn, make_input=gen)


def dict_summary(d: Draw) -> Exercise:
    names, doc, body, fn, ret = d.pick((
        (("total_values", "sum_of_values"), "Return the sum of the values of $d.", "return sum($d.values())",
         lambda m: sum(m[k] for k in m), "int"),
        (("key_of_max", "best_key", "top_key"), "Return the key of $d with the largest value (the first such key), or None if $d is empty.",
         "if not $d:\n    return None\nreturn max($d, key=$d.get)", lambda m: max(m, key=lambda k: m[k]) if m else None, "str | None"),
        (("keys_above", "large_entries"), "Return the sorted keys of $d whose value is greater than 5.",
         "return sorted(key for key, value in $d.items() if value > 5)", lambda m: sorted(k for k in m if m[k] > 5), "list[str]"),
    ))
    return make(
        d, names, {"d": (D, "dict[str, int]")}, ret, docs=(doc,),
        solutions=(("The dict's values and items give me what I need.", body),),
        oracle=fn,
        make_input=lambda: ({k: d.int(0, 9) for k in d.rng.sample("pqrst", d.int(0, 3))},),
    )


FAMILIES = (
    ints_from_text, ints_to_text, parse_pairs, format_pairs, to_bool, tagged_words, keep_digits,
    merge_two, invert, group_words, frequencies, lookup, text_lines, dict_summary,
)
