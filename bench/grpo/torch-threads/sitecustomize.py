"""Bench-only (`npm run bench -- grpo --torch-threads N`): caps the compute worker's torch threads.

The controller always asks the worker for every usable core (train-setup.ts sends cpu_threads
null), and no setting changes that yet; this file, put on PYTHONPATH by bench/grpo.ts with
RLVR_BENCH_TORCH_THREADS set, lets the benchmark measure what such a setting would give. It acts
only in a `python -m rlvr_worker` process and does nothing anywhere else.
"""

import os
import sys

_CAP = os.environ.get("RLVR_BENCH_TORCH_THREADS")
if _CAP and sys.orig_argv[1:3] == ["-m", "rlvr_worker"]:
    import torch

    _set = torch.set_num_threads
    torch.set_num_threads = lambda n: _set(min(int(n), int(_CAP)))
    print(f"bench: worker torch threads capped at {_CAP}", file=sys.stderr, flush=True)
