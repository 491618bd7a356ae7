/**
 * The JSON the extension reads from `rlvr ... --json`, checked where it enters: a shape the
 * extension does not expect is a CliOutputError naming the command and the problem.
 */
import { taskProblem, type Task } from '../../trainer/tasks/task';
import { TEST_OUTCOMES, type TestOutcome } from '../../trainer/verifier/protocol';
import type { VerificationResult } from '../../trainer/verifier/result';
import type { SpliceResult } from '../../trainer/verifier/splice-candidate';
import { CliOutputError } from './errors';

function parseJson(args: readonly string[], stdout: string): unknown {
  try {
    return JSON.parse(stdout);
  } catch (error) {
    throw new CliOutputError(args, `not JSON (${(error as Error).message}): ${stdout.slice(0, 120)}`);
  }
}

/** `rlvr tasks --json`: an array of Task objects. */
export function parseMinedTasks(args: readonly string[], stdout: string): Task[] {
  const value = parseJson(args, stdout);
  if (!Array.isArray(value)) throw new CliOutputError(args, 'expected a JSON array of tasks');
  return value.map((task, i) => {
    const problem = taskProblem(task);
    if (problem) throw new CliOutputError(args, `task ${i}: ${problem}`);
    return task as Task;
  });
}

export interface GroundTruthVerdict {
  id: string;
  file: string;
  symbol: string;
  ok: boolean;
  reason: string | null;
}

/** `rlvr verify --ground-truth --json`: per task, whether its own code passes and a stub fails. */
export function parseGroundTruth(args: readonly string[], stdout: string): GroundTruthVerdict[] {
  const value = parseJson(args, stdout);
  if (!Array.isArray(value)) throw new CliOutputError(args, 'expected a JSON array of ground-truth reports');
  return value.map((r: unknown, i) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const { id, file, symbol, ok, reason } = o;
    if (typeof id !== 'string' || typeof file !== 'string' || typeof symbol !== 'string' || typeof ok !== 'boolean'
      || (reason !== null && typeof reason !== 'string')) {
      throw new CliOutputError(args, `report ${i} lacks id/file/symbol/ok/reason`);
    }
    return { id, file, symbol, ok, reason };
  });
}

/** Mining summary for a notification: "12 tasks (9 Python, 3 TypeScript), 2 custom". */
export function describeTasks(tasks: readonly Task[]): string {
  const byLanguage = new Map<string, number>();
  for (const t of tasks) byLanguage.set(t.language, (byLanguage.get(t.language) ?? 0) + 1);
  const names: Record<string, string> = { python: 'Python', javascript: 'JavaScript', typescript: 'TypeScript' };
  const parts = [...byLanguage].map(([lang, n]) => `${n} ${names[lang] ?? lang}`);
  const custom = tasks.filter((t) => t.source === 'custom').length;
  const noun = tasks.length === 1 ? 'task' : 'tasks';
  return `${tasks.length} ${noun}${parts.length > 1 ? ` (${parts.join(', ')})` : ''}${custom > 0 ? `, ${custom} custom` : ''}`;
}

export interface EvaluationRow {
  label: string;
  n: number;
  passAtK: Record<string, number>;
  regression: boolean | null;
}

/** `rlvr eval --run ID --json`: [{label, n, passAtK, regression}]. */
export function parseEvaluations(args: readonly string[], stdout: string): EvaluationRow[] {
  const value = parseJson(args, stdout);
  if (!Array.isArray(value)) throw new CliOutputError(args, 'expected a JSON array of evaluations');
  return value.map((r: unknown, i) => {
    const o = (typeof r === 'object' && r !== null ? r : {}) as Record<string, unknown>;
    const passAtK = o.passAtK;
    if (typeof o.label !== 'string' || typeof o.n !== 'number' || typeof passAtK !== 'object' || passAtK === null
      || !Object.values(passAtK).every((v) => typeof v === 'number')) {
      throw new CliOutputError(args, `evaluation ${i} lacks label/n/passAtK`);
    }
    return { label: o.label, n: o.n, passAtK: passAtK as Record<string, number>, regression: typeof o.regression === 'boolean' ? o.regression : null };
  });
}

/** "base pass@1 31% pass@8 52% → step-30 pass@1 44% pass@8 50% (⚠ pass@8 fell while pass@1 rose)". */
export function formatEvaluations(rows: readonly EvaluationRow[]): { text: string; regression: boolean } {
  const one = (r: EvaluationRow) => `${r.label} ${Object.entries(r.passAtK).map(([k, v]) => `pass@${k} ${Math.round(v * 100)}%`).join(' ')}`;
  const regression = rows.some((r) => r.regression === true);
  const warning = regression ? ' — ⚠ pass@k at the largest k fell while pass@1 rose: RL sharpened the base model rather than teaching new solutions' : '';
  return { text: `${rows.map(one).join(' → ')}${warning}`, regression };
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function parseFlags(args: readonly string[], value: unknown): { code: string; message: string }[] {
  if (!Array.isArray(value)) throw new CliOutputError(args, 'expected `flags` to be an array');
  return value.map((f: unknown, i) => {
    if (!isObject(f) || typeof f.code !== 'string' || typeof f.message !== 'string') throw new CliOutputError(args, `flag ${i} lacks code/message`);
    return { code: f.code, message: f.message };
  });
}

/** `rlvr verify --task ID --candidate F --json`: {task, reward, passed, flags, tests, seconds}. */
export function parseVerification(args: readonly string[], stdout: string): VerificationResult {
  const value = parseJson(args, stdout);
  if (!isObject(value) || typeof value.task !== 'string' || typeof value.reward !== 'number' || typeof value.passed !== 'boolean'
    || typeof value.seconds !== 'number' || !Array.isArray(value.tests)) {
    throw new CliOutputError(args, 'expected {task, reward, passed, flags, tests, seconds}');
  }
  const tests = value.tests.map((t: unknown, i) => {
    if (!isObject(t) || typeof t.id !== 'string' || typeof t.outcome !== 'string' || !TEST_OUTCOMES.includes(t.outcome as TestOutcome)
      || typeof t.heldOut !== 'boolean') {
      throw new CliOutputError(args, `test ${i} lacks id/outcome/heldOut`);
    }
    return {
      id: t.id, outcome: t.outcome as TestOutcome, heldOut: t.heldOut,
      duration: typeof t.duration === 'number' ? t.duration : 0, message: typeof t.message === 'string' ? t.message : '',
    };
  });
  return { task: value.task, reward: value.reward, passed: value.passed, seconds: value.seconds, flags: parseFlags(args, value.flags), tests };
}

/** `rlvr splice --json`: {task, file, spliced: string | null, flags}. */
export function parseSplice(args: readonly string[], stdout: string): SpliceResult {
  const value = parseJson(args, stdout);
  if (!isObject(value) || typeof value.task !== 'string' || typeof value.file !== 'string' || (value.spliced !== null && typeof value.spliced !== 'string')) {
    throw new CliOutputError(args, 'expected {task, file, spliced, flags}');
  }
  return { task: value.task, file: value.file, spliced: value.spliced, flags: parseFlags(args, value.flags) };
}
