import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The RLVR Studio installation root (the folder with our package.json). Found by walking up from
 * this module, so it works from `src/` under tsx, from the `dist/` bundle and inside a VSIX.
 */
export function studioRoot(from: string = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readManifestName(manifest) === 'rlvr-studio') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`cannot find the rlvr-studio package root above ${from}`);
    dir = parent;
  }
}

function readManifestName(path: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    return typeof parsed === 'object' && parsed !== null && 'name' in parsed && typeof parsed.name === 'string'
      ? parsed.name
      : undefined;
  } catch {
    return undefined;
  }
}

/** Python sources that run inside the verifier's sandbox (package `rlvr_verify`). */
export const verifierPythonDir = (): string => join(studioRoot(), 'src', 'trainer', 'verifier', 'python');

/** Python sources of the compute worker (package `rlvr_worker`). */
export const workerPythonDir = (): string => join(studioRoot(), 'src', 'trainer', 'worker');
