import assert from 'node:assert/strict';
import { test } from 'node:test';
import { VerifierPool, type PoolJob } from '../../src/trainer/verifier/pool';
import type { ServeReply, ServeRequest } from '../../src/trainer/verifier/protocol';
import { ServerFailure, type ServerFactory, type VerifierServer } from '../../src/trainer/verifier/server';

type Behaviour = 'ok' | 'crash' | 'hang' | 'slow';

/** A fake server: the candidate text says how it behaves ("ok", "crash", "hang", "slow"). */
class FakeServer implements VerifierServer {
  killed = false;
  served: string[] = [];
  private pending: (() => void) | null = null;
  constructor(readonly workspace: string, readonly serial: number, private readonly gate?: Promise<void>) {}

  async request(request: ServeRequest, deadlineMs: number): Promise<ServeReply> {
    if (this.killed) throw new ServerFailure('exited', 'already dead');
    const behaviour = request.candidate.split(':')[0] as Behaviour;
    this.served.push(request.candidate);
    if (this.gate) await this.gate;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => { this.kill(); reject(new ServerFailure('hung', `no reply in ${deadlineMs} ms`)); }, deadlineMs);
      this.pending = () => { clearTimeout(timer); reject(new ServerFailure('exited', 'killed')); };
      const answer = (): void => {
        clearTimeout(timer);
        this.pending = null;
        if (behaviour === 'crash') { this.killed = true; reject(new ServerFailure('exited', `server ${this.serial} died`)); return; }
        resolve({ id: request.id, status: 'ok', tests: [], flags: [], seconds: 0.01 });
      };
      if (behaviour === 'hang') return;
      setTimeout(answer, behaviour === 'slow' ? 30 : 1);
    });
  }

  kill(): void {
    this.killed = true;
    this.pending?.();
    this.pending = null;
  }
}

function fakeFactory(gate?: Promise<void>): { factory: ServerFactory; servers: FakeServer[] } {
  const servers: FakeServer[] = [];
  const factory: ServerFactory = async (workspace) => {
    const server = new FakeServer(workspace, servers.length, gate);
    servers.push(server);
    return server;
  };
  return { factory, servers };
}

const job = (candidate: string, over: Partial<PoolJob> = {}): PoolJob => ({
  workspace: '/ws',
  request: { file: 'm.py', symbol: 'f', candidate, tests: ['t::a'], sentinel: 'test_s', timeout_s: 1, limits: { memory_bytes: 1, cpu_seconds: 1, nproc: 1, fsize_bytes: 1 } },
  deadlineMs: 200,
  ...over,
});

test('servers start lazily and are reused', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 2, factory });
  assert.equal(servers.length, 0);
  for (let i = 0; i < 5; i++) assert.equal((await pool.run(job('ok'))).kind, 'reply');
  assert.equal(servers.length, 1, 'sequential jobs reuse one warm server');
  await pool.close();
  assert.ok(servers.every((s) => s.killed));
});

test('back-pressure: submit waits while the queue is full', async () => {
  let open!: () => void;
  const gate = new Promise<void>((resolve) => { open = resolve; });
  const { factory } = fakeFactory(gate);
  const pool = new VerifierPool({ size: 1, factory, queueLimit: 2 });
  const t1 = await pool.submit(job('ok:1')); // runs (blocked on the gate)
  await new Promise((r) => setImmediate(r));
  await pool.submit(job('ok:2'));
  await pool.submit(job('ok:3')); // queue now full (2)
  let fourthQueued = false;
  const fourth = pool.submit(job('ok:4')).then((t) => { fourthQueued = true; return t; });
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(fourthQueued, false, 'submit must wait for space');
  assert.deepEqual([pool.stats().running, pool.stats().queued], [1, 2]);
  open();
  await t1.result;
  await (await fourth).result;
  assert.equal(fourthQueued, true);
  await pool.close();
});

test('a crashed server is replaced and its job retried once on the fresh server', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 1, factory });
  // The fake crashes on every "crash" candidate, so the retry crashes too → reported as crashed.
  const outcome = await pool.run(job('crash'));
  assert.equal(outcome.kind, 'crashed');
  assert.ok(outcome.kind === 'crashed' && outcome.attempts === 2 && outcome.message.includes('died'));
  assert.equal(servers.length, 2, 'one fresh server for the retry');
  assert.deepEqual(servers.map((s) => s.served), [['crash'], ['crash']]);
  assert.equal((await pool.run(job('ok'))).kind, 'reply', 'the pool keeps serving afterwards');
  assert.equal(pool.stats().serversReplaced, 2);
  await pool.close();
});

test('a crash that does not repeat: the retry succeeds', async () => {
  let first = true;
  const servers: FakeServer[] = [];
  const factory: ServerFactory = async (ws) => {
    const s = new FakeServer(ws, servers.length);
    if (first) { first = false; s.request = async () => { s.killed = true; throw new ServerFailure('exited', 'flaky'); }; }
    servers.push(s);
    return s;
  };
  const pool = new VerifierPool({ size: 1, factory });
  const outcome = await pool.run(job('ok'));
  assert.ok(outcome.kind === 'reply' && outcome.attempts === 2);
  await pool.close();
});

test('a hung server is killed at the deadline; queued work survives', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 1, factory });
  const hung = await pool.submit(job('hang', { deadlineMs: 50 }));
  const queued = await Promise.all(['ok:a', 'ok:b', 'ok:c'].map((c) => pool.submit(job(c))));
  assert.equal((await hung.result).kind, 'crashed');
  for (const t of queued) assert.equal((await t.result).kind, 'reply');
  assert.ok(servers[0]?.killed && servers[1]?.killed, 'both hung servers were killed');
  assert.deepEqual(servers[2]?.served, ['ok:a', 'ok:b', 'ok:c']);
  await pool.close();
});

test('cancel: a queued job is dropped, a running job kills its server', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 1, factory });
  const running = new AbortController();
  const queued = new AbortController();
  const t1 = await pool.submit(job('hang', { deadlineMs: 10_000, signal: running.signal }));
  const t2 = await pool.submit(job('ok:queued', { signal: queued.signal }));
  queued.abort();
  assert.deepEqual(await t2.result, { kind: 'cancelled' });
  await new Promise((r) => setImmediate(r));
  running.abort();
  assert.deepEqual(await t1.result, { kind: 'cancelled' });
  assert.equal(servers[0]?.killed, true);
  assert.equal((await pool.run(job('ok'))).kind, 'reply');
  assert.ok(!servers.flatMap((s) => s.served).includes('ok:queued'), 'the cancelled job never ran');
  await pool.close();
});

test('a slot replaces its server when a job is for another workspace', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 1, factory });
  await pool.run(job('ok'));
  await pool.run(job('ok', { workspace: '/other' }));
  assert.deepEqual(servers.map((s) => [s.workspace, s.killed]), [['/ws', true], ['/other', false]]);
  await pool.close();
});

test('N slots run N jobs at once', async () => {
  const { factory, servers } = fakeFactory();
  const pool = new VerifierPool({ size: 3, factory, queueLimit: 10 });
  const tickets = await Promise.all(Array.from({ length: 9 }, (_, i) => pool.submit(job(`slow:${i}`))));
  await new Promise((r) => setTimeout(r, 5));
  assert.equal(pool.stats().running, 3);
  await Promise.all(tickets.map((t) => t.result));
  assert.equal(servers.length, 3);
  assert.equal(servers.reduce((n, s) => n + s.served.length, 0), 9);
  await pool.close();
});

test('close cancels queued jobs and rejects later submits', async () => {
  const { factory } = fakeFactory();
  const pool = new VerifierPool({ size: 1, factory });
  const running = await pool.submit(job('hang', { deadlineMs: 10_000 }));
  const queued = await pool.submit(job('ok'));
  await new Promise((r) => setImmediate(r));
  await pool.close();
  assert.deepEqual(await queued.result, { kind: 'cancelled' });
  assert.deepEqual(await running.result, { kind: 'cancelled' });
  await assert.rejects(pool.submit(job('ok')), /closed/);
});
