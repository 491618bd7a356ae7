import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseTraceFilter } from '../../src/shared/webview-messages';
import type { TraceRowVM } from '../../src/shared/view-models';
import {
  EMPTY_FORM, effectiveSort, filterFromForm, groupKey, scrollToReveal, startsGroup, visibleWindow,
} from '../../src/webviews/traces/model';
import { PageCache } from '../../src/webviews/traces/page-cache';

test('an empty form filters only by run', () => {
  assert.deepEqual(filterFromForm(EMPTY_FORM, 'r-1'), { filter: { runId: 'r-1' }, problems: [] });
});

test('every form field maps to the query, and the host guard accepts the result', () => {
  const { filter, problems } = filterFromForm({
    search: '  wait* off-by-one ', stepMin: '3', stepMax: '10', taskId: 'pkg.mod:f', minReward: '-0.5', maxReward: '1',
    outcome: 'failed', finishReason: 'length', kind: 'train', hasAha: true, flagged: true,
  }, 'r-1');
  assert.deepEqual(problems, []);
  assert.deepEqual(filter, {
    runId: 'r-1', step: { min: 3, max: 10 }, minReward: -0.5, maxReward: 1, taskId: 'pkg.mod:f', passed: false,
    finishReason: 'length', kind: 'train', hasAha: true, flagged: true, search: 'wait* off-by-one',
  });
  assert.deepEqual(parseTraceFilter(JSON.parse(JSON.stringify(filter))), filter);
});

test('unreadable numbers are reported and left out instead of sent', () => {
  const { filter, problems } = filterFromForm({ ...EMPTY_FORM, stepMin: '2.5', stepMax: 'x', minReward: 'abc', maxReward: '0.5', outcome: 'passed' }, 'r');
  assert.deepEqual(filter, { runId: 'r', maxReward: 0.5, passed: true });
  assert.equal(problems.length, 3);
  assert.match(problems.join('\n'), /step from: "2.5" is not a whole number/);
  assert.match(problems.join('\n'), /min reward: "abc" is not a number/);
  assert.match(filterFromForm({ ...EMPTY_FORM, stepMin: '9', stepMax: '2' }, 'r').problems[0] ?? '', /nothing can match/);
});

test('grouping by prompt sorts by insertion order so siblings stay adjacent', () => {
  assert.deepEqual(effectiveSort({ key: 'reward', order: 'asc' }, true), { key: 'id', order: 'asc' });
  assert.deepEqual(effectiveSort({ key: 'reward', order: 'asc' }, false), { key: 'reward', order: 'asc' });
});

test('the window covers the viewport plus overscan and is clamped to the rows', () => {
  assert.deepEqual(visibleWindow(0, 400, 40, 100_000, 5), { start: 0, end: 16, offsetY: 0 });
  // Scrolled to row 50 000 of 100 000: only ~20 rows are rendered.
  const middle = visibleWindow(50_000 * 40, 400, 40, 100_000, 5);
  assert.deepEqual(middle, { start: 49_995, end: 50_016, offsetY: 49_995 * 40 });
  assert.deepEqual(visibleWindow(1e9, 400, 40, 30, 5), { start: 29, end: 30, offsetY: 29 * 40 });
  assert.deepEqual(visibleWindow(0, 400, 40, 0), { start: 0, end: 0, offsetY: 0 });
  assert.deepEqual(visibleWindow(-50, 400, 40, 3, 2), { start: 0, end: 3, offsetY: 0 });
});

test('revealing a row scrolls only when it is out of view', () => {
  assert.equal(scrollToReveal(5, 0, 400, 40), 0);
  assert.equal(scrollToReveal(20, 0, 400, 40), 21 * 40 - 400);
  assert.equal(scrollToReveal(2, 400, 400, 40), 80);
});

const row = (over: Partial<TraceRowVM>): TraceRowVM => ({
  id: 1, runId: 'r', step: 1, kind: 'train', evalLabel: null, taskId: 't', groupIndex: 0, sampleIndex: 0,
  reward: { total: 1, correctness: 1, format: 0, overlong: 0 }, advantage: 0.5, promptTokens: 10, completionTokens: 20,
  finishReason: 'stop', passed: true, passFraction: 1, flagged: false, ahaCount: 0, createdAt: 0, preview: '', ...over,
});

test('group boundaries follow run, kind, evaluation, step and group index', () => {
  const a = row({ id: 1, sampleIndex: 0 });
  assert.equal(startsGroup(undefined, a), true);
  assert.equal(startsGroup(a, row({ id: 2, sampleIndex: 1 })), false);
  assert.equal(startsGroup(a, row({ id: 3, groupIndex: 1 })), true);
  assert.equal(startsGroup(a, row({ id: 4, step: 2 })), true);
  assert.equal(startsGroup(a, row({ id: 5, kind: 'eval', evalLabel: 'base' })), true);
  assert.notEqual(groupKey(row({ taskId: 'a', runId: 'r|1' })), groupKey(row({ runId: 'r', step: 1 })));
});

const reply = (requestId: number, offset: number, n: number, total: number | null, hasMore: boolean) =>
  ({ requestId, offset, rows: Array.from({ length: n }, (_, i) => row({ id: offset + i + 1 })), total, hasMore });

test('the page cache asks only for missing pages and drops replies from before a reset', () => {
  const cache = new PageCache(100);
  const first = cache.request(0, 30);
  assert.deepEqual(first, [{ requestId: 1, offset: 0, limit: 100 }]);
  assert.deepEqual(cache.request(10, 40), [], 'page 0 is in flight');
  assert.ok(cache.accept(reply(1, 0, 100, 100_000, true)));
  assert.equal(cache.count(), 100_000);
  assert.equal(cache.rowAt(42)?.id, 43);
  // Jump to the middle of 100k rows: one page, not the 499 before it.
  assert.deepEqual(cache.request(50_010, 50_030), [{ requestId: 2, offset: 50_000, limit: 100 }]);
  assert.deepEqual(cache.request(150, 250).map((r) => r.offset), [100, 200]);
  cache.reset();
  assert.equal(cache.accept(reply(2, 50_000, 100, 100_000, true)), false, 'stale reply');
  assert.equal(cache.rowAt(42), undefined);
  assert.equal(cache.count(), 0);
});

test('without a count the list grows a page at a time until the host says there is no more', () => {
  const cache = new PageCache(50);
  const [r1] = cache.request(0, 10);
  cache.accept(reply(r1!.requestId, 0, 50, null, true));
  assert.equal(cache.count(), 100);
  assert.equal(cache.isCounted(), false);
  const [r2] = cache.request(60, 70);
  cache.accept(reply(r2!.requestId, 50, 20, null, false));
  assert.equal(cache.count(), 70);
});

test('an empty run that starts filling is asked again after invalidate (the list opened before any trace)', () => {
  const cache = new PageCache(10);
  const [first] = cache.request(0, 0);
  cache.accept(reply(first!.requestId, 0, 0, 0, false));
  assert.equal(cache.count(), 0);
  assert.equal(cache.request(0, 0).length, 0, 'nothing new: nothing to fetch');
  cache.invalidate();
  const [again] = cache.request(0, 0);
  assert.equal(again?.offset, 0, 'new traces arrived: page 0 is fetched again');
});

test('invalidated pages keep showing and are fetched again; failed requests can be retried', () => {
  const cache = new PageCache(10);
  const [r1] = cache.request(0, 5);
  cache.accept(reply(r1!.requestId, 0, 10, 25, true));
  cache.invalidate();
  assert.equal(cache.rowAt(3)?.id, 4);
  const [again] = cache.request(0, 5);
  assert.equal(again?.offset, 0);
  cache.fail(again!.requestId);
  assert.equal(cache.request(0, 5).length, 1);
  assert.throws(() => new PageCache(0), /positive integer, got 0/);
});
