/**
 * `npm run bench -- verifier [--pool N] [--baseline N]`: candidates/s and latency of the warm
 * fork-server pool against one fresh sandboxed pytest run per candidate (`rlvr_verify check` to
 * splice, then `rlvr_verify run` in bubblewrap), both with 2 workers, on a copy of
 * examples/python-basics, with the same mix of correct (original) and wrong (raising) candidates.
 * Appends a section to BENCHMARKS.md; the last line printed is the headline ratio.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, cpSync, existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { mineTasks } from '../src/trainer/mining';
import { verifierPythonDir } from '../src/trainer/paths';
import type { InterpreterInfo } from '../src/trainer/python-env';
import { runSandboxed } from '../src/trainer/sandbox';
import type { Task } from '../src/trainer/tasks/task';
import { originalSource, stubSource } from '../src/trainer/verifier/ground-truth';
import { parseReply } from '../src/trainer/verifier/protocol';
import { createPythonPool, serveSpec } from '../src/trainer/verifier/python-server';
import { scoreReply, type VerificationResult } from '../src/trainer/verifier/result';
import { candidateTimeoutSeconds } from '../src/trainer/verifier/timeouts';
import { newSentinel, verifyCandidate } from '../src/trainer/verifier/verify';
import { machine } from './common/machine';

const run = promisify(execFile);
const WORKERS = 2;

interface Candidate { task: Task; source: string; correct: boolean }
interface Measured { seconds: number; latenciesMs: number[]; rewards: number[] }

/** Alternating correct/wrong candidates over all tasks, repeated to `count`. */
function candidateMix(workspace: string, tasks: Task[], count: number): Candidate[] {
  const base = tasks.flatMap((task) => [
    { task, source: originalSource(workspace, task), correct: true },
    { task, source: stubSource(task), correct: false },
  ]);
  return Array.from({ length: count }, (_, i) => base[i % base.length] as Candidate);
}

/** `workers` loops, each verifying the next candidate once its previous one is done. */
async function closedLoop(candidates: Candidate[], verify: (c: Candidate) => Promise<number>): Promise<Measured> {
  const latenciesMs: number[] = new Array<number>(candidates.length);
  const rewards: number[] = new Array<number>(candidates.length);
  let next = 0;
  const started = performance.now();
  await Promise.all(Array.from({ length: WORKERS }, async () => {
    for (let i = next++; i < candidates.length; i = next++) {
      const t0 = performance.now();
      rewards[i] = await verify(candidates[i] as Candidate);
      latenciesMs[i] = performance.now() - t0;
    }
  }));
  return { seconds: (performance.now() - started) / 1000, latenciesMs, rewards };
}

/** Baseline, one candidate: splice with `rlvr_verify check`, then a fresh sandboxed `rlvr_verify run`. */
async function freshRun(workspace: string, info: InterpreterInfo, c: Candidate): Promise<VerificationResult> {
  const io = mkdtempSync(join(tmpdir(), 'rlvr-bench-io-'));
  try {
    const sentinel = newSentinel();
    writeFileSync(join(io, 'candidate.py'), c.source);
    writeFileSync(join(io, 'tests.json'), JSON.stringify(c.task.tests));
    writeFileSync(join(io, 'held-out.json'), JSON.stringify(c.task.heldOutTests));
    const env = { ...process.env, PYTHONPATH: verifierPythonDir() };
    const checkArgs = ['-m', 'rlvr_verify', 'check', '--file', c.task.file, '--symbol', c.task.symbol,
      '--candidate-file', join(io, 'candidate.py'), '--held-out-tests-file', join(io, 'held-out.json'), '--spliced-output', join(io, 'spliced.py')];
    const checked = JSON.parse((await run(info.executable, checkArgs, { cwd: workspace, env })).stdout) as { ok: boolean; flags: { code: string; message: string }[] };
    if (!checked.ok) return scoreReply(c.task, sentinel, { id: 0, status: 'rejected', tests: [], flags: checked.flags, seconds: 0 });
    const spec = serveSpec(workspace, { interpreter: info });
    const result = await runSandboxed({
      ...spec,
      // The report goes to the sandbox's private /tmp, then to stdout (node's stdio pipes are
      // sockets, which /dev/stdout cannot reopen); pytest's own output goes to stderr.
      command: ['/bin/sh', '-c', '"$0" "$@"; cat /tmp/report.json', info.executable, '-m', 'rlvr_verify', 'run',
        '--file', c.task.file, '--symbol', c.task.symbol, '--candidate-file', '/rlvr-io/candidate.py',
        '--tests-file', '/rlvr-io/tests.json', '--sentinel', sentinel, '--report', '/tmp/report.json'],
      overlays: [{ hostPath: io, sandboxPath: '/rlvr-io' }, { hostPath: join(io, 'spliced.py'), sandboxPath: join(workspace, c.task.file) }],
      limits: { ...spec.limits, cpuSeconds: Math.ceil(candidateTimeoutSeconds(c.task)) + 5 },
      wallTimeoutMs: (candidateTimeoutSeconds(c.task) + 5) * 1000,
    });
    // A candidate that kills the process leaves no report: that is a crash (rlvr_verify README).
    const report = parseJsonObject(result.stdout) ?? { status: 'crashed', tests: [], flags: [], seconds: 0 };
    const reply = parseReply({ id: 0, ...report, type: 'result' });
    if (typeof reply === 'string') throw new Error(`bad report from rlvr_verify run (${reply}): ${result.stdout.slice(0, 300)}\n${result.stderr.slice(-1500)}`);
    return scoreReply(c.task, sentinel, reply);
  } finally {
    rmSync(io, { recursive: true, force: true });
  }
}

function parseJsonObject(text: string): object | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? value : null;
  } catch {
    return null;
  }
}

const percentile = (xs: number[], p: number): number => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

function summary(name: string, m: Measured): { name: string; perSecond: number; p50: number; p95: number; n: number } {
  return { name, perSecond: m.latenciesMs.length / m.seconds, p50: percentile(m.latenciesMs, 50), p95: percentile(m.latenciesMs, 95), n: m.latenciesMs.length };
}

/** Both ways must agree on every candidate, or the comparison is meaningless. */
function checkRewards(name: string, candidates: Candidate[], m: Measured): void {
  const wrong = candidates.filter((c, i) => (m.rewards[i] === 1) !== c.correct);
  if (wrong.length > 0) throw new Error(`${name}: ${wrong.length} candidate(s) scored against expectation, e.g. ${wrong[0]?.task.symbol}`);
}


async function main(): Promise<void> {
  const { values } = parseArgs({ options: { pool: { type: 'string', default: '300' }, baseline: { type: 'string', default: '40' } } });
  const workspace = join(mkdtempSync(join(tmpdir(), 'rlvr-bench-')), 'python-basics');
  cpSync(join(__dirname, '..', 'examples', 'python-basics'), workspace, { recursive: true, filter: (s) => !s.includes('.rlvr') && !s.includes('__pycache__') });
  try {
    const tasks = (await mineTasks({ workspace })).tasks;
    const { pool, interpreter } = await createPythonPool({ workspace, size: WORKERS });
    const poolCandidates = candidateMix(workspace, tasks, Number(values.pool));
    const t0 = performance.now();
    await Promise.all(poolCandidates.slice(0, WORKERS).map((c) => verifyCandidate(pool, c.task, c.source, { workspace })));
    const warmupMs = performance.now() - t0;
    const ours = await closedLoop(poolCandidates, async (c) => (await verifyCandidate(pool, c.task, c.source, { workspace })).reward);
    await pool.close();
    const baselineCandidates = candidateMix(workspace, tasks, Number(values.baseline));
    const fresh = await closedLoop(baselineCandidates, async (c) => (await freshRun(workspace, interpreter, c)).reward);
    checkRewards('pool', poolCandidates, ours);
    checkRewards('fresh', baselineCandidates, fresh);
    report(summary('warm fork-server pool (N=2)', ours), summary('fresh sandboxed pytest per candidate (2 at a time)', fresh), warmupMs, tasks.length);
  } finally {
    rmSync(join(workspace, '..'), { recursive: true, force: true });
  }
}

function report(ours: ReturnType<typeof summary>, fresh: ReturnType<typeof summary>, warmupMs: number, taskCount: number): void {
  const ratio = ours.perSecond / fresh.perSecond;
  const row = (s: typeof ours): string => `| ${s.name} | ${s.n} | ${s.perSecond.toFixed(1)} | ${s.p50.toFixed(0)} | ${s.p95.toFixed(0)} |`;
  const section = [
    '', `## verifier — ${new Date().toISOString()}`, '',
    `Machine: ${machine()}. Workload: examples/python-basics (${taskCount} tasks), half correct (original body),`,
    'half wrong (raising stub) candidates, each checked against all its tests (visible + held-out) plus the sentinel;',
    `2 workers in a closed loop. Pool start-up (2 servers, collection) before timing: ${warmupMs.toFixed(0)} ms.`,
    `Load average at the end (1/5/15 min): ${loadavg().map((l) => l.toFixed(1)).join(' / ')}.`,
    'The fresh way runs `rlvr_verify check` (splice + static checks) and then `rlvr_verify run` in bubblewrap per candidate.', '',
    '| way | candidates | candidates/s | p50 ms | p95 ms |', '|---|---|---|---|---|', row(ours), row(fresh), '',
    `**${ratio.toFixed(1)}x** candidates/s.`, '',
  ].join('\n');
  const file = join(__dirname, '..', 'BENCHMARKS.md');
  if (!existsSync(file)) writeFileSync(file, '# Benchmarks\n\nMeasured numbers, newest last. Figures from a shared 2-core machine: compare rows of one run, not runs.\n');
  appendFileSync(file, section);
  console.log(section);
  console.log(`verifier: ${ratio.toFixed(1)}x candidates/s vs fresh sandboxed pytest`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
