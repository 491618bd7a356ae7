import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync, openSync, writeSync, closeSync, statSync } from 'node:fs';
import { openStore, openStoreReader, SCHEMA_VERSION, STEP_METRIC_COLUMNS } from '../../src/trainer/store';
import { Db } from '../../src/trainer/store/sqlite';
import { APPLICATION_ID, MIGRATIONS, migrate } from '../../src/trainer/store/schema';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';

test('migrations are numbered 1..n in order', () => {
  assert.deepEqual(MIGRATIONS.map((m) => m.version), MIGRATIONS.map((_, i) => i + 1));
  assert.equal(SCHEMA_VERSION, MIGRATIONS.length);
});

test('a new file is migrated to the latest version; reopening keeps the data and migrates nothing', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path);
    await store.createRun(newRun({ id: 'keep-me' }));
    await store.recordTraces([makeTrace({ runId: 'keep-me' })]);
    const version = await store.db.get<{ user_version: number }>('PRAGMA user_version');
    const app = await store.db.get<{ application_id: number }>('PRAGMA application_id');
    const mode = await store.db.get<{ journal_mode: string }>('PRAGMA journal_mode');
    const fk = await store.db.get<{ foreign_keys: number }>('PRAGMA foreign_keys');
    assert.equal(version?.user_version, SCHEMA_VERSION);
    assert.equal(app?.application_id, APPLICATION_ID);
    assert.equal(mode?.journal_mode, 'wal');
    assert.equal(fk?.foreign_keys, 1);
    const tables = (await store.db.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")).map((r) => r.name);
    for (const name of ['runs', 'steps', 'run_tasks', 'prompts', 'traces', 'trace_bodies', 'trace_tests', 'trace_tokens', 'flags', 'aha_events', 'evaluations', 'task_stats', 'prompt_fts', 'store_meta']) {
      assert.ok(tables.includes(name), `${name} exists`);
    }
    assert.ok(!tables.includes('trace_fts'), 'the completions\' index lives in the side file (schema version 4)');
    await store.close();

    const again = await openStore(tmp.path);
    assert.deepEqual((await again.queries.listRuns()).map((r) => [r.id, r.traceCount]), [['keep-me', 1]]);
    await again.close();
  } finally {
    tmp.cleanup();
  }
});

test('the logical views trace_tests and trace_tokens expose the per-test and per-token rows', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    await store.createRun(newRun({ id: 'r' }));
    const trace = makeTrace({ runId: 'r' }, 1);
    const [id] = await store.recordTraces([trace]);
    const tests = await store.db.all<{ test_id: string; outcome: string; held_out: number }>('SELECT test_id, outcome, held_out FROM trace_tests WHERE trace_id = ? ORDER BY seq', [id as number]);
    assert.deepEqual(tests.map((t) => [t.test_id, t.outcome, t.held_out]), trace.tests?.map((t) => [t.testId, t.outcome, t.heldOut ? 1 : 0]));
    const tokens = await store.db.get<{ count: number; ids: Buffer }>('SELECT count, ids FROM trace_tokens WHERE trace_id = ?', [id as number]);
    assert.equal(tokens?.count, trace.completionTokens);
    assert.equal(tokens?.ids.length, trace.completionTokens * 4);
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('every step metric has its REAL column, and nothing else is in steps', async () => {
  const tmp = tempDb();
  const store = await openStore(tmp.path);
  try {
    const columns = (await store.db.all<{ name: string; type: string }>('PRAGMA table_info(steps)'));
    const metricColumns = columns.filter((c) => c.type === 'REAL').map((c) => c.name).sort();
    assert.deepEqual(metricColumns, Object.values(STEP_METRIC_COLUMNS).sort());
    assert.deepEqual(columns.filter((c) => c.type !== 'REAL').map((c) => c.name), ['run_key', 'step', 'created_at', 'extra']);
  } finally {
    await store.close();
    tmp.cleanup();
  }
});

test('a failing migration is rolled back and leaves the version where it was', async () => {
  const tmp = tempDb();
  try {
    await (await openStore(tmp.path)).close();
    const db = await Db.open(tmp.path);
    const failing = { version: SCHEMA_VERSION + 1, description: 'adds a table then fails', async up(d: Db) {
      await d.run('CREATE TABLE half_done (x INTEGER)');
      throw new Error('boom');
    } };
    await assert.rejects(migrate(db, [...MIGRATIONS, failing]), /boom/);
    assert.equal((await db.get<{ user_version: number }>('PRAGMA user_version'))?.user_version, SCHEMA_VERSION);
    assert.equal((await db.all("SELECT name FROM sqlite_schema WHERE name = 'half_done'")).length, 0);
    await db.close();
  } finally {
    tmp.cleanup();
  }
});

test('a file from a newer version is refused and left untouched', async () => {
  const tmp = tempDb();
  try {
    await (await openStore(tmp.path)).close();
    const db = await Db.open(tmp.path);
    await db.run(`PRAGMA user_version = ${SCHEMA_VERSION + 3}`);
    await db.close();
    const before = readFileSync(tmp.path);
    await assert.rejects(openStore(tmp.path), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'store_too_new');
      assert.match(err.message, new RegExp(`schema version ${SCHEMA_VERSION + 3}`));
      assert.ok(err.message.includes(tmp.path));
      assert.match(err.hint ?? '', /Update RLVR Studio/);
      return true;
    });
    assert.deepEqual(readFileSync(tmp.path), before);
  } finally {
    tmp.cleanup();
  }
});

test('another program\'s SQLite file is refused, not migrated', async () => {
  const tmp = tempDb();
  try {
    const db = await Db.open(tmp.path);
    await db.run('CREATE TABLE contacts (name TEXT)');
    await db.close();
    await assert.rejects(openStore(tmp.path), { code: 'store_not_ours' });
    const check = await Db.open(tmp.path);
    assert.deepEqual((await check.all<{ name: string }>("SELECT name FROM sqlite_schema WHERE type = 'table'")).map((r) => r.name), ['contacts']);
    await check.close();
  } finally {
    tmp.cleanup();
  }
});

test('a file that is not a database: clear error naming it, file never recreated', async () => {
  const tmp = tempDb();
  try {
    const garbage = Buffer.from('this is not SQLite at all, just some bytes '.repeat(200));
    writeFileSync(tmp.path, garbage);
    for (const open of [() => openStore(tmp.path), () => openStoreReader(tmp.path)]) {
      await assert.rejects(open(), (err: Error & { code?: string; hint?: string }) => {
        assert.equal(err.code, 'store_corrupt');
        assert.ok(err.message.includes(tmp.path), err.message);
        assert.match(err.hint ?? '', /left untouched/);
        return true;
      });
    }
    assert.deepEqual(readFileSync(tmp.path), garbage, 'not recreated or modified');
  } finally {
    tmp.cleanup();
  }
});

test('damaged pages inside a real store: the read reports store_corrupt with the path', async () => {
  const tmp = tempDb();
  try {
    const store = await openStore(tmp.path);
    await store.createRun(newRun({ id: 'r' }));
    await store.recordTraces(Array.from({ length: 300 }, (_, i) => makeTrace({ runId: 'r' }, i)));
    await store.close(); // checkpoints: everything is in the main file
    const size = statSync(tmp.path).size;
    const fd = openSync(tmp.path, 'r+');
    // Overwrite every page after the first few with garbage (the header and schema stay readable).
    const junk = Buffer.alloc(4096, 0xa5);
    for (let offset = 4096 * 3; offset < size; offset += 4096) writeSync(fd, junk, 0, junk.length, offset);
    closeSync(fd);
    const attempt = async () => {
      const reader = await openStoreReader(tmp.path);
      try {
        await reader.queries.queryTraces({ runId: 'r', search: 'slugify' });
        await reader.queries.getTrace(150);
      } finally {
        await reader.close();
      }
    };
    await assert.rejects(attempt(), (err: Error & { code?: string }) => {
      assert.equal(err.code, 'store_corrupt');
      assert.ok(err.message.includes(tmp.path));
      return true;
    });
  } finally {
    tmp.cleanup();
  }
});

test('a read-only connection on an old-version file asks to open it read-write once', async () => {
  const tmp = tempDb();
  try {
    const db = await Db.open(tmp.path);
    await db.run('PRAGMA journal_mode = WAL');
    await db.close();
    await assert.rejects(openStoreReader(tmp.path), { code: 'store_outdated' });
  } finally {
    tmp.cleanup();
  }
});
