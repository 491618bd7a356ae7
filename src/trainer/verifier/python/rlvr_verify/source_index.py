"""Index of the functions and methods defined in one Python source file (via ``ast``).

Tasks are top-level functions and methods of (possibly nested) top-level classes. Functions nested
in functions are not tasks; a name defined twice in the same scope (overloads, property setters)
is ambiguous and not a task either.
"""
from __future__ import annotations

import ast
import io
import tokenize
from dataclasses import dataclass
from typing import Dict, List, Optional, Set, Tuple, Union

FunctionNode = Union[ast.FunctionDef, ast.AsyncFunctionDef]


@dataclass(frozen=True)
class FunctionSite:
    symbol: str                      # qualified name: "slugify", "Stack.push", "Outer.Inner.m"
    node: FunctionNode
    classes: Tuple[ast.ClassDef, ...]  # enclosing classes, outermost first
    start_line: int                  # first decorator line (1-based)
    def_line: int                    # the ``def`` line
    end_line: int                    # last line of the body (inclusive)

    @property
    def kind(self) -> str:
        return "method" if self.classes else "function"

    @property
    def name(self) -> str:
        return self.node.name


class SourceIndex:
    """Parses ``text`` once; raises ``SyntaxError`` when the file does not parse."""

    def __init__(self, text: str, filename: str = "<source>") -> None:
        self.text = text
        self.filename = filename
        self.lines: List[str] = text.splitlines(keepends=True)
        self.tree = ast.parse(text, filename=filename)
        self.sites: Dict[str, FunctionSite] = {}
        self.ambiguous: Set[str] = set()
        self._by_line: Dict[int, str] = {}
        self.memo: Dict[object, object] = {}   # derived data cached by its users (see check.py)
        self._walk(self.tree.body, ())

    def _walk(self, body: List[ast.stmt], classes: Tuple[ast.ClassDef, ...]) -> None:
        prefix = "".join(c.name + "." for c in classes)
        for stmt in body:
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                self._add(prefix + stmt.name, stmt, classes)
            elif isinstance(stmt, ast.ClassDef):
                self._walk(stmt.body, classes + (stmt,))

    def _add(self, symbol: str, node: FunctionNode, classes: Tuple[ast.ClassDef, ...]) -> None:
        start = min([d.lineno for d in node.decorator_list] + [node.lineno])
        end = node.end_lineno or node.lineno
        if symbol in self.sites or symbol in self.ambiguous:
            self.sites.pop(symbol, None)
            self.ambiguous.add(symbol)
            return
        self.sites[symbol] = FunctionSite(symbol, node, classes, start, node.lineno, end)
        # co_firstlineno is the first decorator's line on 3.8+; map the def line too.
        self._by_line[start] = symbol
        self._by_line[node.lineno] = symbol

    def symbol_at_line(self, first_line: int) -> Optional[str]:
        """Qualified name of the function whose code object starts at ``first_line``."""
        symbol = self._by_line.get(first_line)
        return symbol if symbol in self.sites else None

    def find(self, symbol: str) -> FunctionSite:
        site = self.sites.get(symbol)
        if site is not None:
            return site
        if symbol in self.ambiguous:
            raise LookupError(
                f"{symbol!r} is defined more than once in {self.filename} (overloads or a property "
                "setter?); it cannot be replaced unambiguously"
            )
        known = ", ".join(sorted(self.sites)[:20]) or "none"
        raise LookupError(f"no function {symbol!r} in {self.filename}; known: {known}")

    def header_text(self, node: Union[FunctionNode, ast.ClassDef]) -> str:
        """Source of a ``def``/``class`` header (no decorators), up to and including the colon
        that opens the body, continuation lines dedented by the header's own indentation."""
        end_line, end_col = _header_end(self.lines, node.lineno, node.col_offset)
        chunk = self.lines[node.lineno - 1:end_line]
        chunk[-1] = chunk[-1][:end_col]
        chunk[0] = chunk[0][node.col_offset:]
        indent = node.col_offset
        rest = [ln[indent:] if ln[:indent].strip() == "" else ln.lstrip() for ln in chunk[1:]]
        return "".join([chunk[0]] + rest).rstrip()

    def header_lines(self, node: Union[FunctionNode, ast.ClassDef]) -> str:
        """Like :meth:`header_text` but whole original lines (indentation kept) from the first
        decorator, cut after the colon on the last header line."""
        start = min([d.lineno for d in node.decorator_list] + [node.lineno])
        end_line, end_col = _header_end(self.lines, node.lineno, node.col_offset)
        chunk = self.lines[start - 1:end_line]
        chunk[-1] = chunk[-1][:end_col]
        return "".join(chunk).rstrip() + "\n"

    def segment(self, node: ast.AST) -> str:
        """Whole original lines spanned by ``node`` (indentation kept)."""
        first = getattr(node, "lineno")
        last = getattr(node, "end_lineno", None) or first
        return "".join(self.lines[first - 1:last])


def _header_end(lines: List[str], lineno: int, col: int) -> Tuple[int, int]:
    """(line, column just past the colon) ending the header that starts at (lineno, col)."""
    # Tokenize from the header start; headers longer than 200 lines are not worth supporting.
    text = lines[lineno - 1][col:] + "".join(lines[lineno:lineno + 200])
    depth = 0
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type != tokenize.OP:
                continue
            if tok.string in "([{":
                depth += 1
            elif tok.string in ")]}":
                depth -= 1
            elif tok.string == ":" and depth == 0:
                row, tcol = tok.end
                return lineno + row - 1, tcol + (col if row == 1 else 0)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    first = lines[lineno - 1]
    return lineno, len(first.rstrip("\r\n"))
