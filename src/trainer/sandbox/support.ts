/**
 * Can this machine sandbox candidates? Runs `true` in the same sandbox the verifier uses and turns
 * known failures into a reason and a fix. Never falls back to running unsandboxed by itself.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RlvrError } from '../errors';
import { detectHost, INSTALL_BWRAP, type HostTools } from './host';
import { runSandboxed } from './spawn';
import type { SandboxSupport } from './types';

export const APPARMOR_FIX = [
  'Ubuntu 23.10 and later restrict unprivileged user namespaces with AppArmor. Allow bubblewrap',
  'with a profile: write /etc/apparmor.d/bwrap containing',
  '  abi <abi/4.0>,',
  '  include <tunables/global>',
  '  profile bwrap /usr/bin/bwrap flags=(unconfined) {',
  '    userns,',
  '    include if exists <local/bwrap>',
  '  }',
  'then run `sudo apparmor_parser -r /etc/apparmor.d/bwrap`. (Or, machine-wide and less strict:',
  '`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0`.)',
].join('\n');

const USERNS_DISABLED_FIX = 'enable unprivileged user namespaces: `sudo sysctl -w user.max_user_namespaces=15000` '
  + '(Debian before 11 also: `sudo sysctl -w kernel.unprivileged_userns_clone=1`)';

export interface SupportOptions {
  host?: HostTools;
  /** Reads a /proc/sys file; injectable for tests. */
  readSysctl?: (path: string) => string | null;
}

export async function checkSandboxSupport(options: SupportOptions = {}): Promise<SandboxSupport> {
  const host = options.host ?? detectHost();
  if (!host.bwrap) return { ok: false, reason: 'bubblewrap (bwrap) is not installed', fix: INSTALL_BWRAP };
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-sandbox-check-'));
  try {
    const result = await runSandboxed({
      workspace: scratch, command: ['/bin/true'], wallTimeoutMs: 15_000,
      limits: { memoryBytes: 512 * 1024 * 1024, cpuSeconds: 5, nproc: 16, fsizeBytes: 1024 * 1024, nofile: 64 },
    }, '', { host });
    if (result.code === 0) return { ok: true };
    return classifyFailure(result.stderr, result.timedOut, options.readSysctl ?? readSysctl);
  } catch (error) {
    if (error instanceof RlvrError) return { ok: false, reason: error.message, fix: error.hint ?? '' };
    throw error;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** Turns bwrap's error text into an explanation. Exported for tests. */
export function classifyFailure(stderr: string, timedOut: boolean, sysctl: (path: string) => string | null): SandboxSupport {
  const text = stderr.trim();
  if (timedOut) return { ok: false, reason: 'a trivial sandboxed command did not finish within 15 s', fix: 'check the machine load and retry' };
  const apparmor = sysctl('/proc/sys/kernel/apparmor_restrict_unprivileged_userns')?.trim() === '1';
  if (/setting up uid map: Permission denied|uid map|Operation not permitted/i.test(text) && apparmor) {
    return { ok: false, reason: `bubblewrap cannot create a user namespace (AppArmor restriction): ${text}`, fix: APPARMOR_FIX };
  }
  if (/No space left on device|Creating new namespace failed/i.test(text)) {
    return { ok: false, reason: `bubblewrap cannot create namespaces: ${text}`, fix: USERNS_DISABLED_FIX };
  }
  if (/uid map|Permission denied/i.test(text)) {
    return { ok: false, reason: `bubblewrap cannot create a user namespace: ${text}`, fix: `${USERNS_DISABLED_FIX}; on Ubuntu ≥ 23.10:\n${APPARMOR_FIX}` };
  }
  return { ok: false, reason: `a trivial sandboxed command failed: ${text || 'no error output'}`, fix: 'run `bwrap --ro-bind / / true` by hand to see the problem' };
}

function readSysctl(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/** For callers that must stop when the sandbox is unavailable: throws the reason and fix as an RlvrError. */
export async function requireSandboxSupport(options: SupportOptions = {}): Promise<void> {
  const support = await checkSandboxSupport(options);
  if (!support.ok) throw new RlvrError(support.reason, 'sandbox_unavailable', `${support.fix}\n(or, knowingly, --unsafe-no-sandbox)`);
}
