from basics.lists import (
    chunk,
    dedupe,
    find_index,
    flatten,
    max_of_list,
    rotate_left,
    running_total,
    second_largest,
    sum_of_evens,
)


def test_max_of_list_positive():
    assert max_of_list([3, 9, 2]) == 9


def test_max_of_list_negatives():
    assert max_of_list([-5, -2, -9]) == -2


def test_max_of_list_empty():
    assert max_of_list([]) is None


def test_sum_of_evens_mixed():
    assert sum_of_evens([1, 2, 3, 4]) == 6


def test_sum_of_evens_negatives():
    assert sum_of_evens([-2, -3, 8]) == 6


def test_sum_of_evens_none():
    assert sum_of_evens([1, 3, 5]) == 0
    assert sum_of_evens([]) == 0


def test_find_index_present():
    assert find_index([4, 7, 9], 7) == 1


def test_find_index_first_occurrence():
    assert find_index([5, 1, 5], 5) == 0


def test_find_index_absent():
    assert find_index([1, 2, 3], 8) == -1
    assert find_index([], 1) == -1


def test_running_total_basic():
    assert running_total([1, 2, 3]) == [1, 3, 6]


def test_running_total_negatives():
    assert running_total([5, -2, -3]) == [5, 3, 0]


def test_running_total_empty():
    assert running_total([]) == []


def test_flatten_basic():
    assert flatten([[1, 2], [3], [4, 5]]) == [1, 2, 3, 4, 5]


def test_flatten_with_empty_inner():
    assert flatten([[], [7], []]) == [7]


def test_flatten_empty():
    assert flatten([]) == []


def test_chunk_even_split():
    assert chunk([1, 2, 3, 4], 2) == [[1, 2], [3, 4]]


def test_chunk_last_shorter():
    assert chunk([1, 2, 3, 4, 5], 3) == [[1, 2, 3], [4, 5]]


def test_chunk_empty_and_large_size():
    assert chunk([], 3) == []
    assert chunk([1, 2], 5) == [[1, 2]]


def test_dedupe_keeps_order():
    assert dedupe([3, 1, 3, 2, 1]) == [3, 1, 2]


def test_dedupe_no_duplicates():
    assert dedupe([4, 5, 6]) == [4, 5, 6]


def test_dedupe_empty_and_all_same():
    assert dedupe([]) == []
    assert dedupe([9, 9, 9]) == [9]


def test_second_largest_basic():
    assert second_largest([4, 1, 7, 3]) == 4


def test_second_largest_ignores_duplicates():
    assert second_largest([7, 7, 5]) == 5


def test_second_largest_not_enough_values():
    assert second_largest([2, 2]) is None
    assert second_largest([]) is None


def test_rotate_left_basic():
    assert rotate_left([1, 2, 3, 4], 1) == [2, 3, 4, 1]


def test_rotate_left_more_than_length():
    assert rotate_left([1, 2, 3], 5) == [3, 1, 2]


def test_rotate_left_empty_and_zero():
    assert rotate_left([], 3) == []
    assert rotate_left([1, 2], 0) == [1, 2]
