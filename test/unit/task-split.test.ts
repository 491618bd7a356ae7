import assert from 'node:assert/strict';
import { test } from 'node:test';
import { heldOutScore, maxHeldOut, splitTests } from '../../src/trainer/tasks/split';

const ids = (n: number, prefix = 'tests/test_x.py::test_'): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test('one test: nothing held out', () => {
  assert.deepEqual(splitTests(['t::a']), { visibleTests: ['t::a'], heldOutTests: [] });
  assert.deepEqual(splitTests([]), { visibleTests: [], heldOutTests: [] });
});

test('for every size up to 40 and several id families: bounds hold and the split is a partition', () => {
  for (const prefix of ['a::', 'tests/test_strings.py::test_case_', 'x.py::T::m']) {
    for (let n = 1; n <= 40; n++) {
      const tests = ids(n, prefix);
      const { visibleTests, heldOutTests } = splitTests(tests);
      assert.equal(visibleTests.length + heldOutTests.length, n);
      assert.deepEqual(new Set([...visibleTests, ...heldOutTests]), new Set(tests));
      assert.ok(visibleTests.length >= 1, `n=${n}: at least one visible`);
      if (n >= 2) assert.ok(heldOutTests.length >= 1, `n=${n}: at least one held out`);
      assert.ok(heldOutTests.length <= maxHeldOut(n), `n=${n}: at most max(1, floor(n/3)) held out`);
    }
  }
  assert.equal(maxHeldOut(2), 1);
  assert.equal(maxHeldOut(5), 1);
  assert.equal(maxHeldOut(6), 2);
});

test('deterministic and independent of input order; output keeps input order', () => {
  const tests = ids(9);
  const a = splitTests(tests);
  const b = splitTests([...tests].reverse());
  assert.deepEqual(new Set(a.heldOutTests), new Set(b.heldOutTests));
  assert.deepEqual(a.visibleTests, tests.filter((t) => a.visibleTests.includes(t)));
});

test('adding a test does not reshuffle the others (away from the clamps)', () => {
  const tests = ids(30);
  const added = 'tests/test_x.py::test_new';
  // Preconditions of this fixture: 5 of the 30 score below 1/3 (the cap is 10), the new one too.
  assert.equal(tests.filter((t) => heldOutScore(t) < 1 / 3).length, 5);
  assert.ok(heldOutScore(added) < 1 / 3);
  const before = splitTests(tests);
  const after = splitTests([...tests, added]);
  assert.deepEqual(after.heldOutTests, [...before.heldOutTests, added]);
  assert.deepEqual(after.visibleTests, before.visibleTests);
});

test('a test has the same status in every task that maps it (when no clamp applies)', () => {
  const low = 'tests/test_x.py::test_shared_2';
  const high = 'tests/test_x.py::test_shared';
  assert.ok(heldOutScore(low) < 1 / 3 && heldOutScore(high) >= 1 / 3);
  for (const prefix of ['b::', 'c::', 'e::']) {
    const others = ids(20, prefix);
    assert.ok(others.filter((t) => heldOutScore(t) < 1 / 3).length + 1 <= maxHeldOut(22), `${prefix}: fixture stays under the cap`);
    const split = splitTests([low, high, ...others]);
    assert.ok(split.heldOutTests.includes(low));
    assert.ok(split.visibleTests.includes(high));
  }
});

test('duplicates are removed', () => {
  const { visibleTests, heldOutTests } = splitTests(['a', 'b', 'a']);
  assert.equal(visibleTests.length + heldOutTests.length, 2);
});
