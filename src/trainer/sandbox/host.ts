/** Facts about this machine that the sandbox needs: where the tools are, how `/` is laid out, who we are. */
import { accessSync, constants, lstatSync, readlinkSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { RlvrError } from '../errors';
import type { RootEntry } from './argv';

export interface HostTools {
  bwrap: string | null;
  prlimit: string | null;
  setpriv: string | null;
  unshare: string | null;
  rootEntries: RootEntry[];
  isRoot: boolean;
}

/** Top-level directories that binaries and the dynamic linker look in. */
const ROOT_NAMES = ['bin', 'sbin', 'lib', 'lib32', 'lib64', 'libx32'];
const SYSTEM_DIRS = ['/usr/bin', '/bin', '/usr/sbin', '/sbin', '/usr/local/bin'];

export function findTool(name: string, pathEnv: string = process.env.PATH ?? ''): string | null {
  for (const dir of [...pathEnv.split(delimiter).filter(Boolean), ...SYSTEM_DIRS]) {
    const path = join(dir, name);
    try {
      accessSync(path, constants.X_OK);
      return path;
    } catch {
      // keep looking
    }
  }
  return null;
}

export function readRootEntries(root = '/'): RootEntry[] {
  const entries: RootEntry[] = [];
  for (const name of ROOT_NAMES) {
    try {
      const stat = lstatSync(join(root, name));
      if (stat.isSymbolicLink()) entries.push({ name, symlinkTarget: readlinkSync(join(root, name)) });
      else if (stat.isDirectory()) entries.push({ name });
    } catch {
      // absent on this system
    }
  }
  return entries;
}

export function detectHost(): HostTools {
  return {
    bwrap: findTool('bwrap'),
    prlimit: findTool('prlimit'),
    setpriv: findTool('setpriv'),
    unshare: findTool('unshare'),
    rootEntries: readRootEntries(),
    isRoot: typeof process.geteuid === 'function' && process.geteuid() === 0,
  };
}

export const INSTALL_BWRAP = 'install bubblewrap: `sudo apt-get install bubblewrap` (Fedora: `sudo dnf install bubblewrap`)';
const INSTALL_UTIL_LINUX = 'install util-linux (`sudo apt-get install util-linux`), which provides prlimit, setpriv and unshare';

export interface ReadyTools {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  unshare: string;
  rootEntries: RootEntry[];
  isRoot: boolean;
}

/** The tools a given mode needs, or an actionable error. Unneeded tools come back as "". */
export function requireTools(host: HostTools, unsafeNoSandbox: boolean): ReadyTools {
  if (!host.prlimit) throw new RlvrError('`prlimit` was not found on PATH', 'sandbox_unavailable', INSTALL_UTIL_LINUX);
  const ready = { ...host, prlimit: host.prlimit, bwrap: host.bwrap ?? '', setpriv: host.setpriv ?? '', unshare: host.unshare ?? '' };
  if (unsafeNoSandbox) return ready;
  if (!host.bwrap) {
    throw new RlvrError('bubblewrap (`bwrap`) was not found, so candidates cannot be sandboxed', 'sandbox_unavailable',
      `${INSTALL_BWRAP}; or, on a machine you do not mind a candidate damaging, pass --unsafe-no-sandbox`);
  }
  if (host.isRoot && (!host.setpriv || !host.unshare)) {
    throw new RlvrError('running as root needs `setpriv` and `unshare` to drop the sandbox to an unprivileged user',
      'sandbox_unavailable', INSTALL_UTIL_LINUX);
  }
  return ready;
}
