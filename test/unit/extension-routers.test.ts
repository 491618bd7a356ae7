/**
 * The host side of the three webviews against a real SQLite store: handshake (nothing before
 * `ready`), validation of every incoming message, paging, the trace detail with the function's
 * current source, the jump to it (never outside the workspace), and live dashboard updates.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openStore, openStoreReader, type Store, type StoreReader } from '../../src/trainer/store';
import { WEBVIEW_PROTOCOL_VERSION, type HostToDashboard, type HostToTrace, type HostToTraces } from '../../src/shared/webview-messages';
import { TracesRouter } from '../../src/extension/core/routers/traces-router';
import { TraceRouter } from '../../src/extension/core/routers/trace-router';
import { DashboardRouter } from '../../src/extension/core/routers/dashboard-router';
import type { TaskLocation } from '../../src/extension/core/task-locations';
import { pathInWorkspace } from '../../src/extension/core/task-locations';
import type { ReadQueries } from '../../src/extension/core/store-port';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';
import { readFile } from 'node:fs/promises';

let tmp: ReturnType<typeof tempDb>;
let store: Store;
let reader: StoreReader;
let ids: number[];
const workspace = () => join(tmp.dir, 'ws');

const SLUGIFY = 'import re\n\n\ndef slugify(text: str) -> str:\n    return text.lower()\n';

before(async () => {
  tmp = tempDb('rlvr-ext-routers-');
  mkdirSync(join(workspace(), 'pkg'), { recursive: true });
  writeFileSync(join(workspace(), 'pkg', 'text.py'), SLUGIFY);
  store = await openStore(tmp.path);
  await store.createRun(newRun({ id: 'old' }));
  await store.createRun(newRun({ id: 'r1' }));
  const task = (file: string, symbol: string, startLine: number, endLine: number) =>
    ({ id: symbol, language: 'python', file, symbol, bodySpan: { startLine, endLine } });
  await store.recordRunTasks('r1', [
    { taskId: 'task-0', split: 'train', task: task('pkg/text.py', 'slugify', 4, 5) },
    { taskId: 'task-1', split: 'train', task: task('../outside.py', 'evil', 1, 1) },
    { taskId: 'task-2', split: 'train', task: task('pkg/missing.py', 'gone', 1, 2) },
    { taskId: 'task-3', split: 'eval', task: task('pkg/text.py', 'slugify', 4, 5) },
  ]);
  const traces = Array.from({ length: 120 }, (_, i) => makeTrace({ runId: 'r1', step: 1 + Math.floor(i / 40), taskId: `task-${i % 3}`, groupIndex: Math.floor((i % 40) / 4), sampleIndex: i % 4 }, i));
  ids = await store.recordTraces(traces);
  for (const step of [1, 2, 3]) {
    await store.recordStep('r1', step, { rewardMean: step / 10, passRate: 0.5, entropy: Number.NaN, extra: { warnings: [`warning at ${step}`] } });
  }
  await store.recordEvaluation({ runId: 'r1', label: 'base', step: 0, checkpoint: null, n: 4, tasks: [], passAtK: { 1: 0.25 }, regression: null });
  await store.flush();
  reader = await openStoreReader(tmp.path);
});

after(async () => {
  await reader.close();
  await store.close();
  tmp.cleanup();
});

function tracesRouter(preferred: string | null = null) {
  const posted: HostToTraces[] = [];
  const logged: string[] = [];
  const opened: [string, number][] = [];
  const router = new TracesRouter({
    store: async () => reader.queries, post: (m) => posted.push(m), log: (l) => logged.push(l), preferredRunId: () => preferred,
    openTrace: (id) => opened.push(['trace', id]), openGroup: (id) => opened.push(['group', id]),
  });
  return { router, posted, logged, opened };
}

const ready = { type: 'ready', version: WEBVIEW_PROTOCOL_VERSION };
const query = (over: Record<string, unknown> = {}) => ({
  type: 'queryTraces', requestId: 1, filter: { runId: 'r1' }, sort: { key: 'id', order: 'asc' }, offset: 0, limit: 50, ...over,
});

test('traces: nothing is posted before `ready`; `ready` gets the runs, the preferred run and its facets', async () => {
  const { router, posted } = tracesRouter('r1');
  await router.runsChanged();
  router.tracesAdded('r1');
  assert.equal(posted.length, 0, 'no message before the handshake');
  await router.receive(ready);
  const init = posted[0];
  assert.equal(init?.type, 'init');
  if (init?.type !== 'init') return;
  assert.deepEqual(init.runs.map((r) => r.id).sort(), ['old', 'r1']);
  assert.equal(init.runId, 'r1');
  assert.deepEqual(init.facets, { taskIds: ['task-0', 'task-1', 'task-2'], finishReasons: ['stop', 'length'] });
  router.tracesAdded('r1');
  assert.deepEqual(posted[1], { type: 'invalidate', runId: 'r1' });
});

test('traces: a webview of another protocol version gets an error, not data', async () => {
  const { router, posted } = tracesRouter();
  await router.receive({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION + 1 });
  assert.equal(posted.length, 1);
  assert.equal(posted[0]?.type, 'error');
});

test('traces: bad messages are logged and dropped, never reach the store', async () => {
  const { router, posted, logged, opened } = tracesRouter();
  await router.receive(ready);
  posted.length = 0;
  for (const bad of [null, 'x', { type: 'drop table' }, query({ limit: 1e6 }), query({ filter: { runId: 'r1', search: 7 } }), { type: 'openTrace', traceId: '1; rm -rf' }, query({ sort: { key: 'reward_total; --', order: 'asc' } })]) {
    await router.receive(bad);
  }
  assert.equal(posted.length, 0);
  assert.equal(opened.length, 0);
  assert.equal(logged.length, 7);
  await router.receive({ type: 'openGroup', traceId: 5 });
  assert.deepEqual(opened, [['group', 5]]);
});

test('traces: pages by offset are the same whether served by cursor or OFFSET; total only when unfiltered', async () => {
  const { router, posted } = tracesRouter();
  await router.receive(ready);
  posted.length = 0;
  for (const offset of [0, 50, 100]) await router.receive(query({ offset, requestId: offset }));
  const pages = posted.filter((m): m is Extract<HostToTraces, { type: 'traces' }> => m.type === 'traces');
  assert.deepEqual(pages.map((p) => [p.requestId, p.offset, p.rows.length, p.total, p.hasMore]), [[0, 0, 50, 120, true], [50, 50, 50, 120, true], [100, 100, 20, 120, false]]);
  assert.deepEqual(pages.flatMap((p) => p.rows.map((r) => r.id)), [...ids].sort((a, b) => a - b));
  const fresh = tracesRouter();
  await fresh.router.receive(ready);
  await fresh.router.receive(query({ offset: 50 }));
  const jumped = fresh.posted.find((m) => m.type === 'traces');
  assert.deepEqual(jumped?.type === 'traces' && jumped.rows.map((r) => r.id), pages[1]?.rows.map((r) => r.id), 'a jump without a cursor gives the same page');
  posted.length = 0;
  await router.receive(query({ filter: { runId: 'r1', passed: true, step: { min: 2 } }, sort: { key: 'reward', order: 'desc' }, limit: 1000 }));
  const filtered = posted[0];
  assert.ok(filtered?.type === 'traces');
  if (filtered?.type !== 'traces') return;
  assert.equal(filtered.total, null);
  assert.ok(filtered.rows.length > 0 && filtered.rows.every((r) => r.passed && r.step >= 2));
});

test('traces: a search says when its index is still catching up, and says nothing once it is complete', async () => {
  await store.searchIndexIdle();
  const { router, posted } = tracesRouter();
  await router.receive(ready);
  posted.length = 0;
  await router.receive(query({ filter: { runId: 'r1', search: 'slugify' } }));
  const complete = posted.find((m) => m.type === 'traces');
  assert.ok(complete?.type === 'traces' && complete.searchNote === undefined, 'an up-to-date index gives no note');
  // The same router over a store whose side index lags (the newest batch of a live run).
  const queryTraces: ReadQueries['queryTraces'] = async (q) =>
    ({ ...(await reader.queries.queryTraces(q)), searchIndex: { state: 'behind', indexedThrough: 100, lastTraceId: 120 } });
  const lagging = new Proxy(reader.queries, {
    get: (target, key) => (key === 'queryTraces' ? queryTraces : Reflect.get(target, key, target)),
  });
  const behind = new TracesRouter({
    store: async () => lagging, post: (m) => posted.push(m), log: () => undefined, preferredRunId: () => null,
    openTrace: () => undefined, openGroup: () => undefined,
  });
  await behind.receive(ready);
  posted.length = 0;
  await behind.receive(query({ filter: { runId: 'r1', search: 'slugify' } }));
  const page = posted.find((m) => m.type === 'traces');
  assert.match(page?.type === 'traces' ? page.searchNote ?? '' : '', /catching up: traces after id 100 \(of 120\)/);
});

test('traces: a store error answers the request with an error carrying its id', async () => {
  const { router, posted } = tracesRouter();
  await router.receive(ready);
  await router.receive(query({ requestId: 42, filter: { runId: 'no-such-run' } }));
  const error = posted.find((m) => m.type === 'error');
  assert.equal(error?.type === 'error' && error.requestId, 42);
  assert.match(error?.type === 'error' ? error.message : '', /no run "no-such-run"/);
});

function traceRouter(initial: number | null) {
  const posted: HostToTrace[] = [];
  const revealed: [TaskLocation, number][] = [];
  let heatmap: 'off' | 'entropy' | 'logprob' = 'entropy';
  const titles: string[] = [];
  const router = new TraceRouter({
    store: async () => reader.queries,
    post: (m) => posted.push(m),
    readWorkspaceFile: async (file) => {
      const full = pathInWorkspace(workspace(), file);
      return full ? readFile(full, 'utf8').catch(() => null) : null;
    },
    reveal: (loc, line) => revealed.push([loc, line]),
    heatmap: () => heatmap,
    saveHeatmap: (m) => { heatmap = m; },
    shown: (_id, title) => titles.push(title),
    log: () => undefined,
  }, initial);
  return { router, posted, revealed, titles, heatmap: () => heatmap };
}

test('trace panel: init with the saved heatmap, then the trace it was restored for, with the function as the workspace has it', async () => {
  const id = ids[0] as number; // task-0: pkg/text.py slugify
  const { router, posted, titles } = traceRouter(id);
  assert.equal(posted.length, 0);
  await router.receive(ready);
  assert.deepEqual(posted[0], { type: 'init', version: WEBVIEW_PROTOCOL_VERSION, heatmap: 'entropy' });
  const shown = posted[1];
  assert.equal(shown?.type, 'trace');
  if (shown?.type !== 'trace') return;
  assert.equal(shown.detail.id, id);
  assert.deepEqual(shown.detail.original, { file: 'pkg/text.py', line: 4, source: 'def slugify(text: str) -> str:\n    return text.lower()', language: 'python' });
  assert.ok(Array.isArray(shown.detail.tokens?.logprobs), 'typed arrays became plain arrays');
  assert.doesNotThrow(() => structuredClone(shown.detail));
  assert.match(titles[0] ?? '', new RegExp(`^Trace ${id} · slugify · step 1$`));
});

test('trace panel: a task file outside the workspace or missing gives no source, and no jump', async () => {
  const outside = ids[1] as number; // task-1: ../outside.py
  const missing = ids[2] as number; // task-2: pkg/missing.py
  const { router, posted, revealed } = traceRouter(null);
  await router.receive(ready);
  await router.open(outside);
  await router.open(missing);
  const details = posted.filter((m): m is Extract<HostToTrace, { type: 'trace' }> => m.type === 'trace');
  assert.deepEqual(details.map((d) => d.detail.original), [null, null]);
  await router.receive({ type: 'revealFunction', traceId: outside });
  assert.equal(revealed.length, 0);
  assert.match(posted.at(-1)?.type === 'error' ? (posted.at(-1) as { message: string }).message : '', /not in this workspace/);
  await router.receive({ type: 'revealFunction', traceId: ids[3] as number });
  assert.equal(revealed.length, 1);
  assert.equal(revealed[0]?.[0].file, 'pkg/text.py');
  assert.equal(revealed[0]?.[1], 4);
});

test('trace panel: the group view sends the G samples with their code; heatmap choice is saved; unknown trace is an error', async () => {
  const { router, posted, heatmap } = traceRouter(null);
  await router.receive(ready);
  await router.receive({ type: 'openGroup', traceId: ids[5] as number });
  const group = posted.find((m) => m.type === 'group');
  assert.ok(group?.type === 'group');
  if (group?.type !== 'group') return;
  assert.equal(group.members.length, 4);
  assert.ok(group.members.some((m) => m.id === ids[5]));
  assert.ok(group.members.every((m) => typeof m.code === 'string' && m.preview.length > 0));
  await router.receive({ type: 'setHeatmap', mode: 'logprob' });
  assert.equal(heatmap(), 'logprob');
  await router.open(999999);
  assert.match(posted.at(-1)?.type === 'error' ? (posted.at(-1) as { message: string }).message : '', /trace 999999 is not in the trace store/);
});

test('dashboard: init for the preferred run with steps (NaN → null, warnings) and evaluations; progress sends only new steps', async () => {
  const posted: HostToDashboard[] = [];
  const exported: string[] = [];
  const router = new DashboardRouter({
    store: async () => reader.queries, post: (m) => posted.push(m), preferredRunId: () => 'r1',
    exportRun: (id) => exported.push(id), shown: () => undefined, log: () => undefined,
  }, null);
  await router.progress('r1');
  assert.equal(posted.length, 0);
  await router.receive(ready);
  const init = posted[0];
  assert.ok(init?.type === 'init');
  if (init?.type !== 'init') return;
  assert.equal(init.runId, 'r1');
  assert.deepEqual(init.steps.map((s) => [s.step, s.metrics.rewardMean, s.metrics.entropy, s.warnings]), [
    [1, 0.1, null, ['warning at 1']], [2, 0.2, null, ['warning at 2']], [3, 0.3, null, ['warning at 3']]]);
  assert.deepEqual(init.evaluations.map((e) => [e.label, e.passAtK]), [['base', { 1: 0.25 }]]);
  await store.recordStep('r1', 4, { rewardMean: 0.4 });
  await router.progress('r1');
  const update = posted[1];
  assert.ok(update?.type === 'runUpdate');
  assert.deepEqual(update?.type === 'runUpdate' && update.steps.map((s) => s.step), [4]);
  await router.progress('old');
  assert.equal(posted.length, 2, 'progress of another run is not sent');
  await router.receive({ type: 'selectRun', runId: 'old' });
  assert.equal(posted[2]?.type === 'init' && posted[2].runId, 'old');
  await router.receive({ type: 'exportRun', runId: 'r1' });
  assert.deepEqual(exported, ['r1']);
});
