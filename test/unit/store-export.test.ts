import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { exportJsonl, exportTrlCompletions, openStore, TRL_COLUMNS, type Store, type TraceInput } from '../../src/trainer/store';
import { makeTrace, newRun, tempDb } from '../helpers/store-fixtures';

let tmp: ReturnType<typeof tempDb>;
let store: Store;
let input: TraceInput[];
let ids: number[];

const TRICKY = [
  'plain', 'comma, inside', 'quote " inside', 'line\nbreak', 'crlf\r\nbreak', '=HYPERLINK("http://x")', '+1', '@SUM(A1)', '-minus', 'ünï 🧪',
];

before(async () => {
  tmp = tempDb();
  store = await openStore(tmp.path);
  await store.createRun(newRun({ id: 'r' }));
  await store.createRun(newRun({ id: 'other' }));
  // 1203 training traces (more than two export pages), a few eval traces, and another run's traces.
  input = [
    ...Array.from({ length: 1203 }, (_, i) => makeTrace({ runId: 'r', step: 1 + Math.floor(i / 8), completion: TRICKY[i % TRICKY.length] as string }, i)),
    ...Array.from({ length: 3 }, (_, i) => makeTrace({ runId: 'r', kind: 'eval', evalLabel: 'base', step: 0, advantage: null }, 5000 + i)),
  ];
  ids = await store.recordTraces(input);
  await store.recordTraces([makeTrace({ runId: 'other' })]);
});

after(async () => {
  await store.close();
  tmp.cleanup();
});

/** A strict RFC 4180 reader for the test. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i] as string;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') { cell += '"'; i += 2; continue; }
      if (c === '"') { quoted = false; i++; continue; }
      cell += c; i++; continue;
    }
    if (c === '"') { quoted = true; i++; continue; }
    if (c === ',') { row.push(cell); cell = ''; i++; continue; }
    if (c === '\r' && text[i + 1] === '\n') { row.push(cell); rows.push(row); row = []; cell = ''; i += 2; continue; }
    cell += c; i++;
  }
  return rows;
}

test('JSONL: one full trace per line, in id order, token arrays as plain arrays', async () => {
  const out = join(tmp.dir, 'traces.jsonl');
  const count = await exportJsonl(store.queries, 'r', out);
  assert.equal(count, input.length);
  const lines = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(lines.map((l) => l.id), ids);
  const sample = await store.queries.getTrace(ids[7] as number);
  const line = lines[7] as { completion: string; tests: unknown; tokens: { ids: number[]; logprobs: number[] } };
  assert.equal(line.completion, sample?.completion);
  assert.deepEqual(line.tests, sample?.tests);
  assert.deepEqual(line.tokens.ids, Array.from(sample?.tokens?.ids ?? []));
  assert.deepEqual(line.tokens.logprobs, Array.from(sample?.tokens?.logprobs ?? []));
  assert.equal(await exportJsonl(store.queries, 'r', join(tmp.dir, 'eval.jsonl'), { kind: 'eval' }), 3);
});

test('TRL completions as JSONL: TRL\'s columns, training traces only', async () => {
  const out = join(tmp.dir, 'trl.jsonl');
  assert.equal(await exportTrlCompletions(store.queries, 'r', out, { format: 'jsonl' }), 1203);
  const rows = readFileSync(out, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  assert.deepEqual(Object.keys(rows[0] ?? {}), [...TRL_COLUMNS]);
  const t = input[5] as TraceInput;
  assert.deepEqual(rows[5], {
    step: t.step, prompt: t.prompt, completion: t.completion, correctness: t.reward.correctness, format: t.reward.format,
    overlong: t.reward.overlong, advantage: t.advantage,
  });
});

test('TRL completions as CSV: RFC 4180 quoting round-trips; formulas are guarded unless asked not to', async () => {
  const guarded = join(tmp.dir, 'trl.csv');
  assert.equal(await exportTrlCompletions(store.queries, 'r', guarded, { format: 'csv' }), 1203);
  const rows = parseCsv(readFileSync(guarded, 'utf8'));
  assert.deepEqual(rows[0], [...TRL_COLUMNS]);
  assert.equal(rows.length, 1204);
  const completions = rows.slice(1, 1 + TRICKY.length).map((r) => r[2]);
  assert.deepEqual(completions, TRICKY.map((c) => (/^[=+\-@]/.test(c) ? `'${c}` : c)));
  assert.deepEqual(rows[1]?.slice(3), ['1', '0.1', '0', '0.8']);

  const exact = join(tmp.dir, 'trl-exact.csv');
  await exportTrlCompletions(store.queries, 'r', exact, { format: 'csv', guardFormulas: false });
  assert.deepEqual(parseCsv(readFileSync(exact, 'utf8')).slice(1, 1 + TRICKY.length).map((r) => r[2]), TRICKY);
});
