import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { buildMinedTasks } from '../../src/trainer/mining/build-tasks';
import { buildCustomTasks, mergeTasks, parseCustomTasks } from '../../src/trainer/mining/custom-tasks';
import type { MinedWorkspace } from '../../src/trainer/mining/mined';
import { taskId } from '../../src/trainer/tasks/task';

const mined: MinedWorkspace = {
  tests: [
    { id: 'tests/t.py::test_a', outcome: 'passed', duration: 0.1 },
    { id: 'tests/t.py::test_b', outcome: 'passed', duration: 0.2 },
    { id: 'tests/t.py::test_fail', outcome: 'failed', duration: 0.3 },
  ],
  functions: [
    { language: 'python', file: 'pkg/m.py', symbol: 'slugify', signature: 'def slugify(s):', docstring: 'Slug.', startLine: 3, endLine: 4, context: 'import re', kind: 'function' },
    { language: 'python', file: 'pkg/m.py', symbol: 'Stack.push', signature: 'def push(self, x):', docstring: null, startLine: 8, endLine: 9, context: 'class Stack:', kind: 'method' },
  ],
  calls: { 'tests/t.py::test_a': ['pkg/m.py::slugify'], 'tests/t.py::test_b': ['pkg/m.py::slugify'] },
  collectErrors: [],
};

function expectLineError(text: string, pattern: RegExp): void {
  assert.throws(() => buildCustomTasks(parseCustomTasks(text), mined), (e: unknown) => {
    assert.ok(e instanceof RlvrError, String(e));
    assert.equal(e.code, 'bad_input');
    assert.match(e.message, pattern);
    assert.ok(e.hint?.includes('.rlvr/tasks.jsonl'));
    return true;
  });
}

const line = (o: unknown): string => JSON.stringify(o);
const ok = { file: 'pkg/m.py', symbol: 'slugify', tests: ['tests/t.py::test_a'] };

test('bad lines name the file, the line number and the field', () => {
  const prefix = `${line(ok)}\n\n`; // the bad line is line 3
  expectLineError(`${prefix}${line({ ...ok, tests: [] })}`, /^\.rlvr\/tasks\.jsonl:3: field "tests" must be a non-empty array of test ids$/);
  expectLineError(`${prefix}${line({ ...ok, tests: 'tests/t.py::test_a' })}`, /^\.rlvr\/tasks\.jsonl:3: field "tests"/);
  expectLineError(`${prefix}${line({ ...ok, file: '' })}`, /:3: field "file"/);
  expectLineError(`${prefix}${line({ ...ok, file: '../outside.py' })}`, /:3: field "file"/);
  expectLineError(`${prefix}${line({ ...ok, symbol: 'not a name' })}`, /:3: field "symbol"/);
  expectLineError(`${prefix}${line({ ...ok, heldOut: 'x' })}`, /:3: field "heldOut" must be an array/);
  expectLineError(`${prefix}${line({ ...ok, prompt: '' })}`, /:3: field "prompt"/);
  expectLineError(`${prefix}${line({ ...ok, heldout: [] })}`, /:3: unknown field "heldout"/);
  expectLineError(`${prefix}{"file": `, /:3: not valid JSON/);
  expectLineError(`${prefix}[1, 2]`, /:3: each line must be a JSON object/);
});

test('unknown test ids and symbols are errors in the same style', () => {
  expectLineError(line({ ...ok, tests: ['tests/t.py::test_nope'] }), /^\.rlvr\/tasks\.jsonl:1: field "tests": unknown test id "tests\/t\.py::test_nope"/);
  expectLineError(line({ ...ok, heldOut: ['tests/t.py::test_b'] }), /:1: field "heldOut": "tests\/t\.py::test_b" is not one of this line's "tests"/);
  expectLineError(line({ ...ok, symbol: 'missing' }), /:1: field "symbol": "missing" is not a function of pkg\/m\.py \(functions in pkg\/m\.py: slugify, Stack\.push\)/);
  expectLineError(line({ ...ok, file: 'other.py' }), /no functions were found in other\.py/);
  expectLineError(`${line(ok)}\n${line(ok)}`, /:2: the same task .* as line 1/);
});

test('a custom task takes its metadata from the mined function and replaces the mined task', () => {
  const specs = parseCustomTasks(`${line({ file: 'pkg/m.py', symbol: 'slugify', tests: ['tests/t.py::test_b', 'tests/t.py::test_a'], heldOut: ['tests/t.py::test_a'], prompt: 'Write slugify.' })}\r\n`);
  const custom = buildCustomTasks(specs, mined);
  assert.equal(custom.tasks.length, 1);
  const task = custom.tasks[0];
  assert.ok(task);
  assert.equal(task.id, taskId('pkg/m.py', 'slugify', ['tests/t.py::test_a', 'tests/t.py::test_b']));
  assert.equal(task.source, 'custom');
  assert.equal(task.signature, 'def slugify(s):');
  assert.equal(task.docstring, 'Slug.');
  assert.deepEqual(task.bodySpan, { startLine: 3, endLine: 4 });
  assert.equal(task.context, 'import re');
  assert.deepEqual(task.visibleTests, ['tests/t.py::test_b']);
  assert.deepEqual(task.heldOutTests, ['tests/t.py::test_a']);
  assert.equal(task.prompt, 'Write slugify.');
  assert.ok(Math.abs(task.baselineSeconds - 0.3) < 1e-9);
  assert.deepEqual(custom.warnings, []);
  const merged = mergeTasks(buildMinedTasks(mined).tasks, custom.tasks);
  assert.deepEqual(merged.map((t) => `${t.symbol}:${t.source}`), ['slugify:custom']);
});

test('custom tasks on untested methods are allowed; failing tests give a warning, not an error', () => {
  const custom = buildCustomTasks(parseCustomTasks(line({ file: 'pkg/m.py', symbol: 'Stack.push', tests: ['tests/t.py::test_fail', 'tests/t.py::test_a'] })), mined);
  assert.equal(custom.tasks[0]?.symbol, 'Stack.push');
  assert.equal(custom.tasks[0]?.heldOutTests.length, 1);
  assert.match(custom.warnings[0] ?? '', /^\.rlvr\/tasks\.jsonl:1: 1 of its tests do not pass at baseline \(tests\/t\.py::test_fail\)/);
});

test('an empty or blank file means no custom tasks', () => {
  assert.deepEqual(parseCustomTasks(''), []);
  assert.deepEqual(parseCustomTasks('\n  \n'), []);
});
