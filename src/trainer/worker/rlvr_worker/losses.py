"""GRPO math as pure functions: no model, no optimizer, no state.

Shapes: B = sequences, T = completion tokens (right-padded), V = vocabulary.
``mask`` is 1.0 where a completion token takes part in the loss, 0.0 on padding (and on
truncated completions when the caller masks them).

The aggregation table answers one question per loss variant: how do per-token losses become one
number? Each entry is split into a *partial sum* over the sequences at hand and a *denominator*
that depends on the whole batch, so that summing ``partial(micro_batch) / denominator(batch)``
over micro-batches gives exactly ``partial(batch) / denominator(batch)`` — gradient accumulation
then reproduces the full-batch loss whatever the micro-batch size.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch


def token_logprobs(logits: torch.Tensor, ids: torch.Tensor, temperature: float) -> torch.Tensor:
    """Log-probability of each ``ids`` token under ``softmax(logits / temperature)``.

    logits ``[..., V]``, ids ``[...]`` → ``[...]`` (float32, whatever the logits' dtype, because
    bf16 log-softmax loses ~2 digits and ratios exp(θ−old) amplify that).

    Example: logits [[0, ln 3]] (probs 1/4, 3/4 at T=1), ids [1] → log(3/4) = −0.2877.
    At T=2 the logits become [0, ln 3 / 2] → probs 1/(1+√3), √3/(1+√3); id 1 → −0.4569.
    """
    scaled = logits.float() / temperature  # [..., V]
    logp = torch.log_softmax(scaled, dim=-1)
    return torch.gather(logp, -1, ids.unsqueeze(-1)).squeeze(-1)


def entropy_from_logits(logits: torch.Tensor, temperature: float = 1.0) -> torch.Tensor:
    """Entropy (nats) of ``softmax(logits / temperature)`` along the last axis: ``[..., V] → [...]``.

    Example: logits [0, 0, 0, 0] → uniform over 4 → ln 4 = 1.3863; logits [0, ln 3] → probs
    (1/4, 3/4) → −(¼ ln ¼ + ¾ ln ¾) = 0.5623.
    """
    return entropy_from_logprobs(torch.log_softmax(logits.float() / temperature, dim=-1))


def entropy_from_logprobs(logp: torch.Tensor) -> torch.Tensor:
    """Entropy of a distribution given as log-probabilities ``[..., V] → [...]``."""
    p = logp.exp()
    # The where() avoids 0·(−inf) = nan for tokens masked to −inf.
    return -(p * torch.where(p > 0, logp, torch.zeros_like(logp))).sum(-1)


def k3_kl(logp: torch.Tensor, ref_logp: torch.Tensor) -> torch.Tensor:
    """Per-token k3 estimator of KL(π_θ ‖ π_ref): ``exp(ref − θ) − (ref − θ) − 1`` (Schulman 2020).

    Always ≥ 0, zero when the two log-probs agree, and unbiased for the KL when tokens are
    sampled from π_θ. Example: θ = log 0.5, ref = log 0.25 → d = ref − θ = −ln 2 →
    exp(d) − d − 1 = 0.5 + 0.6931 − 1 = 0.1931.
    """
    delta = ref_logp - logp
    return torch.exp(delta) - delta - 1.0


@dataclass(frozen=True)
class ClippedSurrogate:
    """Per-token PPO/GRPO surrogate loss and which tokens the clip made gradient-free."""

    loss: torch.Tensor  # [B, T]  −min(ρA, clip(ρ)A)
    ratio: torch.Tensor  # [B, T]  ρ = exp(θ − old)
    clipped_low: torch.Tensor  # [B, T] bool  ρ < 1 − ε_low and A < 0
    clipped_high: torch.Tensor  # [B, T] bool  ρ > 1 + ε_high and A > 0


def clipped_surrogate(
    logp: torch.Tensor,
    old_logp: torch.Tensor,
    advantages: torch.Tensor,
    eps_low: float,
    eps_high: float,
) -> ClippedSurrogate:
    """``−min(ρ·A, clip(ρ, 1 − ε_low, 1 + ε_high)·A)`` per token, ρ = exp(logp − old_logp).

    logp, old_logp ``[B, T]``; advantages ``[B]`` (one per sequence, broadcast over tokens).
    The clip masks follow TRL's definition: a token counts as clipped only where the clip
    actually removes its gradient (low side needs A < 0, high side A > 0).

    Example (ε_low = 0.2, ε_high = 0.28):
      ρ = 1.5, A = +1 → min(1.5, 1.28) = 1.28 → loss −1.28, clipped_high;
      ρ = 0.5, A = −1 → min(−0.5, −0.8) = −0.8 → loss +0.8, clipped_low;
      ρ = 0.5, A = +1 → min(0.5, 0.8) = 0.5 → loss −0.5, not clipped (gradient flows).
    """
    ratio = torch.exp(logp - old_logp)  # [B, T]
    adv = advantages.unsqueeze(-1).to(ratio.dtype)  # [B, 1]
    clipped_ratio = torch.clamp(ratio, 1.0 - eps_low, 1.0 + eps_high)
    loss = -torch.minimum(ratio * adv, clipped_ratio * adv)
    return ClippedSurrogate(
        loss=loss,
        ratio=ratio,
        clipped_low=(ratio < 1.0 - eps_low) & (adv < 0),
        clipped_high=(ratio > 1.0 + eps_high) & (adv > 0),
    )


# --- aggregation: per-token losses → one number -------------------------------------------------

PartialFn = Callable[[torch.Tensor, torch.Tensor], torch.Tensor]
DenominatorFn = Callable[[torch.Tensor, int], float]


@dataclass(frozen=True)
class Aggregation:
    """``loss = partial(per_token_loss, mask) / denominator(all_masks, max_completion_length)``.

    ``partial`` is additive over sequences (so it can run per micro-batch); ``denominator`` sees
    the masks of the *whole* batch ``[N, T]`` — only their token counts matter.
    """

    partial: PartialFn
    denominator: DenominatorFn
    description: str


def _sum_of_sequence_means(per_token_loss: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    # A fully masked sequence (e.g. a masked truncated completion) contributes 0 but still
    # counts in the number of sequences — TRL does the same (clamp(min=1) on the token count).
    per_seq = (per_token_loss * mask).sum(-1) / mask.sum(-1).clamp(min=1.0)  # [B]
    return per_seq.sum()


def _masked_token_sum(per_token_loss: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
    return (per_token_loss * mask).sum()


def _num_sequences(masks: torch.Tensor, _max_len: int) -> float:
    return float(max(masks.shape[0], 1))


def _num_tokens(masks: torch.Tensor, _max_len: int) -> float:
    return max(float(masks.sum().item()), 1.0)


def _num_sequences_times_max_len(masks: torch.Tensor, max_len: int) -> float:
    return float(max(masks.shape[0], 1) * max(max_len, 1))


AGGREGATIONS: dict[str, Aggregation] = {
    # Example for all three: two sequences, per-token losses [1, 3] and [2, 0, 0, 6]
    # (all unmasked), max_completion_length 5.
    #   grpo:    ((1+3)/2 + (2+0+0+6)/4) / 2 = (2 + 2) / 2 = 2.0
    #   dapo:    (1+3+2+0+0+6) / 6 = 12 / 6 = 2.0 … with [1, 3] and [2, 0, 0, 9]: 15/6 = 2.5,
    #            while grpo gives (2 + 2.75)/2 = 2.375 — long sequences weigh more in dapo.
    #   dr_grpo: 12 / (2 · 5) = 1.2
    "grpo": Aggregation(
        _sum_of_sequence_means, _num_sequences, "mean over each sequence's tokens, then over sequences"
    ),
    "dapo": Aggregation(_masked_token_sum, _num_tokens, "sum over all tokens / number of tokens"),
    "dr_grpo": Aggregation(
        _masked_token_sum,
        _num_sequences_times_max_len,
        "sum over all tokens / (number of sequences × max_completion_length)",
    ),
}


def aggregate(loss_type: str, per_token_loss: torch.Tensor, mask: torch.Tensor, max_completion_length: int) -> torch.Tensor:
    """Full-batch aggregation (one micro-batch = the whole batch). ``[B, T], [B, T] → []``.

    Example: ``aggregate("dr_grpo", [[1, 3, 0, 0], [2, 0, 0, 6]], mask [[1,1,0,0],[1,1,1,1]], 5)``
    = 12 / 10 = 1.2.
    """
    agg = AGGREGATIONS[loss_type]
    return agg.partial(per_token_loss, mask) / agg.denominator(mask, max_completion_length)


def group_advantages(rewards: torch.Tensor, scale_by_std: bool = True, eps: float = 1e-4) -> torch.Tensor:
    """GRPO advantages for one group of rewards ``[G] → [G]``: ``(r − mean) / (std + eps)``.

    ``std`` is the Bessel-corrected standard deviation (TRL's choice); Dr. GRPO drops the
    division (``scale_by_std=False``). The host normally computes advantages; this helper keeps
    the formula testable beside the loss it feeds.

    Example: rewards [1, 0, 0, 1] → mean 0.5, std 0.5774 → [0.8659, −0.8659, −0.8659, 0.8659];
    without std scaling → [0.5, −0.5, −0.5, 0.5].
    """
    centred = rewards - rewards.mean()
    if not scale_by_std:
        return centred
    return centred / (rewards.std(unbiased=True) + eps)
