// Schema version 2: training-health warnings per step (`step_warnings`) and the full pass@k curve
// of an evaluation (`evaluations.curve`), including an upgrade of a version-1 file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, SCHEMA_VERSION, type Store } from '../../src/trainer/store';
import { Db } from '../../src/trainer/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/trainer/store/schema';
import { newRun, tempDb } from '../helpers/store-fixtures';
import { StoreRecorder } from '../../src/trainer/run/store-recorder';
import type { StepMetrics } from '../../src/trainer/run/step-metrics';
import { HEALTH_METRICS, healthPointFromRecord, healthPointOf } from '../../src/trainer/run/health-tracker';

async function withRun(body: (store: Store) => Promise<void>): Promise<void> {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r' }));
    await body(store);
  } finally {
    await store.close();
    tmp.cleanup();
  }
}

const entropy = { code: 'entropy_collapse' as const, severity: 'warning' as const, message: 'entropy collapse: down to 0.1' };
const noSignal = { code: 'no_signal' as const, severity: 'critical' as const, message: 'no learning signal at step 2' };

test('step warnings come back in order with their step; recording a step again replaces them', async () => {
  await withRun(async (store) => {
    await store.recordStep('r', 1, { entropy: 1 });
    await store.recordStep('r', 2, { entropy: 0.1, health: [entropy, noSignal] });
    await store.recordStep('r', 3, { entropy: 0.1, health: [entropy] });
    let steps = await store.queries.listSteps('r', { metrics: ['entropy'] });
    assert.deepEqual(steps.map((s) => [s.step, s.health.map((w) => w.code)]), [[1, []], [2, ['entropy_collapse', 'no_signal']], [3, ['entropy_collapse']]]);
    assert.deepEqual(steps[1]?.health[1], noSignal);
    await store.recordStep('r', 2, { entropy: 0.2, health: [noSignal] });
    steps = await store.queries.listSteps('r', { from: 2, to: 2 });
    assert.deepEqual(steps.map((s) => s.health), [[noSignal]]);
    const byCode = await store.db.all<{ code: string; n: number }>('SELECT code, count(*) AS n FROM step_warnings GROUP BY code ORDER BY code');
    assert.deepEqual(byCode.map((r) => [r.code, r.n]), [['entropy_collapse', 1], ['no_signal', 1]], 'queryable with SQL');
  });
});

test('a malformed warning is refused before anything is written', async () => {
  await withRun(async (store) => {
    const bad = { ...entropy, severity: 'fatal' as 'warning' };
    await assert.rejects(store.recordStep('r', 1, { entropy: 1, health: [entropy, bad] }), (e: Error & { code?: string }) =>
      e.code === 'store_invalid_input' && /health\[1\]/.test(e.message));
    assert.deepEqual(await store.queries.listSteps('r'), []);
  });
});

test('warnings go with their steps: discardAfterStep and deleteRun remove them', async () => {
  await withRun(async (store) => {
    for (let step = 1; step <= 3; step++) await store.recordStep('r', step, { health: [entropy] });
    await store.discardAfterStep('r', 1);
    const left = await store.db.all<{ step: number }>('SELECT step FROM step_warnings');
    assert.deepEqual(left.map((r) => r.step), [1]);
    await store.deleteRun('r');
    assert.equal((await store.db.get<{ n: number }>('SELECT count(*) AS n FROM step_warnings'))?.n, 0);
  });
});

test('an evaluation keeps its full pass@k curve; without one it reads back null; a bad curve is refused', async () => {
  await withRun(async (store) => {
    const evaluation = { runId: 'r', label: 'base', step: 0, checkpoint: null, n: 4, tasks: [{ taskId: 't', n: 4, c: 1 }], passAtK: { '1': 0.25, '4': 1 }, regression: null };
    await store.recordEvaluation({ ...evaluation, curve: [0.25, 0.5, 0.75, 1] });
    await store.recordEvaluation({ ...evaluation, label: 'old-style' });
    const evals = await store.queries.listEvaluations('r');
    assert.deepEqual(evals.map((e) => [e.label, e.curve]), [['base', [0.25, 0.5, 0.75, 1]], ['old-style', null]]);
    await assert.rejects(store.recordEvaluation({ ...evaluation, curve: [0.25, 0.5] }), { code: 'store_invalid_input' });
    await assert.rejects(store.recordEvaluation({ ...evaluation, curve: [0.25, 0.5, 0.75, 1.5] }), { code: 'store_invalid_input' });
  });
});

test('a version-1 file is upgraded in place: its steps and evaluations stay, with no warnings and no curve', async () => {
  const tmp = tempDb();
  try {
    const db = await Db.open(tmp.path);
    await migrate(db, MIGRATIONS.slice(0, 1));
    await db.run(`INSERT INTO runs(id, created_at, updated_at, status, workspace, model, config, seed) VALUES ('old', 1, 1, 'completed', '/w', 'm', '{}', 0)`);
    await db.run(`INSERT INTO steps(run_key, step, created_at, entropy, extra) VALUES (1, 1, 1, 0.5, '{"warnings":["an old warning"]}')`);
    await db.run(`INSERT INTO evaluations(run_key, label, step, n, tasks, pass_at_k, created_at) VALUES (1, 'base', 0, 8, '[]', '{"1":0.5}', 1)`);
    await db.close();
    const store = await openStore(tmp.path);
    try {
      assert.equal((await store.db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, SCHEMA_VERSION);
      const [step] = await store.queries.listSteps('old');
      assert.deepEqual([step?.metrics.entropy, step?.extra.warnings, step?.health], [0.5, ['an old warning'], []]);
      assert.deepEqual((await store.queries.listEvaluations('old')).map((e) => [e.passAtK, e.curve]), [[{ '1': 0.5 }, null]]);
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
});

test('what the recorder stores for a step reads back as the same health point (resume sees the same series)', async () => {
  await withRun(async (store) => {
    const metrics: StepMetrics = {
      rewardMean: 0.5, rewardStd: 0.5, passRate: 0.5, fracZeroStd: 0.75, groupsDropped: 3, groups: 4, groupsAllPassed: 2, groupsAllFailed: 1,
      completionLenMean: 180, truncationRate: 0.125, flaggedRate: 0.0625, ahaPer1k: 0, fixRate: 0, entropy: 0.8, samples: 16,
      generatedTokens: 2880, tokensPerSecond: 100, generateSeconds: 28.8, verifyTailSeconds: 1, trainSeconds: 2,
      train: { step: 1, loss: 0.1, policyLoss: 0.1, kl: 0.02, clipFractionLow: 0, clipFractionHigh: 0, entropy: 0.8, gradNorm: 1, tokens: 2880, learningRate: 1e-6, seconds: 2 },
    };
    await new StoreRecorder(store, 'r').recordStep(1, metrics, [entropy]);
    const [record] = await store.queries.listSteps('r', { metrics: HEALTH_METRICS });
    assert.ok(record);
    assert.deepEqual(healthPointFromRecord(record), healthPointOf(1, metrics));
    assert.deepEqual(record.health, [entropy]);
    assert.deepEqual(record.extra.warnings, [entropy.message], 'the messages also stay where version-1 readers look');
  });
});
