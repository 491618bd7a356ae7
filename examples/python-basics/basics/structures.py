"""Small data structures: a stack and a few dictionary helpers."""


class Stack:
    """A last-in, first-out stack."""

    def __init__(self) -> None:
        self._items: list[object] = []

    def push(self, item: object) -> None:
        """Put item on top of the stack."""
        self._items.append(item)

    def pop(self) -> object:
        """Remove and return the top item; raise IndexError if the stack is empty."""
        if not self._items:
            raise IndexError("pop from empty stack")
        return self._items.pop()

    def peek(self) -> object | None:
        """Return the top item without removing it, or None if the stack is empty."""
        if not self._items:
            return None
        return self._items[-1]


def merge_dicts(a: dict[str, int], b: dict[str, int]) -> dict[str, int]:
    """Return a new dict with the items of a and then b (b's value wins for a shared key); a and b are not changed."""
    merged = dict(a)
    merged.update(b)
    return merged


def invert_dict(d: dict[str, int]) -> dict[int, str]:
    """Return a dict mapping each value of d to its key; if several keys share a value, the last one wins."""
    return {value: key for key, value in d.items()}


def group_by_length(words: list[str]) -> dict[int, list[str]]:
    """Group words into a dict from length to the words of that length, keeping their original order."""
    groups: dict[int, list[str]] = {}
    for word in words:
        groups.setdefault(len(word), []).append(word)
    return groups


def word_frequencies(text: str) -> dict[str, int]:
    """Count the lower-cased whitespace-separated words of text, after stripping .,!?;: from their ends (empty words skipped)."""
    counts: dict[str, int] = {}
    for raw in text.split():
        word = raw.strip(".,!?;:").lower()
        if word:
            counts[word] = counts.get(word, 0) + 1
    return counts
