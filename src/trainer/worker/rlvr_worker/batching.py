"""Pack (prompt, completion) token lists into padded tensors.

Layout ``[pad … pad prompt | completion pad … pad]``: prompts left-padded to a common width P,
completions right-padded to a common width C. Every completion then starts at column P, so the
logits that predict completion tokens are the last C + 1 positions minus one — we can ask the
model for just those (``logits_to_keep``), and the layout matches generation's left-padded
prompts, which keeps generate-time and train-time logprobs numerically close.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import torch

from .forward import position_ids_from_mask


@dataclass(frozen=True)
class PackedBatch:
    input_ids: torch.Tensor  # [B, P + C]
    attention_mask: torch.Tensor  # [B, P + C]  1 on real tokens
    position_ids: torch.Tensor  # [B, P + C]
    completion_ids: torch.Tensor  # [B, C]  right-padded with pad_id
    completion_mask: torch.Tensor  # [B, C]  float, 1.0 on real completion tokens
    prompt_width: int  # P

    @property
    def completion_width(self) -> int:
        return self.completion_ids.shape[1]


def pack_sequences(
    prompts: Sequence[Sequence[int]],
    completions: Sequence[Sequence[int]],
    pad_id: int,
    device: torch.device,
) -> PackedBatch:
    """Example: prompts [[5, 6], [7]], completions [[8], [9, 10]], pad 0 →
    input_ids [[5, 6, 8, 0], [0, 7, 9, 10]], attention_mask [[1, 1, 1, 0], [0, 1, 1, 1]],
    completion_ids [[8, 0], [9, 10]], completion_mask [[1, 0], [1, 1]], prompt_width 2.
    """
    if len(prompts) != len(completions):
        raise ValueError(f"{len(prompts)} prompts but {len(completions)} completions")
    width_p = max((len(p) for p in prompts), default=0)
    width_c = max((len(c) for c in completions), default=0)
    rows, masks, comp_rows, comp_masks = [], [], [], []
    for prompt, completion in zip(prompts, completions):
        left = width_p - len(prompt)
        right = width_c - len(completion)
        rows.append([pad_id] * left + list(prompt) + list(completion) + [pad_id] * right)
        masks.append([0] * left + [1] * (len(prompt) + len(completion)) + [0] * right)
        comp_rows.append(list(completion) + [pad_id] * right)
        comp_masks.append([1.0] * len(completion) + [0.0] * right)
    attention_mask = torch.tensor(masks, dtype=torch.long, device=device)
    return PackedBatch(
        input_ids=torch.tensor(rows, dtype=torch.long, device=device),
        attention_mask=attention_mask,
        position_ids=position_ids_from_mask(attention_mask),
        completion_ids=torch.tensor(comp_rows, dtype=torch.long, device=device),
        completion_mask=torch.tensor(comp_masks, dtype=torch.float32, device=device),
        prompt_width=width_p,
    )


def left_pad(rows: Sequence[Sequence[int]], pad_id: int, device: torch.device) -> tuple[torch.Tensor, torch.Tensor]:
    """Left-pad token lists: → (ids ``[B, P]``, attention mask ``[B, P]``).

    Example: [[5, 6], [7]], pad 0 → ids [[5, 6], [0, 7]], mask [[1, 1], [0, 1]].
    """
    width = max((len(r) for r in rows), default=0)
    ids = [[pad_id] * (width - len(r)) + list(r) for r in rows]
    mask = [[0] * (width - len(r)) + [1] * len(r) for r in rows]
    return (
        torch.tensor(ids, dtype=torch.long, device=device),
        torch.tensor(mask, dtype=torch.long, device=device),
    )


def micro_batches(count: int, size: int) -> list[range]:
    """Index ranges of consecutive micro-batches: ``micro_batches(5, 2)`` → [0:2, 2:4, 4:5]."""
    size = max(int(size), 1)
    return [range(start, min(start + size, count)) for start in range(0, count, size)]
