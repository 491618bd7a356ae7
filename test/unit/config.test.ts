import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, defaultConfig, parseOverride, readConfigFile, resolveConfig } from '../../src/trainer/config/config';

test('defaults follow TRL/DAPO', () => {
  const c = defaultConfig();
  assert.equal(c.lossType, 'dapo');
  assert.equal(c.epsilonLow, 0.2);
  assert.equal(c.epsilonHigh, 0.28);
  assert.equal(c.beta, 0);
  assert.equal(c.groupSize, 8);
});

test('layers override defaults, later layers win, the result is frozen', () => {
  const c = resolveConfig([
    { source: 'a.json', values: { groupSize: 4, lossType: 'grpo' } },
    { source: '--set', values: { groupSize: 6 } },
  ]);
  assert.equal(c.groupSize, 6);
  assert.equal(c.lossType, 'grpo');
  assert.ok(Object.isFrozen(c));
});

test('an unknown key is an error naming the key and the source, with a suggestion', () => {
  assert.throws(() => resolveConfig([{ source: '.rlvr/config.json', values: { group_size: 4 } }]),
    (e: unknown) => e instanceof ConfigError && /\.rlvr\/config\.json: unknown setting "group_size" \(did you mean "groupSize"\?\)/.test(e.message));
});

test('wrong types and ranges name the key and the bad value', () => {
  const cases: [string, unknown, RegExp][] = [
    ['groupSize', 1.5, /"groupSize" must be an integer ≥ 2, got 1.5/],
    ['groupSize', '8', /must be an integer/],
    ['lossType', 'ppo', /must be one of "grpo", "dapo", "dr_grpo", got "ppo"/],
    ['maskTruncated', 'yes', /must be true or false/],
    ['evalK', [], /non-empty array/],
    ['temperature', Number.NaN, /must be a number/],
  ];
  for (const [key, value, pattern] of cases) {
    assert.throws(() => resolveConfig([{ source: 'f', values: { [key]: value } }]), pattern);
  }
});

test('cross-field checks: epsilonHigh ≥ epsilonLow, k ≤ n', () => {
  assert.throws(() => resolveConfig([{ source: 'f', values: { epsilonLow: 0.3, epsilonHigh: 0.2 } }]), /epsilonHigh/);
  assert.throws(() => resolveConfig([{ source: 'f', values: { evalSamples: 4, evalK: [1, 8] } }]), /evalK/);
});

test('a corrupt config file is a precise error; a missing optional one is null', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-config-'));
  const bad = join(dir, 'config.json');
  writeFileSync(bad, '{"groupSize": 4,');
  assert.throws(() => readConfigFile(bad, false), /config\.json is not valid JSON/);
  writeFileSync(bad, '[1]');
  assert.throws(() => readConfigFile(bad, false), /must hold a JSON object of settings, got an array/);
  assert.equal(readConfigFile(join(dir, 'none.json'), false), null);
  assert.throws(() => readConfigFile(join(dir, 'none.json'), true), /not found/);
});

test('--set overrides decode JSON values and keep bare strings', () => {
  assert.deepEqual(parseOverride('groupSize=4'), ['groupSize', 4]);
  assert.deepEqual(parseOverride('lossType=grpo'), ['lossType', 'grpo']);
  assert.deepEqual(parseOverride('evalK=[1,2]'), ['evalK', [1, 2]]);
  assert.throws(() => parseOverride('groupSize'), /key=value/);
});
