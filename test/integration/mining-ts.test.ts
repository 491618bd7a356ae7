/**
 * Mines a copy of examples/ts-basics for real (node:test + tsx inside the bubblewrap sandbox, V8
 * coverage per test), checks ground truth on every task through the verifier pool, and tries
 * wrong and hostile candidates. Expectations come from the example's sources and test names
 * (read here with regexes), not from the miner.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { mineTasks, type MineTasksResult } from '../../src/trainer/mining';
import { nodeTestMiner } from '../../src/trainer/mining/js/node-test-miner';
import { checkSandboxSupport } from '../../src/trainer/sandbox';
import type { Task } from '../../src/trainer/tasks/task';
import { groundTruthCheck, verifyCandidate, VerifierPool } from '../../src/trainer/verifier';
import { jsServerFactory } from '../../src/trainer/verifier/js/js-server';
import { copyExampleToTemp, examplePath, isCommittedPath } from '../helpers/example-copy';

const EXAMPLE = examplePath('ts-basics');

/** Every file under `dir` → its bytes (base64), to prove the workspace is left untouched. */
function snapshot(dir: string, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const entry of readdirSync(join(dir, prefix), { withFileTypes: true })) {
    const rel = prefix ? `${prefix}/${entry.name}` : entry.name;
    if (entry.isDirectory()) for (const [k, v] of snapshot(dir, rel)) out.set(k, v);
    else out.set(rel, readFileSync(join(dir, rel)).toString('base64'));
  }
  return out;
}

/** "src/strings.ts::slugify" for every `export function` of the example. */
function exampleFunctions(): string[] {
  return readdirSync(join(EXAMPLE, 'src')).sort().flatMap((name) =>
    [...readFileSync(join(EXAMPLE, 'src', name), 'utf8').matchAll(/^export function (\w+)/gm)].map((m) => `src/${name}::${m[1]}`));
}

/** The example names each test after its function: "slugify drops …" or describe('chunk') → "chunk > …". */
const testNamesFunction = (testId: string, symbol: string): boolean => {
  const name = testId.split('::')[1] ?? '';
  return name.startsWith(`${symbol} `);
};

let ws: string;
let mined: MineTasksResult;
let pool: VerifierPool;
let sandboxProblem: string | null = null;

before(async () => {
  const support = await checkSandboxSupport();
  if (!support.ok) {
    sandboxProblem = `${support.reason} — ${support.fix}`;
    return;
  }
  ws = copyExampleToTemp('ts-basics', 'rlvr-mining-ts-');
  mined = await mineTasks({ workspace: ws, useCache: false });
  pool = new VerifierPool({ size: 2, factory: jsServerFactory() });
});

after(async () => {
  await pool?.close();
  if (ws) rmSync(ws, { recursive: true, force: true });
});

const byKey = (): Map<string, Task> => new Map(mined.tasks.map((t) => [`${t.file}::${t.symbol}`, t]));
const task = (key: string): Task => {
  const found = byKey().get(key);
  assert.ok(found, `no task ${key}`);
  return found;
};

test('every exported function of the example becomes a TypeScript task mapped to exactly its own tests', (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  assert.deepEqual(mined.collectErrors, []);
  assert.deepEqual([...byKey().keys()].sort(), exampleFunctions().sort());
  const allIds = mined.tests.map((x) => x.id);
  assert.equal(new Set(allIds).size, allIds.length, 'test ids are unique');
  assert.ok(mined.tests.every((x) => x.outcome === 'passed'));
  for (const x of mined.tasks) {
    assert.equal(x.language, 'typescript');
    assert.deepEqual([...x.tests].sort(), allIds.filter((id) => testNamesFunction(id, x.symbol)).sort(), `tests of ${x.symbol}`);
    assert.ok(x.tests.length >= 3, `${x.symbol} has ${x.tests.length} tests`);
    assert.ok(x.heldOutTests.length >= 1 && x.visibleTests.length >= 1);
  }
  const chunk = task('src/arrays.ts::chunk');
  assert.ok(chunk.tests.includes('test/arrays.test.ts::chunk > splits evenly'));
  assert.match(chunk.signature, /^export function chunk<T>\(items: readonly T\[\], size: number\): T\[\]\[\]$/);
  assert.match(task('src/parsing.ts::romanToInt').context, /const ROMAN_VALUES/);
  assert.match(task('src/strings.ts::slugify').docstring ?? '', /Lower-case/);
});

test('ground truth holds for every task: the original passes, a body that throws fails', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const result = await groundTruthCheck(mined.tasks, pool, { workspace: ws });
  const failures = result.reports.filter((r) => !r.ok).map((r) => `${r.symbol}: ${r.reason}`);
  assert.deepEqual(failures, []);
  assert.equal(result.passing.length, mined.tasks.length);
  for (const report of result.reports) {
    assert.equal(report.original.reward, 1);
    assert.equal(report.stub.reward, 0);
    assert.deepEqual(report.stub.flags, []);
  }
});

test('a wrong candidate fails some tests and earns partial or no reward, without flags', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const slugify = task('src/strings.ts::slugify');
  const wrong = 'function slugify(text: string, sep: string = "-"): string {\n  return text.toLowerCase().split(" ").join(sep);\n}';
  const result = await verifyCandidate(pool, slugify, wrong, { workspace: ws });
  assert.deepEqual(result.flags, []);
  assert.equal(result.passed, false);
  assert.ok(result.reward > 0 && result.reward < 1, `reward ${result.reward}`);
  assert.ok(result.tests.some((x) => x.outcome === 'failed' && x.message.length > 0));
  assert.deepEqual(result.tests.map((x) => x.id).sort(), [...slugify.tests].sort());
});

test('process.exit(0) scores 0: caught statically, and at run time when hidden from the checks', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const gcd = task('src/math.ts::gcd');
  const plain = await verifyCandidate(pool, gcd, 'function gcd(a: number, b: number): number {\n  process.exit(0);\n}', { workspace: ws });
  assert.equal(plain.reward, 0);
  assert.deepEqual(plain.flags.map((f) => f.code), ['exit_call']);
  // The Function constructor reached through a computed key: no static check sees `process`.
  const hidden = `function gcd(a: number, b: number): number {
  const key = ['constr', 'uctor'].join('');
  const make = (gcd as unknown as Record<string, (code: string) => () => { exit(code: number): never }>)[key];
  return make('return pro' + 'cess')().exit(0);
}`;
  const sneaky = await verifyCandidate(pool, gcd, hidden, { workspace: ws });
  assert.equal(sneaky.reward, 0);
  assert.equal(sneaky.passed, false);
  const codes = sneaky.flags.map((f) => f.code);
  assert.ok(codes.includes('crashed') || codes.includes('test_set_mismatch'), `flags: ${codes.join(', ')}`);
});

test('an infinite loop is stopped by the time limit', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const result = await verifyCandidate(pool, task('src/math.ts::isPrime'), 'function isPrime(n: number): boolean {\n  for (;;) {}\n}', { workspace: ws });
  assert.equal(result.reward, 0);
  assert.ok(result.flags.some((f) => f.code === 'timeout' || f.code === 'resource_limit'), JSON.stringify(result.flags));
});

test('verification leaves the workspace byte-identical', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const before = snapshot(ws);
  const result = await verifyCandidate(pool, task('src/strings.ts::truncate'),
    'function truncate(text: string, max: number, ellipsis = "…"): string {\n  return text.length <= max ? text : text.slice(0, max - ellipsis.length) + ellipsis;\n}', { workspace: ws });
  assert.ok(result.reward > 0);
  assert.deepEqual(snapshot(ws), before);
  // The copy left out local state a developer may have in the example (a git-ignored `.rlvr` cache).
  const pristine = [...snapshot(EXAMPLE)].filter(([file]) => isCommittedPath(file));
  const copied = snapshot(ws);
  for (const [file, bytes] of pristine) assert.equal(copied.get(file), bytes, file);
});

test('CommonJS TypeScript: export getters do not map a test to functions it did not call', async (t) => {
  if (sandboxProblem) return t.skip(sandboxProblem);
  const cjs = mkdtempSync(join(tmpdir(), 'rlvr-mining-cjs-'));
  try {
    chmodSync(cjs, 0o755);
    mkdirSync(join(cjs, 'src'));
    mkdirSync(join(cjs, 'test'));
    writeFileSync(join(cjs, 'package.json'), JSON.stringify({ name: 'cjs', scripts: { test: 'node --import tsx --test test/*.test.ts' } }));
    writeFileSync(join(cjs, 'src', 'a.ts'), 'export function first(x: number): number {\n  return x + 1;\n}\n\nexport function second(x: number): number {\n  return x * 2;\n}\n');
    writeFileSync(join(cjs, 'test', 'a.test.ts'), "import { test } from 'node:test';\nimport assert from 'node:assert/strict';\nimport * as a from '../src/a';\n"
      + "test('first adds one', () => { assert.equal(a.first(1), 2); });\ntest('second doubles', () => { assert.equal(a.second(2), 4); });\n");
    const report = await nodeTestMiner.mine(cjs, {});
    assert.deepEqual(report.collectErrors, []);
    assert.deepEqual(report.calls, {
      'test/a.test.ts::first adds one': ['src/a.ts::first'],
      'test/a.test.ts::second doubles': ['src/a.ts::second'],
    });
  } finally {
    rmSync(cjs, { recursive: true, force: true });
  }
});

test('a Vitest workspace is detected and refused with what is supported', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-vitest-'));
  try {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ scripts: { test: 'vitest run' }, devDependencies: { vitest: '^3.0.0' } }));
    assert.equal(await nodeTestMiner.detect(dir), true);
    await assert.rejects(nodeTestMiner.mine(dir, {}), (e: unknown) => e instanceof RlvrError && e.code === 'unsupported_test_framework' && /node:test/.test(e.hint ?? ''));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
