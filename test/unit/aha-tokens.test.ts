import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AhaInputError, detectCues, percentile, spansFromEndOffsets, spansFromTokenTexts, tokenIndexAt } from '../../src/trainer/analysis/aha';
import { cueEntropy, entropyContext } from '../../src/trainer/analysis/aha/entropy';
import { parseTokenInputs } from '../../src/trainer/analysis/aha/token-file';

test('per-token texts line up with the completion as [start, end) spans', () => {
  const tokens = ['<think>', 'Wait', ',', ' no', '</think>'];
  assert.deepEqual(spansFromTokenTexts(tokens.join(''), tokens), [[0, 7], [7, 11], [11, 12], [12, 15], [15, 23]]);
});

test('tokens that split a multi-byte character (U+FFFD alone) share the character with the next found token', () => {
  const text = 'a😀b';
  const spans = spansFromTokenTexts(text, ['a', '\ufffd', '\ufffd', 'b']);
  assert.deepEqual(spans, [[0, 1], [1, 1], [1, 3], [3, 4]]);
  assert.equal(tokenIndexAt(spans, 1), 2, 'the character belongs to the token that holds it, not the empty one');
  assert.deepEqual(spansFromTokenTexts('ab', ['a', 'b', '<|im_end|>']), [[0, 1], [1, 2], [2, 2]], 'a trailing special token is empty');
  assert.deepEqual(spansFromTokenTexts('a😀', ['a', '\ufffd', '\ufffd']), [[0, 1], [1, 1], [1, 3]], 'a split character at the end');
});

test('tokens that are not from this text are an AhaInputError naming the token', () => {
  assert.throws(() => spansFromTokenTexts('hello world', ['hello', ' there', ' you', ' all']),
    (e: unknown) => e instanceof AhaInputError && /token 1 \(" there"\)/.test(e.message) && e.code === 'bad_input');
});

test('tokenIndexAt finds the token holding a character; null past the end', () => {
  const spans = [[0, 3], [3, 5], [5, 9]] as const;
  assert.equal(tokenIndexAt(spans, 0), 0);
  assert.equal(tokenIndexAt(spans, 3), 1);
  assert.equal(tokenIndexAt(spans, 8), 2);
  assert.equal(tokenIndexAt(spans, 9), null);
});

test('events get token indices; rates are per 1k think tokens when tokens are given, per 1k chars otherwise', () => {
  const tokens = ['<think>', 'Plan', '.', ' Wait', ',', ' no', '.', '</think>', 'ok'];
  const text = tokens.join('');
  const withTokens = detectCues(text, { tokenSpans: spansFromTokenTexts(text, tokens) });
  assert.deepEqual(withTokens.events.map((e) => [e.cue, e.tokenIndex]), [['Wait', 3]]);
  assert.equal(withTokens.summary.rateUnit, 'think_tokens');
  assert.equal(withTokens.summary.thinkTokens, 6);
  assert.equal(withTokens.summary.cuesPer1k, 1000 / 6);
  const withoutTokens = detectCues(text);
  assert.equal(withoutTokens.events[0]?.tokenIndex, null);
  assert.equal(withoutTokens.summary.rateUnit, 'think_chars');
  assert.equal(withoutTokens.summary.cuesPer1k, 1000 / 'Plan. Wait, no.'.length);
});

test('percentile interpolates linearly like numpy', () => {
  assert.equal(percentile([1, 2, 3, 4, 5], 0.8), 4.2);
  assert.equal(percentile([7], 0.8), 7);
  assert.equal(percentile([5, 1, 3], 0.5), 3);
  assert.throws(() => percentile([], 0.8), RangeError);
});

test('forking: the cue token or one of the next 3 reaches the 80th percentile', () => {
  const entropies = [0.1, 0.1, 0.2, 0.1, 0.3, 2.0, 0.1, 0.1, 0.1, 0.1];
  const context = entropyContext(entropies);
  assert.ok(context);
  assert.ok(Math.abs(context.p80 - 0.22) < 1e-9, String(context.p80));
  assert.deepEqual(cueEntropy(context, 2), { entropy: { atCue: 0.2, nextMax: 2.0, p80: context.p80 }, forking: true });
  assert.equal(cueEntropy(context, 6)?.forking, false);
  assert.deepEqual(cueEntropy(context, 9)?.entropy.nextMax, null);
  const flat = entropyContext([1, 1, 1, 1]);
  assert.ok(flat);
  assert.equal(cueEntropy(flat, 0)?.forking, false, 'nothing stands out in a flat trace');
});

test('the detector reports entropy and forking per cue, and the count of forking cues', () => {
  const tokens = ['<think>', 'Plan', '.', ' Wait', ',', ' no', '.', ' Hmm', '.', '</think>'];
  const text = tokens.join('');
  const entropies = [0, 0.1, 0.1, 0.2, 3.0, 0.1, 0.1, 0.1, 0.1, 0];
  const report = detectCues(text, { tokenSpans: spansFromTokenTexts(text, tokens), entropies });
  assert.deepEqual(report.events.map((e) => [e.cue, e.forking]), [['Wait', true], ['Hmm', false]]);
  assert.equal(report.events[0]?.entropy?.atCue, 0.2);
  assert.equal(report.events[0]?.entropy?.nextMax, 3.0);
  assert.equal(report.summary.forkingCues, 1);
  assert.equal(detectCues(text).summary.forkingCues, null);
});

test('bad token inputs are AhaInputErrors that say what to pass', () => {
  const text = 'Wait, no.';
  assert.throws(() => detectCues(text, { entropies: [1] }), /entropies but no token spans/);
  assert.throws(() => detectCues(text, { tokenSpans: [[0, 4], [4, 20]] }), /token span 1 is \[4, 20\)/);
  assert.throws(() => detectCues(text, { tokenSpans: [[0, 4], [2, 5]] }), /after the previous end 4/);
  assert.throws(() => detectCues(text, { tokenSpans: [[0, 4]], entropies: [1, 2] }), /2 entropies for 1 tokens/);
  assert.throws(() => detectCues(text, { tokenSpans: [[0, 4]], entropies: [Number.NaN] }), /entropy 0 is NaN/);
});

test('the --entropies file gives spans from tokens or spans directly, and rejects other shapes', () => {
  const text = 'Wait, no.';
  assert.deepEqual(parseTokenInputs('{"entropies":[1,2],"tokens":["Wait",", no."]}', text, 'e.json'), { tokenSpans: [[0, 4], [4, 9]], entropies: [1, 2] });
  assert.deepEqual(parseTokenInputs('{"entropies":[1],"spans":[[0,9]]}', text, 'e.json').tokenSpans, [[0, 9]]);
  assert.throws(() => parseTokenInputs('[1,2]', text, 'e.json'), /e\.json must hold a JSON object/);
  assert.throws(() => parseTokenInputs('{"entropies":"x"}', text, 'e.json'), /"entropies" must be an array/);
  assert.throws(() => parseTokenInputs('{"entropies":[1]}', text, 'e.json'), /needs "tokens"/);
  assert.throws(() => parseTokenInputs('{', text, 'e.json'), /e\.json is not JSON/);
});

test('end offsets (as the worker sends them) become spans; offsets that cannot fit the text give null', () => {
  assert.deepEqual(spansFromEndOffsets(6, [3, 3, 5, 6]), [[0, 3], [3, 3], [3, 5], [5, 6]], 'an empty span for a token that split a character');
  assert.deepEqual(spansFromEndOffsets(0, []), []);
  assert.equal(spansFromEndOffsets(6, [3, 2, 6]), null, 'decreasing');
  assert.equal(spansFromEndOffsets(6, [3, 7]), null, 'past the end');
  assert.equal(spansFromEndOffsets(6, [1.5, 6]), null, 'not an integer');
});
