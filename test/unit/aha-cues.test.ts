import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detectCues, type CueCategory } from '../../src/trainer/analysis/aha';
import { isStartOf } from '../../src/trainer/analysis/aha/match';

const found = (text: string): [CueCategory, string][] => detectCues(text).events.map((e) => [e.category, e.cue]);

test('noisy words count at a sentence or clause start, after a comma, a dash or an interjection', () => {
  assert.deepEqual(found('Wait, the list.'), [['pause', 'Wait']]);
  assert.deepEqual(found('It is 3. Hmm, no.'), [['pause', 'Hmm']]);
  assert.deepEqual(found('It sums them, wait, only the even ones.'), [['pause', 'wait']]);
  assert.deepEqual(found('It slides by one — actually no, by k.'), [['backtrack', 'actually']]);
  assert.deepEqual(found('Oh wait, sets lose order.'), [['pause', 'wait']]);
  assert.deepEqual(found('Okay so actually the docstring wants a tuple.'), [['backtrack', 'actually']]);
  assert.deepEqual(found('**Wait** — tabs too.'), [['pause', 'Wait']]);
  assert.deepEqual(found('Notes:\n- Actually, keys are case-insensitive.'), [['backtrack', 'Actually']]);
});

test('noisy words inside a clause are not cues', () => {
  assert.deepEqual(found('The threads wait for the lock.'), []);
  assert.deepEqual(found('We have to wait until the end.'), []);
  assert.deepEqual(found('I actually like the two-pointer idea.'), []);
  assert.deepEqual(found('The slice is simple, but it copies the list.'), []);
  assert.deepEqual(found('It must work however many arguments are passed.'), []);
  assert.deepEqual(found('Use a deque instead of a list.'), []);
  assert.deepEqual(found('Instead of sorting, keep a heap.'), []);
  assert.deepEqual(found('We hold on to the previous node.'), []);
  assert.deepEqual(found('The variable hmmCount is unused.'), []);
});

test('"but" counts only at a sentence start, and "But wait" is one pause, not two cues', () => {
  assert.deepEqual(found('Reversing is enough. But the problem says to ignore punctuation.'), [['reconsider', 'But']]);
  assert.deepEqual(found('The loop starts at 1. But wait, that skips the first.'), [['pause', 'wait']]);
  assert.deepEqual(found('But first I need the signature.'), []);
  assert.deepEqual(found('x is fine, but y is not.'), []);
});

test('however counts at a clause start, with or without a sentence break', () => {
  assert.deepEqual(found('Binary search works. However, duplicates exist.'), [['reconsider', 'However']]);
  assert.deepEqual(found('Binary search is obvious, however, duplicates exist.'), [['reconsider', 'however']]);
});

test('each category has its phrases, matched whole-word and case-insensitively', () => {
  const cases: [string, CueCategory, string][] = [
    ['Hold on. Is peek allowed to raise?', 'pause', 'Hold on'],
    ['I should double-check with n = 1.', 'verify', 'I should double-check'],
    ['Quick sanity check: 17 is prime.', 'verify', 'sanity check'],
    ['LET ME VERIFY the example.', 'verify', 'LET ME VERIFY'],
    ['Checking: the merge gives [1, 2, 3].', 'verify', 'Checking'],
    ['So count is 2? No, that\'s wrong here.', 'backtrack', "that's wrong"],
    ['I made a mistake in the bound.', 'backtrack', 'I made a mistake'],
    ['Use a regex. Scratch that, isdigit is enough.', 'backtrack', 'Scratch that'],
    ['Sorting is slow. Instead, keep two variables.', 'backtrack', 'Instead'],
    ['Correction: fib(10) is 55.', 'backtrack', 'Correction'],
    ['Another approach is a dict of seen values.', 'reconsider', 'Another approach'],
    ['Alternatively, join a list of parts.', 'reconsider', 'Alternatively'],
    ['I need to rethink the greedy choice.', 'reconsider', 'rethink'],
    ['Re-examining the signature now.', 'reconsider', 'Re-examining'],
    ['One edge case is the end of the text.', 'code', 'edge case'],
    ['That slice is a classic off-by-one.', 'code', 'off-by-one'],
    ['For an empty list the mean is undefined.', 'code', 'empty list'],
    ['The key is missing, so this fails for the third input.', 'code', 'this fails'],
    ['The test expects a tuple.', 'code', 'The test expects'],
    ['You get a Traceback here.', 'code', 'Traceback'],
    ['Mentally: error: invalid literal.', 'code', 'error:'],
    ['Adding them gives a TypeError.', 'code', 'TypeError'],
    ['The else branch returns None for odd inputs.', 'code', 'returns None'],
  ];
  for (const [text, category, cue] of cases) assert.deepEqual(found(text), [[category, cue]], text);
});

test('overlapping phrases keep the earliest, then the longest; adjacent cues stay separate', () => {
  assert.deepEqual(found('Let me check again with 3.'), [['verify', 'Let me check again']]);
  assert.deepEqual(found('Wait, actually, the docstring says last.'), [['pause', 'Wait'], ['backtrack', 'actually']]);
  assert.deepEqual(found('Edge case: an empty string.'), [['code', 'Edge case'], ['code', 'empty string']]);
});

test('a cue glued to a word or a hyphen is not a cue', () => {
  assert.deepEqual(found('The wait-free queue and the awaited value.'), []);
  assert.deepEqual(found('Call re_check_again_helper.'), []);
});

test('isStartOf reads back over spaces, emphasis and interjections', () => {
  assert.equal(isStartOf('x. *Wait', 4, 'sentence'), true);
  assert.equal(isStartOf('so x, wait', 6, 'clause'), true);
  assert.equal(isStartOf('so x, wait', 6, 'sentence'), false);
  assert.equal(isStartOf('Oh, but', 4, 'sentence'), true);
  assert.equal(isStartOf('the wait', 4, 'clause'), false);
  assert.equal(isStartOf('the wait', 4, 'anywhere'), true);
});
