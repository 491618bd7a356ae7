"""Benchmark peer for `npm run bench -- worker`: plain Hugging Face ``model.generate``.

Loads the same model directory the worker loaded (fp32, SDPA attention, the same thread count) and
samples the same prompts (token ids given by the host, already chat-templated by the worker) with
the same settings: n samples per prompt, temperature, top_p, no top-k, max_new_tokens, KV cache.
It computes no per-token logprobs or entropies (our worker's generate does).

Line protocol, so the host can interleave repetitions with the worker's under the same load:
stdout line 1 is ``{"ready": true, ...}``; then each stdin line ``{"seed": S}`` runs one generate and answers one JSON line
``{"tokens", "seconds", "rows", "stopped_rows"}``. EOF on stdin ends it.
Logs go to stderr.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import torch
from transformers import LlamaForCausalLM


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True, help="model directory (config.json, weights)")
    parser.add_argument("--prompts", required=True, help="JSON file: list of prompt token id lists")
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--n", type=int, required=True, help="samples per prompt")
    parser.add_argument("--max-new-tokens", type=int, required=True)
    parser.add_argument("--temperature", type=float, required=True)
    parser.add_argument("--top-p", type=float, required=True)
    parser.add_argument("--eos", type=int, nargs="+", required=True, help="EOS token ids (the worker's)")
    parser.add_argument("--pad", type=int, required=True, help="pad token id (the worker's)")
    return parser.parse_args()


def left_pad(prompts: list[list[int]], pad: int) -> tuple[torch.Tensor, torch.Tensor]:
    """``[Np, P]`` ids and attention mask, padded on the left as decoder-only generation needs."""
    width = max(len(p) for p in prompts)
    ids = torch.full((len(prompts), width), pad, dtype=torch.long)
    mask = torch.zeros((len(prompts), width), dtype=torch.long)
    for i, prompt in enumerate(prompts):
        ids[i, width - len(prompt) :] = torch.tensor(prompt)
        mask[i, width - len(prompt) :] = 1
    return ids, mask


def generated_tokens(new_tokens: torch.Tensor, eos: set[int]) -> tuple[int, int]:
    """Tokens each row really generated (up to and including its first EOS, as the worker counts
    them; HF pads finished rows to the batch's length) and the number of rows that hit EOS."""
    total, stopped = 0, 0
    for row in new_tokens.tolist():
        end = next((i for i, t in enumerate(row) if t in eos), None)
        total += len(row) if end is None else end + 1
        stopped += end is not None
    return total, stopped


def main() -> None:
    args = parse_args()
    torch.set_num_threads(args.threads)
    with open(args.prompts, encoding="utf-8") as f:
        prompts: list[list[int]] = json.load(f)
    model = LlamaForCausalLM.from_pretrained(args.model, dtype=torch.float32, attn_implementation="sdpa").eval()
    ids, mask = left_pad(prompts, args.pad)
    eos = set(args.eos)
    settings = dict(
        do_sample=True, temperature=args.temperature, top_p=args.top_p, top_k=0,
        max_new_tokens=args.max_new_tokens, num_return_sequences=args.n, use_cache=True,
        eos_token_id=sorted(eos), pad_token_id=args.pad,
    )
    print(json.dumps({"ready": True, "threads": torch.get_num_threads(), "rows": len(prompts) * args.n}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        torch.manual_seed(int(request["seed"]))
        start = time.perf_counter()
        with torch.inference_mode():
            out = model.generate(input_ids=ids, attention_mask=mask, **settings)
        seconds = time.perf_counter() - start
        tokens, stopped = generated_tokens(out[:, ids.shape[1] :], eos)
        print(json.dumps({"tokens": tokens, "seconds": seconds, "rows": out.shape[0], "stopped_rows": stopped}), flush=True)


if __name__ == "__main__":
    main()
