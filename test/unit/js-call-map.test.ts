/** The runtime channel and the coverage → function mapping, on records built by hand. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { listFunctions } from '../../src/trainer/mining/js/functions';
import { functionsOfHit, lineAtOffset, mapFileRun, type HitResolver } from '../../src/trainer/mining/js/call-map';
import { assignTestIds, parseChannel, type ChannelReport, type TestRecord } from '../../src/trainer/verifier/js/channel';

const WS = '/ws';
const SOURCE = `export function first(x: number) {
  return x + 1;
}

/** Doubles. */
export function second(x: number) {
  return [x].map((v) => v * 2)[0];
}
`;

const resolver: HitResolver = {
  relative: (file) => (file.startsWith(`${WS}/`) ? file.slice(WS.length + 1) : null),
  functionsOf: (file) => (file === 'src/a.ts' ? listFunctions('src/a.ts', SOURCE) : []),
  textOf: (file) => (file === 'src/a.ts' ? SOURCE : null),
};

const record = (name: string, outcome: TestRecord['outcome'] = 'passed'): TestRecord =>
  ({ t: 'test', file: `${WS}/test/a.test.ts`, name, outcome, ms: 5, message: '' });

test('a hit counts when name and line both match the declaration (JSDoc lines included)', () => {
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', line: 1, name: 'first' }, resolver), ['src/a.ts::first']);
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', line: 5, name: 'second' }, resolver), ['src/a.ts::second']);
});

test('look-alikes are rejected: CommonJS export getters, inner callbacks, files outside the workspace', () => {
  // esbuild's `__export(exports, { second: () => second })` getter maps to line 1 and is named "second".
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', line: 1, name: 'second' }, resolver), []);
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', line: 7, name: '' }, resolver), []);
  assert.deepEqual(functionsOfHit({ file: '/elsewhere/src/a.ts', line: 1, name: 'first' }, resolver), []);
});

test('untranspiled modules report offsets; name-only hits are a fallback', () => {
  const offset = SOURCE.indexOf('export function second');
  assert.equal(lineAtOffset(SOURCE, offset), 6);
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', offset, name: 'second' }, resolver), ['src/a.ts::second']);
  assert.deepEqual(functionsOfHit({ file: '/ws/src/a.ts', name: 'first' }, resolver), ['src/a.ts::first']);
});

test('a file run: ids, outcomes, per-test calls; overlapping tests fall back to the whole file', () => {
  const report: ChannelReport = {
    tests: [record('one'), record('suite > two', 'failed'), record('skipped', 'skipped'), record('one'), record('c1'), record('c2')],
    calls: [
      { t: 'calls', name: 'one', overlapped: false, hits: [{ file: '/ws/src/a.ts', line: 1, name: 'first' }] },
      { t: 'calls', name: 'suite > two', overlapped: false, hits: [{ file: '/ws/src/a.ts', line: 6, name: 'second' }, { file: '/ws/test/a.test.ts', line: 9, name: '' }] },
      { t: 'calls', name: 'one', overlapped: false, hits: [] },
      { t: 'calls', name: 'c1', overlapped: true, hits: [] },
      { t: 'calls', name: 'c2', overlapped: true, hits: [{ file: '/ws/src/a.ts', line: 6, name: 'second' }] },
    ],
    loadErrors: [], done: true, malformed: 0,
  };
  const result = mapFileRun(report, resolver);
  assert.deepEqual(result.tests.map((t) => [t.id, t.outcome]), [
    ['test/a.test.ts::one', 'passed'], ['test/a.test.ts::suite > two', 'failed'], ['test/a.test.ts::skipped', 'skipped'],
    ['test/a.test.ts::one #2', 'passed'], ['test/a.test.ts::c1', 'passed'], ['test/a.test.ts::c2', 'passed'],
  ]);
  assert.equal(result.tests[0]?.duration, 0.005);
  assert.deepEqual(result.calls, {
    'test/a.test.ts::one': ['src/a.ts::first'],
    'test/a.test.ts::suite > two': ['src/a.ts::second'],
    'test/a.test.ts::skipped': [],
    'test/a.test.ts::one #2': [],
    'test/a.test.ts::c1': ['src/a.ts::first', 'src/a.ts::second'],
    'test/a.test.ts::c2': ['src/a.ts::first', 'src/a.ts::second'],
  });
});

test('the channel keeps only well-formed records with our nonce, wherever they start on a line', () => {
  const good = JSON.stringify({ t: 'test', file: '/ws/t.test.ts', name: 'x', outcome: 'passed', ms: 1, message: '' });
  const stdout = [
    'plain test output',
    `partial line without newline@@rlvr:abc@@ ${good}`,
    `@@rlvr:forged@@ ${good}`,
    '@@rlvr:abc@@ {"t":"test","name":"no file"}',
    '@@rlvr:abc@@ not json',
    `@@rlvr:abc@@ ${JSON.stringify({ t: 'load_error', file: '/ws/b.test.ts', message: 'SyntaxError' })}`,
    '@@rlvr:abc@@ {"t":"done"}',
  ].join('\n');
  const report = parseChannel(stdout, 'abc');
  assert.equal(report.tests.length, 1);
  assert.equal(report.loadErrors[0]?.message, 'SyntaxError');
  assert.equal(report.malformed, 2);
  assert.equal(report.done, true);
  assert.equal(parseChannel(stdout, 'other').tests.length, 0);
});

test('test ids are file-relative and unique', () => {
  const ids = assignTestIds([record('a'), record('a'), record('b')], (f) => f.replace('/ws/', ''));
  assert.deepEqual(ids, ['test/a.test.ts::a', 'test/a.test.ts::a #2', 'test/a.test.ts::b']);
});
