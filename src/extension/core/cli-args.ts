/**
 * Argument lists for the `rlvr` child processes the extension starts. Pure functions, so what the
 * UI runs is exactly what a user can copy from Show Logs and run in a terminal.
 */
import { settingsToSetFlags } from './presets';

export interface CommonCliOptions {
  workspace: string;
  /** Trace database; undefined = the CLI default `<workspace>/.rlvr/runs.db`. */
  db?: string;
  /** Interpreter for the workspace's tests and the worker; undefined = the CLI's own search. */
  python?: string;
}

export interface NewRunOptions extends CommonCliOptions {
  model: string;
  /** Preset overrides first, then the user's own (`rlvrStudio.trainSettings`), so the user wins. */
  settings: readonly Readonly<Record<string, unknown>>[];
}

function commonFlags(o: CommonCliOptions, withDb: boolean): string[] {
  const flags = ['--workspace', o.workspace];
  if (withDb && o.db) flags.push('--db', o.db);
  if (o.python) flags.push('--python', o.python);
  return flags;
}

export function trainArgs(o: NewRunOptions): string[] {
  const merged = Object.assign({}, ...o.settings) as Record<string, unknown>;
  const sets = settingsToSetFlags(merged).flatMap((s) => ['--set', s]);
  return ['train', ...commonFlags(o, true), '--model', o.model, ...sets, '--events'];
}

export function resumeArgs(o: CommonCliOptions & { runId: string }): string[] {
  return ['train', ...commonFlags(o, true), '--resume', o.runId, '--events'];
}

export function mineTasksArgs(o: CommonCliOptions & { noCache?: boolean }): string[] {
  return ['tasks', ...commonFlags(o, false), '--json', ...(o.noCache ? ['--no-cache'] : [])];
}

export function groundTruthArgs(o: CommonCliOptions): string[] {
  return ['verify', ...commonFlags(o, false), '--ground-truth', '--json'];
}

/** `rlvr help NAME` exits 0 when NAME is a command and 2 when it is not: a capability check by exit status. */
export function helpArgs(command: string): string[] {
  return ['help', command];
}

/** pass@k of the run's base model and every checkpoint, stored in the run. */
export function evalArgs(o: CommonCliOptions & { runId: string }): string[] {
  return ['eval', ...commonFlags(o, true), '--run', o.runId, '--checkpoints', 'all', '--json'];
}

/** One candidate against its task's tests in the sandbox (`candidate`: a file outside the workspace). */
export function verifyCandidateArgs(o: CommonCliOptions & { taskId: string; candidate: string }): string[] {
  return ['verify', ...commonFlags(o, false), '--task', o.taskId, '--candidate', o.candidate, '--json'];
}

/** The task's file with the candidate spliced in by the verifier's own splice; `source`: the editor's text. */
export function spliceArgs(o: CommonCliOptions & { taskId: string; candidate: string; source: string }): string[] {
  return ['splice', ...commonFlags(o, false), '--task', o.taskId, '--candidate', o.candidate, '--source', o.source, '--json'];
}

/** A run's latest checkpoint as an ONNX model folder (docs/onnx.md); `--json` reports `{dir, …}`. */
export function onnxExportArgs(o: CommonCliOptions & { runId: string }): string[] {
  return ['export', '--format', 'onnx', '--run', o.runId, ...commonFlags(o, true), '--json'];
}
