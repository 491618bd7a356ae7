/** Human-readable output of `rlvr verify` (the --json shapes are the stable interface). */
import type { Task } from '../../tasks/task';
import type { GroundTruthReport } from '../../verifier/ground-truth';
import type { VerificationResult } from '../../verifier/result';

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd());
}

const oneLine = (text: string, max = 100): string => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/** "1.00 (3/3)" or "0.00 flagged: exit_call, timeout". */
export function summarize(result: VerificationResult): string {
  const passed = result.tests.filter((t) => t.outcome === 'passed').length;
  const score = `${result.reward.toFixed(2)} (${passed}/${result.tests.length})`;
  return result.flags.length > 0 ? `${score} flagged: ${[...new Set(result.flags.map((f) => f.code))].join(', ')}` : score;
}

export function formatVerification(task: Task, result: VerificationResult): string {
  const verdict = result.passed ? 'PASSED' : 'NOT PASSED';
  const lines = [`${task.file}::${task.symbol} (task ${task.id}): reward ${summarize(result)} — ${verdict} in ${result.seconds.toFixed(2)} s`];
  if (result.tests.length > 0) {
    lines.push('', ...table([['OUTCOME', 'TEST', 'MESSAGE'], ...result.tests.map((t) => [
      t.outcome, `${t.id}${t.heldOut ? ' (held-out)' : ''}`, t.outcome === 'passed' ? '' : oneLine(t.message),
    ])]));
  }
  if (result.flags.length > 0) lines.push('', 'flags (any flag makes the reward 0):', ...result.flags.map((f) => `  ${f.code}: ${oneLine(f.message, 160)}`));
  return `${lines.join('\n')}\n`;
}

export function formatGroundTruth(reports: readonly GroundTruthReport[]): string {
  const failed = reports.filter((r) => !r.ok);
  const lines = [`ground truth: ${reports.length - failed.length}/${reports.length} task(s) usable for training`];
  if (reports.length > 0) {
    lines.push('', ...table([['ID', 'FILE', 'SYMBOL', 'ORIGINAL', 'STUB', 'VERDICT'], ...reports.map((r) => [
      r.id, r.file, r.symbol, summarize(r.original), summarize(r.stub), r.ok ? 'ok' : 'EXCLUDED',
    ])]));
  }
  if (failed.length > 0) {
    lines.push('', 'excluded from training:');
    for (const r of failed) {
      lines.push(`  ${r.id} ${r.file}::${r.symbol}: ${r.reason ?? ''}`);
      for (const f of r.original.flags) lines.push(`    original ${f.code}: ${oneLine(f.message, 160)}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
