// Schema version 3: think, answer and code stored as character spans of the completion, cut out
// with SQLite's substr() (which counts code points, where JS counts UTF-16 units), and the upgrade
// of a version-2 file whose rows keep their texts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { openStore, openStoreReader, SCHEMA_VERSION, type Store } from '../../src/trainer/store';
import { Db } from '../../src/trainer/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/trainer/store/schema';
import { SpanSource } from '../../src/trainer/store/text-spans';
import { makeTrace, newRun, PROMPT, tempDb } from '../helpers/store-fixtures';

interface BodyRow {
  think: string | null; think_start: number | null; think_len: number | null;
  answer: string | null; answer_start: number | null; code: string | null; code_start: number | null;
}

const bodyOf = (store: Store, id: number) => store.db.get<BodyRow>('SELECT * FROM trace_bodies WHERE trace_id = ?', [id]);

test('spans count characters: a surrogate pair is one, a lone surrogate one, plain text its length', () => {
  assert.deepEqual(new SpanSource('<think>ab</think>').spanOf('ab'), [7, 2]);
  assert.deepEqual(new SpanSource('🧪 x 🧪 yz').spanOf('yz'), [6, 2], 'two emoji before: 2 characters, 4 UTF-16 units');
  assert.deepEqual(new SpanSource('a🧪b').spanOf('🧪b'), [1, 2]);
  assert.deepEqual(new SpanSource('a\uD83Eb c').spanOf('c'), [4, 1], 'a lone surrogate is stored as one U+FFFD: one character');
  assert.deepEqual(new SpanSource('abc').spanOf(''), [0, 0], 'an empty text is an empty span, not null');
  assert.equal(new SpanSource('abc').spanOf('abd'), null, 'not a piece of the completion: stored as text');
  assert.equal(new SpanSource('a\u0000b c').spanOf('c'), null, 'substr() stops at NUL: stored as text');
  assert.equal(new SpanSource('x🧪').spanOf('x\uD83E'), null, 'a span may not end inside a surrogate pair');
  assert.equal(new SpanSource('x🧪').spanOf('\uDDEA'), null, 'nor start inside one');
});

test('texts beside non-BMP characters are stored as spans and come back exactly, through getTrace and trace_texts', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r1' }));
    const think = '🧪 first the 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 case, then 日本語 — wait, emoji 👩‍👩‍👧 too';
    const code = 'def f(s):\n    return "🧪" + s\n';
    const answer = `\`\`\`python\n${code}\`\`\``;
    const completion = `🙂 <think>${think}</think>\n${answer}`;
    const traces = [
      makeTrace({ runId: 'r1', completion, think, answer, code }, 0),
      // The parser rewrote it (not a piece of the completion): stored as text.
      makeTrace({ runId: 'r1', completion, think: think.toUpperCase(), answer, code: 'def f(s):\n    pass\n' }, 1),
      // A NUL before the think text: substr() would stop there, so texts are stored as texts.
      makeTrace({ runId: 'r1', completion: `\u0000${completion}`, think, answer, code }, 2),
    ];
    const ids = await store.recordTraces(traces);
    const got = await store.queries.getTraces(ids);
    for (const [i, t] of traces.entries()) {
      assert.deepEqual([got[i]?.think, got[i]?.answer, got[i]?.code], [t.think, t.answer, t.code], `trace ${i}`);
    }
    const spanned = await bodyOf(store, ids[0] as number);
    assert.deepEqual([spanned?.think, spanned?.answer, spanned?.code], [null, null, null], 'no copies of the texts');
    const thinkAt = completion.indexOf(think);
    assert.equal(spanned?.think_start, [...completion.slice(0, thinkAt)].length, 'start in code points, not UTF-16 units');
    assert.equal(spanned?.think_len, [...think].length);
    assert.notEqual(spanned?.think_start, thinkAt, 'the emoji before it makes the two units differ');
    const rewritten = await bodyOf(store, ids[1] as number);
    const answerStart = [...completion.slice(0, completion.indexOf(answer))].length;
    assert.deepEqual([rewritten?.think, rewritten?.think_start, rewritten?.answer, rewritten?.answer_start, rewritten?.code, rewritten?.code_start],
      [think.toUpperCase(), null, null, answerStart, 'def f(s):\n    pass\n', null]);
    const withNul = await bodyOf(store, ids[2] as number);
    assert.deepEqual([withNul?.think, withNul?.think_start, withNul?.code_start], [think, null, null]);

    const view = await store.db.all<{ think: string; answer: string; code: string }>(
      'SELECT think, answer, code FROM trace_texts WHERE trace_id IN (?, ?, ?) ORDER BY trace_id', ids);
    assert.deepEqual(view.map((v) => [v.think, v.answer, v.code]), traces.map((t) => [t.think, t.answer, t.code]), 'SQL users get the texts from trace_texts');
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('a version-2 file is upgraded in place: its rows keep their texts, new rows get spans, both read the same', async () => {
  const tmp = tempDb();
  try {
    const db = await Db.open(tmp.path);
    await migrate(db, MIGRATIONS.slice(0, 2));
    await db.run(`INSERT INTO runs(id, created_at, updated_at, status, workspace, model, config, seed) VALUES ('old', 1, 1, 'completed', '/w', 'm', '{}', 0)`);
    await db.run(`INSERT INTO prompts(id, sha, text) VALUES (1, 'sha-old', ?)`, [PROMPT]);
    await db.run(`INSERT INTO traces(id, run_key, step, kind, task_id, group_index, sample_index, prompt_id, reward_total, reward_correctness,
      reward_format, reward_overlong, prompt_tokens, completion_tokens, finish_reason, passed, flagged, created_at)
      VALUES (1, 1, 1, 'train', 'task-0', 0, 0, 1, 1.1, 1, 0.1, 0, 40, 0, 'stop', 1, 0, 1)`);
    await db.run(`INSERT INTO trace_bodies(trace_id, completion, think, answer, code) VALUES (1, ?, ?, ?, ?)`,
      ['<think>an old 🧪 marmot</think>\nanswer', 'an old 🧪 marmot', 'answer', null]);
    await db.close();

    const store = await openStore(tmp.path);
    try {
      assert.equal((await store.db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, SCHEMA_VERSION);
      const [newId] = await store.recordTraces([makeTrace({ runId: 'old', completion: '<think>a new 🧪 marmot</think>\nanswer' }, 1)]);
      const [oldTrace, newTrace] = await store.queries.getTraces([1, newId as number]);
      assert.deepEqual([oldTrace?.think, oldTrace?.answer, oldTrace?.code], ['an old 🧪 marmot', 'answer', null]);
      assert.deepEqual([newTrace?.think, newTrace?.answer, newTrace?.code], ['a new 🧪 marmot', 'answer', null]);
      const old = await bodyOf(store, 1);
      assert.deepEqual([old?.think, old?.think_start], ['an old 🧪 marmot', null], 'released rows are not rewritten');
      assert.equal((await bodyOf(store, newId as number))?.think_start, 7);
      await store.searchIndexIdle();
      const hits = await store.queries.queryTraces({ runId: 'old', search: 'marmot', sort: 'id', order: 'asc' });
      assert.deepEqual(hits.rows.map((r) => r.id), [1, newId]);
    } finally {
      await store.close();
    }
    const reader = await openStoreReader(tmp.path);
    try {
      assert.equal((await reader.queries.getTrace(1))?.think, 'an old 🧪 marmot');
    } finally {
      await reader.close();
    }
  } finally {
    tmp.cleanup();
  }
});
