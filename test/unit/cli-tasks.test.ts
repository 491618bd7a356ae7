import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { formatTasksReport } from '../../src/trainer/cli/commands/tasks';
import { main } from '../../src/trainer/cli/main';
import { RlvrError, UsageError } from '../../src/trainer/errors';
import type { MineTasksResult } from '../../src/trainer/mining';
import type { Task } from '../../src/trainer/tasks/task';

const io = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => out.push(t), stderr: (t: string) => err.push(t), signal: new AbortController().signal } };
};

test('a workspace without tests is a no_tests error that says what RLVR Studio needs', async () => {
  const ws = mkdtempSync(join(tmpdir(), 'rlvr-cli-empty-'));
  try {
    writeFileSync(join(ws, 'main.py'), 'def f():\n    return 1\n');
    await assert.rejects(main(['tasks', '--workspace', ws], io().io), (e: unknown) =>
      e instanceof RlvrError && e.code === 'no_tests' && e.message.includes(`no tests found in ${ws}`)
      && e.message.includes('RLVR Studio needs pytest or node:test tests that exercise your functions (vitest and jest are detected but not supported yet)'));
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});

test('unknown flags are usage errors', async () => {
  await assert.rejects(main(['tasks', '--bogus'], io().io), (e: unknown) => e instanceof UsageError && /bogus/.test(e.message));
});

const task = (symbol: string, source: Task['source'] = 'mined'): Task => ({
  id: `id-${symbol}`.padEnd(16, '0'), language: 'python', file: 'pkg/m.py', symbol, signature: `def ${symbol}():`, docstring: null,
  bodySpan: { startLine: 1, endLine: 2 }, context: '', tests: ['t::a', 't::b', 't::c'], visibleTests: ['t::a', 't::b'],
  heldOutTests: ['t::c'], baselineSeconds: 0.1, source,
});

test('the human report: table with visible/held-out counts, skipped reasons, dropped tests and warnings', () => {
  const result: MineTasksResult = {
    workspace: '/w', tasks: [task('slugify'), task('Stack.push', 'custom')],
    tests: [{ id: 't::a', outcome: 'passed', duration: 0.1 }],
    skipped: [{ file: 'pkg/m.py', symbol: 'helper', reason: 'no test calls it' }],
    dropped: [{ taskId: 'x', file: 'pkg/m.py', symbol: 'slugify', tests: [{ id: 't::z', outcome: 'failed' }] }],
    collectErrors: ['tests/test_bad.py: SyntaxError'], warnings: ['.rlvr/tasks.jsonl:1: 1 of its tests do not pass at baseline (t::q)'],
    fromCache: true, changedFiles: [],
  };
  const text = formatTasksReport(result);
  assert.match(text, /^2 task\(s\) from 1 test\(s\) in \/w \(from cache\)\n/);
  assert.match(text, /\nID +FILE +SYMBOL +TESTS \(visible\/held-out\)\n/);
  assert.match(text, /\nid-slugify000000 +pkg\/m\.py +slugify +2\/1\n/);
  assert.match(text, /\nid-Stack\.push000 +pkg\/m\.py +Stack\.push +2\/1 +custom\n/);
  assert.match(text, /not tasks \(1\):\n +pkg\/m\.py +helper +no test calls it/);
  assert.match(text, /tests left out of tasks \(they do not pass at baseline\):\n  pkg\/m\.py slugify: t::z \(failed\)\n/);
  assert.match(text, /collection errors:\n  tests\/test_bad\.py: SyntaxError/);
  assert.match(text, /warnings:\n  \.rlvr\/tasks\.jsonl:1/);
  const none = formatTasksReport({ ...result, tasks: [] });
  assert.match(none, /no function is exercised by a passing test/);
});
