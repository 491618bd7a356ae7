"""A causal LM as one ONNX decoder graph with an explicit KV cache (docs/onnx.md).

One graph serves both prefill (``past_sequence`` = 0, many input tokens) and decode (one input
token, the previous step's ``present.*`` fed back as ``past_key_values.*``): the caller decides
which by the shapes it feeds, so the editor needs one session and one code path.

Inputs (batch ``B``, new tokens ``T``, cached tokens ``P``; ``Hkv`` KV heads of size ``D``)::

    input_ids                [B, T]        int64
    attention_mask           [B, P + T]    int64, 1 on real tokens (covers cache + new tokens)
    position_ids             [B, T]        int64, RoPE positions of the new tokens
    past_key_values.{i}.key  [B, Hkv, P, D] float32, one key and one value per layer i
    past_key_values.{i}.value

Outputs::

    logits                   [B, 1, V]     float32, next-token logits (last position only)
    present.{i}.key          [B, Hkv, P + T, D]
    present.{i}.value

Only the last position's logits leave the graph: generation needs nothing else, and the full
``[B, T, V]`` tensor of a long prompt over a 150k vocabulary would be hundreds of MB.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import torch
from torch import nn
from transformers import DynamicCache

from .forward import cache_kwarg_name

# The sample shapes the exporter traces with. Each must be ≥ 2: torch.export specialises a
# dimension seen as 0 or 1 into a constant. At run time onnxruntime accepts P = 0 and T = 1.
_TRACE_BATCH, _TRACE_TOKENS, _TRACE_PAST = 2, 5, 3


def input_names(num_layers: int) -> list[str]:
    names = ["input_ids", "attention_mask", "position_ids"]
    for i in range(num_layers):
        names += [f"past_key_values.{i}.key", f"past_key_values.{i}.value"]
    return names


def output_names(num_layers: int) -> list[str]:
    names = ["logits"]
    for i in range(num_layers):
        names += [f"present.{i}.key", f"present.{i}.value"]
    return names


def kv_shape(config: Any) -> tuple[int, int]:
    """(KV heads, head dim) of one layer's cache, as the attention modules lay it out."""
    heads = int(getattr(config, "num_key_value_heads", None) or config.num_attention_heads)
    head_dim = int(getattr(config, "head_dim", None) or config.hidden_size // config.num_attention_heads)
    return heads, head_dim


def _layer_kv(cache: DynamicCache, index: int) -> tuple[torch.Tensor, torch.Tensor]:
    layers = getattr(cache, "layers", None)
    if layers is not None:  # transformers ≥ 4.56: one object per layer
        return layers[index].keys, layers[index].values
    return cache.key_cache[index], cache.value_cache[index]  # older releases


class DecoderWithCache(nn.Module):
    """Wraps a HF causal LM so its cache travels as flat tensors (what ONNX can express)."""

    def __init__(self, model: nn.Module) -> None:
        super().__init__()
        self.model = model
        self.num_layers = int(model.config.num_hidden_layers)
        self._cache_kwarg = cache_kwarg_name(model)

    def forward(
        self,
        input_ids: torch.Tensor,  # [B, T]
        attention_mask: torch.Tensor,  # [B, P + T]
        position_ids: torch.Tensor,  # [B, T]
        *past: torch.Tensor,  # 2 * layers tensors [B, Hkv, P, D]
    ) -> tuple[torch.Tensor, ...]:
        pairs = [(past[2 * i], past[2 * i + 1]) for i in range(self.num_layers)]
        cache = DynamicCache(ddp_cache_data=pairs, config=self.model.config)
        out = self.model(
            input_ids=input_ids,
            attention_mask=attention_mask,
            position_ids=position_ids,
            use_cache=True,
            logits_to_keep=1,
            **{self._cache_kwarg: cache},
        )
        # The cache was updated in place: each layer now holds past + new keys and values.
        present = [t for i in range(self.num_layers) for t in _layer_kv(cache, i)]
        return (out.logits, *present)  # logits [B, 1, V]


def empty_past(config: Any, batch: int = 1, past: int = 0, dtype: torch.dtype = torch.float32) -> list[torch.Tensor]:
    heads, head_dim = kv_shape(config)
    return [torch.zeros(batch, heads, past, head_dim, dtype=dtype) for _ in range(2 * int(config.num_hidden_layers))]


def _trace_inputs(config: Any) -> tuple[torch.Tensor, ...]:
    b, t, p = _TRACE_BATCH, _TRACE_TOKENS, _TRACE_PAST
    vocab = int(config.vocab_size)
    ids = torch.randint(0, vocab, (b, t), generator=torch.Generator().manual_seed(0))
    mask = torch.ones(b, p + t, dtype=torch.long)
    positions = torch.arange(p, p + t).expand(b, t).contiguous()
    past = [torch.zeros_like(x).normal_(generator=torch.Generator().manual_seed(i))
            for i, x in enumerate(empty_past(config, b, p))]
    return (ids, mask, positions, *past)


def _dynamic_shapes(num_layers: int) -> dict[str, Any]:
    batch = torch.export.Dim("batch")
    tokens = torch.export.Dim("sequence")
    past = torch.export.Dim("past_sequence")
    total = torch.export.Dim("total_sequence")
    return {
        "input_ids": {0: batch, 1: tokens},
        "attention_mask": {0: batch, 1: total},
        "position_ids": {0: batch, 1: tokens},
        "past": tuple({0: batch, 2: past} for _ in range(2 * num_layers)),
    }


def export_graph(model: nn.Module, path: Path, opset: int) -> None:
    """Write ``path`` (graph) and ``path + '.data'`` (weights) for a float32 CPU ``model``.

    torch.onnx's dynamo exporter (torch.export + onnxscript) is used because the TorchScript
    exporter is deprecated and cannot trace transformers' cache objects.
    """
    wrapper = DecoderWithCache(model).eval()
    layers = wrapper.num_layers
    with torch.no_grad():
        torch.onnx.export(
            wrapper,
            _trace_inputs(model.config),
            str(path),
            input_names=input_names(layers),
            output_names=output_names(layers),
            dynamic_shapes=_dynamic_shapes(layers),
            opset_version=opset,
            dynamo=True,
            external_data=True,
            verbose=False,
        )
