"""Putting a checked candidate into the live, already imported target module (serve mode).

Preferred: swap the code object of the original function in place (``f.__code__ = new``), so
every reference that tests already hold (``from mod import f``, parametrize values, registries)
runs the candidate, and the original decorators stay wrapped around it. When that is impossible
(the candidate changes the decorators, or the decorated object exposes no ``__wrapped__`` function,
or closure layouts differ) the new object replaces the old one on the module/class, and every
loaded workspace module's global bound to the old object is rebound to the new one.
"""
from __future__ import annotations

import ast
import importlib
import linecache
import os
import sys
import types
from typing import Any, Dict, List, Optional

from .check import CheckResult
from .textops import reindent


class LoadError(Exception):
    """The target module cannot be found or imported."""


def find_loaded_module(path: str) -> Optional[types.ModuleType]:
    real = os.path.realpath(path)
    for module in list(sys.modules.values()):
        file = getattr(module, "__file__", None)
        if file and os.path.realpath(file) == real:
            return module
    return None


def import_by_path(path: str) -> types.ModuleType:
    """The module for ``path``, importing it under the dotted name a ``sys.path`` entry gives it."""
    module = find_loaded_module(path)
    if module is not None:
        return module
    real = os.path.realpath(path)
    errors: List[str] = []
    for entry in list(sys.path):
        base = os.path.realpath(entry or os.getcwd())
        if not real.startswith(base + os.sep):
            continue
        parts = os.path.relpath(real, base)[:-3].split(os.sep)
        if parts[-1] == "__init__":
            parts = parts[:-1]
        if not parts or not all(p.isidentifier() for p in parts):
            continue
        name = ".".join(parts)
        try:
            module = importlib.import_module(name)
        except Exception as exc:  # noqa: BLE001 - report every attempt
            errors.append(f"{name}: {type(exc).__name__}: {exc}")
            continue
        if os.path.realpath(getattr(module, "__file__", "") or "") == real:
            return module
    detail = "; ".join(errors) or "no sys.path entry contains it"
    raise LoadError(f"cannot import target module {path} ({detail})")


class _ClassHost:
    """Metaclass stand-in: runs a class body pre-filled with the real class's namespace (so
    decorators defined in the class resolve), points ``__class__`` cells at the real class (so
    zero-argument ``super()`` works) and returns the real class unchanged."""

    def __init__(self, real: type, inner: Optional["_ClassHost"], inner_key: str) -> None:
        self.real, self.inner, self.inner_key = real, inner, inner_key
        self.namespace: Dict[str, Any] = {}

    def __prepare__(self, name, bases, **kw):  # noqa: N805 - called on the instance
        ns = dict(self.real.__dict__)
        if self.inner is not None:
            ns[self.inner_key] = self.inner
        return ns

    def __call__(self, name, bases, ns, **kw):
        cell = ns.get("__classcell__")
        if cell is not None:
            cell.cell_contents = self.real
        self.namespace = ns
        return self.real


def install_candidate(module: types.ModuleType, result: CheckResult) -> str:
    """Load the checked candidate into ``module``; returns "swap" or "replace"."""
    assert result.splice is not None and result.site is not None and result.candidate is not None
    site, spliced, cand = result.site, result.splice, result.candidate
    filename = module.__file__ or site.symbol
    lines = spliced.text.splitlines(keepends=True)
    # Tracebacks then show the candidate's lines, not the pristine file's.
    linecache.cache[filename] = (len(spliced.text), None, lines, filename)
    if cand.imports:
        exec(compile(cand.import_text, filename, "exec"), module.__dict__)
    owner: Any = module
    for cls_node in site.classes:
        owner = owner.__dict__[cls_node.name]
    new_obj = _build(module, site, spliced, lines, filename)
    name = site.name
    old_obj = owner.__dict__.get(name)
    same_decorators = spliced.kept_decorators or _decorators_equal(result)
    if old_obj is not None and same_decorators and _swap_code(old_obj, new_obj, filename, name):
        return "swap"
    setattr(owner, name, new_obj)
    if owner is module and old_obj is not None:
        _rebind(old_obj, new_obj)
    return "replace"


def _build(module: types.ModuleType, site, spliced, lines: List[str], filename: str) -> Any:
    """Execute the spliced def block (with its decorators) in the module's globals, inside
    stand-ins for its enclosing classes, and return the resulting function/descriptor."""
    block = "".join(lines[spliced.block_start - 1:spliced.block_end])
    block = reindent(block, spliced.indent, "    " * len(site.classes))
    real_classes: List[type] = []
    cls: Any = module
    for node in site.classes:
        cls = cls.__dict__[node.name]
        real_classes.append(cls)
    hosts: List[_ClassHost] = []
    inner: Optional[_ClassHost] = None
    for depth in range(len(real_classes) - 1, -1, -1):   # innermost first: each holds the next
        inner = _ClassHost(real_classes[depth], inner, f"__rlvr_host_{depth + 1}__")
        hosts.insert(0, inner)
    header = ["    " * depth + f"class {node.name}(metaclass=__rlvr_host_{depth}__):\n"
              for depth, node in enumerate(site.classes)]
    tree = ast.parse("".join(header) + block, filename=filename)
    ast.increment_lineno(tree, spliced.block_start - 1 - len(header))
    namespace: Dict[str, Any] = {"__rlvr_host_0__": hosts[0]} if hosts else {}
    exec(compile(tree, filename, "exec"), module.__dict__, namespace)
    return hosts[-1].namespace[site.name] if hosts else namespace[site.name]


def _decorators_equal(result: CheckResult) -> bool:
    cand = result.candidate.func.decorator_list  # type: ignore[union-attr]
    orig = result.site.node.decorator_list  # type: ignore[union-attr]
    return [ast.dump(d) for d in cand] == [ast.dump(d) for d in orig]


def _innermost_function(obj: Any) -> Optional[types.FunctionType]:
    if isinstance(obj, (staticmethod, classmethod)):
        obj = obj.__func__
    elif isinstance(obj, property):
        obj = obj.fget
    for _ in range(50):          # functools.wraps / lru_cache chains
        if not hasattr(obj, "__wrapped__"):
            break
        obj = obj.__wrapped__
    return obj if isinstance(obj, types.FunctionType) else None


def _swap_code(old_obj: Any, new_obj: Any, filename: str, name: str) -> bool:
    old_fn, new_fn = _innermost_function(old_obj), _innermost_function(new_obj)
    if old_fn is None or new_fn is None or type(old_obj) is not type(new_obj):
        return False
    if old_fn.__name__ != name or old_fn.__code__.co_freevars != new_fn.__code__.co_freevars \
            or os.path.realpath(old_fn.__code__.co_filename) != os.path.realpath(filename):
        return False
    old_fn.__code__ = new_fn.__code__
    old_fn.__defaults__ = new_fn.__defaults__
    old_fn.__kwdefaults__ = new_fn.__kwdefaults__
    old_fn.__annotations__ = new_fn.__annotations__
    old_fn.__doc__ = new_fn.__doc__
    clear = getattr(old_obj, "cache_clear", None)
    if callable(clear):
        clear()      # lru_cache results computed by the original body must not leak through
    return True


def _rebind(old_obj: Any, new_obj: Any) -> None:
    """Rebind module globals (``from mod import f`` in tests) from the old object to the new."""
    for mod in list(sys.modules.values()):
        namespace = getattr(mod, "__dict__", None)
        if not isinstance(namespace, dict) or not getattr(mod, "__file__", None):
            continue
        for key, value in list(namespace.items()):
            if value is old_obj:
                namespace[key] = new_obj
