import assert from 'node:assert/strict';
import { test } from 'node:test';
import { FILLER, maskThink } from '../../src/trainer/analysis/aha/mask';
import { classifyCodeLine } from '../../src/trainer/analysis/aha/code-lines';
import { positionIn, thinkScope } from '../../src/trainer/analysis/aha/scope';
import { detectCues } from '../../src/trainer/analysis/aha';

const cues = (text: string): string[] => detectCues(text).events.map((e) => e.cue);
/** The masked text with masked characters shown as '#', for readable assertions. */
const shown = (think: string): string => maskThink(think).masked.replace(new RegExp(`[${FILLER}]`, 'g'), '#');

test('the mask keeps the length and the newlines, and blanks fenced code entirely', () => {
  const think = 'Plan.\n```python\ndef f():\n    # wait\n    return check()\n```\nDone.';
  const { masked } = maskThink(think);
  assert.equal(masked.length, think.length);
  assert.equal(masked, 'Plan.\n' + think.slice(6, think.indexOf('\nDone')).replace(/[^\n]/g, ' ') + '\nDone.');
});

test('an unclosed fence runs to the end of the think', () => {
  assert.deepEqual(cues('Draft:\n```python\ndef f():\n    # hmm, wait\n    return 1\nWait, actually'), []);
});

test('inline code, double-quoted strings, single-quoted literals and glued calls are masked in prose', () => {
  assert.equal(shown('Use `check()` then "wait" and \'hmm\' or s.strip() here'), 'Use ######### then ###### and ##### or ######### here');
});

test("apostrophes do not open a string literal, so the cue after them stays", () => {
  assert.deepEqual(cues("It's tricky. Wait, don't forget the empty string."), ['Wait', 'empty string']);
});

test('an error name alone in inline code is kept: it is a cue, not code', () => {
  assert.deepEqual(cues('Calling it on {} raises `KeyError`, so I need a default.'), ['KeyError']);
  assert.deepEqual(cues('Calling `d[KeyError]` is odd.'), []);
});

test('code-looking lines are recognised: def, return, assert, assignments, calls, comments, doctests', () => {
  for (const line of ['def f(x):', 'async def g():', 'class Stack:', '@property', 'function f(a) {']) assert.equal(classifyCodeLine(line), 'definition', line);
  assert.equal(classifyCodeLine('    return x + 1'), 'return');
  for (const line of ['assert f(1) == 2', 'x = "wait"', 'lo, hi = 0, n', 'total += x', 'a[i] = 3', 'check(x)', 'print(f([1, 2]))',
    '# wait, actually', '>>> f(0)', 'import math', 'from re import sub', 'for x in xs:', 'if not s:', 'else:', 'raise ValueError("x")',
    'f([]) == 0', 'const n = 3;', '}']) {
    assert.equal(classifyCodeLine(line), 'statement', line);
  }
  for (const line of ['Wait, the list may be empty.', 'So x is 3 here.', 'If the list is empty we return 0.', 'Let me check(x) later', 'x == y is what we need']) {
    assert.equal(classifyCodeLine(line), null, line);
  }
});

test('lines indented under a code line that opens a block are code too', () => {
  const think = 'for item in items:\n    wait_for(item)\n    actually = 1\nWait, that loop never ends.';
  assert.deepEqual(cues(think), ['Wait']);
  const { layout } = maskThink(think);
  assert.equal(layout.codeLines.length, 3);
  assert.equal(layout.proseLines.length, 1);
});

test('cues in code lines do not count; the same words in prose do', () => {
  assert.deepEqual(cues('check(x)\nassert wait(1)\n# actually\nx = "hmm"\nActually, hmm.'), ['Actually', 'hmm']);
});

test('think scope: tags, unclosed, close-only and untagged texts', () => {
  assert.deepEqual(thinkScope('a<think>bc</think>d'), { start: 8, end: 10, source: 'tags' });
  assert.deepEqual(thinkScope('<think>abc'), { start: 7, end: 10, source: 'unclosed' });
  assert.deepEqual(thinkScope('abc</think>d'), { start: 0, end: 3, source: 'close-only' });
  assert.deepEqual(thinkScope('abc'), { start: 0, end: 3, source: 'untagged' });
  assert.equal(positionIn({ start: 10, end: 20, source: 'tags' }, 15), 0.5);
  assert.equal(positionIn({ start: 5, end: 5, source: 'tags' }, 5), 0);
});

test('cues in the answer after </think> are not reasoning and do not count', () => {
  const report = detectCues('<think>Sanity check: fine.</think>\nWait, here it is. Actually:\n```python\ndef f():\n    pass\n```');
  assert.deepEqual(report.events.map((e) => e.cue), ['Sanity check']);
});
