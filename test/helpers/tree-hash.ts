/** Fingerprint of every file and folder under a directory (hidden ones included), for "nothing changed" checks. */
import { createHash } from 'node:crypto';
import { lstatSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';

export function treeHash(root: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (dir: string, rel: string): void => {
    for (const name of readdirSync(dir).sort()) {
      const path = join(dir, name);
      const key = rel ? `${rel}/${name}` : name;
      const stat = lstatSync(path);
      if (stat.isSymbolicLink()) out.set(key, `link:${readlinkSync(path)}`);
      else if (stat.isDirectory()) {
        out.set(`${key}/`, `dir:${stat.mode.toString(8)}`);
        walk(path, key);
      } else out.set(key, `file:${stat.mode.toString(8)}:${createHash('sha256').update(readFileSync(path)).digest('hex')}`);
    }
  };
  walk(root, '');
  return out;
}

/** Human-readable differences between two fingerprints ([] when equal). */
export function treeDiff(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].sort().filter((k) => before.get(k) !== after.get(k))
    .map((k) => `${k}: ${before.get(k) ?? '(absent)'} → ${after.get(k) ?? '(absent)'}`);
}
