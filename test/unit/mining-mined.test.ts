import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { checkMinedWorkspace, parseMineOutput, readMinedWorkspace } from '../../src/trainer/mining/mined';

const goodReport = () => ({
  tests: [{ id: 'tests/test_a.py::test_x', outcome: 'passed', duration: 0.01 }],
  functions: [{
    file: 'pkg/a.py', symbol: 'f', signature: 'def f(x):', docstring: null,
    startLine: 1, endLine: 2, context: '', kind: 'function',
  }],
  calls: { 'tests/test_a.py::test_x': ['pkg/a.py::f'] },
  collectErrors: [],
});

test('a good report is read and functions get the language', () => {
  const mined = readMinedWorkspace(goodReport(), 'python');
  assert.equal(mined.functions[0]?.language, 'python');
  assert.deepEqual(mined.calls, goodReport().calls);
  assert.equal(mined.tests[0]?.outcome, 'passed');
});

test('a stored language is kept and checked', () => {
  const report = goodReport();
  const fn = { ...report.functions[0], language: 'typescript' };
  assert.equal(readMinedWorkspace({ ...report, functions: [fn] }, 'python').functions[0]?.language, 'typescript');
  assert.match(String(checkMinedWorkspace({ ...report, functions: [{ ...fn, language: 'cobol' }] }, 'python')), /functions\[0\]\.language/);
});

test('each bad field is named with its JSON path', () => {
  const cases: [(r: ReturnType<typeof goodReport>) => unknown, RegExp][] = [
    [(r) => ({ ...r, tests: 'x' }), /report\.tests must be an array/],
    [(r) => ({ ...r, tests: [{ id: '', outcome: 'passed', duration: 0 }] }), /tests\[0\]\.id/],
    [(r) => ({ ...r, tests: [{ id: 'a', outcome: 'maybe', duration: 0 }] }), /tests\[0\]\.outcome/],
    [(r) => ({ ...r, tests: [{ id: 'a', outcome: 'passed', duration: -1 }] }), /tests\[0\]\.duration/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], file: '../etc/passwd' }] }), /functions\[0\]\.file/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], file: '/abs.py' }] }), /functions\[0\]\.file/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], startLine: 0 }] }), /functions\[0\]\.startLine/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], startLine: 5, endLine: 2 }] }), /functions\[0\]\.endLine \(2\) is before/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], docstring: 7 }] }), /functions\[0\]\.docstring/],
    [(r) => ({ ...r, functions: [{ ...r.functions[0], kind: 'lambda' }] }), /functions\[0\]\.kind/],
    [(r) => ({ ...r, calls: [] }), /calls must be an object/],
    [(r) => ({ ...r, calls: { t: [1] } }), /calls\["t"\]/],
    [(r) => ({ ...r, collectErrors: [3] }), /collectErrors\[0\]/],
    [() => 42, /must be a JSON object/],
  ];
  for (const [mutate, message] of cases) {
    const problem = checkMinedWorkspace(mutate(goodReport()), 'python');
    assert.equal(typeof problem, 'string', `accepted: ${message}`);
    assert.match(problem as string, message);
  }
});

test('parseMineOutput takes the report after anything printed before it', () => {
  const out = `some print\n{"not": "the report"\n${JSON.stringify(goodReport())}\n`;
  assert.equal(parseMineOutput(out, 'python', 'mine').tests.length, 1);
  assert.equal(parseMineOutput(JSON.stringify(goodReport(), null, 2), 'python', 'mine').functions.length, 1);
});

test('parseMineOutput errors are RlvrErrors that say what printed what', () => {
  assert.throws(() => parseMineOutput('Traceback...\n', 'python', 'the miner'),
    (e: unknown) => e instanceof RlvrError && e.code === 'mining_output_invalid' && /the miner printed no JSON report/.test(e.message));
  assert.throws(() => parseMineOutput(JSON.stringify({ ...goodReport(), tests: null }), 'python', 'the miner'),
    (e: unknown) => e instanceof RlvrError && /cannot use: report\.tests must be an array/.test(e.message));
});
