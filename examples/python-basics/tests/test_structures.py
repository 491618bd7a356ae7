import pytest

from basics.structures import (
    Stack,
    group_by_length,
    invert_dict,
    merge_dicts,
    word_frequencies,
)


@pytest.fixture
def stack_of_three():
    stack = Stack()
    for item in (1, 2, 3):
        stack.push(item)
    return stack


def test_stack_push_then_peek():
    stack = Stack()
    stack.push(5)
    assert stack.peek() == 5


def test_stack_push_keeps_last_on_top():
    stack = Stack()
    stack.push("a")
    stack.push("b")
    assert stack.pop() == "b"


def test_stack_push_many_pop_in_reverse():
    stack = Stack()
    for item in (1, 2, 3):
        stack.push(item)
    assert [stack.pop(), stack.pop(), stack.pop()] == [3, 2, 1]


def test_stack_pop_returns_top():
    stack = Stack()
    stack.push(10)
    stack.push(20)
    assert stack.pop() == 20
    assert stack.pop() == 10


def test_stack_pop_removes_item():
    stack = Stack()
    stack.push(1)
    stack.push(2)
    stack.pop()
    assert stack.peek() == 1


def test_stack_pop_empty_raises():
    with pytest.raises(IndexError):
        Stack().pop()


def test_stack_peek_does_not_remove(stack_of_three):
    assert stack_of_three.peek() == 3
    assert stack_of_three.peek() == 3


def test_stack_peek_empty():
    assert Stack().peek() is None


def test_stack_peek_after_pop():
    stack = Stack()
    stack.push("x")
    stack.push("y")
    stack.pop()
    assert stack.peek() == "x"


def test_merge_dicts_disjoint():
    assert merge_dicts({"a": 1}, {"b": 2}) == {"a": 1, "b": 2}


def test_merge_dicts_second_wins():
    assert merge_dicts({"a": 1, "b": 2}, {"b": 3}) == {"a": 1, "b": 3}


def test_merge_dicts_does_not_change_inputs():
    first, second = {"a": 1}, {"a": 2}
    merge_dicts(first, second)
    assert first == {"a": 1}
    assert second == {"a": 2}


def test_invert_dict_basic():
    assert invert_dict({"a": 1, "b": 2}) == {1: "a", 2: "b"}


def test_invert_dict_empty():
    assert invert_dict({}) == {}


@pytest.mark.parametrize(
    "d, expected",
    [
        ({"x": 1, "y": 1}, {1: "y"}),
        ({"p": 5, "q": 6, "r": 5}, {5: "r", 6: "q"}),
    ],
)
def test_invert_dict_last_key_wins(d, expected):
    assert invert_dict(d) == expected


def test_group_by_length_basic():
    assert group_by_length(["a", "bb", "c"]) == {1: ["a", "c"], 2: ["bb"]}


def test_group_by_length_keeps_order():
    assert group_by_length(["dog", "cat", "ox", "eel"]) == {3: ["dog", "cat", "eel"], 2: ["ox"]}


def test_group_by_length_empty():
    assert group_by_length([]) == {}


def test_word_frequencies_basic():
    assert word_frequencies("a b a") == {"a": 2, "b": 1}


def test_word_frequencies_case_and_punctuation():
    assert word_frequencies("Hi! hi, HI.") == {"hi": 3}


def test_word_frequencies_skips_bare_punctuation():
    assert word_frequencies("well ... done !") == {"well": 1, "done": 1}
    assert word_frequencies("") == {}
