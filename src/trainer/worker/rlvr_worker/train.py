"""One GRPO/DAPO/Dr. GRPO optimizer step over a batch of scored completions.

The batch is split into micro-batches for memory; each micro-batch's loss is divided by the
*full batch's* denominator (see losses.AGGREGATIONS), so the accumulated gradient is exactly the
gradient of the full-batch loss, whatever micro_batch_size is.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Any, Sequence

import torch

from .batching import PackedBatch, micro_batches, pack_sequences
from .errors import WorkerError
from .losses import AGGREGATIONS, clipped_surrogate, entropy_from_logits, k3_kl, token_logprobs
from .policy import Policy
from .scoring import check_sequences, completion_logits


@dataclass(frozen=True)
class TrainSettings:
    loss_type: str = "grpo"
    epsilon_low: float = 0.2
    epsilon_high: float = 0.2
    beta: float = 0.0
    mask_truncated: bool = False
    micro_batch_size: int = 4
    temperature: float = 1.0
    max_completion_length: int = 256

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "TrainSettings":
        fields = {k: params[k] for k in cls.__dataclass_fields__ if k in params}
        settings = cls(**fields)
        if settings.loss_type not in AGGREGATIONS:
            raise WorkerError(
                "invalid_params", f"unknown loss_type {settings.loss_type!r}; expected one of {sorted(AGGREGATIONS)}"
            )
        return settings


@dataclass
class StepTotals:
    """Sums over micro-batches; divided into means once the step is done."""

    loss: float = 0.0
    policy_loss: float = 0.0
    kl_sum: float = 0.0
    entropy_sum: float = 0.0
    clipped_low: float = 0.0
    clipped_high: float = 0.0
    loss_tokens: float = 0.0  # tokens that take part in the loss (mask = 1)
    completion_tokens: int = 0  # all completion tokens, masked or not

    def mean(self, total: float) -> float:
        return total / self.loss_tokens if self.loss_tokens > 0 else 0.0


def _check_old_logprobs(sequences: Sequence[dict[str, Any]]) -> None:
    for index, seq in enumerate(sequences):
        old = seq.get("old_logprobs")
        if old is not None and len(old) != len(seq["completion_token_ids"]):
            raise WorkerError(
                "invalid_params",
                f"sequence {index}: old_logprobs has {len(old)} values but completion_token_ids has "
                f"{len(seq['completion_token_ids'])} tokens; send one logprob per completion token or null",
                {"sequence_index": index},
            )


def _loss_mask(sequences: Sequence[dict[str, Any]], settings: TrainSettings) -> list[float]:
    """Per-sequence weight: 0 for truncated completions when mask_truncated (DAPO's overlong
    filtering: a cut-off answer says nothing reliable about its reward)."""
    return [0.0 if settings.mask_truncated and seq.get("truncated") else 1.0 for seq in sequences]


def _full_batch_mask(sequences: Sequence[dict[str, Any]], row_weights: list[float]) -> torch.Tensor:
    """``[N, C]`` loss mask of the whole batch (CPU): only its counts feed the denominators."""
    width = max(len(s["completion_token_ids"]) for s in sequences)
    mask = torch.zeros(len(sequences), width)
    for i, seq in enumerate(sequences):
        mask[i, : len(seq["completion_token_ids"])] = row_weights[i]
    return mask


def _old_logprobs(rows: Sequence[dict[str, Any]], current: torch.Tensor) -> torch.Tensor:
    """``[b, C]`` old logprobs; rows with null use the detached current ones (ratio exactly 1)."""
    old = current.detach().clone()
    for j, seq in enumerate(rows):
        if seq.get("old_logprobs") is not None:
            values = torch.tensor(seq["old_logprobs"], dtype=old.dtype, device=old.device)
            old[j, : values.shape[0]] = values
    return old


@torch.no_grad()
def _reference_logprobs(policy: Policy, batch: PackedBatch, temperature: float) -> torch.Tensor:
    with policy.reference() as reference:
        logits = completion_logits(reference, batch)
        return token_logprobs(logits, batch.completion_ids, temperature)  # [b, C]


def micro_batch_loss(
    policy: Policy,
    rows: Sequence[dict[str, Any]],
    row_weights: Sequence[float],
    settings: TrainSettings,
    denominator: float,
    totals: StepTotals,
) -> torch.Tensor:
    """Forward one micro-batch; return its share of the full-batch loss and add its metrics."""
    batch = pack_sequences(
        [r["prompt_token_ids"] for r in rows], [r["completion_token_ids"] for r in rows],
        policy.pad_token_id, policy.device,
    )
    weights = torch.tensor(list(row_weights), device=policy.device).unsqueeze(1)  # [b, 1]
    mask = batch.completion_mask * weights  # [b, C]
    logits = completion_logits(policy.model, batch)  # [b, C, V]
    logp = token_logprobs(logits, batch.completion_ids, settings.temperature)  # [b, C]
    advantages = torch.tensor([float(r["advantage"]) for r in rows], device=policy.device)  # [b]
    surrogate = clipped_surrogate(
        logp, _old_logprobs(rows, logp), advantages, settings.epsilon_low, settings.epsilon_high
    )
    per_token = surrogate.loss
    if settings.beta > 0:
        kl = k3_kl(logp, _reference_logprobs(policy, batch, settings.temperature))  # [b, C]
        per_token = per_token + settings.beta * kl
        totals.kl_sum += float((kl.detach() * mask).sum())
    partial = AGGREGATIONS[settings.loss_type].partial
    loss = partial(per_token, mask) / denominator
    with torch.no_grad():
        totals.loss += float(loss)
        totals.policy_loss += float(partial(surrogate.loss, mask) / denominator)
        totals.entropy_sum += float((entropy_from_logits(logits, settings.temperature) * mask).sum())
        totals.clipped_low += float((surrogate.clipped_low.float() * mask).sum())
        totals.clipped_high += float((surrogate.clipped_high.float() * mask).sum())
        totals.loss_tokens += float(mask.sum())
        totals.completion_tokens += int(batch.completion_mask.sum())
    return loss


def _optimizer_step(policy: Policy) -> tuple[float, float]:
    """Clip gradients, step optimizer and schedule; return (grad_norm before clipping, lr used)."""
    trainable = [p for p in policy.model.parameters() if p.requires_grad]
    max_norm = policy.settings.max_grad_norm
    limit = float(max_norm) if max_norm and max_norm > 0 else math.inf  # inf: measure, don't clip
    grad_norm = torch.nn.utils.clip_grad_norm_(trainable, limit)
    learning_rate = float(policy.scheduler.get_last_lr()[0])
    policy.optimizer.step()
    policy.scheduler.step()
    return float(grad_norm), learning_rate


def train_step(policy: Policy, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
    """Run one optimizer step (see the worker contract for params and result)."""
    start = time.perf_counter()
    settings = TrainSettings.from_params(params)
    sequences = list(params["sequences"])
    check_sequences(
        [s["prompt_token_ids"] for s in sequences], [s["completion_token_ids"] for s in sequences], policy.vocab_size
    )
    _check_old_logprobs(sequences)
    row_weights = _loss_mask(sequences, settings)
    aggregation = AGGREGATIONS[settings.loss_type]
    denominator = aggregation.denominator(_full_batch_mask(sequences, row_weights), settings.max_completion_length)
    totals = StepTotals()
    chunks = micro_batches(len(sequences), settings.micro_batch_size)
    policy.optimizer.zero_grad(set_to_none=True)
    policy.model.train()
    try:
        for done, rows in enumerate(chunks):
            ctx.check_cancelled()
            loss = micro_batch_loss(
                policy, [sequences[i] for i in rows], [row_weights[i] for i in rows], settings, denominator, totals
            )
            loss.backward()
            del loss  # frees the graph's activations before the next micro-batch
            ctx.progress("train", done + 1, len(chunks))
        ctx.check_cancelled()  # last chance to cancel before the weights change
        grad_norm, learning_rate = _optimizer_step(policy)
    finally:
        # On cancel/OOM the accumulated gradients must not leak into the next step.
        policy.optimizer.zero_grad(set_to_none=True)
        policy.model.eval()
    policy.step += 1
    return {
        "step": policy.step,
        "loss": totals.loss,
        "policy_loss": totals.policy_loss,
        "kl": totals.mean(totals.kl_sum),
        "clip_fraction_low": totals.mean(totals.clipped_low),
        "clip_fraction_high": totals.mean(totals.clipped_high),
        "entropy": totals.mean(totals.entropy_sum),
        "grad_norm": grad_norm,
        "tokens": totals.completion_tokens,
        "learning_rate": learning_rate,
        "time_s": time.perf_counter() - start,
    }
