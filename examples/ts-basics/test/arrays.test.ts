import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { chunk, flattenDeep, rotate, uniqueBy } from '../src/arrays.ts';

describe('chunk', () => {
  it('splits evenly', () => {
    assert.deepEqual(chunk([1, 2, 3, 4], 2), [[1, 2], [3, 4]]);
  });
  it('leaves a shorter last chunk', () => {
    assert.deepEqual(chunk(['a', 'b', 'c'], 2), [['a', 'b'], ['c']]);
  });
  it('returns no chunks for an empty array', () => {
    assert.deepEqual(chunk([], 3), []);
  });
  it('throws a RangeError for size 0', () => {
    assert.throws(() => chunk([1], 0), RangeError);
  });
});

describe('uniqueBy', () => {
  it('keeps the first of each key', () => {
    const people = [{ id: 1, n: 'a' }, { id: 2, n: 'b' }, { id: 1, n: 'c' }];
    assert.deepEqual(uniqueBy(people, (p) => p.id), [{ id: 1, n: 'a' }, { id: 2, n: 'b' }]);
  });
  it('works with derived keys', () => {
    assert.deepEqual(uniqueBy(['apple', 'avocado', 'banana', 'blueberry', 'cherry'], (s) => s[0]), ['apple', 'banana', 'cherry']);
  });
  it('returns an empty array for no items', () => {
    assert.deepEqual(uniqueBy([], (x) => x), []);
  });
});

describe('rotate', () => {
  it('rotates left', () => {
    assert.deepEqual(rotate([1, 2, 3, 4, 5], 2), [3, 4, 5, 1, 2]);
  });
  it('rotates right for negative k', () => {
    assert.deepEqual(rotate([1, 2, 3, 4, 5], -1), [5, 1, 2, 3, 4]);
  });
  it('wraps k larger than the length', () => {
    assert.deepEqual(rotate([1, 2, 3], 7), [2, 3, 1]);
  });
  it('returns a new array for an empty input', () => {
    assert.deepEqual(rotate([], 3), []);
  });
});

describe('flattenDeep', () => {
  it('flattens one level', () => {
    assert.deepEqual(flattenDeep([1, [2, 3], 4]), [1, 2, 3, 4]);
  });
  it('flattens deeply nested arrays', () => {
    assert.deepEqual(flattenDeep([1, [2, [3, [4, [5]]]]]), [1, 2, 3, 4, 5]);
  });
  it('drops empty arrays', () => {
    assert.deepEqual(flattenDeep([[], [[]], 1]), [1]);
  });
});
