/**
 * Only when we run as root: a user namespace mapping 0→0 (so bwrap can set up mounts) and
 * `uid`→`uid` (the unprivileged identity the command is dropped to). bwrap joins it with
 * `--userns FD`. A `sleep` process holds the namespace until bwrap has joined; `close()` ends it.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync, readlinkSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { RlvrError } from '../errors';

/** `nobody`: the conventional identity that owns nothing. */
export const SANDBOX_UID = 65534;
export const SANDBOX_GID = 65534;

export interface DropNamespace {
  fd: number;
  close(): void;
}

const WAIT_STEPS = 500;

export async function openDropNamespace(unshare: string, uid = SANDBOX_UID, gid = SANDBOX_GID): Promise<DropNamespace> {
  const holder = spawn(unshare, ['--user', '--', 'sleep', 'infinity'], { stdio: 'ignore' });
  const pid = holder.pid;
  const fail = (why: string): never => {
    holder.kill('SIGKILL');
    throw new RlvrError(`could not create the sandbox's user namespace as root: ${why}`, 'sandbox_unavailable',
      'run RLVR Studio as a normal user, or check that user namespaces are enabled (`sysctl user.max_user_namespaces`)');
  };
  if (pid === undefined) return fail(`\`${unshare}\` did not start`);
  const own = readlinkSync('/proc/self/ns/user');
  let entered = false;
  for (let i = 0; i < WAIT_STEPS && !entered && holder.exitCode === null; i++) {
    try {
      entered = readlinkSync(`/proc/${pid}/ns/user`) !== own;
    } catch {
      // not started yet
    }
    if (!entered) await sleep(2);
  }
  if (!entered) return fail(`\`${unshare} --user\` did not enter a new namespace`);
  try {
    writeFileSync(`/proc/${pid}/uid_map`, `0 0 1\n${uid} ${uid} 1\n`);
    writeFileSync(`/proc/${pid}/gid_map`, `0 0 1\n${gid} ${gid} 1\n`);
    const fd = openSync(`/proc/${pid}/ns/user`, 'r');
    return { fd, close: () => { closeSync(fd); holder.kill('SIGKILL'); } };
  } catch (error) {
    return fail(error instanceof Error ? error.message : String(error));
  }
}
