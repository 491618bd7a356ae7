"""List helpers: searching, reshaping and summarising lists of integers."""


def max_of_list(xs: list[int]) -> int | None:
    """Return the largest element of xs, or None if xs is empty."""
    if not xs:
        return None
    return max(xs)


def sum_of_evens(xs: list[int]) -> int:
    """Return the sum of the even numbers in xs (0 if there are none)."""
    return sum(x for x in xs if x % 2 == 0)


def find_index(xs: list[int], target: int) -> int:
    """Return the index of the first element of xs equal to target, or -1 if there is none."""
    for i, x in enumerate(xs):
        if x == target:
            return i
    return -1


def running_total(xs: list[int]) -> list[int]:
    """Return the cumulative sums of xs, e.g. [1, 2, 3] -> [1, 3, 6]."""
    totals: list[int] = []
    total = 0
    for x in xs:
        total += x
        totals.append(total)
    return totals


def flatten(nested: list[list[int]]) -> list[int]:
    """Concatenate the inner lists of nested, in order, into one list (one level deep)."""
    return [x for inner in nested for x in inner]


def chunk(xs: list[int], size: int) -> list[list[int]]:
    """Split xs into consecutive lists of length size (size >= 1); the last one may be shorter."""
    return [xs[i : i + size] for i in range(0, len(xs), size)]


def dedupe(xs: list[int]) -> list[int]:
    """Return xs without repeated values, keeping the first occurrence of each in its original order."""
    seen: set[int] = set()
    result: list[int] = []
    for x in xs:
        if x not in seen:
            seen.add(x)
            result.append(x)
    return result


def second_largest(xs: list[int]) -> int | None:
    """Return the second-largest distinct value in xs, or None if xs has fewer than two distinct values."""
    distinct = sorted(set(xs), reverse=True)
    if len(distinct) < 2:
        return None
    return distinct[1]


def rotate_left(xs: list[int], k: int) -> list[int]:
    """Return a copy of xs rotated left by k positions (k may exceed len(xs)); an empty list gives []."""
    if not xs:
        return []
    k %= len(xs)
    return xs[k:] + xs[:k]
