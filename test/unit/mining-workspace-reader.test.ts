import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { test } from 'node:test';
import { workspaceFileReader } from '../../src/trainer/mining/workspace-reader';

test('workspaceFileReader reads inside the workspace only (no .., absolute paths or links out)', () => {
  const outside = mkdtempSync(join(tmpdir(), 'rlvr-outside-'));
  const ws = mkdtempSync(join(tmpdir(), 'rlvr-ws-'));
  try {
    writeFileSync(join(outside, 'secret.py'), 'SECRET');
    writeFileSync(join(ws, 't.py'), 'ok');
    symlinkSync(join(outside, 'secret.py'), join(ws, 'link.py'));
    const read = workspaceFileReader(ws);
    assert.equal(read('t.py'), 'ok');
    assert.equal(read(`../${basename(outside)}/secret.py`), null);
    assert.equal(read(join(outside, 'secret.py')), null);
    assert.equal(read('link.py'), null);
    assert.equal(read('missing.py'), null);
    assert.equal(read('.'), null);
  } finally {
    rmSync(outside, { recursive: true, force: true });
    rmSync(ws, { recursive: true, force: true });
  }
});
