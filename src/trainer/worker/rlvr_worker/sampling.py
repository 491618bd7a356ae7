"""Next-token logits → sampled token, its logprob and the distribution's entropy.

The logprob and entropy are those of the temperature-scaled distribution *before* top-p
truncation: that is the distribution train_step recomputes (it knows the temperature but has no
notion of top-p), so ratios exp(θ − old) start at 1 for on-policy samples.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

from .losses import entropy_from_logprobs


@dataclass(frozen=True)
class NextTokens:
    ids: torch.Tensor  # [B] long
    logprobs: torch.Tensor  # [B] float32, under softmax(logits / T)
    entropies: torch.Tensor  # [B] float32, of softmax(logits / T)


def top_p_filter(probs: torch.Tensor, top_p: float) -> torch.Tensor:
    """Zero the tail of each row outside the smallest set whose mass reaches ``top_p``.

    ``[B, V] → [B, V]`` (not renormalised; the sampler below does not need it).
    Example: probs [0.5, 0.3, 0.2], top_p 0.7 → [0.5, 0.3, 0.0] (0.5 < 0.7, 0.5 + 0.3 ≥ 0.7).
    The most likely token is always kept, so top_p → 0 degenerates to greedy.
    """
    if top_p >= 1.0:
        return probs
    sorted_probs, order = torch.sort(probs, dim=-1, descending=True)
    mass_before = sorted_probs.cumsum(-1) - sorted_probs  # [B, V] mass strictly above each token
    sorted_probs = sorted_probs.masked_fill(mass_before >= top_p, 0.0)
    return torch.zeros_like(probs).scatter(-1, order, sorted_probs)


def race_sample(probs: torch.Tensor, generator: torch.Generator | None) -> torch.Tensor:
    """Sample one index per row ∝ ``probs`` as argmax(p / q), q ~ Exp(1) (gpt-fast's trick).

    Equivalent in distribution to torch.multinomial, but avoids its device→host sync and needs
    no renormalisation after top-p. ``[B, V] → [B]``.
    """
    noise = torch.empty_like(probs).exponential_(1.0, generator=generator)
    return torch.argmax(probs / noise, dim=-1)


def sample_next(
    logits: torch.Tensor,
    temperature: float,
    top_p: float,
    generator: torch.Generator | None,
) -> NextTokens:
    """Pick the next token for each row of ``logits`` ``[B, V]``.

    temperature ≤ 0 means greedy decoding; its logprobs/entropies are then reported under the
    untempered distribution (T = 1), since softmax(logits / 0) has no finite logprob.
    """
    scale = temperature if temperature > 0 else 1.0
    logp = torch.log_softmax(logits.float() / scale, dim=-1)  # [B, V]
    probs = logp.exp()
    entropies = entropy_from_logprobs(logp)
    if temperature <= 0:
        ids = torch.argmax(logp, dim=-1)
    else:
        ids = race_sample(top_p_filter(probs, top_p), generator)
    return NextTokens(
        ids=ids,
        logprobs=torch.gather(logp, -1, ids.unsqueeze(-1)).squeeze(-1),
        entropies=entropies,
    )


def make_generator(device: torch.device, seed: int | None) -> torch.Generator:
    """A private RNG for one generate call. Without a seed it is seeded from torch's global RNG,
    so a restored checkpoint (which restores that RNG) replays the same samples."""
    if seed is None:
        seed = int(torch.randint(0, 2**62, (1,)).item())
    generator = torch.Generator(device=device)
    generator.manual_seed(int(seed))
    return generator
