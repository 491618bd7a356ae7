import { existsSync, readFileSync } from 'node:fs';
import { arch, cpus, release, type } from 'node:os';

/** `uname -srm`, the CPU model and the core count: the "machine" line of every BENCHMARKS.md section. */
export function machine(): string {
  const model = /model name\s*:\s*(.*)/.exec(existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '')?.[1] ?? cpus()[0]?.model ?? 'unknown';
  return `${type()} ${release()} ${arch()}; ${model}; ${cpus().length} cores`;
}
