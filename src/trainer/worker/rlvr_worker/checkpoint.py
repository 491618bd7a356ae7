"""Save / load a training checkpoint, and export merged HF weights for use outside the worker.

Checkpoint layout (a directory)::

    trainer_state.json   format, step, model source, lora settings
    adapter/             LoRA: peft adapter (adapter_model.safetensors + adapter_config.json)
    model/               full fine-tune: HF safetensors weights + config
    optimizer.pt         AdamW state            scheduler.pt   LR schedule state
    rng.pt               python / numpy / torch (CPU + CUDA) RNG states

Everything needed for "save → load → step" to equal "step on": weights, optimizer moments,
schedule position and all RNG streams (generate seeds itself from torch's RNG when no seed is
given). Files are read with ``weights_only=True``: a checkpoint directory is not trusted code.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import numpy as np
import torch
from safetensors.torch import load_file

from .errors import WorkerError
from .policy import Policy

FORMAT_VERSION = 1


def _rng_state() -> dict[str, Any]:
    mt_name, keys, pos, has_gauss, cached = np.random.get_state()
    state: dict[str, Any] = {
        "python": random.getstate(),
        "numpy": (mt_name, [int(k) for k in keys], int(pos), int(has_gauss), float(cached)),
        "torch": torch.get_rng_state(),
    }
    if torch.cuda.is_available():
        state["cuda"] = torch.cuda.get_rng_state_all()
    return state


def _set_rng_state(state: dict[str, Any]) -> None:
    version, internal, gauss = state["python"]
    random.setstate((version, tuple(internal), gauss))
    mt_name, keys, pos, has_gauss, cached = state["numpy"]
    np.random.set_state((mt_name, np.array(keys, dtype=np.uint32), pos, has_gauss, cached))
    torch.set_rng_state(state["torch"])
    if "cuda" in state and torch.cuda.is_available():
        torch.cuda.set_rng_state_all(state["cuda"])


def save(policy: Policy, directory: str) -> dict[str, Any]:
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        if policy.lora is not None:
            policy.model.save_pretrained(path / "adapter")
        else:
            policy.model.save_pretrained(path / "model", safe_serialization=True)
        torch.save(policy.optimizer.state_dict(), path / "optimizer.pt")
        torch.save(policy.scheduler.state_dict(), path / "scheduler.pt")
        torch.save(_rng_state(), path / "rng.pt")
        meta = {"format": FORMAT_VERSION, "step": policy.step, "model": policy.source, "lora": policy.lora}
        (path / "trainer_state.json").write_text(json.dumps(meta, indent=2))
    except OSError as exc:
        raise WorkerError("io_error", f"could not write checkpoint to {directory!r}: {exc}", {"dir": directory}) from exc
    return {"dir": str(path), "step": policy.step}


def _read_meta(path: Path) -> dict[str, Any]:
    try:
        meta = json.loads((path / "trainer_state.json").read_text())
    except (OSError, ValueError) as exc:
        raise WorkerError(
            "io_error", f"{str(path)!r} is not a readable checkpoint (trainer_state.json: {exc})", {"dir": str(path)}
        ) from exc
    if meta.get("format") != FORMAT_VERSION:
        raise WorkerError("io_error", f"checkpoint format {meta.get('format')!r} is not {FORMAT_VERSION}", {"dir": str(path)})
    return meta


def _check_compatible(policy: Policy, meta: dict[str, Any], path: Path) -> None:
    if (meta.get("lora") is None) != (policy.lora is None):
        kind = "LoRA" if meta.get("lora") is not None else "full fine-tune"
        raise WorkerError(
            "invalid_params",
            f"checkpoint {str(path)!r} holds a {kind} policy but the loaded policy is not; "
            f"call load_policy with the same lora setting (checkpoint lora: {meta.get('lora')!r}) first",
            {"dir": str(path)},
        )


def _load_adapter(policy: Policy, path: Path) -> None:
    from peft import set_peft_model_state_dict

    state = load_file(str(path / "adapter" / "adapter_model.safetensors"), device=str(policy.device))
    result = set_peft_model_state_dict(policy.model, state)
    missing = [k for k in getattr(result, "missing_keys", []) if "lora_" in k]
    if missing:
        raise WorkerError("io_error", f"adapter in {str(path)!r} lacks {len(missing)} LoRA tensors, e.g. {missing[:3]}")


def _load_full_weights(policy: Policy, path: Path) -> None:
    files = sorted((path / "model").glob("*.safetensors"))
    if not files:
        raise WorkerError("io_error", f"no *.safetensors under {str(path / 'model')!r}", {"dir": str(path)})
    loaded: set[str] = set()
    for file in files:
        state = load_file(str(file), device=str(policy.device))
        policy.model.load_state_dict(state, strict=False)
        loaded.update(state)
    expected = policy.model.state_dict()
    loaded_ptrs = {expected[k].data_ptr() for k in loaded if k in expected}
    # save_pretrained omits tied weights (lm_head = embed_tokens); they share storage with a loaded one.
    missing = [k for k, t in expected.items() if k not in loaded and t.data_ptr() not in loaded_ptrs]
    if missing:
        raise WorkerError("io_error", f"checkpoint {str(path)!r} lacks {len(missing)} weights, e.g. {missing[:3]}")


def load(policy: Policy, directory: str) -> dict[str, Any]:
    path = Path(directory)
    meta = _read_meta(path)
    _check_compatible(policy, meta, path)
    try:
        if policy.lora is not None:
            _load_adapter(policy, path)
        else:
            _load_full_weights(policy, path)
        policy.optimizer.load_state_dict(torch.load(path / "optimizer.pt", map_location=policy.device, weights_only=True))
        policy.scheduler.load_state_dict(torch.load(path / "scheduler.pt", weights_only=True))
        _set_rng_state(torch.load(path / "rng.pt", weights_only=True))
    except OSError as exc:
        raise WorkerError("io_error", f"could not read checkpoint {directory!r}: {exc}", {"dir": directory}) from exc
    policy.step = int(meta["step"])
    return {"dir": str(path), "step": policy.step}


def export(policy: Policy, directory: str) -> dict[str, Any]:
    """Plain HF model + tokenizer that ``from_pretrained`` (or vLLM) loads without peft.

    LoRA: the adapter is merged into a *fresh copy of the base* read from the policy's source on
    the CPU, so the live training model is never modified (merging in place and unmerging would
    leave rounding drift in bf16 weights).
    """
    path = Path(directory)
    try:
        path.mkdir(parents=True, exist_ok=True)
        model = _merged_copy(policy) if policy.lora is not None else policy.model
        model.save_pretrained(path, safe_serialization=True)
        policy.tokenizer.save_pretrained(path)
    except OSError as exc:
        raise WorkerError("io_error", f"could not export to {directory!r}: {exc}", {"dir": directory}) from exc
    return {"dir": str(path)}


def _merged_copy(policy: Policy) -> torch.nn.Module:
    from peft import get_peft_model, get_peft_model_state_dict, set_peft_model_state_dict
    from transformers import AutoModelForCausalLM

    base = AutoModelForCausalLM.from_pretrained(policy.source, dtype=policy.placement.dtype)
    config = copy.deepcopy(policy.model.peft_config["default"])  # get_peft_model may edit it
    fresh = get_peft_model(base, config)
    adapter = {k: v.detach().to("cpu") for k, v in get_peft_model_state_dict(policy.model).items()}
    set_peft_model_state_dict(fresh, adapter)
    return fresh.merge_and_unload()
