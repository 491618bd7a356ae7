/**
 * One rollout round: generate G completions for each of B tasks, and verify each group as soon as
 * the worker emits it, so the sandbox works while the model is still generating other groups.
 */
import { parseCompletion, type ParsedCompletion } from '../rl/completion';
import { computeReward, type RewardBreakdown, type RewardConfig } from '../rl/rewards';
import { detectAha, spansFromEndOffsets, type AhaReport, type DetectOptions, type Verdict } from '../analysis/aha';
import type { Task } from '../tasks/task';
import { REWARD_HACKING_FLAGS } from '../rl/flags';
import type { PromptMessage } from '../tasks/prompt';
import type {
  CandidateVerdict, CandidateVerifier, GeneratedGroup, GeneratedSample, GenerationSettings, PolicyEngine,
} from './ports';

export interface ScoredSample extends GeneratedSample {
  parsed: ParsedCompletion;
  /** null when the completion held no code to verify. */
  verdict: CandidateVerdict | null;
  reward: RewardBreakdown;
  /** Backtracking / self-verification cues in the think text, with their consequences. */
  aha: AhaReport;
}

export interface ScoredGroup {
  task: Task;
  prompt: PromptMessage[];
  promptTokenIds: number[];
  samples: ScoredSample[];
}

export interface RolloutResult {
  groups: ScoredGroup[];
  generateSeconds: number;
  /** Time spent verifying after generation finished (the part not hidden by overlap). */
  verifyTailSeconds: number;
}

export async function rollout(
  tasks: readonly Task[],
  prompts: readonly PromptMessage[][],
  policy: PolicyEngine,
  verifier: CandidateVerifier,
  generation: GenerationSettings,
  rewards: RewardConfig,
  signal?: AbortSignal,
): Promise<RolloutResult> {
  const pending = new Map<number, Promise<ScoredGroup>>();
  const scoreOnce = (group: GeneratedGroup) => {
    if (pending.has(group.promptIndex)) return;
    const task = tasks[group.promptIndex];
    const prompt = prompts[group.promptIndex];
    if (!task || !prompt) throw new Error(`worker returned a group for unknown prompt index ${group.promptIndex}`);
    pending.set(group.promptIndex, scoreGroup(task, prompt, group, verifier, rewards, signal));
  };
  const started = Date.now();
  const generated = await policy.generate([...prompts], generation, scoreOnce, signal);
  const generateSeconds = (Date.now() - started) / 1000;
  generated.forEach(scoreOnce); // groups the worker did not emit early
  const groups = await Promise.all([...pending.entries()].sort((a, b) => a[0] - b[0]).map(([, p]) => p));
  return { groups, generateSeconds, verifyTailSeconds: (Date.now() - started) / 1000 - generateSeconds };
}

async function scoreGroup(
  task: Task,
  prompt: PromptMessage[],
  group: GeneratedGroup,
  verifier: CandidateVerifier,
  rewards: RewardConfig,
  signal?: AbortSignal,
): Promise<ScoredGroup> {
  // One verdict cache per group: siblings often repeat the same intermediate snippets.
  const verdictCache = new Map<string, Promise<Verdict>>();
  const judge = async (code: string): Promise<Verdict> => {
    const v = await verifier.verify(task, code, signal);
    return v.passed ? 'pass' : v.tests.length === 0 && v.flags.length > 0 ? null : 'fail';
  };
  const samples = await Promise.all(group.samples.map(async (sample): Promise<ScoredSample> => {
    const parsed = parseCompletion(sample.text);
    const verdict = parsed.code === null ? null : await verifier.verify(task, parsed.code, signal);
    const summary = verdict && {
      passFraction: verdict.reward, passed: verdict.passed, flagged: verdict.flags.length > 0,
      hacking: verdict.flags.some((f) => REWARD_HACKING_FLAGS.has(f.code)),
    };
    const reward = computeReward(summary, parsed.format, sample.tokenIds.length, rewards);
    const aha = await detectAha(sample.text, { judge, verdictCache, solutionSymbol: task.symbol, ...tokenStatistics(sample) });
    return { ...sample, parsed, verdict, reward, aha };
  }));
  return { task, prompt, promptTokenIds: group.promptTokenIds, samples };
}

/**
 * Token spans and entropies for the aha detector (cue token index, forking-cue entropy), when the
 * worker located its tokens in the text; otherwise none, and cues are still found by text.
 */
function tokenStatistics(sample: GeneratedSample): Pick<DetectOptions, 'tokenSpans' | 'entropies'> {
  const offsets = sample.tokenOffsets;
  if (!offsets || offsets.length !== sample.entropies.length) return {};
  const spans = spansFromEndOffsets(sample.text.length, offsets);
  return spans ? { tokenSpans: spans, entropies: sample.entropies } : {};
}
