/**
 * CPU time of this process split by thread (Linux: /proc/self/task; elsewhere nothing): the JS
 * (main) thread vs the others — the `sqlite3` package's work on libuv's thread pool, the WAL
 * checkpoints, V8's garbage-collection helpers. Ingest speed on two cores depends on the busiest
 * thread, not on the total.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

export interface ThreadCpu { mainMs: number; otherMs: number }

/** utime + stime of one task, in ms (clock ticks are 10 ms on Linux). */
function taskMs(tid: string): number {
  try {
    const stat = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return 0; // the thread ended between the listing and the read
  }
}

export function threadCpu(): ThreadCpu | null {
  if (!existsSync('/proc/self/task')) return null;
  let mainMs = 0;
  let otherMs = 0;
  for (const tid of readdirSync('/proc/self/task')) {
    if (Number(tid) === process.pid) mainMs += taskMs(tid);
    else otherMs += taskMs(tid);
  }
  return { mainMs, otherMs };
}

/** "JS thread N µs, other threads M µs per trace" between two readings, or '' without /proc. */
export function threadSplit(before: ThreadCpu | null, after: ThreadCpu | null, traces: number): string {
  if (!before || !after) return '';
  const us = (ms: number) => Math.round((ms * 1000) / traces);
  return `JS thread ${us(after.mainMs - before.mainMs)} µs/trace, other threads (SQLite, checkpoints, GC) ${us(after.otherMs - before.otherMs)} µs/trace`;
}
