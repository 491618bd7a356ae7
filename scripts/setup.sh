#!/usr/bin/env bash
# Creates RLVR Studio's Python environment (.venv) for the compute worker and the example
# workspace's tests, and checks the system packages the sandbox needs. Idempotent: re-running only
# installs what is missing.
# Usage: bash scripts/setup.sh [--dev]
#   --dev adds what the tests need: trl (the parity oracle and benchmark peer), and the system
#   packages of the end-to-end tests (chromium, ripgrep, libkrb5-dev).
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
