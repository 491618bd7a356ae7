import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/trainer/config/config';
import { DEMO_PRESET } from '../../src/trainer/run/demo';

test('the demo preset is a valid training config and keeps the settings BENCHMARKS.md measured', () => {
  const config = resolveConfig([{ source: 'demo preset', values: DEMO_PRESET }]);
  // A mistyped key would have thrown above; these are the values the demo benchmark ran with.
  assert.equal(config.steps, 60);
  assert.equal(config.tasksPerStep, 8);
  assert.equal(config.temperature, 0.8);
  assert.equal(config.maskTruncated, true);
  assert.equal(config.lora, false);
});
