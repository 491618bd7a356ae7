/** A webview that never says ready gets its HTML again, a bounded number of times; one that speaks is left alone. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadUntilHeard, type Timers } from '../../src/extension/core/load-watchdog';

/** Timers run by hand: `advance` fires what is due, in order. */
function manualTimers(): Timers & { advance(ms: number): void; pending(): number } {
  let now = 0;
  let next = 0;
  const due = new Map<number, { at: number; fn: () => void }>();
  return {
    set: (fn, ms) => { due.set(++next, { at: now + ms, fn }); return next; },
    clear: (handle) => { due.delete(handle as number); },
    advance(ms) {
      const until = now + ms;
      for (;;) {
        const first = [...due.entries()].filter(([, t]) => t.at <= until).sort((a, b) => a[1].at - b[1].at)[0];
        if (!first) break;
        due.delete(first[0]);
        now = first[1].at;
        first[1].fn();
      }
      now = until;
    },
    pending: () => due.size,
  };
}

test('a silent webview is loaded again after each delay, then left as it is', () => {
  const timers = manualTimers();
  const loads: number[] = [];
  const retries: number[] = [];
  loadUntilHeard(() => loads.push(loads.length + 1), (n) => retries.push(n), [100, 200], timers);
  assert.deepEqual(loads, [1], 'loaded at once');
  timers.advance(99);
  assert.deepEqual(loads, [1]);
  timers.advance(1);
  assert.deepEqual(loads, [1, 2]);
  timers.advance(200);
  assert.deepEqual(loads, [1, 2, 3]);
  timers.advance(10_000);
  assert.deepEqual(loads, [1, 2, 3], 'no more than one load per delay');
  assert.deepEqual(retries, [2, 3]);
  assert.equal(timers.pending(), 0);
});

test('a webview that speaks is not loaded again; dispose stops the retries too', () => {
  const timers = manualTimers();
  let loads = 0;
  const heard = loadUntilHeard(() => { loads += 1; }, () => undefined, [100, 200], timers);
  timers.advance(50);
  heard.heard();
  timers.advance(1000);
  assert.equal(loads, 1);
  assert.equal(timers.pending(), 0);
  let disposedLoads = 0;
  const disposed = loadUntilHeard(() => { disposedLoads += 1; }, () => undefined, [100], timers);
  timers.advance(100);
  disposed.dispose();
  timers.advance(1000);
  assert.equal(disposedLoads, 2);
});
