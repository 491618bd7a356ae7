/**
 * Loads a webview's content again when it never speaks. Every front end posts `ready` as the first
 * thing its script does; a webview that stays silent did not get its script. Seen in VS Code for the
 * web (code-server) when a window reload restores two panels at once: the webview service worker
 * misses one panel's resource requests, they go to the network and fail, and the panel stays blank
 * for good (microsoft/vscode#326544). Setting the HTML again loads it through the now-ready worker.
 */

export interface Timers {
  set(fn: () => void, ms: number): unknown;
  clear(handle: unknown): void;
}

const realTimers: Timers = {
  set: (fn, ms) => setTimeout(fn, ms),
  clear: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/**
 * How long each load may stay silent before the next one (a slow machine needs seconds). Four
 * retries within ~70 s: in a CI run two retries (at 10 s and 30 s) were not enough once.
 */
export const RELOAD_AFTER_MS: readonly number[] = [10_000, 15_000, 20_000, 25_000];

export interface LoadWatchdog {
  /** The webview spoke: no more reloads. */
  heard(): void;
  dispose(): void;
}

/**
 * Calls `load` now, and again after each delay in `delaysMs` for as long as `heard` was not called;
 * `onRetry` says which attempt is starting (for the logs).
 */
export function loadUntilHeard(load: () => void, onRetry: (attempt: number) => void, delaysMs: readonly number[] = RELOAD_AFTER_MS, timers: Timers = realTimers): LoadWatchdog {
  let handle: unknown;
  let done = false;
  const schedule = (index: number) => {
    const delay = delaysMs[index];
    if (done || delay === undefined) return;
    handle = timers.set(() => {
      if (done) return;
      onRetry(index + 2);
      load();
      schedule(index + 1);
    }, delay);
  };
  const stop = () => {
    done = true;
    if (handle !== undefined) timers.clear(handle);
  };
  load();
  schedule(0);
  return { heard: stop, dispose: stop };
}
