/**
 * What a language miner reports about a workspace (language-neutral), and the guard for the JSON
 * that `python -m rlvr_verify mine` prints. That JSON comes out of a process that ran the user's
 * tests, so nothing in it is trusted: every field is checked and a bad one is named.
 */
import { RlvrError } from '../errors';
import { TASK_LANGUAGES, type TaskLanguage } from '../tasks/task';

export const TEST_OUTCOMES = ['passed', 'failed', 'skipped', 'error', 'xfailed', 'xpassed'] as const;
export type TestOutcome = (typeof TEST_OUTCOMES)[number];

export interface MinedTest {
  id: string;
  outcome: TestOutcome;
  /** Seconds. */
  duration: number;
}

export interface MinedFunction {
  language: TaskLanguage;
  file: string;
  symbol: string;
  signature: string;
  docstring: string | null;
  startLine: number;
  endLine: number;
  context: string;
  kind: 'function' | 'method';
}

export interface MinedWorkspace {
  tests: MinedTest[];
  functions: MinedFunction[];
  /** Test id → "file::symbol" of every workspace function it called. */
  calls: Record<string, string[]>;
  collectErrors: string[];
}

/** "file::symbol", the key of `calls` entries. */
export const functionKey = (f: { file: string; symbol: string }): string => `${f.file}::${f.symbol}`;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Thrown with the JSON path of the first bad field, e.g. `functions[3].startLine`. */
class ShapeError extends Error {}

function field<T>(obj: Json, key: string, path: string, check: (v: unknown) => v is T, expected: string): T {
  const value = obj[key];
  if (!check(value)) throw new ShapeError(`${path}.${key} must be ${expected}, got ${preview(value)}`);
  return value;
}

function preview(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const isNonEmptyString = (v: unknown): v is string => typeof v === 'string' && v.length > 0;
const isLine = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 1;
const isDuration = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v) && v >= 0;
const isOutcome = (v: unknown): v is TestOutcome => TEST_OUTCOMES.includes(v as TestOutcome);
const isKind = (v: unknown): v is MinedFunction['kind'] => v === 'function' || v === 'method';
const isDocstring = (v: unknown): v is string | null => v === null || typeof v === 'string';
const isArray = (v: unknown): v is unknown[] => Array.isArray(v);
/** Workspace-relative posix path that cannot escape the workspace. */
const isRelativePath = (v: unknown): v is string =>
  typeof v === 'string' && v.length > 0 && !v.startsWith('/') && !v.includes('\\') && !v.split('/').includes('..');

function readTest(value: unknown, path: string): MinedTest {
  if (!isRecord(value)) throw new ShapeError(`${path} must be an object`);
  return {
    id: field(value, 'id', path, isNonEmptyString, 'a non-empty string'),
    outcome: field(value, 'outcome', path, isOutcome, `one of ${TEST_OUTCOMES.join('|')}`),
    duration: field(value, 'duration', path, isDuration, 'a number of seconds >= 0'),
  };
}

function readFunction(value: unknown, path: string, language: TaskLanguage): MinedFunction {
  if (!isRecord(value)) throw new ShapeError(`${path} must be an object`);
  const startLine = field(value, 'startLine', path, isLine, 'a line number >= 1');
  const endLine = field(value, 'endLine', path, isLine, 'a line number >= 1');
  if (endLine < startLine) throw new ShapeError(`${path}.endLine (${endLine}) is before startLine (${startLine})`);
  const own = value.language;
  if (own !== undefined && !TASK_LANGUAGES.includes(own as TaskLanguage)) {
    throw new ShapeError(`${path}.language must be one of ${TASK_LANGUAGES.join('|')}, got ${preview(own)}`);
  }
  return {
    language: (own as TaskLanguage | undefined) ?? language,
    file: field(value, 'file', path, isRelativePath, 'a workspace-relative posix path'),
    symbol: field(value, 'symbol', path, isNonEmptyString, 'a non-empty string'),
    signature: field(value, 'signature', path, isNonEmptyString, 'a non-empty string'),
    docstring: field(value, 'docstring', path, isDocstring, 'a string or null'),
    startLine,
    endLine,
    context: field(value, 'context', path, isString, 'a string'),
    kind: field(value, 'kind', path, isKind, '"function" or "method"'),
  };
}

function readCalls(value: unknown): Record<string, string[]> {
  if (!isRecord(value)) throw new ShapeError('calls must be an object from test id to ["file::symbol", ...]');
  const calls: Record<string, string[]> = {};
  for (const [testId, refs] of Object.entries(value)) {
    if (!isArray(refs) || !refs.every(isNonEmptyString)) {
      throw new ShapeError(`calls[${JSON.stringify(testId)}] must be an array of "file::symbol" strings`);
    }
    calls[testId] = refs;
  }
  return calls;
}

/**
 * Checks a parsed mine report. Functions without a `language` field (the Python report has none)
 * get `language`; the cache stores it explicitly.
 */
export function readMinedWorkspace(value: unknown, language: TaskLanguage): MinedWorkspace {
  if (!isRecord(value)) throw new ShapeError('the report must be a JSON object');
  const list = (key: string): unknown[] => field(value, key, 'report', isArray, 'an array');
  return {
    tests: list('tests').map((t, i) => readTest(t, `tests[${i}]`)),
    functions: list('functions').map((f, i) => readFunction(f, `functions[${i}]`, language)),
    calls: readCalls(value.calls),
    collectErrors: list('collectErrors').map((e, i) => {
      if (!isString(e)) throw new ShapeError(`collectErrors[${i}] must be a string`);
      return e;
    }),
  };
}

/** The JSON report in a mine command's stdout: all of it, or else its last line that parses. */
function findReport(stdout: string): unknown {
  const whole = stdout.trim();
  try {
    return JSON.parse(whole);
  } catch {
    // Something (a test's print) came before the report: take the last JSON line.
  }
  const lines = whole.split('\n').map((l) => l.trim()).filter((l) => l.startsWith('{')).reverse();
  for (const line of lines) {
    try {
      return JSON.parse(line);
    } catch {
      continue;
    }
  }
  return undefined;
}

/** Parses the stdout of a mine command. Throws RlvrError `mining_output_invalid`. */
export function parseMineOutput(stdout: string, language: TaskLanguage, what: string): MinedWorkspace {
  const report = findReport(stdout);
  if (report === undefined) {
    throw new RlvrError(`${what} printed no JSON report (stdout: ${preview(stdout.trim())})`, 'mining_output_invalid',
      'run it again; if it persists, report it with this message');
  }
  try {
    return readMinedWorkspace(report, language);
  } catch (error) {
    if (!(error instanceof ShapeError)) throw error;
    throw new RlvrError(`${what} printed a report RLVR Studio cannot use: ${error.message}`, 'mining_output_invalid',
      'this is a bug in the miner or a version mismatch; report it with this message');
  }
}

/** `readMinedWorkspace`, or the reason it is not one (for stored copies such as the cache). */
export function checkMinedWorkspace(value: unknown, language: TaskLanguage): MinedWorkspace | string {
  try {
    return readMinedWorkspace(value, language);
  } catch (error) {
    if (error instanceof ShapeError) return error.message;
    throw error;
  }
}
