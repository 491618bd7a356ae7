import { test } from 'node:test';
import assert from 'node:assert/strict';
import { gcd, isPrime } from '../src/math.ts';

test('gcd of two positive integers', () => {
  assert.equal(gcd(48, 18), 6);
});

test('gcd with zero', () => {
  assert.equal(gcd(0, 7), 7);
  assert.equal(gcd(0, 0), 0);
});

test('gcd is non-negative for negative inputs', () => {
  assert.equal(gcd(-12, 8), 4);
});

test('isPrime recognises small primes', () => {
  assert.deepEqual([2, 3, 5, 7, 11, 13].map(isPrime), [true, true, true, true, true, true]);
});

test('isPrime rejects composites and squares of primes', () => {
  assert.deepEqual([4, 9, 25, 49, 91].map(isPrime), [false, false, false, false, false]);
});

test('isPrime rejects numbers below 2 and non-integers', () => {
  assert.deepEqual([-7, 0, 1, 2.5].map(isPrime), [false, false, false, false]);
});
