/**
 * A validated trace turned into the JSON text of its rows at the time `recordTraces` is called:
 * the caller may reuse its objects afterwards, and the serialization happens in the caller's turn
 * while SQLite is still busy with the previous batch (the flush only splices in ids).
 */
import { createHash } from 'node:crypto';
import { encodeFloat32, encodeInt32, encodeUint32 } from './codec';
import type { TraceInput, TraceKind } from './types';

type Cell = string | number | null;

export interface TokenRow {
  count: number;
  ids: Buffer;
  logprobs: Buffer;
  entropies: Buffer | null;
  offsets: Buffer | null;
}

export interface PreparedTrace {
  runId: string;
  prompt: string;
  promptSha: string;
  /** For task_stats. */
  taskId: string;
  kind: TraceKind;
  step: number;
  passed: boolean;
  reward: number;
  /** JSON of the `traces` columns in TRACE_COLUMNS order, without the enclosing brackets. */
  rowJson: string;
  /** JSON of the `trace_bodies` columns in BODY_COLUMNS order, without the enclosing brackets. */
  bodyJson: string;
  tokens: TokenRow | null;
  /** seq, code, message */
  flags: Cell[][];
  /** AHA_COLUMNS order, after trace_id */
  aha: Cell[][];
}

/** Columns of `traces` after id, run_key and prompt_id (which the flush assigns). */
export const TRACE_COLUMNS = [
  'step', 'kind', 'eval_label', 'task_id', 'group_index', 'sample_index',
  'reward_total', 'reward_correctness', 'reward_format', 'reward_overlong', 'advantage',
  'prompt_tokens', 'completion_tokens', 'finish_reason', 'passed', 'pass_fraction', 'flagged',
  'aha_count', 'created_at',
] as const;

/** Columns of `trace_bodies` after trace_id, before the token columns. */
export const BODY_COLUMNS = ['completion', 'think', 'answer', 'code', 'tests'] as const;

export const AHA_COLUMNS = [
  'seq', 'category', 'cue', 'char_start', 'char_end', 'token_index', 'position', 'phase',
  'consequence', 'entropy', 'forking',
] as const;

const shaCache = new Map<string, string>();

/** sha256 of a prompt; G samples (and later steps) share one prompt string, so it is memoized. */
export function promptSha(prompt: string): string {
  let sha = shaCache.get(prompt);
  if (sha === undefined) {
    if (shaCache.size > 4096) shaCache.clear();
    sha = createHash('sha256').update(prompt).digest('hex');
    shaCache.set(prompt, sha);
  }
  return sha;
}

const bit = (b: boolean): number => (b ? 1 : 0);

const SURROGATE = /[\uD800-\uDFFF]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Model output may hold lone UTF-16 surrogates (a token cut inside an emoji). SQLite's JSON
 * decoder would turn each into three bytes of invalid UTF-8 (three U+FFFD when read back, which
 * shifts every token offset); replace each with one U+FFFD, as a direct binding would.
 */
export function wellFormed<T extends string | null>(text: T): T {
  return (text !== null && SURROGATE.test(text) ? text.replace(LONE_SURROGATE, '\uFFFD') : text) as T;
}

/** A JSON array's text without its brackets, to be spliced after columns the flush assigns. */
const inner = (values: readonly unknown[]): string => JSON.stringify(values).slice(1, -1);

export function ahaRows(events: TraceInput['ahaEvents']): Cell[][] {
  return (events ?? []).map((e, seq) => [
    seq, wellFormed(e.category), wellFormed(e.cue), e.charStart, e.charEnd, e.tokenIndex, e.position, e.phase, e.consequence, e.entropy, bit(e.forking),
  ]);
}

/** An empty completion has no token arrays to store: it reads back as `tokens: null`. */
function tokenRow(tokens: TraceInput['tokens']): TokenRow | null {
  if (!tokens || tokens.ids.length === 0) return null;
  return {
    count: tokens.ids.length,
    ids: encodeInt32(tokens.ids),
    logprobs: encodeFloat32(tokens.logprobs),
    entropies: tokens.entropies ? encodeFloat32(tokens.entropies) : null,
    offsets: tokens.offsets ? encodeUint32(tokens.offsets) : null,
  };
}

/** Per-test results as one compact JSON array: [[test_id, outcome, duration, message, held_out], …]. */
function testsJson(tests: TraceInput['tests']): string {
  return JSON.stringify((tests ?? []).map((r) => [wellFormed(r.testId), r.outcome, r.duration, wellFormed(r.message), bit(r.heldOut)]));
}

export function prepareTrace(t: TraceInput, now: number): PreparedTrace {
  const flags = t.flags ?? [];
  const evalLabel = t.evalLabel ?? null;
  return {
    runId: t.runId,
    prompt: wellFormed(t.prompt),
    promptSha: promptSha(t.prompt),
    taskId: t.taskId,
    kind: t.kind,
    step: t.step,
    passed: t.passed,
    reward: t.reward.total,
    rowJson: inner([
      t.step, t.kind, evalLabel, t.taskId, t.groupIndex, t.sampleIndex,
      t.reward.total, t.reward.correctness, t.reward.format, t.reward.overlong, t.advantage,
      t.promptTokens, t.completionTokens, t.finishReason, bit(t.passed), t.passFraction, bit(flags.length > 0),
      t.ahaEvents?.length ?? 0, t.createdAt ?? now,
    ]),
    bodyJson: inner([wellFormed(t.completion), wellFormed(t.think), wellFormed(t.answer), wellFormed(t.code), testsJson(t.tests)]),
    tokens: tokenRow(t.tokens),
    flags: flags.map((f, seq) => [seq, f.code, wellFormed(f.message)]),
    aha: ahaRows(t.ahaEvents),
  };
}
