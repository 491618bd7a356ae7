#!/usr/bin/env bash
# Creates RLVR Studio's Python environment (.venv) for the compute worker and the example
# workspace's tests. Idempotent: re-running only installs what is missing.
# Usage: bash scripts/setup.sh [--dev]   (--dev adds the test/benchmark extras: trl)
set -euo pipefail
cd "$(dirname "$0")/.."

python=${RLVR_PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "setup: $python not found. Install Python ≥ 3.10 (Debian/Ubuntu: sudo apt-get install python3 python3-venv)." >&2
  exit 2
fi
if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $($python --version)"
  "$python" -m venv .venv || {
    echo "setup: could not create a venv. Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 2; }
fi
.venv/bin/python -m pip install --quiet --upgrade pip
echo "setup: installing the compute worker's requirements (PyTorch is large; the first run takes minutes)"
.venv/bin/python -m pip install --quiet -r src/trainer/worker/requirements.txt
if [ "${1:-}" = "--dev" ] && [ -f src/trainer/worker/requirements-dev.txt ]; then
  .venv/bin/python -m pip install --quiet -r src/trainer/worker/requirements-dev.txt
fi
.venv/bin/python - <<'PY'
import torch
cuda = torch.cuda.is_available()
print(f"setup: torch {torch.__version__}; CUDA usable: {cuda}" + (f" ({torch.cuda.get_device_name(0)})" if cuda else " (training runs on CPU)"))
PY
if ! command -v bwrap >/dev/null; then
  echo "setup: WARNING: bubblewrap (bwrap) is missing; the verifier needs it to sandbox candidates." >&2
  echo "       Debian/Ubuntu: sudo apt-get install bubblewrap" >&2
fi
