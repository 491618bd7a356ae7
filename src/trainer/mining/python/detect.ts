/**
 * Does a workspace have pytest tests? Reads file names and a few config files, runs nothing:
 * pytest's default test file patterns (test_*.py, *_test.py), a conftest.py, or a pytest section
 * in pytest.ini / pyproject.toml / setup.cfg / tox.ini.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SKIPPED_DIRS } from '../file-hashes';

const PYTEST_CONFIG_SECTIONS: [file: string, marker: RegExp][] = [
  ['pytest.ini', /^\s*\[pytest\]/m],
  ['pyproject.toml', /^\s*\[tool\.pytest\.ini_options\]/m],
  ['setup.cfg', /^\s*\[tool:pytest\]/m],
  ['tox.ini', /^\s*\[pytest\]/m],
];

const TEST_FILE = /^(test_.*|.*_test|conftest)\.py$/;
/** Deep enough for src/pkg/sub/tests layouts, shallow enough to stay fast in big trees. */
const MAX_DEPTH = 6;
/** Other virtual environments a user may keep in the workspace (never their tests). */
const SKIPPED_HERE = new Set([...SKIPPED_DIRS, 'venv', 'env', 'site-packages', 'build', 'dist']);

export function hasPytestConfig(workspace: string): boolean {
  return PYTEST_CONFIG_SECTIONS.some(([file, marker]) => {
    const path = join(workspace, file);
    try {
      return existsSync(path) && marker.test(readFileSync(path, 'utf8'));
    } catch {
      return false;
    }
  });
}

export function findPythonTestFile(dir: string, depth = 0): string | null {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return null;
  }
  const file = entries.find((e) => e.isFile() && TEST_FILE.test(e.name));
  if (file) return join(dir, file.name);
  if (depth >= MAX_DEPTH) return null;
  for (const entry of entries) {
    if (!entry.isDirectory() || SKIPPED_HERE.has(entry.name) || entry.name.startsWith('.')) continue;
    const found = findPythonTestFile(join(dir, entry.name), depth + 1);
    if (found) return found;
  }
  return null;
}

export function detectPytest(workspace: string): boolean {
  return hasPytestConfig(workspace) || findPythonTestFile(workspace) !== null;
}
