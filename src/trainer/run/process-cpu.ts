/**
 * CPU time spent by this process and every child it has reaped (the worker, verifier servers and
 * the candidates they forked, each reaped by its parent in turn). The demo's budget is stated in
 * CPU-minutes, and on a shared machine wall time says more about the neighbours than about us.
 * Linux only (/proc/self/stat); elsewhere null.
 */
import { readFileSync } from 'node:fs';

/** Clock ticks per second for /proc's times; 100 on every Linux build we target (USER_HZ). */
const USER_HZ = 100;

export interface CpuSample {
  /** utime + stime of this process, seconds. */
  self: number;
  /** cutime + cstime: children that have exited and been waited for, seconds. */
  children: number;
}

/** Parses /proc/PID/stat text; the command name may contain spaces and parentheses, so split after the last ')'. */
export function parseProcStat(text: string): CpuSample {
  const fields = text.slice(text.lastIndexOf(')') + 2).trim().split(/\s+/);
  // After the name: field 3 (state) is index 0, so utime (14) … cstime (17) sit at indices 11 … 14.
  const ticks = fields.slice(11, 15).map(Number);
  if (ticks.length < 4 || ticks.some((t) => !Number.isFinite(t))) throw new Error(`unexpected /proc stat line: ${text.slice(0, 80)}`);
  const [utime, stime, cutime, cstime] = ticks as [number, number, number, number];
  return { self: (utime + stime) / USER_HZ, children: (cutime + cstime) / USER_HZ };
}

export function sampleCpu(): CpuSample | null {
  try {
    return parseProcStat(readFileSync('/proc/self/stat', 'utf8'));
  } catch {
    return null;
  }
}

/** CPU seconds between two samples, self plus reaped children; null when /proc is unavailable. */
export function cpuSecondsBetween(start: CpuSample | null, end: CpuSample | null): number | null {
  if (!start || !end) return null;
  return end.self - start.self + (end.children - start.children);
}
