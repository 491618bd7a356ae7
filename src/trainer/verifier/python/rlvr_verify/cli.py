"""Argument parsing for the four commands. Heavy imports (pytest) happen per command."""
from __future__ import annotations

import argparse
from typing import List


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m rlvr_verify")
    sub = parser.add_subparsers(dest="command", required=True)

    mine = sub.add_parser("mine", help="run the tests once, map tests to workspace functions (JSON on stdout)")
    mine.add_argument("pytest_args", nargs=argparse.REMAINDER, help="extra pytest arguments (paths, -k ...)")

    serve = sub.add_parser("serve", help="fork-server: NDJSON requests on stdin, replies on stdout")
    serve.add_argument("--reap-namespace", action="store_true",
                       help="after each candidate kill EVERY process except this server, pid 1 and its "
                            "ancestors; only safe inside a private PID namespace (bwrap --unshare-pid)")
    serve.add_argument("pytest_args", nargs=argparse.REMAINDER, help="extra pytest arguments for collection")

    check = sub.add_parser("check", help="parse + static checks + splice (pure, no test run)")
    _add_candidate_args(check)
    check.add_argument("--spliced-output", help="write the spliced module to this path")

    run = sub.add_parser("run", help="fresh pytest run of listed tests plus a sentinel; JSON report")
    _add_candidate_args(run)
    run.add_argument("--tests-file", required=True, help="JSON list (or one per line) of test ids")
    run.add_argument("--sentinel", required=True, help="name of the always-failing sentinel test")
    run.add_argument("--report", required=True, help="where to write the JSON report")
    run.add_argument("--pristine-file",
                     help="the unmodified target file (when --file is overlaid by the spliced one)")
    return parser


def _add_candidate_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--file", required=True, help="workspace-relative path of the target module")
    p.add_argument("--symbol", required=True, help="qualified name, e.g. slugify or Stack.push")
    p.add_argument("--candidate-file", required=True, help="file holding the candidate def")
    p.add_argument("--expected-literals-file",
                   help="JSON list of Python literal sources expected by held-out tests")
    p.add_argument("--held-out-tests-file",
                   help="JSON list of held-out test ids; their expected literals are extracted")


def main(argv: List[str]) -> int:
    parser = _parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown and args.command not in ("mine", "serve"):
        parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    if args.command == "mine":
        from . import mine
        return mine.main(unknown + _strip_dashdash(args.pytest_args))
    if args.command == "serve":
        from . import serve
        return serve.main(unknown + _strip_dashdash(args.pytest_args), reap_namespace=args.reap_namespace)
    if args.command == "check":
        from . import check
        return check.main(args)
    from . import run
    return run.main(args)


def _strip_dashdash(rest: List[str]) -> List[str]:
    return rest[1:] if rest[:1] == ["--"] else rest
