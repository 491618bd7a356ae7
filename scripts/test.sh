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
stage build node scripts/build.mjs
stage typecheck npx --no-install tsc -p .
stage lint npx --no-install eslint src test scripts
stage python env PYTHONPATH=src/trainer/worker:src/trainer/verifier/python PYTHONDONTWRITEBYTECODE=1 \
  .venv/bin/python -m pytest -q -p no:cacheprovider --import-mode=importlib \
  src/trainer/worker/tests src/trainer/verifier/python/tests
stage unit node scripts/run-tests.mjs test/unit
stage integration node scripts/run-tests.mjs test/integration
echo
if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED stages: ${failed[*]}"
  exit 1
fi
echo "all test stages passed"
