/**
 * TRL's side of the GRPO benchmark: writes the spec for bench/trl_grpo.py (same model, settings,
 * and the prompts our run used, step by step, rendered by our prompt renderer) and runs it.
 */
import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { workspaceFileReader } from '../../src/trainer/mining/workspace-reader';
import { renderTaskPrompt } from '../../src/trainer/tasks/prompt';
import type { Task } from '../../src/trainer/tasks/task';
import { trlSettings, type BenchSettings } from './settings';

export interface TrlStep {
  step: number;
  /** on_step_begin → on_step_end. */
  seconds: number;
  generateS: number;
  /** Reward functions (the pytest runs). */
  rewardsS: number;
  /** All of TRL's _prepare_inputs (generation, rewards, advantages, tokenising); the rest of the step is the update. */
  prepareS: number;
  completionLenMean: number;
  rewardMean: number;
}

export interface TrlRun {
  version: string;
  threads: number;
  setupSeconds: number;
  steps: TrlStep[];
}

interface RawStep { step: number; begin: number; end: number; seconds: number; parts: Record<string, number>; log?: Record<string, number> }
interface RawResult { trl: string; threads: number; setup_s: number; steps: RawStep[] }

/** One dataset row per prompt, in the order our run rolls the tasks out. */
export function trlRows(workspace: string, tasksPerStep: Task[][]): Record<string, unknown>[] {
  const readFile = workspaceFileReader(workspace);
  return tasksPerStep.flat().map((task) => ({
    prompt: renderTaskPrompt(task, readFile),
    file: task.file, start_line: task.bodySpan.startLine, end_line: task.bodySpan.endLine, tests: task.tests,
  }));
}

export interface StartedTrl {
  pid: number;
  /** Resolves with the parsed result once bench/trl_grpo.py exits 0. */
  result: Promise<TrlRun>;
  /** Ends the process if it still runs (our side failed). */
  stop: () => void;
}

/** Starts bench/trl_grpo.py on `rows`; with `lockstepDir` its steps wait for ours (lockstep.ts). */
export function startTrl(
  python: string, dir: string, workspace: string, model: string, s: BenchSettings,
  rows: Record<string, unknown>[], lockstepDir: string | null,
): StartedTrl {
  const spec = join(dir, 'trl-spec.json');
  const out = join(dir, 'trl-out.json');
  writeFileSync(spec, JSON.stringify({
    model, workspace, seed: s.seed, steps: s.steps, threads: s.threads, reward_workers: s.workers,
    test_timeout_s: 30, settings: trlSettings(s), rows, lockstep_dir: lockstepDir,
  }));
  const child = spawn(python, [join(__dirname, '..', 'trl_grpo.py'), spec, out], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (child.pid === undefined) throw new Error(`could not start ${python} bench/trl_grpo.py`);
  const result = new Promise<void>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code, signal) => (code === 0 ? resolve() : reject(new Error(`bench/trl_grpo.py exited with ${code ?? signal}`))));
  }).then(() => parseResult(JSON.parse(readFileSync(out, 'utf8')) as RawResult));
  result.catch(() => undefined); // awaited by the caller; this only keeps an early failure from being "unhandled"
  return { pid: child.pid, result, stop: () => { if (child.exitCode === null && child.signalCode === null) child.kill(); } };
}

function parseResult(raw: RawResult): TrlRun {
  const parts = (r: RawStep, name: string) => r.parts[name] ?? 0;
  return {
    version: raw.trl, threads: raw.threads, setupSeconds: raw.setup_s,
    steps: raw.steps.map((r) => ({
      step: r.step, seconds: r.seconds,
      generateS: parts(r, 'transformers.generate'),
      rewardsS: parts(r, '_calculate_rewards'),
      prepareS: parts(r, '_prepare_inputs'),
      completionLenMean: r.log?.['completions/mean_length'] ?? NaN,
      rewardMean: r.log?.reward ?? NaN,
    })),
  };
}
