/** Test framework detection from package.json, and the node:test file list a command runs. */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { detectJsTests, splitShellCommands, unsupportedFramework, type NodeTestSetup } from '../../src/trainer/mining/js/package-json';
import { globToRegExp, resolveTestFiles } from '../../src/trainer/mining/js/test-files';

const withScript = (test: string, extra: Record<string, unknown> = {}): unknown => ({ name: 'x', scripts: { test }, ...extra });

test('a tsx node:test script keeps its preload and file arguments', () => {
  const setup = detectJsTests(withScript('node --import tsx --test test/*.test.ts')) as NodeTestSetup;
  assert.equal(setup.framework, 'node-test');
  assert.deepEqual(setup.nodeArgs, ['--import', 'tsx']);
  assert.deepEqual(setup.patterns, ['test/*.test.ts']);
  assert.equal(setup.usesTsx, true);
});

test('our own reporter flags replace theirs; their values are not taken for files', () => {
  const setup = detectJsTests(withScript('NODE_ENV=test node --test --test-reporter spec --test-reporter-destination=out.txt --require ./setup.js test/ > log.txt')) as NodeTestSetup;
  assert.deepEqual(setup.nodeArgs, ['--require', './setup.js']);
  assert.deepEqual(setup.patterns, ['test/']);
  assert.equal(setup.usesTsx, false);
});

test('`tsx --test` counts as node --import tsx --test', () => {
  const setup = detectJsTests(withScript('tsx --test "test/**/*.test.ts"')) as NodeTestSetup;
  assert.deepEqual(setup.nodeArgs, ['--import', 'tsx']);
  assert.deepEqual(setup.patterns, ['test/**/*.test.ts']);
});

test('the node:test command is found after a build step and through npm run', () => {
  const setup = detectJsTests({ scripts: { test: 'npm run build && npm run unit', build: 'tsc', unit: 'node --test dist/test' } }) as NodeTestSetup;
  assert.equal(setup.framework, 'node-test');
  assert.deepEqual(setup.patterns, ['dist/test']);
});

test('vitest and jest are recognised by their scripts', () => {
  assert.equal(detectJsTests(withScript('vitest run'))?.framework, 'vitest');
  assert.equal(detectJsTests(withScript('npx jest --coverage'))?.framework, 'jest');
  assert.equal(detectJsTests(withScript('cross-env CI=1 jest'))?.framework, 'jest');
});

test('without a test script, devDependencies decide', () => {
  assert.equal(detectJsTests({ devDependencies: { vitest: '^3' } })?.framework, 'vitest');
  assert.equal(detectJsTests({ devDependencies: { 'ts-jest': '^29' } })?.framework, 'jest');
  assert.equal(detectJsTests({ devDependencies: { typescript: '^5' } }), null);
});

test("npm init's placeholder script and non-objects are not test frameworks", () => {
  assert.equal(detectJsTests(withScript('echo "Error: no test specified" && exit 1')), null);
  assert.equal(detectJsTests(null), null);
  assert.equal(detectJsTests([1, 2]), null);
});

test('unsupported frameworks get an actionable error naming what is supported', () => {
  const setup = detectJsTests(withScript('vitest'));
  assert.ok(setup && setup.framework === 'vitest');
  const error = unsupportedFramework(setup, '/ws');
  assert.ok(error instanceof RlvrError);
  assert.equal(error.code, 'unsupported_test_framework');
  assert.match(error.message, /Vitest/);
  assert.match(error.hint ?? '', /node:test/);
});

test('shell splitting honours quotes and separators', () => {
  assert.deepEqual(splitShellCommands(`a 'b c' "d;e" && f | g; h 2>&1`), [['a', 'b c', 'd;e'], ['f'], ['g'], ['h', '2>&1']]);
});

test('globs: *, ** and braces', () => {
  assert.ok(globToRegExp('test/*.test.ts').test('test/a.test.ts'));
  assert.ok(!globToRegExp('test/*.test.ts').test('test/sub/a.test.ts'));
  assert.ok(globToRegExp('test/**/*.test.ts').test('test/sub/deep/a.test.ts'));
  assert.ok(globToRegExp('test/**/*.test.ts').test('test/a.test.ts'));
  assert.ok(globToRegExp('src/*.{spec,test}.js').test('src/x.spec.js'));
});

test('test files: globs, directories with node defaults, node_modules skipped', () => {
  const ws = mkdtempSync(join(tmpdir(), 'rlvr-js-files-'));
  try {
    for (const f of ['test/a.test.ts', 'test/helpers.ts', 'test/sub/b.test.ts', 'src/c.test.js', 'src/c.js', 'node_modules/x/test/d.test.js']) {
      mkdirSync(dirname(join(ws, f)), { recursive: true });
      writeFileSync(join(ws, f), '');
    }
    assert.deepEqual(resolveTestFiles(ws, ['test/*.test.ts'], true), ['test/a.test.ts']);
    assert.deepEqual(resolveTestFiles(ws, ['./test/'], true), ['test/a.test.ts', 'test/helpers.ts', 'test/sub/b.test.ts']);
    assert.deepEqual(resolveTestFiles(ws, [], false), ['src/c.test.js']);
    assert.deepEqual(resolveTestFiles(ws, ['src/c.test.js', 'missing.js'], false), ['src/c.test.js']);
  } finally {
    rmSync(ws, { recursive: true, force: true });
  }
});
