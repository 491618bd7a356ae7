import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { cpuSecondsBetween, parseProcStat, sampleCpu } from '../../src/trainer/run/process-cpu';

test('parseProcStat reads utime/stime/cutime/cstime after a name with spaces and parentheses', () => {
  const line = '4242 (my (odd) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 250 50 1200 300 20 0 1 0 123 456 789';
  assert.deepEqual(parseProcStat(line), { self: 3, children: 15 });
});

test('parseProcStat rejects a truncated line', () => {
  assert.throws(() => parseProcStat('1 (x) S 1 2 3'), /unexpected \/proc stat line/);
});

test('a reaped child that burns CPU shows up in the children total', { skip: process.platform !== 'linux' && 'needs /proc' }, () => {
  const before = sampleCpu();
  // ~0.3 s of busy CPU in a child that this process waits for.
  execFileSync(process.execPath, ['-e', 'const t = Date.now(); while (Date.now() - t < 300) {}']);
  const after = sampleCpu();
  const spent = cpuSecondsBetween(before, after);
  assert.ok(spent !== null && spent >= 0.1, `expected the child's CPU time, got ${spent}`);
});
