/**
 * The state of the training run the extension started, as a pure reducer over the CLI's event
 * stream (src/shared/train-events.ts) plus what the host itself knows (it launched the process,
 * asked it to stop, saw it exit). The status bar, the dashboard and the Runs tree all read this.
 */
import type { StepEventMetrics, TrainEvent } from '../../shared/train-events';

export type RunPhase = 'idle' | 'starting' | 'running' | 'stopping' | 'completed' | 'stopped' | 'failed';

export interface EvaluationPoint {
  label: string;
  step: number;
  passAtK: Record<string, number>;
}

export interface RunState {
  phase: RunPhase;
  runId: string | null;
  db: string | null;
  /** The last finished step (the start step until the first step event). */
  step: number;
  totalSteps: number;
  metrics: StepEventMetrics | null;
  warnings: readonly string[];
  evaluations: readonly EvaluationPoint[];
  error: { message: string; hint: string | null } | null;
}

export type RunAction =
  | { type: 'launched' }
  | { type: 'event'; event: TrainEvent }
  | { type: 'stopRequested' }
  | { type: 'exited'; code: number | null; signal: string | null };

export const IDLE_RUN: RunState = {
  phase: 'idle', runId: null, db: null, step: 0, totalSteps: 0, metrics: null, warnings: [], evaluations: [], error: null,
};

export function isActive(state: RunState): boolean {
  return state.phase === 'starting' || state.phase === 'running' || state.phase === 'stopping';
}

export function reduceRun(state: RunState, action: RunAction): RunState {
  switch (action.type) {
    case 'launched':
      return { ...IDLE_RUN, phase: 'starting' };
    case 'stopRequested':
      return isActive(state) ? { ...state, phase: 'stopping' } : state;
    case 'exited':
      return reduceExit(state, action.code, action.signal);
    case 'event':
      return reduceEvent(state, action.event);
  }
}

function reduceEvent(state: RunState, event: TrainEvent): RunState {
  switch (event.type) {
    case 'log':
      return state;
    case 'started':
      return {
        ...state, phase: state.phase === 'stopping' ? 'stopping' : 'running', runId: event.runId, db: event.db,
        step: event.startStep, totalSteps: event.totalSteps,
      };
    case 'step':
      return { ...state, runId: event.runId, step: event.step, totalSteps: event.totalSteps, metrics: event.metrics, warnings: event.warnings };
    case 'evaluation':
      return { ...state, evaluations: [...state.evaluations.filter((e) => e.label !== event.label), { label: event.label, step: event.step, passAtK: event.passAtK }] };
    case 'finished':
      return { ...state, phase: event.status, runId: event.runId, step: event.lastStep };
    case 'failed':
      return { ...state, phase: 'failed', runId: event.runId ?? state.runId, error: { message: event.message, hint: event.hint } };
  }
}

/** A process that ends without a `finished` or `failed` event crashed (or was killed). */
function reduceExit(state: RunState, code: number | null, signal: string | null): RunState {
  if (!isActive(state)) return state;
  const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
  return {
    ...state,
    phase: 'failed',
    error: {
      message: `the training process ${how} before it reported the end of the run`,
      hint: state.runId
        ? `Open "RLVR: Show Logs" for its output; "RLVR: Resume Training" continues run ${state.runId} from its last checkpoint.`
        : 'Open "RLVR: Show Logs" for its output.',
    },
  };
}
