"""Short causal-LM pretraining of the tiny model on the synthetic chat corpus (CPU, seeded).

The loss covers the assistant turn only (reasoning, code block and the closing ``<|end|>``). The
model is only ever asked to *continue* a rendered prompt, and with a budget of a few hundred
steps on two cores, spending capacity on predicting the constant system prompt, the docstrings or
the expected values in the asserts buys nothing for that; the prompt still conditions every
completion token through attention.
"""

from __future__ import annotations

import math
import random
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import torch
import torch.nn.functional as F
from transformers import PreTrainedModel, PreTrainedTokenizerBase

from .chat_format import END, render_chat
from .config import TinyParams

IGNORE = -100  # label value that the HF causal-LM loss skips
Messages = list[dict[str, str]]
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class PretrainReport:
    steps_done: int
    train_loss: float  # mean completion loss over the last steps
    eval_loss: float  # completion loss on held-out chats after training
    seconds: float
    hit_time_cap: bool


def encode_chat(tokenizer: PreTrainedTokenizerBase, messages: Messages, max_length: int) -> tuple[list[int], list[int]]:
    """Token ids and labels. The prompt is encoded exactly as at inference (chat template with the
    generation prompt); the completion separately, so the boundary matches what the worker sees."""
    prompt = render_chat(messages[:-1], add_generation_prompt=True)
    completion = messages[-1]["content"] + END
    prompt_ids = tokenizer(prompt, add_special_tokens=False)["input_ids"]
    completion_ids = tokenizer(completion, add_special_tokens=False)["input_ids"]
    ids = (prompt_ids + completion_ids)[:max_length]
    labels = ([IGNORE] * len(prompt_ids) + completion_ids)[:max_length]
    return ids, labels


def collate(examples: list[tuple[list[int], list[int]]], pad_id: int) -> dict[str, torch.Tensor]:
    """Right-pad a batch; padded positions get label IGNORE. No attention mask is needed: with
    right padding and causal attention no real token ever attends to a pad."""
    width = max(len(ids) for ids, _ in examples)
    input_ids = torch.full((len(examples), width), pad_id, dtype=torch.long)  # [B, T]
    labels = torch.full((len(examples), width), IGNORE, dtype=torch.long)  # [B, T]
    for row, (ids, labs) in enumerate(examples):
        input_ids[row, : len(ids)] = torch.tensor(ids)
        labels[row, : len(labs)] = torch.tensor(labs)
    return {"input_ids": input_ids, "labels": labels}


TIMING_STEPS = 10  # how often the step plan is checked against the time cap


def fit_to_time_cap(total: int, steps: int, elapsed: float, cap_seconds: float) -> int:
    """Shrink the planned step count so the run ends inside the cap. Shrinking the plan (rather
    than stopping mid-way) lets the learning-rate schedule finish its decay."""
    per_step = elapsed / max(1, steps)
    return max(steps + 1, min(total, int(cap_seconds / per_step))) if per_step > 0 else total


def lr_at(step: int, total: int, peak: float) -> float:
    """Linear warmup over 5% of the steps, then cosine decay to 10% of the peak."""
    warmup = max(1, total // 20)
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * progress)))


def batches(tokenizer: PreTrainedTokenizerBase, chats: Iterator[Messages], batch_size: int, max_length: int,
            seed: int, pool_batches: int = 8) -> Iterator[dict[str, torch.Tensor]]:
    """Batches of similar length (less padding, ~15% less compute on CPU): encode
    ``pool_batches`` batches' worth of chats, sort them by length, cut, and shuffle the cuts."""
    order = random.Random(seed)
    while True:
        pool = [encode_chat(tokenizer, next(chats), max_length) for _ in range(batch_size * pool_batches)]
        pool.sort(key=lambda example: len(example[0]))
        cuts = [pool[i : i + batch_size] for i in range(0, len(pool), batch_size)]
        order.shuffle(cuts)
        for cut in cuts:
            yield collate(cut, tokenizer.pad_token_id)


def completion_loss_of(model: PreTrainedModel, batch: dict[str, torch.Tensor]) -> tuple[torch.Tensor, int]:
    """Mean next-token loss over labelled positions, and their count. The LM head runs only
    where there is a label: prompt positions need hidden states, not vocabulary logits."""
    hidden = model.model(input_ids=batch["input_ids"], use_cache=False).last_hidden_state  # [B, T, H]
    targets = batch["labels"][:, 1:]  # [B, T-1]
    keep = targets != IGNORE  # [B, T-1]
    logits = model.lm_head(hidden[:, :-1][keep])  # [N, V]
    return F.cross_entropy(logits.float(), targets[keep]), int(keep.sum())


@torch.no_grad()
def completion_loss(model: PreTrainedModel, tokenizer: PreTrainedTokenizerBase, chats: list[Messages], max_length: int,
                    device: str = "cpu") -> float:
    """Mean per-token loss over the assistant turns of ``chats`` (token-weighted)."""
    model.eval()
    total, count = 0.0, 0
    for start in range(0, len(chats), 16):
        batch = collate([encode_chat(tokenizer, m, max_length) for m in chats[start : start + 16]], tokenizer.pad_token_id)
        loss, n_tokens = completion_loss_of(model, {k: v.to(device) for k, v in batch.items()})
        total += float(loss) * n_tokens
        count += n_tokens
    return total / max(1, count)


def pretrain(
    model: PreTrainedModel,
    tokenizer: PreTrainedTokenizerBase,
    train_chats: Iterator[Messages],
    eval_chats: list[Messages],
    params: TinyParams,
    on_step: Progress | None = None,
    device: str = "cpu",
) -> PretrainReport:
    """Train ``model`` (already on ``device``) in place for ``params.pretrain_steps`` steps, fewer
    if they would not fit ``max_pretrain_seconds``. Builds use the CPU (fixed threads) so a seed
    gives the same weights on a given machine."""
    total = params.pretrain_steps
    optimizer = torch.optim.AdamW(model.parameters(), lr=params.learning_rate, betas=(0.9, 0.95), weight_decay=0.01)
    data = batches(tokenizer, train_chats, params.batch_size, params.max_position_embeddings, params.seed)
    recent: list[float] = []
    started = time.monotonic()
    model.train()
    step = 0
    while step < total and time.monotonic() - started < params.max_pretrain_seconds:
        if step and step % TIMING_STEPS == 0:  # re-planned as the measured speed settles
            total = fit_to_time_cap(params.pretrain_steps, step, time.monotonic() - started, params.max_pretrain_seconds)
        for group in optimizer.param_groups:
            group["lr"] = lr_at(step, total, params.learning_rate)
        batch = {k: v.to(device) for k, v in next(data).items()}
        loss, _ = completion_loss_of(model, batch)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        recent = (recent + [loss.item()])[-20:]
        step += 1
        if on_step is not None:
            on_step(step, total)
    steps_done = step
    seconds = time.monotonic() - started
    eval_loss = completion_loss(model, tokenizer, eval_chats, params.max_position_embeddings, device)
    model.eval()
    return PretrainReport(
        steps_done=steps_done,
        train_loss=sum(recent) / len(recent) if recent else float("nan"),
        eval_loss=eval_loss,
        seconds=seconds,
        hit_time_cap=steps_done < params.pretrain_steps,
    )
