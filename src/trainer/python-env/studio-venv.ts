/**
 * Where RLVR Studio's own Python environment (the worker's packages and pytest) may live. A checkout
 * has `<root>/.venv` (`npm run setup`). The VS Code extension keeps its environment outside its
 * install folder, which an extension update replaces, and names it in RLVR_STUDIO_VENV for every
 * `rlvr` it starts; that one is tried first.
 */
import { join, resolve } from 'node:path';
import { studioRoot } from '../paths';

/** Environment variable naming a venv folder (the one with `bin/python`) to try before `<root>/.venv`. */
export const STUDIO_VENV_ENV = 'RLVR_STUDIO_VENV';

export interface StudioVenvOptions {
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /** RLVR Studio's root (default: found from this module's location). */
  studioDir?: string | undefined;
}

/** The candidate venv folders, most specific first, without duplicates. */
export function studioVenvDirs(options: StudioVenvOptions = {}): string[] {
  const named = (options.env ?? process.env)[STUDIO_VENV_ENV]?.trim();
  const dirs = [...(named ? [resolve(named)] : []), join(options.studioDir ?? studioRoot(), '.venv')];
  return [...new Set(dirs)];
}
