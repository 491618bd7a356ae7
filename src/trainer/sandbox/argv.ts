/**
 * Builds the command line that runs a SandboxSpec: `prlimit … -- bwrap … -- [setpriv …] prlimit
 * --nproc … -- COMMAND`. Pure (host facts come in as `HostLayout`), so the exact mounts are unit-tested.
 *
 * Why RLIMIT_NPROC is set INSIDE the sandbox: the kernel counts it per user namespace, but a limit
 * set before bwrap also caps bwrap's own fork against every process the user already runs (a user
 * with more than `nproc` processes could not start the sandbox at all). Measured on Linux 6.18.
 */
import { dirname, posix } from 'node:path';
import { DEFAULT_TMPFS_BYTES, type SandboxSpec } from './types';

/** A top-level entry of the host's `/` that programs expect (merged-/usr systems have symlinks). */
export interface RootEntry {
  name: string;
  /** Symlink target (e.g. "usr/lib"), or undefined for a real directory. */
  symlinkTarget?: string;
}

export interface HostLayout {
  bwrap: string;
  prlimit: string;
  setpriv: string;
  rootEntries: RootEntry[];
  /**
   * Set when we run as root: bwrap joins a user namespace that maps 0→0 and `uid`→`uid`, and the
   * command is dropped to `uid` with no capabilities. As root the kernel ignores RLIMIT_NPROC, and
   * a root-in-namespace process keeps CAP_SYS_ADMIN, which could remount the read-only binds.
   */
  rootDrop?: { userNsFd: number; uid: number; gid: number };
}

export interface Argv {
  file: string;
  args: string[];
}

const SAFE_PATH = '/usr/local/bin:/usr/bin:/bin';

export function baseEnv(): Record<string, string> {
  return {
    PATH: SAFE_PATH,
    HOME: '/tmp',
    TMPDIR: '/tmp',
    USER: 'sandbox',
    LOGNAME: 'sandbox',
    LANG: 'C.UTF-8',
    PYTHONDONTWRITEBYTECODE: '1',
    PYTHONHASHSEED: '0',
    PYTHONNOUSERSITE: '1',
  };
}

/** Limits that are per process and safe to set on bwrap itself. */
function outerLimits(spec: SandboxSpec): string[] {
  const l = spec.limits;
  return [`--as=${l.memoryBytes}`, `--cpu=${l.cpuSeconds}`, `--fsize=${l.fsizeBytes}`, `--nofile=${l.nofile}`, '--core=0'];
}

export function buildSandboxArgv(spec: SandboxSpec, host: HostLayout): Argv {
  if (spec.unsafeNoSandbox) return buildUnsandboxedArgv(spec, host);
  const bwrap = [...namespaceArgs(host), ...systemMounts(host, spec.tmpfsBytes ?? DEFAULT_TMPFS_BYTES),
    ...userMounts(spec), '--chdir', spec.cwd ?? spec.workspace, '--clearenv', ...envArgs(spec)];
  const inner = [...dropArgs(host), host.prlimit, `--nproc=${spec.limits.nproc}`, '--', ...spec.command];
  return { file: host.prlimit, args: [...outerLimits(spec), '--', host.bwrap, ...bwrap, '--', ...inner] };
}

function buildUnsandboxedArgv(spec: SandboxSpec, host: HostLayout): Argv {
  // No user namespace: RLIMIT_NPROC would count all of the user's processes, so it is left out.
  return { file: host.prlimit, args: [...outerLimits(spec), '--', ...spec.command] };
}

function namespaceArgs(host: HostLayout): string[] {
  const common = ['--die-with-parent', '--new-session', '--hostname', 'rlvr-sandbox'];
  if (!host.rootDrop) return ['--unshare-all', ...common];
  return ['--userns', String(host.rootDrop.userNsFd), '--unshare-pid', '--unshare-net', '--unshare-ipc',
    '--unshare-uts', '--unshare-cgroup-try', '--cap-add', 'CAP_SETUID', '--cap-add', 'CAP_SETGID',
    '--cap-add', 'CAP_DAC_READ_SEARCH', ...common];
}

function dropArgs(host: HostLayout): string[] {
  if (!host.rootDrop) return [];
  const { uid, gid } = host.rootDrop;
  // Keeps only CAP_DAC_READ_SEARCH, which inside this namespace covers files owned by root (the one
  // mapped owner): root's workspaces are often 0700, and only bound paths are visible anyway. It
  // grants no writes, and open_by_handle_at needs it in the initial namespace, not this one.
  const read = 'dac_read_search';
  return [host.setpriv, `--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', `--inh-caps=-all,+${read}`,
    `--ambient-caps=+${read}`, `--bounding-set=-all,+${read}`, '--no-new-privs', '--'];
}

function systemMounts(host: HostLayout, tmpfsBytes: number): string[] {
  const args = ['--ro-bind', '/usr', '/usr'];
  for (const entry of host.rootEntries) {
    const path = `/${entry.name}`;
    if (entry.symlinkTarget !== undefined) args.push('--symlink', entry.symlinkTarget, path);
    else args.push('--ro-bind', path, path);
  }
  // The linker cache finds libraries in /usr/local/lib; nothing else from /etc is needed by Python.
  args.push('--ro-bind-try', '/etc/ld.so.cache', '/etc/ld.so.cache');
  args.push('--proc', '/proc', '--dev', '/dev', '--perms', '01777', '--size', String(tmpfsBytes), '--tmpfs', '/tmp');
  return args;
}

/** Same-path read-only binds; parents are created world-traversable (bwrap would make them 0700). */
function userMounts(spec: SandboxSpec): string[] {
  const args: string[] = [];
  const created = new Set<string>(['/', '/tmp', '/usr', '/proc', '/dev']);
  const bound: string[] = ['/usr'];
  const bind = (hostPath: string, sandboxPath: string, always: boolean): void => {
    if (!always && bound.some((b) => isInside(sandboxPath, b))) return;
    for (const dir of ancestors(sandboxPath)) {
      if (created.has(dir) || bound.some((b) => isInside(dir, b))) continue;
      args.push('--perms', '0755', '--dir', dir);
      created.add(dir);
    }
    args.push('--ro-bind', hostPath, sandboxPath);
    bound.push(sandboxPath);
  };
  for (const path of dedupeNested(spec.readOnlyPaths ?? [])) bind(path, path, false);
  bind(spec.workspace, spec.workspace, true);
  for (const overlay of spec.overlays ?? []) bind(overlay.hostPath, overlay.sandboxPath, true);
  return args;
}

function envArgs(spec: SandboxSpec): string[] {
  const env = { ...baseEnv(), ...spec.env };
  return Object.entries(env).flatMap(([k, v]) => ['--setenv', k, v]);
}

export function isInside(path: string, dir: string): boolean {
  return path === dir || path.startsWith(dir.endsWith('/') ? dir : `${dir}/`);
}

/** "/a/b/c" → ["/a", "/a/b"] (not the path itself). */
function ancestors(path: string): string[] {
  const out: string[] = [];
  for (let dir = dirname(path); dir !== '/' && dir !== '.'; dir = dirname(dir)) out.unshift(dir);
  return out;
}

/** Drops paths inside other listed paths: one bind of the outer directory covers them. */
export function dedupeNested(paths: string[]): string[] {
  const normalized = [...new Set(paths.map((p) => posix.normalize(p)))].sort((a, b) => a.length - b.length);
  return normalized.filter((p, i) => !normalized.slice(0, i).some((outer) => isInside(p, outer)));
}
