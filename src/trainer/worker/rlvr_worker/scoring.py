"""Per-token logprobs and entropies of given completions under a model (no sampling)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Sequence

import torch
from torch import nn

from .batching import PackedBatch, micro_batches, pack_sequences
from .errors import WorkerError
from .forward import causal_lm_logits
from .losses import entropy_from_logits, token_logprobs


def completion_logits(model: nn.Module, batch: PackedBatch) -> torch.Tensor:
    """Logits ``[B, C, V]`` whose position t predicts completion token t.

    The last C + 1 positions are P − 1 … P + C − 1; dropping the final one leaves P − 1 …
    P + C − 2, i.e. the positions just before each completion token.
    """
    width = batch.completion_width
    logits = causal_lm_logits(
        model,
        batch.input_ids,
        batch.attention_mask,
        batch.position_ids,
        logits_to_keep=width + 1,
    )  # [B, C + 1, V]
    return logits[:, :-1, :]


def check_sequences(prompts: Sequence[Sequence[int]], completions: Sequence[Sequence[int]], vocab_size: int) -> None:
    """Reject what would silently produce garbage: empty prompts (nothing predicts the first
    completion token) and token ids outside the embedding table (an index error deep in CUDA)."""
    for index, (prompt, completion) in enumerate(zip(prompts, completions)):
        if len(prompt) == 0:
            raise WorkerError(
                "invalid_params",
                f"sequence {index} has an empty prompt_token_ids; at least one prompt token is needed "
                "to predict the first completion token",
                {"sequence_index": index},
            )
        bad = [t for t in list(prompt) + list(completion) if not 0 <= int(t) < vocab_size]
        if bad:
            raise WorkerError(
                "invalid_params",
                f"sequence {index} has token ids outside the vocabulary [0, {vocab_size}): {bad[:5]}",
                {"sequence_index": index, "vocab_size": vocab_size},
            )


@dataclass(frozen=True)
class Scores:
    logprobs: list[list[float]]
    entropies: list[list[float]]


@torch.no_grad()
def score_sequences(
    model: nn.Module,
    sequences: Sequence[dict[str, Any]],
    temperature: float,
    pad_id: int,
    device: torch.device,
    ctx: Any,
    micro_batch_size: int = 8,
) -> Scores:
    """Logprobs/entropies of each ``completion_token_ids`` after its ``prompt_token_ids``."""
    prompts = [s["prompt_token_ids"] for s in sequences]
    completions = [s["completion_token_ids"] for s in sequences]
    logprobs: list[list[float]] = []
    entropies: list[list[float]] = []
    chunks = micro_batches(len(sequences), micro_batch_size)
    for done, rows in enumerate(chunks):
        ctx.check_cancelled()
        batch = pack_sequences([prompts[i] for i in rows], [completions[i] for i in rows], pad_id, device)
        logits = completion_logits(model, batch)  # [b, C, V]
        lp = token_logprobs(logits, batch.completion_ids, temperature)  # [b, C]
        ent = entropy_from_logits(logits, temperature)  # [b, C]
        for j, i in enumerate(rows):
            n = len(completions[i])
            logprobs.append(lp[j, :n].tolist())
            entropies.append(ent[j, :n].tolist())
        ctx.progress("score", done + 1, len(chunks))
    return Scores(logprobs=logprobs, entropies=entropies)
