"""Where each sampled token ends in the decoded completion text.

The host's aha detector places a cue (found in the text) on a token (that carries an entropy), so
it needs the token ↔ character map of the very text the worker returns. Offsets are counted in
UTF-16 code units, the unit of JavaScript string indices, so the host can slice with them.

Decoding each token alone does not work: a byte-level token can hold half of a multi-byte
character, and SentencePiece drops the leading space of the first token it decodes. So this uses
incremental detokenization (as vLLM and TGI stream text): decode a short window that starts a
few tokens back, and emit what the newest token added once the window no longer ends in a
partial character (U+FFFD). Two short decodes per token: linear in the completion length.

Example (byte-level BPE): tokens "def", " f", "(" of text "def f(" → ends [3, 5, 6].
A token holding the first byte of "é" gets an empty span; the token completing it holds "é".
"""

from __future__ import annotations

from typing import Callable, Sequence

REPLACEMENT = "\ufffd"

Decode = Callable[[Sequence[int]], str]


def utf16_length(text: str) -> int:
    """Length in UTF-16 code units: characters outside the BMP (emoji) count 2, as in JS."""
    return len(text.encode("utf-16-le")) // 2


def token_end_offsets(decode: Decode, token_ids: Sequence[int], text: str) -> list[int] | None:
    """UTF-16 end offset in ``text`` of each token (token i is ``text[end[i-1]:end[i]]`` in JS).

    ``decode`` must be the decoder that produced ``text`` (same special-token handling).
    ``text`` may be a prefix of the full decode (a stop string cut it): offsets are clamped to it.
    Returns None when the streamed pieces do not add up to ``text`` (a tokenizer whose decode
    rewrites earlier text, e.g. ``clean_up_tokenization_spaces``): no offsets beat wrong ones.
    """
    ends: list[int] = []
    pieces: list[str] = []
    emitted = 0
    prefix_offset = read_offset = 0
    prefix_text = ""
    for i in range(len(token_ids)):
        window = decode(token_ids[prefix_offset : i + 1])
        if len(window) > len(prefix_text) and not window.endswith(REPLACEMENT):
            piece = window[len(prefix_text) :]
            pieces.append(piece)
            emitted += utf16_length(piece)
            prefix_offset, read_offset = read_offset, i + 1
            prefix_text = decode(token_ids[prefix_offset:read_offset])
        ends.append(emitted)
    if read_offset < len(token_ids):  # a partial character at the very end decodes to U+FFFD
        tail = decode(token_ids[prefix_offset:])[len(prefix_text) :]
        pieces.append(tail)
        if ends:
            ends[-1] = emitted + utf16_length(tail)
    streamed = "".join(pieces)
    if not streamed.startswith(text):
        return None
    limit = utf16_length(text)
    return [min(end, limit) for end in ends]
