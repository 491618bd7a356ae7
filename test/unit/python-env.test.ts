import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { parseProbe, requirePytest, resolveTestInterpreter, studioVenvDirs, type InterpreterInfo } from '../../src/trainer/python-env';
import { findPythonInterpreter } from '../../src/trainer/worker-client/python';

const existing = (paths: string[]) => (p: string): boolean => paths.includes(p);

test('an explicit interpreter wins over every venv', () => {
  const r = resolveTestInterpreter({ explicit: '/opt/py/bin/python3', workspace: '/ws', studioDir: '/studio',
    isExecutable: existing(['/opt/py/bin/python3', '/ws/.venv/bin/python', '/studio/.venv/bin/python']) });
  assert.deepEqual(r, { path: '/opt/py/bin/python3', source: 'explicit' });
});

test('an explicit bare name is looked up on PATH', () => {
  const r = resolveTestInterpreter({ explicit: 'python3.12', workspace: '/ws', studioDir: '/studio', pathEnv: '/a:/b',
    isExecutable: existing(['/b/python3.12']) });
  assert.deepEqual(r, { path: '/b/python3.12', source: 'explicit' });
});

test('a missing explicit interpreter is an error, not a fall-through', () => {
  assert.throws(
    () => resolveTestInterpreter({ explicit: '/nope/python', workspace: '/ws', studioDir: '/studio',
      isExecutable: existing(['/ws/.venv/bin/python']) }),
    (e: unknown) => e instanceof RlvrError && e.code === 'interpreter_not_found' && e.message.includes('/nope/python'),
  );
});

test('order: workspace venv, then studio venv, then python3 on PATH', () => {
  const base = { workspace: '/ws', studioDir: '/studio', pathEnv: '/usr/bin' };
  assert.equal(resolveTestInterpreter({ ...base, isExecutable: existing(['/ws/.venv/bin/python', '/studio/.venv/bin/python']) }).source, 'workspace-venv');
  assert.equal(resolveTestInterpreter({ ...base, isExecutable: existing(['/studio/.venv/bin/python', '/usr/bin/python3']) }).source, 'studio-venv');
  assert.deepEqual(resolveTestInterpreter({ ...base, explicit: '  ', isExecutable: existing(['/usr/bin/python3']) }),
    { path: '/usr/bin/python3', source: 'path' });
});

test('RLVR_STUDIO_VENV (the extension\'s venv) comes after the workspace venv and before <root>/.venv', () => {
  const base = { workspace: '/ws', studioDir: '/studio', pathEnv: '/usr/bin', env: { RLVR_STUDIO_VENV: '/global/python-venv' } };
  const all = ['/ws/.venv/bin/python', '/global/python-venv/bin/python', '/studio/.venv/bin/python', '/usr/bin/python3'];
  assert.deepEqual(resolveTestInterpreter({ ...base, isExecutable: existing(all) }), { path: '/ws/.venv/bin/python', source: 'workspace-venv' });
  assert.deepEqual(resolveTestInterpreter({ ...base, isExecutable: existing(all.slice(1)) }), { path: '/global/python-venv/bin/python', source: 'studio-venv' });
  // Named but not made yet (setup never ran): the next candidate, not an error.
  assert.deepEqual(resolveTestInterpreter({ ...base, isExecutable: existing(all.slice(2)) }), { path: '/studio/.venv/bin/python', source: 'studio-venv' });
  assert.throws(() => resolveTestInterpreter({ ...base, isExecutable: () => false }),
    (e: unknown) => e instanceof RlvrError && e.message.includes('/global/python-venv/bin/python'));
  assert.deepEqual(studioVenvDirs({ env: { RLVR_STUDIO_VENV: '  ' }, studioDir: '/studio' }), ['/studio/.venv']);
  assert.deepEqual(studioVenvDirs({ env: { RLVR_STUDIO_VENV: '/studio/.venv' }, studioDir: '/studio' }), ['/studio/.venv']);
});

test('the worker\'s interpreter search knows the same venv, and uses it only where it exists', () => {
  const query = { workspace: '/ws', studioRoot: '/studio', env: { RLVR_STUDIO_VENV: '/global/python-venv' }, platform: 'linux' as const };
  assert.deepEqual(findPythonInterpreter({ ...query, exists: existing(['/global/python-venv/bin/python', '/studio/.venv/bin/python']) }),
    { path: '/global/python-venv/bin/python', source: 'studio-venv' });
  assert.deepEqual(findPythonInterpreter({ ...query, exists: existing(['/studio/.venv/bin/python']) }), { path: '/studio/.venv/bin/python', source: 'studio-venv' });
  assert.deepEqual(findPythonInterpreter({ ...query, exists: existing(['/ws/.venv/bin/python', '/global/python-venv/bin/python']) }),
    { path: '/ws/.venv/bin/python', source: 'workspace-venv' });
  assert.deepEqual(findPythonInterpreter({ ...query, exists: () => false }), { path: 'python3', source: 'path' });
});

test('nothing found: the error lists what was tried and how to make a venv', () => {
  assert.throws(
    () => resolveTestInterpreter({ workspace: '/ws', studioDir: '/studio', pathEnv: '/usr/bin', isExecutable: () => false }),
    (e: unknown) => e instanceof RlvrError && e.message.includes('/ws/.venv/bin/python') && (e.hint ?? '').includes('pip install pytest'),
  );
});

const info = (over: Partial<InterpreterInfo> = {}): InterpreterInfo => ({
  executable: '/v/bin/python', version: '3.11.7', prefix: '/v', basePrefix: '/b', pathEntries: ['/b/lib/python3.11'],
  pytestVersion: '8.0.0', pytestError: null, ...over,
});

test('parseProbe reads the last JSON line and rejects junk', () => {
  const line = JSON.stringify(info());
  assert.deepEqual(parseProbe(`some warning\n${line}\n`), info());
  assert.equal(parseProbe('not json'), null);
  assert.equal(parseProbe(JSON.stringify({ executable: '/x' })), null);
});

test('requirePytest names the interpreter and the pip command', () => {
  assert.doesNotThrow(() => requirePytest(info()));
  assert.throws(
    () => requirePytest(info({ pytestVersion: null, pytestError: "ModuleNotFoundError: No module named 'pytest'" })),
    (e: unknown) => e instanceof RlvrError && e.code === 'pytest_missing' && e.hint === 'install it: /v/bin/python -m pip install pytest',
  );
});
