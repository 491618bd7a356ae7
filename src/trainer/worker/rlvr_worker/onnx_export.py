"""HF causal-LM folder → ONNX decoder folder the editor loads with onnxruntime-node (docs/onnx.md).

Output folder::

    model.onnx, model.onnx.data   the decoder graph with KV cache (onnx_graph.py), float32
    tokenizer.json, tokenizer_config.json (+ chat_template.jinja)   as the worker's tokenizer saves them
    config.json, generation_config.json                              copied for reference
    parity.json                   PyTorch reference logits the host replays (onnx_parity.py)
    rlvr-onnx.json                the manifest: shapes, token ids, chat template, hashes

Exported in float32 on the CPU whatever the training dtype was: onnxruntime's CPU provider is
fastest and exact in float32, and the reference logits must come from the same weights.

``python -m rlvr_worker.onnx_export --model DIR --out DIR`` runs it without the protocol.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Callable

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, PreTrainedTokenizerBase

from . import __version__
from .errors import WorkerError
from .onnx_graph import export_graph, input_names, kv_shape, output_names
from .onnx_parity import reference_cases
from .policy import _eos_ids
from .prompts import chat_template_of, render_prompt

FORMAT, FORMAT_VERSION = "rlvr-onnx", 1
MANIFEST_FILE, GRAPH_FILE, PARITY_FILE = "rlvr-onnx.json", "model.onnx", "parity.json"
DEFAULT_OPSET = 18
COPIED_FILES = ("config.json", "generation_config.json")
# Code with a docstring, an f-string and non-ASCII text: the prompt's token ids are the reference
# prefill, so it should exercise more than one kind of token.
PARITY_PROMPT = 'def greet(name: str) -> str:\n    """Say hello — «bonjour» 👋."""\n    return f"hi {name}"'

Progress = Callable[[int, int, str], None]


def export_onnx(model_dir: str, out_dir: str, *, opset: int = DEFAULT_OPSET, source: dict[str, Any] | None = None,
                progress: Progress | None = None) -> dict[str, Any]:
    """Export ``model_dir`` (a HF folder: config, weights, fast tokenizer) into ``out_dir``.

    Returns ``{dir, manifest, time_s}``. ``source`` is recorded in the manifest (run, checkpoint).
    """
    report = progress or (lambda done, total, message: None)
    started = time.perf_counter()
    out = Path(out_dir)
    if out.exists() and (not out.is_dir() or any(out.iterdir())):
        # The manifest hashes every file in the folder: stale files would be listed as part of it.
        raise WorkerError("invalid_params", f"ONNX export folder {out_dir!r} exists and is not empty; "
                          "give a new or empty folder", {"dir": out_dir})
    tokenizer, model = _load(model_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
        report(0, 3, "exporting the graph")
        export_graph(model, out / GRAPH_FILE, opset)
        report(1, 3, "writing tokenizer and reference logits")
        _write_tokenizer(tokenizer, Path(model_dir), out)
        prompt = render_prompt(tokenizer, [{"role": "user", "content": PARITY_PROMPT}])
        parity = {"format": "rlvr-onnx-parity", "version": 1, "cases": reference_cases(model, prompt)}
        (out / PARITY_FILE).write_text(json.dumps(parity))
        report(2, 3, "hashing")
        manifest = build_manifest(model, tokenizer, out, opset, source or {"model": model_dir})
        (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))
    except OSError as exc:
        raise WorkerError("io_error", f"could not write the ONNX export to {out_dir!r}: {exc}", {"dir": out_dir}) from exc
    report(3, 3, "done")
    return {"dir": str(out), "manifest": str(out / MANIFEST_FILE), "time_s": time.perf_counter() - started}


def _load(model_dir: str) -> tuple[PreTrainedTokenizerBase, torch.nn.Module]:
    try:
        tokenizer = AutoTokenizer.from_pretrained(model_dir)
        # SDPA exports as plain MatMul/Softmax ops that every onnxruntime provider runs.
        model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32, attn_implementation="sdpa")
    except (OSError, ValueError, ImportError) as exc:
        raise WorkerError("model_load_failed", f"could not load {model_dir!r} for ONNX export: {exc}. "
                          "Give a folder with config.json, weights and tokenizer files", {"model": model_dir}) from exc
    if not getattr(tokenizer, "is_fast", False):
        raise WorkerError("invalid_params", f"the tokenizer of {model_dir!r} is not a fast (tokenizer.json) tokenizer; "
                          "the editor's tokenizer reads tokenizer.json", {"model": model_dir})
    if getattr(model.config, "is_encoder_decoder", False):
        raise WorkerError("invalid_params", f"{model_dir!r} is an encoder-decoder model; only decoder-only causal "
                          "LMs export to the editor's decoder graph", {"model": model_dir})
    return tokenizer, model.to("cpu").eval()


def _write_tokenizer(tokenizer: PreTrainedTokenizerBase, model_dir: Path, out: Path) -> None:
    tokenizer.save_pretrained(out)
    for name in COPIED_FILES:
        if (model_dir / name).is_file():
            shutil.copyfile(model_dir / name, out / name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def build_manifest(model: torch.nn.Module, tokenizer: PreTrainedTokenizerBase, out: Path, opset: int,
                   source: dict[str, Any]) -> dict[str, Any]:
    """What a runtime needs to drive the graph without reading HF's config (docs/onnx.md#manifest)."""
    config = model.config
    layers = int(config.num_hidden_layers)
    kv_heads, head_dim = kv_shape(config)
    files = {p.name: {"bytes": p.stat().st_size, "sha256": sha256_of(p)} for p in sorted(out.iterdir())
             if p.is_file() and p.name != MANIFEST_FILE}
    weights = out / f"{GRAPH_FILE}.data"
    eos = _eos_ids(model, tokenizer)  # the same EOS set the worker's generate stops on
    pad = tokenizer.pad_token_id if tokenizer.pad_token_id is not None else (eos[0] if eos else 0)
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "graph": {
            "file": GRAPH_FILE,
            "weights_file": weights.name if weights.exists() else None,
            "opset": opset,
            "dtype": "float32",
            "inputs": input_names(layers),
            "outputs": output_names(layers),
            "logits": "last_position",
        },
        "model": {
            "model_type": str(config.model_type),
            "architectures": list(getattr(config, "architectures", None) or []),
            "num_layers": layers,
            "num_attention_heads": int(config.num_attention_heads),
            "num_key_value_heads": kv_heads,
            "head_dim": head_dim,
            "hidden_size": int(config.hidden_size),
            "vocab_size": int(model.get_input_embeddings().weight.shape[0]),
            "max_position_embeddings": getattr(config, "max_position_embeddings", None),
        },
        "tokens": {"eos_token_ids": eos, "pad_token_id": int(pad), "bos_token_id": tokenizer.bos_token_id},
        "tokenizer": {
            "files": ["tokenizer.json", "tokenizer_config.json"],
            "chat_template": chat_template_of(tokenizer),
            # apply_chat_template passes these to the template (bos_token, eos_token, ...).
            "template_variables": dict(tokenizer.special_tokens_map),
        },
        "weights_sha256": sha256_of(weights if weights.exists() else out / GRAPH_FILE),
        "files": files,
        "parity_file": PARITY_FILE,
        "parity": None,  # filled in by the host once onnxruntime-node reproduced parity.json
        "source": source,
        "exporter": {
            "rlvr_worker": __version__,
            "torch": torch.__version__,
            "transformers": _version("transformers"),
            "onnx": _version("onnx"),
            "onnxscript": _version("onnxscript"),
        },
    }


def _version(module: str) -> str | None:
    try:
        return str(__import__(module).__version__)
    except ImportError:
        return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Export a HF causal LM folder as an ONNX decoder with KV cache.")
    parser.add_argument("--model", required=True, help="HF model folder (config.json, weights, tokenizer.json)")
    parser.add_argument("--out", required=True, help="output folder")
    parser.add_argument("--opset", type=int, default=DEFAULT_OPSET)
    args = parser.parse_args(argv)
    try:
        result = export_onnx(args.model, args.out, opset=args.opset,
                             progress=lambda d, t, m: print(f"[{d}/{t}] {m}", file=sys.stderr))
    except WorkerError as err:
        print(f"onnx_export: {err.message}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
