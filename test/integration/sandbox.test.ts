/** The real sandbox on this machine: what a command inside can and cannot do. */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { describeInterpreter, interpreterReadOnlyPaths, resolveTestInterpreter, type InterpreterInfo } from '../../src/trainer/python-env';
import { checkSandboxSupport, runSandboxed, type SandboxSpec } from '../../src/trainer/sandbox';

let info: InterpreterInfo;
let ws: string;
before(async () => {
  info = await describeInterpreter(resolveTestInterpreter({ workspace: '/nonexistent' }).path);
  ws = mkdtempSync(join(tmpdir(), 'rlvr-sandbox-ws-'));
  writeFileSync(join(ws, 'data.txt'), 'original\n');
});
after(() => rmSync(ws, { recursive: true, force: true }));

const py = (code: string, over: Partial<SandboxSpec> = {}): SandboxSpec => ({
  workspace: ws, readOnlyPaths: interpreterReadOnlyPaths(info), command: [info.executable, '-c', code], wallTimeoutMs: 20_000,
  limits: { memoryBytes: 1 << 30, cpuSeconds: 10, nproc: 32, fsizeBytes: 1 << 20, nofile: 128 }, ...over,
});

test('the sandbox is available here', async () => {
  assert.deepEqual(await checkSandboxSupport(), { ok: true });
});

test('workspace is read-only at its own path, /tmp is private and writable, env is minimal', async () => {
  const r = await runSandboxed(py(`
import os, json
out = {"cwd": os.getcwd(), "data": open("data.txt").read(), "env": sorted(os.environ)}
try:
    open("data.txt", "w").write("changed"); out["ws_write"] = "ok"
except OSError as e: out["ws_write"] = e.errno
open("/tmp/x", "w").write("scratch"); out["tmp"] = open("/tmp/x").read()
print(json.dumps(out))`));
  assert.equal(r.code, 0, r.stderr);
  const out = JSON.parse(r.stdout) as { cwd: string; data: string; env: string[]; ws_write: unknown; tmp: string };
  assert.equal(out.cwd, ws);
  assert.equal(out.data, 'original\n');
  assert.equal(out.ws_write, 30, 'EROFS');
  assert.equal(out.tmp, 'scratch');
  assert.ok(!out.env.includes('SSH_AUTH_SOCK') && out.env.includes('HOME'), out.env.join(','));
  assert.ok(!existsSync(join(ws, 'x')));
});

test('no network but loopback, no capabilities, host home invisible', async () => {
  const r = await runSandboxed(py(`
import os, socket
print(sorted(os.listdir("/sys/class/net")) if os.path.exists("/sys/class/net") else "no-sys")
try:
    socket.create_connection(("1.1.1.1", 80), timeout=2); print("connected")
except OSError as e: print("net-error", e.errno)
print(open("/proc/self/status").read().split("CapEff:")[1].split()[0])
print(os.path.exists(os.path.expanduser("~root/.ssh")), os.path.exists("/etc/passwd"))`));
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stdout.trim().split('\n');
  assert.match(lines[1] ?? '', /^net-error/);
  // None, or (as root) only CAP_DAC_READ_SEARCH (bit 2), to read root's 0700 workspaces.
  assert.ok(['0000000000000000', '0000000000000004'].includes(lines[2] ?? ''), `CapEff ${lines[2]}`);
  assert.equal(lines[3], 'False False');
});

test('the wall timeout kills the whole tree, setsid daemons included', async () => {
  const marker = `rlvr-daemon-${process.pid}-${Date.now()}`;
  const r = await runSandboxed(py(`
import os, time, subprocess
subprocess.Popen(["/bin/sh", "-c", "trap '' TERM; exec -a ${marker} sleep 300"], start_new_session=True)
time.sleep(300)`, { wallTimeoutMs: 1500 }));
  assert.equal(r.timedOut, true);
  await new Promise((res) => setTimeout(res, 200));
  const survivors = readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try { return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(marker); } catch { return false; }
  });
  assert.deepEqual(survivors, []);
});

test('process count is capped inside the sandbox (also when we run as root)', async () => {
  const r = await runSandboxed(py(`
import os, time
n = 0
for _ in range(200):
    try: pid = os.fork()
    except OSError: break
    if pid == 0: time.sleep(5); os._exit(0)
    n += 1
print(n)`, { wallTimeoutMs: 15_000 }));
  const n = Number(r.stdout.trim());
  assert.ok(n > 0 && n < 32, `forked ${n} children with nproc=32 (stderr: ${r.stderr})`);
});

test('memory and file-size limits hold', async () => {
  const r = await runSandboxed(py(`
try:
    b = bytearray(2 * 1024 ** 3); print("allocated")
except MemoryError: print("MemoryError")
try:
    open("/tmp/big", "wb").write(b"x" * (2 << 20)); print("wrote")
except OSError as e: print("fsize", e.errno)`));
  assert.deepEqual(r.stdout.trim().split('\n'), ['MemoryError', 'fsize 27']);
});
