"""The worker's ML state and its ops, one method per protocol op: ``(params, ctx) -> dict``.

The server validates params against the JSON schema before calling; the engine checks only what
the schema cannot (a model is loaded, token ids fit the vocabulary, lengths agree) and turns
out-of-memory into a typed, actionable error.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import sys
import tempfile
from typing import Any

from . import checkpoint
from .device import release_memory, translate_oom
from .errors import WorkerError
from .generate import SamplingSettings, generate
from .policy import Policy, describe, load_policy
from .prompts import render_prompt
from .scoring import check_sequences, score_sequences
from .train import train_step


class Engine:
    """Holds one policy (model, optional reference, tokenizer, optimizer, schedule, step)."""

    def __init__(self) -> None:
        self.policy: Policy | None = None

    def _require_policy(self, op: str) -> Policy:
        if self.policy is None:
            raise WorkerError("no_model", f"{op} needs a loaded policy; call load_policy first", {"op": op})
        return self.policy

    def load_policy(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        ctx.progress("load_policy", 0, 1, f"loading {params.get('model')}")
        # Drop the old policy first so its memory is free before the new one loads.
        self.policy = None
        release_memory()
        with translate_oom("load_policy", None):
            self.policy = load_policy(params)
        ctx.progress("load_policy", 1, 1)
        return describe(self.policy)

    def generate(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        policy = self._require_policy("generate")
        settings = SamplingSettings.from_params(params)
        if params.get("greedy"):
            settings = dataclasses.replace(settings, temperature=0.0)  # sample_next: T ≤ 0 is argmax
        prompt_ids = [render_prompt(policy.tokenizer, p["messages"]) for p in params["prompts"]]
        policy.model.eval()
        with translate_oom("generate", policy.device):
            return generate(
                policy.model,
                policy.tokenizer,
                prompt_ids,
                settings,
                policy.eos_token_ids,
                policy.pad_token_id,
                policy.device,
                ctx,
            )

    def score(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        policy = self._require_policy("score")
        sequences = params["sequences"]
        check_sequences(
            [s["prompt_token_ids"] for s in sequences],
            [s["completion_token_ids"] for s in sequences],
            policy.vocab_size,
        )
        policy.model.eval()
        with translate_oom("score", policy.device):
            scores = score_sequences(
                policy.model, sequences, float(params["temperature"]), policy.pad_token_id, policy.device, ctx
            )
        return {"logprobs": scores.logprobs, "entropies": scores.entropies}

    def train_step(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        policy = self._require_policy("train_step")
        with translate_oom("train_step", policy.device):
            return train_step(policy, params, ctx)

    def save(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return checkpoint.save(self._require_policy("save"), str(params["dir"]))

    def load(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        return checkpoint.load(self._require_policy("load"), str(params["dir"]))

    def export(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        policy = self._require_policy("export")
        with translate_oom("export", policy.device):
            return checkpoint.export(policy, str(params["dir"]))

    def export_onnx(self, params: dict[str, Any], ctx: Any) -> dict[str, Any]:
        """The loaded policy (LoRA merged), or the HF folder ``params.model``, as an ONNX decoder
        folder for onnxruntime (rlvr_worker/onnx_export.py, docs/onnx.md)."""
        export = _onnx_exporter()
        out, opset = str(params["dir"]), int(params.get("opset") or 18)

        def progress(done: int, total: int, message: str) -> None:
            ctx.check_cancelled()
            ctx.progress("export_onnx", done, total, message)

        if params.get("model"):
            return export(str(params["model"]), out, opset=opset, progress=progress)
        policy = self._require_policy("export_onnx")
        # Through a plain HF folder: the same merge as `export`, then a float32 CPU copy is read
        # back, so the live (maybe bf16, maybe CUDA) training model is never touched.
        with tempfile.TemporaryDirectory(prefix="rlvr-onnx-") as merged:
            with translate_oom("export_onnx", policy.device):
                checkpoint.export(policy, merged)
            source = {"model": policy.source, "step": policy.step, "lora": policy.lora is not None}
            return export(merged, out, opset=opset, source=source, progress=progress)


def _onnx_exporter() -> Any:
    missing = [m for m in ("onnx", "onnxscript") if importlib.util.find_spec(m) is None]
    if missing:
        raise WorkerError(
            "internal",
            f"export_onnx needs the Python packages {', '.join(missing)}, which this interpreter lacks. Run "
            f"`{sys.executable} -m pip install -r src/trainer/worker/requirements.txt` (or `npm run setup`)",
            {"missing": missing},
        )
    from .onnx_export import export_onnx

    return export_onnx
