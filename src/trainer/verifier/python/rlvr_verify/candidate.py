"""Parsing a model's candidate and checking its shape: imports, then exactly one def."""
from __future__ import annotations

import ast
import tokenize
from dataclasses import dataclass
from typing import List, Optional, Tuple, Union

from . import flags as F
from .flags import Flag
from .textops import leading_indent, normalize_newlines, reindent

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]


@dataclass(frozen=True)
class ParsedCandidate:
    text: str                  # dedented candidate, "\n" line endings
    tree: ast.Module
    func: FunctionNode
    imports: Tuple[ast.stmt, ...]

    def segment(self, node: ast.AST) -> str:
        lines = self.text.splitlines(keepends=True)
        return "".join(lines[node.lineno - 1:node.end_lineno])  # type: ignore[attr-defined]

    @property
    def def_text(self) -> str:
        """The def with its decorators, at column 0."""
        start = min([d.lineno for d in self.func.decorator_list] + [self.func.lineno])
        lines = self.text.splitlines(keepends=True)
        return "".join(lines[start - 1:self.func.end_lineno])

    @property
    def import_text(self) -> str:
        return "".join(self.segment(node) for node in self.imports)


def parse_candidate(raw: str, symbol: str) -> Tuple[Optional[ParsedCandidate], List[Flag]]:
    """Dedent (methods may come indented), parse, and require ``import``s followed by exactly one
    ``def`` named like the symbol's last component."""
    text = normalize_newlines(raw)
    try:
        text = reindent(text, leading_indent(text), "")
        tree = ast.parse(text)
    except (SyntaxError, tokenize.TokenError, ValueError, MemoryError, RecursionError) as exc:
        return None, [Flag(F.PARSE_ERROR, _syntax_message(exc))]
    name = symbol.rsplit(".", 1)[-1]
    defs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    flags: List[Flag] = []
    if not defs:
        found = ", ".join(_describe(n) for n in tree.body) or "nothing"
        return None, [Flag(F.WRONG_SYMBOL, f"expected a def named {name!r}; found {found}")]
    func = defs[0]
    if func.name != name:
        flags.append(Flag(F.WRONG_SYMBOL, f"line {func.lineno}: def {func.name!r} should be named {name!r}"))
    seen_def = False
    for node in tree.body:
        if node is func:
            seen_def = True
        elif isinstance(node, (ast.Import, ast.ImportFrom)) and not seen_def:
            continue
        else:
            flags.append(Flag(F.EXTRA_TOPLEVEL,
                              f"line {node.lineno}: top-level {_describe(node)} besides the def "
                              "(only imports before one def are allowed)", key=_describe(node)))
    imports = tuple(n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom)) and n.lineno < func.lineno)
    if flags:
        return None, flags
    return ParsedCandidate(text, tree, func, imports), []


def _describe(node: ast.stmt) -> str:
    if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"def {node.name}"
    if isinstance(node, ast.ClassDef):
        return f"class {node.name}"
    if isinstance(node, (ast.Import, ast.ImportFrom)):
        return "import"
    return type(node).__name__.lower() + " statement"


def _syntax_message(exc: BaseException) -> str:
    if isinstance(exc, SyntaxError):
        return f"line {exc.lineno}: {exc.msg}"
    if isinstance(exc, tokenize.TokenError) and exc.args:
        detail = exc.args[1] if len(exc.args) > 1 else ""
        return f"{exc.args[0]} {detail}".strip()
    return f"{type(exc).__name__}: {exc}"
