"""``sys.setprofile`` tracer that records which workspace functions a test calls."""
from __future__ import annotations

import sys
import threading
from typing import Dict, Optional, Set

from .source_index import SourceIndex
from .workspace import Workspace

_UNRESOLVED = object()


class SymbolResolver:
    """Maps code objects to ``"<file>::<symbol>"`` for task-eligible workspace functions."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        self.indexes: Dict[str, Optional[SourceIndex]] = {}   # real path -> index (None: unparsable)

    def index_for(self, path: str) -> Optional[SourceIndex]:
        if path not in self.indexes:
            try:
                with open(path, encoding="utf-8") as fh:
                    self.indexes[path] = SourceIndex(fh.read(), filename=path)
            except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
                self.indexes[path] = None
        return self.indexes[path]

    def resolve(self, code) -> Optional[str]:
        filename = code.co_filename
        if not self.workspace.is_source_file(filename):
            return None
        index = self.index_for(filename)
        if index is None:
            return None
        qualname = getattr(code, "co_qualname", None)          # Python >= 3.11
        if qualname is None:
            qualname = index.symbol_at_line(code.co_firstlineno)
        elif index.sites.get(qualname) is None or index.sites[qualname].start_line > code.co_firstlineno \
                or index.sites[qualname].end_line < code.co_firstlineno:
            return None                                          # nested, lambda, comprehension...
        if qualname is None or qualname not in index.sites:
            return None
        return f"{self.workspace.relpath(filename)}::{qualname}"


class CallTracer:
    """Records resolved callees while active; ``begin``/``pause`` bracket a test's phases."""

    def __init__(self, resolver: SymbolResolver) -> None:
        self._resolver = resolver
        self._cache: Dict[object, object] = {}
        self._current: Optional[Set[str]] = None
        self.calls: Dict[str, Set[str]] = {}

    def begin(self, test_id: str) -> None:
        self._current = self.calls.setdefault(test_id, set())
        threading.setprofile(self._profile)
        sys.setprofile(self._profile)

    def pause(self) -> None:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]
        self._current = None

    def _profile(self, frame, event, _arg) -> None:
        if event != "call":
            return
        code = frame.f_code
        key = self._cache.get(code, _UNRESOLVED)
        if key is _UNRESOLVED:
            key = self._resolver.resolve(code)
            self._cache[code] = key
        current = self._current
        if key is not None and current is not None:
            current.add(key)  # type: ignore[arg-type]
