// The worker protocol schema on the TypeScript side: the shared fixtures (also checked by the
// Python worker's tests), the generated types' freshness, and the guards the client relies on.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { SchemaValidator, UnsupportedSchemaError } from '../../src/shared/protocol/json-schema';
import {
  checkResult,
  ERROR_CODES,
  frameErrors,
  isWorkerOp,
  paramsErrors,
  parseWorkerFrame,
  PROTOCOL_VERSION,
  resultErrors,
  WORKER_OPS,
  WORKER_PROTOCOL_SCHEMA,
  type SchemaError,
  type WorkerOp,
} from '../../src/shared/protocol/worker-protocol';

const repo = join(__dirname, '..', '..');
const fixtureDir = join(repo, 'src', 'shared', 'protocol', 'fixtures');

interface FixtureCase {
  name: string;
  kind: 'frame' | 'params' | 'result';
  op?: WorkerOp;
  value: unknown;
  path?: string;
}

function isFixtureCase(value: unknown): value is FixtureCase {
  if (typeof value !== 'object' || value === null) return false;
  const c = value as Record<string, unknown>;
  return typeof c['name'] === 'string' && ['frame', 'params', 'result'].includes(String(c['kind'])) && 'value' in c
    && (c['op'] === undefined || (typeof c['op'] === 'string' && isWorkerOp(c['op'])));
}

function loadCases(file: string): FixtureCase[] {
  const parsed: unknown = JSON.parse(readFileSync(join(fixtureDir, file), 'utf8'));
  const cases = (parsed as { cases?: unknown }).cases;
  assert.ok(Array.isArray(cases), `${file} has no cases array`);
  return cases.map((c: unknown) => {
    assert.ok(isFixtureCase(c), `malformed fixture in ${file}: ${JSON.stringify(c).slice(0, 200)}`);
    return c;
  });
}

function errorsFor(c: FixtureCase): SchemaError[] {
  if (c.kind === 'frame') return frameErrors(c.value);
  assert.ok(c.op, `${c.name}: params/result fixtures need an op`);
  return c.kind === 'params' ? paramsErrors(c.op, c.value) : resultErrors(c.op, c.value);
}

describe('shared fixtures', () => {
  const valid = loadCases('valid.json');
  for (const c of valid) {
    it(`accepts: ${c.name}`, () => assert.deepEqual(errorsFor(c), []));
  }
  for (const c of loadCases('invalid.json')) {
    it(`rejects at ${c.path}: ${c.name}`, () => {
      const errors = errorsFor(c);
      assert.ok(errors.length > 0, 'was accepted');
      assert.equal(errors[0]?.path, c.path, JSON.stringify(errors));
    });
  }
  it('cover every op (params and result) and every frame type', () => {
    for (const op of WORKER_OPS) {
      assert.ok(valid.some((c) => c.kind === 'params' && c.op === op), `no params fixture for ${op}`);
      assert.ok(valid.some((c) => c.kind === 'result' && c.op === op), `no result fixture for ${op}`);
    }
    const types = new Set(valid.filter((c) => c.kind === 'frame').map((c) => (c.value as { type: string }).type));
    assert.deepEqual([...types].sort(), ['cancel', 'error', 'group', 'hello', 'progress', 'request', 'result']);
  });
});

describe('generated types', () => {
  it('are up to date with the schema', () => {
    const run = spawnSync(process.execPath, [join(repo, 'scripts', 'gen-protocol-types.mjs'), '--check'], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
  });
  it('list the schema ops, error codes and version', () => {
    assert.deepEqual([...WORKER_OPS], Object.keys(WORKER_PROTOCOL_SCHEMA['x-ops'] as object));
    assert.equal(PROTOCOL_VERSION, WORKER_PROTOCOL_SCHEMA['x-protocol-version']);
    assert.ok(ERROR_CODES.includes('invalid_params') && ERROR_CODES.length === 9);
  });
});

describe('guards', () => {
  it('parseWorkerFrame explains non-JSON, wrong-direction and malformed frames', () => {
    const notJson = parseWorkerFrame('{"type":');
    assert.ok(!notJson.ok && notJson.reason.startsWith('not JSON'));
    const hostFrame = parseWorkerFrame('{"type":"cancel","id":1}');
    assert.ok(!hostFrame.ok && hostFrame.errors[0]?.path === '$.type', JSON.stringify(hostFrame));
    const bad = parseWorkerFrame('{"type":"progress","id":1,"stage":"decode","done":"3","total":10}');
    assert.ok(!bad.ok && bad.reason === 'invalid frame: $.done: must be integer, got string "3"', JSON.stringify(bad));
    const good = parseWorkerFrame('{"type":"result","id":3,"result":{}}');
    assert.ok(good.ok && good.frame.type === 'result' && good.frame.id === 3);
  });

  it('checkResult returns the typed result or names the bad field', () => {
    const saved = checkResult('save', { dir: '/tmp/x', step: 4 });
    assert.equal(saved.step, 4);
    assert.throws(() => checkResult('save', { dir: '/tmp/x', step: -1 }), /save result breaks the protocol at \$\.step: must be >= 0/);
  });

  it('the validator refuses schema keywords it does not implement', () => {
    assert.throws(() => new SchemaValidator({ $defs: { A: { type: 'string', pattern: '^a' } } }), UnsupportedSchemaError);
    assert.throws(() => new SchemaValidator({ oneOf: [true] }), /`oneOf` at #/);
  });

  it('the validator treats NaN and fractional ids as the worker does', () => {
    const v = new SchemaValidator({ type: 'object', properties: { n: { type: 'number' }, i: { type: 'integer' } } });
    assert.deepEqual(v.errors(v.root, { n: Number.NaN, i: 2.0 }).map((e) => e.path), ['$.n']);
    assert.deepEqual(v.errors(v.root, { n: 1, i: 2.5 }).map((e) => e.path), ['$.i']);
  });
});
