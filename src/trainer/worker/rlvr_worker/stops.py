"""Text-level stop strings, checked after every generated token without re-decoding everything.

Stop strings are matched on decoded text, not on token ids, because one string ("```") can be
tokenised many ways. Checking only a short decoded tail keeps the cost per token constant: a stop
string of k UTF-8 bytes spans at most k tokens (every token carries ≥ 1 byte), and one extra
token in front absorbs tokenizers (SentencePiece) that drop the leading space of the first token
they decode.
"""

from __future__ import annotations

from typing import Sequence

from transformers import PreTrainedTokenizerBase


class StopScanner:
    """Answers "does this completion now contain a stop string?" and cuts the final text."""

    def __init__(self, tokenizer: PreTrainedTokenizerBase, stops: Sequence[str]) -> None:
        self._tokenizer = tokenizer
        self._stops = tuple(s for s in stops if s)
        longest = max((len(s.encode("utf-8")) for s in self._stops), default=0)
        self._window = longest + 2

    @property
    def active(self) -> bool:
        return bool(self._stops)

    def decode(self, token_ids: Sequence[int]) -> str:
        """The completion decoder: special tokens (EOS) dropped, text exactly as the model wrote it."""
        return self._tokenizer.decode(list(token_ids), skip_special_tokens=True)

    def hit(self, token_ids: Sequence[int]) -> bool:
        """True once a stop string appears in the tail of ``token_ids`` (call after each token)."""
        if not self._stops:
            return False
        tail = self.decode(token_ids[-self._window :])
        return any(stop in tail for stop in self._stops)

    def final_text(self, token_ids: Sequence[int], stopped_by_string: bool) -> str:
        """Decoded completion; when a stop string ended it, cut right after the first stop
        string (kept in the text so the text matches the token ids the model is trained on).

        Example: stops ["```"], tokens decoding to "x = 1\\n```\\n" → "x = 1\\n```".
        """
        text = self.decode(token_ids)
        if not stopped_by_string:
            return text
        ends = [text.find(stop) + len(stop) for stop in self._stops if stop in text]
        return text[: min(ends)] if ends else text
