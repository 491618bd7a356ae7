import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectAha, detectCues, labelConsequence, type ConsequenceJudge, type Verdict } from '../../src/trainer/analysis/aha';
import { candidateSnippets, codeHash, definesSymbol, firstSolutionStart } from '../../src/trainer/analysis/aha/snippets';
import { maskThink } from '../../src/trainer/analysis/aha/mask';

const fence = (body: string): string => '```python\n' + body + '```';
const WRONG = 'def f(x):\n    return x\n';
const RIGHT = 'def f(x):\n    return x + 1\n';
const OTHER_RIGHT = 'def f(x):\n    return 1 + x\n';

/** A judge that knows which bodies pass, and records what it was asked. */
function fakeJudge(passing: string[]): ConsequenceJudge & { calls: string[] } {
  const calls: string[] = [];
  const judge = async (code: string): Promise<Verdict> => {
    calls.push(code);
    if (code.includes('UNKNOWN')) return null;
    return passing.some((p) => code.includes(p)) ? 'pass' : 'fail';
  };
  return Object.assign(judge, { calls });
}

const trace = (before: string, cue: string, after: string, answer = after): string =>
  `<think>\nFirst try.\n${fence(before)}\n${cue}\n${fence(after)}\nDone.\n</think>\n${fence(answer)}`;

test('fix: failing code before the cue, passing code after it', async () => {
  const judge = fakeJudge(['x + 1']);
  const report = await detectAha(trace(WRONG, 'Wait, that is off.', RIGHT), { judge });
  assert.deepEqual(report.events.map((e) => [e.cue, e.consequence]), [['Wait', 'fix']]);
  assert.equal(report.summary.fixes, 1);
  assert.equal(report.summary.fixTransitions, 1);
  assert.deepEqual(report.summary.consequences, { confirm: 0, fix: 1, regress: 0, churn: 0, unknown: 0 });
});

test('regress: passing code became failing code', async () => {
  const report = await detectAha(trace(RIGHT, 'Actually, simpler:', WRONG), { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(report.events.map((e) => e.consequence), ['regress']);
  assert.equal(report.summary.fixes, 0);
});

test('confirm: the same code again is not judged at all; two passing versions are a confirm', async () => {
  const same = fakeJudge(['x + 1']);
  const unchanged = await detectAha(trace(RIGHT, 'Let me double-check.', `${RIGHT}\n\n`), { judge: same });
  assert.deepEqual(unchanged.events.map((e) => e.consequence), ['confirm']);
  assert.deepEqual(same.calls, []);
  const both = await detectAha(trace(RIGHT, 'Alternatively, reorder.', OTHER_RIGHT), { judge: fakeJudge(['x + 1', '1 + x']) });
  assert.deepEqual(both.events.map((e) => e.consequence), ['confirm']);
});

test('churn: changed code that still fails, or whose outcome is unknown', async () => {
  const stillWrong = 'def f(x):\n    return x * 1\n';
  const failing = await detectAha(trace(WRONG, 'Hmm, try again.', stillWrong), { judge: fakeJudge([]) });
  assert.deepEqual(failing.events.map((e) => e.consequence), ['churn']);
  const unknown = await detectAha(trace(WRONG, 'Hmm, try again.', 'def f(x):\n    return UNKNOWN\n'), { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(unknown.events.map((e) => e.consequence), ['churn']);
});

test('no code on one side: consequence null and counted as unknown; without a judge everything is null', async () => {
  const text = '<think>\nHmm, an edge case first.\n' + fence(RIGHT) + '\n</think>\n' + fence(RIGHT);
  const judged = await detectAha(text, { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(judged.events.map((e) => e.consequence), [null, null]);
  assert.equal(judged.summary.consequences?.unknown, 2);
  const plain = detectCues(trace(WRONG, 'Wait.', RIGHT));
  assert.equal(plain.events[0]?.consequence, null);
  assert.equal(plain.summary.consequences, null);
  assert.equal(plain.summary.fixes, null);
});

test('after the last snippet in the think, the final answer is the code after the cue', async () => {
  const text = `<think>\n${fence(WRONG)}\nWait, off by one.\n</think>\n${fence(RIGHT)}`;
  const report = await detectAha(text, { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(report.events.map((e) => [e.cue, e.consequence]), [['Wait', 'fix'], ['off by one', 'fix']]);
  assert.equal(report.summary.fixes, 2);
  assert.equal(report.summary.fixTransitions, 1, 'two cues in the same gap are one aha moment');
});

test('an unclosed think, or a text without tags, has no answer code', async () => {
  const report = await detectAha(`<think>\n${fence(WRONG)}\nWait, off.`, { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(report.events.map((e) => e.consequence), [null]);
  const untagged = await detectAha(`${fence(WRONG)}\nWait, off.`, { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(untagged.events.map((e) => e.consequence), [null]);
  const closeOnly = await detectAha(`${fence(WRONG)}\nWait, off.\n</think>\n${fence(RIGHT)}`, { judge: fakeJudge(['x + 1']) });
  assert.deepEqual(closeOnly.events.map((e) => e.consequence), ['fix']);
});

test('each distinct snippet is judged once, also across traces sharing a cache', async () => {
  const judge = fakeJudge(['x + 1']);
  const verdictCache = new Map<string, Promise<Verdict>>();
  const text = `<think>\n${fence(WRONG)}\nWait.\nHmm.\n${fence(RIGHT)}\n</think>\n${fence(RIGHT)}`;
  await detectAha(text, { judge, verdictCache });
  await detectAha(text, { judge, verdictCache });
  assert.equal(judge.calls.length, 2);
  assert.equal(verdictCache.size, 2);
});

test('with solutionSymbol, snippets that do not define the function are not candidates', async () => {
  const helper = 'def helper(x):\n    return x\n';
  const text = `<think>\n${fence(WRONG)}\n${fence(helper)}\nWait.\n</think>\n${fence(RIGHT)}`;
  const report = await detectAha(text, { judge: fakeJudge(['x + 1']), solutionSymbol: 'Thing.f' });
  assert.deepEqual(report.events.map((e) => e.consequence), ['fix']);
  assert.equal(definesSymbol('class A:\n    def push(self, x):\n        pass\n', 'Stack.push'), true);
  assert.equal(definesSymbol('def pushy():\n    pass\n', 'push'), false);
});

test('labelConsequence is the table of the docs', () => {
  assert.equal(labelConsequence('a', 'a', null, null), 'confirm');
  assert.equal(labelConsequence('a', 'b', 'fail', 'pass'), 'fix');
  assert.equal(labelConsequence('a', 'b', 'pass', 'fail'), 'regress');
  assert.equal(labelConsequence('a', 'b', 'pass', 'pass'), 'confirm');
  assert.equal(labelConsequence('a', 'b', 'fail', 'fail'), 'churn');
  assert.equal(labelConsequence('a', 'b', null, 'pass'), 'churn');
  assert.equal(labelConsequence(null, 'b', 'fail', 'pass'), null);
});

test('position is 0..1 through the think; phase flips at the first code block or def/return line', () => {
  const text = '<think>Hmm, plan first.\n' + fence(WRONG) + '\nWait, wrong.\n</think>';
  const report = detectCues(text);
  assert.deepEqual(report.events.map((e) => e.phase), ['exploration', 'reflection']);
  assert.equal(report.events[0]?.position, 0);
  const wait = report.events[1];
  assert.ok(wait && wait.position > 0.7 && wait.position < 1);
  assert.equal(wait.charStart, text.indexOf('Wait'));
  assert.ok(report.summary.firstSolutionPosition !== null && report.summary.firstSolutionPosition > 0.1);
  const bare = detectCues('Hmm, so:\nreturn x + 1\nWait, no.');
  assert.deepEqual(bare.events.map((e) => e.phase), ['exploration', 'reflection']);
  const none = detectCues('Hmm. Wait.');
  assert.deepEqual(none.events.map((e) => e.phase), ['exploration', 'exploration']);
  assert.equal(none.summary.firstSolutionPosition, null);
});

test('candidate snippets: code fences and bare def blocks, dedented; a fence without a def is not one', () => {
  const think = 'Idea:\n  def f(x):\n      return x\nThen:\n```python\nprint(f(1))\n```\n```\ndef g():\n    pass\n```\n';
  const { layout } = maskThink(think);
  assert.deepEqual(candidateSnippets(think, layout).map((s) => s.code), ['def f(x):\n    return x\n', 'def g():\n    pass\n']);
  assert.equal(firstSolutionStart(layout), think.indexOf('  def f'));
});

test('codeHash is stable and distinguishes codes', () => {
  assert.equal(codeHash('abc'), codeHash('abc'));
  assert.notEqual(codeHash('abc'), codeHash('abd'));
  assert.match(codeHash(''), /^[0-9a-f]{14}$/);
});
