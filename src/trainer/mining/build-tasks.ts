/**
 * Mined report → tasks. A workspace function becomes a task when at least one test that calls it
 * passes at baseline; its mapped tests that do not pass are dropped from it (and reported), because
 * a reward must be reachable by the workspace's own code.
 */
import { splitTests } from '../tasks/split';
import { taskId, type Task } from '../tasks/task';
import { functionKey, type MinedFunction, type MinedTest, type MinedWorkspace } from './mined';

export interface SkippedFunction {
  file: string;
  symbol: string;
  reason: string;
}

/** Tests mapped to a task that did not pass at baseline and were left out of it. */
export interface DroppedTests {
  taskId: string;
  file: string;
  symbol: string;
  tests: { id: string; outcome: MinedTest['outcome'] }[];
}

export interface BuiltTasks {
  tasks: Task[];
  skipped: SkippedFunction[];
  dropped: DroppedTests[];
}

/** Function key → the ids of the tests that called it, in the report's test order. */
export function testsByFunction(mined: MinedWorkspace): Map<string, string[]> {
  const byFunction = new Map<string, string[]>();
  for (const test of mined.tests) {
    for (const ref of new Set(mined.calls[test.id] ?? [])) {
      const list = byFunction.get(ref) ?? [];
      list.push(test.id);
      byFunction.set(ref, list);
    }
  }
  return byFunction;
}

/** Sums of float seconds, rounded to the microsecond the reports measure (no 0.30000000000000004). */
export const roundMicro = (seconds: number): number => Math.round(seconds * 1e6) / 1e6;

const byPosition = (a: MinedFunction, b: MinedFunction): number =>
  (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) || a.startLine - b.startLine;

function describeOutcomes(tests: MinedTest[]): string {
  const counts = new Map<string, number>();
  for (const t of tests) counts.set(t.outcome, (counts.get(t.outcome) ?? 0) + 1);
  return [...counts].map(([outcome, n]) => `${n} ${outcome}`).join(', ');
}

/** Builds the task of one function, or says why it is not one. */
export function taskOfFunction(fn: MinedFunction, mapped: MinedTest[]): { task: Task; dropped: MinedTest[] } | SkippedFunction {
  if (mapped.length === 0) return { file: fn.file, symbol: fn.symbol, reason: 'no test calls it' };
  const passing = mapped.filter((t) => t.outcome === 'passed');
  const dropped = mapped.filter((t) => t.outcome !== 'passed');
  if (passing.length === 0) {
    return { file: fn.file, symbol: fn.symbol, reason: `none of its ${mapped.length} tests pass at baseline (${describeOutcomes(mapped)})` };
  }
  const tests = passing.map((t) => t.id);
  const task: Task = {
    id: taskId(fn.file, fn.symbol, tests),
    language: fn.language,
    file: fn.file,
    symbol: fn.symbol,
    signature: fn.signature,
    docstring: fn.docstring,
    bodySpan: { startLine: fn.startLine, endLine: fn.endLine },
    context: fn.context,
    tests,
    ...splitTests(tests),
    baselineSeconds: roundMicro(passing.reduce((sum, t) => sum + t.duration, 0)),
    source: 'mined',
  };
  return { task, dropped };
}

export function buildMinedTasks(mined: MinedWorkspace): BuiltTasks {
  const testById = new Map(mined.tests.map((t) => [t.id, t]));
  const mappedIds = testsByFunction(mined);
  const result: BuiltTasks = { tasks: [], skipped: [], dropped: [] };
  const definitions = new Map<string, number>();
  for (const fn of mined.functions) definitions.set(functionKey(fn), (definitions.get(functionKey(fn)) ?? 0) + 1);
  for (const fn of [...mined.functions].sort(byPosition)) {
    if ((definitions.get(functionKey(fn)) ?? 0) > 1) {
      // Which definition runs depends on import-time control flow; a splice target must be unique.
      result.skipped.push({ file: fn.file, symbol: fn.symbol, reason: `defined more than once in its file (this one at line ${fn.startLine})` });
      continue;
    }
    const mapped = (mappedIds.get(functionKey(fn)) ?? []).flatMap((id) => testById.get(id) ?? []);
    const built = taskOfFunction(fn, mapped);
    if ('reason' in built) {
      result.skipped.push(built);
      continue;
    }
    result.tasks.push(built.task);
    if (built.dropped.length > 0) {
      result.dropped.push({
        taskId: built.task.id, file: fn.file, symbol: fn.symbol,
        tests: built.dropped.map((t) => ({ id: t.id, outcome: t.outcome })),
      });
    }
  }
  return result;
}
