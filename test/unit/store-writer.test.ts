import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, openStoreReader, type Store } from '../../src/trainer/store';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';

async function withStore(options: Parameters<typeof openStore>[1], fn: (store: Store, path: string) => Promise<void>): Promise<void> {
  const tmp = tempDb();
  const store = await openStore(tmp.path, options);
  try {
    await store.createRun(newRun({ id: 'r' }));
    await fn(store, tmp.path);
  } finally {
    await store.close();
    tmp.cleanup();
  }
}

async function visibleCount(path: string): Promise<number> {
  const reader = await openStoreReader(path);
  try {
    return (await reader.queries.getRun('r'))?.traceCount ?? -1;
  } finally {
    await reader.close();
  }
}

test('traces wait for a full batch, then commit together; the promise resolves only after COMMIT', async () => {
  await withStore({ batchSize: 10, flushDelayMs: 60_000 }, async (store, path) => {
    let resolved = 0;
    const first = store.recordTraces([0, 1, 2, 3].map((i) => makeTrace({ runId: 'r' }, i))).then((ids) => { resolved++; return ids; });
    const second = store.recordTraces([4, 5, 6, 7].map((i) => makeTrace({ runId: 'r' }, i))).then((ids) => { resolved++; return ids; });
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(resolved, 0, 'below the batch size nothing is written yet');
    assert.equal(await visibleCount(path), 0);
    const third = store.recordTraces([8, 9].map((i) => makeTrace({ runId: 'r' }, i)));
    const ids = [...await first, ...await second, ...await third];
    assert.equal(await visibleCount(path), 10, 'resolved means visible to another connection');
    assert.deepEqual(ids, ids.map((_, i) => (ids[0] as number) + i), 'ids follow call order');
  });
});

test('a short delay flushes a small batch; flush() forces it at once', async () => {
  await withStore({ batchSize: 1000, flushDelayMs: 20 }, async (_store, path) => {
    const ids = await _store.recordTraces([makeTrace({ runId: 'r' })]);
    assert.equal(ids.length, 1);
    assert.equal(await visibleCount(path), 1);
  });
  await withStore({ batchSize: 1000, flushDelayMs: 60_000 }, async (store, path) => {
    const pending = store.recordTraces([makeTrace({ runId: 'r' })]);
    await store.flush();
    assert.equal(await visibleCount(path), 1);
    assert.equal((await pending).length, 1);
  });
});

test('a bad trace rejects its own call before queueing; other calls in the same batch are stored', async () => {
  await withStore({ batchSize: 1000, flushDelayMs: 60_000 }, async (store) => {
    const good = store.recordTraces([makeTrace({ runId: 'r' }, 1)]);
    await assert.rejects(store.recordTraces([makeTrace({ runId: 'r' }, 2), makeTrace({ runId: 'r', reward: { total: Number.NaN, correctness: 0, format: 0, overlong: 0 } }, 3)]),
      (err: Error & { code?: string }) => {
        assert.equal(err.code, 'store_invalid_input');
        assert.match(err.message, /trace 1 .*reward\.total must be a finite number, got NaN/);
        return true;
      });
    await assert.rejects(store.recordTraces([makeTrace({ runId: 'r', completionTokens: 3 })]), /tokens\.ids has \d+ entries but completionTokens is 3/);
    const unknownRun = store.recordTraces([makeTrace({ runId: 'ghost' })]);
    await store.flush();
    await assert.rejects(unknownRun, { code: 'store_not_found' });
    assert.equal((await good).length, 1);
    assert.equal((await store.queries.getRun('r'))?.traceCount, 1);
  });
});

test('close() commits what is pending; recording after close is refused', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path, { batchSize: 1000, flushDelayMs: 60_000 });
    await store.createRun(newRun({ id: 'r' }));
    const pending = store.recordTraces([1, 2, 3].map((i) => makeTrace({ runId: 'r' }, i)));
    await store.close();
    assert.equal((await pending).length, 3);
    await assert.rejects(store.recordTraces([makeTrace({ runId: 'r' })]), { code: 'store_closed' });
    assert.equal(await visibleCount(tmp.path), 3);
  } finally {
    tmp.cleanup();
  }
});

test('aha events filled later replace the old ones and update the count (and the hasAha filter)', async () => {
  await withStore({}, async (store) => {
    const [id] = await store.recordTraces([makeTrace({ runId: 'r' })]);
    const event = { category: 'verification', cue: 'check', charStart: 0, charEnd: 5, tokenIndex: 1, position: 0.5, phase: 'reflection' as const, consequence: 'confirm' as const, entropy: 1.5, forking: false };
    await store.replaceAhaEvents(id as number, [event, { ...event, cue: 'again', consequence: null }]);
    assert.equal((await store.queries.getTrace(id as number))?.ahaCount, 2);
    assert.equal((await store.queries.queryTraces({ runId: 'r', hasAha: true })).rows.length, 1);
    await store.replaceAhaEvents(id as number, []);
    assert.deepEqual((await store.queries.getTrace(id as number))?.ahaEvents, []);
    assert.equal((await store.queries.queryTraces({ runId: 'r', hasAha: true })).rows.length, 0);
    await assert.rejects(store.replaceAhaEvents(999, []), { code: 'store_not_found' });
    await assert.rejects(store.replaceAhaEvents(id as number, [{ ...event, position: 2 }]), { code: 'store_invalid_input' });
  });
});

test('discardAfterStep removes later traces (and their search entries), steps and evaluations; task stats follow', async () => {
  await withStore({}, async (store) => {
    for (let step = 1; step <= 4; step++) {
      await store.recordTraces([0, 1, 2, 3].map((i) => makeTrace({ runId: 'r', step, completion: `<think>step${step} word</think>` }, i)));
      await store.recordStep('r', step, { rewardMean: step / 10 });
    }
    await store.recordEvaluation({ runId: 'r', label: 'step-4', step: 4, checkpoint: null, n: 4, tasks: [], passAtK: { '1': 0.5 }, regression: null });
    const removed = await store.discardAfterStep('r', 2);
    assert.deepEqual(removed, { traces: 8, steps: 2, evaluations: 1 });
    assert.equal((await store.queries.getRun('r'))?.lastStep, 2);
    assert.equal((await store.queries.getRun('r'))?.traceCount, 8);
    assert.deepEqual((await store.queries.listSteps('r')).map((s) => s.step), [1, 2]);
    await store.searchIndexIdle();
    assert.equal((await store.queries.queryTraces({ runId: 'r', search: 'step4' })).rows.length, 0);
    assert.equal((await store.queries.queryTraces({ runId: 'r', search: 'step2' })).rows.length, 4);
    const stats = await store.queries.taskSummaries('r');
    assert.equal(stats.reduce((n, s) => n + s.samples, 0), 8);
  });
});

test('deleteRun removes the run and everything it recorded', async () => {
  await withStore({}, async (store) => {
    await store.createRun(newRun({ id: 'other' }));
    await store.recordTraces([0, 1, 2].map((i) => makeTrace({ runId: 'r', flags: [{ code: 'x', message: 'y' }] }, i)));
    const kept = await store.recordTraces([makeTrace({ runId: 'other' })]);
    await store.recordStep('r', 1, { loss: 1 });
    await store.deleteRun('r');
    for (const table of ['traces', 'trace_bodies', 'flags', 'steps', 'task_stats']) {
      const row = await store.db.get<{ n: number }>(`SELECT count(*) AS n FROM ${table}`);
      const expected = table === 'traces' || table === 'trace_bodies' || table === 'task_stats' ? 1 : 0;
      assert.equal(row?.n, expected, table);
    }
    await store.searchIndexIdle();
    assert.deepEqual((await store.queries.queryTraces({ runId: 'other', search: 'slugify' })).rows.map((r) => r.id), kept);
    assert.equal(await store.queries.getRun('r'), null);
  });
});
