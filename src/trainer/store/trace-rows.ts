/**
 * A validated trace turned into what its rows need at the time `recordTraces` is called: the JSON
 * text of its light columns and its body bytes in the payload arena (trace-payload.ts). The caller
 * may reuse its objects afterwards, and the work happens in the caller's turn while SQLite is still
 * busy with the previous batch (the flush only splices in ids and offsets).
 */
import { createHash } from 'node:crypto';
import type { Field, Payload, PayloadArena } from './trace-payload';
import { SpanSource } from './text-spans';
import type { TraceInput, TraceKind } from './types';

type Cell = string | number | null;

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
  /** The `trace_bodies` texts and token arrays, in BODY_FIELDS order; 0 tokens: no arrays. */
  body: Payload;
  /** SPAN_COLUMNS values as JSON, without brackets: where think, answer and code lie in the completion. */
  spansJson: string;
  tokenCount: number;
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

/** Columns of `trace_bodies` stored in the payload, in payload order (token_count is in the row JSON). */
export const BODY_FIELDS = [
  { column: 'completion', type: 'TEXT' }, { column: 'think', type: 'TEXT' }, { column: 'answer', type: 'TEXT' },
  { column: 'code', type: 'TEXT' }, { column: 'tests', type: 'TEXT' },
  { column: 'token_ids', type: 'BLOB' }, { column: 'logprobs', type: 'BLOB' }, { column: 'entropies', type: 'BLOB' },
  { column: 'offsets', type: 'BLOB' },
] as const;

/**
 * Schema version 3: think, answer and code as character spans of the completion (text-spans.ts);
 * a text stored this way has a NULL text column, and a NULL span when it is stored as text or absent.
 */
export const SPAN_COLUMNS = ['think_start', 'think_len', 'answer_start', 'answer_len', 'code_start', 'code_len'] as const;

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
 * decoder would turn each into three bytes of invalid UTF-8 (three U+FFFD when read back); replace
 * each with one U+FFFD, as a direct binding (and the payload's UTF-8 encoding) would. Only for
 * strings that travel inside JSON; the completion and its parts travel as UTF-8 (trace-payload.ts).
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

/** Per-test results as one compact JSON array: [[test_id, outcome, duration, message, held_out], …]. */
function testsJson(tests: TraceInput['tests']): string {
  return JSON.stringify((tests ?? []).map((r) => [wellFormed(r.testId), r.outcome, r.duration, wellFormed(r.message), bit(r.heldOut)]));
}

type TextPart = 'think' | 'answer' | 'code';

/** Each of think, answer and code becomes a span of the completion, or stays a text when it cannot. */
function textParts(t: TraceInput): { texts: Record<TextPart, string | null>; spansJson: string } {
  const source = new SpanSource(t.completion);
  const texts: Record<TextPart, string | null> = { think: null, answer: null, code: null };
  let spansJson = '';
  for (const part of ['think', 'answer', 'code'] as const) {
    const text = t[part];
    const span = text === null ? null : source.spanOf(text);
    if (span === null) texts[part] = text;
    spansJson += `${part === 'think' ? '' : ','}${span === null ? 'null,null' : `${span[0]},${span[1]}`}`;
  }
  return { texts, spansJson };
}

/** An empty completion has no token arrays to store: it reads back as `tokens: null`. */
function bodyPayload(t: TraceInput, arena: PayloadArena): { body: Payload; spansJson: string; tokenCount: number } {
  const tokens = t.tokens && t.tokens.ids.length > 0 ? t.tokens : null;
  const { texts, spansJson } = textParts(t);
  const fields: Record<(typeof BODY_FIELDS)[number]['column'], Field> = {
    completion: t.completion, ...texts, tests: testsJson(t.tests),
    token_ids: tokens && { kind: 'int32', values: tokens.ids },
    logprobs: tokens && { kind: 'float32', values: tokens.logprobs },
    entropies: tokens?.entropies ? { kind: 'float32', values: tokens.entropies } : null,
    offsets: tokens?.offsets ? { kind: 'uint32', values: tokens.offsets } : null,
  };
  return { body: arena.write(BODY_FIELDS.map((f) => fields[f.column])), spansJson, tokenCount: tokens ? tokens.ids.length : 0 };
}

/** JSON of the `traces` columns in TRACE_COLUMNS order, without the enclosing brackets. */
export function traceRowJson(t: TraceInput, now: number): string {
  return inner([
    t.step, t.kind, t.evalLabel ?? null, t.taskId, t.groupIndex, t.sampleIndex,
    t.reward.total, t.reward.correctness, t.reward.format, t.reward.overlong, t.advantage,
    t.promptTokens, t.completionTokens, t.finishReason, bit(t.passed), t.passFraction, bit((t.flags?.length ?? 0) > 0),
    t.ahaEvents?.length ?? 0, t.createdAt ?? now,
  ]);
}

export function prepareTrace(t: TraceInput, now: number, arena: PayloadArena): PreparedTrace {
  return {
    runId: t.runId,
    prompt: wellFormed(t.prompt),
    promptSha: promptSha(t.prompt),
    taskId: t.taskId,
    kind: t.kind,
    step: t.step,
    passed: t.passed,
    reward: t.reward.total,
    rowJson: traceRowJson(t, now),
    ...bodyPayload(t, arena),
    flags: (t.flags ?? []).map((f, seq) => [seq, f.code, wellFormed(f.message)]),
    aha: ahaRows(t.ahaEvents),
  };
}
