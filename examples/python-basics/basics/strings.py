"""Text helpers: reversing, counting, slugs, simple encodings."""

import re

# Used by count_vowels; kept at module level so mined tasks carry it as context.
VOWELS = "aeiou"


def reverse_string(s: str) -> str:
    """Return s with its characters in reverse order."""
    return s[::-1]


def count_words(s: str) -> int:
    """Return the number of whitespace-separated words in s."""
    return len(s.split())


def count_vowels(s: str) -> int:
    """Return how many characters of s are vowels (a, e, i, o, u), ignoring case."""
    return sum(1 for ch in s.lower() if ch in VOWELS)


def is_palindrome(s: str) -> bool:
    """Return True if s reads the same backwards when case and non-alphanumeric characters are ignored."""
    cleaned = [ch.lower() for ch in s if ch.isalnum()]
    return cleaned == cleaned[::-1]


def is_anagram(a: str, b: str) -> bool:
    """Return True if a and b contain the same letters the same number of times, ignoring case and spaces."""
    return sorted(a.replace(" ", "").lower()) == sorted(b.replace(" ", "").lower())


def capitalize_words(s: str) -> str:
    """Upper-case the first character of each single-space-separated word, leaving every other character unchanged."""
    return " ".join(word[:1].upper() + word[1:] for word in s.split(" "))


def longest_word(s: str) -> str:
    """Return the longest whitespace-separated word of s (the first one on ties), or '' if s has no words."""
    longest = ""
    for word in s.split():
        if len(word) > len(longest):
            longest = word
    return longest


def slugify(s: str) -> str:
    """Lower-case s and replace each run of characters other than a-z and 0-9 with one '-', trimming '-' from both ends."""
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


def run_length_encode(s: str) -> str:
    """Encode each run of a repeated character as its length followed by the character, e.g. 'aaab' -> '3a1b'."""
    parts: list[str] = []
    i = 0
    while i < len(s):
        j = i
        while j < len(s) and s[j] == s[i]:
            j += 1
        parts.append(f"{j - i}{s[i]}")
        i = j
    return "".join(parts)


def caesar_shift(s: str, k: int) -> str:
    """Shift each ASCII letter k places (k may be negative), wrapping around z/a and keeping case; other characters stay."""
    shifted: list[str] = []
    for ch in s:
        if "a" <= ch <= "z":
            shifted.append(chr((ord(ch) - ord("a") + k) % 26 + ord("a")))
        elif "A" <= ch <= "Z":
            shifted.append(chr((ord(ch) - ord("A") + k) % 26 + ord("A")))
        else:
            shifted.append(ch)
    return "".join(shifted)


def preview(text: str, width: int = 20) -> str:
    """Return text cut to width characters, ending in '...' when it was cut.

    Not called by any test: it must not become a training task.
    """
    if len(text) <= width:
        return text
    return text[: max(width - 3, 0)] + "..."
