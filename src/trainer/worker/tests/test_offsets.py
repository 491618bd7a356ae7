"""Token end offsets: UTF-16 units, split multi-byte characters, stop-string cuts, bad decoders."""

from __future__ import annotations

from typing import Sequence

from tiny_llama import build_tokenizer

from rlvr_worker.offsets import token_end_offsets, utf16_length

# A byte-level "tokenizer": token i is BYTES[i]; decoding joins the bytes, as byte-level BPE does.
BYTES = [b"def", b" f", b"(", b"\xc3", b"\xa9", b")", b" ", b"\xf0\x9f", b"\x98\x80", b"!"]


def byte_decode(ids: Sequence[int]) -> str:
    return b"".join(BYTES[i] for i in ids).decode("utf-8", errors="replace")


def js_slices(text: str, ends: list[int]) -> list[str]:
    """What the host gets from text.slice(end[i-1], end[i]) (UTF-16 indices)."""
    units = text.encode("utf-16-le")
    out, start = [], 0
    for end in ends:
        out.append(units[start * 2 : end * 2].decode("utf-16-le"))
        start = end
    return out


def test_split_characters_go_to_the_token_that_completes_them() -> None:
    ids = list(range(len(BYTES)))
    text = byte_decode(ids)
    assert text == "def f(é) 😀!"
    ends = token_end_offsets(byte_decode, ids, text)
    assert ends is not None
    # "é" is one UTF-16 unit, held by the token with its second byte; "😀" is two units (a
    # surrogate pair), held by the token with its last bytes.
    assert js_slices(text, ends) == ["def", " f", "(", "", "é", ")", " ", "", "😀", "!"]
    assert ends[-1] == utf16_length(text) == 12


def test_a_partial_character_at_the_end_is_kept_by_the_last_token() -> None:
    ids = [0, 3]  # "def" + first byte of "é": truncated mid-character
    text = byte_decode(ids)
    assert text == "def\ufffd"
    assert token_end_offsets(byte_decode, ids, text) == [3, 4]


def test_offsets_are_clamped_to_a_text_cut_by_a_stop_string() -> None:
    ids = [0, 1, 2, 5, 9]
    text = byte_decode(ids)[:5]  # "def f": a stop string ended the text inside token 2's span
    assert token_end_offsets(byte_decode, ids, text) == [3, 5, 5, 5, 5]


def test_a_decoder_that_rewrites_earlier_text_gives_no_offsets() -> None:
    # clean_up_tokenization_spaces-style: " !" becomes "!" only when decoded together.
    def cleaning(ids: Sequence[int]) -> str:
        return byte_decode(ids).replace(" !", "!")

    ids = [0, 6, 9]
    text = cleaning(ids)
    assert text == "def!"
    assert token_end_offsets(cleaning, ids, text) is None


def test_empty_completion() -> None:
    assert token_end_offsets(byte_decode, [], "") == []


def test_matches_prefix_decoding_with_a_real_bpe_tokenizer() -> None:
    tokenizer = build_tokenizer()

    def decode(ids: Sequence[int]) -> str:
        return tokenizer.decode(list(ids), skip_special_tokens=True)

    text = "def add(a, b):\n    return a + b  # é 😀 中文 <|end|> café\n"
    ids = tokenizer.encode(text, add_special_tokens=False)
    full = decode(ids)
    ends = token_end_offsets(decode, ids, full)
    assert ends is not None and len(ends) == len(ids)
    assert ends == sorted(ends) and ends[-1] == utf16_length(full)
    # The reference: decode every prefix (quadratic, fine for a test). Wherever a prefix decodes
    # without a dangling partial character, it must end exactly at that token's offset.
    checked = 0
    for i in range(len(ids)):
        prefix = decode(ids[: i + 1])
        if not prefix.endswith("\ufffd"):
            assert utf16_length(prefix) == ends[i], (i, prefix)
            checked += 1
    assert checked > len(ids) // 2
