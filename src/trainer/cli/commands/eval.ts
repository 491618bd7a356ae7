import { parseArgs } from 'node:util';
import { UsageError } from '../../errors';
import { resolveConfig } from '../../config/config';
import { comparePassAtK, isPassAtKRegression, type PassAtKComparison } from '../../analysis/pass-at-k';
import { openStore, openStoreReader } from '../../store';
import { evaluateTargets, runCheckpoints, storedTasks, type EvalTarget } from '../../run/eval-session';
import { prepareTasks } from '../../run/train-setup';
import { splitTrainEval } from '../../run/train-eval-split';
import { LanguagePools } from '../../verifier/language-pools';
import type { EvaluationResult } from '../../run/evaluate';
import type { Command } from '../command';
import { configLayers } from './config';
import { storePathFor } from '../store-path';

const usage = `usage: rlvr eval --run ID [--workspace DIR | --db FILE] [--checkpoints last|all] [--k 1,4,8] [--n 8] [--json]
       rlvr eval --model DIR|ID --workspace DIR [--tasks held-out|all] [--k 1,4,8] [--n 8] [--json]

pass@k (unbiased estimator, n samples per task) on held-out tasks.
  --run ID        the run's base model and its checkpoints, on the run's held-out tasks; stored in the run
  --model M       one model on DIR's held-out tasks (same split as training) or all tasks
Prints pass@k at the --k values and the whole curve, k = 1..n. --json prints an array of
{label, n, passAtK: {"1": p, "4": p, ...}, curve: [pass@1, ..., pass@n]} and, with --run, a
"regression" flag per checkpoint (pass@1 up while pass@k at the largest k fell) and "crossoverK"
(docs/cli.md).`;

export const evalCommand: Command = {
  name: 'eval',
  summary: 'pass@k of base vs trained checkpoints on held-out tasks',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        run: { type: 'string' }, model: { type: 'string' }, workspace: { type: 'string' }, db: { type: 'string' },
        checkpoints: { type: 'string' }, tasks: { type: 'string' }, k: { type: 'string' }, n: { type: 'string' },
        set: { type: 'string', multiple: true }, python: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    if (!values.run === !values.model) throw new UsageError('give exactly one of --run ID or --model M', usage);
    const log = (line: string) => io.stderr(`${line}\n`);
    const results = values.run ? await evalRun(values.run, values, log) : await evalModel(values, log);
    const comparisons = compareWithBase(results, Boolean(values.run));
    const rows = evaluationRows(results, comparisons, Boolean(values.run));
    if (values.json) io.stdout(`${JSON.stringify(rows)}\n`);
    else rows.forEach((row, i) => io.stdout(evaluationText(row, comparisons[i] ?? null)));
    return 0;
  },
};

type Values = Record<string, string | boolean | string[] | undefined>;

/** With --run, each checkpoint against the first result (the base); null where nothing is compared. */
export function compareWithBase(results: readonly EvaluationResult[], withBase: boolean): (PassAtKComparison | null)[] {
  const base = results[0];
  return results.map((r, i) => (withBase && i > 0 && base ? comparePassAtK(base, r) : null));
}

/** The --json entries (docs/cli.md): regression and crossoverK only with --run, null for the base. */
export function evaluationRows(results: readonly EvaluationResult[], comparisons: readonly (PassAtKComparison | null)[], withBase: boolean) {
  return results.map((r, i) => ({
    label: r.label, n: r.n, passAtK: r.passAtK, curve: r.curve,
    ...(withBase ? { regression: i > 0 ? comparisons[i]?.regression ?? false : null, crossoverK: comparisons[i]?.crossoverK ?? null } : {}),
  }));
}

const percent = (v: number): string => `${(v * 100).toFixed(1)}%`;

/** One evaluation: the --k values, the whole curve (8 ks a line), and a regression against the base. */
export function evaluationText(e: Pick<EvaluationResult, 'label' | 'n' | 'passAtK' | 'curve'>, comparison: PassAtKComparison | null): string {
  const lines = [`${e.label.padEnd(12)} n=${e.n}  ${Object.entries(e.passAtK).map(([k, v]) => `pass@${k} ${percent(v)}`).join('  ')}`];
  const curve = e.curve ?? [];
  for (let start = 0; start < curve.length; start += 8) {
    const cells = curve.slice(start, start + 8).map((v, i) => `${String(start + i + 1).padStart(3)}:${percent(v).padStart(6)}`);
    lines.push(`${start === 0 ? '  pass@k, k =' : '            '} ${cells.join(' ')}`);
  }
  if (comparison?.regression) {
    const crossing = comparison.crossoverK === null ? '' : `; below the base from k = ${comparison.crossoverK}`;
    lines.push(`  ⚠ pass@k regression vs base: pass@1 ${percent(comparison.pass1[0])} → ${percent(comparison.pass1[1])} but pass@${comparison.k} ${percent(comparison.passK[0])} → ${percent(comparison.passK[1])}${crossing}: sharpening, not new solutions`);
  }
  return `${lines.join('\n')}\n`;
}

function ksAndN(values: Values, fallbackN: number, fallbackK: readonly number[]): { n: number; ks: number[] } {
  const n = typeof values.n === 'string' ? Number(values.n) : fallbackN;
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--n expects a positive integer, got "${String(values.n)}"`);
  const ks = typeof values.k === 'string' ? values.k.split(',').map((k) => Number(k.trim())) : fallbackK.filter((k) => k <= n);
  return { n, ks };
}

async function evalRun(runId: string, values: Values, log: (l: string) => void): Promise<EvaluationResult[]> {
  const path = storePathFor({ db: values.db as string | undefined, workspace: values.workspace as string | undefined });
  const reader = await openStoreReader(path);
  const run = await reader.queries.getRun(runId);
  const rows = run ? await reader.queries.listRunTasks(runId) : [];
  await reader.close();
  if (!run) throw new UsageError(`no run "${runId}" in ${path} (list runs with \`rlvr runs\`)`);
  const config = resolveConfig([{ source: `run ${runId} (stored config)`, values: run.config }]);
  const checkpoints = runCheckpoints(run.workspace, runId);
  const chosen = values.checkpoints === 'all' ? checkpoints : checkpoints.slice(-1);
  const targets: EvalTarget[] = [
    { label: 'base', model: run.model, checkpoint: null },
    ...chosen.map((c) => ({ label: `step-${c.step}`, model: run.model, checkpoint: c.dir })),
  ];
  const { n, ks } = ksAndN(values, config.evalSamples, config.evalK);
  const results = await evaluateTargets({
    workspace: run.workspace, tasks: storedTasks(rows, 'eval'), config, targets, n, ks,
    python: values.python as string | undefined, log,
  });
  const store = await openStore(path);
  try {
    for (const [i, r] of results.entries()) {
      await store.recordEvaluation({
        runId, label: `eval-${r.label}`, step: i === 0 ? 0 : chosen[i - 1]?.step ?? 0, checkpoint: targets[i]?.checkpoint ?? null,
        n: r.n, tasks: r.tasks, passAtK: r.passAtK, curve: r.curve,
        regression: i > 0 && results[0] ? isPassAtKRegression(results[0], r) : null,
      });
    }
  } finally {
    await store.close();
  }
  return results;
}

async function evalModel(values: Values, log: (l: string) => void): Promise<EvaluationResult[]> {
  const workspace = values.workspace as string | undefined;
  if (!workspace) throw new UsageError('--model needs --workspace DIR', usage);
  const config = resolveConfig(configLayers(workspace, undefined, (values.set as string[] | undefined) ?? []));
  const python = values.python as string | undefined;
  const pools = new LanguagePools({ workspace, ...(python ? { python } : {}) });
  let tasks;
  try {
    tasks = (await prepareTasks(workspace, pools, { python, log })).tasks;
  } finally {
    await pools.close();
  }
  const selected = values.tasks === 'all' ? tasks : splitTrainEval(tasks, config.heldOutFraction).evaluation;
  const { n, ks } = ksAndN(values, config.evalSamples, config.evalK);
  return evaluateTargets({
    workspace, tasks: selected, config, n, ks, python, log,
    targets: [{ label: String(values.model), model: String(values.model), checkpoint: null }],
  });
}
