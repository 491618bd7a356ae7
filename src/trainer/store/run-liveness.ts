/**
 * Whether a run marked `running` still has a live writer. A killed trainer (kill -9, a crash, a
 * closed laptop) leaves its run `running`; `rlvr runs` and the side panel show it as interrupted and
 * offer `rlvr train --resume`. Only decidable on the writer's own host.
 */
import { hostname } from 'node:os';
import type { RunRecord } from './types';

export type RunLiveness = 'finished' | 'live' | 'interrupted' | 'unknown';

function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: the process exists but belongs to someone else.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function runLiveness(run: Pick<RunRecord, 'status' | 'writerPid' | 'writerHost'>, host = hostname()): RunLiveness {
  if (run.status !== 'running') return 'finished';
  if (run.writerPid === null || run.writerHost !== host) return 'unknown';
  return processExists(run.writerPid) ? 'live' : 'interrupted';
}
