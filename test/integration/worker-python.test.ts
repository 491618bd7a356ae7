// Choosing the worker's interpreter and the pre-flight check that names what is missing.
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { diagnosePython, findPythonInterpreter, WORKER_MODULES } from '../../src/trainer/worker-client';
import { studioRoot } from '../../src/trainer/paths';

const scratch = mkdtempSync(join(tmpdir(), 'rlvr-python-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

describe('findPythonInterpreter', () => {
  const present = (...paths: string[]) => (path: string) => paths.includes(path);

  it('prefers an explicit setting, then the workspace venv, then ours, then python3', () => {
    const exists = present('/ws/.venv/bin/python', '/studio/.venv/bin/python');
    const base = { studioRoot: '/studio', exists, platform: 'linux' as const };
    assert.deepEqual(findPythonInterpreter({ ...base, explicit: '/opt/py', workspace: '/ws' }), { path: '/opt/py', source: 'explicit' });
    assert.deepEqual(findPythonInterpreter({ ...base, explicit: '  ', workspace: '/ws' }), { path: '/ws/.venv/bin/python', source: 'workspace-venv' });
    assert.deepEqual(findPythonInterpreter({ ...base, workspace: '/other' }), { path: '/studio/.venv/bin/python', source: 'studio-venv' });
    assert.deepEqual(findPythonInterpreter({ ...base, exists: present() }), { path: 'python3', source: 'path' });
  });

  it('uses Scripts\\python.exe on Windows', () => {
    const found = findPythonInterpreter({ workspace: 'C:/ws', studioRoot: 'C:/s', platform: 'win32', exists: (p) => p.endsWith('python.exe') });
    assert.equal(found.source, 'workspace-venv');
    assert.match(found.path, /\.venv[\\/]Scripts[\\/]python\.exe$/);
  });

  it('finds the studio root from its own location by default', () => {
    const found = findPythonInterpreter({ exists: (p) => p === join(studioRoot(), '.venv', 'bin', 'python') });
    assert.equal(found.source, 'studio-venv');
  });
});

describe('diagnosePython', () => {
  const venvPython = findPythonInterpreter({ platform: 'linux' }).path;

  it('passes RLVR Studio\'s own venv and reports versions', async () => {
    const report = await diagnosePython(venvPython);
    assert.equal(report.ok, true, report.problem ?? '');
    assert.deepEqual(Object.keys(report.found).sort(), [...WORKER_MODULES].sort());
    assert.equal(report.fixCommand, null);
  });

  it('names every missing module and the command that installs them', async () => {
    // The same interpreter without site-packages (-S): only the standard library is importable.
    const bare = join(scratch, 'bare-python');
    writeFileSync(bare, `#!/bin/sh\nexec '${venvPython}' -S "$@"\n`);
    chmodSync(bare, 0o755);
    const report = await diagnosePython(bare);
    assert.equal(report.ok, false);
    assert.deepEqual(report.missing.map((m) => m.module), [...WORKER_MODULES]);
    assert.match(report.missing[0]?.error ?? '', /No module named 'torch'/);
    assert.equal(report.fixCommand, `${bare} -m pip install -r ${join(studioRoot(), 'src', 'trainer', 'worker', 'requirements.txt')}`);
    assert.match(report.problem ?? '', /lacks torch, transformers.*npm run setup/);
  });

  it('explains an interpreter that does not exist, without throwing', async () => {
    const report = await diagnosePython(join(scratch, 'nope'));
    assert.equal(report.ok, false);
    assert.equal(report.pythonVersion, null);
    assert.match(report.problem ?? '', /not found.*npm run setup/);
  });
});
