"""Batched sampling with a KV cache, as a gpt-fast-style chain:
``prefill → decode_one_token → decode loop``.

Why not ``model.generate``: it reports scores *after* its logits processors (top-p sets the
tail to −inf), so the logprob under the plain temperature-scaled distribution — the one
train_step recomputes — is not what it returns, and its stop-string criteria cannot tell us which
rows stopped why. Writing the loop ourselves is ~150 lines and lets us (1) prefill each prompt
once and copy its cache n times, (2) drop finished rows from the cache so long tails stop costing
compute for the whole batch, and (3) emit a group as soon as its n samples are done.

Rows are ordered prompt-major: row r is sample r % n of prompt r // n.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any, Sequence

import torch
from torch import nn
from transformers import DynamicCache, PreTrainedTokenizerBase

from .batching import left_pad
from .forward import causal_lm_logits, new_cache, position_ids_from_mask
from .offsets import token_end_offsets
from .sampling import make_generator, sample_next
from .stops import StopScanner

CHUNK_TOKENS = 8  # decode steps between cancel checks / progress frames


@dataclass(frozen=True)
class SamplingSettings:
    n: int = 1
    temperature: float = 1.0
    top_p: float = 1.0
    max_new_tokens: int = 256
    stop: tuple[str, ...] = ()
    seed: int | None = None
    emit_groups: bool = False

    @classmethod
    def from_params(cls, params: dict[str, Any]) -> "SamplingSettings":
        return cls(
            n=int(params.get("n", 1)),
            temperature=float(params.get("temperature", 1.0)),
            top_p=float(params.get("top_p", 1.0)),
            max_new_tokens=int(params.get("max_new_tokens", 256)),
            stop=tuple(params.get("stop") or ()),
            seed=params.get("seed"),
            emit_groups=bool(params.get("emit_groups", False)),
        )


@dataclass
class RowRecord:
    """What one sample accumulates while it decodes."""

    token_ids: list[int] = field(default_factory=list)
    logprobs: list[float] = field(default_factory=list)
    entropies: list[float] = field(default_factory=list)
    finish_reason: str | None = None
    stopped_by_string: bool = False


@dataclass
class DecodeState:
    """The rows still decoding and their tensors (all indexed by *active* position)."""

    active: torch.Tensor  # [b] original row index of each active row
    attention_mask: torch.Tensor  # [b, past] 1 on real tokens
    next_position: torch.Tensor  # [b] position id of the next token
    cache: DynamicCache
    logits: torch.Tensor  # [b, V] next-token logits


def prefill(model: nn.Module, prompts: Sequence[Sequence[int]], n: int, pad_id: int, device: torch.device) -> DecodeState:
    """Run each distinct prompt once, then repeat its cache n times (prompt-major rows)."""
    ids, mask = left_pad(prompts, pad_id, device)  # [Np, P]
    positions = position_ids_from_mask(mask)
    cache = new_cache(model)
    logits = causal_lm_logits(model, ids, mask, positions, cache=cache, logits_to_keep=1)[:, -1, :]  # [Np, V]
    if n > 1:
        cache.batch_repeat_interleave(n)
    return DecodeState(
        active=torch.arange(len(prompts) * n, device=device),
        attention_mask=mask.repeat_interleave(n, dim=0),  # [B, P]
        next_position=(positions[:, -1] + 1).repeat_interleave(n, dim=0),  # [B]
        cache=cache,
        logits=logits.repeat_interleave(n, dim=0),  # [B, V]
    )


def decode_one_token(model: nn.Module, state: DecodeState, tokens: torch.Tensor) -> None:
    """Feed ``tokens`` ``[b]`` (one per active row) and refresh ``state.logits`` in place."""
    ones = torch.ones_like(state.attention_mask[:, :1])
    state.attention_mask = torch.cat([state.attention_mask, ones], dim=1)  # [b, past + 1]
    logits = causal_lm_logits(
        model,
        tokens.unsqueeze(1),  # [b, 1]
        state.attention_mask,
        state.next_position.unsqueeze(1),  # [b, 1]
        cache=state.cache,
    )
    state.logits = logits[:, -1, :]
    state.next_position = state.next_position + 1


def keep_rows(state: DecodeState, keep: torch.Tensor, tokens: torch.Tensor) -> torch.Tensor:
    """Drop finished rows from every per-row tensor and from the KV cache; return kept tokens."""
    state.cache.batch_select_indices(keep)
    state.active = state.active[keep]
    state.attention_mask = state.attention_mask[keep]
    state.next_position = state.next_position[keep]
    return tokens[keep]


class Decoder:
    """Runs the decode loop for one generate call and hands out finished groups."""

    def __init__(
        self,
        tokenizer: PreTrainedTokenizerBase,
        settings: SamplingSettings,
        eos_token_ids: Sequence[int],
        prompt_token_ids: Sequence[Sequence[int]],
        ctx: Any,
    ) -> None:
        self.settings = settings
        self.eos = set(int(t) for t in eos_token_ids)
        self.prompts = [list(p) for p in prompt_token_ids]
        self.rows = [RowRecord() for _ in range(len(self.prompts) * settings.n)]
        self.scanner = StopScanner(tokenizer, settings.stop)
        self.ctx = ctx
        self.groups: list[dict[str, Any] | None] = [None] * len(self.prompts)

    def record(self, active: list[int], ids: list[int], logprobs: list[float], entropies: list[float], last: bool) -> list[bool]:
        """Append one token to each active row; return, per active row, whether it finished."""
        finished = []
        for row_index, token, lp, ent in zip(active, ids, logprobs, entropies):
            row = self.rows[row_index]
            row.token_ids.append(token)
            row.logprobs.append(lp)
            row.entropies.append(ent)
            if token in self.eos:
                row.finish_reason = "stop"
            elif self.scanner.hit(row.token_ids):
                row.finish_reason, row.stopped_by_string = "stop", True
            elif last:
                row.finish_reason = "length"
            finished.append(row.finish_reason is not None)
            if row.finish_reason is not None:
                self.close_group_if_done(row_index // self.settings.n)
        return finished

    def _sample_dict(self, row: RowRecord) -> dict[str, Any]:
        text = self.scanner.final_text(row.token_ids, row.stopped_by_string)
        return {
            "token_ids": row.token_ids,
            "text": text,
            "logprobs": row.logprobs,
            "entropies": row.entropies,
            "token_offsets": token_end_offsets(self.scanner.decode, row.token_ids, text),
            "finish_reason": row.finish_reason,
        }

    def close_group_if_done(self, prompt_index: int) -> None:
        n = self.settings.n
        members = self.rows[prompt_index * n : (prompt_index + 1) * n]
        if self.groups[prompt_index] is not None or any(r.finish_reason is None for r in members):
            return
        samples = [self._sample_dict(r) for r in members]
        self.groups[prompt_index] = {
            "prompt_index": prompt_index,
            "prompt_token_ids": self.prompts[prompt_index],
            "samples": samples,
        }
        if self.settings.emit_groups:
            self.ctx.emit_group(prompt_index, self.prompts[prompt_index], samples)


@torch.inference_mode()
def decode_loop(model: nn.Module, decoder: Decoder, pad_id: int, device: torch.device) -> None:
    """prefill, then sample → record → prune finished → decode_one_token until all rows end."""
    settings = decoder.settings
    decoder.ctx.check_cancelled()  # a cancel that arrived while the request was queued
    generator = make_generator(device, settings.seed)
    state = prefill(model, decoder.prompts, settings.n, pad_id, device)
    total = len(decoder.rows)
    for step in range(settings.max_new_tokens):
        nxt = sample_next(state.logits, settings.temperature, settings.top_p, generator)
        # One device→host copy per step: stop strings and EOS are checked on the host.
        finished = decoder.record(
            state.active.tolist(), nxt.ids.tolist(), nxt.logprobs.tolist(), nxt.entropies.tolist(),
            last=step == settings.max_new_tokens - 1,
        )
        if all(finished):
            break
        tokens = nxt.ids
        if any(finished):
            keep = torch.tensor([i for i, f in enumerate(finished) if not f], device=device)
            tokens = keep_rows(state, keep, tokens)
        decode_one_token(model, state, tokens)
        if (step + 1) % CHUNK_TOKENS == 0:
            decoder.ctx.check_cancelled()
            done = sum(r.finish_reason is not None for r in decoder.rows)
            decoder.ctx.progress("decode", done, total, f"{step + 1} tokens")


def generate(
    model: nn.Module,
    tokenizer: PreTrainedTokenizerBase,
    prompt_token_ids: Sequence[Sequence[int]],
    settings: SamplingSettings,
    eos_token_ids: Sequence[int],
    pad_id: int,
    device: torch.device,
    ctx: Any,
) -> dict[str, Any]:
    """The generate result: groups in prompt order, wall time and generated tokens per second."""
    start = time.perf_counter()
    decoder = Decoder(tokenizer, settings, eos_token_ids, prompt_token_ids, ctx)
    if settings.max_new_tokens > 0 and decoder.rows:
        decode_loop(model, decoder, pad_id, device)
    else:  # nothing to sample: every sample is empty and "length"-finished
        for row in decoder.rows:
            row.finish_reason = "length"
        for index in range(len(decoder.prompts)):
            decoder.close_group_if_done(index)
    elapsed = time.perf_counter() - start
    tokens = sum(len(r.token_ids) for r in decoder.rows)
    return {
        "groups": decoder.groups,
        "time_s": elapsed,
        "tokens_per_second": tokens / elapsed if elapsed > 0 else 0.0,
    }
