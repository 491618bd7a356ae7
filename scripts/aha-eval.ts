/**
 * Precision and recall of the aha detector on the hand-labelled set, per category and per split.
 *   node --import tsx scripts/aha-eval.ts [--file test/fixtures/aha/labelled.jsonl] [--mistakes]
 * Prints a markdown table (pasted into docs/analysis.md); --mistakes lists every miss and false alarm.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { detectCues } from '../src/trainer/analysis/aha';
import { evaluateDetector, parseLabelledSet, type CategoryScore, type EvalResult, type LabelledSnippet } from '../src/trainer/analysis/aha/evaluate';
import { CUE_CATEGORIES } from '../src/trainer/analysis/aha/types';

const { values } = parseArgs({ options: { file: { type: 'string' }, mistakes: { type: 'boolean' } } });
const file = values.file ?? join(__dirname, '..', 'test', 'fixtures', 'aha', 'labelled.jsonl');
const snippets = parseLabelledSet(readFileSync(file, 'utf8'));

const pct = (x: number | null): string => (x === null ? '—' : `${(100 * x).toFixed(1)}%`);
const row = (name: string, s: CategoryScore): string => `| ${name} | ${s.tp + s.fn} | ${s.tp + s.fp} | ${s.tp} | ${pct(s.precision)} | ${pct(s.recall)} |`;

function table(title: string, subset: LabelledSnippet[]): EvalResult {
  const result = evaluateDetector(subset, (text) => detectCues(text));
  console.log(`\n**${title}** — ${subset.length} snippets\n`);
  console.log('| category | labelled | detected | matched | precision | recall |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const category of CUE_CATEGORIES) console.log(row(category, result.byCategory[category]));
  console.log(row('all', result.overall));
  return result;
}

const all = table('all snippets', snippets);
for (const split of ['dev', 'fresh'] as const) {
  const subset = snippets.filter((s) => s.split === split);
  if (subset.length > 0) table(`split \`${split}\``, subset);
}
if (values.mistakes) {
  console.log('\nmisses (labelled, not detected):');
  for (const m of all.misses) console.log(`  ${m.id}  ${m.category}  ${JSON.stringify(m.cue)} @${m.position}`);
  console.log('false alarms (detected, not labelled):');
  for (const m of all.falseAlarms) console.log(`  ${m.id}  ${m.category}  ${JSON.stringify(m.cue)} @${m.position.toFixed(3)}`);
}
