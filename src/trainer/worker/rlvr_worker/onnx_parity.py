"""PyTorch reference logits that an exported graph must reproduce (``parity.json``).

The export cannot check itself with the runtime that matters: the editor runs the graph in
onnxruntime-node, not Python. So the exporter records what PyTorch computes for a short,
fixed sequence — a prefill from an empty cache, then decode steps that feed the cache back —
and the host (``src/trainer/inference/parity.ts``) replays the same sequence through
onnxruntime-node and fails the export when any logit differs by more than the tolerance.

Decode steps feed the *recorded* token (PyTorch's argmax), never the runtime's own choice, so
one near-tie does not make every later step compare different sequences.
"""

from __future__ import annotations

import base64
from typing import Any, Sequence

import numpy as np
import torch
from torch import nn

from .onnx_graph import DecoderWithCache, empty_past

DECODE_STEPS = 3


def encode_floats(values: torch.Tensor) -> str:
    """float32 little-endian bytes, base64: exact, and ~3x smaller than JSON numbers for a
    150k-entry logits row."""
    array = values.detach().to(torch.float32).cpu().numpy().astype("<f4", copy=False)
    return base64.b64encode(array.tobytes()).decode("ascii")


def decode_floats(text: str) -> np.ndarray:
    return np.frombuffer(base64.b64decode(text), dtype="<f4")


@torch.no_grad()
def reference_cases(model: nn.Module, prompt_ids: Sequence[int], decode_steps: int = DECODE_STEPS) -> list[dict[str, Any]]:
    """``[{name, input_ids, past_length, logits}]`` for a prefill and ``decode_steps`` decodes
    (batch 1). ``logits`` is the next-token row ``[V]`` after the step, encoded by ``encode_floats``."""
    wrapper = DecoderWithCache(model).eval()
    ids = [int(t) for t in prompt_ids]
    past: Sequence[torch.Tensor] = empty_past(model.config)
    cases: list[dict[str, Any]] = []
    fed, length = ids, 0
    for step in range(decode_steps + 1):
        total = length + len(fed)
        out = wrapper(
            torch.tensor([fed]),  # [1, T]
            torch.ones(1, total, dtype=torch.long),  # [1, P + T]
            torch.arange(length, total).unsqueeze(0),  # [1, T]
            *past,
        )
        logits = out[0][0, -1]  # [V]
        cases.append({
            "name": "prefill" if step == 0 else f"decode {step}",
            "input_ids": list(fed),
            "past_length": length,
            "logits": encode_floats(logits),
        })
        past, length, fed = out[1:], total, [int(logits.argmax())]
    return cases
