"""save → load → step equals stepping on; export gives plain HF weights with the same outputs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import torch
from tiny_llama import (  # noqa: F401  (llama_dir is a fixture)
    LORA,
    RecordingContext,
    generate_params,
    llama_dir,
    make_engine,
    sampled_sequences,
    snapshot,
    train_params,
)
from transformers import AutoModelForCausalLM, AutoTokenizer

from rlvr_worker.errors import WorkerError
from rlvr_worker.scoring import score_sequences

ADVANTAGES = [1.0, -0.5, 0.7, -1.2, 0.3, -0.3]


def _unseeded_tokens(engine: Any) -> list[list[int]]:
    """Generation without a seed draws its seed from torch's global RNG, which the checkpoint restores."""
    result = engine.generate(generate_params(["def add"], n=2, seed=None), RecordingContext())
    return [s["token_ids"] for s in result["groups"][0]["samples"]]


@pytest.mark.parametrize("lora", [None, LORA], ids=["full", "lora"])
def test_save_load_step_equals_stepping_on(llama_dir: Path, tmp_path: Path, lora: Any) -> None:
    optimizer = {
        "learning_rate": 1e-3, "weight_decay": 0.01, "betas": [0.9, 0.99], "eps": 1e-8,
        "schedule": "cosine", "warmup_steps": 1, "total_steps": 5, "max_grad_norm": 1.0,
    }
    running = make_engine(llama_dir, lora=lora, optimizer=optimizer)
    sequences = sampled_sequences(running, ADVANTAGES)
    for _ in range(2):
        running.train_step(train_params(sequences), RecordingContext())
    assert running.save({"dir": str(tmp_path / "ckpt")}, RecordingContext()) == {"dir": str(tmp_path / "ckpt"), "step": 2}
    expected = running.train_step(train_params(sequences), RecordingContext())
    expected_tokens = _unseeded_tokens(running)

    resumed = make_engine(llama_dir, lora=lora, optimizer=optimizer, seed=123)  # different init on purpose
    assert resumed.load({"dir": str(tmp_path / "ckpt")}, RecordingContext())["step"] == 2
    got = resumed.train_step(train_params(sequences), RecordingContext())
    assert got["step"] == expected["step"] == 3
    assert got["learning_rate"] == expected["learning_rate"]
    for key in ("loss", "policy_loss", "grad_norm", "entropy"):
        assert got[key] == expected[key], key
    ours, theirs = snapshot(resumed), snapshot(running)
    for name, tensor in theirs.items():
        assert torch.equal(ours[name], tensor), name  # bitwise on CPU
    assert _unseeded_tokens(resumed) == expected_tokens


def test_loading_a_lora_checkpoint_into_a_full_policy_is_refused(llama_dir: Path, tmp_path: Path) -> None:
    make_engine(llama_dir, lora=LORA).save({"dir": str(tmp_path)}, RecordingContext())
    with pytest.raises(WorkerError) as err:
        make_engine(llama_dir).load({"dir": str(tmp_path)}, RecordingContext())
    assert err.value.code == "invalid_params" and "lora" in err.value.message.lower()


def test_loading_a_missing_checkpoint_is_an_io_error(llama_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(WorkerError) as err:
        make_engine(llama_dir).load({"dir": str(tmp_path / "nope")}, RecordingContext())
    assert err.value.code == "io_error" and "nope" in err.value.message


@pytest.mark.parametrize("lora", [None, LORA], ids=["full", "lora"])
def test_export_loads_as_plain_hf_model_with_the_same_logprobs(llama_dir: Path, tmp_path: Path, lora: Any) -> None:
    engine = make_engine(llama_dir, lora=lora)
    sequences = sampled_sequences(engine, ADVANTAGES)
    for _ in range(2):  # two steps: LoRA's A and B are both non-zero, the merge is not trivial
        engine.train_step(train_params(sequences), RecordingContext())
    before = snapshot(engine)
    engine.export({"dir": str(tmp_path / "export")}, RecordingContext())
    assert not (tmp_path / "export" / "adapter_config.json").exists()
    assert all(torch.equal(v, before[k]) for k, v in snapshot(engine).items()), "export changed the live model"

    exported = AutoModelForCausalLM.from_pretrained(tmp_path / "export", dtype=torch.float32).eval()
    tokenizer = AutoTokenizer.from_pretrained(tmp_path / "export")
    assert tokenizer.chat_template == engine.policy.tokenizer.chat_template
    mine = engine.score({"sequences": sequences, "temperature": 1.0}, RecordingContext())["logprobs"]
    theirs = score_sequences(exported, sequences, 1.0, engine.policy.pad_token_id, torch.device("cpu"), RecordingContext())
    for a, b in zip(mine, theirs.logprobs):
        assert a == pytest.approx(b, abs=1e-5)
    trained = completion_logprobs_changed(engine, llama_dir, sequences)
    assert trained, "precondition: training should have moved the logprobs away from the base model"


def completion_logprobs_changed(engine: Any, base_dir: Path, sequences: list[dict[str, Any]]) -> bool:
    base = AutoModelForCausalLM.from_pretrained(base_dir, dtype=torch.float32).eval()
    original = score_sequences(base, sequences, 1.0, engine.policy.pad_token_id, torch.device("cpu"), RecordingContext())
    now = engine.score({"sequences": sequences, "temperature": 1.0}, RecordingContext())["logprobs"]
    return any(abs(x - y) > 1e-3 for a, b in zip(original.logprobs, now) for x, y in zip(a, b))
