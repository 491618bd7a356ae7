"""Which files belong to the workspace under test, and which of those are test files."""
from __future__ import annotations

import fnmatch
import os
import sys
import sysconfig
from typing import Iterable, Optional, Set

# Directory names that never hold workspace sources (virtual envs, caches, VCS, JS deps).
_SKIPPED_DIR_NAMES = {
    ".git", ".hg", ".svn", ".venv", "venv", "env", ".env", ".tox", ".nox", "node_modules",
    "__pycache__", ".mypy_cache", ".pytest_cache", "build", "dist", ".eggs", ".rlvr",
    "site-packages", "dist-packages",
}
_TEST_FILE_PATTERNS = ("test_*.py", "*_test.py", "conftest.py")


def _interpreter_roots() -> Set[str]:
    """Prefixes of the interpreter and its libraries: never workspace code, even when a venv
    lives inside the workspace."""
    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    for key in ("stdlib", "platstdlib", "purelib", "platlib"):
        path = sysconfig.get_paths().get(key)
        if path:
            roots.add(path)
    return {os.path.realpath(r) for r in roots if r}


class Workspace:
    """Classifies paths relative to the workspace root (the current directory at start-up)."""

    def __init__(self, root: str, extra_test_files: Iterable[str] = ()) -> None:
        self.root = os.path.realpath(root)
        self._interpreter_roots = {
            r for r in _interpreter_roots() if not self.root.startswith(r + os.sep) and r != self.root
        }
        self._test_files: Set[str] = {os.path.realpath(p) for p in extra_test_files}
        self._source_cache: dict = {}

    def add_test_files(self, paths: Iterable[str]) -> None:
        """Files pytest collected as test modules (custom ``python_files`` patterns included)."""
        self._test_files.update(os.path.realpath(p) for p in paths)
        self._source_cache.clear()

    def relpath(self, path: str) -> str:
        """Workspace-relative posix path."""
        return os.path.relpath(os.path.realpath(path), self.root).replace(os.sep, "/")

    def abspath(self, rel: str) -> str:
        return os.path.realpath(os.path.join(self.root, rel))

    def contains(self, path: str) -> bool:
        real = os.path.realpath(path)
        return real == self.root or real.startswith(self.root + os.sep)

    def is_test_file(self, path: str) -> bool:
        real = os.path.realpath(path)
        name = os.path.basename(real)
        if real in self._test_files:
            return True
        return any(fnmatch.fnmatchcase(name, pat) for pat in _TEST_FILE_PATTERNS)

    def is_source_file(self, path: Optional[str]) -> bool:
        """A workspace ``.py`` file that is not a test file, not in a venv/cache, not stdlib."""
        if not path:
            return False
        cached = self._source_cache.get(path)
        if cached is not None:
            return cached
        result = self._classify_source(path)
        self._source_cache[path] = result
        return result

    def _classify_source(self, path: str) -> bool:
        if not path.endswith(".py") or path.startswith("<"):
            return False
        real = os.path.realpath(path)
        if not self.contains(real) or self.is_test_file(real):
            return False
        if any(real.startswith(r + os.sep) for r in self._interpreter_roots):
            return False
        parts = os.path.relpath(real, self.root).split(os.sep)[:-1]
        if any(p in _SKIPPED_DIR_NAMES for p in parts):
            return False
        if any(p.startswith(".") for p in parts):
            return False
        return not _is_this_package(real)


_PACKAGE_DIR = os.path.dirname(os.path.realpath(__file__))


def _is_this_package(real: str) -> bool:
    return real.startswith(_PACKAGE_DIR + os.sep)
