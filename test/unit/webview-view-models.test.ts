import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CUE_CATEGORIES } from '../../src/trainer/analysis/aha/types';
import { STEP_METRIC_NAMES } from '../../src/trainer/store/types';
import { AHA_CATEGORIES, STEP_METRIC_KEYS } from '../../src/shared/view-models';

// The webviews cannot import trainer code, so src/shared repeats two name lists; these keep them equal.
test('the view models name the same step metrics as the store', () => {
  assert.deepEqual([...STEP_METRIC_KEYS].sort(), [...STEP_METRIC_NAMES].sort());
});

test('the view models know the same aha categories as the detector', () => {
  assert.deepEqual([...AHA_CATEGORIES], [...CUE_CATEGORIES]);
});
