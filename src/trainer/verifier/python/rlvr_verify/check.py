"""``check``: parse, static checks and splice — pure, no test is run."""
from __future__ import annotations

import ast
import json
import os
import sys
from dataclasses import dataclass, field
from typing import FrozenSet, Hashable, List, Optional, Set

from . import flags as F
from .candidate import ParsedCandidate, parse_candidate
from .flags import Flag, flags_to_json
from .literals import hardcoded_flags, keys_from_sources, keys_from_test_ids, literal_keys
from .source_index import FunctionSite, SourceIndex
from .splice import Splice, splice
from .static_checks import Baseline, baseline_for, static_flags


class CheckInputError(Exception):
    """The request itself is unusable (missing file, unknown symbol): not the candidate's fault."""


@dataclass
class CheckResult:
    flags: List[Flag]
    site: Optional[FunctionSite] = None
    candidate: Optional[ParsedCandidate] = None
    splice: Optional[Splice] = None
    pristine: Optional[SourceIndex] = field(default=None, repr=False)

    @property
    def ok(self) -> bool:
        return not self.flags and self.splice is not None

    def to_json(self) -> dict:
        return {"ok": self.ok, "flags": flags_to_json(self.flags),
                "spliced": self.splice.text if self.splice else None}


@dataclass(frozen=True)
class PristineBaseline:
    static: Baseline
    literals: FrozenSet[Hashable]


def pristine_baseline(pristine: SourceIndex, symbol: str) -> PristineBaseline:
    """Memoized on the index: the server computes it before forking, children reuse it."""
    key = ("baseline", symbol)
    if key not in pristine.memo:
        site = pristine.find(symbol)
        pristine.memo[key] = PristineBaseline(baseline_for(pristine.tree, site.node), literal_keys(site.node))
    return pristine.memo[key]


def load_pristine(path: str, label: str) -> SourceIndex:
    try:
        with open(path, encoding="utf-8") as fh:
            text = fh.read()
    except OSError as exc:
        raise CheckInputError(f"cannot read target file {label}: {exc.strerror}") from exc
    try:
        return SourceIndex(text, filename=label)
    except SyntaxError as exc:
        raise CheckInputError(f"target file {label} does not parse (line {exc.lineno}: {exc.msg})") from exc


def check_candidate(pristine: SourceIndex, symbol: str, candidate_text: str,
                    expected: Set[Hashable] = frozenset(),  # type: ignore[assignment]
                    static: bool = True) -> CheckResult:
    """Shape checks and splicing always; static checks unless ``static`` is False (used only to
    test the runtime defences on their own)."""
    try:
        site = pristine.find(symbol)
    except LookupError as exc:
        raise CheckInputError(str(exc)) from exc
    cand, flags = parse_candidate(candidate_text, symbol)
    if cand is None:
        return CheckResult(flags, site)
    spliced = splice(pristine.lines, site, cand)
    try:
        SourceIndex(spliced.text, filename=pristine.filename).find(symbol)
    except (SyntaxError, LookupError, RecursionError, MemoryError) as exc:
        line = getattr(exc, "lineno", None)
        where = f"spliced module line {line}" if line else "spliced module"
        return CheckResult([Flag(F.PARSE_ERROR, f"{where}: {getattr(exc, 'msg', exc)}")], site, cand)
    found: List[Flag] = []
    if static:
        baseline = pristine_baseline(pristine, symbol)
        found = static_flags(cand.tree, baseline.static)
        found += hardcoded_flags(cand.tree, baseline.literals, set(expected))
    return CheckResult(found, site, cand, spliced, pristine)


def expected_keys(root: str, literals_file: Optional[str], held_out_file: Optional[str]) -> Set[Hashable]:
    keys: Set[Hashable] = set()
    if literals_file:
        keys |= keys_from_sources(_read_json_list(literals_file))
    if held_out_file:
        keys |= keys_from_test_ids(root, _read_json_list(held_out_file))
    return keys


def _read_json_list(path: str) -> List[str]:
    with open(path, encoding="utf-8") as fh:
        text = fh.read()
    stripped = text.strip()
    if stripped.startswith("["):
        value = json.loads(stripped)
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise CheckInputError(f"{path}: expected a JSON list of strings")
        return value
    return [line for line in text.splitlines() if line.strip()]


def main(args) -> int:
    root = os.getcwd()
    try:
        pristine = load_pristine(os.path.join(root, args.file), args.file)
        with open(args.candidate_file, encoding="utf-8") as fh:
            candidate_text = fh.read()
        expected = expected_keys(root, args.expected_literals_file, args.held_out_tests_file)
        result = check_candidate(pristine, args.symbol, candidate_text, expected)
    except (CheckInputError, ValueError, OSError) as exc:
        sys.stdout.write(json.dumps({"ok": False, "flags": [], "spliced": None, "error": str(exc)}) + "\n")
        return 2
    if args.spliced_output and result.splice is not None:
        with open(args.spliced_output, "w", encoding="utf-8") as fh:
            fh.write(result.splice.text)
    sys.stdout.write(json.dumps(result.to_json()) + "\n")
    return 0
