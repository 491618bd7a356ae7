"""Tests of the tiny model builder (rlvr_worker.tiny): corpus correctness, prompt format,
tokenizer, model loading, determinism, caching, the worker op and the CLI.

Builds use toy sizes (and at most a few pretraining steps) so the whole file runs in seconds.
"""

from __future__ import annotations

import ast
import io
import json
import math
import os
import random
import re
from contextlib import redirect_stdout

import pytest
import torch
from safetensors.torch import load_file

from rlvr_worker.context import OpContext
from rlvr_worker.errors import Cancelled, WorkerError
from rlvr_worker.tiny import corpus, make_tiny_model
from rlvr_worker.tiny.build import MANIFEST, NotATinyBuildError, build_tiny_model
from rlvr_worker.tiny.chat_format import SYSTEM_PROMPT, render_chat, render_user
from rlvr_worker.tiny.config import TinyParams
from rlvr_worker.tiny.exercise import Draw, Exercise
from rlvr_worker.tiny.styles import HASTY_SHARE, HASTY_THINKS, fails_an_assert, print_instead_of_return

TOY = {
    "hidden_size": 32,
    "num_hidden_layers": 2,
    "num_attention_heads": 2,
    "intermediate_size": 64,
    "vocab_size": 600,
    "tokenizer_examples": 300,
    "max_position_embeddings": 512,
    "batch_size": 4,
    "cpu_threads": 1,  # toy matrices gain nothing from threads, and a busy machine punishes them
}
CODE_BLOCK = re.compile(r"```python\n(.*?)\n```", re.S)


def toy(**overrides: object) -> TinyParams:
    return TinyParams.from_dict({**TOY, "pretrain_steps": 0, **overrides})


@pytest.fixture(scope="module")
def toy_dir(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = str(tmp_path_factory.mktemp("tiny") / "model")
    build_tiny_model(out, toy())
    return out


@pytest.fixture(scope="module")
def tokenizer(toy_dir: str):  # type: ignore[no-untyped-def]
    from transformers import AutoTokenizer

    return AutoTokenizer.from_pretrained(toy_dir)


# --- corpus ---------------------------------------------------------------------------------


@pytest.mark.parametrize("seed", [0, 1])
def test_every_synthetic_solution_passes_its_asserts(seed: int) -> None:
    """The solution text is executed against asserts computed by an independent oracle, so a
    wrong template, a name clash between an argument and a local, or a bad oracle fails here."""
    stream = corpus.exercises(seed)
    for _ in range(1500):
        ex = next(stream)
        source = ex.solution + "\n" + "\n".join(ex.assert_lines())
        ast.parse(source)
        namespace: dict[str, object] = {}
        try:
            exec(compile(source, f"<{ex.name}>", "exec"), namespace)  # noqa: S102 - our own generated code
        except Exception as err:  # pragma: no cover - the message is the point
            pytest.fail(f"{ex.name}: {err!r}\n{source}")


def test_a_wrong_solution_fails_the_asserts() -> None:
    """Guard for the test above: the asserts really constrain behaviour."""
    failures = 0
    stream = corpus.exercises(3)
    for _ in range(200):
        ex = next(stream)
        broken = ex.signature + "\n    return None\n" + "\n".join(ex.assert_lines())
        try:
            exec(compile(broken, "<broken>", "exec"), {})  # noqa: S102
        except AssertionError:
            failures += 1
    assert failures >= 190


def test_chat_matches_the_prompt_format() -> None:
    for messages in corpus.chats(seed=5, count=200):
        system, user, assistant = messages
        assert (system["role"], user["role"], assistant["role"]) == ("system", "user", "assistant")
        assert system["content"] == SYSTEM_PROMPT
        assert user["content"].startswith("Complete the function so that its tests pass.\n```python\ndef ")
        assert re.fullmatch(r"<think>\n.+\n</think>\n```python\ndef .*\n```", assistant["content"], re.S)
        code = CODE_BLOCK.findall(assistant["content"])[-1]
        tree = ast.parse(code)
        assert isinstance(tree.body[0], ast.FunctionDef)
        stub_def = CODE_BLOCK.findall(user["content"])[0].split("\n")[0]
        assert code.split("\n")[0] == stub_def  # the completion repeats the prompt's signature


def _passes_its_asserts(ex: Exercise, code: str) -> bool:
    try:
        exec(compile(code + "\n" + "\n".join(ex.assert_lines()), "<chat>", "exec"), {})  # noqa: S102
    except Exception:  # noqa: BLE001 - any error is a failing answer
        return False
    return True


def test_hasty_answers_carry_failing_bugs_and_careful_ones_are_correct() -> None:
    """The two habits of styles.py, checked by running each chat's code against the exercise's
    asserts: careful answers always pass and end their reasoning with a check; most hasty ones fail."""
    d = Draw(random.Random(11))
    careful = hasty = hasty_failing = 0
    for _ in range(600):
        ex = d.pick(corpus.FAMILIES)(d)
        chat = corpus.to_chat(ex, d)
        think, code = re.fullmatch(r"<think>\n(.+)\n</think>\n```python\n(.*)\n```", chat[2]["content"], re.S).groups()
        ast.parse(code)  # a mutant is always valid Python
        if think in HASTY_THINKS:
            hasty += 1
            hasty_failing += not _passes_its_asserts(ex, code)
        else:
            careful += 1
            assert code == ex.solution and _passes_its_asserts(ex, code), code
            assert "\nCheck: " in think or not ex.inputs
    assert abs(hasty / (hasty + careful) - HASTY_SHARE) < 0.06
    assert hasty_failing / hasty > 0.8  # about 9 exercises in 10 have a failing mutant


def test_print_instead_of_return_rewrites_the_last_return() -> None:
    ex = next(e for e in corpus.exercises(4) if e.body.count("return ") >= 2)
    printed = print_instead_of_return(ex)
    assert printed is not None and printed.count("print(") == 1
    last = [line for line in printed.split("\n") if line.strip()][-1]
    assert last.strip().startswith("print(") and printed.count("return ") == ex.body.count("return ") - 1
    assert fails_an_assert(ex, printed) or all(ex.oracle(*args) is None for args in ex.inputs)


def test_a_mutant_that_loops_forever_counts_as_failing() -> None:
    ex = next(e for e in corpus.exercises(2) if "while" in e.body)
    endless = ex.signature + "\n    while True:\n        pass"
    assert fails_an_assert(ex, endless)
    assert not fails_an_assert(ex, ex.solution)
    assert not fails_an_assert(ex, ex.signature + "\n    return (")  # broken syntax is never used


def test_user_prompt_renders_exactly() -> None:
    stub = 'def count_vowels(s: str) -> int:\n    """Count them."""'
    assert render_user(stub, ['assert count_vowels("hello") == 2']) == (
        "Complete the function so that its tests pass.\n```python\n"
        'def count_vowels(s: str) -> int:\n    """Count them."""\n```\n'
        'Tests:\n```python\nassert count_vowels("hello") == 2\n```'
    )
    assert "Tests:" not in render_user(stub, [])


def test_corpus_is_seeded() -> None:
    assert corpus.chats(7, 30) == corpus.chats(7, 30)
    assert corpus.chats(7, 30) != corpus.chats(8, 30)


# --- tokenizer ------------------------------------------------------------------------------


def test_tokenizer_round_trips_text(tokenizer) -> None:  # type: ignore[no-untyped-def]
    texts = [
        render_chat(corpus.chats(11, 1)[0]),
        "def f(x):\n\treturn x  # tabs, ünïcödé, emoji 🙂, CRLF\r\n",
        "<think>\nwait, check again\n</think>\n```python\nprint('hi')\n```",
    ]
    for text in texts:
        ids = tokenizer(text, add_special_tokens=False)["input_ids"]
        assert tokenizer.decode(ids) == text


def test_think_markers_are_single_non_special_tokens(tokenizer) -> None:  # type: ignore[no-untyped-def]
    for marker in ("<think>", "</think>"):
        ids = tokenizer(marker, add_special_tokens=False)["input_ids"]
        assert len(ids) == 1
        assert marker not in tokenizer.all_special_tokens
    ids = tokenizer("<think>\nhm\n</think>\nok<|end|>", add_special_tokens=False)["input_ids"]
    assert tokenizer.decode(ids, skip_special_tokens=True) == "<think>\nhm\n</think>\nok"
    assert ids[-1] == tokenizer.eos_token_id


def test_special_tokens(tokenizer) -> None:  # type: ignore[no-untyped-def]
    assert tokenizer.eos_token == "<|end|>"
    assert tokenizer.pad_token == "<|pad|>"
    assert tokenizer.pad_token_id != tokenizer.eos_token_id
    for role in ("<|system|>", "<|user|>", "<|assistant|>"):
        assert len(tokenizer(role, add_special_tokens=False)["input_ids"]) == 1
        assert role in tokenizer.all_special_tokens


def test_chat_template(tokenizer, toy_dir: str) -> None:  # type: ignore[no-untyped-def]
    messages = corpus.chats(12, 1)[0][:2]
    text = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
    assert text == render_chat(messages, add_generation_prompt=True)
    assert text.startswith("<|system|>\n" + SYSTEM_PROMPT + "<|end|>\n<|user|>\nComplete the function")
    assert text.endswith("```<|end|>\n<|assistant|>\n")
    ids = tokenizer.apply_chat_template(messages, add_generation_prompt=True, tokenize=True, return_dict=True)["input_ids"]
    assert ids == tokenizer(text, add_special_tokens=False)["input_ids"]
    with open(os.path.join(toy_dir, "tokenizer_config.json"), encoding="utf-8") as f:
        config = json.load(f)
    assert config["tokenizer_class"] == "PreTrainedTokenizerFast"  # loadable by transformers 4.x too
    assert "{% for message in messages %}" in config["chat_template"]


# --- model ----------------------------------------------------------------------------------


def test_model_loads_and_generates(toy_dir: str, tokenizer) -> None:  # type: ignore[no-untyped-def]
    from transformers import AutoModelForCausalLM

    model = AutoModelForCausalLM.from_pretrained(toy_dir)
    assert model.config.model_type == "llama"
    assert model.config.hidden_size == TOY["hidden_size"]
    assert model.config.vocab_size == len(tokenizer)
    assert model.config.eos_token_id == tokenizer.eos_token_id
    prompt = tokenizer.apply_chat_template(corpus.chats(13, 1)[0][:2], add_generation_prompt=True,
                                           return_tensors="pt", return_dict=True)["input_ids"]
    out = model.generate(prompt, attention_mask=torch.ones_like(prompt), max_new_tokens=8, do_sample=False)
    assert out.shape[1] > prompt.shape[1]
    assert isinstance(tokenizer.decode(out[0, prompt.shape[1]:]), str)


def tensors(model_dir: str) -> dict[str, torch.Tensor]:
    return load_file(os.path.join(model_dir, "model.safetensors"))


def same_weights(a: str, b: str) -> bool:
    ta, tb = tensors(a), tensors(b)
    return ta.keys() == tb.keys() and all(torch.equal(ta[k], tb[k]) for k in ta)


def test_same_seed_gives_identical_build(tmp_path, toy_dir: str) -> None:  # type: ignore[no-untyped-def]
    again = str(tmp_path / "again")
    build_tiny_model(again, toy())
    assert same_weights(toy_dir, again)
    with open(os.path.join(toy_dir, "tokenizer.json"), "rb") as f1, open(os.path.join(again, "tokenizer.json"), "rb") as f2:
        assert f1.read() == f2.read()
    other = str(tmp_path / "other")
    build_tiny_model(other, toy(seed=1))
    assert not same_weights(toy_dir, other)


def test_short_pretraining_is_deterministic_and_learns(tmp_path) -> None:  # type: ignore[no-untyped-def]
    steps: list[tuple[int, int]] = []
    first = build_tiny_model(str(tmp_path / "a"), toy(pretrain_steps=4, learning_rate=0.01), lambda s, t: steps.append((s, t)))
    second = build_tiny_model(str(tmp_path / "b"), toy(pretrain_steps=4, learning_rate=0.01))
    assert steps == [(1, 4), (2, 4), (3, 4), (4, 4)]
    assert first["steps_done"] == 4 and not first["hit_time_cap"]
    assert same_weights(str(tmp_path / "a"), str(tmp_path / "b"))
    assert first["pretrain_loss"] == second["pretrain_loss"]
    assert first["pretrain_loss"] < math.log(first["vocab_size"])  # below the loss of a uniform guess


# --- caching and the worker op --------------------------------------------------------------


def test_build_is_reused_when_parameters_match(tmp_path) -> None:  # type: ignore[no-untyped-def]
    out = str(tmp_path / "m")
    first = build_tiny_model(out, toy())
    stamp = os.stat(os.path.join(out, "model.safetensors")).st_mtime_ns
    again = build_tiny_model(out, toy(cpu_threads=2))  # threads are not part of the identity
    assert (first["cached"], again["cached"]) == (False, True)
    assert again["parameters"] == first["parameters"]
    assert os.stat(os.path.join(out, "model.safetensors")).st_mtime_ns == stamp
    rebuilt = build_tiny_model(out, toy(seed=2))
    assert rebuilt["cached"] is False
    with open(os.path.join(out, MANIFEST), encoding="utf-8") as f:
        assert json.load(f)["params"]["seed"] == 2
    assert [n for n in os.listdir(tmp_path) if n != "m"] == []  # no temporary folders left


def test_refuses_to_overwrite_a_foreign_directory(tmp_path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(NotATinyBuildError, match="not empty"):
        build_tiny_model(str(tmp_path), toy())
    with pytest.raises(WorkerError) as info:
        make_tiny_model({"dir": str(tmp_path), **TOY, "pretrain_steps": 0}, None)
    assert info.value.code == "invalid_params"
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_make_tiny_model_op_reports_progress(tmp_path) -> None:  # type: ignore[no-untyped-def]
    frames: list[dict[str, object]] = []
    ctx = OpContext(request_id=3, send=frames.append)
    result = make_tiny_model({"dir": str(tmp_path / "op"), "seed": 4, "pretrain_steps": 2, **TOY}, ctx)
    assert set(result) >= {"dir", "parameters", "pretrain_loss", "time_s"}
    assert result["dir"] == str(tmp_path / "op") and result["parameters"] > 0
    assert [(f["stage"], f["done"], f["total"]) for f in frames] == [("pretrain", 1, 2), ("pretrain", 2, 2)]


def test_make_tiny_model_honours_cancel_mid_build(tmp_path) -> None:  # type: ignore[no-untyped-def]
    ctx = OpContext(request_id=1, send=lambda frame: ctx.cancel())  # the host cancels after step 1
    with pytest.raises(Cancelled):
        make_tiny_model({"dir": str(tmp_path / "c"), "pretrain_steps": 3, **TOY}, ctx)
    assert os.listdir(tmp_path) == []  # neither a half-built model nor a temporary folder


@pytest.mark.parametrize(
    ("params", "key"),
    [
        ({"pretrain_steps": 0, "colour": 1}, "colour"),
        ({"pretrain_steps": True}, "pretrain_steps"),
        ({"pretrain_steps": -1}, "pretrain_steps"),
        ({"hidden_size": 30, "num_attention_heads": 4}, "hidden_size"),
        ({"learning_rate": "fast"}, "learning_rate"),
    ],
)
def test_invalid_params_are_rejected_with_the_key(tmp_path, params: dict[str, object], key: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(WorkerError) as info:
        make_tiny_model({"dir": str(tmp_path / "x"), **params}, None)
    assert info.value.code == "invalid_params"
    assert info.value.data == {"key": key}
    assert key in info.value.message


def test_missing_dir_is_rejected() -> None:
    with pytest.raises(WorkerError) as info:
        make_tiny_model({"seed": 1}, None)
    assert info.value.code == "invalid_params" and "dir" in info.value.message


def test_cli_builds_and_prints_json(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from rlvr_worker.tiny.__main__ import main

    buffer = io.StringIO()
    with redirect_stdout(buffer):
        assert main(["--out", str(tmp_path / "cli"), "--pretrain-steps", "0", "--seed", "3", "--threads", "1"]) == 0
    result = json.loads(buffer.getvalue())
    assert result["dir"] == str(tmp_path / "cli") and result["pretrain_loss"] is None
    assert os.path.isfile(os.path.join(result["dir"], "model.safetensors"))


def test_step_plan_shrinks_to_fit_the_time_cap() -> None:
    from rlvr_worker.tiny.pretrain import fit_to_time_cap

    assert fit_to_time_cap(1400, steps=10, elapsed=10.0, cap_seconds=330) == 330  # 1 s/step
    assert fit_to_time_cap(100, steps=10, elapsed=0.1, cap_seconds=330) == 100  # fast: keep the plan
    assert fit_to_time_cap(1400, steps=10, elapsed=1000.0, cap_seconds=330) == 11  # never below done + 1


def test_time_cap_stops_a_long_run(tmp_path) -> None:  # type: ignore[no-untyped-def]
    result = build_tiny_model(str(tmp_path / "capped"), toy(pretrain_steps=100_000, max_pretrain_seconds=0.5))
    assert result["hit_time_cap"] is True
    assert result["steps_done"] < 100_000
    assert result["time_s"] < 60


def test_abandoned_temporary_folders_are_removed(tmp_path) -> None:  # type: ignore[no-untyped-def]
    import subprocess

    finished = subprocess.Popen(["true"])
    finished.wait()  # reaped: its pid names no live process now
    stale = tmp_path / f".m.building-{finished.pid}-x"
    stale.mkdir()
    build_tiny_model(str(tmp_path / "m"), toy())
    assert sorted(os.listdir(tmp_path)) == ["m"]
