import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { hostname } from 'node:os';
import { runLiveness } from '../../src/trainer/store';

test('a running run is live while its writer exists, interrupted once it is gone, unknown elsewhere', () => {
  const host = hostname();
  assert.equal(runLiveness({ status: 'running', writerPid: process.pid, writerHost: host }), 'live');
  const gone = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']).stdout.toString();
  assert.equal(runLiveness({ status: 'running', writerPid: Number(gone), writerHost: host }), 'interrupted');
  assert.equal(runLiveness({ status: 'running', writerPid: process.pid, writerHost: 'another-machine' }), 'unknown');
  assert.equal(runLiveness({ status: 'completed', writerPid: Number(gone), writerHost: host }), 'finished');
});
