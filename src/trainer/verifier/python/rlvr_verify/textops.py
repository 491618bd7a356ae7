"""Indentation changes that never alter the contents of multi-line string literals."""
from __future__ import annotations

import io
import tokenize
from typing import List, Set


def string_continuation_lines(text: str) -> Set[int]:
    """1-based numbers of lines that begin inside a multi-line string (their leading whitespace is
    part of the string's value). Raises ``tokenize.TokenError``/``SyntaxError`` on broken text."""
    protected: Set[int] = set()
    if '"""' not in text and "'''" not in text and "\\\n" not in text:
        return protected     # no string can span lines: skip tokenizing (it is the costly part)
    fstring_starts: List[int] = []
    for tok in tokenize.generate_tokens(io.StringIO(text).readline):
        name = tokenize.tok_name.get(tok.type, "")
        if name == "FSTRING_START":          # Python >= 3.12 tokenizes f-strings in pieces
            fstring_starts.append(tok.start[0])
        elif name == "FSTRING_END" and fstring_starts:
            protected.update(range(fstring_starts.pop() + 1, tok.end[0] + 1))
        elif tok.type == tokenize.STRING and tok.end[0] > tok.start[0]:
            protected.update(range(tok.start[0] + 1, tok.end[0] + 1))
    return protected


def leading_indent(text: str) -> str:
    """Indentation of the first line that holds code (not blank, not a comment)."""
    for line in text.splitlines():
        stripped = line.lstrip()
        if stripped and not stripped.startswith("#"):
            return line[: len(line) - len(stripped)]
    return ""


def reindent(text: str, old: str, new: str) -> str:
    """Replace the ``old`` indentation prefix by ``new`` on every code line. Lines inside
    multi-line strings are left untouched; blank lines become empty; lines not starting with
    ``old`` (possible only for comments or broken code) are left as they are."""
    protected = string_continuation_lines(text)
    out: List[str] = []
    for number, line in enumerate(text.splitlines(keepends=True), start=1):
        if number in protected:
            out.append(line)
        elif line.strip() == "":
            out.append("\n" if line.endswith("\n") else "")
        elif line.startswith(old):
            out.append(new + line[len(old):])
        else:
            out.append(line)
    return "".join(out)


def normalize_newlines(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text if text.endswith("\n") else text + "\n"
