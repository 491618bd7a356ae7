/** Full trace records: the light row, prompt, texts, tests, decoded token arrays, flags and aha events. */
import type { Db } from './sqlite';
import { StoreError } from './errors';
import { decodeTokenBlobs } from './codec';
import { traceFromRow, type TraceRow } from './rows';
import type { AhaEvent, Flag, TestResult, TraceDetail } from './types';

interface DetailRow extends TraceRow {
  run_id: string;
  prompt: string;
  completion: string;
  think: string | null;
  answer: string | null;
  code: string | null;
  tests: string;
  token_count: number;
  token_ids: Buffer | null;
  logprobs: Buffer | null;
  entropies: Buffer | null;
  offsets: Buffer | null;
}

type TestTuple = [string, string, number | null, string | null, number];

interface AhaRow {
  trace_id: number; category: string; cue: string; char_start: number; char_end: number; token_index: number | null;
  position: number; phase: AhaEvent['phase']; consequence: AhaEvent['consequence']; entropy: number | null; forking: number;
}

function tokensOf(row: DetailRow, path: string): TraceDetail['tokens'] {
  if (row.token_ids === null || row.logprobs === null) return null;
  const decoded = decodeTokenBlobs({ count: row.token_count, ids: row.token_ids, logprobs: row.logprobs, entropies: row.entropies, offsets: row.offsets });
  if (!decoded) {
    throw new StoreError(`token arrays of trace ${row.id} in ${path} do not match their count (${row.token_count})`, 'store_corrupt',
      'The row was written by something other than RLVR Studio, or the file is damaged.');
  }
  return decoded;
}

function groupBy<T extends { trace_id: number }>(rows: T[]): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const row of rows) {
    const list = out.get(row.trace_id);
    if (list) list.push(row);
    else out.set(row.trace_id, [row]);
  }
  return out;
}

const ahaFromRow = (r: AhaRow): AhaEvent => ({
  category: r.category, cue: r.cue, charStart: r.char_start, charEnd: r.char_end, tokenIndex: r.token_index,
  position: r.position, phase: r.phase, consequence: r.consequence, entropy: r.entropy, forking: r.forking === 1,
});

const TEXT_PARTS = ['think', 'answer', 'code'] as const;

/** A text stored as such (before schema version 3, or not a piece of the completion), or cut from the completion by its span (text-spans.ts). */
const textColumn = (part: string): string => `coalesce(b.${part}, substr(b.completion, b.${part}_start + 1, b.${part}_len)) AS ${part}`;

/** Three statements for any number of ids (rows, flags, aha events). */
export async function readTraceDetails(db: Db, ids: readonly number[]): Promise<TraceDetail[]> {
  if (ids.length === 0) return [];
  const json = JSON.stringify(ids);
  const rows = await db.all<DetailRow>(
    `SELECT t.*, r.id AS run_id, p.text AS prompt, b.completion, ${TEXT_PARTS.map(textColumn).join(', ')},
         b.tests, b.token_count, b.token_ids, b.logprobs, b.entropies, b.offsets
       FROM traces t JOIN runs r ON r.key = t.run_key JOIN prompts p ON p.id = t.prompt_id
       JOIN trace_bodies b ON b.trace_id = t.id WHERE t.id IN (SELECT value FROM json_each(?))`, [json]);
  const flags = groupBy(await db.all<Flag & { trace_id: number }>(
    'SELECT trace_id, code, message FROM flags WHERE trace_id IN (SELECT value FROM json_each(?)) ORDER BY trace_id, seq', [json]));
  const aha = groupBy(await db.all<AhaRow>(
    'SELECT * FROM aha_events WHERE trace_id IN (SELECT value FROM json_each(?)) ORDER BY trace_id, seq', [json]));
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.flatMap((id) => {
    const row = byId.get(id);
    if (!row) return [];
    return [{
      ...traceFromRow(row, row.run_id),
      prompt: row.prompt, completion: row.completion, think: row.think, answer: row.answer, code: row.code,
      tests: (JSON.parse(row.tests) as TestTuple[]).map(([testId, outcome, duration, message, heldOut]): TestResult => ({
        testId, outcome, duration, message, heldOut: heldOut === 1,
      })),
      tokens: tokensOf(row, db.path),
      flags: (flags.get(id) ?? []).map((f) => ({ code: f.code, message: f.message })),
      ahaEvents: (aha.get(id) ?? []).map(ahaFromRow),
    }];
  });
}
