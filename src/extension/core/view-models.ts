/**
 * Trace-store records → the plain-JSON view models the webviews receive (src/shared/view-models.ts).
 * Typed arrays become number[] and NaN becomes null, so everything survives postMessage and
 * setState. Model text is passed through untouched: the webviews render it as text, never as HTML.
 */
import type {
  EvaluationRecord, RunRecord, StepRecord, TraceDetail, TraceSummary,
} from '../../trainer/store';
import {
  STEP_METRIC_KEYS,
  type EvaluationVM, type GroupMemberVM, type OriginalFunctionVM, type RunVM, type StepMetricKey, type StepVM,
  type TokenStatsVM, type TraceDetailVM, type TraceRowVM,
} from '../../shared/view-models';
import { parseHealthWarnings } from '../../shared/health';

export function runVM(run: RunRecord): RunVM {
  return { id: run.id, status: run.status, model: run.model, lastStep: run.lastStep, traceCount: run.traceCount, createdAt: run.createdAt };
}

export function traceRowVM(t: TraceSummary): TraceRowVM {
  return {
    id: t.id, runId: t.runId, step: t.step, kind: t.kind, evalLabel: t.evalLabel, taskId: t.taskId,
    groupIndex: t.groupIndex, sampleIndex: t.sampleIndex, reward: { ...t.reward }, advantage: t.advantage,
    promptTokens: t.promptTokens, completionTokens: t.completionTokens, finishReason: t.finishReason,
    passed: t.passed, passFraction: t.passFraction, flagged: t.flagged, ahaCount: t.ahaCount,
    createdAt: t.createdAt, preview: t.preview,
  };
}

const finiteOrNull = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : v);
const toArray = (a: ArrayLike<number> | null): number[] | null => (a ? Array.from(a, (v) => (Number.isFinite(v) ? v : 0)) : null);

function tokensVM(tokens: TraceDetail['tokens']): TokenStatsVM | null {
  if (!tokens) return null;
  return { logprobs: toArray(tokens.logprobs) ?? [], entropies: toArray(tokens.entropies), offsets: toArray(tokens.offsets), pieces: null };
}

/** The detail without its preview-only fields; `original` is the task's function as the workspace has it now. */
export function traceDetailVM(t: TraceDetail, original: OriginalFunctionVM | null): TraceDetailVM {
  const { preview: _preview, ...row } = traceRowVM({ ...t, preview: '' });
  return {
    ...row,
    prompt: t.prompt, completion: t.completion, think: t.think, answer: t.answer, code: t.code,
    tests: t.tests.map((r) => ({ ...r })),
    tokens: tokensVM(t.tokens),
    flags: t.flags.map((f) => ({ code: f.code, message: f.message })),
    ahaEvents: t.ahaEvents.map((e) => ({ ...e, entropy: finiteOrNull(e.entropy) })),
    original,
  };
}

export function groupMemberVM(t: TraceDetail): GroupMemberVM {
  return { ...traceRowVM({ ...t, preview: t.completion.slice(0, 200) }), code: t.code };
}

function stepWarnings(extra: StepRecord['extra']): string[] {
  const warnings = extra.warnings;
  return Array.isArray(warnings) ? warnings.filter((w): w is string => typeof w === 'string') : [];
}

export function stepVM(s: StepRecord): StepVM {
  const metrics: Partial<Record<StepMetricKey, number | null>> = {};
  for (const key of STEP_METRIC_KEYS) metrics[key] = finiteOrNull(s.metrics[key]);
  return { step: s.step, createdAt: s.createdAt, metrics, warnings: stepWarnings(s.extra), health: parseHealthWarnings(s.health) };
}

export function evaluationVM(e: EvaluationRecord): EvaluationVM {
  return {
    label: e.label, step: e.step, checkpoint: e.checkpoint, n: e.n, passAtK: { ...e.passAtK },
    regression: e.regression, curve: e.curve ? [...e.curve] : null, createdAt: e.createdAt,
  };
}
