"""The op table: protocol op name → handler ``(params, ctx) -> dict``.

Engine ops go to one lazily created ``rlvr_worker.engine.Engine`` (importing torch and the engine
takes seconds, and ``hello`` should not wait for it); ``make_tiny_model`` goes to
``rlvr_worker.tiny``. The schema's ``x-ops`` must list exactly these names (a test checks).
"""

from __future__ import annotations

import importlib
import sys
from typing import Any, Callable, Mapping

from .context import OpContext
from .errors import INTERNAL, WorkerError
from .server import Handler

ENGINE_OPS = ("load_policy", "generate", "score", "train_step", "save", "load", "export", "export_onnx")
INSTALL_HINT = "run `{python} -m pip install -r src/trainer/worker/requirements.txt` (or `npm run setup`)"


class LazyEngine:
    """Creates the Engine on the first engine op, so a missing dependency is a typed error for
    that op rather than a worker that never says hello."""

    def __init__(self, factory: Callable[[], Any] | None = None) -> None:
        self._factory = factory or _default_engine_factory
        self._engine: Any = None

    def handler(self, op: str) -> Handler:
        def run(params: dict[str, Any], ctx: OpContext) -> Mapping[str, Any]:
            method = getattr(self._get(), op, None)
            if method is None:
                raise WorkerError(INTERNAL, f"the engine has no method {op!r} (worker bug)", {"op": op})
            return method(params, ctx)

        run.__name__ = op
        return run

    def _get(self) -> Any:
        if self._engine is None:
            self._engine = self._factory()
        return self._engine


def _default_engine_factory() -> Any:
    return _import("rlvr_worker.engine", "Engine")()


def _make_tiny_model(params: dict[str, Any], ctx: OpContext) -> Mapping[str, Any]:
    return _import("rlvr_worker.tiny", "make_tiny_model")(params, ctx)


def _shutdown(_params: dict[str, Any], _ctx: OpContext) -> Mapping[str, Any]:
    return {}  # the server stops after sending this result


def _import(module: str, name: str) -> Any:
    try:
        return getattr(importlib.import_module(module), name)
    except ImportError as exc:
        missing = exc.name or module
        raise WorkerError(
            INTERNAL,
            f"cannot import {module}.{name}: {exc}. If {missing!r} is a dependency, "
            + INSTALL_HINT.format(python=sys.executable),
            {"module": module, "missing": missing},
        ) from exc


def build_handlers(engine: LazyEngine | None = None) -> dict[str, Handler]:
    lazy = engine or LazyEngine()
    table: dict[str, Handler] = {op: lazy.handler(op) for op in ENGINE_OPS}
    table["make_tiny_model"] = _make_tiny_model
    table["shutdown"] = _shutdown
    return table
