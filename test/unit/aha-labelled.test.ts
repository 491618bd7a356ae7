/**
 * The hand-labelled set keeps the detector honest: precision and recall per category may not drop
 * below these floors (set a little under the numbers in docs/analysis.md). Raise them when the
 * detector improves; never lower them to make a change pass.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { detectCues, CUE_CATEGORIES, type CueCategory } from '../../src/trainer/analysis/aha';
import { evaluateDetector, locateCue, matchCues, parseLabelledLine, parseLabelledSet } from '../../src/trainer/analysis/aha/evaluate';

const snippets = parseLabelledSet(readFileSync(join(__dirname, '..', 'fixtures', 'aha', 'labelled.jsonl'), 'utf8'));

const FLOORS: Record<CueCategory, { precision: number; recall: number }> = {
  pause: { precision: 0.95, recall: 0.95 },
  verify: { precision: 0.95, recall: 0.9 },
  backtrack: { precision: 0.95, recall: 0.93 },
  reconsider: { precision: 0.93, recall: 0.95 },
  code: { precision: 0.95, recall: 0.85 },
};

test('the labelled set is big and varied enough to mean something', () => {
  assert.ok(snippets.length >= 150, `${snippets.length} snippets`);
  assert.equal(new Set(snippets.map((s) => s.id)).size, snippets.length, 'ids are unique');
  assert.ok(snippets.filter((s) => s.expected.length === 0).length >= 30, 'at least 30 snippets hold only false-positive traps');
  assert.ok(snippets.filter((s) => s.split === 'fresh').length >= 40, 'a fresh split the detector was never tuned on');
  for (const category of CUE_CATEGORIES) {
    const labelled = snippets.flatMap((s) => s.expected).filter((c) => c.category === category).length;
    assert.ok(labelled >= 20, `${category}: ${labelled} labelled cues`);
  }
});

test('every label is found in its text near its position (a broken label fails here, not silently)', () => {
  for (const snippet of snippets) for (const cue of snippet.expected) locateCue(snippet, cue);
});

test('precision and recall per category stay above their floors', () => {
  const result = evaluateDetector(snippets, (text) => detectCues(text));
  for (const category of CUE_CATEGORIES) {
    const score = result.byCategory[category];
    assert.ok((score.precision ?? 0) >= FLOORS[category].precision, `${category} precision ${score.precision}`);
    assert.ok((score.recall ?? 0) >= FLOORS[category].recall, `${category} recall ${score.recall}`);
  }
});

test('on the fresh split (never tuned on) overall precision and recall stay above their floors', () => {
  const result = evaluateDetector(snippets.filter((s) => s.split === 'fresh'), (text) => detectCues(text));
  assert.ok((result.overall.precision ?? 0) >= 0.95, `precision ${result.overall.precision}`);
  assert.ok((result.overall.recall ?? 0) >= 0.83, `recall ${result.overall.recall}`);
});

test('matching: same category and overlapping text; a wrong category is a miss and a false alarm', () => {
  const snippet = { id: 't', text: "I'll double-check it. Wait.", expected: [{ category: 'verify' as const, cue: 'double-check', position: 0.2 }] };
  const events = detectCues(snippet.text).events;
  assert.deepEqual(matchCues(snippet, events).matched.map((c) => c.cue), ['double-check']);
  assert.deepEqual(matchCues(snippet, events).extra.map((e) => e.cue), ['Wait']);
  const wrong = { ...snippet, expected: [{ category: 'pause' as const, cue: 'double-check', position: 0.2 }] };
  const result = matchCues(wrong, events);
  assert.equal(result.missed.length, 1);
  assert.equal(result.extra.length, 2);
});

test('malformed labelled lines are rejected with the line number', () => {
  assert.throws(() => parseLabelledLine('{', 7), /line 7 is not JSON/);
  assert.throws(() => parseLabelledLine('{"id":"x","split":"dev","note":"","text":"a","expected":[{"category":"aha","cue":"a","position":0}]}', 3),
    /line 3 \(x\) expected\[0\]/);
  assert.throws(() => locateCue({ id: 'x', text: 'Wait here' }, { category: 'pause', cue: 'Hmm', position: 0 }), /"Hmm" of x is not in its think text/);
});
