"""The CUDA paths. Skipped where torch sees no GPU (CI, the dev container); run on a GPU machine
with ``PYTHONPATH=src/trainer/worker python -m pytest -q src/trainer/worker/tests/test_cuda.py``.
docs/worker-cuda.md records when and where this last ran."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import torch
from tiny_llama import (  # noqa: F401  (llama_dir is a fixture)
    LORA,
    RecordingContext,
    generate_params,
    llama_dir,
    make_engine,
    sampled_sequences,
    snapshot,
    train_params,
)

from rlvr_worker.device import capabilities, resolve_device, translate_oom
from rlvr_worker.errors import WorkerError

pytestmark = pytest.mark.skipif(not torch.cuda.is_available(), reason="needs a CUDA GPU")

CUDA_AUTO = {"device": "cuda", "dtype": "auto", "attn_implementation": "auto", "cpu_threads": None}


def test_auto_picks_cuda_and_half_precision() -> None:
    choice = resolve_device("auto", "auto", "auto", None)
    assert choice.device.type == "cuda"
    expected = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    assert choice.dtype == expected
    assert choice.attn_implementation in ("sdpa", "flash_attention_2")
    caps = capabilities()
    assert caps["device"] == "cuda" and caps["gpu_name"]
    assert caps["gpu_memory_total_bytes"] >= caps["gpu_memory_free_bytes"] > 0
    print("capabilities:", caps)


def test_real_cuda_oom_is_translated_and_the_worker_can_go_on() -> None:
    free, _ = torch.cuda.mem_get_info()
    with pytest.raises(WorkerError) as err:
        with translate_oom("generate", torch.device("cuda")):
            torch.empty(free * 4, dtype=torch.uint8, device="cuda")  # plain cudaMalloc, refused at once
    assert err.value.code == "out_of_memory"
    memory = (err.value.data or {})["memory"]
    assert memory["total_bytes"] > 0 and memory["allocated_bytes"] is not None
    torch.ones(1024, device="cuda").sum().item()  # still usable


@pytest.mark.parametrize("dtype,tolerance", [("float32", 2e-3), ("auto", 0.1)])
def test_generate_logprobs_match_score_on_gpu(llama_dir: Path, dtype: str, tolerance: float) -> None:
    engine = make_engine(llama_dir, **{**CUDA_AUTO, "dtype": dtype})
    params = generate_params(["def add", "hello there, the answer is 42. Wait", "x"], n=4, max_new_tokens=32)
    engine.generate(params, RecordingContext())  # warm-up (kernels, allocator)
    start = time.perf_counter()
    result = engine.generate(params, RecordingContext())
    elapsed = time.perf_counter() - start
    samples = [(g["prompt_token_ids"], s) for g in result["groups"] for s in g["samples"]]
    scored = engine.score(
        {"sequences": [{"prompt_token_ids": p, "completion_token_ids": s["token_ids"]} for p, s in samples],
         "temperature": 1.0},
        RecordingContext(),
    )
    worst = max(abs(a - b) for (_, s), lps in zip(samples, scored["logprobs"]) for a, b in zip(s["logprobs"], lps))
    print(f"{dtype}: {result['tokens_per_second']:.0f} tok/s, {elapsed:.3f}s, max |logprob diff| {worst:.2e}")
    assert worst < tolerance


@pytest.mark.parametrize("lora", [None, LORA], ids=["full", "lora"])
def test_train_step_save_load_export_on_gpu(llama_dir: Path, tmp_path: Path, lora: object) -> None:
    engine = make_engine(llama_dir, **CUDA_AUTO, lora=lora, beta=0.05, gradient_checkpointing=True)
    sequences = sampled_sequences(engine, [1.0, -0.5, 0.7, -1.2, 0.3, -0.3])
    before = snapshot(engine)
    first = engine.train_step(train_params(sequences, beta=0.05, micro_batch_size=2), RecordingContext())
    second = engine.train_step(train_params(sequences, beta=0.05, micro_batch_size=2), RecordingContext())
    print("train_step on GPU:", first, second)
    assert all(torch.isfinite(torch.tensor([second["loss"], second["grad_norm"]])))
    changed = [k for k, v in snapshot(engine).items() if not torch.equal(v, before[k])]
    assert changed and (lora is None or all("lora_" in k for k in changed))
    engine.save({"dir": str(tmp_path / "ckpt")}, RecordingContext())
    expected = engine.train_step(train_params(sequences, beta=0.05), RecordingContext())
    resumed = make_engine(llama_dir, **CUDA_AUTO, lora=lora, beta=0.05, gradient_checkpointing=True)
    resumed.load({"dir": str(tmp_path / "ckpt")}, RecordingContext())
    got = resumed.train_step(train_params(sequences, beta=0.05), RecordingContext())
    assert got["step"] == expected["step"] == 3
    assert got["loss"] == pytest.approx(expected["loss"], rel=1e-2, abs=1e-4)
    engine.export({"dir": str(tmp_path / "export")}, RecordingContext())
    assert (tmp_path / "export" / "config.json").exists()
