/** The sandboxed node:test command line: tsx resolution, runtime modules, limits and environment. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { NodeTestSetup } from '../../src/trainer/mining/js/package-json';
import { studioRoot } from '../../src/trainer/paths';
import { jsRuntimeDir, nodeTestSpec, resolvePreloads, workspaceRelative, type NodeRuntime } from '../../src/trainer/verifier/js/node-run';

const SETUP: NodeTestSetup = { framework: 'node-test', script: 'node --import tsx --test', nodeArgs: ['--import', 'tsx', '--require', './setup.cjs'], patterns: [], usesTsx: true };
const RUNTIME: NodeRuntime = { node: '/usr/bin/node', version: 'v20.20.0', readOnlyPaths: [], supportsWasmFlag: true };

function withWorkspace(ownTsx: boolean, body: (ws: string) => void): void {
  const ws = mkdtempSync(join(tmpdir(), 'rlvr-node-run-'));
  try {
    if (ownTsx) {
      mkdirSync(join(ws, 'node_modules', 'tsx'), { recursive: true });
      writeFileSync(join(ws, 'node_modules', 'tsx', 'package.json'), '{"name":"tsx"}');
    }
    body(ws);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
}

test("without its own tsx, the workspace gets RLVR Studio's, bound read-only", () => {
  withWorkspace(false, (ws) => {
    const { args, binds } = resolvePreloads(SETUP, ws);
    assert.equal(args[0], '--import');
    assert.match(args[1] ?? '', /^file:\/\/.*\/node_modules\/tsx\/dist\/loader\.mjs$/);
    assert.deepEqual(args.slice(2), ['--require', './setup.cjs']);
    assert.deepEqual(binds, [join(studioRoot(), 'node_modules')]);
  });
});

test("a workspace's own tsx wins and nothing extra is bound", () => {
  withWorkspace(true, (ws) => {
    assert.deepEqual(resolvePreloads(SETUP, ws), { args: ['--import', 'tsx', '--require', './setup.cjs'], binds: [] });
  });
});

test('the command: our runner, reporter and (for mining only) the coverage hook; limits become V8 flags', () => {
  withWorkspace(true, (ws) => {
    const base = { workspace: ws, setup: SETUP, runtime: RUNTIME, files: [`${ws}/test/a.test.ts`], nonce: 'n1',
      limits: { memoryBytes: 3 * 1024 ** 3, cpuSeconds: 5, nproc: 128, fsizeBytes: 1024, nofile: 256 }, wallTimeoutMs: 5000 };
    const spec = nodeTestSpec({ ...base, coverage: false });
    assert.deepEqual(spec.command.slice(0, 4), ['/usr/bin/node', '--disable-wasm-trap-handler', '--max-old-space-size=1024', '--import']);
    assert.equal(spec.command.at(-2), join(jsRuntimeDir(), 'run-files.mjs'));
    assert.equal(spec.command.at(-1), `${ws}/test/a.test.ts`);
    assert.ok(spec.command.includes(`--test-reporter=${join(jsRuntimeDir(), 'reporter.mjs')}`));
    assert.ok(!spec.command.some((a) => a.includes('coverage-hook')));
    assert.ok(nodeTestSpec({ ...base, coverage: true }).command.some((a) => a.endsWith('/coverage-hook.mjs')));
    assert.deepEqual(spec.env, { RLVR_CHANNEL_NONCE: 'n1', NO_COLOR: '1', FORCE_COLOR: '0', ESBUILD_WORKER_THREADS: '0' });
    assert.deepEqual(spec.readOnlyPaths, [jsRuntimeDir()]);
    assert.equal(spec.cwd, ws);
    assert.equal(spec.unsafeNoSandbox, false);
  });
});

test('paths node reports (real paths) are relative to a workspace named through a link', () => {
  withWorkspace(false, (real) => {
    const link = `${real}-link`;
    symlinkSync(real, link);
    try {
      const rel = workspaceRelative(link);
      assert.equal(rel(`${real}/test/a.test.ts`), 'test/a.test.ts');
      assert.equal(rel(`${link}/src/x.ts`), 'src/x.ts');
      assert.equal(rel('/elsewhere/a.ts'), null);
    } finally {
      rmSync(link);
    }
  });
});
