import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, openStoreReader } from '../../src/trainer/store';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';

test('runs: create, update (status, last step, checkpoint with resume state, error), list, get', async () => {
  const tmp = tempDb();
  let clock = 1_700_000_000_000;
  const store = await openStore(tmp.path, { now: () => clock });
  try {
    const run = await store.createRun(newRun({ id: 'run-a' }));
    assert.equal(run.id, 'run-a');
    assert.equal(run.status, 'running');
    assert.deepEqual(run.config, { groupSize: 4, learningRate: 1e-5, lossType: 'dapo' });
    assert.equal(run.writerPid, process.pid);
    assert.equal(run.lastCheckpoint, null);
    assert.equal(run.createdAt, clock);

    clock += 1000;
    const updated = await store.updateRun('run-a', {
      status: 'failed', lastStep: 12, error: 'worker died', checkpoint: { dir: '/ck/step-10', step: 10, state: { samplerPosition: 40 } },
    });
    assert.equal(updated.status, 'failed');
    assert.equal(updated.lastStep, 12);
    assert.equal(updated.error, 'worker died');
    assert.deepEqual(updated.lastCheckpoint, { dir: '/ck/step-10', step: 10, state: { samplerPosition: 40 } });
    assert.equal(updated.updatedAt, clock);
    assert.equal(updated.createdAt, clock - 1000);

    const resumed = await store.updateRun('run-a', { status: 'running', error: null });
    assert.equal(resumed.error, null);
    assert.equal(resumed.lastStep, 12, 'fields not given stay');

    clock += 1000;
    const generated = await store.createRun(newRun());
    assert.match(generated.id, /^r-\d{8}-\d{6}-[0-9a-f]{4}$/);
    const runs = await store.queries.listRuns();
    assert.deepEqual(runs.map((r) => r.id), [generated.id, 'run-a'], 'newest first');
    assert.equal(await store.queries.getRun('nope'), null);
    await assert.rejects(store.createRun(newRun({ id: 'run-a' })), /already exists/);
    await assert.rejects(store.createRun(newRun({ id: 'bad id; drop' })), { code: 'store_invalid_input' });
    await assert.rejects(store.updateRun('nope', { status: 'completed' }), { code: 'store_not_found' });
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('steps: every metric column, extra JSON, NaN survives, re-recording a step replaces it', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const metrics = {
      rewardMean: 0.5, rewardStd: 0.25, passRate: 0.375, fracZeroStd: 0.5, groupsDropped: 2, entropy: 1.25, kl: 0.01,
      clipLow: 0.001, clipHigh: 0.002, gradNorm: 3.5, loss: Number.NaN, learningRate: 1e-6, completionLenMean: 120,
      truncationRate: 0.125, flaggedRate: 0, ahaPer1k: 1.5, fixRate: 0.25, tokens: 4096, tokensPerS: 812.5,
      genS: 5.04, verifyS: 0.7, trainS: 2.5,
    };
    await store.recordStep('r1', 1, { ...metrics, extra: { warnings: ['all groups zero-std'] } });
    await store.recordStep('r1', 2, { rewardMean: 0.75 });
    await store.recordStep('r1', 2, { rewardMean: 0.8, passRate: 0.5 });
    const steps = await store.queries.listSteps('r1');
    assert.deepEqual(steps.map((s) => s.step), [1, 2]);
    const [first, second] = steps;
    assert.ok(first && second);
    for (const [name, value] of Object.entries(metrics)) {
      if (Number.isNaN(value)) assert.ok(Number.isNaN(first.metrics[name as keyof typeof metrics]), name);
      else assert.equal(first.metrics[name as keyof typeof metrics], value, name);
    }
    assert.deepEqual(first.extra.warnings, ['all groups zero-std']);
    assert.equal(second.metrics.rewardMean, 0.8);
    assert.equal(second.metrics.loss, null);
    assert.equal((await store.queries.getRun('r1'))?.lastStep, 2, 'recordStep advances the run');
    const chart = await store.queries.listSteps('r1', { metrics: ['rewardMean', 'loss'], from: 2 });
    assert.deepEqual(chart.map((s) => s.metrics), [{ rewardMean: 0.8, loss: null }]);
    await assert.rejects(store.queries.listSteps('r1', { metrics: ['reward_mean; DROP TABLE steps' as 'loss'] }), { code: 'store_invalid_input' });
    await assert.rejects(store.recordStep('nope', 1, {}), { code: 'store_not_found' });
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('run tasks and evaluations round trip; an evaluation label recorded again is replaced', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const task = { id: 'abc', file: 'pkg/text.py', symbol: 'slugify', tests: ['t::a'] };
    await store.recordRunTasks('r1', [{ taskId: 'abc', split: 'train', task }, { taskId: 'def', split: 'eval', task: { id: 'def' } }]);
    await store.recordRunTasks('r1', [{ taskId: 'abc', split: 'train', task: { ...task, symbol: 'slugify2' } }]);
    const tasks = await store.queries.listRunTasks('r1');
    assert.deepEqual(tasks.map((t) => [t.taskId, t.split]), [['abc', 'train'], ['def', 'eval']]);
    assert.equal(tasks[0]?.task.symbol, 'slugify2');

    const evaluation = {
      runId: 'r1', label: 'base', step: 0, checkpoint: null, n: 8,
      tasks: [{ taskId: 'def', n: 8, c: 3 }], passAtK: { '1': 0.375, '4': 0.9 }, regression: null,
    };
    await store.recordEvaluation(evaluation);
    await store.recordEvaluation({ ...evaluation, label: 'step-10', step: 10, checkpoint: '/ck/10', passAtK: { '1': 0.5, '4': 0.85 }, regression: true });
    await store.recordEvaluation({ ...evaluation, passAtK: { '1': 0.4, '4': 0.9 } });
    const evals = await store.queries.listEvaluations('r1');
    assert.deepEqual(evals.map((e) => [e.label, e.step, e.passAtK['1'], e.regression]), [['base', 0, 0.4, null], ['step-10', 10, 0.5, true]]);
    assert.deepEqual(evals[0]?.tasks, [{ taskId: 'def', n: 8, c: 3 }]);
    await assert.rejects(store.recordEvaluation({ ...evaluation, passAtK: { '1': 1.5 } }), { code: 'store_invalid_input' });
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('traces: every field, tests, token arrays, flags and aha events come back exactly', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const hostile = 'emoji 🧪, NUL \u0000 inside, "quotes", \\backslash, <think> in the answer';
    const base = makeTrace({ runId: 'r1' }, 0);
    const trace = makeTrace({
      runId: 'r1', completion: `<think>${hostile}</think>\n\`\`\`python\ndef f():\n    return 1\n\`\`\``,
      think: hostile, answer: '```python\ndef f():\n    return 1\n```', code: 'def f():\n    return 1\n',
      flags: [{ code: 'sys_exit', message: 'calls sys.exit before the tests run' }],
      ahaEvents: [{
        category: 'backtrack', cue: 'Wait', charStart: 10, charEnd: 14, tokenIndex: 3, position: 0.25, phase: 'reflection',
        consequence: 'fix', entropy: 2.5, forking: true,
      }],
      advantage: null, passFraction: null, evalLabel: null, createdAt: 1_700_000_000_123,
      tokens: { ...base.tokens!, entropies: null },
    }, 0);
    const [id] = await store.recordTraces([trace]);
    assert.equal(typeof id, 'number');
    const got = await store.queries.getTrace(id as number);
    assert.ok(got);
    assert.equal(got.runId, 'r1');
    for (const field of ['step', 'kind', 'evalLabel', 'taskId', 'groupIndex', 'sampleIndex', 'prompt', 'completion', 'think', 'answer',
      'code', 'advantage', 'promptTokens', 'completionTokens', 'finishReason', 'passed', 'passFraction', 'createdAt'] as const) {
      assert.deepEqual(got[field], trace[field], field);
    }
    assert.deepEqual(got.reward, trace.reward);
    assert.equal(got.flagged, true);
    assert.equal(got.ahaCount, 1);
    assert.deepEqual(got.tests, trace.tests);
    assert.deepEqual(got.flags, trace.flags);
    assert.deepEqual(got.ahaEvents, trace.ahaEvents);
    assert.ok(got.tokens);
    assert.deepEqual(got.tokens.ids, trace.tokens?.ids);
    assert.deepEqual(got.tokens.logprobs, trace.tokens?.logprobs);
    assert.equal(got.tokens.entropies, null);
    assert.deepEqual(got.tokens.offsets, trace.tokens?.offsets);
    assert.equal(await store.queries.getTrace(999_999), null);

    // Plain number arrays are accepted and stored as float32 / int32.
    const [plain] = await store.recordTraces([makeTrace({ runId: 'r1', tokens: { ids: [1, 2, 3, 4, 5], logprobs: [-0.1, -0.2, -0.3, -0.4, -0.5] }, completionTokens: 5 }, 1)]);
    const plainGot = await store.queries.getTrace(plain as number);
    assert.deepEqual([...plainGot!.tokens!.ids], [1, 2, 3, 4, 5]);
    assert.deepEqual([...plainGot!.tokens!.logprobs], [-0.1, -0.2, -0.3, -0.4, -0.5].map(Math.fround));
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('traces: lone surrogates, empty and null texts, a trace bigger than a payload slab, arrays changed after the call', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path, { flushDelayMs: 60_000 });
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const cut = makeTrace({ runId: 'r1', completion: 'a token cut in an emoji: \uD83E then text', think: '', answer: null, code: null }, 1);
    const empty = makeTrace({ runId: 'r1', completion: '', think: null, answer: null, code: null, tokens: null, completionTokens: 0, tests: [] }, 2);
    const huge = makeTrace({ runId: 'r1', completion: `<think>${'long '.repeat(1_000_000)}</think>` }, 3);
    const mutated = makeTrace({ runId: 'r1' }, 4);
    const pending = store.recordTraces([cut, empty, huge, mutated]);
    const originalIds = Array.from(mutated.tokens?.ids ?? []);
    (mutated.tokens?.ids as Int32Array).fill(-1); // the store copied the arrays when called
    await store.flush();
    const [cutId, emptyId, hugeId, mutatedId] = await pending;
    const [gotCut, gotEmpty, gotHuge, gotMutated] = await store.queries.getTraces([cutId, emptyId, hugeId, mutatedId] as number[]);
    assert.equal(gotCut?.completion, 'a token cut in an emoji: \uFFFD then text', 'one U+FFFD, so UTF-16 offsets still hold');
    assert.equal(gotCut?.think, '', 'an empty text stays empty');
    assert.equal(gotCut?.answer, null, 'null stays null');
    assert.equal(gotEmpty?.completion, '');
    assert.equal(gotEmpty?.tokens, null);
    assert.deepEqual(gotEmpty?.tests, []);
    assert.equal(gotHuge?.completion, huge.completion);
    assert.deepEqual(gotHuge?.tokens?.offsets, huge.tokens?.offsets);
    assert.deepEqual([...(gotMutated?.tokens?.ids ?? [])], originalIds);
    await store.searchIndexIdle();
    const hits = await store.queries.queryTraces({ runId: 'r1', search: 'emoji' });
    assert.deepEqual(hits.rows.map((r) => r.id), [cutId], 'texts from the payload are indexed for search');
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('a read-only connection sees what the writer committed', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const ids = await store.recordTraces([0, 1, 2].map((i) => makeTrace({ runId: 'r1' }, i)));
    const reader = await openStoreReader(tmp.path);
    try {
      const page = await reader.queries.queryTraces({ runId: 'r1', sort: 'id', order: 'asc' });
      assert.deepEqual(page.rows.map((r) => r.id), ids);
      assert.match(page.rows[0]?.preview ?? '', /^<think>Lower-case/);
    } finally {
      await reader.close();
    }
  } finally {
    await store.close();
    tmp.cleanup();
  }
});
