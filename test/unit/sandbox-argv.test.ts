import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildSandboxArgv, type HostLayout } from '../../src/trainer/sandbox/argv';
import type { SandboxSpec } from '../../src/trainer/sandbox/types';
import { classifyFailure } from '../../src/trainer/sandbox/support';

const host: HostLayout = {
  bwrap: '/usr/bin/bwrap', prlimit: '/usr/bin/prlimit', setpriv: '/usr/bin/setpriv',
  rootEntries: [{ name: 'bin', symlinkTarget: 'usr/bin' }, { name: 'lib', symlinkTarget: 'usr/lib' }, { name: 'sbin' }],
};
const spec = (over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  workspace: '/home/u/proj', command: ['/v/bin/python', '-m', 'pytest'], wallTimeoutMs: 5000,
  limits: { memoryBytes: 1 << 30, cpuSeconds: 2, nproc: 64, fsizeBytes: 1 << 26, nofile: 256 },
  readOnlyPaths: ['/v', '/v/lib/python3.11/site-packages', '/usr/lib/python3'], ...over,
});

/** The value(s) after each occurrence of a flag. */
function after(args: string[], flag: string, n = 1): string[][] {
  return args.flatMap((a, i) => (a === flag ? [args.slice(i + 1, i + 1 + n)] : []));
}

test('per-process limits go on the outside, nproc inside the namespace', () => {
  const { file, args } = buildSandboxArgv(spec(), host);
  assert.equal(file, '/usr/bin/prlimit');
  const sep = args.indexOf('--');
  assert.deepEqual(args.slice(0, sep), [`--as=${1 << 30}`, '--cpu=2', `--fsize=${1 << 26}`, '--nofile=256', '--core=0']);
  assert.equal(args[sep + 1], '/usr/bin/bwrap');
  const inner = args.slice(args.lastIndexOf('/usr/bin/prlimit'));
  assert.deepEqual(inner, ['/usr/bin/prlimit', '--nproc=64', '--', '/v/bin/python', '-m', 'pytest']);
});

test('namespaces, private /tmp with a size, and a cleared environment', () => {
  const { args } = buildSandboxArgv(spec({ tmpfsBytes: 1000 }), host);
  for (const flag of ['--unshare-all', '--die-with-parent', '--new-session', '--clearenv']) assert.ok(args.includes(flag), flag);
  const tmp = args.indexOf('--tmpfs');
  assert.deepEqual(args.slice(tmp - 4, tmp + 2), ['--perms', '01777', '--size', '1000', '--tmpfs', '/tmp']);
  const env = Object.fromEntries(after(args, '--setenv', 2).map(([k, v]) => [k, v]));
  assert.equal(env.HOME, '/tmp');
  assert.equal(env.PYTHONDONTWRITEBYTECODE, '1');
  assert.ok(!('SSH_AUTH_SOCK' in env));
  assert.ok(!args.includes('--share-net'));
});

test('system dirs mirror the host: symlinks stay symlinks, real dirs are bound read-only', () => {
  const { args } = buildSandboxArgv(spec(), host);
  assert.deepEqual(after(args, '--symlink', 2), [['usr/bin', '/bin'], ['usr/lib', '/lib']]);
  assert.ok(after(args, '--ro-bind', 2).some(([a, b]) => a === '/sbin' && b === '/sbin'));
  assert.ok(!after(args, '--bind', 2).length, 'nothing is bound writable');
});

test('workspace and interpreter are bound read-only at their own paths; nested paths bound once', () => {
  const { args } = buildSandboxArgv(spec({ overlays: [{ hostPath: '/tmp/cand.py', sandboxPath: '/home/u/proj/pkg/mod.py' }] }), host);
  const binds = after(args, '--ro-bind', 2).map(([a, b]) => `${a}->${b}`);
  assert.ok(binds.includes('/v->/v'));
  assert.ok(!binds.some((b) => b.startsWith('/v/lib')), 'inside /v: covered by the /v bind');
  assert.ok(!binds.some((b) => b.startsWith('/usr/lib/python3')), 'inside /usr: covered');
  assert.ok(binds.includes('/home/u/proj->/home/u/proj'));
  assert.ok(binds.indexOf('/tmp/cand.py->/home/u/proj/pkg/mod.py') > binds.indexOf('/home/u/proj->/home/u/proj'), 'overlay after workspace');
  assert.deepEqual(after(args, '--dir').map(([d]) => d), ['/home', '/home/u']);
  assert.deepEqual(after(args, '--chdir'), [['/home/u/proj']]);
});

test('as root: join the mapped namespace and drop to an unprivileged uid without capabilities', () => {
  const { args } = buildSandboxArgv(spec(), { ...host, rootDrop: { userNsFd: 3, uid: 65534, gid: 65534 } });
  assert.deepEqual(after(args, '--userns'), [['3']]);
  assert.ok(!args.includes('--unshare-all'), '--unshare-all would imply --unshare-user, which --userns forbids');
  assert.ok(args.includes('--unshare-net') && args.includes('--unshare-pid'));
  const setpriv = args.indexOf('/usr/bin/setpriv');
  assert.ok(setpriv > 0);
  assert.deepEqual(args.slice(setpriv + 1, setpriv + 9),
    ['--reuid=65534', '--regid=65534', '--clear-groups', '--inh-caps=-all,+dac_read_search',
      '--ambient-caps=+dac_read_search', '--bounding-set=-all,+dac_read_search', '--no-new-privs', '--']);
});

test('unsafe mode: rlimits only, no bwrap, no nproc (it would count all the user\'s processes)', () => {
  const { file, args } = buildSandboxArgv(spec({ unsafeNoSandbox: true }), host);
  assert.equal(file, '/usr/bin/prlimit');
  assert.ok(!args.includes('/usr/bin/bwrap'));
  assert.ok(!args.some((a) => a.startsWith('--nproc')));
  assert.deepEqual(args.slice(args.indexOf('--') + 1), ['/v/bin/python', '-m', 'pytest']);
});

test('classifyFailure recognises the AppArmor restriction and disabled user namespaces', () => {
  const apparmorOn = (p: string): string | null => (p.endsWith('apparmor_restrict_unprivileged_userns') ? '1\n' : null);
  const a = classifyFailure('bwrap: setting up uid map: Permission denied\n', false, apparmorOn);
  assert.ok(!a.ok && a.fix.includes('apparmor_parser') && a.fix.includes('apparmor_restrict_unprivileged_userns=0'));
  const b = classifyFailure('bwrap: Creating new namespace failed: No space left on device', false, () => null);
  assert.ok(!b.ok && b.fix.includes('max_user_namespaces'));
  const c = classifyFailure('bwrap: something else', false, () => null);
  assert.ok(!c.ok && c.reason.includes('something else'));
});
