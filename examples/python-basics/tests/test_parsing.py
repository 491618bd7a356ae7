from basics.parsing import (
    extract_hashtags,
    format_key_values,
    parse_bool,
    parse_duration,
    parse_int_list,
    parse_key_values,
)


def test_parse_key_values_basic():
    assert parse_key_values("a=1;b=2") == {"a": "1", "b": "2"}


def test_parse_key_values_strips_and_skips():
    assert parse_key_values(" name = Ada ;; flag ;x=") == {"name": "Ada", "x": ""}


def test_parse_key_values_later_key_wins():
    assert parse_key_values("k=1;k=2") == {"k": "2"}


def test_parse_key_values_value_with_equals():
    assert parse_key_values("expr=a=b") == {"expr": "a=b"}


def test_parse_key_values_empty():
    assert parse_key_values("") == {}


def test_format_key_values_basic():
    assert format_key_values({"a": "1", "b": "2"}) == "a=1;b=2"


def test_format_key_values_single():
    assert format_key_values({"mode": "fast"}) == "mode=fast"


def test_format_key_values_empty():
    assert format_key_values({}) == ""


def test_parse_int_list_basic():
    assert parse_int_list("1,2,3") == [1, 2, 3]


def test_parse_int_list_spaces_and_negatives():
    assert parse_int_list(" -4 , 5,  60 ") == [-4, 5, 60]


def test_parse_int_list_blank():
    assert parse_int_list("") == []
    assert parse_int_list("   ") == []


def test_parse_bool_true_words():
    assert parse_bool("yes") is True
    assert parse_bool("1") is True


def test_parse_bool_false_words_any_case():
    assert parse_bool(" FALSE ") is False
    assert parse_bool("No") is False


def test_parse_bool_unknown():
    assert parse_bool("maybe") is None
    assert parse_bool("") is None


def test_parse_duration_full():
    assert parse_duration("1h30m15s") == 5415


def test_parse_duration_single_unit():
    assert parse_duration("45s") == 45
    assert parse_duration("2h") == 7200


def test_parse_duration_partial_and_empty():
    assert parse_duration("3m5s") == 185
    assert parse_duration("") == 0


def test_extract_hashtags_basic():
    assert extract_hashtags("loving #python and #rust") == ["python", "rust"]


def test_extract_hashtags_none():
    assert extract_hashtags("no tags here") == []


def test_extract_hashtags_skips_bare_hash():
    assert extract_hashtags("# #ok a#b") == ["ok"]
