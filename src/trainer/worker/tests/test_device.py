"""Device selection on this (CPU) machine, the hello capabilities, and OOM translation."""

from __future__ import annotations

import pytest
import torch

from rlvr_worker.device import capabilities, resolve_device, translate_oom
from rlvr_worker.errors import WorkerError

CAPABILITY_KEYS = {
    "python", "torch", "transformers", "peft", "trl", "device", "dtype", "cuda_available", "gpu_name",
    "gpu_memory_total_bytes", "gpu_memory_free_bytes", "bf16_supported", "vllm_available", "cpu_threads", "ops",
}


@pytest.fixture(autouse=True)
def _restore_threads():
    threads = torch.get_num_threads()
    yield
    torch.set_num_threads(threads)


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the CPU fallback")
def test_auto_on_cpu_is_float32_sdpa_with_explicit_threads() -> None:
    choice = resolve_device("auto", "auto", "auto", cpu_threads=1)
    assert choice.device.type == "cpu"
    assert choice.dtype == torch.float32 and choice.dtype_name == "float32"
    assert choice.attn_implementation == "sdpa"
    assert choice.cpu_threads == 1 and torch.get_num_threads() == 1


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks the no-GPU error")
def test_cuda_without_a_gpu_is_an_actionable_error() -> None:
    with pytest.raises(WorkerError) as err:
        resolve_device("cuda", "auto", "auto", None)
    assert err.value.code == "invalid_params" and "'cpu'" in err.value.message


def test_explicit_dtype_and_unknown_dtype() -> None:
    assert resolve_device("cpu", "bfloat16", "eager", 1).dtype == torch.bfloat16
    with pytest.raises(WorkerError):
        resolve_device("cpu", "float8", "auto", 1)


def test_capabilities_have_every_contract_key_and_json_types() -> None:
    caps = capabilities(ops=["generate"])
    assert set(caps) == CAPABILITY_KEYS
    assert caps["ops"] == ["generate"]
    assert caps["torch"] == torch.__version__
    assert caps["dtype"] in ("float32", "bfloat16", "float16")
    assert isinstance(caps["vllm_available"], bool) and isinstance(caps["cpu_threads"], int)
    if not torch.cuda.is_available():
        assert caps["device"] == "cpu" and caps["gpu_name"] is None and caps["bf16_supported"] is False


def test_cuda_oom_becomes_a_typed_error_with_advice() -> None:
    with pytest.raises(WorkerError) as err:
        with translate_oom("train_step", torch.device("cpu")):
            raise torch.cuda.OutOfMemoryError("CUDA out of memory. Tried to allocate 2.00 GiB")
    assert err.value.code == "out_of_memory"
    assert "train_step" in err.value.message and "micro_batch_size" in err.value.message
    data = err.value.data or {}
    advice = " ".join(data["advice"])
    for hint in ("micro_batch_size", "LoRA", "gradient_checkpointing", "max_new_tokens"):
        assert hint in advice
    assert set(data["memory"]) == {"allocated_bytes", "reserved_bytes", "free_bytes", "total_bytes"}


def test_cpu_allocator_failure_is_translated_but_other_errors_pass_through() -> None:
    with pytest.raises(WorkerError) as err:
        with translate_oom("generate", torch.device("cpu")):
            raise RuntimeError("[enforce fail at alloc_cpu.cpp:117] DefaultCPUAllocator: can't allocate memory")
    assert err.value.code == "out_of_memory"
    with pytest.raises(RuntimeError, match="shape mismatch"):
        with translate_oom("generate", torch.device("cpu")):
            raise RuntimeError("shape mismatch")


def test_a_real_cpu_allocation_failure_is_translated() -> None:
    with pytest.raises(WorkerError) as err:
        with translate_oom("score", torch.device("cpu")):
            torch.empty(1 << 62, dtype=torch.uint8)  # 4 EiB: the allocator refuses at once
    assert err.value.code == "out_of_memory"
