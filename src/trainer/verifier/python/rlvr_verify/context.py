"""Prompt context for one function: what a model may see besides the signature and docstring.

Module imports and module-level assignments (constants), then for methods the enclosing class
headers with their docstrings, class-level assignments and the *signatures* of sibling methods
(``...`` bodies). No other function body is ever included.
"""
from __future__ import annotations

import ast
from typing import List

from .source_index import FunctionSite, SourceIndex

_MAX_ASSIGNMENT_LINES = 15


def render_context(index: SourceIndex, site: FunctionSite) -> str:
    parts: List[str] = []
    for stmt in index.tree.body:
        if isinstance(stmt, (ast.Import, ast.ImportFrom)):
            parts.append(index.segment(stmt))
        elif _is_simple_assignment(stmt):
            parts.append(_assignment_text(index, stmt))
    module_part = "".join(parts)
    class_part = "".join(_class_outline(index, cls, site) for cls in site.classes)
    if module_part and class_part:
        return module_part + "\n" + class_part
    return module_part + class_part


def _is_simple_assignment(stmt: ast.stmt) -> bool:
    if isinstance(stmt, ast.Assign):
        return all(isinstance(t, ast.Name) for t in stmt.targets)
    if isinstance(stmt, ast.AnnAssign):
        return isinstance(stmt.target, ast.Name)
    return False


def _assignment_text(index: SourceIndex, stmt: ast.stmt) -> str:
    text = index.segment(stmt)
    if text.count("\n") <= _MAX_ASSIGNMENT_LINES:
        return text
    first = text.splitlines()[0]
    indent = first[: len(first) - len(first.lstrip())]
    names = ", ".join(_target_names(stmt))
    return f"{indent}# {names} = ... ({text.count(chr(10))} lines omitted)\n"


def _target_names(stmt: ast.stmt) -> List[str]:
    if isinstance(stmt, ast.Assign):
        return [t.id for t in stmt.targets if isinstance(t, ast.Name)]
    if isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
        return [stmt.target.id]
    return []


def _class_outline(index: SourceIndex, cls: ast.ClassDef, site: FunctionSite) -> str:
    """Header, docstring, class attributes and sibling method stubs of one enclosing class.
    Nested enclosing classes are rendered by the caller in order, so their own bodies are
    skipped here."""
    out = [index.header_lines(cls)]
    body = cls.body
    if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) \
            and isinstance(body[0].value.value, str):
        out.append(index.segment(body[0]))
        body = body[1:]
    for stmt in body:
        if _is_simple_assignment(stmt):
            out.append(_assignment_text(index, stmt))
        elif isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)) and stmt is not site.node:
            out.append(index.header_lines(stmt).rstrip("\n") + " ...\n")
    return "".join(out)
