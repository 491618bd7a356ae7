import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore, type Store } from '../../src/trainer/store';
import { Db } from '../../src/trainer/store/sqlite';
import { searchIndexPath } from '../../src/trainer/store/search-index';
import { newRun, tempDb } from '../helpers/store-fixtures';

const CHILD = join(__dirname, '..', 'helpers', 'store-writer-child.ts');

interface Writer { child: ChildProcess; ids: number[]; seen: string[]; lines: Promise<string[]> }

function startWriter(path: string, runId: string, calls: number, perCall: number, goFile?: string): Writer {
  const env = goFile ? { ...process.env, STORE_GO_FILE: goFile } : process.env;
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, path, runId, String(calls), String(perCall)], { stdio: ['ignore', 'pipe', 'pipe'], env });
  const ids: number[] = [];
  let buffered = '';
  let stderr = '';
  const lines: string[] = [];
  child.stderr?.on('data', (d: Buffer) => { stderr += d.toString(); });
  child.stdout?.on('data', (d: Buffer) => {
    buffered += d.toString();
    const complete = buffered.split('\n');
    buffered = complete.pop() ?? ''; // a line cut by the kill is not counted
    for (const line of complete) {
      lines.push(line);
      if (line.startsWith('ids ')) ids.push(...line.slice(4).split(',').map(Number));
    }
  });
  const done = new Promise<string[]>((resolve, reject) => {
    child.on('exit', (code, signal) => (code === 0 || signal === 'SIGKILL' ? resolve(lines) : reject(new Error(`writer exited ${code}: ${stderr}`))));
  });
  return { child, ids, seen: lines, lines: done };
}

async function waitFor(condition: () => boolean, what: string): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > 60_000) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/**
 * The side file's index, once caught up, holds every stored trace exactly once (no trace lost by a
 * kill between the commit and the index, none indexed twice by two writers' indexers).
 */
async function assertSearchIndexComplete(store: Store): Promise<void> {
  await store.searchIndexIdle();
  const side = await Db.open(searchIndexPath(store.path), { readOnly: true });
  try {
    // integrity_check runs FTS5's own check of trace_fts too (SQLite ≥ 3.44).
    assert.deepEqual(await side.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const indexed = await side.get<{ n: number; mark: number }>(
      "SELECT (SELECT count(*) FROM trace_fts WHERE trace_fts MATCH 'slugify') AS n, (SELECT value FROM search_meta WHERE key = 'indexed_through') AS mark");
    const stored = await store.db.get<{ n: number; last: number }>('SELECT count(*) AS n, max(trace_id) AS last FROM trace_bodies');
    assert.deepEqual(indexed, { n: stored?.n, mark: stored?.last }, 'every stored trace is indexed once, up to the newest');
  } finally {
    await side.close();
  }
}

/** Integrity of the whole file, the search index and foreign keys, and counters that must agree. */
async function assertConsistent(store: Store): Promise<void> {
  assert.deepEqual(await store.db.all('PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
  assert.deepEqual(await store.db.all('PRAGMA foreign_key_check'), []);
  await assertSearchIndexComplete(store);
  const counts = await store.db.get<{ traces: number; bodies: number; stats: number }>(
    'SELECT (SELECT count(*) FROM traces) AS traces, (SELECT count(*) FROM trace_bodies) AS bodies, (SELECT coalesce(sum(samples), 0) FROM task_stats) AS stats');
  assert.equal(counts?.bodies, counts?.traces, 'every trace has its body');
  assert.equal(counts?.stats, counts?.traces, 'task stats were committed with their traces');
}

test('kill -9 while writing: the file opens consistent and every trace reported as stored is there', async () => {
  const tmp = tempDb();
  try {
    const setup = await openStore(tmp.path);
    await setup.createRun(newRun({ id: 'victim' }));
    await setup.close();
    for (const killAfter of [150, 700]) {
      const writer = startWriter(tmp.path, 'victim', 400, 10);
      await waitFor(() => writer.ids.length >= killAfter, `${killAfter} stored ids`);
      writer.child.kill('SIGKILL');
      const lines = await writer.lines;
      assert.ok(!lines.includes('done'), 'killed in the middle of writing');
      const reported = [...writer.ids];

      const store = await openStore(tmp.path);
      try {
        await assertConsistent(store);
        const missing: number[] = [];
        for (const id of reported) {
          const trace = await store.queries.getTrace(id);
          if (!trace || trace.tests.length !== 2 || !trace.tokens) missing.push(id);
        }
        assert.deepEqual(missing, [], `${reported.length} reported ids, all present with tests and tokens`);
      } finally {
        await store.close();
      }
    }
  } finally {
    tmp.cleanup();
  }
});

test('two processes write one database at the same time', async () => {
  const tmp = tempDb();
  try {
    const setup = await openStore(tmp.path);
    await setup.createRun(newRun({ id: 'left' }));
    await setup.createRun(newRun({ id: 'right' }));
    await setup.close();
    const go = `${tmp.path}.go`;
    const left = startWriter(tmp.path, 'left', 60, 20, go);
    const right = startWriter(tmp.path, 'right', 60, 20, go);
    await waitFor(() => left.seen.includes('ready') && right.seen.includes('ready'), 'both writers to open the store');
    writeFileSync(go, '');
    const [leftLines, rightLines] = await Promise.all([left.lines, right.lines]);
    assert.ok(leftLines.includes('done') && rightLines.includes('done'), 'both finished without an error');
    const all = [...left.ids, ...right.ids];
    assert.equal(new Set(all).size, 2400, 'ids are unique across processes');

    const store = await openStore(tmp.path);
    try {
      await assertConsistent(store);
      for (const [runId, ids] of [['left', left.ids], ['right', right.ids]] as const) {
        assert.equal((await store.queries.getRun(runId))?.traceCount, 1200);
        const sample = await store.queries.getTrace(ids[ids.length - 1] as number);
        assert.equal(sample?.runId, runId);
      }
      // The writes really interleaved: neither run's ids form one contiguous block.
      const leftSpan = Math.max(...left.ids) - Math.min(...left.ids) + 1;
      assert.ok(leftSpan > left.ids.length, `interleaved (left spans ${leftSpan} ids for ${left.ids.length} traces)`);
    } finally {
      await store.close();
    }
  } finally {
    tmp.cleanup();
  }
});
