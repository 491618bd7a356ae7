/**
 * Checks of what callers hand to the writer, before anything is queued: a bad value fails the
 * call that brought it (with the field named), never a whole batch of other callers' traces.
 */
import type { AhaEventInput, TestResultInput, TokenStatsInput, TraceInput } from './types';

const RUN_ID = /^[A-Za-z0-9._-]{1,64}$/;

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const isText = (v: unknown): v is string => typeof v === 'string';
const isNullableText = (v: unknown): boolean => v === null || typeof v === 'string';
const isNullableFinite = (v: unknown): boolean => v === null || isFinite(v);
const show = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v.slice(0, 40)) : String(v));

export function runIdProblem(id: unknown): string | null {
  return typeof id === 'string' && RUN_ID.test(id) ? null : `run id must be 1-64 letters, digits, ".", "_" or "-", got ${show(id)}`;
}

function testProblem(test: TestResultInput, index: number): string | null {
  const at = `tests[${index}]`;
  if (!isText(test.testId) || test.testId === '') return `${at}.testId must be a non-empty string`;
  if (!isText(test.outcome)) return `${at}.outcome must be a string`;
  if (!(test.duration === null || (isFinite(test.duration) && test.duration >= 0))) return `${at}.duration must be seconds >= 0 or null, got ${show(test.duration)}`;
  if (!isNullableText(test.message)) return `${at}.message must be a string or null`;
  if (typeof test.heldOut !== 'boolean') return `${at}.heldOut must be a boolean`;
  return null;
}

function tokensProblem(tokens: TokenStatsInput, completionTokens: number): string | null {
  const n = tokens.ids?.length;
  if (!isCount(n)) return 'tokens.ids must be an array of token ids';
  if (n !== completionTokens) return `tokens.ids has ${n} entries but completionTokens is ${completionTokens}`;
  if (tokens.logprobs?.length !== n) return `tokens.logprobs has ${tokens.logprobs?.length} entries, expected ${n}`;
  if (tokens.entropies != null && tokens.entropies.length !== n) return `tokens.entropies has ${tokens.entropies.length} entries, expected ${n}`;
  if (tokens.offsets != null && tokens.offsets.length !== n) return `tokens.offsets has ${tokens.offsets.length} entries, expected ${n}`;
  return null;
}

function ahaProblem(event: AhaEventInput, index: number): string | null {
  const at = `ahaEvents[${index}]`;
  if (!isText(event.category) || !isText(event.cue)) return `${at}: category and cue must be strings`;
  if (!isCount(event.charStart) || !isCount(event.charEnd) || event.charEnd < event.charStart) return `${at}: need 0 <= charStart <= charEnd`;
  if (!(event.tokenIndex === null || isCount(event.tokenIndex))) return `${at}.tokenIndex must be an index or null`;
  if (!isFinite(event.position) || event.position < 0 || event.position > 1) return `${at}.position must be in 0..1, got ${show(event.position)}`;
  if (event.phase !== 'exploration' && event.phase !== 'reflection') return `${at}.phase must be "exploration" or "reflection", got ${show(event.phase)}`;
  if (!(event.consequence === null || ['confirm', 'fix', 'regress', 'churn'].includes(event.consequence))) {
    return `${at}.consequence must be confirm, fix, regress, churn or null, got ${show(event.consequence)}`;
  }
  if (!isNullableFinite(event.entropy)) return `${at}.entropy must be a finite number or null`;
  if (typeof event.forking !== 'boolean') return `${at}.forking must be a boolean`;
  return null;
}

export function ahaEventsProblem(events: readonly AhaEventInput[]): string | null {
  for (const [i, event] of events.entries()) {
    const problem = ahaProblem(event, i);
    if (problem) return problem;
  }
  return null;
}

function scalarProblem(t: TraceInput): string | null {
  const runProblem = runIdProblem(t.runId);
  if (runProblem) return runProblem;
  if (!isCount(t.step)) return `step must be an integer >= 0, got ${show(t.step)}`;
  if (t.kind !== 'train' && t.kind !== 'eval') return `kind must be "train" or "eval", got ${show(t.kind)}`;
  if (!(t.evalLabel === undefined || isNullableText(t.evalLabel))) return 'evalLabel must be a string or null';
  if (!isText(t.taskId) || t.taskId === '') return 'taskId must be a non-empty string';
  if (!isCount(t.groupIndex) || !isCount(t.sampleIndex)) return 'groupIndex and sampleIndex must be integers >= 0';
  if (!isText(t.prompt) || !isText(t.completion)) return 'prompt and completion must be strings';
  if (!isNullableText(t.think) || !isNullableText(t.answer) || !isNullableText(t.code)) return 'think, answer and code must be strings or null';
  for (const part of ['total', 'correctness', 'format', 'overlong'] as const) {
    if (!isFinite(t.reward?.[part])) return `reward.${part} must be a finite number, got ${show(t.reward?.[part])}`;
  }
  if (!isNullableFinite(t.advantage)) return `advantage must be a finite number or null, got ${show(t.advantage)}`;
  if (!isCount(t.promptTokens) || !isCount(t.completionTokens)) return 'promptTokens and completionTokens must be integers >= 0';
  if (!isText(t.finishReason) || t.finishReason === '') return 'finishReason must be a non-empty string';
  if (typeof t.passed !== 'boolean') return `passed must be a boolean, got ${show(t.passed)}`;
  if (!(t.passFraction === null || (isFinite(t.passFraction) && t.passFraction >= 0 && t.passFraction <= 1))) {
    return `passFraction must be in 0..1 or null, got ${show(t.passFraction)}`;
  }
  if (!(t.createdAt === undefined || isCount(t.createdAt))) return 'createdAt must be Unix milliseconds';
  return null;
}

/** Why `t` cannot be stored, or null. */
export function traceProblem(t: TraceInput): string | null {
  const scalar = scalarProblem(t);
  if (scalar) return scalar;
  for (const [i, test] of (t.tests ?? []).entries()) {
    const problem = testProblem(test, i);
    if (problem) return problem;
  }
  if (t.tokens) {
    const problem = tokensProblem(t.tokens, t.completionTokens);
    if (problem) return problem;
  }
  for (const [i, flag] of (t.flags ?? []).entries()) {
    if (!isText(flag.code) || !isText(flag.message)) return `flags[${i}]: code and message must be strings`;
  }
  return ahaEventsProblem(t.ahaEvents ?? []);
}
