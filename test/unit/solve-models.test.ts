// Finding exported ONNX models (folders with rlvr-onnx.json), what the picker offers, and the
// one-model cache in the extension host.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { ModelCache } from '../../src/extension/core/solve/model-cache';
import { findOnnxExports, manifestSource, modelChoices, readOnnxExport, type OnnxExport } from '../../src/extension/core/solve/onnx-exports';
import type { OnnxModel } from '../../src/trainer/inference/types';

function exportAt(dir: string, source: unknown, mtime: number, format = 'rlvr-onnx'): void {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'rlvr-onnx.json');
  writeFileSync(path, JSON.stringify({ format, version: 1, source }));
  utimesSync(path, mtime, mtime);
}

test('manifest sources name a run and a step in either shape; anything else is unknown', () => {
  assert.deepEqual(manifestSource({ source: { run: 'r-1', step: 30 } }), { runId: 'r-1', step: 30 });
  assert.deepEqual(manifestSource({ source: { runId: 'r-2', checkpoint: { dir: '/c', step: 4 } } }), { runId: 'r-2', step: 4 });
  assert.deepEqual(manifestSource({ source: { model: '/some/hf/folder' } }), { runId: null, step: null });
  assert.deepEqual(manifestSource({ source: { run: 5, step: -1 } }), { runId: null, step: null });
  assert.deepEqual(manifestSource(null), { runId: null, step: null });
});

test('exports are found under .rlvr at any of a few depths, newest first; other folders are not exports', async () => {
  const root = mkdtempSync(join(tmpdir(), 'rlvr-onnx-find-'));
  try {
    exportAt(join(root, 'checkpoints', 'r-1', 'step-10', 'onnx'), { run: 'r-1', step: 10 }, 1000);
    exportAt(join(root, 'onnx', 'r-2', 'step-4'), { runId: 'r-2', step: 4, checkpoint: '/ck' }, 3000);
    exportAt(join(root, 'onnx', 'r-2', 'step-6.partial-4242'), { runId: 'r-2', step: 6 }, 3500);
    exportAt(join(root, 'cache', 'x'), { run: 'r-cache' }, 4000);
    exportAt(join(root, 'other'), { run: 'r-3' }, 5000, 'not-rlvr');
    mkdirSync(join(root, 'checkpoints', 'r-1', 'step-20'), { recursive: true });
    writeFileSync(join(root, 'checkpoints', 'r-1', 'step-20', 'rlvr-onnx.json'), '{ not json');
    const found = await findOnnxExports(root);
    assert.deepEqual(found.map((e) => [e.runId, e.step]), [['r-2', 4], ['r-1', 10]]);
    assert.equal(await readOnnxExport(join(root, 'other')), null);
    assert.deepEqual(await findOnnxExports(join(root, 'missing')), []);
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
});

test('the picker lists the task\'s run first, offers exports only for checkpoints without one, and always a folder', () => {
  const exports: OnnxExport[] = [
    { dir: '/a', runId: 'r-old', step: 5, exportedAt: 3 },
    { dir: '/b', runId: 'r-new', step: 30, exportedAt: 1 },
    { dir: '/c', runId: null, step: null, exportedAt: 2 },
  ];
  const runs = [
    { id: 'r-new', status: 'completed', lastCheckpoint: { dir: '/ck/30', step: 30 } },
    { id: 'r-old', status: 'stopped', lastCheckpoint: { dir: '/ck/8', step: 8 } },
    { id: 'r-live', status: 'running', lastCheckpoint: { dir: '/ck/2', step: 2 } },
    { id: 'r-none', status: 'failed', lastCheckpoint: null },
  ];
  assert.deepEqual(modelChoices(exports, runs, 'r-new'), [
    { kind: 'onnx', dir: '/b', runId: 'r-new', step: 30 },
    { kind: 'onnx', dir: '/a', runId: 'r-old', step: 5 },
    { kind: 'onnx', dir: '/c', runId: null, step: null },
    { kind: 'export', runId: 'r-old', step: 8 },
    { kind: 'browse' },
  ]);
  assert.deepEqual(modelChoices([], [], null), [{ kind: 'browse' }]);
});

function fakeOnnx(dir: string, disposed: string[]): OnnxModel {
  return { dir, executionProvider: 'cpu', generateChat: async () => { throw new Error('unused'); }, dispose: async () => { disposed.push(dir); } };
}

test('the model cache loads a folder once, replaces it when another is asked for, and retries after a failure', async () => {
  const loads: string[] = [];
  const disposed: string[] = [];
  let failNext = false;
  const cache = new ModelCache(async (dir, options) => {
    loads.push(dir);
    assert.deepEqual(options, { cpuThreads: 2 });
    if (failNext) { failNext = false; throw new Error('bad graph'); }
    return fakeOnnx(dir, disposed);
  }, () => ({ cpuThreads: 2 }));
  const [a1, a2] = await Promise.all([cache.get('/a'), cache.get('/a')]);
  assert.equal(a1, a2);
  assert.deepEqual(loads, ['/a'], 'concurrent requests share one load');
  await cache.get('/b');
  assert.deepEqual(disposed, ['/a'], 'one model at a time');
  assert.equal(cache.loadedDir, '/b');
  failNext = true;
  await assert.rejects(cache.get('/c'), /bad graph/);
  assert.equal(cache.loadedDir, null);
  await cache.get('/c');
  assert.deepEqual(loads, ['/a', '/b', '/c', '/c']);
  await cache.dispose();
  assert.deepEqual(disposed, ['/a', '/b', '/c']);
});
