"""Our loss equals TRL's ``GRPOTrainer._compute_loss`` on the same batch, for grpo, dapo, dr_grpo.

TRL's real method runs; the scaffolding only supplies what it reads from ``self`` (a trainer made
with ``object.__new__``, single process, no gradient accumulation) and replaces its model forward
(``_get_per_token_logps_and_entropies``) by the per-token logprobs we hand it — the forward is
not what is being compared, the loss computation is. Read against trl 1.16 (see
requirements-dev.txt); if a TRL release renames these attributes, this test fails loudly.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
import torch
from tiny_llama import (  # noqa: F401  (llama_dir is a fixture)
    RecordingContext,
    llama_dir,
    make_engine,
    sampled_sequences,
    train_params,
)

from rlvr_worker.losses import aggregate, clipped_surrogate, k3_kl

trl_grpo = pytest.importorskip("trl.trainer.grpo_trainer", reason="trl is a dev dependency (requirements-dev.txt)")

EPS_LOW, EPS_HIGH, MAX_LEN = 0.2, 0.28, 12


class _SingleProcess:
    """The accelerator calls TRL's loss makes, for one process: reductions are identities."""

    num_processes = 1

    def reduce(self, tensor: torch.Tensor, reduction: str = "sum") -> torch.Tensor:
        return tensor

    def gather(self, tensor: torch.Tensor) -> torch.Tensor:
        return tensor

    gather_for_metrics = gather


def trl_trainer(loss_type: str, beta: float, logp: torch.Tensor, entropies: torch.Tensor) -> Any:
    trainer = object.__new__(trl_grpo.GRPOTrainer)
    trainer.__dict__.update(
        loss_type=loss_type,
        beta=beta,
        epsilon_low=EPS_LOW,
        epsilon_high=EPS_HIGH,
        max_completion_length=MAX_LEN,
        importance_sampling_level="token",
        top_entropy_quantile=1.0,
        off_policy_mask_threshold=None,
        use_vllm=False,
        vllm_importance_sampling_correction=False,
        current_gradient_accumulation_steps=1,
        _entropy_bonus_enabled=False,
        aux_loss_enabled=False,
        _metrics={"train": defaultdict(list), "eval": defaultdict(list)},
        args=SimpleNamespace(use_bias_correction_kl=False, delta=None, steps_per_generation=1),
        accelerator=_SingleProcess(),
        model=SimpleNamespace(training=True),
        _get_per_token_logps_and_entropies=lambda *args, **kwargs: (logp, entropies, None),
    )
    return trainer


def trl_loss(
    loss_type: str, beta: float, logp: torch.Tensor, old: torch.Tensor, ref: torch.Tensor,
    advantages: torch.Tensor, mask: torch.Tensor, entropies: torch.Tensor,
) -> tuple[torch.Tensor, dict[str, list[float]]]:
    trainer = trl_trainer(loss_type, beta, logp, entropies)
    batch = mask.shape[0]
    inputs = {
        "prompt_ids": torch.ones(batch, 1, dtype=torch.long),
        "prompt_mask": torch.ones(batch, 1, dtype=torch.long),
        "completion_ids": torch.ones(mask.shape, dtype=torch.long),
        "completion_mask": mask,
        "advantages": advantages,
        "old_per_token_logps": old,
        "ref_per_token_logps": ref,
        "num_items_in_batch": mask.sum(),
    }
    return trainer._compute_loss(None, inputs), trainer._metrics["train"]


def _random_batch(seed: int) -> dict[str, torch.Tensor]:
    gen = torch.Generator().manual_seed(seed)
    logp = -torch.rand(5, 9, generator=gen) * 3
    lengths = torch.tensor([9, 4, 7, 1, 6])
    mask = (torch.arange(9).unsqueeze(0) < lengths.unsqueeze(1)).float()
    mask[2] = 0.0  # a masked truncated completion
    return {
        "logp": logp,
        "old": logp + (torch.rand(5, 9, generator=gen) - 0.5),  # ratios in [0.6, 1.6]: both clips fire
        "ref": logp + (torch.rand(5, 9, generator=gen) - 0.5) * 0.4,
        "advantages": torch.tensor([1.2, -0.8, 0.5, -1.5, 0.3]),
        "mask": mask,
        "entropies": torch.rand(5, 9, generator=gen),
    }


@pytest.mark.parametrize("beta", [0.0, 0.04])
@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_loss_and_gradient_match_trl(loss_type: str, beta: float) -> None:
    b = _random_batch(1)
    ours_logp = b["logp"].clone().requires_grad_(True)
    per_token = clipped_surrogate(ours_logp, b["old"], b["advantages"], EPS_LOW, EPS_HIGH).loss
    if beta:
        per_token = per_token + beta * k3_kl(ours_logp, b["ref"])
    ours = aggregate(loss_type, per_token, b["mask"], MAX_LEN)
    ours.backward()

    trl_logp = b["logp"].clone().requires_grad_(True)
    theirs, _ = trl_loss(loss_type, beta, trl_logp, b["old"], b["ref"], b["advantages"], b["mask"], b["entropies"])
    theirs.backward()
    assert ours.item() == pytest.approx(theirs.item(), rel=1e-6, abs=1e-8)
    torch.testing.assert_close(ours_logp.grad, trl_logp.grad, rtol=1e-5, atol=1e-8)


@pytest.mark.parametrize("loss_type", ["grpo", "dapo", "dr_grpo"])
def test_engine_train_step_matches_trl_on_the_full_batch(llama_dir: Path, loss_type: str) -> None:
    """Engine: micro-batches of 2 with gradient accumulation; TRL: the whole batch at once."""
    beta = 0.04
    reference = make_engine(llama_dir, beta=beta)
    engine = make_engine(llama_dir, beta=beta)
    sequences = sampled_sequences(engine, [1.0, -0.5, 0.7, -1.2, 0.3, -0.3], max_new_tokens=MAX_LEN)
    sequences[3]["truncated"] = True
    engine.train_step(train_params(sequences, beta=beta), RecordingContext())  # leave the reference
    old = engine.score({"sequences": sequences, "temperature": 0.9}, RecordingContext())["logprobs"]
    for seq, values in zip(sequences, old):
        seq["old_logprobs"] = [v + (0.3 if i % 3 else -0.35) for i, v in enumerate(values)]

    def padded(rows: list[list[float]]) -> torch.Tensor:
        out = torch.zeros(len(rows), max(len(r) for r in rows))
        for i, row in enumerate(rows):
            out[i, : len(row)] = torch.tensor(row)
        return out

    current = engine.score({"sequences": sequences, "temperature": 0.9}, RecordingContext())
    ref = reference.score({"sequences": sequences, "temperature": 0.9}, RecordingContext())["logprobs"]
    mask = padded([[1.0] * len(s["completion_token_ids"]) for s in sequences])
    mask[3] = 0.0  # mask_truncated
    theirs, metrics = trl_loss(
        loss_type, beta, padded(current["logprobs"]), padded([s["old_logprobs"] for s in sequences]), padded(ref),
        torch.tensor([s["advantage"] for s in sequences]), mask, padded(current["entropies"]),
    )
    params = train_params(
        sequences, loss_type=loss_type, beta=beta, temperature=0.9, mask_truncated=True,
        micro_batch_size=2, max_completion_length=MAX_LEN,
    )
    ours = engine.train_step(params, RecordingContext())
    assert ours["loss"] == pytest.approx(theirs.item(), rel=1e-5)
    assert ours["kl"] == pytest.approx(metrics["kl"][0], rel=1e-5)
    assert ours["entropy"] == pytest.approx(metrics["entropy"][0], rel=1e-5)
    assert ours["clip_fraction_low"] == pytest.approx(metrics["clip_ratio/low_mean"][0], abs=1e-6)
    assert ours["clip_fraction_high"] == pytest.approx(metrics["clip_ratio/high_mean"][0], abs=1e-6)
    assert ours["clip_fraction_low"] + ours["clip_fraction_high"] > 0, "precondition: clipping should fire"
