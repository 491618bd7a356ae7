import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseDuration, romanToInt } from '../src/parsing.ts';

describe('parseDuration', () => {
  test('hours and minutes', () => {
    assert.equal(parseDuration('1h30m'), 5400);
  });
  test('all units with spaces', () => {
    assert.equal(parseDuration('1d 2h 3m 4s'), 93784);
  });
  test('rejects unknown units', () => {
    assert.throws(() => parseDuration('5y'), SyntaxError);
  });
  test('rejects an empty string', () => {
    assert.throws(() => parseDuration(''), SyntaxError);
  });
});

describe('romanToInt', () => {
  test('additive numerals', () => {
    assert.equal(romanToInt('XVI'), 16);
  });
  test('subtractive numerals', () => {
    assert.equal(romanToInt('MCMXCIV'), 1994);
  });
  test('rejects invalid characters', () => {
    assert.throws(() => romanToInt('XIZ'), SyntaxError);
  });
});
