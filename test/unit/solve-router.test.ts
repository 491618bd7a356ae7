// The solve panel's host side: the message guard, the ready handshake with the state replayed,
// and decisions reaching the controller only for the solve on screen.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SolveRouter, type SolveDecision } from '../../src/extension/core/routers/solve-router';
import { parseSolveMessage, WEBVIEW_PROTOCOL_VERSION, type HostToSolve } from '../../src/shared/webview-messages';

const task = { taskId: 't1', symbol: 'clamp', file: 'a.py', line: 3, language: 'python' as const };
const model = { label: 'm', dir: '/m', provider: null };

/** The state an `init` carried (throws on another message, so a wrong type fails the test). */
function initState(message: HostToSolve | undefined) {
  if (message?.type !== 'init') throw new Error(`expected init, got ${JSON.stringify(message)}`);
  return message.state;
}

function router(decide: (d: SolveDecision, id: number) => void | Promise<void> = () => undefined) {
  const posted: HostToSolve[] = [];
  const logs: string[] = [];
  const r = new SolveRouter({ post: (m) => posted.push(m), decide, log: (l) => logs.push(l) });
  return { r, posted, logs };
}

test('parseSolveMessage accepts the five messages and rejects bad ids, unknown types and extras', () => {
  assert.deepEqual(parseSolveMessage({ type: 'accept', solveId: 4, code: 'rm -rf /' }), { ok: true, message: { type: 'accept', solveId: 4 } }, 'unknown fields are dropped');
  for (const type of ['cancel', 'showDiff', 'discard'] as const) assert.equal(parseSolveMessage({ type, solveId: 1 }).ok, true);
  assert.equal(parseSolveMessage({ type: 'ready', version: 1 }).ok, true);
  for (const bad of [{ type: 'accept' }, { type: 'accept', solveId: 0 }, { type: 'accept', solveId: 1.5 }, { type: 'accept', solveId: '1' },
    { type: 'writeFile', solveId: 1 }, { solveId: 1 }, null, 'accept']) {
    const parsed = parseSolveMessage(bad);
    assert.equal(parsed.ok, false, JSON.stringify(bad));
  }
  const unknown = parseSolveMessage({ type: '<img src=x onerror=alert(1)>' });
  assert.match(unknown.ok ? '' : unknown.error, /unknown message type/);
});

test('nothing is posted before ready; ready gets the whole state so far, then events follow', async () => {
  const { r, posted } = router();
  r.emit({ type: 'session', solveId: 1, task, model, prompt: 'p' });
  r.emit({ type: 'delta', solveId: 1, text: '<think>hi' });
  assert.deepEqual(posted, []);
  await r.receive({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
  assert.equal(posted.length, 1);
  assert.equal(initState(posted[0])?.text, '<think>hi');
  r.emit({ type: 'delta', solveId: 1, text: ' there' });
  assert.deepEqual(posted.at(-1), { type: 'delta', solveId: 1, text: ' there' });
  r.detached();
  r.emit({ type: 'delta', solveId: 1, text: '!' });
  assert.equal(posted.length, 2, 'a hidden webview gets nothing');
  await r.receive({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
  assert.equal(initState(posted.at(-1))?.text, '<think>hi there!', 'a rebuilt webview gets everything back');
});

test('a ready from another protocol version gets an error, not the state', async () => {
  const { r, posted } = router();
  r.emit({ type: 'session', solveId: 1, task, model, prompt: 'p' });
  await r.receive({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION + 1 });
  assert.equal(posted.length, 1);
  assert.equal(posted[0]?.type, 'error');
});

test('decisions reach the controller only for the solve on screen; a failing one shows its error', async () => {
  const seen: [SolveDecision, number][] = [];
  const { r, posted, logs } = router(async (d, id) => {
    seen.push([d, id]);
    if (d === 'accept') throw new Error('the file changed while the diff was open');
  });
  await r.receive({ type: 'accept', solveId: 1 });
  assert.deepEqual(seen, [], 'no solve yet');
  r.emit({ type: 'session', solveId: 1, task, model, prompt: 'p' });
  r.emit({ type: 'session', solveId: 2, task, model, prompt: 'p' });
  await r.receive({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
  await r.receive({ type: 'discard', solveId: 1 });
  assert.deepEqual(seen, [], 'solve 1 is no longer on screen');
  assert.match(logs.at(-1) ?? '', /no longer on screen/);
  await r.receive({ type: 'showDiff', solveId: 2 });
  await r.receive({ type: 'accept', solveId: 2 });
  assert.deepEqual(seen, [['showDiff', 2], ['accept', 2]]);
  assert.deepEqual(posted.at(-1), { type: 'error', message: 'the file changed while the diff was open' });
  await r.receive({ type: 'accept', solveId: 'x' });
  assert.match(logs.at(-1) ?? '', /bad `accept`/);
});
