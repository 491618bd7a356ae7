import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { NdjsonServer, ServerFailure, type ServerProcess } from '../../src/trainer/verifier/server';

type FakeProcess = ServerProcess & { stdout: PassThrough; stderr: PassThrough; written: string[]; killed: boolean; exit: (code: number) => void };

function fakeProcess(): FakeProcess {
  const stdin = new PassThrough();
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let exit!: (code: number) => void;
  const exited = new Promise<{ code: number | null; signal: string | null }>((resolve) => { exit = (code) => resolve({ code, signal: null }); });
  const proc: FakeProcess = {
    stdin, stdout, stderr, exited, written: [] as string[], killed: false, exit,
    kill() { proc.killed = true; exit(137); },
  };
  stdin.on('data', (chunk: Buffer) => proc.written.push(chunk.toString()));
  return proc;
}

const ready = '{"type":"ready","tests":3,"collect_seconds":0.2}\n';
const request = { id: 7, file: 'm.py', symbol: 'f', candidate: 'def f(): pass', tests: ['t::a'], sentinel: 'test_s', timeout_s: 1,
  limits: { memory_bytes: 1, cpu_seconds: 1, nproc: 1, fsize_bytes: 1 } };

test('waits for ready, then pairs a reply with its request', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write(ready);
  const { server, ready: r } = await starting;
  assert.equal(r.tests, 3);
  const pending = server.request(request, 1000);
  await new Promise((res) => setImmediate(res));
  assert.deepEqual(JSON.parse(proc.written.join('')), request);
  proc.stdout.write('{"id":7,"status":"ok","tests":[{"id":"t::a","outcome":"passed","duration":0.1,"message":""}],');
  proc.stdout.write('"flags":[],"seconds":0.2}\n');
  const reply = await pending;
  assert.equal(reply.tests[0]?.outcome, 'passed');
});

test('a start without a ready line fails with the server stderr', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stderr.write('ImportError: no module named conftest_dep\n');
  proc.exit(1);
  await assert.rejects(starting, (e: unknown) => e instanceof ServerFailure && e.kind === 'start' && e.message.includes('conftest_dep'));
});

test('no reply by the deadline → hung, and the process is killed', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write(ready);
  const { server } = await starting;
  await assert.rejects(server.request(request, 30), (e: unknown) => e instanceof ServerFailure && e.kind === 'hung');
  assert.equal(proc.killed, true);
});

test('a reply for another id, junk, or a line out of turn is a protocol failure', async () => {
  for (const line of ['{"id":8,"status":"ok","tests":[],"flags":[],"seconds":0}\n', 'N passed\n', '{"id":7,"status":"great"}\n']) {
    const proc = fakeProcess();
    const starting = NdjsonServer.start('/ws', proc, 1000);
    proc.stdout.write(ready);
    const { server } = await starting;
    const pending = server.request(request, 1000);
    proc.stdout.write(line);
    await assert.rejects(pending, (e: unknown) => e instanceof ServerFailure && e.kind === 'protocol', line);
    assert.equal(proc.killed, true);
  }
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write(ready);
  const { server } = await starting;
  proc.stdout.write('{"id":1,"status":"ok","tests":[],"flags":[],"seconds":0}\n'); // nobody asked
  await assert.rejects(server.request(request, 1000), (e: unknown) => e instanceof ServerFailure && e.kind === 'protocol');
});

test('an exit while a request is in flight → exited', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write(ready);
  const { server } = await starting;
  const pending = server.request(request, 1000);
  proc.exit(0);
  await assert.rejects(pending, (e: unknown) => e instanceof ServerFailure && e.kind === 'exited');
});

test('a request the server refuses (our bug) is an RlvrError, and the server keeps serving', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write(ready);
  const { server } = await starting;
  const refused = server.request(request, 1000);
  proc.stdout.write('{"type":"error","id":7,"message":"unknown test id t::a"}\n');
  await assert.rejects(refused, (e: unknown) => e instanceof RlvrError && e.code === 'verifier_request_error' && e.message.includes('unknown test id'));
  assert.equal(proc.killed, false);
  const next = server.request({ ...request, id: 8 }, 1000);
  proc.stdout.write('{"type":"result","id":8,"status":"rejected","tests":[],"flags":[{"code":"parse_error","message":"x"}],"seconds":0}\n');
  assert.equal((await next).status, 'rejected');
});

test('a fatal first line fails the start with its message', async () => {
  const proc = fakeProcess();
  const starting = NdjsonServer.start('/ws', proc, 1000);
  proc.stdout.write('{"type":"fatal","message":"ERROR: usage: unrecognized arguments: --bogus"}\n');
  await assert.rejects(starting, (e: unknown) => e instanceof ServerFailure && e.kind === 'start' && e.message.includes('unrecognized arguments'));
});
