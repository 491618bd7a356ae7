/** The human-readable `rlvr aha` report: one row per cue, then the per-trace summary. */
import { CUE_CATEGORIES, type AhaEvent, type AhaReport } from './types';

const percent = (x: number): string => `${Math.round(100 * x)}%`;

function table(rows: string[][]): string[] {
  const widths = rows[0]?.map((_, col) => Math.max(...rows.map((r) => (r[col] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, col) => (col === r.length - 1 ? cell : cell.padEnd(widths[col] ?? 0))).join('  ').trimEnd());
}

function eventRow(event: AhaEvent): string[] {
  const fork = event.forking === null ? '' : event.forking ? 'fork' : '';
  const entropy = event.entropy ? event.entropy.atCue.toFixed(2) : '';
  return [percent(event.position), event.phase, event.category, event.tokenIndex === null ? '' : String(event.tokenIndex),
    event.consequence ?? '', entropy, fork, JSON.stringify(event.cue)];
}

export function formatAhaReport(report: AhaReport): string {
  const s = report.summary;
  const unit = s.rateUnit === 'think_tokens' ? `${s.thinkTokens} think tokens` : `${s.thinkChars} think characters`;
  const rate = `${s.cuesPer1k.toFixed(1)} per 1k ${s.rateUnit === 'think_tokens' ? 'tokens' : 'characters'}`;
  const solution = s.firstSolutionPosition === null ? 'no candidate solution in the think' : `first candidate solution at ${percent(s.firstSolutionPosition)}`;
  const lines = [`${s.total} cue(s) in ${unit} (${rate}); ${solution}`];
  if (s.thinkSource === 'untagged') lines.push('no <think> tag: the whole text was read as reasoning');
  if (report.events.length > 0) {
    lines.push('', ...table([['POS', 'PHASE', 'CATEGORY', 'TOKEN', 'CONSEQUENCE', 'ENTROPY', 'FORK', 'CUE'], ...report.events.map(eventRow)]));
  }
  lines.push('', `by category: ${CUE_CATEGORIES.map((c) => `${c} ${s.byCategory[c]}`).join(', ')}`);
  lines.push(`by phase: exploration ${s.byPhase.exploration}, reflection ${s.byPhase.reflection}`);
  if (s.consequences) {
    const c = s.consequences;
    lines.push(`consequences: fix ${c.fix} (in ${s.fixTransitions ?? 0} failing → passing change(s): the aha moments), confirm ${c.confirm}, regress ${c.regress}, churn ${c.churn}, no code on one side ${c.unknown}`);
  } else {
    lines.push('consequences: not judged (pass --workspace and --task to verify the code around each cue)');
  }
  if (s.forkingCues !== null) lines.push(`forking cues (≥ 80th-percentile entropy): ${s.forkingCues}`);
  return `${lines.join('\n')}\n`;
}
