/** The BENCHMARKS.md section of the GRPO benchmark and its headline line. */
import type { OurRun, OurStep } from './ours';
import type { BenchSettings } from './settings';
import type { TrlRun, TrlStep } from './trl';
import { machine } from '../common/machine';

export interface BenchContext {
  settings: BenchSettings;
  warmup: number;
  model: string;
  modelNote: string;
  taskCount: number;
  /** 1-minute load average before the start. */
  loadBefore: number;
}

const mean = (xs: number[]): number => (xs.length === 0 ? NaN : xs.reduce((a, b) => a + b, 0) / xs.length);
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s.length % 2 ? (s[(s.length - 1) / 2] as number) : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '–');
const f2 = (x: number): string => (Number.isFinite(x) ? x.toFixed(2) : '–');


/**
 * Medians, not means: on the shared machine one step that meets another job's burst can take 20×
 * its neighbours (seen here: 69 s among 3 s steps), and the mean then measures the burst.
 */
export interface Headline { ours: number; trl: number; ratio: number; oursMean: number; trlMean: number; pairedRatios: number[] }

export function headline(ours: OurRun, trl: TrlRun, warmup: number): Headline {
  const o = ours.steps.slice(warmup).map((s) => s.seconds);
  const t = trl.steps.slice(warmup).map((s) => s.seconds);
  return {
    ours: median(o), trl: median(t), ratio: median(o) / median(t), oursMean: mean(o), trlMean: mean(t),
    // Our step n and TRL's step n ran back to back, so each pair saw about the same load.
    pairedRatios: o.map((x, i) => x / (t[i] ?? NaN)),
  };
}

function ourRow(s: OurStep, warmup: number): string {
  const other = s.seconds - s.genS - s.verifyTailS - s.trainS;
  return `| ${s.step}${s.step <= warmup ? ' (warm-up)' : ''} | ${f1(s.seconds)} | ${f1(s.genS)} | ${f2(s.verifyTailS)} | ${f2(s.trainS)} | ${f2(other)} | ${f1(s.completionLenMean)} | ${f2(s.rewardMean)} | ${f1(s.load)} |`;
}

function trlRow(s: TrlStep, warmup: number): string {
  const otherPrep = s.prepareS - s.generateS - s.rewardsS;
  return `| ${s.step}${s.step <= warmup ? ' (warm-up)' : ''} | ${f1(s.seconds)} | ${f1(s.generateS)} | ${f1(s.rewardsS)} | ${f2(otherPrep)} | ${f2(s.seconds - s.prepareS)} | ${f1(s.completionLenMean)} | ${f2(s.rewardMean)} |`;
}

function settingsLine(c: BenchContext): string {
  const s = c.settings;
  return [
    `B = ${s.tasksPerStep} prompts × G = ${s.groupSize} completions per step, max completion ${s.maxNewTokens} tokens,`,
    `temperature ${s.temperature}, top-p ${s.topP}, loss \`${s.lossType}\`, advantages scaled by ${s.advantageScaling}, β = 0,`,
    `ε ${s.epsilonLow}/${s.epsilonHigh}, lr ${s.learningRate} (${s.lrSchedule}), ${s.lora ? `LoRA r=${s.lora.rank} α=${s.lora.alpha} on ${s.lora.targets.join(',')}` : 'full fine-tune'},`,
    `one forward/backward over all ${s.tasksPerStep * s.groupSize} sequences, format reward weight ${s.formatWeight}, seed ${s.seed},`,
    `${s.threads} torch thread(s) on each side${s.threads < s.workers ? ' (ours capped by bench/grpo/torch-threads: the product has no setting for it yet)' : ''}; our verifier pool and TRL's reward thread pool: ${s.workers} workers;`,
    'gradient checkpointing off on both (TRL\'s default is on).',
  ].join('\n');
}

export function section(c: BenchContext, ours: OurRun, trl: TrlRun, h: Headline): string {
  return [
    '', `## grpo — ${new Date().toISOString()}`, '',
    `Machine: ${machine()}; shared with other work: 1-minute load average ${f1(c.loadBefore)} at the start, per step below.`,
    'The two trainers ran in one invocation, **alternating step by step** (our step n, then TRL\'s step n; each side\'s time',
    'excludes the other\'s), so load changes hit both alike.',
    `Model: ${c.modelNote} (\`${c.model}\`). Tasks: examples/python-basics; TRL got exactly the prompts our run`,
    `sampled, step by step (same renderer, same order, shuffling off; ${c.taskCount} distinct tasks).`,
    settingsLine(c),
    'Ours: the real `rlvr train` session (train-session.ts in process: sandboxed fork-server verifier pool, SQLite',
    'store, compute worker); dynamic sampling off, held-out split 0, checkpoint only at the end, so every step is one generation round like TRL\'s.',
    `TRL ${trl.version}: \`GRPOTrainer\` on CPU (no vLLM, fp32), reward = fresh \`python -m pytest -q\` per completion on a temp copy of`,
    `the workspace with the spliced module, ${c.settings.threads} at a time, NO sandbox (favours TRL).`,
    `Excluded on both sides: start-up (ours ${f1(ours.setupSeconds)} s: mining, ground truth, pools, worker, model load;`,
    `TRL ${f1(trl.setupSeconds)} s: model load, trainer init) and the first ${c.warmup} step(s) (warm-up). Ours is timed from the end`,
    'of the previous step (TRL\'s, in lockstep) to the end of its own, including writing traces to the store; TRL from',
    'on_step_begin to on_step_end.',
    '',
    '**RLVR Studio** (s; "verify tail" = verification not hidden behind generation; "other" = parse, rewards, store, IPC):',
    '', '| step | wall | generate | verify tail | train | other | mean completion tokens | mean reward | load |', '|---|---|---|---|---|---|---|---|---|',
    ...ours.steps.map((s) => ourRow(s, c.warmup)),
    '', `**TRL ${trl.version}** (s; "rewards" = the reward functions with the pytest runs; "other prep" = the rest of`,
    '`_prepare_inputs`: tokenising, advantages; "update" = the rest of the step: forward, backward, optimizer):',
    '', '| step | wall | generate | rewards | other prep | update | mean completion tokens | mean reward |', '|---|---|---|---|---|---|---|---|',
    ...trl.steps.map((s) => trlRow(s, c.warmup)),
    '',
    `Measured steps: ours median ${f2(h.ours)} s (mean ${f2(h.oursMean)}), TRL median ${f2(h.trl)} s (mean ${f2(h.trlMean)}).`,
    `Per step, ours ÷ TRL's (adjacent in time): ${h.pairedRatios.map(f2).join(', ')}.`,
    `**${f2(h.ratio)}× TRL's time per step** (ratio of medians; ratio of means ${f2(h.oursMean / h.trlMean)}; target ≤ 0.5×).`,
    '',
  ].join('\n');
}

export function headlineLine(h: Headline): string {
  return `grpo: RLVR Studio step ${f1(h.ours)} s vs TRL ${f1(h.trl)} s (medians) → ${f2(h.ratio)}× TRL's time`;
}
