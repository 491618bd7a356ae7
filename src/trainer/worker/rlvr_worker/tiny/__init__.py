"""Tiny model builder: a small Llama-architecture model and byte-level BPE tokenizer, trained
offline on a synthetic corpus of Python function-writing chats (see README.md).

``make_tiny_model(params, ctx)`` is the worker op; ``python -m rlvr_worker.tiny`` the CLI.
Heavy imports (torch, transformers) happen on first use, so importing this package is cheap.
"""

from __future__ import annotations

from typing import Any, Mapping


def make_tiny_model(params: Mapping[str, Any], ctx: Any = None) -> dict[str, Any]:
    """Worker op ``make_tiny_model``: ``{dir, seed?, pretrain_steps?, ...sizes}`` →
    ``{dir, parameters, pretrain_loss, time_s, cached, ...}``.

    Reports ``progress("pretrain", step, total)`` and honours cancellation between steps when
    ``ctx`` is an ``OpContext``. Raises ``WorkerError`` (invalid_params / io_error).
    """
    from ..errors import INVALID_PARAMS, IO_ERROR, WorkerError
    from .build import NotATinyBuildError, build_tiny_model
    from .config import TinyParams, TinyParamsError

    if not isinstance(params, Mapping):
        raise WorkerError(INVALID_PARAMS, f"make_tiny_model: params must be an object, got {type(params).__name__}")
    out_dir = params.get("dir")
    if not isinstance(out_dir, str) or not out_dir:
        raise WorkerError(INVALID_PARAMS, f"make_tiny_model: 'dir' must be a non-empty path string, got {out_dir!r}",
                          {"key": "dir"})
    try:
        tiny_params = TinyParams.from_dict({k: v for k, v in params.items() if k != "dir"})
    except TinyParamsError as err:
        raise WorkerError(INVALID_PARAMS, str(err), {"key": err.key}) from err

    def on_step(step: int, total: int) -> None:
        if ctx is not None:
            ctx.check_cancelled()
            ctx.progress("pretrain", step, total)

    try:
        return build_tiny_model(out_dir, tiny_params, on_step)
    except NotATinyBuildError as err:
        raise WorkerError(INVALID_PARAMS, str(err), {"dir": out_dir}) from err
    except OSError as err:
        raise WorkerError(IO_ERROR, f"make_tiny_model: cannot write the model to {out_dir}: {err}; "
                          "check the path and free disk space", {"dir": out_dir}) from err
