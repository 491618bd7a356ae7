import { test } from 'node:test';
import assert from 'node:assert/strict';
import { computeReward, overlongPenalty, type RewardConfig } from '../../src/trainer/rl/rewards';

const fullFormat = { thinkOpened: true, thinkClosed: true, codeBlocks: 1, fencedCode: true };
const config: RewardConfig = { correctness: 'all_pass', formatWeight: 0.1, overlong: null };

test('all_pass pays 1 only when every test passes; pass_fraction pays the fraction', () => {
  const partial = { passFraction: 0.5, passed: false, flagged: false, hacking: false };
  assert.equal(computeReward(partial, fullFormat, 10, config).correctness, 0);
  assert.equal(computeReward(partial, fullFormat, 10, { ...config, correctness: 'pass_fraction' }).correctness, 0.5);
  const full = computeReward({ passFraction: 1, passed: true, flagged: false, hacking: false }, fullFormat, 10, config);
  assert.deepEqual(full, { correctness: 1, format: 0.1, overlong: 0, total: 1.1 });
});

test('a reward-hacking candidate earns neither correctness nor format', () => {
  const flagged = { passFraction: 1, passed: false, flagged: true, hacking: true };
  const r = computeReward(flagged, fullFormat, 10, { ...config, correctness: 'pass_fraction' });
  assert.equal(r.total, 0);
});

test('a rejected (e.g. unparsable) candidate earns no correctness but keeps its format credit', () => {
  const rejected = { passFraction: 0, passed: false, flagged: true, hacking: false };
  const r = computeReward(rejected, fullFormat, 10, { ...config, correctness: 'pass_fraction' });
  assert.deepEqual(r, { correctness: 0, format: 0.1, overlong: 0, total: 0.1 });
});

test('no code (null verification) earns only the format part', () => {
  const r = computeReward(null, { ...fullFormat, codeBlocks: 0, fencedCode: false }, 10, config);
  assert.equal(r.correctness, 0);
  assert.equal(r.format, 0.05);
});

test('DAPO overlong shaping: 0, linear ramp in the buffer, -1 beyond the maximum', () => {
  assert.equal(overlongPenalty(384, 512, 128), 0);
  assert.equal(overlongPenalty(448, 512, 128), -0.5);
  assert.equal(overlongPenalty(512, 512, 128), -1);
  assert.equal(overlongPenalty(600, 512, 128), -1);
});
