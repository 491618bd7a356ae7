/**
 * Records sent by the in-sandbox runtime (`runtime/*.mjs`) over stdout, each on its own line as
 * `@@rlvr:<nonce>@@ <json>`. The process that wrote them ran untrusted code, so every record is
 * checked; lines with another nonce or a bad shape are ignored (and counted).
 */
import { randomBytes } from 'node:crypto';

export type RunOutcome = 'passed' | 'failed' | 'skipped' | 'todo';

/** One leaf test as the reporter saw it. `file` is an absolute path inside the sandbox. */
export interface TestRecord {
  t: 'test';
  file: string;
  /** Full name, suites joined by " > ". */
  name: string;
  outcome: RunOutcome;
  ms: number;
  message: string;
}

/** Where a function that ran during a test was declared (see coverage-hook.mjs). */
export interface CoverageHit {
  file: string;
  /** 1-based line in the original source (through its source map). */
  line?: number;
  /** Offset into the file itself, when the module ran untranspiled. */
  offset?: number;
  /** The function's name as V8 knows it ("" for anonymous functions). */
  name: string;
}

export interface CallsRecord {
  t: 'calls';
  name: string;
  /** Another test ran at the same time, so this test's hits are mixed with it. */
  overlapped: boolean;
  hits: CoverageHit[];
}

export interface LoadErrorRecord {
  t: 'load_error';
  file: string;
  message: string;
}

export interface DoneRecord {
  t: 'done';
}

export type ChannelRecord = TestRecord | CallsRecord | LoadErrorRecord | DoneRecord;

export interface ChannelReport {
  tests: TestRecord[];
  calls: CallsRecord[];
  loadErrors: LoadErrorRecord[];
  /** The reporter finished (the test process was not cut short). */
  done: boolean;
  /** Lines with our nonce that did not hold a valid record. */
  malformed: number;
}

export const CHANNEL_NONCE_ENV = 'RLVR_CHANNEL_NONCE';

export const newNonce = (): string => randomBytes(12).toString('hex');

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isString = (v: unknown): v is string => typeof v === 'string';
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const OUTCOMES: readonly RunOutcome[] = ['passed', 'failed', 'skipped', 'todo'];

function readHit(v: unknown): CoverageHit | null {
  if (!isRecord(v) || !isString(v.file) || !isString(v.name)) return null;
  const hit: CoverageHit = { file: v.file, name: v.name };
  if (v.line !== undefined) {
    if (!isCount(v.line)) return null;
    hit.line = v.line;
  }
  if (v.offset !== undefined) {
    if (!isCount(v.offset)) return null;
    hit.offset = v.offset;
  }
  return hit;
}

/** A checked record, or null when `v` is not one. */
export function readRecord(v: unknown): ChannelRecord | null {
  if (!isRecord(v)) return null;
  switch (v.t) {
    case 'test': {
      const ms = typeof v.ms === 'number' && Number.isFinite(v.ms) && v.ms >= 0 ? v.ms : null;
      if (!isString(v.file) || !isString(v.name) || !OUTCOMES.includes(v.outcome as RunOutcome) || ms === null || !isString(v.message)) return null;
      return { t: 'test', file: v.file, name: v.name, outcome: v.outcome as RunOutcome, ms, message: v.message };
    }
    case 'calls': {
      if (!isString(v.name) || typeof v.overlapped !== 'boolean' || !Array.isArray(v.hits)) return null;
      const hits = v.hits.map(readHit);
      if (hits.some((h) => h === null)) return null;
      return { t: 'calls', name: v.name, overlapped: v.overlapped, hits: hits as CoverageHit[] };
    }
    case 'load_error':
      return isString(v.file) && isString(v.message) ? { t: 'load_error', file: v.file, message: v.message } : null;
    case 'done':
      return { t: 'done' };
    default:
      return null;
  }
}

/** Collects the records carrying `nonce` from a test process's stdout. */
export function parseChannel(stdout: string, nonce: string): ChannelReport {
  const report: ChannelReport = { tests: [], calls: [], loadErrors: [], done: false, malformed: 0 };
  const marker = `@@rlvr:${nonce}@@ `;
  for (const line of stdout.split('\n')) {
    const at = line.indexOf(marker);
    if (at < 0) continue;
    let record: ChannelRecord | null = null;
    try {
      record = readRecord(JSON.parse(line.slice(at + marker.length)));
    } catch {
      record = null;
    }
    if (record === null) report.malformed += 1;
    else if (record.t === 'test') report.tests.push(record);
    else if (record.t === 'calls') report.calls.push(record);
    else if (record.t === 'load_error') report.loadErrors.push(record);
    else report.done = true;
  }
  return report;
}

/**
 * Test id of each record, in report order: "<workspace-relative file>::<full name>". A second test
 * with the same full name in a file gets " #2" (and so on), so ids stay unique and stable.
 */
export function assignTestIds(tests: readonly TestRecord[], relativeFile: (file: string) => string): string[] {
  const seen = new Map<string, number>();
  return tests.map((test) => {
    const base = `${relativeFile(test.file)}::${test.name}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base} #${n}`;
  });
}
