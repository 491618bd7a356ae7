"""train_step: direction, which parameters move, micro-batch invariance, KL, masks, cancel."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Callable

import pytest
import torch
from tiny_llama import (  # noqa: F401  (llama_dir is a fixture)
    LORA,
    RecordingContext,
    completion_logprob_sum,
    llama_dir,
    make_engine,
    sampled_sequences,
    snapshot,
    train_params,
)

from rlvr_worker.errors import Cancelled, WorkerError

@pytest.mark.parametrize("lora", [None, LORA], ids=["full", "lora"])
@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["positive", "negative"])
def test_advantage_sign_moves_the_sampled_tokens_logprob(llama_dir: Path, lora: Any, sign: float) -> None:
    engine = make_engine(llama_dir, lora=lora)
    sequences = sampled_sequences(engine, [sign] * 6)[:1]
    before = completion_logprob_sum(engine, sequences)[0]
    engine.train_step(train_params(sequences), RecordingContext())
    after = completion_logprob_sum(engine, sequences)[0]
    assert (after - before) * sign > 1e-3, f"logprob went {before:.4f} → {after:.4f} with advantage {sign}"


def test_full_fine_tune_changes_every_parameter(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    before = snapshot(engine)
    result = engine.train_step(train_params(sampled_sequences(engine, [1, -1, 0.5, -0.5, 1, -1])), RecordingContext())
    unchanged = [k for k, v in snapshot(engine).items() if torch.equal(v, before[k])]
    assert unchanged == []
    assert result["step"] == 1 and result["grad_norm"] > 0 and result["tokens"] > 0


def test_lora_changes_only_the_adapter(llama_dir: Path) -> None:
    engine = make_engine(llama_dir, lora=LORA)
    before = snapshot(engine)
    sequences = sampled_sequences(engine, [1, -1, 0.5, -0.5, 1, -1])
    for _ in range(2):  # B starts at 0, so A only gets a gradient from the second step on
        engine.train_step(train_params(sequences), RecordingContext())
    after = snapshot(engine)
    adapter = [k for k in after if "lora_" in k]
    assert adapter, "no LoRA parameters found"
    assert [k for k in adapter if torch.equal(after[k], before[k])] == []
    assert [k for k in after if "lora_" not in k and not torch.equal(after[k], before[k])] == []


def _record_gradients(engine: Any) -> list[dict[str, torch.Tensor]]:
    """Capture the accumulated gradients at the moment the optimizer steps."""
    captured: list[dict[str, torch.Tensor]] = []
    optimizer = engine.policy.optimizer
    original: Callable[..., Any] = optimizer.step

    def step(*args: Any, **kwargs: Any) -> Any:
        captured.append(
            {k: p.grad.detach().clone() for k, p in engine.policy.model.named_parameters() if p.grad is not None}
        )
        return original(*args, **kwargs)

    optimizer.step = step
    return captured


@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_micro_batch_size_does_not_change_the_step(llama_dir: Path, loss_type: str) -> None:
    reference = make_engine(llama_dir, beta=0.04)
    sequences = sampled_sequences(reference, [1.0, -0.5, 0.7, -1.2, 0.3, -0.3])
    sequences[1]["truncated"] = True
    # old logprobs away from the current ones, so some ratios leave the clip range
    base = reference.score({"sequences": sequences, "temperature": 1.0}, RecordingContext())["logprobs"]
    for seq, lps in zip(sequences, base):
        seq["old_logprobs"] = [lp + (0.4 if i % 2 else -0.3) for i, lp in enumerate(lps)]
    results, grads = [], []
    for micro in (6, 4, 1):
        engine = make_engine(llama_dir, beta=0.04)
        engine.train_step(train_params(sequences, loss_type=loss_type, beta=0.04, micro_batch_size=6), RecordingContext())
        captured = _record_gradients(engine)  # the second step has KL > 0 (policy left the reference)
        params = train_params(sequences, loss_type=loss_type, beta=0.04, mask_truncated=True, micro_batch_size=micro)
        results.append(engine.train_step(params, RecordingContext()))
        grads.append(captured[0])
    assert results[0]["kl"] > 0 and results[0]["clip_fraction_high"] + results[0]["clip_fraction_low"] > 0
    for other, other_grads in zip(results[1:], grads[1:]):
        for key in ("loss", "policy_loss", "kl", "entropy", "clip_fraction_low", "clip_fraction_high", "grad_norm"):
            assert other[key] == pytest.approx(results[0][key], rel=1e-5, abs=1e-7), key
        for name, grad in grads[0].items():
            torch.testing.assert_close(other_grads[name], grad, rtol=1e-4, atol=1e-7)


def test_ratio_outside_the_clip_range_is_clipped(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    sequences = sampled_sequences(engine, [2.0] * 6)
    current = engine.score({"sequences": sequences, "temperature": 1.0}, RecordingContext())["logprobs"]
    for seq, lps in zip(sequences, current):
        seq["old_logprobs"] = [lp - 1.0 for lp in lps]  # ρ = e ≈ 2.72 > 1.28 everywhere
    result = engine.train_step(train_params(sequences), RecordingContext())
    assert result["clip_fraction_high"] == pytest.approx(1.0)
    assert result["clip_fraction_low"] == 0.0
    assert result["policy_loss"] == pytest.approx(-(1 + 0.28) * 2.0, rel=1e-5)  # −clip(ρ)·A, per token
    assert result["grad_norm"] == 0.0  # every token clipped → no gradient


def test_masked_truncated_sequence_does_not_count_in_dapo(llama_dir: Path) -> None:
    engine_a, engine_b = make_engine(llama_dir), make_engine(llama_dir)
    sequences = sampled_sequences(engine_a, [1.0, -1.0])[:2]
    sequences[0]["truncated"], sequences[1]["truncated"] = True, False
    grads_a, grads_b = _record_gradients(engine_a), _record_gradients(engine_b)
    full = engine_a.train_step(train_params(sequences, loss_type="dapo", mask_truncated=True), RecordingContext())
    alone = engine_b.train_step(train_params(sequences[1:], loss_type="dapo"), RecordingContext())
    assert full["loss"] == pytest.approx(alone["loss"], rel=1e-6)
    for name, grad in grads_b[0].items():
        torch.testing.assert_close(grads_a[0][name], grad, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("lora", [None, LORA], ids=["full", "lora"])
def test_kl_is_zero_at_the_reference_and_grows_after_a_step(llama_dir: Path, lora: Any) -> None:
    engine = make_engine(llama_dir, lora=lora, beta=0.1)
    sequences = sampled_sequences(engine, [1, -1, 0.5, -0.5, 1, -1])
    first = engine.train_step(train_params(sequences, beta=0.1), RecordingContext())
    second = engine.train_step(train_params(sequences, beta=0.1), RecordingContext())
    assert first["kl"] == pytest.approx(0.0, abs=1e-7)
    assert second["kl"] > 1e-6
    assert second["loss"] != pytest.approx(second["policy_loss"])  # β·KL is part of the loss


def test_beta_without_reference_on_full_fine_tune_is_a_typed_error(llama_dir: Path) -> None:
    engine = make_engine(llama_dir, beta=0.0)
    sequences = sampled_sequences(engine, [1.0] * 6)
    with pytest.raises(WorkerError) as err:
        engine.train_step(train_params(sequences, beta=0.1), RecordingContext())
    assert err.value.code == "invalid_params" and "load_policy" in err.value.message
    assert engine.policy.step == 0


def test_old_logprobs_of_the_wrong_length_are_rejected(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    sequences = sampled_sequences(engine, [1.0] * 6)
    sequences[2]["old_logprobs"] = [-1.0]
    with pytest.raises(WorkerError) as err:
        engine.train_step(train_params(sequences), RecordingContext())
    assert err.value.code == "invalid_params" and "sequence 2" in err.value.message


def test_cancel_between_micro_batches_leaves_the_policy_untouched(llama_dir: Path) -> None:
    engine = make_engine(llama_dir)
    sequences = sampled_sequences(engine, [1, -1, 0.5, -0.5, 1, -1])
    before = snapshot(engine)
    ctx = RecordingContext(cancel_after=1)
    with pytest.raises(Cancelled):
        engine.train_step(train_params(sequences, micro_batch_size=2), ctx)
    assert ctx.checks == 2  # ran micro-batch 1, cancelled before micro-batch 2
    assert engine.policy.step == 0
    assert all(torch.equal(v, before[k]) for k, v in snapshot(engine).items())
    assert all(p.grad is None for p in engine.policy.model.parameters())


def test_gradient_checkpointing_gives_the_same_step(llama_dir: Path) -> None:
    plain, checkpointed = make_engine(llama_dir), make_engine(llama_dir, gradient_checkpointing=True)
    sequences = sampled_sequences(plain, [1, -1, 0.5, -0.5, 1, -1])
    calls = {"plain": 0, "checkpointed": 0}

    def count_activation_calls(engine: Any, name: str) -> None:
        # Module hooks do not fire during checkpoint recomputation, so wrap the instance's forward.
        act = engine.policy.model.model.layers[0].mlp.act_fn
        original = act.forward

        def forward(x: torch.Tensor) -> torch.Tensor:
            calls[name] += 1
            return original(x)

        act.forward = forward

    count_activation_calls(plain, "plain")
    count_activation_calls(checkpointed, "checkpointed")
    a = plain.train_step(train_params(sequences, micro_batch_size=6), RecordingContext())
    b = checkpointed.train_step(train_params(sequences, micro_batch_size=6), RecordingContext())
    # checkpointing re-runs each layer's forward during backward
    assert (calls["plain"], calls["checkpointed"]) == (1, 2)
    assert b["loss"] == pytest.approx(a["loss"], rel=1e-6)
    assert b["grad_norm"] == pytest.approx(a["grad_norm"], rel=1e-5)


def test_learning_rate_follows_the_warmup_schedule(llama_dir: Path) -> None:
    optimizer = {
        "learning_rate": 1e-3, "weight_decay": 0.0, "betas": [0.9, 0.99], "eps": 1e-8,
        "schedule": "linear", "warmup_steps": 2, "total_steps": 10, "max_grad_norm": 1.0,
    }
    engine = make_engine(llama_dir, optimizer=optimizer)
    sequences = sampled_sequences(engine, [1.0] * 6)
    rates = [engine.train_step(train_params(sequences), RecordingContext())["learning_rate"] for _ in range(3)]
    assert rates == pytest.approx([0.0, 5e-4, 1e-3])
