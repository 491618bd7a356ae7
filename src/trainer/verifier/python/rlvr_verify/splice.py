"""Text-level splicing of a candidate def into the pristine module."""
from __future__ import annotations

from dataclasses import dataclass
from typing import List

from .candidate import ParsedCandidate
from .source_index import FunctionSite
from .textops import reindent


@dataclass(frozen=True)
class Splice:
    text: str            # the whole spliced module
    block_start: int     # 1-based line where the replaced def block (decorators incl.) starts
    block_end: int       # inclusive
    indent: str          # indentation of the def inside the module
    kept_decorators: bool  # the candidate had none, so the pristine decorators were kept


def splice(pristine_lines: List[str], site: FunctionSite, cand: ParsedCandidate) -> Splice:
    """Replace the target def by the candidate's, keeping the pristine indentation.

    A candidate without decorators replaces only ``def`` .. end and keeps the pristine decorators
    (prompts show signatures without them); one with decorators replaces them too. The
    candidate's imports go to module level, right before the target (or before its outermost
    class for methods), where they are valid Python."""
    def_line = pristine_lines[site.def_line - 1]
    indent = def_line[: len(def_line) - len(def_line.lstrip())]
    kept = not cand.func.decorator_list
    replace_from = site.def_line if kept else site.start_line
    block = reindent(cand.def_text, "", indent)
    if not block.endswith("\n"):
        block += "\n"
    lines = list(pristine_lines)
    if lines and not lines[-1].endswith("\n"):
        lines[-1] += "\n"
    block_lines = block.splitlines(keepends=True)
    lines[replace_from - 1:site.end_line] = block_lines
    block_start = (site.start_line if kept else replace_from)
    block_end = replace_from + len(block_lines) - 1
    imports = cand.import_text
    if imports:
        anchor = site.classes[0] if site.classes else site.node
        anchor_line = min([d.lineno for d in anchor.decorator_list] + [anchor.lineno])
        import_lines = imports.splitlines(keepends=True)
        lines[anchor_line - 1:anchor_line - 1] = import_lines
        block_start += len(import_lines)
        block_end += len(import_lines)
    return Splice("".join(lines), block_start, block_end, indent, kept)
