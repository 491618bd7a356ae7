/**
 * pass@k evaluation on held-out tasks: n samples per task at the training temperature, each
 * verified in the sandbox, then the unbiased estimator at the configured ks and at every k = 1..n.
 */
import { passAtK, passAtKCurve, type PassAtKCurve } from '../analysis/pass-at-k';
import type { RewardConfig } from '../rl/rewards';
import type { Task } from '../tasks/task';
import type { PromptMessage } from '../tasks/prompt';
import type { CandidateVerifier, PolicyEngine } from './ports';
import { rollout, type ScoredGroup } from './rollout';

export interface EvaluationResult extends PassAtKCurve {
  /** pass@k for every k = 1..n (index k − 1), besides the configured ks in `passAtK`; null for a stored evaluation without it. */
  curve: number[] | null;
  tasks: { taskId: string; n: number; c: number }[];
  groups: ScoredGroup[];
}

export interface EvaluationSettings {
  label: string;
  n: number;
  ks: readonly number[];
  temperature: number;
  topP: number;
  maxNewTokens: number;
  seed: number;
  /** Prompts per generate call: bounds the worker's memory. */
  chunkSize: number;
}

export async function evaluatePassAtK(
  tasks: readonly Task[],
  promptFor: (task: Task) => PromptMessage[],
  policy: PolicyEngine,
  verifier: CandidateVerifier,
  rewards: RewardConfig,
  settings: EvaluationSettings,
): Promise<EvaluationResult> {
  const groups: ScoredGroup[] = [];
  for (let start = 0; start < tasks.length; start += settings.chunkSize) {
    const chunk = tasks.slice(start, start + settings.chunkSize);
    const generation = {
      n: settings.n, temperature: settings.temperature, topP: settings.topP,
      maxNewTokens: settings.maxNewTokens, seed: settings.seed + start,
    };
    const result = await rollout(chunk, chunk.map(promptFor), policy, verifier, generation, rewards);
    groups.push(...result.groups);
  }
  const counts = groups.map((g) => ({
    taskId: g.task.id, n: g.samples.length, c: g.samples.filter((s) => s.verdict?.passed).length,
  }));
  const atKs: Record<string, number> = {};
  for (const k of settings.ks) {
    const usable = counts.filter((t) => t.n >= k);
    atKs[String(k)] = usable.length === 0 ? 0 : usable.reduce((sum, t) => sum + passAtK(t.n, t.c, k), 0) / usable.length;
  }
  return { label: settings.label, n: settings.n, passAtK: atKs, curve: passAtKCurve(counts, settings.n), tasks: counts, groups };
}
