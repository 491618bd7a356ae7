/**
 * Reward-hacking and escaping candidates against the real verifier (sandbox + warm pytest
 * servers) on a copy of examples/python-basics. Each fixture runs twice: with the static checks
 * (the normal path) and with them skipped, so the runtime walls are tested on their own.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { mineTasks } from '../../src/trainer/mining';
import type { Task } from '../../src/trainer/tasks/task';
import { originalSource } from '../../src/trainer/verifier/ground-truth';
import type { VerifierPool } from '../../src/trainer/verifier/pool';
import { createPythonPool } from '../../src/trainer/verifier/python-server';
import { FLAG } from '../../src/trainer/verifier/flags';
import { failedResult, scoreReply, type VerificationResult } from '../../src/trainer/verifier/result';
import { replyDeadlineMs } from '../../src/trainer/verifier/timeouts';
import { buildRequest, newSentinel } from '../../src/trainer/verifier/verify';
import { treeDiff, treeHash } from '../helpers/tree-hash';
import { copyExample } from '../helpers/example-copy';

const FIXTURES = join(__dirname, '..', 'fixtures', 'hostile');

/** How a zero must come about. 'tests-fail': no flag needed, every test failed (the trick had no effect). */
type Expect = { flags: string[] } | 'tests-fail';
interface HostileCase {
  file: string;
  /** Normal path (static checks on). */
  checked: Expect;
  /** Runtime walls only; null where only the static checks can tell (see docs/verifier.md, threat model). */
  runtime: Expect | null;
}

const CASES: HostileCase[] = [
  { file: 'infinite-loop.py', checked: { flags: ['timeout'] }, runtime: { flags: ['timeout'] } },
  { file: 'fork-bomb.py', checked: { flags: ['forbidden_import'] }, runtime: { flags: ['timeout', 'resource_limit', 'crashed'] } },
  { file: 'memory-bomb.py', checked: { flags: ['resource_limit', 'timeout'] }, runtime: { flags: ['resource_limit', 'timeout'] } },
  { file: 'network.py', checked: { flags: ['forbidden_import'] }, runtime: 'tests-fail' },
  { file: 'write-outside.py', checked: { flags: ['forbidden_import'] }, runtime: 'tests-fail' },
  { file: 'edit-tests.py', checked: { flags: ['forbidden_import', 'test_framework_access'] }, runtime: 'tests-fail' },
  { file: 'remount.py', checked: { flags: ['introspection'] }, runtime: 'tests-fail' },
  { file: 'sys-exit.py', checked: { flags: ['exit_call'] }, runtime: 'tests-fail' },
  { file: 'os-exit.py', checked: { flags: ['exit_call'] }, runtime: { flags: ['crashed', 'test_set_mismatch'] } },
  // Printing is not cheating; the fake summary is simply never read, and the answer is wrong.
  { file: 'fake-output.py', checked: 'tests-fail', runtime: 'tests-fail' },
  { file: 'patch-reports.py', checked: { flags: ['test_framework_access', 'introspection'] }, runtime: { flags: ['sentinel_passed'] } },
  { file: 'forge-protocol.py', checked: { flags: ['forbidden_import'] }, runtime: 'tests-fail' },
  { file: 'skip-tests.py', checked: { flags: ['test_framework_access'] }, runtime: { flags: ['skipped_not_passed'] } },
  { file: 'daemon.py', checked: { flags: ['forbidden_import'] }, runtime: 'tests-fail' },
  // Kills the fork-server: the pool replaces it, retries once, then reports the crash.
  { file: 'kill-server.py', checked: { flags: ['forbidden_import'] }, runtime: { flags: ['crashed'] } },
  { file: 'always-equal.py', checked: { flags: ['always_equal'] }, runtime: null },
  { file: 'hardcoded.py', checked: { flags: ['hardcoded_expected'] }, runtime: null },
];

/** Paths outside the workspace that fixtures try to create (see write-outside.py). */
const HOST_MARKERS = ['/root/RLVR_HOSTILE_HOME_FILE', '/tmp/RLVR_HOSTILE_TMP_FILE'];

let workspace: string;
let task: Task;
let pool: VerifierPool;
let before_: Map<string, string>;
let bashrc: string | null;

const readOrNull = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);

before(async () => {
  workspace = join(mkdtempSync(join(tmpdir(), 'rlvr-hostile-')), 'python-basics');
  copyExample('python-basics', workspace);
  const mined = await mineTasks({ workspace });
  const found = mined.tasks.find((t) => t.symbol === 'slugify');
  assert.ok(found, 'examples/python-basics has a slugify task');
  task = found;
  assert.ok(task.heldOutTests.length > 0, 'slugify has held-out tests');
  pool = (await createPythonPool({ workspace, size: 2 })).pool;
  before_ = treeHash(workspace);
  bashrc = readOrNull(join(homedir(), '.bashrc'));
});

after(async () => {
  await pool?.close();
  if (workspace) rmSync(dirname(workspace), { recursive: true, force: true });
});

async function verify(candidate: string, skipStaticChecks: boolean): Promise<VerificationResult> {
  const sentinel = newSentinel();
  const request = { ...buildRequest(task, candidate, sentinel), skip_static_checks: skipStaticChecks };
  const outcome = await pool.run({ workspace, request, deadlineMs: replyDeadlineMs(request.timeout_s) });
  assert.notEqual(outcome.kind, 'cancelled');
  // As verifyCandidate does: a server that died on the job twice is a `crashed` flag.
  if (outcome.kind === 'crashed') return failedResult(task, { code: FLAG.crashed, message: outcome.message }, 0);
  assert.ok(outcome.kind === 'reply');
  return scoreReply(task, sentinel, outcome.reply);
}

function assertZero(result: VerificationResult, expect: Expect, label: string): void {
  const codes = result.flags.map((f) => f.code);
  const detail = `${label}: ${JSON.stringify({ reward: result.reward, flags: result.flags, tests: result.tests.map((t) => [t.outcome, t.message.slice(0, 80)]) })}`;
  assert.equal(result.reward, 0, detail);
  assert.equal(result.passed, false, detail);
  if (expect === 'tests-fail') {
    assert.equal(result.tests.length, task.tests.length, detail);
    assert.ok(result.tests.every((t) => t.outcome !== 'passed' && t.message.length > 0), `every test fails with a message — ${detail}`);
  } else {
    assert.ok(expect.flags.some((code) => codes.includes(code)), `expected one of ${expect.flags.join('|')} — ${detail}`);
    assert.ok(result.flags.every((f) => f.message.length > 0), detail);
  }
}

const processesMatching = (marker: string): string[] => readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
  try {
    return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker);
  } catch {
    return false;
  }
});

describe('hostile candidates score 0 with a reason', () => {
  // All submitted at once: hostile runs share the two servers with each other, as in training.
  const results = new Map<string, Promise<[VerificationResult, VerificationResult | null]>>();
  const resultOf = (c: HostileCase): Promise<[VerificationResult, VerificationResult | null]> => {
    let r = results.get(c.file);
    if (!r) {
      const candidate = readFileSync(join(FIXTURES, c.file), 'utf8');
      r = Promise.all([verify(candidate, false), c.runtime ? verify(candidate, true) : Promise.resolve(null)]);
      results.set(c.file, r);
    }
    return r;
  };
  before(() => { for (const c of CASES) void resultOf(c).catch(() => undefined); });

  for (const c of CASES) {
    test(c.file, async () => {
      const [checked, runtime] = await resultOf(c);
      assertZero(checked, c.checked, `${c.file} with static checks`);
      if (c.runtime && runtime) assertZero(runtime, c.runtime, `${c.file}, runtime walls only`);
    });
  }
});

describe('afterwards', () => {
  test('the workspace is byte-identical (every file, hidden ones included)', () => {
    assert.deepEqual(treeDiff(before_, treeHash(workspace)), []);
    assert.ok(!existsSync(join(dirname(workspace), 'RLVR_HOSTILE_PARENT_FILE')));
  });

  test('nothing was written on the host outside the workspace', () => {
    for (const path of HOST_MARKERS) assert.equal(existsSync(path), false, path);
    assert.equal(readOrNull(join(homedir(), '.bashrc')), bashrc, '~/.bashrc unchanged');
  });

  test('no daemon survived', () => {
    assert.deepEqual(processesMatching('RLVR_HOSTILE_DAEMON'), []);
  });

  test('the pool keeps serving correct candidates', async () => {
    for (let i = 0; i < 3; i++) {
      const result = await verify(originalSource(workspace, task), false);
      assert.equal(result.reward, 1, JSON.stringify(result.flags));
      assert.equal(result.passed, true);
      assert.ok(result.tests.some((t) => t.heldOut));
    }
    // kill-server.py took down a server twice (first run + retry); each was replaced.
    assert.ok(pool.stats().serversReplaced >= 2, JSON.stringify(pool.stats()));
  });
});
