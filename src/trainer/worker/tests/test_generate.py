"""Sampling: logprobs agree with a fresh forward pass, stop strings / EOS / length, groups, cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from tiny_llama import RecordingContext, generate_params, llama_dir, make_engine  # noqa: F401  (fixture)

from rlvr_worker.errors import Cancelled, WorkerError
from rlvr_worker.offsets import utf16_length
from rlvr_worker.sampling import top_p_filter

PROMPTS = ["def add", "hello there, the answer is 42. Wait", "x"]  # different lengths → left padding


def _all_samples(result: dict[str, Any]) -> list[tuple[list[int], dict[str, Any]]]:
    return [(g["prompt_token_ids"], s) for g in result["groups"] for s in g["samples"]]


def _score(engine: Any, result: dict[str, Any], temperature: float) -> dict[str, Any]:
    sequences = [
        {"prompt_token_ids": p, "completion_token_ids": s["token_ids"]} for p, s in _all_samples(result)
    ]
    return engine.score({"sequences": sequences, "temperature": temperature}, RecordingContext())


def _first_token_at(result: dict[str, Any], sample: int, position: int) -> int:
    return _all_samples(result)[sample][1]["token_ids"][position]


def test_generate_logprobs_match_a_fresh_forward_pass(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    params = generate_params(PROMPTS, n=3, temperature=0.7, top_p=0.9, max_new_tokens=16)
    first = engine.generate(params, RecordingContext())
    # Make one early token an EOS so rows finish at different steps: this exercises pruning of
    # finished rows from the KV cache while others keep decoding.
    engine.policy.eos_token_ids = [_first_token_at(first, 0, 2)]
    result = engine.generate(params, RecordingContext())
    lengths = {len(s["token_ids"]) for _, s in _all_samples(result)}
    assert len(lengths) > 1, f"precondition: rows should finish at different steps, got lengths {lengths}"
    scored = _score(engine, result, 0.7)
    for (_, sample), logprobs, entropies in zip(_all_samples(result), scored["logprobs"], scored["entropies"]):
        assert len(sample["logprobs"]) == len(sample["token_ids"]) == len(sample["entropies"])
        assert sample["logprobs"] == pytest.approx(logprobs, abs=1e-4)
        assert sample["entropies"] == pytest.approx(entropies, abs=1e-4)
        assert all(lp <= 0 for lp in sample["logprobs"])


def test_prompt_goes_through_the_chat_template(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    result = engine.generate(generate_params(["hi"], n=1, max_new_tokens=2), RecordingContext())
    prompt_ids = result["groups"][0]["prompt_token_ids"]
    assert engine.policy.tokenizer.decode(prompt_ids) == "<|user|>hi<|end|><|assistant|>"


def test_seed_makes_generation_reproducible(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    a = engine.generate(generate_params(PROMPTS, seed=3), RecordingContext())
    b = engine.generate(generate_params(PROMPTS, seed=3), RecordingContext())
    c = engine.generate(generate_params(PROMPTS, seed=4), RecordingContext())
    tokens = lambda r: [s["token_ids"] for _, s in _all_samples(r)]  # noqa: E731
    assert tokens(a) == tokens(b)
    assert tokens(a) != tokens(c)


def _clean_single_token_text(engine: Any, token_ids: list[int], start: int) -> tuple[int, str]:
    """First position ≥ start whose token decodes alone to clean, non-empty text."""
    tok = engine.policy.tokenizer
    for k in range(start, len(token_ids)):
        text = tok.decode([token_ids[k]], skip_special_tokens=True)
        if text.strip() and "\ufffd" not in text:
            return k, text
    raise AssertionError("no clean token in the sample; change the seed")


def test_stop_string_ends_the_sample_at_its_first_occurrence(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    engine.policy.eos_token_ids = []  # only the stop string may end it early
    params = generate_params(["def add"], n=1, max_new_tokens=30, seed=11)
    free = _all_samples(engine.generate(params, RecordingContext()))[0][1]
    assert free["finish_reason"] == "length" and len(free["token_ids"]) == 30
    _, stop = _clean_single_token_text(engine, free["token_ids"], 10)
    stopped = _all_samples(engine.generate({**params, "stop": [stop]}, RecordingContext()))[0][1]
    tok = engine.policy.tokenizer
    # expected end: the first prefix of the free-running sample whose text contains the stop string
    end = next(j for j in range(1, 31) if stop in tok.decode(free["token_ids"][:j], skip_special_tokens=True))
    assert stopped["finish_reason"] == "stop"
    assert stopped["token_ids"] == free["token_ids"][:end]
    assert stopped["text"].endswith(stop)
    assert stop not in stopped["text"][: -len(stop)]


def test_token_offsets_locate_every_token_in_the_text(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    engine.policy.eos_token_ids = []
    tok = engine.policy.tokenizer
    result = engine.generate(generate_params(PROMPTS, n=2, max_new_tokens=24, seed=4), RecordingContext())
    for _, sample in _all_samples(result):
        ends = sample["token_offsets"]
        assert ends is not None and len(ends) == len(sample["token_ids"])
        assert ends == sorted(ends) and ends[-1] == utf16_length(sample["text"])
        for i in range(len(ends)):  # each clean prefix of the sample ends at its last token's offset
            prefix = tok.decode(sample["token_ids"][: i + 1], skip_special_tokens=True)
            if not prefix.endswith("\ufffd"):
                assert utf16_length(prefix) == ends[i]


def test_eos_finishes_with_stop_and_max_new_tokens_with_length(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    engine.policy.eos_token_ids = []
    params = generate_params(["def add"], n=1, max_new_tokens=20, seed=5)
    free = _all_samples(engine.generate(params, RecordingContext()))[0][1]
    assert free["finish_reason"] == "length" and len(free["token_ids"]) == 20
    eos = free["token_ids"][6]
    engine.policy.eos_token_ids = [eos]
    ended = _all_samples(engine.generate(params, RecordingContext()))[0][1]
    first = free["token_ids"].index(eos)
    assert ended["finish_reason"] == "stop"
    assert ended["token_ids"] == free["token_ids"][: first + 1]  # the EOS token is kept (it is trained on)


def test_groups_are_emitted_once_each_when_asked(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    ctx = RecordingContext()
    result = engine.generate(generate_params(PROMPTS, n=2, emit_groups=True), ctx)
    assert sorted(g["prompt_index"] for g in ctx.groups) == [0, 1, 2]
    by_index = {g["prompt_index"]: g for g in ctx.groups}
    for group in result["groups"]:
        assert by_index[group["prompt_index"]]["samples"] == group["samples"]
    quiet = RecordingContext()
    engine.generate(generate_params(PROMPTS, n=2, emit_groups=False), quiet)
    assert quiet.groups == []


def test_cancel_stops_generation_between_chunks(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    engine.policy.eos_token_ids = []  # nothing finishes early, so a chunk boundary is reached
    ctx = RecordingContext(cancel_after=0)
    with pytest.raises(Cancelled):
        engine.generate(generate_params(PROMPTS, max_new_tokens=40), ctx)
    assert ctx.checks == 1


def test_very_small_top_p_is_greedy_whatever_the_seed(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    a = engine.generate(generate_params(PROMPTS, top_p=1e-6, seed=1), RecordingContext())
    b = engine.generate(generate_params(PROMPTS, top_p=1e-6, seed=2), RecordingContext())
    assert [s["token_ids"] for _, s in _all_samples(a)] == [s["token_ids"] for _, s in _all_samples(b)]


def test_top_p_filter_keeps_the_smallest_set_reaching_p() -> None:
    probs = torch.tensor([[0.2, 0.5, 0.3]])
    assert top_p_filter(probs, 0.7).tolist()[0] == pytest.approx([0.0, 0.5, 0.3])
    assert top_p_filter(probs, 0.5).tolist()[0] == pytest.approx([0.0, 0.5, 0.0])
    assert top_p_filter(probs, 1.0).tolist() == probs.tolist()


def test_generate_without_a_model_is_a_typed_error() -> None:
    from rlvr_worker.engine import Engine

    with pytest.raises(WorkerError) as err:
        Engine().generate(generate_params(["x"]), RecordingContext())
    assert err.value.code == "no_model"
