import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AhaEventVM, TokenStatsVM } from '../../src/shared/view-models';
import { diffLines, diffStats, MAX_CELLS } from '../../src/webviews/trace/diff';
import {
  buildSegments, categoryClass, describeEvent, heatBucket, heatValues, thinkRange, tokenAt, tokenSpans,
} from '../../src/webviews/trace/segments';
import { guessLanguage, tokenLines, tokenize } from '../../src/webviews/trace/syntax';
import { groupStats } from '../../src/webviews/trace/group-view';

const event = (charStart: number, charEnd: number, over: Partial<AhaEventVM> = {}): AhaEventVM => ({
  category: 'backtrack', cue: 'Wait', charStart, charEnd, tokenIndex: null, position: 0.5, phase: 'reflection',
  consequence: 'fix', entropy: null, forking: null, ...over,
});

test('the think range is found in the completion; untagged completions are shown whole', () => {
  const completion = '<think>Hmm. Wait, no.</think>\n```python\nx\n```';
  assert.deepEqual(thinkRange(completion, 'Hmm. Wait, no.'), { range: { start: 7, end: 21 }, found: true });
  assert.deepEqual(thinkRange(completion, null), { range: { start: 0, end: completion.length }, found: true });
  assert.equal(thinkRange(completion, 'not in there').found, false);
});

test('segments split the think at aha events and cover it exactly once', () => {
  const text = 'abc Wait def actually ghi';
  const events = [event(4, 8), event(13, 21, { category: 'reconsider' })];
  const segments = buildSegments({ range: { start: 0, end: text.length }, events, heat: null });
  assert.deepEqual(segments.map((s) => [text.slice(s.start, s.end), s.event]), [
    ['abc ', null], ['Wait', 0], [' def ', null], ['actually', 1], [' ghi', null],
  ]);
});

test('events outside the think are clipped and overlapping events go to the earlier one', () => {
  const segments = buildSegments({ range: { start: 10, end: 20 }, events: [event(5, 12), event(11, 15), event(18, 40)], heat: null });
  assert.deepEqual(segments.map((s) => [s.start, s.end, s.event]), [[10, 12, 0], [12, 15, 1], [15, 18, null], [18, 20, 2]]);
});

test('with a heatmap every token is its own segment with its bucket, aha marks kept', () => {
  const tokens: TokenStatsVM = { logprobs: [-0.1, -3, -0.2], entropies: [0, 1.3, 9], offsets: [3, 8, 12], pieces: null };
  const spans = tokenSpans(tokens, 12);
  assert.deepEqual(spans, { spans: [[0, 3], [3, 8], [8, 12]], approximate: false });
  const values = heatValues(tokens, 'entropy')!;
  const segments = buildSegments({ range: { start: 0, end: 12 }, events: [event(4, 6)], heat: { spans: spans!.spans, values, max: 2.5 } });
  assert.deepEqual(segments.map((s) => [s.start, s.end, s.token, s.bucket, s.event]), [
    [0, 3, 0, 0, null], [3, 4, 1, 5, null], [4, 6, 1, 5, 0], [6, 8, 1, 5, null], [8, 12, 2, 9, null],
  ]);
  assert.deepEqual(heatValues(tokens, 'logprob'), [0.1, 3, 0.2]);
  assert.equal(heatValues(tokens, 'off'), null);
  assert.equal(heatValues({ ...tokens, entropies: null }, 'entropy'), null);
});

test('token spans fall back to decoded pieces and say when they do not add up', () => {
  assert.deepEqual(tokenSpans({ logprobs: [0, 0], entropies: null, offsets: null, pieces: ['ab', 'cde'] }, 5), { spans: [[0, 2], [2, 5]], approximate: false });
  assert.equal(tokenSpans({ logprobs: [0], entropies: null, offsets: null, pieces: ['abc'] }, 5)?.approximate, true);
  assert.equal(tokenSpans({ logprobs: [0], entropies: null, offsets: null, pieces: null }, 5), null);
  // Offsets that go backwards or past the text are clamped, never negative-width.
  assert.deepEqual(tokenSpans({ logprobs: [0, 0, 0], entropies: null, offsets: [4, 2, 99], pieces: null }, 6)?.spans, [[0, 4], [4, 4], [4, 6]]);
  const spans = [[0, 3], [3, 8], [8, 12]] as const;
  assert.deepEqual([0, 2, 3, 11, 12, -1].map((o) => tokenAt(spans, o)), [0, 0, 1, 2, null, null]);
});

test('heat buckets are fixed steps of a fixed scale, clamped; non-numbers get none', () => {
  assert.deepEqual([0, 0.24, 0.25, 1.25, 2.49, 2.5, 100, -3].map((v) => heatBucket(v, 2.5)), [0, 0, 1, 5, 9, 9, 9, 0]);
  assert.equal(heatBucket(Number.NaN, 2.5), null);
  assert.equal(heatBucket(undefined, 2.5), null);
});

test('categories map to a fixed set of classes, so data never names a class', () => {
  assert.equal(categoryClass('verify'), 'aha-verify');
  assert.equal(categoryClass('x" onclick="alert(1)'), 'aha-other');
  assert.equal(categoryClass('constructor'), 'aha-other');
  assert.match(describeEvent(event(0, 4, { entropy: 2.1, forking: true })), /backtrack cue “Wait” — reflection, 50%[\s\S]*fix — failing code became passing[\s\S]*forking/);
  assert.match(describeEvent(event(0, 4, { consequence: null })), /not judged/);
});

test('the Python tokenizer classifies keywords, strings, comments and numbers', () => {
  const tokens = tokenize('def f(x):\n    return x + 1  # one\ns = """a\nb""" if x else \'q\'', 'python');
  const kinds = tokens.filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, ['keyword:def', 'keyword:return', 'number:1', 'comment:# one', 'string:"""a\nb"""', 'keyword:if', 'keyword:else', "string:'q'"]);
  assert.equal(tokens.map((t) => t.text).join(''), 'def f(x):\n    return x + 1  # one\ns = """a\nb""" if x else \'q\'');
  const lines = tokenLines(tokens);
  assert.equal(lines.length, 4);
  assert.deepEqual(lines[3]?.[0], { text: 'b"""', kind: 'string' });
});

test('the TypeScript tokenizer handles templates, block comments and unterminated strings', () => {
  const source = 'const a = `x${y}` /* c\nd */ + "unterminated\nlet b = 0x1f;';
  const kinds = tokenize(source, 'typescript').filter((t) => t.kind !== 'plain').map((t) => `${t.kind}:${t.text}`);
  assert.deepEqual(kinds, ['keyword:const', 'string:`x${y}`', 'comment:/* c\nd */', 'string:"unterminated', 'keyword:let', 'number:0x1f']);
  assert.equal(tokenize('<script>alert(1)</script>', 'plain')[0]?.text, '<script>alert(1)</script>');
  assert.equal(guessLanguage('def f():\n    return 1\n'), 'python');
  assert.equal(guessLanguage('export function f() { return 1; }'), 'typescript');
});

test('the line diff finds the changed lines, removals before additions', () => {
  const before = 'def f(xs):\n    total = 0\n    for x in xs:\n        total += x\n    return total\n';
  const after = 'def f(xs):\n    total = 0\n    for x in xs:\n        if x > 0:\n            total += x\n    return total\n';
  const lines = diffLines(before, after);
  assert.deepEqual(lines.map((l) => `${l.kind === 'same' ? ' ' : l.kind === 'add' ? '+' : '-'}${l.text.trim()}`),
    [' def f(xs):', ' total = 0', ' for x in xs:', '-total += x', '+if x > 0:', '+total += x', ' return total']);
  assert.deepEqual(diffStats(lines), { added: 2, removed: 1 });
  assert.deepEqual(lines.map((l) => [l.oldLine, l.newLine]), [[1, 1], [2, 2], [3, 3], [4, null], [null, 4], [null, 5], [5, 6]]);
});

test('the diff ignores trailing whitespace and handles empty sides', () => {
  assert.deepEqual(diffStats(diffLines('a  \nb\r\n', 'a\nb')), { added: 0, removed: 0 });
  assert.deepEqual(diffLines('', 'x\ny').map((l) => l.kind), ['add', 'add']);
  assert.deepEqual(diffLines('x', '').map((l) => l.kind), ['del']);
});

test('the diff is a longest common subsequence (checked against brute force on small inputs)', () => {
  const alphabet = ['a', 'b', 'c'];
  const lcsLength = (a: string[], b: string[]): number =>
    a.length === 0 || b.length === 0 ? 0 : a[0] === b[0] ? 1 + lcsLength(a.slice(1), b.slice(1)) : Math.max(lcsLength(a.slice(1), b), lcsLength(a, b.slice(1)));
  let seed = 7;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 200; round++) {
    const a = Array.from({ length: Math.floor(rand() * 7) }, () => alphabet[Math.floor(rand() * 3)] as string);
    const b = Array.from({ length: Math.floor(rand() * 7) }, () => alphabet[Math.floor(rand() * 3)] as string);
    const lines = diffLines(a.join('\n'), b.join('\n'));
    assert.equal(lines.filter((l) => l.kind === 'same').length, lcsLength(a, b), `${a} vs ${b}`);
    assert.deepEqual(lines.filter((l) => l.kind !== 'add').map((l) => l.text), a);
    assert.deepEqual(lines.filter((l) => l.kind !== 'del').map((l) => l.text), b);
  }
});

test('huge inputs fall back to remove-all/add-all instead of an enormous table', () => {
  const n = Math.ceil(Math.sqrt(MAX_CELLS)) + 10;
  const a = Array.from({ length: n }, (_, i) => `a${i}`).join('\n');
  const b = Array.from({ length: n }, (_, i) => `b${i}`).join('\n');
  assert.deepEqual(diffStats(diffLines(a, b)), { added: n, removed: n });
});

test('group stats use the population std, as GRPO normalises', () => {
  const member = (total: number, passed: boolean) => ({ reward: { total }, passed }) as Parameters<typeof groupStats>[0][number];
  const stats = groupStats([member(1, true), member(0, false), member(1, true), member(0, false)]);
  assert.deepEqual(stats, { mean: 0.5, std: 0.5, passed: 2 });
});
