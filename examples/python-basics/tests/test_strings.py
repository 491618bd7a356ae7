from basics.strings import (
    caesar_shift,
    capitalize_words,
    count_vowels,
    count_words,
    is_anagram,
    is_palindrome,
    longest_word,
    reverse_string,
    run_length_encode,
    slugify,
)


def test_reverse_string_word():
    assert reverse_string("hello") == "olleh"


def test_reverse_string_empty():
    assert reverse_string("") == ""


def test_reverse_string_with_spaces():
    assert reverse_string("ab c") == "c ba"


def test_count_words_sentence():
    assert count_words("the quick brown fox") == 4


def test_count_words_extra_whitespace():
    assert count_words("  one \t two\nthree  ") == 3


def test_count_words_empty():
    assert count_words("") == 0


def test_count_vowels_lowercase():
    assert count_vowels("hello") == 2


def test_count_vowels_mixed_case():
    assert count_vowels("AbcdE") == 2


def test_count_vowels_none():
    assert count_vowels("rhythm") == 0
    assert count_vowels("") == 0


def test_is_palindrome_simple():
    assert is_palindrome("racecar") is True


def test_is_palindrome_ignores_case_and_punctuation():
    assert is_palindrome("A man, a plan, a canal: Panama!") is True


def test_is_palindrome_false():
    assert is_palindrome("python") is False
    assert is_palindrome("ab") is False


def test_is_palindrome_empty():
    assert is_palindrome("") is True


def test_is_anagram_true():
    assert is_anagram("listen", "silent") is True


def test_is_anagram_ignores_case_and_spaces():
    assert is_anagram("Dormitory", "dirty room") is True


def test_is_anagram_false():
    assert is_anagram("abc", "abd") is False
    assert is_anagram("aab", "abb") is False


def test_capitalize_words_simple():
    assert capitalize_words("hello world") == "Hello World"


def test_capitalize_words_keeps_other_letters():
    assert capitalize_words("hello wORLD") == "Hello WORLD"


def test_capitalize_words_keeps_spacing():
    assert capitalize_words("a  b") == "A  B"
    assert capitalize_words("") == ""


def test_longest_word_simple():
    assert longest_word("a quick fox") == "quick"


def test_longest_word_first_on_tie():
    assert longest_word("cat dog bird fish") == "bird"


def test_longest_word_empty():
    assert longest_word("   ") == ""


def test_slugify_basic():
    assert slugify("Hello, World!") == "hello-world"


def test_slugify_trims_dashes():
    assert slugify("  --Already-Slug--  ") == "already-slug"


def test_slugify_keeps_digits():
    assert slugify("Top 10 Tips & Tricks") == "top-10-tips-tricks"


def test_slugify_empty():
    assert slugify("!!!") == ""


def test_run_length_encode_basic():
    assert run_length_encode("aaab") == "3a1b"


def test_run_length_encode_separate_runs():
    assert run_length_encode("aabbaa") == "2a2b2a"


def test_run_length_encode_empty_and_single():
    assert run_length_encode("") == ""
    assert run_length_encode("z") == "1z"


def test_caesar_shift_lowercase():
    assert caesar_shift("abc", 1) == "bcd"


def test_caesar_shift_wraps_and_keeps_case():
    assert caesar_shift("xyz XYZ", 3) == "abc ABC"


def test_caesar_shift_negative_and_punctuation():
    assert caesar_shift("Bcd, e!", -1) == "Abc, d!"


def test_caesar_shift_large_shift():
    assert caesar_shift("hello", 26) == "hello"
