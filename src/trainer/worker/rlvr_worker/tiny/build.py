"""Build (or reuse) a tiny Llama model directory: tokenizer, config, weights, manifest.

The build happens in a sibling temporary folder and is moved into place only when complete, so an
interrupted build never leaves a directory that looks finished. ``rlvr_tiny.json`` records the
parameters and results; a later build with the same parameters reuses the directory.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
import time
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import torch
from transformers import GenerationConfig, LlamaForCausalLM

from . import corpus
from .chat_format import END, PAD
from .config import TinyParams, llama_config
from .pretrain import pretrain
from .tokenizer import build_tokenizer, save_tokenizer

BUILD_VERSION = 3  # bump when the corpus, tokenizer or training recipe changes
MANIFEST = "rlvr_tiny.json"
REQUIRED_FILES = ("config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json", MANIFEST)
EVAL_CHATS = 64

StepCallback = Callable[[int, int], None]


class NotATinyBuildError(Exception):
    """The output directory holds something else; we refuse to overwrite it."""


def read_manifest(out_dir: str) -> dict[str, Any] | None:
    try:
        with open(os.path.join(out_dir, MANIFEST), encoding="utf-8") as f:
            manifest = json.load(f)
    except (OSError, ValueError):
        return None
    return manifest if isinstance(manifest, dict) else None


def cached_result(out_dir: str, params: TinyParams) -> dict[str, Any] | None:
    """The stored result if ``out_dir`` holds a complete build of exactly these parameters."""
    manifest = read_manifest(out_dir)
    if manifest is None or manifest.get("version") != BUILD_VERSION or manifest.get("params") != params.identity():
        return None
    if not all(os.path.isfile(os.path.join(out_dir, name)) for name in REQUIRED_FILES):
        return None
    return {**manifest["result"], "dir": out_dir, "cached": True}


def building_prefix(out_dir: str) -> str:
    return f".{os.path.basename(out_dir)}.building-"


def remove_abandoned_builds(out_dir: str) -> None:
    """Delete temporary folders left by builds whose process was killed (no ``finally`` ran)."""
    parent, prefix = os.path.dirname(out_dir), building_prefix(out_dir)
    for name in os.listdir(parent):
        pid_text = name[len(prefix):].split("-", 1)[0] if name.startswith(prefix) else ""
        if pid_text.isdigit() and not process_alive(int(pid_text)):
            shutil.rmtree(os.path.join(parent, name), ignore_errors=True)


def process_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


@contextmanager
def torch_threads(count: int | None) -> Iterator[int]:
    """Pin torch's intra-op threads for the build and restore the caller's setting afterwards."""
    previous = torch.get_num_threads()
    wanted = count or len(os.sched_getaffinity(0))
    torch.set_num_threads(wanted)
    try:
        yield wanted
    finally:
        torch.set_num_threads(previous)


def build_into(work_dir: str, params: TinyParams, on_step: StepCallback | None) -> dict[str, Any]:
    """Write a complete model directory into ``work_dir`` and return the result fields."""
    tokenizer = build_tokenizer(corpus.chats(params.seed, params.tokenizer_examples), params.vocab_size, params.max_position_embeddings)
    save_tokenizer(tokenizer, work_dir)
    eos_id, pad_id = tokenizer.convert_tokens_to_ids([END, PAD])
    config = llama_config(params, len(tokenizer), eos_id, pad_id)

    with torch.random.fork_rng(devices=[]):  # seed locally; leave the caller's RNG state alone
        torch.manual_seed(params.seed)
        model = LlamaForCausalLM(config)
        report = None
        if params.pretrain_steps > 0:
            # Distinct seeds so the training stream, the held-out chats and the tokenizer corpus differ.
            train_stream = corpus.chat_stream(params.seed * 1000 + 1)
            eval_chats = corpus.chats(params.seed * 1000 + 2, EVAL_CHATS)
            report = pretrain(model, tokenizer, train_stream, eval_chats, params, on_step)

    model.generation_config = GenerationConfig(eos_token_id=eos_id, pad_token_id=pad_id, do_sample=True, temperature=1.0)
    model.save_pretrained(work_dir, safe_serialization=True)
    return {
        "parameters": sum(p.numel() for p in model.parameters()),
        "vocab_size": len(tokenizer),
        "pretrain_loss": None if report is None else round(report.eval_loss, 4),
        "train_loss": None if report is None else round(report.train_loss, 4),
        "steps_done": 0 if report is None else report.steps_done,
        "hit_time_cap": False if report is None else report.hit_time_cap,
    }


def build_tiny_model(out_dir: str, params: TinyParams, on_step: StepCallback | None = None) -> dict[str, Any]:
    """Build the tiny model in ``out_dir`` (or reuse an identical build) and return
    ``{dir, parameters, pretrain_loss, time_s, cached, ...}``."""
    out_dir = os.path.abspath(out_dir)
    started = time.monotonic()
    cached = cached_result(out_dir, params)
    if cached is not None:
        return {**cached, "time_s": round(time.monotonic() - started, 3)}
    if os.path.isdir(out_dir) and os.listdir(out_dir) and read_manifest(out_dir) is None:
        raise NotATinyBuildError(
            f"{out_dir} is not empty and holds no {MANIFEST}; choose an empty or new directory "
            "(a tiny build never overwrites other files)"
        )
    parent = os.path.dirname(out_dir)
    os.makedirs(parent, exist_ok=True)
    remove_abandoned_builds(out_dir)
    work_dir = tempfile.mkdtemp(prefix=f"{building_prefix(out_dir)}{os.getpid()}-", dir=parent)
    os.chmod(work_dir, 0o755)  # mkdtemp makes it private; the finished model dir is an ordinary one
    try:
        with torch_threads(params.cpu_threads) as threads:
            result = build_into(work_dir, params, on_step)
        result = {**result, "cpu_threads": threads, "time_s": round(time.monotonic() - started, 3)}
        manifest = {"format": "rlvr-tiny", "version": BUILD_VERSION, "params": params.identity(), "result": result}
        with open(os.path.join(work_dir, MANIFEST), "w", encoding="utf-8") as f:
            json.dump(manifest, f, indent=2)
            f.write("\n")
        for name in os.listdir(work_dir):
            os.chmod(os.path.join(work_dir, name), 0o644)  # the weights are written private (0600)
        if os.path.isdir(out_dir):
            shutil.rmtree(out_dir)  # an older tiny build (different parameters or version)
        os.replace(work_dir, out_dir)
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    return {**result, "dir": out_dir, "cached": False}
