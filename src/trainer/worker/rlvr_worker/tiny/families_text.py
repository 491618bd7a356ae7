"""String exercise families: counting, reversing, casing, trimming, simple ciphers.

Each family returns a fresh ``Exercise`` with drawn names, constants and inputs. Oracles are
written independently of the solution texts so the tests can catch a wrong text.
"""

from __future__ import annotations

from .exercise import PALINDROMES, Draw, Exercise, make

S = ("s", "text", "phrase", "line", "string", "sentence")
CH = ("ch", "letter", "char", "c", "target")
N = ("n", "count", "k", "size", "limit", "width")


def mixed_text(d: Draw) -> str:
    """Words with some capitals and digits, for counting families."""
    parts = [d.pick((w, w.upper(), w.capitalize(), str(d.int(0, 99)))) for w in d.words(1, 3)]
    return " ".join(parts)


CHAR_CLASSES = (
    # (name pool, what, test expression on ch, oracle predicate)
    (("vowel_count", "num_vowels", "count_vowel_letters", "how_many_vowels"),
     "vowels (a, e, i, o, u), ignoring case", 'ch.lower() in "aeiou"', lambda c: c.lower() in "aeiou"),
    (("count_digits_in", "digit_count", "num_digits_in_text"),
     "digit characters", "ch.isdigit()", lambda c: c.isdigit()),
    (("count_upper", "uppercase_count", "num_capitals"),
     "uppercase letters", "ch.isupper()", lambda c: c.isupper()),
    (("count_spaces", "space_count", "num_spaces"),
     "space characters", 'ch == " "', lambda c: c == " "),
)


def count_char_class(d: Draw) -> Exercise:
    names, what, test, pred = d.pick(CHAR_CLASSES)
    return make(
        d, names, {"s": (S, "str")}, "int",
        docs=(f"Return how many characters of $s are {what}.", f"Count the {what} in $s."),
        solutions=(
            (f"I go through $s one character at a time and count the {what}.",
             f"total = 0\nfor ch in $s:\n    if {test}:\n        total += 1\nreturn total"),
            (f"A generator expression can add 1 for each of the {what}.",
             f"return sum(1 for ch in $s if {test})"),
        ),
        oracle=lambda s: sum(1 for c in s if pred(c)),
        make_input=lambda: (mixed_text(d),),
    )


def reverse_text(d: Draw) -> Exercise:
    return make(
        d, ("reverse_text", "backwards", "flip_string", "mirror_text", "reversed_string"),
        {"s": (S, "str")}, "str",
        docs=("Return $s reversed.", "Return the characters of $s in the opposite order."),
        solutions=(
            ("A slice with step -1 walks the string backwards.", "return $s[::-1]"),
            ("reversed gives the characters from the end; join puts them back together.",
             'return "".join(reversed($s))'),
            ("I build the result by putting each character in front of what I have so far.",
             'out = ""\nfor ch in $s:\n    out = ch + out\nreturn out'),
        ),
        oracle=lambda s: s[::-1],
        make_input=lambda: (d.pick((d.word(), d.sentence(2, 3), "")),),
    )


def reverse_word_order(d: Draw) -> Exercise:
    return make(
        d, ("reverse_words", "words_backwards", "flip_word_order"), {"s": (S, "str")}, "str",
        docs=("Return the words of $s in reverse order, separated by single spaces.",),
        solutions=(
            ("Split $s into words, reverse the list and join with spaces.",
             'return " ".join($s.split()[::-1])'),
            ("I split into words, reverse them, then join them again.",
             'parts = $s.split()\nparts.reverse()\nreturn " ".join(parts)'),
        ),
        oracle=lambda s: " ".join(reversed(s.split())),
        make_input=lambda: (d.sentence(1, 4),),
    )


def palindrome(d: Draw) -> Exercise:
    strict = d.chance(0.5)
    word = lambda: d.pick(PALINDROMES) if d.chance(0.5) else d.word()  # noqa: E731
    if strict:
        return make(
            d, ("reads_same_backwards", "palindrome_check", "is_mirror_word", "check_palindrome"),
            {"s": (S, "str")}, "bool",
            docs=("Return True if $s is the same forwards and backwards.",),
            solutions=(("A palindrome equals its own reverse.", "return $s == $s[::-1]"),),
            oracle=lambda s: s == s[::-1],
            make_input=lambda: (word(),),
        )
    return make(
        d, ("is_palindrome_phrase", "palindrome_ignoring_case", "loose_palindrome"),
        {"s": (S, "str")}, "bool",
        docs=("Return True if $s reads the same backwards, ignoring case and spaces.",),
        solutions=(
            ("I drop the spaces and lower-case $s, then compare it with its reverse.",
             'cleaned = $s.replace(" ", "").lower()\nreturn cleaned == cleaned[::-1]'),
        ),
        oracle=lambda s: s.replace(" ", "").lower() == s.replace(" ", "").lower()[::-1],
        make_input=lambda: (d.pick((word().capitalize(), "Never odd or even", "Top spot", d.sentence(2, 2))),),
    )


def word_count(d: Draw) -> Exercise:
    return make(
        d, ("word_count", "num_words", "count_tokens", "how_many_words"), {"s": (S, "str")}, "int",
        docs=("Return the number of words in $s, where words are separated by whitespace.",
              "Count the whitespace-separated words of $s."),
        solutions=(
            ("split() without arguments splits on any whitespace, so I count its parts.",
             "return len($s.split())"),
        ),
        oracle=lambda s: len(s.split()),
        make_input=lambda: (d.pick((d.sentence(0, 5), "  " + d.sentence(1, 3) + " ")),),
    )


def capitalize_each(d: Draw) -> Exercise:
    return make(
        d, ("title_words", "capitalize_each", "upper_first_letters", "headline"), {"s": (S, "str")}, "str",
        docs=("Return $s with the first letter of every space-separated word in upper case.",),
        solutions=(
            ("Each word gets its first character upper-cased and keeps the rest.",
             'return " ".join(w[:1].upper() + w[1:] for w in $s.split(" "))'),
            ("I loop over the words, fix the first letter of each and join them.",
             'out = []\nfor w in $s.split(" "):\n    out.append(w[:1].upper() + w[1:])\nreturn " ".join(out)'),
        ),
        oracle=lambda s: " ".join(w[:1].upper() + w[1:] for w in s.split(" ")),
        make_input=lambda: (d.sentence(1, 4),),
    )


def extreme_word(d: Draw) -> Exercise:
    longest = d.chance(0.6)
    op, adj = (">", "longest") if longest else ("<", "shortest")
    names = ("longest_token", "find_longest", "biggest_word") if longest else ("shortest_word", "find_shortest", "smallest_word")
    init = 'best = ""' if longest else "words = $s.split()\nif not words:\n    return \"\"\nbest = words[0]"
    loop = "for w in $s.split():" if longest else "for w in words:"

    def oracle(s: str) -> str:
        words = s.split()
        if not words:
            return ""
        return max(words, key=len) if longest else min(words, key=len)

    return make(
        d, names, {"s": (S, "str")}, "str",
        docs=(f"Return the {adj} word in $s (the first one on ties), or an empty string if there are no words.",),
        solutions=((f"I keep the {adj} word seen so far and only replace it when a new word is strictly {'longer' if longest else 'shorter'}.",
                    f"{init}\n{loop}\n    if len(w) {op} len(best):\n        best = w\nreturn best"),),
        oracle=oracle,
        make_input=lambda: (d.pick((d.sentence(1, 5), "")),),
    )


def anagram(d: Draw) -> Exercise:
    def pair() -> tuple[str, str]:
        w = d.word()
        other = "".join(d.rng.sample(w, len(w))) if d.chance(0.6) else d.word()
        return (w, other)

    return make(
        d, ("are_anagrams", "same_letters", "is_permutation", "anagram_pair"),
        {"a": (("a", "first", "left", "s1"), "str"), "b": (("b", "second", "right", "s2"), "str")}, "bool",
        docs=("Return True if $a and $b use exactly the same letters the same number of times.",),
        solutions=(("Two words are anagrams when their sorted letters are equal.", "return sorted($a) == sorted($b)"),),
        oracle=lambda a, b: sorted(a) == sorted(b),
        make_input=pair,
    )


def join_with(d: Draw) -> Exercise:
    sep = d.pick(("-", "_", "."))
    title = {"-": "kebab", "_": "snake", ".": "dotted"}[sep]
    return make(
        d, (f"to_{title}_case", f"{title}_case", "make_slug", "url_slug", "join_lower"), {"s": (S, "str")}, "str",
        docs=("Lower-case $s and join its words with $sep.",
              "Return $s in lower case with the words separated by $sep instead of spaces."),
        solutions=(
            ("I lower-case the text, split it into words and join them with $sep.",
             "return $sep.join($s.lower().split())"),
            ("split() also drops repeated spaces; then I join the lower-case words.",
             "words = [w.lower() for w in $s.split()]\nreturn $sep.join(words)"),
        ),
        oracle=lambda s: sep.join(s.lower().split()),
        make_input=lambda: (" ".join(w.capitalize() for w in d.words(1, 4)),),
        consts={"sep": sep},
    )


def encode_runs(d: Draw) -> Exercise:
    def oracle(s: str) -> str:
        out, i = [], 0
        while i < len(s):
            j = i
            while j < len(s) and s[j] == s[i]:
                j += 1
            out.append(f"{s[i]}{j - i}")
            i = j
        return "".join(out)

    return make(
        d, ("compress_runs", "rle", "encode_runs", "squeeze_repeats"), {"s": (S, "str")}, "str",
        docs=('Replace each run of equal characters in $s by the character and the run length, e.g. "aab" -> "a2b1".',),
        solutions=((
            "I walk through $s, counting how long the current run is, and write the character and count when it ends.",
            'out = ""\ni = 0\nwhile i < len($s):\n    j = i\n    while j < len($s) and $s[j] == $s[i]:\n'
            '        j += 1\n    out += $s[i] + str(j - i)\n    i = j\nreturn out'),),
        oracle=oracle,
        make_input=lambda: ("".join(d.pick("abc") * d.int(1, 3) for _ in range(d.int(0, 4))),),
    )


def shift_letters(d: Draw) -> Exercise:
    def oracle(s: str, k: int) -> str:
        return "".join(chr((ord(c) - 97 + k) % 26 + 97) if "a" <= c <= "z" else c for c in s)

    return make(
        d, ("shift_letters", "rotate_letters", "rot_cipher", "encrypt"),
        {"s": (S, "str"), "k": (("k", "shift", "offset", "key"), "int")}, "str",
        docs=("Shift every lowercase letter of $s forward by $k places in the alphabet, wrapping around after z.",),
        solutions=((
            "For each lowercase letter I move it $k places with modulo 26; other characters stay.",
            'out = ""\nfor ch in $s:\n    if "a" <= ch <= "z":\n        out += chr((ord(ch) - ord("a") + $k) % 26 + ord("a"))\n'
            "    else:\n        out += ch\nreturn out"),),
        oracle=oracle,
        make_input=lambda: (d.sentence(1, 2), d.int(0, 27)),
    )


def truncate(d: Draw) -> Exercise:
    tail = d.pick(("...", "~", "!"))
    return make(
        d, ("shorten", "truncate_text", "clip_text", "abbreviate"), {"s": (S, "str"), "n": (N, "int")}, "str",
        docs=("Return $s unchanged if it has at most $n characters, otherwise its first $n characters followed by $tail.",),
        solutions=(
            ("Short strings stay as they are; longer ones are cut with a slice and get $tail at the end.",
             "if len($s) <= $n:\n    return $s\nreturn $s[:$n] + $tail"),
        ),
        oracle=lambda s, n: s if len(s) <= n else s[:n] + tail,
        make_input=lambda: (d.sentence(1, 3), d.int(1, 12)),
        consts={"tail": tail},
    )


def repeat(d: Draw) -> Exercise:
    sep = d.pick(("", " ", "-", ", "))
    return make(
        d, ("repeat_text", "echo", "repeat_word", "say_n_times"), {"s": (S, "str"), "n": (N, "int")}, "str",
        docs=("Return $s repeated $n times, joined by $sep.",),
        solutions=(
            ("I make a list with $n copies of $s and join it with $sep.", "return $sep.join([$s] * $n)"),
            ("A loop collects $n copies, then join puts $sep between them.",
             "parts = []\nfor _ in range($n):\n    parts.append($s)\nreturn $sep.join(parts)"),
        ),
        oracle=lambda s, n: sep.join([s] * n),
        make_input=lambda: (d.word(), d.int(0, 4)),
        consts={"sep": sep},
    )


def count_char(d: Draw) -> Exercise:
    return make(
        d, ("count_char", "occurrences", "count_letter", "times_seen"), {"s": (S, "str"), "ch": (CH, "str")}, "int",
        docs=("Return how many times the character $ch appears in $s.", "Count the occurrences of $ch in $s."),
        solutions=(
            ("str.count does exactly this.", "return $s.count($ch)"),
            ("I compare every character of $s with $ch and count the matches.",
             "total = 0\nfor item in $s:\n    if item == $ch:\n        total += 1\nreturn total"),
        ),
        oracle=lambda s, ch: sum(1 for c in s if c == ch),
        make_input=lambda: (d.sentence(1, 3), d.letter()),
    )


def remove_char(d: Draw) -> Exercise:
    return make(
        d, ("remove_letter", "without_char", "strip_char", "delete_all"), {"s": (S, "str"), "ch": (CH, "str")}, "str",
        docs=("Return $s with every occurrence of the character $ch removed.",),
        solutions=(
            ("Replacing $ch by the empty string removes it.", 'return $s.replace($ch, "")'),
            ("I keep only the characters that are not $ch.", 'return "".join(item for item in $s if item != $ch)'),
        ),
        oracle=lambda s, ch: "".join(c for c in s if c != ch),
        make_input=lambda: (d.sentence(1, 3), d.letter()),
    )


def initials(d: Draw) -> Exercise:
    return make(
        d, ("acronym", "initials", "first_letters", "abbreviation"), {"s": (S, "str")}, "str",
        docs=("Return the upper-cased first letters of the words in $s.",),
        solutions=(
            ("I take the first character of every word and upper-case the result.",
             'return "".join(w[0] for w in $s.split()).upper()'),
            ("For each word I add its first letter in upper case.",
             'out = ""\nfor w in $s.split():\n    out += w[0].upper()\nreturn out'),
        ),
        oracle=lambda s: "".join(w[0].upper() for w in s.split()),
        make_input=lambda: (d.sentence(1, 4),),
    )


def surround(d: Draw) -> Exercise:
    left, right = d.pick((("[", "]"), ("(", ")"), ("<", ">"), ("*", "*"), ('"', '"')))
    return make(
        d, ("bracket", "wrap", "surround", "enclose"), {"s": (S, "str")}, "str",
        docs=("Return $s with $left before it and $right after it.",),
        solutions=(("I just concatenate the three pieces.", "return $left + $s + $right"),),
        oracle=lambda s: left + s + right,
        make_input=lambda: (d.sentence(1, 2),),
        consts={"left": left, "right": right},
    )


def slice_end(d: Draw) -> Exercise:
    first = d.chance(0.5)
    return make(
        d, ("first_chars", "head_of", "prefix_of") if first else ("last_chars", "tail_of", "suffix_of"),
        {"s": (S, "str"), "n": (N, "int")}, "str",
        docs=(f"Return the {'first' if first else 'last'} $n characters of $s (all of it if it is shorter).",),
        solutions=(("A slice does this and never fails on short strings.", "return $s[:$n]" if first else
                    "if $n == 0:\n    return \"\"\nreturn $s[-$n:]"),),
        oracle=lambda s, n: s[:n] if first else (s[len(s) - n:] if n <= len(s) else s),
        make_input=lambda: (d.word(), d.int(0, 7)),
    )


def change_case(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("shout", "loud"), "Return $s in upper case followed by an exclamation mark.", 'return $s.upper() + "!"',
         lambda s: s.upper() + "!"),
        (("whisper", "quiet"), "Return $s in lower case.", "return $s.lower()", lambda s: s.lower()),
        (("swap_letter_case", "invert_case"), "Return $s with upper-case letters made lower-case and vice versa.",
         "return $s.swapcase()", lambda s: "".join(c.lower() if c.isupper() else c.upper() for c in s)),
        (("double_letters", "stutter"), "Return $s with every character written twice.",
         'return "".join(ch * 2 for ch in $s)', lambda s: "".join(c + c for c in s)),
    ))
    return make(
        d, names, {"s": (S, "str")}, "str", docs=(doc,),
        solutions=(("String methods handle this directly.", body),),
        oracle=fn,
        make_input=lambda: (mixed_text(d),),
    )


def char_predicate(d: Draw) -> Exercise:
    names, doc, body, fn = d.pick((
        (("contains_digit", "has_number"), "Return True if $s contains at least one digit.",
         "return any(ch.isdigit() for ch in $s)", lambda s: any(c in "0123456789" for c in s)),
        (("all_lower", "is_lowercase_word"), "Return True if every character of $s is a lowercase letter.",
         "return all(\"a\" <= ch <= \"z\" for ch in $s)", lambda s: all(c in "abcdefghijklmnopqrstuvwxyz" for c in s)),
        (("starts_with_vowel", "begins_with_vowel"), "Return True if $s starts with a vowel (any case).",
         'return $s[:1].lower() in ("a", "e", "i", "o", "u")', lambda s: bool(s) and s[0].lower() in "aeiou"),
    ))
    return make(
        d, names, {"s": (S, "str")}, "bool", docs=(doc,),
        solutions=(("I check the characters with a simple test.", body),),
        oracle=fn,
        make_input=lambda: (d.pick((d.word(), mixed_text(d), d.word().upper())),),
    )


FAMILIES = (
    count_char_class, reverse_text, reverse_word_order, palindrome, word_count, capitalize_each,
    extreme_word, anagram, join_with, encode_runs, shift_letters, truncate, repeat, count_char,
    remove_char, initials, surround, slice_end, change_case, char_predicate,
)
