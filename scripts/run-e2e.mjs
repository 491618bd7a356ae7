// End-to-end tests in a real VS Code (code-server + headless Chromium; see test/e2e/README.md).
// Builds the bundles and the VSIX (unless RLVR_E2E_VSIX names one), then runs every test/e2e/*.e2e.ts
// file, or only those given, one at a time with node's test runner. Screenshots: test-output/e2e/.
// Usage: node scripts/run-e2e.mjs [test/e2e/foo.e2e.ts ...]
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');

function step(label, command, args) {
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  console.log(`e2e: ${label} took ${((Date.now() - started) / 1000).toFixed(0)} s`);
  if (result.status !== 0) {
    console.error(`e2e: ${label} failed (exit ${result.status ?? result.signal})`);
    process.exit(result.status ?? 1);
  }
}

const requested = process.argv.slice(2);
const files = requested.length > 0
  ? requested
  : readdirSync(join(root, 'test', 'e2e')).filter((f) => f.endsWith('.e2e.ts')).sort().map((f) => join('test', 'e2e', f));
if (files.length === 0) {
  console.error('e2e: no test/e2e/*.e2e.ts files');
  process.exit(1);
}

// Missing code-server or Chromium: say so once, before minutes of building and packaging.
const preflight = spawnSync(process.execPath, ['--import', 'tsx', '-e',
  "require('./test/e2e/harness/setup').checkTools()"], { cwd: root, encoding: 'utf8' });
if (preflight.status !== 0) {
  const message = /E2eSetupError\]?: ([\s\S]*?)\n\s+at /.exec(preflight.stderr)?.[1] ?? preflight.stderr;
  console.error(`e2e: cannot run: ${message.trim()}`);
  process.exit(2);
}

step('build', process.execPath, ['scripts/build.mjs']);
if (!process.env.RLVR_E2E_VSIX) step('package', process.execPath, ['scripts/package.mjs']);
step('tests', process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files]);
