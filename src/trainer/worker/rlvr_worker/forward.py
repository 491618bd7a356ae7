"""One causal-LM forward pass, the same way for generation, scoring and training.

Every batch here is left-padded (prompts) or left-padded + right-padded (prompt | completion),
so position ids are derived from the attention mask: a left-padded row must start at position
0 on its first real token, otherwise RoPE sees shifted positions and the logprobs of a padded
row differ from the same row alone.
"""

from __future__ import annotations

import functools
import inspect
from typing import Any

import torch
from torch import nn
from transformers import DynamicCache


def position_ids_from_mask(attention_mask: torch.Tensor) -> torch.Tensor:
    """``[B, T]`` 0/1 mask → ``[B, T]`` positions counting real tokens only.

    Example: mask [[0, 0, 1, 1], [1, 1, 1, 1]] → [[0, 0, 0, 1], [0, 1, 2, 3]] (pads get 0; their
    outputs are never read).
    """
    positions = attention_mask.long().cumsum(-1) - 1
    return positions.clamp(min=0)


def _base_model(model: nn.Module) -> nn.Module:
    # peft's PeftModel forwards **kwargs, so the real signature lives on the wrapped model.
    get_base = getattr(model, "get_base_model", None)
    return get_base() if callable(get_base) else model


def cache_kwarg_name(model: nn.Module) -> str:
    """transformers ≥ 5.2x names the KV cache argument ``cache``; earlier releases (and the
    deprecation shim until 5.40) use ``past_key_values``. Ask the model which one it takes."""
    return _cache_kwarg_for(type(_base_model(model)))


@functools.lru_cache(maxsize=None)
def _cache_kwarg_for(model_type: type) -> str:
    # Cached per class: this runs once per decode step otherwise.
    params = inspect.signature(model_type.forward).parameters
    return "cache" if "cache" in params else "past_key_values"


def new_cache(model: nn.Module) -> DynamicCache:
    """An empty dynamic KV cache shaped for ``model`` (config-aware for sliding-window layers)."""
    try:
        return DynamicCache(config=_base_model(model).config)
    except TypeError:  # older transformers: DynamicCache() takes no config
        return DynamicCache()


def causal_lm_logits(
    model: nn.Module,
    input_ids: torch.Tensor,
    attention_mask: torch.Tensor,
    position_ids: torch.Tensor,
    *,
    cache: DynamicCache | None = None,
    logits_to_keep: int = 0,
) -> torch.Tensor:
    """Logits ``[B, K, V]`` for the last ``logits_to_keep`` positions (all when 0).

    ``attention_mask`` covers past (cached) + current tokens ``[B, past + T]``; ``input_ids``
    and ``position_ids`` cover the current tokens ``[B, T]``. Asking only for the positions we
    need matters: the lm_head output over a 150k vocabulary dominates activation memory.
    """
    kwargs: dict[str, Any] = {
        "input_ids": input_ids,
        "attention_mask": attention_mask,
        "position_ids": position_ids,
        "use_cache": cache is not None,
    }
    if cache is not None:
        kwargs[cache_kwarg_name(model)] = cache
    if logits_to_keep:
        kwargs["logits_to_keep"] = logits_to_keep
    return model(**kwargs).logits
