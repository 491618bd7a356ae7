import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveConfig } from '../../src/trainer/config/config';
import { loadPolicyParams, workerThreads } from '../../src/trainer/run/train-setup';

test('worker threads: half the cores by default (at least 1), or the configured number', () => {
  const auto = resolveConfig([]);
  assert.equal(workerThreads(auto, 2), 1);
  assert.equal(workerThreads(auto, 1), 1);
  assert.equal(workerThreads(auto, 16), 8);
  assert.equal(workerThreads(resolveConfig([{ source: 't', values: { cpuThreads: 3 } }]), 2), 3);
});

test('load_policy params follow the config: LoRA or full fine-tune, optimizer and schedule', () => {
  const lora = loadPolicyParams('m', resolveConfig([{ source: 't', values: { loraRank: 8, learningRate: 1e-4, steps: 7 } }]));
  assert.deepEqual(lora.lora, { rank: 8, alpha: 32, dropout: 0, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj'] });
  assert.equal(lora.optimizer.learning_rate, 1e-4);
  assert.equal(lora.optimizer.total_steps, 7);
  assert.equal(loadPolicyParams('m', resolveConfig([{ source: 't', values: { lora: false } }])).lora, null);
});
