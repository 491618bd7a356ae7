/**
 * RLVR Studio's own Python environment as the extension manages it: where it lives, the
 * environment of the setup script and of every `rlvr` child, and what the setup's progress shows.
 * It lives in the extension's global storage, not in the extension's install folder: an update
 * installs a new version folder and deletes the old one, with any venv inside it.
 */
import { join, resolve } from 'node:path';
import { STUDIO_VENV_ENV } from '../../trainer/python-env/studio-venv';
import type { Interpreter } from '../../trainer/worker-client/python';

/** The venv's folder name inside the extension's global storage. */
export const MANAGED_VENV_FOLDER = 'python-venv';

/** `rlvrStudio.venvPath` when set (absolute, or relative to the home folder), else `<globalStorage>/python-venv`. */
export function managedVenvDir(globalStorageDir: string, setting: string | undefined, home: string): string {
  const chosen = setting?.trim();
  if (!chosen) return join(globalStorageDir, MANAGED_VENV_FOLDER);
  return resolve(home, chosen.replace(/^~(?=$|[\\/])/, home));
}

export function venvPython(venv: string, platform: NodeJS.Platform = process.platform): string {
  return platform === 'win32' ? join(venv, 'Scripts', 'python.exe') : join(venv, 'bin', 'python');
}

/** Every `rlvr` the extension starts is told where the venv is (the CLI skips it while it does not exist). */
export function cliEnvironment(base: NodeJS.ProcessEnv, venv: string): NodeJS.ProcessEnv {
  return { ...base, [STUDIO_VENV_ENV]: venv };
}

/** scripts/setup.sh installs into the venv and prints pip's progress lines (read by `setupProgress`). */
export function setupEnvironment(base: NodeJS.ProcessEnv, venv: string): NodeJS.ProcessEnv {
  return { ...base, RLVR_VENV: venv, RLVR_SETUP_PIP_PROGRESS: '1' };
}

/** What a line of the setup script's output adds to the progress notification (null: nothing). */
export function setupProgress(line: string): string | null {
  const text = line.trim();
  if (text.startsWith('setup: ')) return text.slice('setup: '.length, 140);
  const pip = /^(Collecting|Downloading|Installing collected packages:|Successfully installed) (.*)$/.exec(text);
  if (!pip) return null;
  // "Collecting torch<3,>=2.11 (from -r …)" → "Collecting torch<3,>=2.11"; sizes stay ("Downloading torch-….whl (900 MB)").
  return `${pip[1]} ${(pip[2] ?? '').replace(/ \(from .*$/, '')}`.slice(0, 140);
}

/**
 * When the interpreter the CLI will use for the workspace is not the managed venv: why, and what to
 * do if it cannot host the worker. `usable`: whether that interpreter has the worker's packages.
 */
export function interpreterNote(used: Interpreter, managedPython: string, usable: boolean): string | null {
  if (used.path === managedPython) return null;
  if (used.source === 'explicit') {
    return `rlvrStudio.pythonPath is set, so training uses ${used.path}, not this environment`
      + (usable ? '' : `, and ${used.path} lacks the worker's packages: clear the setting`);
  }
  if (used.source === 'workspace-venv') {
    return `this workspace's own ${used.path} comes first for its tests and the compute worker`
      + (usable ? '' : ` and lacks the worker's packages: install them there, or set rlvrStudio.pythonPath to ${managedPython}`);
  }
  return `the CLI would use ${used.path} (${used.source}), not this environment`;
}
