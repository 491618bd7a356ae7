"""The GRPO math against numbers computed by hand (the same numbers as the docstrings)."""

from __future__ import annotations

import math

import pytest
import torch

from rlvr_worker.losses import (
    AGGREGATIONS,
    aggregate,
    clipped_surrogate,
    entropy_from_logits,
    group_advantages,
    k3_kl,
    token_logprobs,
)


def test_token_logprobs_at_temperature_one_and_two() -> None:
    logits = torch.tensor([[0.0, math.log(3.0)]])
    assert token_logprobs(logits, torch.tensor([1]), 1.0).item() == pytest.approx(math.log(0.75), abs=1e-6)
    # T = 2: logits halved → p1 = √3 / (1 + √3)
    expected = math.log(math.sqrt(3) / (1 + math.sqrt(3)))
    assert token_logprobs(logits, torch.tensor([1]), 2.0).item() == pytest.approx(expected, abs=1e-6)


def test_token_logprobs_are_float32_for_bf16_logits() -> None:
    logits = torch.randn(2, 3, 11).to(torch.bfloat16)
    ids = torch.randint(0, 11, (2, 3))
    out = token_logprobs(logits, ids, 1.0)
    assert out.dtype == torch.float32 and out.shape == (2, 3)


def test_entropy_uniform_and_skewed_and_masked() -> None:
    assert entropy_from_logits(torch.zeros(4)).item() == pytest.approx(math.log(4), abs=1e-6)
    skewed = -(0.25 * math.log(0.25) + 0.75 * math.log(0.75))
    assert entropy_from_logits(torch.tensor([0.0, math.log(3.0)])).item() == pytest.approx(skewed, abs=1e-6)
    # a token masked to −inf must not turn the entropy into nan
    masked = entropy_from_logits(torch.tensor([0.0, 0.0, float("-inf")]))
    assert masked.item() == pytest.approx(math.log(2), abs=1e-6)


def test_k3_kl_values() -> None:
    logp = torch.tensor([math.log(0.5), math.log(0.3)])
    ref = torch.tensor([math.log(0.25), math.log(0.3)])
    kl = k3_kl(logp, ref)
    assert kl[0].item() == pytest.approx(0.5 + math.log(2) - 1, abs=1e-6)  # 0.1931
    assert kl[1].item() == pytest.approx(0.0, abs=1e-7)
    # never negative, on either side of the reference
    d = torch.linspace(-3, 3, 61)
    assert (k3_kl(torch.zeros_like(d), d) >= 0).all()


def test_clipped_surrogate_values_and_masks() -> None:
    ratios = torch.tensor([[1.5, 0.5, 0.5, 1.1]])
    adv = torch.tensor([1.0])
    logp = torch.log(ratios)
    old = torch.zeros_like(logp)
    out = clipped_surrogate(logp, old, adv, 0.2, 0.28)
    # ρ=1.5 → min(1.5, 1.28) = 1.28; ρ=0.5 with A>0 → min(0.5, 0.8) = 0.5 (not clipped); ρ=1.1 → 1.1
    assert out.loss[0].tolist() == pytest.approx([-1.28, -0.5, -0.5, -1.1], abs=1e-6)
    assert out.clipped_high[0].tolist() == [True, False, False, False]
    assert not out.clipped_low.any()

    neg = clipped_surrogate(logp, old, torch.tensor([-1.0]), 0.2, 0.28)
    # A<0: ρ=1.5 → min(−1.5, −1.28) = −1.5 (not clipped); ρ=0.5 → min(−0.5, −0.8) = −0.8 → clipped low
    assert neg.loss[0].tolist() == pytest.approx([1.5, 0.8, 0.8, 1.1], abs=1e-6)
    assert neg.clipped_low[0].tolist() == [False, True, True, False]
    assert not neg.clipped_high.any()


def test_clipped_surrogate_gradient_is_zero_where_clipped() -> None:
    logp = torch.log(torch.tensor([[1.5, 1.1]])).requires_grad_(True)
    out = clipped_surrogate(logp, torch.zeros(1, 2), torch.tensor([1.0]), 0.2, 0.2)
    out.loss.sum().backward()
    assert logp.grad[0, 0].item() == 0.0  # clipped: no gradient
    assert logp.grad[0, 1].item() == pytest.approx(-1.1, abs=1e-6)  # d(−ρA)/dlogp = −ρA


def _example_batch() -> tuple[torch.Tensor, torch.Tensor]:
    loss = torch.tensor([[1.0, 3.0, 7.0, 7.0], [2.0, 0.0, 0.0, 6.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    return loss, mask


@pytest.mark.parametrize(
    ("loss_type", "expected"),
    [
        ("grpo", ((1 + 3) / 2 + (2 + 0 + 0 + 6) / 4) / 2),  # 2.0
        ("dapo", (1 + 3 + 2 + 0 + 0 + 6) / 6),  # 2.0
        ("dr_grpo", (1 + 3 + 2 + 0 + 0 + 6) / (2 * 5)),  # 1.2
    ],
)
def test_aggregation_by_hand(loss_type: str, expected: float) -> None:
    loss, mask = _example_batch()
    assert aggregate(loss_type, loss, mask, 5).item() == pytest.approx(expected, abs=1e-6)


def test_grpo_and_dapo_weigh_long_sequences_differently() -> None:
    loss = torch.tensor([[1.0, 3.0, 0.0, 0.0], [2.0, 0.0, 0.0, 9.0]])
    mask = torch.tensor([[1.0, 1.0, 0.0, 0.0], [1.0, 1.0, 1.0, 1.0]])
    assert aggregate("grpo", loss, mask, 5).item() == pytest.approx((2 + 2.75) / 2)
    assert aggregate("dapo", loss, mask, 5).item() == pytest.approx(15 / 6)


def test_fully_masked_sequence_counts_in_grpo_denominator() -> None:
    loss = torch.tensor([[4.0, 4.0], [100.0, 100.0]])
    mask = torch.tensor([[1.0, 1.0], [0.0, 0.0]])
    assert aggregate("grpo", loss, mask, 2).item() == pytest.approx(4.0 / 2)
    assert aggregate("dapo", loss, mask, 2).item() == pytest.approx(8.0 / 2)


@pytest.mark.parametrize("loss_type", sorted(AGGREGATIONS))
def test_partials_over_micro_batches_sum_to_the_full_batch(loss_type: str) -> None:
    torch.manual_seed(0)
    loss = torch.randn(5, 6)
    mask = (torch.rand(5, 6) > 0.3).float()
    agg = AGGREGATIONS[loss_type]
    denominator = agg.denominator(mask, 8)
    pieces = sum(agg.partial(loss[i : i + 2], mask[i : i + 2]) for i in range(0, 5, 2)) / denominator
    assert pieces.item() == pytest.approx(aggregate(loss_type, loss, mask, 8).item(), rel=1e-6)


def test_group_advantages() -> None:
    rewards = torch.tensor([1.0, 0.0, 0.0, 1.0])
    std = math.sqrt(1 / 3)  # Bessel: Σ(±0.5)² / 3
    expected = 0.5 / (std + 1e-4)
    assert group_advantages(rewards).tolist() == pytest.approx([expected, -expected, -expected, expected], abs=1e-5)
    assert group_advantages(rewards, scale_by_std=False).tolist() == pytest.approx([0.5, -0.5, -0.5, 0.5])
    assert group_advantages(torch.ones(4)).tolist() == [0.0] * 4  # zero-std group: no signal, no nan
