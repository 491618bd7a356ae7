"""Static (AST) checks of a candidate: defence in depth in front of the sandbox.

Each finding is a :class:`Flag` with a stable code and a message naming the candidate line.
Findings that the pristine function itself would trigger (same code, same key) are exempt, so the
original body always passes; modules the pristine file imports may be imported again.
"""
from __future__ import annotations

import ast
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, List, Optional, Set, Tuple

from . import flags as F
from .flags import Flag

_EXIT_CALLS = {"sys.exit", "os._exit", "os.abort", "os.kill", "os.killpg", "exit", "quit",
               "builtins.exit", "builtins.quit", "_thread.interrupt_main", "signal.raise_signal"}
_EXIT_EXCEPTIONS = {"SystemExit", "KeyboardInterrupt", "GeneratorExit", "BaseException"}
_FRAMEWORK_MODULES = {"pytest", "_pytest", "unittest", "doctest", "py", "pluggy", "conftest",
                      "rlvr_verify", "builtins", "importlib", "__builtin__"}
_FRAMEWORK_NAMES = {"__builtins__", "__import__", "__loader__", "__spec__"}
_FRAMEWORK_STRINGS = ("conftest", "pytest", "PYTEST", "rlvr_verify", "__builtins__")
_INTROSPECTION_MODULES = {"inspect", "gc", "ctypes", "signal", "traceback", "atexit", "faulthandler",
                          "_ctypes", "tracemalloc", "code", "codeop", "marshal"}
_INTROSPECTION_SYS = {"_getframe", "_current_frames", "settrace", "setprofile", "gettrace",
                      "getprofile", "modules", "meta_path", "path_hooks", "path_importer_cache",
                      "addaudithook", "excepthook", "displayhook", "breakpointhook", "monitoring",
                      "_clear_type_cache", "setswitchinterval"}
_INTROSPECTION_BUILTINS = {"globals", "locals", "vars", "eval", "exec", "compile", "breakpoint"}
_FRAME_ATTRS = {"f_back", "f_globals", "f_locals", "f_builtins", "f_code", "f_trace", "tb_frame",
                "tb_next", "gi_frame", "cr_frame", "ag_frame", "gi_code", "cr_code", "__globals__",
                "__code__", "__closure__", "__subclasses__", "__traceback__", "__builtins__",
                "__loader__", "__spec__"}
_FORBIDDEN_MODULES = {"os", "subprocess", "socket", "shutil", "multiprocessing", "threading",
                      "_thread", "pathlib", "io", "_io", "tempfile", "urllib", "urllib3", "http",
                      "requests", "httpx", "asyncio.subprocess", "pty", "fcntl", "mmap", "select",
                      "selectors", "ssl", "ftplib", "smtplib", "posix", "nt", "resource",
                      "concurrent", "sched", "webbrowser", "glob", "fileinput", "zipfile", "tarfile"}
_FORBIDDEN_CALL_PREFIXES = ("os.system", "os.popen", "os.fork", "os.exec", "os.spawn", "os.posix_spawn",
                            "os.remove", "os.unlink", "os.rmdir", "os.removedirs", "os.rename",
                            "os.replace", "os.chmod", "os.chown", "os.chdir", "os.setsid", "os.setpgid",
                            "os.setpgrp", "os.write", "os.open", "os.dup", "os.environ", "os.putenv",
                            "subprocess.", "socket.", "shutil.", "multiprocessing.", "threading.",
                            "pathlib.", "tempfile.", "urllib.", "http.")
_ALWAYS_EQUAL_STRINGS = {"__eq__", "__ne__", "__bool__", "__hash__"}


def _top(module: str) -> str:
    return module.split(".", 1)[0]


def import_aliases(nodes: Iterable[ast.AST]) -> Dict[str, str]:
    """Local name -> dotted origin for every import in ``nodes`` (walked recursively)."""
    aliases: Dict[str, str] = {}
    for root in nodes:
        for node in ast.walk(root):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.asname:
                        aliases[a.asname] = a.name
                    else:
                        aliases[_top(a.name)] = _top(a.name)
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
    return aliases


def imported_modules(nodes: Iterable[ast.AST]) -> Set[str]:
    """Every module (dotted, with all parents) imported anywhere in ``nodes``."""
    out: Set[str] = set()
    for root in nodes:
        for node in ast.walk(root):
            names: List[str] = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
                names = [node.module]
            for name in names:
                parts = name.split(".")
                out.update(".".join(parts[: i + 1]) for i in range(len(parts)))
    return out


class _Scanner(ast.NodeVisitor):
    def __init__(self, aliases: Dict[str, str], docstrings: Set[int]) -> None:
        self.aliases = aliases
        self.docstrings = docstrings
        self.found: List[Flag] = []
        self.module_names = {k for k, v in aliases.items() if "." not in v or k == _top(v)}

    def flag(self, code: str, node: ast.AST, what: str, key: str) -> None:
        self.found.append(Flag(code, f"line {getattr(node, 'lineno', '?')}: {what}", key))

    def dotted(self, node: ast.AST) -> Optional[str]:
        if isinstance(node, ast.Name):
            return self.aliases.get(node.id, node.id)
        if isinstance(node, ast.Attribute):
            base = self.dotted(node.value)
            return f"{base}.{node.attr}" if base else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "getattr" \
                and len(node.args) >= 2 and isinstance(node.args[1], ast.Constant) \
                and isinstance(node.args[1].value, str):
            base = self.dotted(node.args[0])
            return f"{base}.{node.args[1].value}" if base else None
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "__import__" \
                and node.args and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
            return node.args[0].value
        return None

    # --- imports -------------------------------------------------------------------------
    def visit_Import(self, node: ast.Import) -> None:
        for a in node.names:
            self._check_module(node, a.name)

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        if node.module and not node.level:
            self._check_module(node, node.module)
            for a in node.names:
                self._check_dotted(node, f"{node.module}.{a.name}", called=False, imported=True)
        else:   # relative: fine for package modules, but never the test configuration
            for part in (node.module or "").split(".") + [a.name for a in node.names]:
                if part == "conftest":
                    self.flag(F.TEST_FRAMEWORK_ACCESS, node, "imports conftest", "import:conftest")

    def _check_module(self, node: ast.AST, module: str) -> None:
        parts = module.split(".")
        prefixes = {".".join(parts[: i + 1]) for i in range(len(parts))}
        if prefixes & _FRAMEWORK_MODULES:
            self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"imports {module} (test framework / import machinery)",
                      "import:" + _top(module))
        elif prefixes & _INTROSPECTION_MODULES:
            self.flag(F.INTROSPECTION, node, f"imports {module} (frames, gc, signals or native code)",
                      "import:" + _top(module))
        elif prefixes & _FORBIDDEN_MODULES:
            self.flag(F.FORBIDDEN_IMPORT, node, f"imports {module} (process, network or filesystem access)",
                      "import:" + _top(module))

    # --- names and attributes ------------------------------------------------------------
    def visit_Name(self, node: ast.Name) -> None:
        if node.id in _FRAMEWORK_NAMES:
            self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"uses {node.id}", node.id)
        origin = self.aliases.get(node.id)
        if origin and _top(origin) in _FRAMEWORK_MODULES and isinstance(node.ctx, ast.Load):
            self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"uses {node.id} ({origin})", _top(origin))
        elif node.id in ("pytest", "_pytest", "unittest", "builtins", "importlib") and origin is None:
            self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"uses {node.id}", node.id)

    def visit_Attribute(self, node: ast.Attribute) -> None:
        if node.attr in _FRAME_ATTRS:
            self.flag(F.INTROSPECTION, node, f"accesses .{node.attr} (frames, code objects, globals)", node.attr)
        dotted = self.dotted(node)
        root = self._root_name(node)
        if dotted:
            self._check_dotted(node, dotted, called=False, imported=root in self.aliases)
        if isinstance(node.ctx, (ast.Store, ast.Del)):
            if root in self.module_names:
                self.flag(F.INTROSPECTION, node, f"assigns to an attribute of module {self.aliases[root]}", "module_setattr")
        self.generic_visit(node)

    def _check_dotted(self, node: ast.AST, dotted: str, called: bool, imported: bool) -> None:
        """``imported``: the leftmost name is an import (not a local variable that merely shares
        a module's name, like ``signal`` or ``code``)."""
        head, _, rest = dotted.partition(".")
        if head == "sys" and rest.split(".")[0] in _INTROSPECTION_SYS:
            self.flag(F.INTROSPECTION, node, f"uses sys.{rest.split('.')[0]}", f"sys.{rest.split('.')[0]}")
        elif head in _INTROSPECTION_MODULES and imported:
            self.flag(F.INTROSPECTION, node, f"uses {dotted}", head)
        if called and dotted.startswith(_FORBIDDEN_CALL_PREFIXES):
            self.flag(F.FORBIDDEN_IMPORT, node, f"calls {dotted} (process, network or filesystem access)", dotted)

    @staticmethod
    def _root_name(node: ast.AST) -> Optional[str]:
        while isinstance(node, (ast.Attribute, ast.Subscript)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    # --- calls, raises, assignments --------------------------------------------------------
    def visit_Call(self, node: ast.Call) -> None:
        dotted = self.dotted(node.func)
        if dotted in _EXIT_CALLS:
            self.flag(F.EXIT_CALL, node, f"calls {dotted}()", dotted)
        if isinstance(node.func, ast.Name) and node.func.id in _INTROSPECTION_BUILTINS \
                and node.func.id not in self.aliases:
            if not (node.func.id == "vars" and node.args):
                self.flag(F.INTROSPECTION, node, f"calls {node.func.id}() (dynamic code or namespaces)", node.func.id)
        if isinstance(node.func, ast.Name) and node.func.id in ("setattr", "delattr") and node.args:
            target = self.dotted(node.args[0])
            if target and (_top(target) in self.module_names or target in self.aliases.values()):
                self.flag(F.INTROSPECTION, node, f"{node.func.id}() on module {target}", "module_setattr")
        if dotted:
            self._check_dotted(node, dotted, called=True, imported=self._root_name(node.func) in self.aliases)
        self.generic_visit(node)

    def visit_Raise(self, node: ast.Raise) -> None:
        exc = node.exc.func if isinstance(node.exc, ast.Call) else node.exc
        name = self.dotted(exc) if exc is not None else None
        if name and name.split(".")[-1] in _EXIT_EXCEPTIONS:
            self.flag(F.EXIT_CALL, node, f"raises {name}", name.split(".")[-1])
        if name and (name.endswith("SkipTest") or name.startswith(("pytest.", "unittest."))):
            self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"raises {name}", "SkipTest")
        self.generic_visit(node)

    def visit_ClassDef(self, node: ast.ClassDef) -> None:
        for base in node.bases:
            name = self.dotted(base)
            if name and name.split(".")[-1] in _EXIT_EXCEPTIONS:
                self.flag(F.EXIT_CALL, node, f"class {node.name} derives from {name}", name.split(".")[-1])
        for stmt in node.body:
            self._check_dunder(node, stmt)
        self.generic_visit(node)

    def _check_dunder(self, cls: ast.ClassDef, stmt: ast.stmt) -> None:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
            name, returns = stmt.name, _returned_constants(stmt)
        elif isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name):
            name = stmt.targets[0].id
            returns = [stmt.value.body] if isinstance(stmt.value, ast.Lambda) else None
            returns = [r.value if isinstance(r, ast.Constant) else _NOT_CONST for r in returns] if returns else None
        else:
            return
        if name == "__bool__":
            self.flag(F.ALWAYS_EQUAL, stmt, f"class {cls.name} overrides __bool__", "__bool__")
        elif name == "__eq__" and returns and all(r is not _NOT_CONST and bool(r) for r in returns):
            self.flag(F.ALWAYS_EQUAL, stmt, f"class {cls.name}.__eq__ always returns a true constant", "__eq__")
        elif name == "__ne__" and returns and all(r is not _NOT_CONST and not r for r in returns):
            self.flag(F.ALWAYS_EQUAL, stmt, f"class {cls.name}.__ne__ always returns a false constant", "__ne__")

    def visit_Constant(self, node: ast.Constant) -> None:
        if isinstance(node.value, str) and id(node) not in self.docstrings:
            if node.value in _ALWAYS_EQUAL_STRINGS:
                self.flag(F.ALWAYS_EQUAL, node, f"names {node.value} dynamically", node.value)
            for word in _FRAMEWORK_STRINGS:
                if word in node.value:
                    self.flag(F.TEST_FRAMEWORK_ACCESS, node, f"string mentions {word!r}", word)
                    break


_NOT_CONST = object()


def _returned_constants(func: ast.AST) -> List[object]:
    """Values of the function's own ``return`` statements (nested defs excluded); ``_NOT_CONST``
    for non-constant ones; a function with no return returns None."""
    values: List[object] = []
    stack = list(ast.iter_child_nodes(func))
    while stack:
        node = stack.pop()
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        if isinstance(node, ast.Return):
            value = node.value
            values.append(value.value if isinstance(value, ast.Constant) else (None if value is None else _NOT_CONST))
        stack.extend(ast.iter_child_nodes(node))
    return values or [None]


def _docstring_ids(tree: ast.AST) -> Set[int]:
    out: Set[int] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and body \
                and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
            out.add(id(body[0].value))
    return out


def scan(tree: ast.AST, aliases: Dict[str, str]) -> List[Flag]:
    scanner = _Scanner(aliases, _docstring_ids(tree))
    scanner.visit(tree)
    return _dedupe(scanner.found)


def _dedupe(found: List[Flag]) -> List[Flag]:
    seen: Set[Tuple[str, str]] = set()
    out: List[Flag] = []
    for f in found:
        if (f.code, f.message) not in seen:
            seen.add((f.code, f.message))
            out.append(f)
    return out


@dataclass(frozen=True)
class Baseline:
    """What the pristine code already does: computed once per target (the server caches it
    before forking, so children do not walk the whole pristine module again)."""
    module_aliases: Dict[str, str]
    exempt: FrozenSet[Tuple[str, str]]


def baseline_for(pristine_module: ast.Module, pristine_func: ast.AST) -> Baseline:
    module_imports = [n for n in pristine_module.body if isinstance(n, (ast.Import, ast.ImportFrom))]
    module_aliases = import_aliases(module_imports)
    func_aliases = dict(module_aliases)
    func_aliases.update(import_aliases([pristine_func]))
    exempt = {(f.code, f.key) for f in scan(pristine_func, func_aliases)}
    # Re-importing what the pristine file imports adds no capability; *using* it still counts.
    exempt.update((code, "import:" + _top(m)) for m in imported_modules([pristine_module])
                  for code in (F.FORBIDDEN_IMPORT, F.INTROSPECTION, F.TEST_FRAMEWORK_ACCESS))
    return Baseline(module_aliases, frozenset(exempt))


def static_flags(candidate: ast.Module, baseline: Baseline) -> List[Flag]:
    """Flags for the candidate, minus those the pristine function raises itself and imports of
    modules the pristine file already imports."""
    aliases = dict(baseline.module_aliases)
    aliases.update(import_aliases([candidate]))
    return [f for f in scan(candidate, aliases) if (f.code, f.key) not in baseline.exempt]
