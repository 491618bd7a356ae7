/**
 * Child processes that must not outlive a test: code-server starts an extension host, which starts
 * the rlvr CLI, which starts the Python worker and sandboxes. Some of those start new sessions, so
 * killing a process group is not enough; `killTree` walks /proc for every descendant.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { openSync, closeSync, readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';

/** Starts `command` in its own process group with stdout and stderr appended to `logFile`. */
export function spawnLogged(command: string, args: readonly string[], logFile: string, env: NodeJS.ProcessEnv, cwd?: string): ChildProcess {
  const fd = openSync(logFile, 'a');
  try {
    return spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
  } finally {
    closeSync(fd);
  }
}

/** pid → parent pid for every process we can read in /proc. */
function parentTable(): Map<number, number> {
  const parents = new Map<number, number>();
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      // The command name is in parentheses and may contain spaces; the fields after it are fixed.
      const stat = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      parents.set(Number(name), Number(fields[1]));
    } catch {
      // The process exited while we listed it.
    }
  }
  return parents;
}

export function descendants(root: number): number[] {
  const parents = parentTable();
  const found: number[] = [];
  const frontier = [root];
  while (frontier.length > 0) {
    const parent = frontier.pop() as number;
    for (const [pid, ppid] of parents) {
      if (ppid === parent && !found.includes(pid)) {
        found.push(pid);
        frontier.push(pid);
      }
    }
  }
  return found;
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Already gone.
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/**
 * SIGTERM to `root`, its group and every descendant; SIGKILL whatever is left after `graceMs`.
 * Synchronous variant for process 'exit' handlers: `killTreeNow`.
 */
export async function killTree(root: number, graceMs = 3000): Promise<void> {
  const pids = [root, ...descendants(root)];
  signal(-root, 'SIGTERM');
  for (const pid of pids) signal(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && pids.some(alive)) await new Promise((r) => setTimeout(r, 100));
  killTreeNow(root, pids);
}

export function killTreeNow(root: number, known: readonly number[] = []): void {
  const pids = new Set([root, ...known, ...descendants(root)]);
  signal(-root, 'SIGKILL');
  for (const pid of pids) signal(pid, 'SIGKILL');
}

/** A TCP port on 127.0.0.1 that was free a moment ago. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolvePort(port));
    });
  });
}
