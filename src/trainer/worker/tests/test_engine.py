"""Engine op boundaries: load_policy's result, typed errors for missing models and bad inputs."""

from __future__ import annotations

from pathlib import Path

import pytest
from tiny_llama import LORA, RecordingContext, llama_dir, load_params, make_engine  # noqa: F401

from rlvr_worker.engine import Engine
from rlvr_worker.errors import WorkerError


def test_load_policy_describes_the_model(llama_dir: Path) -> None:
    ctx = RecordingContext()
    result = Engine().load_policy(load_params(llama_dir), ctx)
    assert result["device"] == "cpu" and result["dtype"] == "float32"
    assert result["trainable_params"] == result["total_params"] > 0
    assert result["has_reference"] is False and result["chat_template"] is True
    assert result["eos_token_ids"] == [1] and result["pad_token_id"] == 0
    assert result["vocab_size"] == 320 and result["max_position_embeddings"] == 256
    assert ctx.progress_frames[-1] == ("load_policy", 1, 1)


def test_lora_trains_a_small_fraction_and_beta_keeps_a_reference(llama_dir: Path) -> None:
    result = Engine().load_policy(load_params(llama_dir, lora=LORA, beta=0.1), RecordingContext())
    assert 0 < result["trainable_params"] < result["total_params"] / 10
    assert result["has_reference"] is True


@pytest.mark.parametrize("op", ["generate", "score", "train_step", "save", "load", "export"])
def test_ops_without_a_model_raise_no_model(op: str) -> None:
    with pytest.raises(WorkerError) as err:
        getattr(Engine(), op)({}, RecordingContext())
    assert err.value.code == "no_model" and "load_policy" in err.value.message


def test_missing_model_directory_is_model_load_failed(tmp_path: Path) -> None:
    with pytest.raises(WorkerError) as err:
        Engine().load_policy(load_params(tmp_path / "absent"), RecordingContext())
    assert err.value.code == "model_load_failed" and "absent" in err.value.message


def test_score_rejects_token_ids_outside_the_vocabulary_and_empty_prompts(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    with pytest.raises(WorkerError) as err:
        engine.score(
            {"sequences": [{"prompt_token_ids": [3], "completion_token_ids": [5, 99999]}], "temperature": 1.0},
            RecordingContext(),
        )
    assert err.value.code == "invalid_params" and "99999" in err.value.message
    with pytest.raises(WorkerError) as err:
        engine.score({"sequences": [{"prompt_token_ids": [], "completion_token_ids": [5]}], "temperature": 1.0}, RecordingContext())
    assert err.value.code == "invalid_params" and "empty prompt" in err.value.message


def test_score_returns_one_value_per_completion_token(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    out = engine.score(
        {
            "sequences": [
                {"prompt_token_ids": [3, 4, 5], "completion_token_ids": [6]},
                {"prompt_token_ids": [7], "completion_token_ids": [8, 9, 10, 11]},
            ],
            "temperature": 0.8,
        },
        RecordingContext(),
    )
    assert [len(x) for x in out["logprobs"]] == [1, 4] and [len(x) for x in out["entropies"]] == [1, 4]
