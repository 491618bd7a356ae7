import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ftsQuery } from '../../src/trainer/store/fts';

test('every word becomes a quoted FTS5 string; operators are plain words', () => {
  assert.equal(ftsQuery('wait check'), '"wait" "check"');
  assert.equal(ftsQuery('a OR b'), '"a" "OR" "b"');
  assert.equal(ftsQuery('NEAR(a b)'), '"NEAR(a" "b)"');
  assert.equal(ftsQuery('completion:foo'), '"completion:foo"');
  assert.equal(ftsQuery('say "hi"'), '"say" """hi"""');
});

test('a trailing * is a prefix search; a lone * or punctuation is dropped', () => {
  assert.equal(ftsQuery('quok*'), '"quok" *');
  assert.equal(ftsQuery('quok**'), '"quok" *');
  assert.equal(ftsQuery('*'), null);
  assert.equal(ftsQuery('" \' -- ; ) ('), null);
  assert.equal(ftsQuery('*wait'), '"*wait"');
});

test('control characters (NUL) split words instead of truncating the query', () => {
  assert.equal(ftsQuery('ab\u0000cd'), '"ab" "cd"');
  assert.equal(ftsQuery('  \n\t '), null);
  assert.equal(ftsQuery('émoji 🧪 日本'), '"émoji" "日本"');
});
