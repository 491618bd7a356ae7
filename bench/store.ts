/**
 * Trace store benchmark (`npm run bench -- store [--traces N] [--compare N] [--reps N] [--page-size N] [--keep] [--dry]`).
 *  1. Ingest, same traces, fresh files: our group commit vs row-at-a-time statements (same batch
 *     transactions) vs one transaction per trace.
 *  2. Ingest N synthetic traces (default 1M, 4 runs) with our writer; throughput and CPU per trace.
 *  3. Side-panel queries on a read-only connection: p50 / p95 / max per query.
 *  4. Peer: the same queries on the same file without our indexes.
 * Appends a section to BENCHMARKS.md; the last line printed is the headline.
 */
import { appendFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { cpus, loadavg, machine, release, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { openStore, openStoreReader, type Store } from '../src/trainer/store';
import { SyntheticTraces, MARKERS, rng } from './store/synthetic';
import { RowAtATimeWriter, OUR_INDEXES } from './store/peers';
import { PANEL_QUERIES, timeQuery, type QueryContext, type Timing } from './store/queries';
import { threadCpu, threadSplit } from './store/threads';
import type { TraceInput } from '../src/trainer/store/types';

const args = process.argv.slice(2);
const flag = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const TOTAL = flag('traces', 1_000_000);
const RUNS = 4;
const PER_STEP = 256;
const GROUP = 8;
const TASKS = 32;
const COMPARE = flag('compare', 20_000);
const REPS = flag('reps', 40);
/** Page size of the benchmark's new files (default: the store's own default). */
const PAGE_SIZE = args.includes('--page-size') ? flag('page-size', 0) : undefined;
const keep = args.includes('--keep');
/** Print only; do not append to BENCHMARKS.md (trial runs). */
const dry = args.includes('--dry');

const dir = mkdtempSync(join(tmpdir(), 'rlvr-bench-store-'));
const log = (line: string) => console.log(line);
const perSecond = (n: number, ms: number) => Math.round((n * 1000) / ms);
const cpuMs = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };

async function newStore(name: string): Promise<Store> {
  const store = await openStore(join(dir, name), { pageSize: PAGE_SIZE });
  await store.createRun({ id: 'bench', workspace: '/bench', model: 'synthetic', config: {}, seed: 1 });
  return store;
}

/** Our writer: one recordTraces call per step, up to 8 steps in flight (the loop awaits less). */
async function ingestOurs(store: Store, steps: Iterable<TraceInput[]>): Promise<number> {
  let count = 0;
  const inflight: Promise<unknown>[] = [];
  for (const traces of steps) {
    count += traces.length;
    inflight.push(store.recordTraces(traces));
    if (inflight.length >= 8) await inflight.shift();
  }
  await Promise.all(inflight);
  await store.flush();
  return count;
}

interface IngestResult { name: string; traces: number; perSecond: number; cpuUsPerTrace: number }

interface Meter { name: string; traces: number; wallMs: number; cpuMs: number }

/** Adds one timed piece of work to a meter (the comparison interleaves writers in rounds). */
async function measure(meter: Meter, traces: number, work: () => Promise<unknown>): Promise<void> {
  const t0 = performance.now();
  const c0 = cpuMs();
  await work();
  meter.wallMs += performance.now() - t0;
  meter.cpuMs += cpuMs() - c0;
  meter.traces += traces;
}

function summarize(meter: Meter): IngestResult {
  const r = { name: meter.name, traces: meter.traces, perSecond: perSecond(meter.traces, meter.wallMs), cpuUsPerTrace: Math.round((meter.cpuMs * 1000) / meter.traces) };
  log(`  ${r.name.padEnd(44)} ${String(r.perSecond).padStart(7)} traces/s   ${r.cpuUsPerTrace} µs CPU/trace`);
  return r;
}

const ROUNDS = 4;

/**
 * The three writers take turns, round by round, on the same traces: the machine is shared, and
 * interleaving spreads a change in its load over all three instead of one.
 */
async function compareIngest(): Promise<IngestResult[]> {
  log(`1. ingest, ${COMPARE} traces into fresh files, the writers taking turns in ${ROUNDS} rounds (same traces)`);
  const synth = new SyntheticTraces({ runs: ['bench'], tracesPerRun: COMPARE, tracesPerStep: PER_STEP, groupSize: GROUP, tasks: TASKS });
  const steps = Array.from({ length: Math.ceil(COMPARE / PER_STEP) }, (_, i) => synth.step('bench', i + 1));
  const ours = await newStore('compare-ours.db');
  const rowsStore = await newStore('compare-rows.db');
  const txStore = await newStore('compare-tx.db');
  const rows = await RowAtATimeWriter.open(rowsStore.db, 1);
  const tx = await RowAtATimeWriter.open(txStore.db, 1);
  const meters: Meter[] = ['ours: group commit, jsonb_each bulk inserts', 'row-at-a-time, 1000-trace transactions', 'row-at-a-time, one transaction per trace']
    .map((name) => ({ name, traces: 0, wallMs: 0, cpuMs: 0 }));
  const [m1, m2, m3] = meters as [Meter, Meter, Meter];
  const perRound = Math.ceil(steps.length / ROUNDS);
  for (let round = 0; round < ROUNDS; round++) {
    const part = steps.slice(round * perRound, (round + 1) * perRound);
    const flat = part.flat();
    // Including the search index's catch-up, so that its work neither escapes the measure nor
    // runs during the other writers' turns.
    await measure(m1, flat.length, async () => { await ingestOurs(ours, part); await ours.searchIndexIdle(); });
    await measure(m2, flat.length, () => rowsStore.db.exclusive(() => rows.write(flat, 1000)));
    const few = flat.slice(0, Math.ceil(flat.length / 10)); // 10× slower: a tenth of the traces
    await measure(m3, few.length, () => txStore.db.exclusive(() => tx.write(few, 1)));
  }
  await rows.close();
  await tx.close();
  for (const store of [ours, rowsStore, txStore]) await store.close();
  return meters.map(summarize);
}

async function timed(name: string, traces: number, work: () => Promise<unknown>): Promise<IngestResult> {
  const meter: Meter = { name, traces: 0, wallMs: 0, cpuMs: 0 };
  await measure(meter, traces, work);
  return summarize(meter);
}

async function ingestMain(path: string): Promise<{ result: IngestResult; stepsPerRun: number; runs: string[] }> {
  const runs = Array.from({ length: RUNS }, (_, i) => `run-${i + 1}`);
  const stepsPerRun = Math.ceil(TOTAL / RUNS / PER_STEP);
  log(`2. ingest ${TOTAL} traces: ${RUNS} runs × ${stepsPerRun} steps × ${PER_STEP} traces (groups of ${GROUP}, ${TASKS} tasks)`);
  const synth = new SyntheticTraces({ runs, tracesPerRun: TOTAL / RUNS, tracesPerStep: PER_STEP, groupSize: GROUP, tasks: TASKS });
  const store = await openStore(path, { pageSize: PAGE_SIZE });
  for (const id of runs) await store.createRun({ id, workspace: '/bench', model: 'synthetic', config: {}, seed: 1 });
  function* steps(): Generator<TraceInput[]> {
    for (const runId of runs) for (let s = 1; s <= stepsPerRun; s++) yield synth.step(runId, s);
  }
  const threads = threadCpu();
  const result = await timed(`ours, ${TOTAL} traces (file grows to ${TOTAL / 1e6}M)`, TOTAL, () => ingestOurs(store, steps()));
  // The search index (a side file, written by its own connection) lags the commits by about a batch.
  const lagStart = performance.now();
  await store.searchIndexIdle();
  log(`  search index caught up ${Math.round(performance.now() - lagStart)} ms after the last commit`);
  const split = threadSplit(threads, threadCpu(), TOTAL);
  if (split) log(`  ${split} (search indexing included)`);
  for (const runId of runs) {
    for (let s = 1; s <= stepsPerRun; s++) await store.recordStep(runId, s, { rewardMean: 0.5, passRate: 0.25, loss: 0.1 });
  }
  await store.close();
  const side = `${path}.search`;
  const sideBytes = existsSync(side) ? statSync(side).size : 0;
  log(`  file: ${(statSync(path).size / 1e9).toFixed(2)} GB (${Math.round(statSync(path).size / TOTAL)} bytes per trace); search index ${side}: ${(sideBytes / 1e6).toFixed(0)} MB (${Math.round(sideBytes / TOTAL)} bytes per trace)`);
  return { result, stepsPerRun, runs };
}

async function timeAll(ctx: QueryContext, reps: number, label: string): Promise<Timing[]> {
  log(label);
  const out: Timing[] = [];
  for (const query of PANEL_QUERIES) {
    await query.run(ctx, await query.setup?.(ctx)); // warm the statement and the pages once
    const t = await timeQuery(query, ctx, reps);
    log(`  ${t.name.padEnd(30)} p50 ${t.p50.toFixed(1).padStart(8)} ms   p95 ${t.p95.toFixed(1).padStart(8)} ms   max ${t.max.toFixed(1).padStart(8)} ms`);
    out.push(t);
  }
  return out;
}

function machineLine(): string {
  const cpu = cpus();
  return `${type()} ${release()} ${machine()}, ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, load average ${loadavg().map((l) => l.toFixed(1)).join(' ')}`;
}

function report(ingest: IngestResult[], main: IngestResult, ours: Timing[], peer: Timing[], headline: string): void {
  const [group, rows, perTx] = ingest as [IngestResult, IngestResult, IngestResult];
  const p95List = Math.max(...ours.filter((t, i) => PANEL_QUERIES[i]?.list).map((t) => t.p95));
  const lines = [
    '', `## Trace store (SQLite): ingest and side-panel queries — ${new Date().toISOString().slice(0, 10)}`, '',
    `Machine: ${machineLine()} (at the start: ${loadAtStart}; the machine is shared, so wall-clock rates`,
    `depend on the load — CPU µs per trace does much less). Command: \`npm run bench -- store${args.length ? ' ' + args.join(' ') : ''}\`.`,
    `Synthetic traces: ~150-token completions (think + one function), 4 test results, per-token ids/logprobs/entropies/offsets,`,
    `groups of ${GROUP}, ${TASKS} tasks; search markers with frequencies ${JSON.stringify(MARKERS)}. Targets: ingest ≥ 20k traces/s, list query p95 < 50 ms at 1M.`,
    '', '| ingest | traces | traces/s | CPU µs/trace |', '|---|---:|---:|---:|',
    ...[group, rows, perTx, main].map((r) => `| ${r.name} | ${r.traces} | ${r.perSecond} | ${r.cpuUsPerTrace} |`),
    '', `| query (${TOTAL} traces) | p50 ms | p95 ms | max ms | p95 without our indexes |`, '|---|---:|---:|---:|---:|',
    ...ours.map((t, i) => `| ${t.name} | ${t.p50.toFixed(1)} | ${t.p95.toFixed(1)} | ${t.max.toFixed(1)} | ${peer[i] ? peer[i].p95.toFixed(1) : '–'} |`),
    '', `Worst list-query p95: ${p95List.toFixed(1)} ms.`, '', `**${headline}**`, '',
  ];
  appendFileSync('BENCHMARKS.md', (existsSync('BENCHMARKS.md') ? '' : '# Benchmarks\n') + lines.join('\n'));
}

const loadAtStart = loadavg().map((l) => l.toFixed(1)).join(' ');

async function main(): Promise<void> {
  log(`machine: ${machineLine()}`);
  const ingest = await compareIngest();
  const path = join(dir, 'bench.db');
  const { result: main, stepsPerRun, runs } = await ingestMain(path);
  const reader = await openStoreReader(path);
  const probe = await reader.queries.queryTraces({ runId: runs[0] as string, search: 'wait', limit: 1 });
  if (probe.searchIndex?.state !== 'ready') throw new Error(`the search index is not caught up, search timings would be meaningless: ${JSON.stringify(probe.searchIndex)}`);
  const some = await reader.queries.queryTraces({ runId: runs[0] as string, sort: 'reward', limit: 1000 });
  const ctx: QueryContext = { queries: reader.queries, runs, stepsPerRun, tasks: TASKS, traceIds: some.rows.map((r) => r.id), r: rng(3) };
  const ours = await timeAll(ctx, REPS, `3. side-panel queries on ${TOTAL} traces (read-only connection, ${REPS} repetitions each)`);
  await reader.close();

  const writer = await openStore(path);
  for (const index of OUR_INDEXES) await writer.db.run(`DROP INDEX ${index}`);
  await writer.close();
  const bare = await openStoreReader(path);
  const peer = await timeAll({ ...ctx, queries: bare.queries, r: rng(3) }, 3, '4. peer: the same queries without our indexes (3 repetitions each)');
  await bare.close();

  const [group, rows] = ingest as [IngestResult, IngestResult];
  const listIdx = PANEL_QUERIES.map((q, i) => (q.list ? i : -1)).filter((i) => i >= 0);
  const worst = Math.max(...listIdx.map((i) => ours[i]?.p95 ?? 0));
  const worstPeer = Math.max(...listIdx.map((i) => peer[i]?.p95 ?? 0));
  const headline = `store: ingest ${main.perSecond} traces/s at ${TOTAL / 1e6}M traces, ${main.cpuUsPerTrace} µs CPU each; ` +
    `${(group.perSecond / rows.perSecond).toFixed(1)}× the traces/s (${(rows.cpuUsPerTrace / group.cpuUsPerTrace).toFixed(1)}× less CPU) of row-at-a-time inserts in the same transactions; ` +
    `worst side-panel list query p95 ${worst.toFixed(1)} ms, ${(worstPeer / worst).toFixed(0)}× faster than without our indexes`;
  if (!dry) report(ingest, main, ours, peer, headline);
  if (!keep) rmSync(dir, { recursive: true, force: true });
  else log(`kept ${dir}`);
  log(headline);
}

main().catch((err: unknown) => {
  if (!keep) rmSync(dir, { recursive: true, force: true });
  console.error(err);
  process.exit(1);
});
