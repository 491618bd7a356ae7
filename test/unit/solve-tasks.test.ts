// Which stored tasks can be solved, the task at the cursor, generation options from the run, and
// the JSON of `rlvr verify` / `rlvr splice` as the extension reads it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseSplice, parseVerification } from '../../src/extension/core/cli-json';
import { spliceArgs, verifyCandidateArgs, onnxExportArgs } from '../../src/extension/core/cli-args';
import {
  DEFAULT_SOLVE_MAX_NEW_TOKENS, generationOptions, solvableTasks, taskAtLine, taskIdArgument, verdictText,
} from '../../src/extension/core/solve/solvable-tasks';
import { CliOutputError } from '../../src/extension/core/errors';
import type { JsonObject } from '../../src/trainer/store';

function storedTask(id: string, symbol: string, startLine: number, endLine: number): JsonObject {
  return {
    id, language: 'python', file: 'pkg/mod.py', symbol, signature: `def ${symbol}():`, docstring: null, context: '',
    bodySpan: { startLine, endLine }, tests: ['t::a'], visibleTests: ['t::a'], heldOutTests: [], baselineSeconds: 0.1, source: 'mined',
  };
}

test('only well-formed stored tasks with a location are solvable; the innermost span wins at the cursor', () => {
  const rows = [
    { taskId: 'cls', split: 'train' as const, task: storedTask('cls', 'Stack.push', 10, 30) },
    { taskId: 'm', split: 'eval' as const, task: storedTask('m', 'Stack.pop', 20, 25) },
    { taskId: 'bad', split: 'train' as const, task: { ...storedTask('bad', 'x', 1, 2), bodySpan: { startLine: 3, endLine: 1 } } },
    { taskId: 'other', split: 'train' as const, task: storedTask('not-other', 'y', 1, 2) },
    { taskId: 'noisy', split: 'train' as const, task: { ...storedTask('noisy', 'z', 1, 2), tests: 'all' } as unknown as JsonObject },
  ];
  const tasks = solvableTasks(rows);
  assert.deepEqual(tasks.map((t) => t.task.id), ['cls', 'm']);
  assert.equal(taskAtLine(tasks, 'pkg/mod.py', 22)?.task.id, 'm');
  assert.equal(taskAtLine(tasks, 'pkg/mod.py', 12)?.task.id, 'cls');
  assert.equal(taskAtLine(tasks, 'pkg/mod.py', 31), null);
  assert.equal(taskAtLine(tasks, 'pkg/other.py', 22), null);
});

test('generation: greedy with the run\'s completion budget; arguments from a CodeLens; the confirmation verdict', () => {
  assert.deepEqual(generationOptions({ maxNewTokens: 300 }), { maxNewTokens: 300, greedy: true });
  assert.deepEqual(generationOptions({ maxNewTokens: '300' }), { maxNewTokens: DEFAULT_SOLVE_MAX_NEW_TOKENS, greedy: true });
  assert.deepEqual(generationOptions(null), { maxNewTokens: DEFAULT_SOLVE_MAX_NEW_TOKENS, greedy: true });
  assert.equal(taskIdArgument({ taskId: 'abc' }), 'abc');
  assert.equal(taskIdArgument('abc'), 'abc');
  assert.equal(taskIdArgument({ taskId: 3 }), undefined);
  assert.equal(taskIdArgument(undefined), undefined);
  const tests = (o: string[]) => o.map((outcome) => ({ outcome }));
  assert.equal(verdictText({ passed: true, tests: tests(['passed', 'passed']), flags: [] }), 'It passed all 2 tests');
  assert.equal(verdictText({ passed: false, tests: tests(['passed', 'failed', 'failed']), flags: [{ code: 'timeout' }] }),
    'It did NOT pass: 1 of 3 tests passed and was flagged (timeout)');
});

test('the CLI argument lists are what a user would type', () => {
  assert.deepEqual(verifyCandidateArgs({ workspace: '/w', python: '/py', taskId: 't', candidate: '/tmp/c' }),
    ['verify', '--workspace', '/w', '--python', '/py', '--task', 't', '--candidate', '/tmp/c', '--json']);
  assert.deepEqual(spliceArgs({ workspace: '/w', taskId: 't', candidate: '/tmp/c', source: '/tmp/s' }),
    ['splice', '--workspace', '/w', '--task', 't', '--candidate', '/tmp/c', '--source', '/tmp/s', '--json']);
  assert.deepEqual(onnxExportArgs({ workspace: '/w', db: '/w/.rlvr/runs.db', python: '/py', runId: 'r-1' }),
    ['export', '--format', 'onnx', '--run', 'r-1', '--workspace', '/w', '--db', '/w/.rlvr/runs.db', '--python', '/py', '--json']);
});

test('verify and splice JSON are checked where they enter', () => {
  const args = ['verify'];
  const good = { task: 't', reward: 0.5, passed: false, seconds: 1, flags: [{ code: 'timeout', message: 'slow' }],
    tests: [{ id: 'a', outcome: 'passed', duration: 0.1, message: '', heldOut: false }, { id: 'b', outcome: 'failed', heldOut: true }] };
  const parsed = parseVerification(args, JSON.stringify(good));
  assert.deepEqual(parsed.tests[1], { id: 'b', outcome: 'failed', heldOut: true, duration: 0, message: '' });
  for (const bad of [{ ...good, passed: 'no' }, { ...good, tests: [{ id: 'a', outcome: 'exploded', heldOut: false }] }, { ...good, flags: [{}] }, []]) {
    assert.throws(() => parseVerification(args, JSON.stringify(bad)), CliOutputError);
  }
  assert.throws(() => parseVerification(args, 'Traceback'), /not JSON/);
  assert.deepEqual(parseSplice(['splice'], JSON.stringify({ task: 't', file: 'a.py', spliced: null, flags: [{ code: 'parse_error', message: 'x' }] })),
    { task: 't', file: 'a.py', spliced: null, flags: [{ code: 'parse_error', message: 'x' }] });
  assert.throws(() => parseSplice(['splice'], JSON.stringify({ task: 't', file: 'a.py', spliced: 3, flags: [] })), CliOutputError);
});
