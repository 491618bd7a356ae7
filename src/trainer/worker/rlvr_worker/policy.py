"""Load the policy (LoRA or full fine-tune), its optional reference, optimizer and LR schedule."""

from __future__ import annotations

import contextlib
import copy
from dataclasses import dataclass, field
from typing import Any, Iterator

import torch
from torch import nn
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase, get_scheduler, set_seed

from .device import DeviceChoice, resolve_device
from .errors import WorkerError

# Our schedule names → transformers.get_scheduler names ("constant" still honours warmup).
_SCHEDULES = {"constant": "constant_with_warmup", "linear": "linear", "cosine": "cosine"}


@dataclass(frozen=True)
class OptimizerSettings:
    learning_rate: float = 1e-5
    weight_decay: float = 0.0
    betas: tuple[float, float] = (0.9, 0.99)
    eps: float = 1e-8
    schedule: str = "constant"
    warmup_steps: int = 0
    total_steps: int = 1000
    max_grad_norm: float | None = 1.0

    @classmethod
    def from_params(cls, params: dict[str, Any] | None) -> "OptimizerSettings":
        p = dict(params or {})
        if "betas" in p:
            p["betas"] = (float(p["betas"][0]), float(p["betas"][1]))
        return cls(**{k: v for k, v in p.items() if k in cls.__dataclass_fields__})


@dataclass
class Policy:
    """Everything a loaded policy needs to generate, score, train and be saved."""

    model: nn.Module  # a PeftModel when lora, else the causal LM itself
    tokenizer: PreTrainedTokenizerBase
    placement: DeviceChoice
    source: str  # local dir or hub id it was loaded from (export re-reads the base from here)
    lora: dict[str, Any] | None
    optimizer: torch.optim.Optimizer
    scheduler: Any  # torch LambdaLR from transformers.get_scheduler
    settings: OptimizerSettings
    eos_token_ids: list[int]
    pad_token_id: int
    frozen_reference: nn.Module | None = None  # only for full fine-tune with beta > 0
    has_reference: bool = False
    step: int = 0
    load_params: dict[str, Any] = field(default_factory=dict)

    @property
    def device(self) -> torch.device:
        return self.placement.device

    @property
    def vocab_size(self) -> int:
        return int(self.model.get_input_embeddings().weight.shape[0])

    @contextlib.contextmanager
    def reference(self) -> Iterator[nn.Module]:
        """The model to compute reference logprobs with. With LoRA it is the same weights with
        the adapter switched off — no second copy in memory."""
        if self.lora is not None:
            with self.model.disable_adapter():
                yield self.model
        elif self.frozen_reference is not None:
            yield self.frozen_reference
        else:
            raise WorkerError(
                "invalid_params",
                "train_step beta > 0 needs a reference policy, but this full fine-tune policy was loaded "
                "with beta 0; reload with load_policy beta > 0 (or use beta 0, or LoRA)",
            )


def load_tokenizer(source: str) -> PreTrainedTokenizerBase:
    tokenizer = AutoTokenizer.from_pretrained(source)
    tokenizer.padding_side = "left"
    return tokenizer


def _load_model(source: str, placement: DeviceChoice) -> nn.Module:
    model = AutoModelForCausalLM.from_pretrained(
        source, dtype=placement.dtype, attn_implementation=placement.attn_implementation
    )
    return model.to(placement.device)


def _eos_ids(model: nn.Module, tokenizer: PreTrainedTokenizerBase) -> list[int]:
    ids: list[int] = []
    gen_eos = getattr(getattr(model, "generation_config", None), "eos_token_id", None)
    for value in (gen_eos if isinstance(gen_eos, list) else [gen_eos]) + [tokenizer.eos_token_id]:
        if value is not None and int(value) not in ids:
            ids.append(int(value))
    return ids


def _apply_lora(model: nn.Module, lora: dict[str, Any]) -> nn.Module:
    from peft import LoraConfig, get_peft_model  # imported here: full fine-tune needs no peft

    targets = lora.get("target_modules") or None  # None → peft's per-architecture default
    config = LoraConfig(
        r=int(lora["rank"]),
        lora_alpha=float(lora["alpha"]),
        lora_dropout=float(lora.get("dropout", 0.0)),
        target_modules=targets,
        task_type="CAUSAL_LM",
    )
    return get_peft_model(model, config)


def _enable_checkpointing(model: nn.Module) -> None:
    # Non-reentrant checkpointing works with frozen embeddings (LoRA) without
    # enable_input_require_grads and is the variant torch recommends. transformers ≥ 5.2x
    # renamed the method (the old name warns until v6).
    kwargs = {"use_reentrant": False}
    if hasattr(model, "activation_checkpointing_enable"):
        model.activation_checkpointing_enable(activation_checkpointing_kwargs=kwargs)
    else:
        model.gradient_checkpointing_enable(gradient_checkpointing_kwargs=kwargs)


def build_optimizer(model: nn.Module, settings: OptimizerSettings) -> tuple[torch.optim.Optimizer, Any]:
    """AdamW over trainable parameters; no weight decay on 1-D tensors (norm scales, biases),
    the usual split (nanoGPT, HF Trainer) because decaying a norm's gain towards 0 hurts."""
    trainable = [p for p in model.parameters() if p.requires_grad]
    groups = [
        {"params": [p for p in trainable if p.ndim >= 2], "weight_decay": settings.weight_decay},
        {"params": [p for p in trainable if p.ndim < 2], "weight_decay": 0.0},
    ]
    optimizer = torch.optim.AdamW(
        [g for g in groups if g["params"]], lr=settings.learning_rate, betas=settings.betas, eps=settings.eps
    )
    if settings.schedule not in _SCHEDULES:
        raise WorkerError("invalid_params", f"unknown schedule {settings.schedule!r}; expected one of {sorted(_SCHEDULES)}")
    scheduler = get_scheduler(
        _SCHEDULES[settings.schedule],
        optimizer,
        num_warmup_steps=int(settings.warmup_steps),
        num_training_steps=max(int(settings.total_steps), 1),
    )
    return optimizer, scheduler


def load_policy(params: dict[str, Any]) -> Policy:
    """Build a Policy from load_policy params (see the worker contract)."""
    source = str(params["model"])
    placement = resolve_device(
        params.get("device", "auto"),
        params.get("dtype", "auto"),
        params.get("attn_implementation", "auto"),
        params.get("cpu_threads"),
    )
    set_seed(int(params.get("seed", 0)))  # LoRA's A matrices are randomly initialised
    try:
        tokenizer = load_tokenizer(source)
        model = _load_model(source, placement)
    except (OSError, ValueError, ImportError) as exc:
        raise WorkerError(
            "model_load_failed",
            f"could not load model {source!r}: {exc}. Pass a local directory with config.json, "
            "tokenizer files and weights, or a hub id already in the local HF cache (the worker may be offline)",
            {"model": source},
        ) from exc
    beta = float(params.get("beta", 0.0))
    lora = params.get("lora")
    frozen = None
    if beta > 0 and lora is None:
        frozen = copy.deepcopy(model).requires_grad_(False).eval()
    if params.get("gradient_checkpointing"):
        _enable_checkpointing(model)
    if lora is not None:
        model = _apply_lora(model, lora)
    settings = OptimizerSettings.from_params(params.get("optimizer"))
    optimizer, scheduler = build_optimizer(model, settings)
    eos = _eos_ids(model, tokenizer)
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos[0] if eos else 0)
    model.eval()
    return Policy(
        model=model,
        tokenizer=tokenizer,
        placement=placement,
        source=source,
        lora=dict(lora) if lora is not None else None,
        optimizer=optimizer,
        scheduler=scheduler,
        settings=settings,
        eos_token_ids=eos,
        pad_token_id=int(pad),
        frozen_reference=frozen,
        has_reference=beta > 0,
        load_params=dict(params),
    )


def describe(policy: Policy) -> dict[str, Any]:
    """The load_policy result object."""
    params = list(policy.model.parameters())
    config = policy.model.config
    return {
        "model": policy.source,
        "device": policy.device.type,
        "dtype": policy.placement.dtype_name,
        "trainable_params": sum(p.numel() for p in params if p.requires_grad),
        "total_params": sum(p.numel() for p in params),
        "has_reference": policy.has_reference,
        "eos_token_ids": list(policy.eos_token_ids),
        "pad_token_id": policy.pad_token_id,
        "vocab_size": policy.vocab_size,
        "max_position_embeddings": getattr(config, "max_position_embeddings", None),
        "chat_template": bool(getattr(policy.tokenizer, "chat_template", None)),
    }
