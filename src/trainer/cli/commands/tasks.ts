import { parseArgs } from 'node:util';
import { UsageError } from '../../errors';
import { mineTasks, type MineTasksOptions, type MineTasksResult } from '../../mining';
import type { Command } from '../command';

const usage = `usage: rlvr tasks [--workspace DIR] [--json] [--python P] [--no-cache] [--unsafe-no-sandbox]

Mines the workspace's tests into training tasks: every function that a passing test calls is a task,
its tests split into visible (may appear in prompts) and held-out ones. Custom tasks come from
DIR/.rlvr/tasks.jsonl. Results are cached in DIR/.rlvr/cache/mining.json until a file changes.
  --workspace DIR       the workspace (default: the current folder)
  --json                print the tasks as a JSON array (stable field names) and nothing else on stdout
  --python P            interpreter that runs the tests (default: DIR/.venv, RLVR Studio's .venv, python3)
  --no-cache            mine again even when nothing changed
  --unsafe-no-sandbox   run the tests without bubblewrap (only for a machine and workspace you trust)`;

function parse(argv: string[]): MineTasksOptions & { json: boolean } {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv, strict: true, allowPositionals: false,
      options: {
        workspace: { type: 'string' }, json: { type: 'boolean' }, python: { type: 'string' },
        'no-cache': { type: 'boolean' }, 'unsafe-no-sandbox': { type: 'boolean' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message, usage);
  }
  return {
    workspace: values.workspace ?? process.cwd(),
    json: values.json === true,
    python: values.python,
    useCache: values['no-cache'] !== true,
    unsafeNoSandbox: values['unsafe-no-sandbox'] === true,
  };
}

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd());
}

/** The human-readable report of a mining result. */
export function formatTasksReport(result: MineTasksResult): string {
  const origin = result.fromCache ? 'from cache' : 'mined';
  const lines = [`${result.tasks.length} task(s) from ${result.tests.length} test(s) in ${result.workspace} (${origin})`];
  if (result.tasks.length > 0) {
    const rows = result.tasks.map((t) => [t.id, t.file, t.symbol, `${t.visibleTests.length}/${t.heldOutTests.length}`, t.source === 'custom' ? 'custom' : '']);
    lines.push('', ...table([['ID', 'FILE', 'SYMBOL', 'TESTS (visible/held-out)', ''], ...rows]));
  }
  if (result.skipped.length > 0) {
    lines.push('', `not tasks (${result.skipped.length}):`, ...table(result.skipped.map((s) => [`  ${s.file}`, s.symbol, s.reason])));
  }
  if (result.dropped.length > 0) {
    lines.push('', 'tests left out of tasks (they do not pass at baseline):');
    for (const d of result.dropped) lines.push(`  ${d.file} ${d.symbol}: ${d.tests.map((t) => `${t.id} (${t.outcome})`).join(', ')}`);
  }
  if (result.collectErrors.length > 0) lines.push('', 'collection errors:', ...result.collectErrors.map((e) => `  ${e}`));
  if (result.warnings.length > 0) lines.push('', 'warnings:', ...result.warnings.map((w) => `  ${w}`));
  if (result.tasks.length === 0) {
    lines.push('', 'no function is exercised by a passing test: fix the failing tests or add tests that call your functions');
  }
  return `${lines.join('\n')}\n`;
}

export const tasksCommand: Command = {
  name: 'tasks',
  summary: 'mine the workspace tests into training tasks (table or --json)',
  usage,
  async run(argv, io) {
    const { json, ...options } = parse(argv);
    const result = await mineTasks(options);
    if (json) {
      io.stdout(`${JSON.stringify(result.tasks, null, 2)}\n`);
      // stdout stays pure JSON; what a user should still know goes to stderr.
      for (const line of [...result.collectErrors.map((e) => `collection error: ${e}`), ...result.warnings]) io.stderr(`rlvr: ${line}\n`);
    } else {
      io.stdout(formatTasksReport(result));
    }
    return result.tasks.length > 0 ? 0 : 1;
  },
};
