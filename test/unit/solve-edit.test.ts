// Accept's edit: the smallest run of whole lines between the current file and the spliced one.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyReplacement, lineReplacement, lineSpan, matchLineEndings } from '../../src/extension/core/solve/text-edit';

const FILE = ['import math', '', '', 'def clamp(x, lo, hi):', '    """Clamp."""', '    return x', '', '', 'def mean(xs):', '    return sum(xs) / len(xs)', ''].join('\n');

test('only the function\'s lines are replaced; everything else is left as it is', () => {
  const after = FILE.replace('    return x', '    if lo > hi:\n        raise ValueError(lo)\n    return max(lo, min(x, hi))');
  const edit = lineReplacement(FILE, after);
  assert.ok(edit);
  assert.equal(FILE.slice(edit.start, edit.end), '    return x\n');
  assert.equal(edit.text, '    if lo > hi:\n        raise ValueError(lo)\n    return max(lo, min(x, hi))\n');
  assert.equal(applyReplacement(FILE, edit), after);
  assert.deepEqual(lineSpan(FILE, edit), { first: 5, last: 5 });
  assert.equal(lineReplacement(FILE, FILE), null);
  assert.equal(applyReplacement(FILE, null), FILE);
});

test('edits at the start and the end, and a file without a final newline', () => {
  for (const [before, after] of [
    ['a\nb\nc', 'x\nb\nc'], ['a\nb\nc', 'a\nb\nz'], ['a\nb\nc\n', 'a\nb\nc'], ['a\nb', 'a\nb\nc\nd'], ['', 'def f():\n    pass\n'],
    ['a\na\na\n', 'a\na\n'], ['x\n', ''],
  ] as const) {
    const edit = lineReplacement(before, after);
    assert.equal(applyReplacement(before, edit), after, JSON.stringify([before, after]));
  }
});

test('random line edits always reproduce the target exactly', () => {
  let seed = 12345;
  const rand = (n: number) => { seed = (seed * 1103515245 + 12345) % 2 ** 31; return seed % n; };
  const pool = ['def f():', '    return 1', '', '    x = 2', '# c', 'class A:', '    pass'];
  const lines = (n: number) => Array.from({ length: n }, () => pool[rand(pool.length)] ?? '').join('\n') + (rand(2) ? '\n' : '');
  for (let i = 0; i < 500; i++) {
    const before = lines(rand(12));
    const after = lines(rand(12));
    const edit = lineReplacement(before, after);
    assert.equal(applyReplacement(before, edit), after);
    if (edit) {
      assert.ok(edit.start <= edit.end && edit.end <= before.length);
      assert.ok(edit.start === 0 || before[edit.start - 1] === '\n', 'starts at a line start');
    }
  }
});

test('the splice\'s "\\n" lines follow a CRLF file, so only the function differs', () => {
  const crlf = FILE.replace(/\n/g, '\r\n');
  const spliced = FILE.replace('    return x', '    return max(lo, min(x, hi))');
  const after = matchLineEndings(crlf, spliced);
  const edit = lineReplacement(crlf, after);
  assert.equal(edit?.text, '    return max(lo, min(x, hi))\r\n');
  assert.equal(applyReplacement(crlf, edit), crlf.replace('    return x', '    return max(lo, min(x, hi))'));
  assert.equal(matchLineEndings('a\nb', 'c\r\nd'), 'c\nd');
});
