import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, type Store, type TraceInput, type TraceQuery } from '../../src/trainer/store';
import { planSearch } from '../../src/trainer/store/search-plan';
import { withSearchIndex } from '../../src/trainer/store/search-attach';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';

const WORDS = ['alpha', 'bravo', 'charlie', 'delta'];

/** Run "a": 5 steps × 2 groups × 4 samples, plus 4 eval samples; run "b": 8 traces that must never leak into "a". */
function dataset(): TraceInput[] {
  const traces: TraceInput[] = [];
  for (let step = 1; step <= 5; step++) {
    for (let i = 0; i < 8; i++) {
      const n = (step - 1) * 8 + i;
      const word = WORDS[n % 4] as string;
      const reward = ((n * 37) % 11) / 10;
      traces.push(makeTrace({
        runId: 'a', step, groupIndex: Math.floor(i / 4), sampleIndex: i % 4, taskId: `task-${n % 3}`,
        completion: `<think>${word} or maybe not, step ${step}</think>\n\`\`\`python\ndef f_${n}():\n    return ${n}\n\`\`\``,
        reward: { total: reward, correctness: reward, format: 0, overlong: 0 },
        passed: reward >= 0.8, passFraction: reward, finishReason: n % 5 === 0 ? 'length' : 'stop',
        completionTokens: 5 + (n % 7), tokens: null,
        flags: n % 9 === 0 ? [{ code: 'sys_exit', message: 'exits early' }] : [],
        ahaEvents: n % 4 === 1 ? [{ category: 'backtrack', cue: 'maybe', charStart: 1, charEnd: 6, tokenIndex: null, position: 0.1, phase: 'reflection', consequence: null, entropy: null, forking: false }] : [],
      }, n));
    }
  }
  for (let i = 0; i < 4; i++) {
    traces.push(makeTrace({ runId: 'a', kind: 'eval', evalLabel: 'base', step: 0, groupIndex: 0, sampleIndex: i, taskId: 'task-held', tokens: null }, 100 + i));
  }
  for (let i = 0; i < 8; i++) traces.push(makeTrace({ runId: 'b', step: 1, completion: 'alpha bravo charlie delta zebra', tokens: null }, 200 + i));
  return traces;
}

let tmp: ReturnType<typeof tempDb>;
let store: Store;
let input: TraceInput[];
let ids: number[];

before(async () => {
  tmp = tempDb();
  store = await openStore(tmp.path);
  await store.createRun(newRun({ id: 'a' }));
  await store.createRun(newRun({ id: 'b' }));
  input = dataset();
  ids = await store.recordTraces(input);
  await store.searchIndexIdle();
});

after(async () => {
  await store.close();
  tmp.cleanup();
});

const inRun = (runId: string) => input.map((t, i) => ({ t, id: ids[i] as number })).filter((x) => x.t.runId === runId);

async function allIds(q: TraceQuery): Promise<number[]> {
  const out: number[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await store.queries.queryTraces({ ...q, limit: 7, cursor });
    out.push(...page.rows.map((r) => r.id));
    if (!page.nextCursor) return out;
    cursor = page.nextCursor;
  }
}

test('each filter returns exactly the matching traces of the run', async () => {
  const cases: [TraceQuery, (t: TraceInput) => boolean][] = [
    [{ runId: 'a' }, () => true],
    [{ runId: 'a', kind: 'eval' }, (t) => t.kind === 'eval'],
    [{ runId: 'a', evalLabel: 'base' }, (t) => t.evalLabel === 'base'],
    [{ runId: 'a', step: 3 }, (t) => t.step === 3],
    [{ runId: 'a', step: { min: 2, max: 4 } }, (t) => t.step >= 2 && t.step <= 4],
    [{ runId: 'a', taskId: 'task-1' }, (t) => t.taskId === 'task-1'],
    [{ runId: 'a', minReward: 0.3, maxReward: 0.7 }, (t) => t.reward.total >= 0.3 && t.reward.total <= 0.7],
    [{ runId: 'a', passed: true }, (t) => t.passed],
    [{ runId: 'a', passed: false, kind: 'train' }, (t) => !t.passed && t.kind === 'train'],
    [{ runId: 'a', finishReason: 'length' }, (t) => t.finishReason === 'length'],
    [{ runId: 'a', flagged: true }, (t) => (t.flags?.length ?? 0) > 0],
    [{ runId: 'a', hasAha: true }, (t) => (t.ahaEvents?.length ?? 0) > 0],
    [{ runId: 'a', hasAha: false, flagged: false }, (t) => (t.ahaEvents?.length ?? 0) === 0 && (t.flags?.length ?? 0) === 0],
    [{ runId: 'a', search: 'bravo' }, (t) => t.completion.includes('bravo')],
    [{ runId: 'a', search: 'bravo step', passed: false }, (t) => t.completion.includes('bravo') && !t.passed],
    [{ runId: 'b', search: 'zebra' }, (t) => t.completion.includes('zebra')],
  ];
  for (const [query, predicate] of cases) {
    const expected = inRun(query.runId).filter((x) => predicate(x.t)).map((x) => x.id).sort((a, b) => a - b);
    assert.ok(expected.length > 0 || query.flagged === undefined, `fixture has matches for ${JSON.stringify(query)}`);
    assert.deepEqual((await allIds(query)).sort((a, b) => a - b), expected, JSON.stringify(query));
  }
});

test('sorting by reward, step, length and id, both orders, with cursor paging covering every row once', async () => {
  const rows = inRun('a');
  const keyOf = { reward: (t: TraceInput) => t.reward.total, step: (t: TraceInput) => t.step, length: (t: TraceInput) => t.completionTokens, id: () => 0 };
  for (const sort of ['reward', 'step', 'length', 'id'] as const) {
    for (const order of ['asc', 'desc'] as const) {
      const sign = order === 'asc' ? 1 : -1;
      const expected = [...rows].sort((x, y) => sign * (keyOf[sort](x.t) - keyOf[sort](y.t) || x.id - y.id)).map((x) => x.id);
      assert.deepEqual(await allIds({ runId: 'a', sort, order }), expected, `${sort} ${order}`);
    }
  }
  const offsetPage = await store.queries.queryTraces({ runId: 'a', sort: 'id', order: 'asc', limit: 5, offset: 10 });
  assert.deepEqual(offsetPage.rows.map((r) => r.id), rows.slice(10, 15).map((x) => x.id));
});

test('a cursor from another sort, or a forged one, is refused', async () => {
  const page = await store.queries.queryTraces({ runId: 'a', sort: 'reward', limit: 3 });
  assert.ok(page.nextCursor);
  await assert.rejects(store.queries.queryTraces({ runId: 'a', sort: 'step', cursor: page.nextCursor }), { code: 'store_invalid_input' });
  await assert.rejects(store.queries.queryTraces({ runId: 'a', cursor: 'not-a-cursor' }), { code: 'store_invalid_input' });
  await assert.rejects(store.queries.queryTraces({ runId: 'nope' }), { code: 'store_not_found' });
});

test('hostile search text is searched for literally, never executed', async () => {
  const hostile = [
    '"', "'", '"bravo', 'bravo"', 'NEAR(bravo charlie)', 'bravo NEAR charlie', '*', 'bra*', 'or', 'OR', 'AND', 'NOT bravo', '-bravo',
    'completion:bravo', '^bravo', '(bravo', "'); DROP TABLE traces; --", '" OR 1=1 --', 'bravo\u0000charlie', '🧪', '{completion}: x',
  ];
  for (const text of hostile) {
    await assert.doesNotReject(store.queries.queryTraces({ runId: 'a', search: text }), text);
  }
  assert.equal((await allIds({ runId: 'a', search: 'bra*' })).length, inRun('a').filter((x) => x.t.completion.includes('bravo')).length);
  // "or" is an ordinary word here: every completion of run a says "or maybe not".
  assert.equal((await allIds({ runId: 'a', search: 'OR', kind: 'train' })).length, 40);
  assert.deepEqual(await allIds({ runId: 'a', search: 'NOT bravo' }), await allIds({ runId: 'a', search: 'bravo' }),
    'NOT is the word "not" (in every completion), not the operator that would exclude bravo');
  assert.deepEqual((await store.queries.queryTraces({ runId: 'a', search: "'; --" })).rows, [], 'nothing searchable matches nothing');
  const count = await store.db.get<{ n: number }>('SELECT count(*) AS n FROM traces');
  assert.equal(count?.n, input.length, 'the table is still there');
});

test('the prompt is searchable too', async () => {
  assert.equal((await allIds({ runId: 'a', search: 'slugify' })).length, inRun('a').length);
});

test('group siblings, task summaries and light rows', async () => {
  const target = inRun('a').find((x) => x.t.step === 2 && x.t.groupIndex === 1 && x.t.sampleIndex === 2);
  assert.ok(target);
  const siblings = await store.queries.groupSiblings(target.id);
  assert.deepEqual(siblings.map((s) => [s.step, s.groupIndex, s.sampleIndex]), [0, 1, 2, 3].map((i) => [2, 1, i]));
  assert.deepEqual(await store.queries.groupSiblings(123456), []);

  const summaries = await store.queries.taskSummaries('a', 'train');
  for (const summary of summaries) {
    const mine = inRun('a').filter((x) => x.t.taskId === summary.taskId && x.t.kind === 'train');
    assert.equal(summary.samples, mine.length);
    assert.equal(summary.passed, mine.filter((x) => x.t.passed).length);
    const best = Math.max(...mine.map((x) => x.t.reward.total));
    assert.equal(summary.bestReward, best);
    assert.equal(summary.bestTraceId, Math.max(...mine.filter((x) => x.t.reward.total === best).map((x) => x.id)), 'newest of the best');
  }
  assert.equal(summaries.length, 3);
  assert.deepEqual((await store.queries.taskSummaries('a', 'eval')).map((s) => [s.taskId, s.samples]), [['task-held', 4]]);
  assert.equal((await store.queries.getRun('a'))?.traceCount, inRun('a').length);
});

test('each search plan returns the same rows as a plain filter would (rare, common, id order, prompt match)', async () => {
  const tmp2 = tempDb();
  const big = await openStore(tmp2.path);
  try {
    await big.createRun(newRun({ id: 'big' }));
    // 2400 traces: "common" in 9 of 10 (more than the 2000 that switch plans), "rare" in 1 of 100.
    const traces = Array.from({ length: 2400 }, (_, i) => makeTrace({
      runId: 'big', step: 1 + (i % 30), tokens: null,
      completion: `${i % 10 === 0 ? 'other' : 'common'} ${i % 100 === 7 ? 'rare' : ''} text ${i}`,
      prompt: i % 2 === 0 ? 'Implement parity_even' : 'Implement parity_odd',
      reward: { total: ((i * 7919) % 1000) / 1000, correctness: 0, format: 0, overlong: 0 },
    }, i));
    const bigIds = await big.recordTraces(traces);
    await big.searchIndexIdle();
    const rows = traces.map((t, i) => ({ t, id: bigIds[i] as number }));
    const byRewardDesc = (a: { t: TraceInput; id: number }, b: { t: TraceInput; id: number }) => b.t.reward.total - a.t.reward.total || b.id - a.id;
    const expectTop = (pred: (t: TraceInput) => boolean, sort: (a: { t: TraceInput; id: number }, b: { t: TraceInput; id: number }) => number) =>
      rows.filter((r) => pred(r.t)).sort(sort).slice(0, 50).map((r) => r.id);
    const got = async (q: Omit<TraceQuery, 'runId'>) => (await big.queries.queryTraces({ runId: 'big', ...q })).rows.map((r) => r.id);

    const hasWord = (w: string) => (t: TraceInput) => t.completion.split(' ').includes(w);
    const plan = (word: string, byId: boolean) => big.db.exclusive(() => withSearchIndex(big.db, () => planSearch(big.db, 1, `"${word}"`, byId)));
    assert.match(JSON.stringify(await plan('common', false)), /\+t\.id IN/, 'common word: membership test while scanning the sort index');
    assert.match(JSON.stringify(await plan('rare', false)), /"sql":"t\.id IN/, 'rare word: primary-key lookups');
    assert.equal((await plan('common', true)).kind, 'fts-order');
    assert.equal((await plan('absent', false)).kind, 'empty');
    assert.deepEqual(await got({ search: 'common', sort: 'reward' }), expectTop(hasWord('common'), byRewardDesc), 'dense: sort-index scan');
    assert.deepEqual(await got({ search: 'rare', sort: 'reward' }), expectTop(hasWord('rare'), byRewardDesc), 'rare: primary-key lookups');
    assert.deepEqual(await got({ search: 'common' }), expectTop(hasWord('common'), (a, b) => b.id - a.id), 'id order from FTS5');
    assert.deepEqual(await got({ search: 'common', order: 'asc', passed: true }), expectTop((t) => hasWord('common')(t) && t.passed, (a, b) => a.id - b.id));
    const evenPrompt = (t: TraceInput) => t.prompt.endsWith('parity_even');
    assert.deepEqual(await got({ search: 'parity_even', sort: 'reward' }), expectTop(evenPrompt, byRewardDesc), 'prompt match');
    assert.deepEqual(await got({ search: 'parity_even' }), expectTop(evenPrompt, (a, b) => b.id - a.id), 'prompt match, id order');
    // Paging through a dense search by cursor visits every match once.
    const seen: number[] = [];
    let cursor: string | undefined;
    do {
      const page = await big.queries.queryTraces({ runId: 'big', search: 'common', sort: 'reward', limit: 500, cursor });
      seen.push(...page.rows.map((r) => r.id));
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    assert.deepEqual(seen, rows.filter((r) => hasWord('common')(r.t)).sort(byRewardDesc).map((r) => r.id));
  } finally {
    await big.close();
    tmp2.cleanup();
  }
});
