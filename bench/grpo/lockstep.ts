/**
 * Step-by-step alternation of the two trainers, so a change in the shared machine's load hits
 * both sides alike: after our step n the loop's (synchronous) onStep writes go-n and blocks until
 * TRL's step n writes done-n (bench/trl_grpo.py). Our step times start when the block ends.
 *
 * The block is synchronous on purpose: train() offers no async hook between steps, and at that
 * point nothing of ours is in flight (the step's traces and metrics are already awaited).
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const POLL_MS = 50;
const MAX_WAIT_MS = 60 * 60 * 1000;

function sleepSync(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}

/** Linux: a child that exited stays a zombie until node's event loop reaps it, so read its state. */
function isRunning(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^\d+ \(.*\) [ZX] /s.test(stat);
  } catch {
    return false;
  }
}

export function lockstep(dir: string, peerPid: number): (step: number) => void {
  return (step) => {
    writeFileSync(join(dir, `go-${step}`), '');
    const done = join(dir, `done-${step}`);
    const started = Date.now();
    while (!existsSync(done)) {
      if (!isRunning(peerPid)) throw new Error(`TRL (pid ${peerPid}) exited before finishing its step ${step}; see its output above`);
      if (Date.now() - started > MAX_WAIT_MS) throw new Error(`TRL's step ${step} took over ${MAX_WAIT_MS / 60000} min; giving up`);
      sleepSync(POLL_MS);
    }
  };
}
