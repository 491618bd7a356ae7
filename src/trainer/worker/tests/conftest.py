"""Make ``rlvr_worker`` importable when pytest runs from the repo root (``npm run test:python``)."""

import sys
from pathlib import Path

WORKER_DIR = str(Path(__file__).resolve().parents[1])
# The tests folder too: engine tests share builders from tests/tiny_llama.py, and
# --import-mode=importlib (npm run test:python) does not put test folders on sys.path.
TESTS_DIR = str(Path(__file__).resolve().parent)
for path in (WORKER_DIR, TESTS_DIR):
    if path not in sys.path:
        sys.path.insert(0, path)
