#!/usr/bin/env bash
# All tests: build, typecheck, lint, TypeScript unit + integration, Python worker + verifier.
# Every stage runs even if an earlier one failed; the exit code is non-zero if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
failed=()
stage() {
  local name=$1; shift
  echo; echo "=== $name ==="
  if ! "$@"; then failed+=("$name"); fi
}
# Test prerequisites beyond `npm run setup` (idempotent, quick once installed): the dev extras —
# trl for the parity tests, Chromium and friends — and code-server for the end-to-end stage.
prerequisites() {
  bash scripts/setup.sh --dev >/dev/null && bash test/e2e/install-code-server.sh
}
stage prerequisites prerequisites
stage build node scripts/build.mjs
stage typecheck npx --no-install tsc -p .
stage lint npx --no-install eslint src test scripts
stage python env PYTHONPATH=src/trainer/worker:src/trainer/verifier/python PYTHONDONTWRITEBYTECODE=1 \
  .venv/bin/python -m pytest -q -p no:cacheprovider --import-mode=importlib \
  src/trainer/worker/tests src/trainer/verifier/python/tests
stage unit node scripts/run-tests.mjs test/unit
stage integration node scripts/run-tests.mjs test/integration
stage e2e node scripts/run-e2e.mjs   # a real VS Code: code-server + Chromium (test/e2e/README.md)
echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all test stages passed"
