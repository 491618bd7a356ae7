import { test } from 'node:test';
import assert from 'node:assert/strict';
import { capitalizeWords, isPalindrome, slugify, truncate } from '../src/strings.ts';

test('slugify lower-cases and joins words with dashes', () => {
  assert.equal(slugify('Hello World'), 'hello-world');
});

test('slugify drops punctuation and repeated separators', () => {
  assert.equal(slugify('  Hello,   World!! '), 'hello-world');
});

test('slugify uses a custom separator', () => {
  assert.equal(slugify('RLVR Studio 2', '_'), 'rlvr_studio_2');
});

test('slugify of punctuation only is empty', () => {
  assert.equal(slugify('?!.'), '');
});

test('capitalizeWords upper-cases each first letter', () => {
  assert.equal(capitalizeWords('hello big world'), 'Hello Big World');
});

test('capitalizeWords keeps the rest of each word unchanged', () => {
  assert.equal(capitalizeWords('mIxEd cASE'), 'MIxEd CASE');
});

test('capitalizeWords keeps repeated spaces', () => {
  assert.equal(capitalizeWords('a  b'), 'A  B');
});

test('isPalindrome accepts a simple palindrome', () => {
  assert.equal(isPalindrome('racecar'), true);
});

test('isPalindrome ignores case and punctuation', () => {
  assert.equal(isPalindrome('A man, a plan, a canal: Panama'), true);
});

test('isPalindrome rejects a non-palindrome', () => {
  assert.equal(isPalindrome('palindrome'), false);
});

test('truncate leaves short text alone', () => {
  assert.equal(truncate('short', 10), 'short');
});

test('truncate cuts long text and adds the ellipsis', () => {
  assert.equal(truncate('abcdefghij', 5), 'abcd…');
});

test('truncate with a custom ellipsis counts its length', () => {
  assert.equal(truncate('abcdefghij', 6, '...'), 'abc...');
});

test('truncate to less than the ellipsis returns part of the ellipsis', () => {
  assert.equal(truncate('abcdefghij', 2, '...'), '..');
});
