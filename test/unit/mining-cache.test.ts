import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { decideCache, readMiningCache } from '../../src/trainer/mining/cache';
import { hashWorkspaceFiles } from '../../src/trainer/mining/file-hashes';
import { mineTasks } from '../../src/trainer/mining/mine-tasks';
import type { MinedWorkspace } from '../../src/trainer/mining/mined';
import type { LanguageMiner } from '../../src/trainer/mining/miner';

/** A miner that reports one function and its test, counts its runs, and has a settable fingerprint. */
class FakeMiner implements LanguageMiner {
  id = 'fake';
  language = 'python' as const;
  frameworks = 'fake-test';
  runs = 0;
  fingerprintValue = 'fp1';
  report: MinedWorkspace = {
    tests: [{ id: 'tests/test_m.py::test_f', outcome: 'passed', duration: 0.5 }, { id: 'tests/test_m.py::test_g', outcome: 'passed', duration: 0.25 }],
    functions: [
      { language: 'python', file: 'm.py', symbol: 'f', signature: 'def f():', docstring: 'F.', startLine: 1, endLine: 2, context: '', kind: 'function' },
      { language: 'python', file: 'm.py', symbol: 'unused', signature: 'def unused():', docstring: null, startLine: 4, endLine: 5, context: '', kind: 'function' },
    ],
    calls: { 'tests/test_m.py::test_f': ['m.py::f'], 'tests/test_m.py::test_g': ['m.py::f'] },
    collectErrors: [],
  };
  constructor(private readonly present = true) {}
  detect = async (): Promise<boolean> => this.present;
  fingerprint = async (): Promise<string> => this.fingerprintValue;
  mine = async (): Promise<MinedWorkspace> => {
    this.runs++;
    return structuredClone(this.report);
  };
}

let ws: string;
beforeEach(() => {
  ws = mkdtempSync(join(tmpdir(), 'rlvr-mining-cache-'));
  writeFileSync(join(ws, 'm.py'), 'def f():\n    return 1\n\ndef unused():\n    return 2\n');
  mkdirSync(join(ws, 'tests'));
  writeFileSync(join(ws, 'tests', 'test_m.py'), 'from m import f\n\ndef test_f():\n    assert f() == 1\n');
});
afterEach(() => rmSync(ws, { recursive: true, force: true }));

test('first run mines and stores; second run answers from the cache without mining', async () => {
  const miner = new FakeMiner();
  const first = await mineTasks({ workspace: ws, miners: [miner] });
  assert.equal(first.fromCache, false);
  assert.equal(miner.runs, 1);
  assert.deepEqual(first.tasks.map((t) => t.symbol), ['f']);
  assert.deepEqual(first.skipped, [{ file: 'm.py', symbol: 'unused', reason: 'no test calls it' }]);
  assert.ok(readMiningCache(JSON.parse(readFileSync(join(ws, '.rlvr/cache/mining.json'), 'utf8'))));
  assert.match(readFileSync(join(ws, '.rlvr/.gitignore'), 'utf8'), /^\*$/m);
  const second = await mineTasks({ workspace: ws, miners: [miner] });
  assert.equal(second.fromCache, true);
  assert.equal(miner.runs, 1);
  assert.deepEqual(second.tasks, first.tasks);
});

test('a changed, added or removed file re-mines and is reported; caches and our own folder do not count', async () => {
  const miner = new FakeMiner();
  await mineTasks({ workspace: ws, miners: [miner] });
  for (const dir of ['__pycache__', 'node_modules', '.git', '.venv', '.pytest_cache']) {
    mkdirSync(join(ws, dir), { recursive: true });
    writeFileSync(join(ws, dir, 'x'), 'noise');
  }
  writeFileSync(join(ws, 'm.cpython-311.pyc'), 'bytecode');
  writeFileSync(join(ws, '.rlvr', 'notes'), 'ours');
  assert.equal((await mineTasks({ workspace: ws, miners: [miner] })).fromCache, true);
  writeFileSync(join(ws, 'm.py'), 'def f():\n    return 3\n');
  const changed = await mineTasks({ workspace: ws, miners: [miner] });
  assert.equal(changed.fromCache, false);
  assert.deepEqual(changed.changedFiles, ['m.py']);
  assert.equal(miner.runs, 2);
  rmSync(join(ws, 'tests', 'test_m.py'));
  writeFileSync(join(ws, 'README.md'), 'hi');
  const again = await mineTasks({ workspace: ws, miners: [miner] });
  assert.deepEqual(again.changedFiles, ['README.md', 'tests/test_m.py']);
  assert.equal(miner.runs, 3);
});

test('a changed fingerprint, --no-cache or a corrupt cache file re-mines', async () => {
  const miner = new FakeMiner();
  await mineTasks({ workspace: ws, miners: [miner] });
  miner.fingerprintValue = 'fp2';
  assert.equal((await mineTasks({ workspace: ws, miners: [miner] })).fromCache, false);
  assert.equal((await mineTasks({ workspace: ws, miners: [miner], useCache: false })).fromCache, false);
  assert.equal(miner.runs, 3);
  assert.equal((await mineTasks({ workspace: ws, miners: [miner] })).fromCache, true);
  writeFileSync(join(ws, '.rlvr/cache/mining.json'), '{"format": 1, "files": {}, "miners": {"fake": {"fingerprint": "fp2"}}}');
  assert.equal((await mineTasks({ workspace: ws, miners: [miner] })).fromCache, false);
  assert.equal(miner.runs, 4);
});

test('decideCache: languages appearing or disappearing is a miss', () => {
  const files = hashWorkspaceFiles(ws);
  const cache = { format: 1 as const, files, miners: { a: { fingerprint: 'x', language: 'python' as const, mined: new FakeMiner().report } } };
  assert.equal(decideCache(cache, files, { a: 'x' }).hit, true);
  assert.deepEqual(decideCache(cache, files, { a: 'x', b: 'y' }), { hit: false, reason: 'the set of languages in the workspace changed', changedFiles: [] });
  assert.equal(decideCache(null, files, { a: 'x' }).hit, false);
});

test('custom tasks are read on every run, also from the cache; a bad line fails before any mining', async () => {
  const miner = new FakeMiner();
  await mineTasks({ workspace: ws, miners: [miner] });
  writeFileSync(join(ws, '.rlvr', 'tasks.jsonl'), `${JSON.stringify({ file: 'm.py', symbol: 'unused', tests: ['tests/test_m.py::test_g'], prompt: 'Return 2.' })}\n`);
  const withCustom = await mineTasks({ workspace: ws, miners: [miner] });
  assert.equal(withCustom.fromCache, true);
  assert.deepEqual(withCustom.tasks.map((t) => `${t.symbol}:${t.source}`), ['f:mined', 'unused:custom']);
  writeFileSync(join(ws, '.rlvr', 'tasks.jsonl'), '{"file": "m.py", "symbol": "f", "tests": []}\n');
  writeFileSync(join(ws, 'm.py'), 'changed');
  await assert.rejects(mineTasks({ workspace: ws, miners: [miner] }), /\.rlvr\/tasks\.jsonl:1: field "tests"/);
  assert.equal(miner.runs, 1);
});

test('no detected framework, or a run that collects no tests, is a clear no_tests error and caches nothing', async () => {
  await assert.rejects(mineTasks({ workspace: ws, miners: [new FakeMiner(false)] }), (e: unknown) =>
    e instanceof RlvrError && e.code === 'no_tests'
    && e.message.startsWith(`no tests found in ${ws}: no fake-test tests were detected; RLVR Studio needs pytest or node:test tests that exercise your functions (vitest and jest are detected but not supported yet)`));
  const empty = new FakeMiner();
  empty.report = { tests: [], functions: [], calls: {}, collectErrors: ['tests/test_m.py: ImportError: no module named x'] };
  await assert.rejects(mineTasks({ workspace: ws, miners: [empty] }), /no tests found in .*: collection failed: tests\/test_m\.py: ImportError/);
  assert.throws(() => readFileSync(join(ws, '.rlvr/cache/mining.json')));
  await assert.rejects(mineTasks({ workspace: join(ws, 'nope'), miners: [empty] }), (e: unknown) => e instanceof RlvrError && e.code === 'bad_input');
});

test('nothing outside .rlvr/ is written', async () => {
  const before = hashWorkspaceFiles(ws);
  await mineTasks({ workspace: ws, miners: [new FakeMiner()] });
  assert.deepEqual(hashWorkspaceFiles(ws), before);
});
