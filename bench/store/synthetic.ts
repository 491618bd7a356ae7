/**
 * Synthetic traces for the store benchmark, shaped like a tiny code model's: ~150-token
 * completions (think text + one fenced function), 4 test results, per-token ids / logprobs /
 * entropies / offsets, 8 samples per group. A pool of completions is built once and reused with
 * different rewards, tasks and steps, so generating 1M traces costs little next to storing them.
 * Marker words appear with known frequencies, so searches have known selectivity.
 */
import type { TraceInput } from '../../src/trainer/store/types';
import { seededRandom } from '../../src/trainer/run/task-sampler';

/** Deterministic PRNG (the trainer's own mulberry32). */
export const rng = seededRandom;

const WORDS = ('the list value result index count check loop string split join strip lower upper append sorted range len sum max min ' +
  'first then return input output empty case edge handle number words character dict key items need should test expected ' +
  'maybe actually so we can use because when each over into from with without keep order unique duplicate').split(' ');

/** Marker word → fraction of completions that contain it. */
export const MARKERS = { zebra: 0.001, quokka: 0.01, recursion: 0.05, wait: 0.3 } as const;

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;

function sentence(r: () => number, words: number): string {
  return Array.from({ length: words }, () => pick(r, WORDS)).join(' ');
}

interface PoolEntry {
  completion: string;
  think: string;
  answer: string;
  code: string;
  tokens: { ids: Int32Array; logprobs: Float32Array; entropies: Float32Array; offsets: Uint32Array };
}

function markers(r: () => number): string {
  return Object.entries(MARKERS).filter(([, p]) => r() < p).map(([w]) => w).join(' ');
}

function poolEntry(r: () => number): PoolEntry {
  const think = `${sentence(r, 40 + Math.floor(r() * 40))} ${markers(r)}`.trim();
  const code = `def solve(items):\n    ${sentence(r, 6).replace(/ /g, '_')} = sorted(items)\n    return [x for x in items if x]\n`;
  const answer = `\`\`\`python\n${code}\`\`\``;
  const completion = `<think>${think}</think>\n${answer}`;
  // ~4.5 characters per token, like BPE on English and code.
  const n = Math.max(8, Math.round(completion.length / 4.5));
  const step = completion.length / n;
  return {
    completion, think, answer, code,
    tokens: {
      ids: Int32Array.from({ length: n }, () => Math.floor(r() * 150_000)),
      logprobs: Float32Array.from({ length: n }, () => -r() * 3),
      entropies: Float32Array.from({ length: n }, () => r() * 4),
      offsets: Uint32Array.from({ length: n }, (_, i) => Math.min(completion.length, Math.round((i + 1) * step))),
    },
  };
}

export interface SyntheticPlan {
  runs: string[];
  tracesPerRun: number;
  tracesPerStep: number;
  groupSize: number;
  tasks: number;
}

export class SyntheticTraces {
  private readonly pool: PoolEntry[];
  private readonly prompts: string[];
  private readonly r = rng(42);

  constructor(private readonly plan: SyntheticPlan, poolSize = 4000) {
    const r = rng(7);
    this.pool = Array.from({ length: poolSize }, () => poolEntry(r));
    this.prompts = Array.from({ length: plan.tasks }, (_, i) =>
      `Implement \`task_${i}(items)\` so that its tests pass.\n\n${sentence(r, 80)}\n\n\`\`\`python\ndef task_${i}(items):\n    ...\n\`\`\``);
  }

  /** The traces of one step of one run. */
  step(runId: string, step: number): TraceInput[] {
    const { tracesPerStep, groupSize, tasks } = this.plan;
    const out: TraceInput[] = [];
    for (let i = 0; i < tracesPerStep; i++) {
      const group = Math.floor(i / groupSize);
      const task = (step * 7 + group) % tasks;
      const entry = pick(this.r, this.pool);
      const passFraction = Math.floor(this.r() * 5) / 4;
      const passed = passFraction === 1;
      const flagged = this.r() < 0.005;
      const correctness = flagged ? 0 : passFraction;
      out.push({
        runId, step, kind: 'train', evalLabel: null, taskId: `task-${task}`, groupIndex: group, sampleIndex: i % groupSize,
        prompt: this.prompts[task] as string, completion: entry.completion, think: entry.think, answer: entry.answer, code: entry.code,
        reward: { total: correctness + 0.1, correctness, format: 0.1, overlong: 0 },
        advantage: this.r() * 2 - 1, promptTokens: 120, completionTokens: entry.tokens.ids.length,
        finishReason: this.r() < 0.1 ? 'length' : 'stop', passed, passFraction,
        tests: [0, 1, 2, 3].map((k) => ({
          testId: `tests/test_task_${task}.py::test_case_${k}`, outcome: k < passFraction * 4 ? 'passed' : 'failed',
          duration: 0.001 + k / 1000, message: k < passFraction * 4 ? null : 'AssertionError: assert [1, 2] == [2, 1]', heldOut: k === 3,
        })),
        tokens: entry.tokens,
        flags: flagged ? [{ code: 'sys_exit', message: 'calls sys.exit() before the tests run' }] : [],
        ahaEvents: this.r() < 0.05 ? [{
          category: 'backtrack', cue: 'wait', charStart: 20, charEnd: 24, tokenIndex: 5, position: 0.1, phase: 'reflection',
          consequence: 'fix', entropy: 2.1, forking: true,
        }] : [],
      });
    }
    return out;
  }
}
