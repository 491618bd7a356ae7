import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatScore, parseCompletion } from '../../src/trainer/rl/completion';

const wellFormed = '<think>\nadd them\n</think>\n```python\ndef add(a, b):\n    return a + b\n```\n';

test('a well-formed completion yields think, code and full format score', () => {
  const parsed = parseCompletion(wellFormed);
  assert.equal(parsed.think, 'add them');
  assert.equal(parsed.code, 'def add(a, b):\n    return a + b\n');
  assert.deepEqual(parsed.format, { thinkOpened: true, thinkClosed: true, codeBlocks: 1, fencedCode: true });
  assert.equal(formatScore(parsed.format), 1);
});

test('an unclosed think (truncated) has no answer and no code', () => {
  const parsed = parseCompletion('<think>\nlet me see ```python\ndef f(): pass\n```');
  assert.equal(parsed.code, null);
  assert.equal(parsed.answer, '');
  assert.equal(parsed.format.thinkClosed, false);
  assert.equal(formatScore(parsed.format), 0);
});

test('code in the think block is not taken as the answer', () => {
  const text = '<think>```python\ndef f():\n    return 1\n```</think>\n```python\ndef f():\n    return 2\n```';
  assert.equal(parseCompletion(text).code, 'def f():\n    return 2\n');
});

test('a bare def without a fence is extracted but earns no code-format credit', () => {
  const parsed = parseCompletion('<think>x</think>\nHere:\ndef f(x):\n    return x\n');
  assert.equal(parsed.code, 'def f(x):\n    return x\n');
  assert.equal(parsed.format.fencedCode, false);
  assert.equal(formatScore(parsed.format), 0.5);
});

test('two code blocks: the first code block wins, format credit only for exactly one', () => {
  const text = '<think>x</think>```python\ndef a():\n    pass\n```\n```python\ndef b():\n    pass\n```';
  const parsed = parseCompletion(text);
  assert.equal(parsed.code, 'def a():\n    pass\n');
  assert.equal(parsed.format.codeBlocks, 2);
  assert.equal(formatScore(parsed.format), 0.5);
});

test('a non-code fence (e.g. text) is skipped in favour of a python one', () => {
  const text = '<think>x</think>```text\nnot code\n```\n```python\ndef g():\n    return 0\n```';
  assert.equal(parseCompletion(text).code, 'def g():\n    return 0\n');
});

test('empty and hostile text never throws', () => {
  for (const text of ['', '</think>', '<think>', '```', '```python\n', '\u0000<think></think>```']) {
    assert.doesNotThrow(() => parseCompletion(text));
  }
  assert.equal(parseCompletion('').code, null);
});
