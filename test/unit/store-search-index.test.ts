import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { openStore, openStoreReader, SCHEMA_VERSION } from '../../src/trainer/store';
import { Db } from '../../src/trainer/store/sqlite';
import { MIGRATIONS, migrate } from '../../src/trainer/store/schema';
import { RECONNECT_MS, searchIndexPath } from '../../src/trainer/store/search-index';
import { makeTrace, newRun, tempDb, PROMPT } from '../helpers/store-fixtures';

/** Inserts a trace row and its body directly into the main file (as an older version, or a writer killed before its index caught up). */
async function insertRaw(db: Db, id: number, completion: string): Promise<void> {
  await db.run(`INSERT INTO traces(id, run_key, step, kind, task_id, group_index, sample_index, prompt_id, reward_total, reward_correctness,
    reward_format, reward_overlong, prompt_tokens, completion_tokens, finish_reason, passed, flagged, created_at)
    VALUES (?, 1, 1, 'train', 'task-0', 0, 0, 1, 1, 1, 0, 0, 40, 0, 'stop', 1, 0, 1)`, [id]);
  await db.run('INSERT INTO trace_bodies(trace_id, completion) VALUES (?, ?)', [id, completion]);
}

async function searchIds(path: string, word: string): Promise<{ ids: number[]; state: string | undefined }> {
  const reader = await openStoreReader(path);
  try {
    const page = await reader.queries.queryTraces({ runId: 'r', search: word, sort: 'id', order: 'asc' });
    return { ids: page.rows.map((r) => r.id), state: page.searchIndex?.state };
  } finally {
    await reader.close();
  }
}

test('an index behind the main file (a writer killed before its index caught up) is caught up by the next writer', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path);
    await store.createRun(newRun({ id: 'r' }));
    const [first] = await store.recordTraces([makeTrace({ runId: 'r', completion: 'a walrus swims' })]);
    await store.close();
    // Traces committed to the main file that the index never saw.
    const db = await Db.open(tmp.path);
    for (let id = 2; id <= 4; id++) await insertRaw(db, id, `walrus number ${id}`);
    await db.close();

    const behind = await searchIds(tmp.path, 'walrus');
    assert.deepEqual(behind, { ids: [first], state: 'behind' }, 'a reader says the index is behind and finds what it holds');

    const again = await openStore(tmp.path);
    await again.searchIndexIdle();
    const page = await again.queries.queryTraces({ runId: 'r', search: 'walrus', sort: 'id', order: 'asc' });
    assert.deepEqual(page.rows.map((r) => r.id), [first, 2, 3, 4]);
    assert.equal(page.searchIndex?.state, 'ready');
    await again.close();
    assert.deepEqual(await searchIds(tmp.path, 'walrus'), { ids: [first, 2, 3, 4], state: 'ready' });
  } finally {
    tmp.cleanup();
  }
});

test('a side file that cannot be opened at first is opened after a later batch, and the index catches up', async () => {
  const tmp = tempDb();
  try {
    const side = searchIndexPath(tmp.path);
    // Something in the way (here a folder; in life another writer creating the file at the same moment).
    mkdirSync(side);
    const logged: string[] = [];
    const store = await openStore(tmp.path, { log: (m) => logged.push(m) });
    await store.createRun(newRun({ id: 'r' }));
    const early = await store.recordTraces([0, 1].map((i) => makeTrace({ runId: 'r', completion: `a tapir ${i}` }, i)));
    await store.searchIndexIdle();
    const blocked = await store.queries.queryTraces({ runId: 'r', search: 'tapir', sort: 'id', order: 'asc' });
    assert.deepEqual([blocked.rows.length, blocked.searchIndex?.state], [0, 'missing']);
    assert.ok(logged.some((m) => /cannot open the search index .*retried after later batches/.test(m)), logged.join('\n'));

    rmSync(side, { recursive: true });
    const [late] = await store.recordTraces([makeTrace({ runId: 'r', completion: 'one more tapir' })]);
    await store.searchIndexIdle();
    assert.equal((await store.queries.queryTraces({ runId: 'r', search: 'tapir', sort: 'id', order: 'asc' })).rows.length, 0,
      'a batch right after the failure does not retry yet (at most once per RECONNECT_MS)');
    await new Promise((done) => setTimeout(done, RECONNECT_MS + 50));
    const [last] = await store.recordTraces([makeTrace({ runId: 'r', completion: 'the last tapir' })]);
    await store.searchIndexIdle();
    const page = await store.queries.queryTraces({ runId: 'r', search: 'tapir', sort: 'id', order: 'asc' });
    assert.deepEqual(page.rows.map((r) => r.id), [...early, late, last], 'every trace, the ones before the open included');
    assert.equal(page.searchIndex?.state, 'ready');
    assert.ok(logged.some((m) => /search index .* opened; catching up/.test(m)), logged.join('\n'));
    await store.close();
  } finally {
    tmp.cleanup();
  }
});

test('a damaged side file is moved aside, logged and rebuilt; the run goes on', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path);
    await store.createRun(newRun({ id: 'r' }));
    const ids = await store.recordTraces([0, 1, 2].map((i) => makeTrace({ runId: 'r', completion: `an okapi ${i}` }, i)));
    await store.close();
    const side = searchIndexPath(tmp.path);
    for (const suffix of ['-wal', '-shm']) rmSync(side + suffix, { force: true });
    writeFileSync(side, Buffer.alloc(8192, 0x5a));

    const logged: string[] = [];
    const again = await openStore(tmp.path, { log: (m) => logged.push(m) });
    const [more] = await again.recordTraces([makeTrace({ runId: 'r', completion: 'one more okapi' })]);
    await again.searchIndexIdle();
    assert.deepEqual((await again.queries.queryTraces({ runId: 'r', search: 'okapi', sort: 'id', order: 'asc' })).rows.map((r) => r.id), [...ids, more]);
    await again.close();
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0] as string, /search index .*runs\.db\.search cannot be read .*moved to .*runs\.db\.search\.damaged-\d+; rebuilding it/);
    assert.ok(readdirSync(tmp.dir).some((f) => /^runs\.db\.search\.damaged-\d+$/.test(f)), 'the damaged file is kept aside, not deleted');
  } finally {
    tmp.cleanup();
  }
});

test('a side file of another database (runs.db deleted and recreated) is not used: rebuilt for this one', async () => {
  const tmp = tempDb();
  try {
    const old = await openStore(tmp.path);
    await old.createRun(newRun({ id: 'r' }));
    await old.recordTraces([makeTrace({ runId: 'r', completion: 'a stale tapir' })]);
    await old.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(tmp.path + suffix, { force: true });

    const logged: string[] = [];
    const store = await openStore(tmp.path, { log: (m) => logged.push(m) });
    await store.createRun(newRun({ id: 'r' }));
    await store.recordTraces([makeTrace({ runId: 'r', completion: 'a fresh zebu' })]);
    await store.searchIndexIdle();
    assert.equal((await store.queries.queryTraces({ runId: 'r', search: 'tapir' })).rows.length, 0, 'nothing from the old file');
    assert.equal((await store.queries.queryTraces({ runId: 'r', search: 'zebu' })).rows.length, 1);
    await store.close();
    assert.match(logged.join('\n'), /belongs to another database/);
  } finally {
    tmp.cleanup();
  }
});

test('a version-3 file is upgraded: trace_fts and its triggers go, its traces are searchable from the side file', async () => {
  const tmp = tempDb();
  try {
    const db = await Db.open(tmp.path);
    await migrate(db, MIGRATIONS.slice(0, 3));
    await db.run(`INSERT INTO runs(id, created_at, updated_at, status, workspace, model, config, seed) VALUES ('r', 1, 1, 'completed', '/w', 'm', '{}', 0)`);
    await db.run(`INSERT INTO prompts(id, sha, text) VALUES (1, 'sha-old', ?)`, [PROMPT]);
    for (let id = 1; id <= 3; id++) await insertRaw(db, id, `an old narwhal ${id}`);
    assert.equal((await db.get<{ n: number }>("SELECT count(*) AS n FROM trace_fts WHERE trace_fts MATCH 'narwhal'"))?.n, 3, 'indexed by the version-3 trigger');
    await db.close();

    const store = await openStore(tmp.path);
    try {
      assert.equal((await store.db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, SCHEMA_VERSION);
      const leftovers = await store.db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE name LIKE 'trace_fts%' OR name LIKE 'trace_bodies_a%'");
      assert.deepEqual(leftovers, [], 'no trace_fts tables or triggers left in the main file');
      const [newId] = await store.recordTraces([makeTrace({ runId: 'r', completion: 'a new narwhal' })]);
      await store.searchIndexIdle();
      const page = await store.queries.queryTraces({ runId: 'r', search: 'narwhal', sort: 'id', order: 'asc' });
      assert.deepEqual(page.rows.map((r) => r.id), [1, 2, 3, newId]);
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
});

test('a reader without a side file answers searches with "search index not built yet", other queries as usual', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path);
    await store.createRun(newRun({ id: 'r' }));
    await store.recordTraces([makeTrace({ runId: 'r', completion: 'a quiet ibex' })]);
    await store.close();
    const side = searchIndexPath(tmp.path);
    for (const suffix of ['', '-wal', '-shm']) rmSync(side + suffix, { force: true });

    const reader = await openStoreReader(tmp.path);
    try {
      const page = await reader.queries.queryTraces({ runId: 'r', search: 'ibex' });
      assert.deepEqual(page.rows, []);
      assert.equal(page.searchIndex?.state, 'missing');
      assert.match(page.searchIndex?.message ?? '', /search index not built yet: .*runs\.db\.search does not exist/);
      assert.equal((await reader.queries.queryTraces({ runId: 'r' })).rows.length, 1);
      assert.equal(existsSync(side), false, 'a reader never creates the side file');
    } finally {
      await reader.close();
    }
  } finally {
    tmp.cleanup();
  }
});
