import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTaskPrompt, selectPromptAsserts, systemMessage, userMessage } from '../../src/trainer/tasks/prompt';
import type { Task } from '../../src/trainer/tasks/task';

const TEST_FILE = `from m import count_vowels


def test_visible_one():
    assert count_vowels("hello") == 2


def test_visible_two():
    n = count_vowels("AbcdE")
    assert n == 2
    assert count_vowels("") == 0


def test_held_out_secret():
    assert count_vowels("SECRET-HELD-OUT") == 5


def test_visible_three():
    assert count_vowels("hello") == 2
    assert count_vowels("xyz") == 0
    assert count_vowels("aeiou") == 5
`;

function makeTask(overrides: Partial<Task> = {}): Task {
  return {
    id: 'abc', language: 'python', file: 'm.py', symbol: 'count_vowels',
    signature: 'def count_vowels(s: str) -> int:',
    docstring: 'Return how many characters of s are vowels (a, e, i, o, u), ignoring case.',
    bodySpan: { startLine: 1, endLine: 3 }, context: '',
    tests: ['tests/test_m.py::test_visible_one', 'tests/test_m.py::test_visible_two', 'tests/test_m.py::test_held_out_secret', 'tests/test_m.py::test_visible_three'],
    visibleTests: ['tests/test_m.py::test_visible_one', 'tests/test_m.py::test_visible_two', 'tests/test_m.py::test_visible_three'],
    heldOutTests: ['tests/test_m.py::test_held_out_secret'],
    baselineSeconds: 0.01, source: 'mined', ...overrides,
  };
}

const reader = (files: Record<string, string>) => {
  const asked: string[] = [];
  return { asked, read: (file: string): string | null => { asked.push(file); return files[file] ?? null; } };
};

test('renders exactly the format of docs/prompt-format.md', () => {
  const { read } = reader({ 'tests/test_m.py': TEST_FILE });
  const messages = renderTaskPrompt(makeTask(), read);
  assert.deepEqual(messages[0], {
    role: 'system',
    content: 'You are a careful Python programmer. Think step by step inside <think></think>, then answer with the complete function in one ```python code block.',
  });
  assert.equal(messages[1]?.role, 'user');
  assert.equal(messages[1]?.content, [
    'Complete the function so that its tests pass.',
    '```python',
    'def count_vowels(s: str) -> int:',
    '    """Return how many characters of s are vowels (a, e, i, o, u), ignoring case."""',
    '```',
    'Tests:',
    '```python',
    'assert count_vowels("hello") == 2',
    'assert count_vowels("") == 0',
    'assert count_vowels("xyz") == 0',
    '```',
  ].join('\n'));
});

test('held-out tests never appear, even when they are the only ones calling the function by name', () => {
  const { read } = reader({ 'tests/test_m.py': TEST_FILE });
  for (const visible of [[], ['tests/test_m.py::test_visible_two']]) {
    const task = makeTask({ visibleTests: visible });
    const text = renderTaskPrompt(task, read).map((m) => m.content).join('\n');
    assert.ok(!text.includes('SECRET-HELD-OUT'));
  }
  // With the held-out test made visible the same renderer does show it: the check above can fail.
  const leaky = makeTask({ visibleTests: ['tests/test_m.py::test_held_out_secret'] });
  assert.ok(renderTaskPrompt(leaky, read)[1]?.content.includes('SECRET-HELD-OUT'));
});

test('asserts: at most 3, distinct, direct calls first, too-long lines skipped', () => {
  const { read } = reader({ 'tests/test_m.py': TEST_FILE });
  const lines = selectPromptAsserts(makeTask(), read);
  assert.equal(lines.length, 3);
  assert.equal(new Set(lines).size, 3);
  assert.ok(!lines.includes('assert n == 2'), 'a line without a call of the function ranks last');
  const onlyTwo = selectPromptAsserts(makeTask({ visibleTests: ['tests/test_m.py::test_visible_two'] }), read);
  assert.deepEqual(onlyTwo, ['assert count_vowels("") == 0', 'assert n == 2']);
  const long = selectPromptAsserts(makeTask(), read, { maxAsserts: 3, maxAssertChars: 32, maxDocstringChars: 600 });
  assert.ok(long.every((l) => l.length <= 32));
});

test('no visible asserts: the Tests block is left out; unreadable files are skipped', () => {
  const { read, asked } = reader({});
  const [, user] = renderTaskPrompt(makeTask(), read);
  assert.ok(!user?.content.includes('Tests:'));
  assert.deepEqual([...new Set(asked)], ['tests/test_m.py']);
});

test('only the visible tests\' files are read', () => {
  const { read, asked } = reader({ 'tests/a.py': 'def test_a():\n    assert f(1) == 1\n', 'tests/secret.py': 'def test_s():\n    assert f(2) == 2\n' });
  selectPromptAsserts(makeTask({ symbol: 'f', visibleTests: ['tests/a.py::test_a'], heldOutTests: ['tests/secret.py::test_s'] }), read);
  assert.deepEqual(asked, ['tests/a.py']);
});

test('methods name their class; custom prompts replace the instruction; no docstring, no docstring line', () => {
  const method = userMessage(makeTask({ symbol: 'Stack.push', signature: 'def push(self, item: object) -> None:', docstring: null }), []);
  assert.equal(method, 'Complete the method `Stack.push` (of class `Stack`) so that its tests pass.\n```python\ndef push(self, item: object) -> None:\n```');
  const custom = userMessage(makeTask({ prompt: '  Make it count vowels.  ' }), ['assert count_vowels("a") == 1']);
  assert.ok(custom.startsWith('Make it count vowels.\n```python\ndef count_vowels'));
  assert.ok(custom.endsWith('Tests:\n```python\nassert count_vowels("a") == 1\n```'));
});

test('long and multi-line docstrings are clipped and indented; triple quotes inside are neutralised', () => {
  const doc = `First line.\n\nSecond paragraph with """quotes""". ${'x'.repeat(700)}`;
  const text = userMessage(makeTask({ docstring: doc }), []);
  assert.ok(text.includes('    """First line.\n\n    Second paragraph with \'\'\'quotes\'\'\'.'));
  assert.ok(text.includes('...\n    """\n```'));
  assert.ok(text.length < 800);
});

test('JavaScript and TypeScript tasks get their own language in the system message and fences', () => {
  assert.match(systemMessage('typescript'), /careful TypeScript programmer.*```typescript code block/);
  const js = userMessage(makeTask({ language: 'javascript', signature: 'function add(a, b) {', docstring: 'Adds.' }), []);
  assert.equal(js, 'Complete the function so that its tests pass.\n```javascript\n/** Adds. */\nfunction add(a, b) {\n```');
});
