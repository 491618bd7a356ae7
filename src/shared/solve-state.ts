/**
 * The Solve panel ("Solve with Trained Model"): its state and the events that change it. One pure
 * reducer, used by both sides: the host applies every event it posts to its own snapshot (so a
 * webview that reloads gets the whole state back in `init`), the webview applies the same events
 * to render. Events of an older solve (a stale `solveId`) change nothing.
 */
import type { FlagVM, SourceLanguage, TestResultVM } from './view-models';

export type SolvePhase =
  /** Loading the ONNX model (first use of a folder). */
  | 'loading'
  | 'generating'
  /** The answer runs against the task's tests in the sandbox. */
  | 'verifying'
  /** Verified (passed or not): the user may show the diff, accept or discard. */
  | 'verified'
  | 'accepted'
  | 'discarded'
  | 'cancelled'
  /** Loading, generation or verification failed, or the answer had no code; `message` says which. */
  | 'failed';

export const SOLVE_PHASES: readonly SolvePhase[] = ['loading', 'generating', 'verifying', 'verified', 'accepted', 'discarded', 'cancelled', 'failed'];

export interface SolveTaskVM {
  taskId: string;
  /** "slugify" or "Stack.push". */
  symbol: string;
  /** Workspace-relative, posix. */
  file: string;
  /** 1-based definition line. */
  line: number;
  language: SourceLanguage;
}

export interface SolveModelVM {
  /** What the user picked: "r-2025… step 30 (ONNX)" or a folder name. */
  label: string;
  dir: string;
  /** The execution provider in use, once the model is loaded. */
  provider: string | null;
}

export interface SolveGenerationVM {
  think: string | null;
  /** Everything after the think block. */
  answer: string;
  /** The function extracted from the answer (what is verified and spliced), or null. */
  code: string | null;
  finishReason: 'stop' | 'length' | 'cancelled';
  completionTokens: number;
  tokensPerSecond: number;
}

export interface SolveVerificationVM {
  passed: boolean;
  reward: number;
  tests: TestResultVM[];
  flags: FlagVM[];
  seconds: number;
}

export interface SolveState {
  solveId: number;
  task: SolveTaskVM;
  model: SolveModelVM;
  /** The rendered chat prompt, as the model saw it (roles and contents). */
  prompt: string;
  phase: SolvePhase;
  /** Why the solve failed, or a note on the current phase. */
  message: string | null;
  /** The completion so far (streamed). */
  text: string;
  generation: SolveGenerationVM | null;
  verification: SolveVerificationVM | null;
}

export type SolveEvent =
  | { type: 'session'; solveId: number; task: SolveTaskVM; model: SolveModelVM; prompt: string }
  | { type: 'phase'; solveId: number; phase: SolvePhase; message: string | null }
  | { type: 'model'; solveId: number; provider: string }
  | { type: 'delta'; solveId: number; text: string }
  | { type: 'generated'; solveId: number; generation: SolveGenerationVM }
  | { type: 'verified'; solveId: number; verification: SolveVerificationVM };

export function applySolveEvent(state: SolveState | null, event: SolveEvent): SolveState | null {
  if (event.type === 'session') {
    return { solveId: event.solveId, task: event.task, model: event.model, prompt: event.prompt, phase: 'loading', message: null, text: '', generation: null, verification: null };
  }
  if (!state || state.solveId !== event.solveId) return state;
  switch (event.type) {
    case 'phase': return { ...state, phase: event.phase, message: event.message };
    case 'model': return { ...state, model: { ...state.model, provider: event.provider } };
    case 'delta': return { ...state, text: state.text + event.text };
    case 'generated': return { ...state, generation: event.generation };
    case 'verified': return { ...state, verification: event.verification };
  }
}

/** Phases in which work is running and Cancel means something. */
export const isActivePhase = (phase: SolvePhase): boolean => phase === 'loading' || phase === 'generating' || phase === 'verifying';

export interface SolveActions {
  cancel: boolean;
  showDiff: boolean;
  accept: boolean;
  discard: boolean;
}

/** Which buttons are live: the diff and its decision only for a verified answer that has code. */
export function solveActions(state: SolveState | null): SolveActions {
  const decidable = state !== null && state.phase === 'verified' && state.generation?.code != null;
  return { cancel: state !== null && isActivePhase(state.phase), showDiff: decidable, accept: decidable, discard: decidable };
}

export interface TestCount {
  passed: number;
  total: number;
}

export function countTests(v: Pick<SolveVerificationVM, 'tests'>): TestCount {
  return { passed: v.tests.filter((t) => t.outcome === 'passed').length, total: v.tests.length };
}

/** "✓ 5/5 by trained model", "✗ 2/5 by trained model", "✗ flagged by the verifier". */
export function outcomeLabel(v: Pick<SolveVerificationVM, 'passed' | 'tests' | 'flags'>): string {
  const { passed, total } = countTests(v);
  if (v.flags.length > 0 && total === 0) return '✗ flagged by the verifier';
  const flagged = v.flags.length > 0 ? ' (flagged)' : '';
  return `${v.passed ? '✓' : '✗'} ${passed}/${total} by trained model${flagged}`;
}

const THINK_OPEN = '<think>';
const THINK_CLOSE = '</think>';

/**
 * A completion being streamed, split for display: the reasoning (inside `<think>`) and what follows
 * it. Before any tag arrives everything counts as reasoning (the prompt asks the model to think
 * first); the host's final parse (src/trainer/rl/completion.ts) decides the code.
 */
export function splitStream(text: string): { think: string; answer: string } {
  const open = text.indexOf(THINK_OPEN);
  const from = open < 0 ? 0 : open + THINK_OPEN.length;
  const close = text.indexOf(THINK_CLOSE, from);
  if (close < 0) return { think: text.slice(from).replace(/^\n/, ''), answer: '' };
  return { think: text.slice(from, close).replace(/^\n/, ''), answer: text.slice(close + THINK_CLOSE.length).replace(/^\n/, '') };
}
