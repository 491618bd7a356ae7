"""CLI: ``python -m rlvr_worker.tiny --out DIR [--seed N] [--pretrain-steps N] [--threads N]
[--max-pretrain-seconds S] [--sample]``.

Prints the build result as one JSON object on stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys

from .config import DEFAULT_PRETRAIN_STEPS


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m rlvr_worker.tiny", description="Build the tiny demo model offline.")
    parser.add_argument("--out", required=True, help="output directory (reused when it holds the same build)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--pretrain-steps", type=int, default=DEFAULT_PRETRAIN_STEPS, help="0 = random init")
    parser.add_argument("--threads", type=int, default=None, help="torch CPU threads (default: all usable cores)")
    parser.add_argument("--max-pretrain-seconds", type=float, default=None,
                        help="time cap for pretraining (default 330); raise it on slow machines")
    parser.add_argument("--sample", action="store_true", help="print a greedy completion for a held-out prompt")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from .build import NotATinyBuildError, build_tiny_model
    from .config import TinyParams, TinyParamsError

    def on_step(step: int, total: int) -> None:
        if step == total or step % 20 == 0:
            print(f"pretrain {step}/{total}", file=sys.stderr, flush=True)

    try:
        cap = {} if args.max_pretrain_seconds is None else {"max_pretrain_seconds": args.max_pretrain_seconds}
        params = TinyParams(seed=args.seed, pretrain_steps=args.pretrain_steps, cpu_threads=args.threads, **cap)
        result = build_tiny_model(args.out, params, on_step)
    except (TinyParamsError, NotATinyBuildError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    print(json.dumps(result))
    if args.sample:
        print_sample(result["dir"], args.seed)
    return 0


def print_sample(model_dir: str, seed: int) -> None:
    from . import corpus
    from .probe import complete

    messages = corpus.chats(seed * 1000 + 3, 1)[0][:2]  # a prompt from a stream training never saw
    print(messages[1]["content"], file=sys.stderr)
    print("--- greedy completion ---", file=sys.stderr)
    print(complete(model_dir, [messages])[0], file=sys.stderr)


if __name__ == "__main__":
    sys.exit(main())
