import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { verifierPythonDir } from '../../src/trainer/paths';
import { detectPytest } from '../../src/trainer/mining/python/detect';
import { mineCommandSpec, MINING_LIMITS } from '../../src/trainer/mining/python/pytest-miner';

let ws: string;
beforeEach(() => { ws = mkdtempSync(join(tmpdir(), 'rlvr-detect-')); });
afterEach(() => rmSync(ws, { recursive: true, force: true }));

test('no Python tests: not detected; test files in skipped folders do not count', () => {
  writeFileSync(join(ws, 'main.py'), '');
  mkdirSync(join(ws, '.venv', 'lib'), { recursive: true });
  writeFileSync(join(ws, '.venv', 'lib', 'test_inside_venv.py'), '');
  mkdirSync(join(ws, 'node_modules'));
  writeFileSync(join(ws, 'node_modules', 'test_x.py'), '');
  writeFileSync(join(ws, 'pyproject.toml'), '[project]\nname = "x"\n');
  assert.equal(detectPytest(ws), false);
});

test('test_*.py, *_test.py, conftest.py at any reasonable depth, or a pytest config section: detected', () => {
  mkdirSync(join(ws, 'src', 'pkg', 'tests'), { recursive: true });
  writeFileSync(join(ws, 'src', 'pkg', 'tests', 'strings_test.py'), '');
  assert.equal(detectPytest(ws), true);
  rmSync(join(ws, 'src'), { recursive: true });
  writeFileSync(join(ws, 'pyproject.toml'), '[tool.pytest.ini_options]\ntestpaths = ["t"]\n');
  assert.equal(detectPytest(ws), true);
  rmSync(join(ws, 'pyproject.toml'));
  writeFileSync(join(ws, 'setup.cfg'), '[metadata]\n\n[tool:pytest]\naddopts = -q\n');
  assert.equal(detectPytest(ws), true);
});

test('the mine command runs rlvr_verify from the read-only verifier folder, in the workspace', () => {
  const info = { executable: '/opt/py/bin/python3.11', version: '3.11.2', prefix: '/opt/venv', basePrefix: '/opt/py',
    pathEntries: ['/opt/venv/lib/python3.11/site-packages'], pytestVersion: '8.0.0', pytestError: null };
  const spec = mineCommandSpec(ws, info, false);
  assert.deepEqual(spec.command, ['/opt/py/bin/python3.11', '-m', 'rlvr_verify', 'mine']);
  assert.equal(spec.cwd, ws);
  assert.equal(spec.workspace, ws);
  assert.equal(spec.env?.PYTHONPATH, verifierPythonDir());
  for (const path of ['/opt/venv', '/opt/py', '/opt/py/bin', '/opt/venv/lib/python3.11/site-packages', verifierPythonDir()]) {
    assert.ok(spec.readOnlyPaths?.includes(path), path);
  }
  assert.equal(spec.unsafeNoSandbox, false);
  assert.equal(spec.limits, MINING_LIMITS);
  assert.equal(mineCommandSpec(ws, info, true).unsafeNoSandbox, true);
});
