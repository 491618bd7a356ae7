"""Typed, validated build parameters of the tiny model and the LlamaConfig they describe."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, fields
from typing import Any, Mapping

from transformers import LlamaConfig


class TinyParamsError(ValueError):
    """A build parameter is unknown, has the wrong type or is out of range."""

    def __init__(self, key: str, message: str) -> None:
        super().__init__(f"make_tiny_model: parameter {key!r} {message}")
        self.key = key


# Chosen so a full build fits ~5 minutes on 2 unloaded CPU cores (~0.21 s per step measured);
# see README.md for the sweep behind these defaults.
DEFAULT_PRETRAIN_STEPS = 1400


@dataclass(frozen=True)
class TinyParams:
    """Everything that determines a tiny build (``cpu_threads`` only changes how fast it runs)."""

    seed: int = 0
    pretrain_steps: int = DEFAULT_PRETRAIN_STEPS  # 0 = random init (unit tests)
    vocab_size: int = 3000
    hidden_size: int = 128  # narrow and shallow: at a fixed CPU budget it beat 192/256 wide models
    num_hidden_layers: int = 4
    num_attention_heads: int = 2
    intermediate_size: int = 352
    max_position_embeddings: int = 1024
    batch_size: int = 16
    learning_rate: float = 5e-3
    tokenizer_examples: int = 4000  # corpus chats the BPE tokenizer is trained on
    # Keeps a full build within ~6 minutes: on slower machines the step count shrinks to fit
    # (results then depend on the machine's speed; the manifest records steps_done, hit_time_cap).
    max_pretrain_seconds: float = 330.0
    cpu_threads: int | None = None  # None = every core this process may use

    def __post_init__(self) -> None:
        _check_range(self, "pretrain_steps", 0, 1_000_000)
        _check_range(self, "vocab_size", 400, 65_536)
        _check_range(self, "hidden_size", 16, 4096)
        _check_range(self, "num_hidden_layers", 1, 64)
        _check_range(self, "num_attention_heads", 1, 64)
        _check_range(self, "intermediate_size", 16, 16_384)
        _check_range(self, "max_position_embeddings", 128, 32_768)
        _check_range(self, "batch_size", 1, 1024)
        _check_range(self, "tokenizer_examples", 50, 1_000_000)
        if not 0.0 < self.learning_rate < 1.0:
            raise TinyParamsError("learning_rate", f"must be in (0, 1), got {self.learning_rate!r}")
        if self.max_pretrain_seconds <= 0:
            raise TinyParamsError("max_pretrain_seconds", f"must be positive, got {self.max_pretrain_seconds!r}")
        if self.cpu_threads is not None and self.cpu_threads < 1:
            raise TinyParamsError("cpu_threads", f"must be >= 1 or null, got {self.cpu_threads!r}")
        head_dim, rest = divmod(self.hidden_size, self.num_attention_heads)
        if rest or head_dim % 2:
            raise TinyParamsError(
                "hidden_size",
                f"must be divisible by num_attention_heads ({self.num_attention_heads}) into an even head size, "
                f"got {self.hidden_size}",
            )

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> "TinyParams":
        """Build from JSON-like params, rejecting unknown keys and wrong types (bools are not ints)."""
        known = {f.name: f for f in fields(cls)}
        values: dict[str, Any] = {}
        for key, value in raw.items():
            if key not in known:
                raise TinyParamsError(key, f"is unknown; known parameters: {', '.join(sorted(known))}")
            values[key] = _coerce(key, value, known[key].type)
        return cls(**values)

    def identity(self) -> dict[str, Any]:
        """The parameters that decide what gets built (the cache key)."""
        values = dataclasses.asdict(self)
        values.pop("cpu_threads")
        return values


def _coerce(key: str, value: Any, annotation: Any) -> Any:
    text = str(annotation)
    if value is None and "None" in text:
        return None
    if isinstance(value, bool):
        raise TinyParamsError(key, f"must be a number, got {value!r}")
    if text.startswith("int") and isinstance(value, int):
        return value
    if text.startswith("float") and isinstance(value, (int, float)):
        return float(value)
    raise TinyParamsError(key, f"must be {text.replace(' | None', ' or null')}, got {value!r}")


def _check_range(params: TinyParams, key: str, lo: int, hi: int) -> None:
    value = getattr(params, key)
    if not isinstance(value, int) or isinstance(value, bool) or not lo <= value <= hi:
        raise TinyParamsError(key, f"must be an integer in [{lo}, {hi}], got {value!r}")


def llama_config(params: TinyParams, vocab_size: int, eos_token_id: int, pad_token_id: int) -> LlamaConfig:
    """``vocab_size`` is the trained tokenizer's real size (BPE may stop short of the target)."""
    return LlamaConfig(
        vocab_size=vocab_size,
        hidden_size=params.hidden_size,
        intermediate_size=params.intermediate_size,
        num_hidden_layers=params.num_hidden_layers,
        num_attention_heads=params.num_attention_heads,
        num_key_value_heads=params.num_attention_heads,
        max_position_embeddings=params.max_position_embeddings,
        tie_word_embeddings=True,  # the embedding is most of a tiny model's parameters
        bos_token_id=None,
        eos_token_id=eos_token_id,
        pad_token_id=pad_token_id,
        initializer_range=0.02,
        rms_norm_eps=1e-5,
    )
