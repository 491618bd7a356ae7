"""Expected values of held-out tests, and the ``hardcoded_expected`` check against them.

Expected values are the literal sides of ``assert <expr> == <literal>`` (either order), of
``self.assertEqual(x, <literal>)``, and, when that side is a ``parametrize`` argument, the literal
values given for it. Trivial literals (None, booleans, 0, 1, -1, empty or one-character strings,
empty containers) never count."""
from __future__ import annotations

import ast
import os
from typing import Any, Dict, FrozenSet, Hashable, Iterable, List, Optional, Set

from . import flags as F
from .flags import Flag

_TRIVIAL_NUMBERS = {0, 1, -1}
_ASSERT_EQUAL_METHODS = {"assertEqual", "assertEquals", "assertListEqual", "assertTupleEqual",
                         "assertDictEqual", "assertSetEqual", "assertCountEqual", "assertAlmostEqual"}


def canonical(value: Any) -> Optional[Hashable]:
    """Hashable key comparing like ``==`` for literal values; None for trivial values."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, (int, float, complex)):
        return None if value in _TRIVIAL_NUMBERS else ("num", value)
    if isinstance(value, (str, bytes)):
        return None if len(value) <= 1 else (type(value).__name__, value)
    if isinstance(value, (list, tuple)):
        if not value:
            return None
        return (type(value).__name__, tuple(_any_key(v) for v in value))
    if isinstance(value, (set, frozenset)):
        return ("set", frozenset(_any_key(v) for v in value)) if value else None
    if isinstance(value, dict):
        return ("dict", frozenset((_any_key(k), _any_key(v)) for k, v in value.items())) if value else None
    return None


def _any_key(value: Any) -> Hashable:
    key = canonical(value)
    return key if key is not None else ("trivial", repr(value))


def _literal(node: ast.AST) -> Any:
    try:
        return ast.literal_eval(node)
    except (ValueError, TypeError, SyntaxError, MemoryError, RecursionError):
        return _MISSING


_MISSING = object()


def keys_from_sources(sources: Iterable[str]) -> Set[Hashable]:
    """Keys for ``expected_literals`` given as Python literal sources, e.g. ``"'a-b'"``.
    Raises ValueError naming the first source that is not a literal."""
    keys: Set[Hashable] = set()
    for src in sources:
        try:
            value = ast.literal_eval(src)
        except (ValueError, SyntaxError) as exc:
            raise ValueError(f"expected_literals entry {src!r} is not a Python literal: {exc}") from exc
        key = canonical(value)
        if key is not None:
            keys.add(key)
    return keys


def keys_from_test_ids(root: str, test_ids: Iterable[str]) -> Set[Hashable]:
    """Expected-value keys extracted from the source of the given pytest node ids."""
    keys: Set[Hashable] = set()
    trees: Dict[str, Optional[ast.Module]] = {}
    for test_id in test_ids:
        path, *names = test_id.split("::")
        if not names:
            continue
        if path not in trees:
            trees[path] = _parse_file(os.path.join(root, path))
        tree = trees[path]
        func = _find_test(tree, names) if tree is not None else None
        if func is not None:
            keys.update(k for k in (canonical(v) for v in expected_values(func)) if k is not None)
    return keys


def _parse_file(path: str) -> Optional[ast.Module]:
    try:
        with open(path, encoding="utf-8") as fh:
            return ast.parse(fh.read(), filename=path)
    except (OSError, SyntaxError, UnicodeDecodeError, ValueError):
        return None


def _find_test(tree: ast.Module, names: List[str]) -> Optional[ast.AST]:
    body: List[ast.stmt] = tree.body
    for i, name in enumerate(names):
        name = name.split("[", 1)[0]
        match = next((n for n in body if isinstance(n, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
                      and n.name == name), None)
        if match is None:
            return None
        if i == len(names) - 1:
            return match
        body = getattr(match, "body", [])
    return None


def expected_values(func: ast.AST) -> List[Any]:
    params = _parametrize_values(func)
    values: List[Any] = []
    for node in ast.walk(func):
        sides: List[ast.AST] = []
        if isinstance(node, ast.Assert) and isinstance(node.test, ast.Compare) \
                and len(node.test.ops) == 1 and isinstance(node.test.ops[0], (ast.Eq, ast.Is)):
            sides = [node.test.left, node.test.comparators[0]]
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in _ASSERT_EQUAL_METHODS and len(node.args) >= 2:
            sides = node.args[:2]
        for side in sides:
            value = _literal(side)
            if value is not _MISSING:
                values.append(value)
            elif isinstance(side, ast.Name) and side.id in params:
                values.extend(params[side.id])
    return values


def _parametrize_values(func: ast.AST) -> Dict[str, List[Any]]:
    """argname -> literal values from ``@pytest.mark.parametrize(names, rows)`` decorators."""
    out: Dict[str, List[Any]] = {}
    for deco in getattr(func, "decorator_list", []):
        if not (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)
                and deco.func.attr == "parametrize" and len(deco.args) >= 2):
            continue
        names = _literal(deco.args[0])
        if isinstance(names, str):
            names = [n.strip() for n in names.split(",") if n.strip()]
        if not isinstance(names, (list, tuple)) or not isinstance(deco.args[1], (ast.List, ast.Tuple)):
            continue
        for row in deco.args[1].elts:
            if isinstance(row, ast.Call) and getattr(row.func, "attr", "") == "param":
                cells = list(row.args)
            elif len(names) > 1 and isinstance(row, (ast.Tuple, ast.List)):
                cells = list(row.elts)
            else:
                cells = [row]
            for name, cell in zip(names, cells):
                value = _literal(cell)
                if value is not _MISSING:
                    out.setdefault(str(name), []).append(value)
    return out


def literal_keys(tree: ast.AST) -> FrozenSet[Hashable]:
    return frozenset(k for _, k in _literal_nodes(tree))


def hardcoded_flags(candidate: ast.Module, allowed: FrozenSet[Hashable], expected: Set[Hashable]) -> List[Flag]:
    """Candidate literals equal to a held-out expected value, unless ``allowed`` (the literals
    of the pristine function) contains the same literal."""
    if not expected:
        return []
    flags: List[Flag] = []
    seen: Set[Hashable] = set()
    for node, key in _literal_nodes(candidate):
        if key in expected and key not in allowed and key not in seen:
            seen.add(key)
            shown = ast.unparse(node) if hasattr(ast, "unparse") else repr(key)
            flags.append(Flag(F.HARDCODED_EXPECTED,
                              f"line {node.lineno}: literal {shown[:80]} equals an expected value of a "
                              "held-out test", key=repr(key)))
    return flags


def _literal_nodes(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, (ast.Constant, ast.List, ast.Tuple, ast.Set, ast.Dict, ast.UnaryOp)):
            value = _literal(node)
            if value is _MISSING:
                continue
            key = canonical(value)
            if key is not None:
                yield node, key
