/** Training presets and CLI argument lists, checked against the trainer's own config parser. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseOverride, resolveConfig } from '../../src/trainer/config/config';
import { evalArgs, groundTruthArgs, mineTasksArgs, resumeArgs, trainArgs } from '../../src/extension/core/cli-args';
import { presetById, settingsToSetFlags, TRAINING_PRESETS } from '../../src/extension/core/presets';

/** What the CLI makes of our `--set` flags (src/trainer/cli/commands/config.ts does the same). */
function cliConfig(args: readonly string[]) {
  const sets = args.flatMap((a, i) => (args[i - 1] === '--set' ? [a] : []));
  return resolveConfig([{ source: '--set', values: Object.fromEntries(sets.map(parseOverride)) }]);
}

test('every preset is a valid configuration for the CLI and means what it says', () => {
  for (const preset of TRAINING_PRESETS) {
    const args = trainArgs({ workspace: '/ws', model: 'm', settings: [preset.settings] });
    const config = cliConfig(args);
    for (const [key, value] of Object.entries(preset.settings)) {
      assert.deepEqual((config as Record<string, unknown>)[key], value, `${preset.id}: ${key}`);
    }
  }
  const drGrpo = cliConfig(trainArgs({ workspace: '/ws', model: 'm', settings: [presetById('drGrpo')?.settings ?? {}] }));
  assert.equal(drGrpo.lossType, 'dr_grpo');
  assert.equal(drGrpo.advantageScaling, 'none');
  const dapo = cliConfig(trainArgs({ workspace: '/ws', model: 'm', settings: [presetById('dapo')?.settings ?? {}] }));
  assert.ok(dapo.epsilonHigh > dapo.epsilonLow && dapo.dynamicSampling && dapo.overlongBuffer > 0);
  assert.deepEqual(presetById('default')?.settings, {});
});

test('the user\'s trainSettings come after the preset, so they win', () => {
  const args = trainArgs({ workspace: '/ws', model: 'm', settings: [presetById('quickDemo')?.settings ?? {}, { steps: 2, groupSize: 4 }] });
  const config = cliConfig(args);
  assert.equal(config.steps, 2);
  assert.equal(config.groupSize, 4);
  assert.equal(args.filter((a) => a.startsWith('steps=')).length, 1, 'one --set per key');
});

test('--set values round-trip through the CLI parser: numbers, arrays, booleans, enum strings and digit-like strings', () => {
  const flags = settingsToSetFlags({ steps: 3, evalK: [1, 4], lora: false, lossType: 'dapo', loraTargets: ['q_proj'], odd: '12', odder: 'true' });
  assert.deepEqual(flags.map(parseOverride), [
    ['steps', 3], ['evalK', [1, 4]], ['lora', false], ['lossType', 'dapo'], ['loraTargets', ['q_proj']], ['odd', '12'], ['odder', 'true'],
  ]);
  assert.equal(flags[3], 'lossType=dapo', 'enum values stay readable');
});

test('argument lists: train ends with --events, resume names the run, db and python only when given', () => {
  assert.deepEqual(trainArgs({ workspace: '/ws', model: '/models/tiny', db: '/ws/.rlvr/runs.db', python: '/py', settings: [{ steps: 2 }] }),
    ['train', '--workspace', '/ws', '--db', '/ws/.rlvr/runs.db', '--python', '/py', '--model', '/models/tiny', '--set', 'steps=2', '--events']);
  assert.deepEqual(resumeArgs({ workspace: '/ws', runId: 'r-1' }), ['train', '--workspace', '/ws', '--resume', 'r-1', '--events']);
  assert.deepEqual(mineTasksArgs({ workspace: '/ws', db: '/x.db' }), ['tasks', '--workspace', '/ws', '--json'], 'tasks takes no --db');
  assert.deepEqual(groundTruthArgs({ workspace: '/ws', python: '/py' }), ['verify', '--workspace', '/ws', '--python', '/py', '--ground-truth', '--json']);
  assert.deepEqual(evalArgs({ workspace: '/ws', db: '/d.db', runId: 'r' }), ['eval', '--workspace', '/ws', '--db', '/d.db', '--run', 'r', '--checkpoints', 'all', '--json']);
});
