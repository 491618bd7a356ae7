#!/usr/bin/env bash
# Creates RLVR Studio's Python environment (.venv) for the compute worker and the example
# workspace's tests, and checks the system packages the sandbox needs. Idempotent: re-running only
# installs what is missing (an existing venv is reused; pip is not asked to upgrade anything).
# Usage: bash scripts/setup.sh [--dev]
#   --dev adds what the tests need: trl (the parity oracle and benchmark peer), and the system
#   packages of the end-to-end tests (chromium, ripgrep, libkrb5-dev).
# Environment: RLVR_VENV=DIR puts the venv in DIR instead of <repo>/.venv (the VS Code extension
# keeps it in its global storage, which survives extension updates); RLVR_SETUP_PIP_PROGRESS=1
# shows pip's "Collecting …" lines instead of a quiet install (the extension's progress reads them).
set -euo pipefail
cd "$(dirname "$0")/.."

# System packages: installed when we are root (CI, containers); otherwise the exact command is shown.
system_packages() {
  local missing=()
  for entry in "$@"; do
    local tool=${entry%%:*} package=${entry##*:}
    command -v "$tool" >/dev/null || missing+=("$package")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "setup: installing system packages: ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: missing system packages: ${missing[*]}. Debian/Ubuntu: sudo apt-get install -y ${missing[*]}" >&2
    exit 2
  fi
}
system_packages bwrap:bubblewrap
if [ "${1:-}" = "--dev" ]; then
  system_packages chromium:chromium rg:ripgrep krb5-config:libkrb5-dev
fi

python=${RLVR_PYTHON:-python3}
if ! command -v "$python" >/dev/null; then
  echo "setup: $python not found. Install Python ≥ 3.10 (Debian/Ubuntu: sudo apt-get install python3 python3-venv)." >&2
  exit 2
fi
venv=${RLVR_VENV:-.venv}
pip_output=(--quiet)
[ "${RLVR_SETUP_PIP_PROGRESS:-}" = 1 ] && pip_output=(--progress-bar off)
# A venv whose creation was interrupted has bin/python but no pip: creating it again repairs it.
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -m pip --version >/dev/null 2>&1; then
  echo "setup: creating the venv $venv with $($python --version)"
  "$python" -m venv "$venv" || {
    echo "setup: could not create a venv. Debian/Ubuntu: sudo apt-get install python3-venv" >&2; exit 2; }
  "$venv/bin/python" -m pip install "${pip_output[@]}" --upgrade pip
else
  echo "setup: using the existing venv $venv ($("$venv/bin/python" --version))"
fi
echo "setup: installing the compute worker's requirements (PyTorch is large; the first run takes minutes)"
"$venv/bin/python" -m pip install "${pip_output[@]}" -r src/trainer/worker/requirements.txt
# The venv is also the fallback interpreter for a Python workspace's tests (one without its own .venv).
"$venv/bin/python" -m pip install "${pip_output[@]}" 'pytest>=8,<10'
if [ "${1:-}" = "--dev" ] && [ -f src/trainer/worker/requirements-dev.txt ]; then
  "$venv/bin/python" -m pip install "${pip_output[@]}" -r src/trainer/worker/requirements-dev.txt
fi
# One line the extension's report reads: the build, and when CUDA is not usable, why.
"$venv/bin/python" - <<'PY'
import shutil
import torch
if torch.cuda.is_available():
    detail = torch.cuda.get_device_name(0)
elif getattr(torch.version, "hip", None):
    detail = f"this ROCm {torch.version.hip} build of PyTorch sees no usable AMD GPU (check the ROCm driver with rocm-smi)"
elif torch.version.cuda is None:
    detail = "CPU-only build of PyTorch; to train on an NVIDIA GPU install a CUDA build (https://pytorch.org/get-started/locally/)"
elif shutil.which("nvidia-smi") is None:
    detail = f"this build needs CUDA {torch.version.cuda}, but no NVIDIA driver was found (no nvidia-smi): no GPU, or its driver is not installed"
else:
    detail = f"this build needs CUDA {torch.version.cuda}; nvidia-smi exists but PyTorch sees no usable GPU: the driver may be older than this build needs"
print(f"setup: torch {torch.__version__}; CUDA usable: {torch.cuda.is_available()} ({detail})")
PY
