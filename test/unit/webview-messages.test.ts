import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  WEBVIEW_PROTOCOL_VERSION, parseDashboardMessage, parseTraceMessage, parseTracesMessage, versionMismatch,
} from '../../src/shared/webview-messages';

const query = (over: Record<string, unknown> = {}) => ({
  type: 'queryTraces', requestId: 3, offset: 200, limit: 100,
  filter: { runId: 'r-1', step: { min: 2, max: 9 }, passed: false, search: 'wait*' },
  sort: { key: 'reward', order: 'desc' },
  ...over,
});

test('a well-formed queryTraces passes and is rebuilt from known fields only', () => {
  const parsed = parseTracesMessage({ ...query(), extra: 'x', filter: { runId: 'r-1', hasAha: true, sql: 'DROP TABLE traces' } });
  assert.ok(parsed.ok, parsed.ok ? '' : parsed.error);
  assert.deepEqual(parsed.message, {
    type: 'queryTraces', requestId: 3, offset: 200, limit: 100,
    filter: { runId: 'r-1', hasAha: true }, sort: { key: 'reward', order: 'desc' },
  });
});

test('bad fields are rejected with a message naming the field and the value', () => {
  const cases: [unknown, RegExp][] = [
    [query({ limit: 5000 }), /`limit`: expected an integer in \[1, 1000\], got 5000/],
    [query({ offset: -1 }), /`offset`/],
    [query({ sort: { key: 'reward; DROP', order: 'desc' } }), /`sort.key`: expected one of reward, step, length, id/],
    [query({ filter: { runId: 'r', minReward: Number.NaN } }), /`filter.minReward`: expected a finite number, got NaN/],
    [query({ filter: { runId: 'r', step: { min: 1.5 } } }), /`filter.step.min`/],
    [query({ filter: { runId: 'r', passed: 'yes' } }), /`filter.passed`: expected true or false, got "yes"/],
    [query({ filter: { runId: 'r', search: 'x'.repeat(501) } }), /`filter.search`/],
    [query({ filter: [] }), /`filter`: expected an object, got an array/],
    [{ type: 'openTrace', traceId: '7' }, /`traceId`: expected an integer/],
    [{ type: 'openTrace', traceId: 0 }, /`traceId`/],
  ];
  for (const [message, pattern] of cases) {
    const parsed = parseTracesMessage(message);
    assert.equal(parsed.ok, false, JSON.stringify(message));
    if (!parsed.ok) assert.match(parsed.error, pattern);
  }
});

test('unknown types, prototype keys and non-objects are ignored, not thrown', () => {
  for (const value of [null, 'ready', [], { type: 'toString' }, { type: '__proto__' }, { type: 'eval', code: '1' }, { kind: 'ready' }]) {
    const parsed = parseTracesMessage(value);
    assert.equal(parsed.ok, false, JSON.stringify(value));
  }
});

test('each view accepts only its own messages', () => {
  assert.ok(parseTraceMessage({ type: 'revealFunction', traceId: 4 }).ok);
  assert.ok(parseTraceMessage({ type: 'setHeatmap', mode: 'entropy' }).ok);
  assert.equal(parseTraceMessage({ type: 'setHeatmap', mode: 'rainbow' }).ok, false);
  assert.equal(parseTracesMessage({ type: 'revealFunction', traceId: 4 }).ok, false);
  assert.ok(parseDashboardMessage({ type: 'exportRun', runId: 'r-1' }).ok);
  assert.equal(parseDashboardMessage({ type: 'exportRun', runId: 42 }).ok, false);
  assert.equal(parseDashboardMessage(query()).ok, false);
});

test('ready carries the protocol version and a mismatch says what to do', () => {
  const parsed = parseDashboardMessage({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
  assert.ok(parsed.ok && parsed.message.type === 'ready');
  if (parsed.ok && parsed.message.type === 'ready') assert.equal(versionMismatch(parsed.message), null);
  assert.match(versionMismatch({ type: 'ready', version: 0 }) ?? '', /Reload Window/);
});
