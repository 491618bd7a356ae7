"""Where tensors live and in which precision; what this machine can do; OOM → actionable error.

Only the CPU branches of this module run in the project's CI (no GPU there). The CUDA branches
are real code written against the documented torch APIs; docs/worker-cuda.md lists what is
untested.
"""

from __future__ import annotations

import contextlib
import gc
import importlib.metadata
import importlib.util
import os
import platform
from dataclasses import dataclass
from typing import Any, Iterator

import torch

from .errors import OUT_OF_MEMORY, WorkerError

_DTYPES: dict[str, torch.dtype] = {
    "float32": torch.float32,
    "bfloat16": torch.bfloat16,
    "float16": torch.float16,
}


@dataclass(frozen=True)
class DeviceChoice:
    """The resolved placement for one loaded policy."""

    device: torch.device
    dtype: torch.dtype
    attn_implementation: str
    cpu_threads: int

    @property
    def dtype_name(self) -> str:
        return dtype_name(self.dtype)


def dtype_name(dtype: torch.dtype) -> str:
    return {v: k for k, v in _DTYPES.items()}[dtype]


def _cuda_bf16_supported() -> bool:
    return bool(torch.cuda.is_available() and torch.cuda.is_bf16_supported())


def _flash_attn_importable() -> bool:
    return importlib.util.find_spec("flash_attn") is not None


def available_cpu_threads() -> int:
    """CPUs this process may run on (respects taskset/cgroup affinity, unlike os.cpu_count)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except AttributeError:  # macOS has no sched_getaffinity
        return max(os.cpu_count() or 1, 1)


def resolve_device(
    device: str = "auto",
    dtype: str = "auto",
    attn_implementation: str = "auto",
    cpu_threads: int | None = None,
) -> DeviceChoice:
    """Turn the load_policy placement params into concrete torch objects.

    auto device: CUDA when available, else CPU. auto dtype: bf16 on GPUs that support it, fp16
    on older GPUs, fp32 on CPU (CPU bf16 matmuls are slow on most x86 parts and lose precision
    the ratio exp(θ − old) is sensitive to). Threads are always set explicitly because torch's
    default (all physical cores) oversubscribes machines shared with the verifier sandbox.
    """
    if device == "auto":
        device = "cuda" if torch.cuda.is_available() else "cpu"
    if device == "cuda" and not torch.cuda.is_available():
        raise WorkerError(
            "invalid_params",
            "device 'cuda' requested but torch sees no CUDA device "
            f"(torch {torch.__version__}, built for CUDA {torch.version.cuda}); use device 'cpu' or 'auto'",
            {"device": device},
        )
    torch_device = torch.device(device)
    resolved_dtype = _resolve_dtype(dtype, torch_device)
    threads = cpu_threads if cpu_threads and cpu_threads > 0 else available_cpu_threads()
    torch.set_num_threads(threads)
    return DeviceChoice(
        device=torch_device,
        dtype=resolved_dtype,
        attn_implementation=_resolve_attention(attn_implementation, torch_device, resolved_dtype),
        cpu_threads=threads,
    )


def _resolve_dtype(dtype: str, device: torch.device) -> torch.dtype:
    if dtype != "auto":
        if dtype not in _DTYPES:
            raise WorkerError("invalid_params", f"unknown dtype {dtype!r}; expected one of {sorted(_DTYPES)} or 'auto'")
        if dtype == "bfloat16" and device.type == "cuda" and not _cuda_bf16_supported():
            raise WorkerError(
                "invalid_params",
                f"dtype 'bfloat16' is not supported by {torch.cuda.get_device_name(device)}; use 'float16' or 'auto'",
            )
        return _DTYPES[dtype]
    if device.type == "cuda":
        return torch.bfloat16 if _cuda_bf16_supported() else torch.float16
    return torch.float32


def _resolve_attention(requested: str, device: torch.device, dtype: torch.dtype) -> str:
    if requested != "auto":
        if requested == "flash_attention_2" and not _flash_attn_importable():
            raise WorkerError(
                "invalid_params",
                "attn_implementation 'flash_attention_2' needs the flash-attn package "
                "(pip install flash-attn --no-build-isolation); use 'sdpa' or 'auto'",
            )
        return requested
    half = dtype in (torch.bfloat16, torch.float16)
    if device.type == "cuda" and half and _flash_attn_importable():
        return "flash_attention_2"
    return "sdpa"


def _package_version(name: str) -> str | None:
    # metadata lookup instead of import: importing trl or vllm costs seconds at hello time.
    try:
        return importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        return None


def capabilities(ops: list[str] | None = None) -> dict[str, Any]:
    """The ``capabilities`` object of the hello frame (see the worker contract)."""
    choice_device = "cuda" if torch.cuda.is_available() else "cpu"
    caps: dict[str, Any] = {
        "python": platform.python_version(),
        "torch": torch.__version__,
        "transformers": _package_version("transformers"),
        "peft": _package_version("peft"),
        "trl": _package_version("trl"),
        "device": choice_device,
        "dtype": dtype_name(_resolve_dtype("auto", torch.device(choice_device))),
        "cuda_available": torch.cuda.is_available(),
        "gpu_name": None,
        "gpu_memory_total_bytes": None,
        "gpu_memory_free_bytes": None,
        "bf16_supported": _cuda_bf16_supported(),
        # find_spec, not import: a vllm import initialises CUDA and takes many seconds.
        "vllm_available": importlib.util.find_spec("vllm") is not None,
        "cpu_threads": torch.get_num_threads(),
        "ops": list(ops) if ops is not None else [],
    }
    if torch.cuda.is_available():
        free, total = torch.cuda.mem_get_info()
        caps.update(gpu_name=torch.cuda.get_device_name(0), gpu_memory_total_bytes=total, gpu_memory_free_bytes=free)
    return caps


# --- out of memory ------------------------------------------------------------------------------

OOM_ADVICE: tuple[str, ...] = (
    "lower train_step micro_batch_size (gradient accumulation keeps the same effective batch)",
    "train a LoRA adapter instead of full fine-tuning (load_policy lora: {rank: 16, ...})",
    "enable gradient_checkpointing in load_policy",
    "lower generate max_new_tokens or n (samples per prompt), or use fewer prompts per batch",
    "pick a smaller model or dtype bfloat16/float16 on GPU",
)


def memory_figures(device: torch.device | None = None) -> dict[str, int | None]:
    """Bytes allocated/reserved by torch and free/total on the GPU (None on CPU)."""
    if device is None or device.type != "cuda" or not torch.cuda.is_available():
        return {"allocated_bytes": None, "reserved_bytes": None, "free_bytes": None, "total_bytes": None}
    free, total = torch.cuda.mem_get_info(device)
    return {
        "allocated_bytes": torch.cuda.memory_allocated(device),
        "reserved_bytes": torch.cuda.memory_reserved(device),
        "free_bytes": free,
        "total_bytes": total,
    }


def out_of_memory_error(op: str, exc: BaseException, device: torch.device | None) -> WorkerError:
    """Build the ``out_of_memory`` WorkerError for an OOM raised during ``op``."""
    figures = memory_figures(device)
    where = "GPU" if device is not None and device.type == "cuda" else "host"
    return WorkerError(
        OUT_OF_MEMORY,
        f"{op} ran out of {where} memory ({str(exc).splitlines()[0] if str(exc) else type(exc).__name__}); "
        f"try: {OOM_ADVICE[0]}",
        {"op": op, "advice": list(OOM_ADVICE), "memory": figures},
    )


@contextlib.contextmanager
def translate_oom(op: str, device: torch.device | None) -> Iterator[None]:
    """Turn an OOM inside the block into ``WorkerError("out_of_memory")`` and release the cache,
    so the worker survives and the host can retry with smaller settings."""
    try:
        yield
    except torch.cuda.OutOfMemoryError as exc:
        _release_cuda_cache()
        raise out_of_memory_error(op, exc, device) from exc
    except MemoryError as exc:  # host RAM exhausted on the CPU path
        raise out_of_memory_error(op, exc, device) from exc
    except RuntimeError as exc:
        # torch's CPU allocator reports exhaustion as a plain RuntimeError.
        if not _is_allocation_failure(exc):
            raise
        raise out_of_memory_error(op, exc, device) from exc


def _is_allocation_failure(exc: RuntimeError) -> bool:
    text = str(exc)
    return "can't allocate memory" in text or "out of memory" in text.lower()


def _release_cuda_cache() -> None:
    # The exception still references the failed frame's tensors; empty_cache frees what it can.
    if torch.cuda.is_available():
        torch.cuda.empty_cache()


def release_memory() -> None:
    """Collect unreachable tensors (model graphs hold reference cycles) and return cached GPU
    blocks to the driver, e.g. before loading another policy."""
    gc.collect()
    _release_cuda_cache()
