/**
 * The fork-server's NDJSON protocol (`python -m rlvr_verify serve`), TS side. One definition per
 * process boundary: the Python side is src/trainer/verifier/python/rlvr_verify/protocol.py.
 * Everything that comes back is validated here before anyone uses it: a candidate runs in the
 * server's process tree, so its output is untrusted.
 */

export type TestOutcome = 'passed' | 'failed' | 'skipped' | 'error' | 'xfailed' | 'xpassed';
export const TEST_OUTCOMES: readonly TestOutcome[] = ['passed', 'failed', 'skipped', 'error', 'xfailed', 'xpassed'];

export type ReplyStatus = 'ok' | 'rejected' | 'timeout' | 'crashed';
const REPLY_STATUSES: readonly ReplyStatus[] = ['ok', 'rejected', 'timeout', 'crashed'];

export interface Flag {
  code: string;
  message: string;
}

export interface TestReport {
  id: string;
  outcome: TestOutcome;
  duration: number;
  message: string;
}

export interface RequestLimits {
  memory_bytes: number;
  cpu_seconds: number;
  nproc: number;
  fsize_bytes: number;
}

export interface ServeRequest {
  id: number;
  file: string;
  symbol: string;
  candidate: string;
  tests: string[];
  sentinel: string;
  timeout_s: number;
  limits: RequestLimits;
  /** The server extracts the expected literals of these tests' asserts (`hardcoded_expected`). */
  held_out_tests?: string[];
  /** Tests and benchmarks of the runtime walls only: never set when scoring real candidates. */
  skip_static_checks?: boolean;
}

export interface ServeReady {
  type: 'ready';
  tests: number;
  collect_seconds: number;
}

export interface ServeReply {
  id: number;
  status: ReplyStatus;
  tests: TestReport[];
  flags: Flag[];
  seconds: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isFiniteNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Longest string kept from the server (messages can carry candidate output). */
const MAX_TEXT = 4000;
const clip = (s: string): string => (s.length > MAX_TEXT ? `${s.slice(0, MAX_TEXT)}…` : s);

export function parseReady(value: unknown): ServeReady | string {
  if (isRecord(value) && value.type === 'fatal') return `pytest could not start: ${typeof value.message === 'string' ? value.message : '(no message)'}`;
  if (!isRecord(value) || value.type !== 'ready') return 'expected {"type":"ready",...} as the first line';
  if (!isFiniteNumber(value.tests) || !isFiniteNumber(value.collect_seconds)) return 'ready line lacks numeric tests/collect_seconds';
  return { type: 'ready', tests: value.tests, collect_seconds: value.collect_seconds };
}

export function parseFlag(value: unknown): Flag | null {
  if (!isRecord(value) || typeof value.code !== 'string' || typeof value.message !== 'string') return null;
  return { code: value.code, message: clip(value.message) };
}

export function parseTestReport(value: unknown): TestReport | null {
  if (!isRecord(value) || typeof value.id !== 'string') return null;
  if (!TEST_OUTCOMES.includes(value.outcome as TestOutcome)) return null;
  const duration = isFiniteNumber(value.duration) ? value.duration : 0;
  const message = typeof value.message === 'string' ? clip(value.message) : '';
  return { id: value.id, outcome: value.outcome as TestOutcome, duration, message };
}

/** The server refused a request as malformed (our bug, not the candidate's); it keeps serving. */
export interface ServeError {
  type: 'error';
  id: number | null;
  message: string;
}

export function parseServeError(value: unknown): ServeError | null {
  if (!isRecord(value) || value.type !== 'error') return null;
  return { type: 'error', id: typeof value.id === 'number' ? value.id : null, message: clip(typeof value.message === 'string' ? value.message : '(no message)') };
}

/** A reply, or why the value is not one (which the pool treats as a broken server). */
export function parseReply(value: unknown): ServeReply | string {
  if (!isRecord(value)) return 'reply is not a JSON object';
  if (value.type !== undefined && value.type !== 'result') return `reply has type ${JSON.stringify(value.type)}, expected "result"`;
  if (typeof value.id !== 'number') return 'reply lacks a numeric id';
  if (!REPLY_STATUSES.includes(value.status as ReplyStatus)) return `reply has unknown status ${JSON.stringify(value.status)}`;
  if (!Array.isArray(value.tests) || !Array.isArray(value.flags)) return 'reply lacks tests/flags arrays';
  const tests = value.tests.map(parseTestReport);
  const flags = value.flags.map(parseFlag);
  if (tests.some((t) => t === null)) return 'reply has a malformed test entry';
  if (flags.some((f) => f === null)) return 'reply has a malformed flag';
  return {
    id: value.id,
    status: value.status as ReplyStatus,
    tests: tests as TestReport[],
    flags: flags as Flag[],
    seconds: isFiniteNumber(value.seconds) ? value.seconds : 0,
  };
}
