/**
 * Exports of a run's traces, streamed page by page (a run can hold millions):
 * - `exportJsonl`: one full trace per line (texts, tests, token arrays as plain arrays, flags, aha events);
 * - `exportTrlCompletions`: TRL GRPOTrainer's completions table — step, prompt, completion, one
 *   column per reward function (correctness, format, overlong) and advantage — as JSONL or CSV.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import type { StoreQueries } from './queries';
import type { TraceDetail, TraceKind } from './types';

export interface ExportOptions {
  /** Default: every trace for JSONL, training traces only for the TRL table (TRL logs training completions). */
  kind?: TraceKind;
}

export interface TrlExportOptions extends ExportOptions {
  format: 'jsonl' | 'csv';
  /**
   * CSV only, default true: a text cell starting with = + - @ (or tab, CR) gets a leading ' so a
   * spreadsheet shows it instead of evaluating a model-written formula. JSONL is always exact.
   */
  guardFormulas?: boolean;
}

/** TRL's column order: step, prompt, completion, the reward functions, advantage. */
export const TRL_COLUMNS = ['step', 'prompt', 'completion', 'correctness', 'format', 'overlong', 'advantage'] as const;

const PAGE = 500;

async function* tracesOf(queries: StoreQueries, runId: string, kind: TraceKind | undefined): AsyncGenerator<TraceDetail> {
  let cursor: string | undefined;
  do {
    const page = await queries.queryTraces({ runId, kind, sort: 'id', order: 'asc', limit: PAGE, cursor });
    yield* await queries.getTraces(page.rows.map((r) => r.id));
    cursor = page.nextCursor ?? undefined;
  } while (cursor);
}

async function write(stream: WriteStream, text: string): Promise<void> {
  if (!stream.write(text)) await once(stream, 'drain');
}

async function withOutput(path: string, fn: (stream: WriteStream) => Promise<number>): Promise<number> {
  const stream = createWriteStream(path, { encoding: 'utf8' });
  try {
    const count = await fn(stream);
    stream.end();
    await once(stream, 'finish');
    return count;
  } catch (err) {
    stream.destroy();
    throw err;
  }
}

function plain(trace: TraceDetail): object {
  const t = trace.tokens;
  return {
    ...trace,
    tokens: t && {
      ids: Array.from(t.ids), logprobs: Array.from(t.logprobs),
      entropies: t.entropies && Array.from(t.entropies), offsets: t.offsets && Array.from(t.offsets),
    },
  };
}

/** Writes every trace of the run, one JSON object per line; returns how many. */
export function exportJsonl(queries: StoreQueries, runId: string, out: string, options: ExportOptions = {}): Promise<number> {
  return withOutput(out, async (stream) => {
    let count = 0;
    for await (const trace of tracesOf(queries, runId, options.kind)) {
      await write(stream, `${JSON.stringify(plain(trace))}\n`);
      count++;
    }
    return count;
  });
}

type TrlRow = Record<(typeof TRL_COLUMNS)[number], string | number | null>;

function trlRow(t: TraceDetail): TrlRow {
  return {
    step: t.step, prompt: t.prompt, completion: t.completion,
    correctness: t.reward.correctness, format: t.reward.format, overlong: t.reward.overlong, advantage: t.advantage,
  };
}

const FORMULA_START = /^[=+\-@\t\r]/;

/** RFC 4180: quote cells holding a quote, comma or line break; double the quotes. */
export function csvCell(value: string | number | null, guardFormulas: boolean): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  const text = guardFormulas && FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes the run's completions in TRL's columns; returns how many rows. */
export function exportTrlCompletions(queries: StoreQueries, runId: string, out: string, options: TrlExportOptions): Promise<number> {
  const guard = options.guardFormulas ?? true;
  return withOutput(out, async (stream) => {
    if (options.format === 'csv') await write(stream, `${TRL_COLUMNS.join(',')}\r\n`);
    let count = 0;
    for await (const trace of tracesOf(queries, runId, options.kind ?? 'train')) {
      const row = trlRow(trace);
      const line = options.format === 'csv'
        ? `${TRL_COLUMNS.map((c) => csvCell(row[c], guard)).join(',')}\r\n`
        : `${JSON.stringify(row)}\n`;
      await write(stream, line);
      count++;
    }
    return count;
  });
}
