// Checks a built VSIX: the files the runtime needs are inside, dev tooling and other platforms'
// binaries are not, and the packaged node modules load from the unpacked extension (which proves the
// .vscodeignore whitelist kept every runtime dependency). Returns a list of problems; empty = good.
// Usage as a script: node scripts/check-vsix.mjs FILE.vsix
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// Today ~26 MB; the budget catches a whitelist line that suddenly pulls in another platform or package.
const MAX_MB = 40;

const REQUIRED = [
  'extension/package.json',
  'extension/dist/extension.js',
  'extension/dist/rlvr.js',
  'extension/scripts/setup.sh',
  'extension/src/trainer/worker/requirements.txt',
  'extension/src/trainer/worker/rlvr_worker/__main__.py',
  'extension/src/trainer/worker/rlvr_worker/tiny/__main__.py',
  'extension/src/trainer/verifier/python/rlvr_verify/__main__.py',
  'extension/src/trainer/verifier/js/runtime/run-files.mjs',
  'extension/src/shared/protocol/worker-protocol.schema.json',
  'extension/node_modules/sqlite3/build/Release/node_sqlite3.node',
  'extension/node_modules/onnxruntime-node/bin/napi-v6/linux/x64/onnxruntime_binding.node',
  'extension/node_modules/typescript/lib/typescript.js',
  'extension/node_modules/tsx/package.json',
  'extension/node_modules/@esbuild/linux-x64/bin/esbuild',
  'extension/node_modules/@vscode/codicons/dist/codicon.css',
  'extension/node_modules/@vscode/codicons/dist/codicon.ttf',
  'extension/dist/webviews/traces.js',
  'extension/dist/webviews/trace.js',
  'extension/dist/webviews/dashboard.js',
];

// Each pattern names something that must not ship, with the reason in its label.
const FORBIDDEN = [
  [/\.map$/, 'source maps'],
  [/^extension\/src\/.*\.tsx?$/, 'TypeScript sources (the bundles in dist/ replace them)'],
  [/^extension\/src\/.*\/(tests?|__pycache__)\//, 'our tests or Python caches'],
  [/\.pyc$/, 'Python bytecode'],
  [/^extension\/(\.venv|examples|bench|docs|test-output)\//, 'repository folders'],
  [/^extension\/node_modules\/(@types|eslint|typescript-eslint|@typescript-eslint|@vscode\/vsce|playwright-core|prebuild-install|node-gyp|tar|adm-zip|global-agent)\//, 'dev or install-time packages'],
  [/^extension\/node_modules\/\.bin\//, 'npm bin links'],
  [/onnxruntime-node\/bin\/napi-v\d+\/(darwin|win32|linux\/arm64)\//, 'onnxruntime binaries for other platforms'],
  [/^extension\/node_modules\/sqlite3\/(deps|src)\//, 'sqlite3 C sources'],
  [/^extension\/node_modules\/@esbuild\/(?!linux-x64\/)/, 'esbuild for other platforms'],
];

// Python's zipfile, restoring the Unix modes (esbuild's binary must stay executable, as it does
// when VS Code installs the VSIX); `unzip` is not on every CI image.
const EXTRACT_PY = `
import os, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as z:
    for info in z.infolist():
        path = z.extract(info, sys.argv[2])
        mode = (info.external_attr >> 16) & 0o777
        if mode: os.chmod(path, mode)`;

function listEntries(vsix) {
  const py = 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))';
  const result = spawnSync('python3', ['-c', py, vsix], { encoding: 'utf8', maxBuffer: 64 << 20 });
  if (result.status !== 0) throw new Error(`cannot read ${vsix} as a zip: ${result.stderr}`);
  return result.stdout.split('\n').filter(Boolean);
}

function contentProblems(entries) {
  const present = new Set(entries);
  const missing = REQUIRED.filter((e) => !present.has(e)).map((e) => `missing ${e}`);
  const unwanted = FORBIDDEN.flatMap(([pattern, label]) => {
    const hits = entries.filter((e) => pattern.test(e));
    return hits.length > 0 ? [`${label} shipped: ${hits.slice(0, 3).join(', ')}${hits.length > 3 ? ` (+${hits.length - 3})` : ''}`] : [];
  });
  return [...missing, ...unwanted];
}

// Loads every runtime module from the unpacked extension, as the extension host and CLI would.
const LOAD_SCRIPT = `
const sqlite3 = require('sqlite3');
const ort = require('onnxruntime-node');
const ts = require('typescript');
if (typeof ort.InferenceSession?.create !== 'function') throw new Error('onnxruntime-node has no InferenceSession');
if (ts.transpileModule('let a: number = 1', {}).outputText.trim() !== 'var a = 1;') throw new Error('typescript cannot transpile');
new sqlite3.Database(':memory:').get('select sqlite_version() as v', (err, row) => {
  if (err) throw err;
  console.log('sqlite ' + row.v + ', onnxruntime-node ok, typescript ' + ts.version);
});`;

function run(cmd, args, cwd) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', timeout: 60_000 });
  if (r.status === 0) return null;
  const shown = args.map((a) => (a.length > 40 ? `${a.slice(0, 37).trim()}...` : a)).join(' ');
  const output = `${r.stderr}\n${r.stdout}`;
  const errorLines = output.split('\n').filter((l) => /\b\w*Error\b/.test(l)).slice(0, 3);
  return `\`${cmd} ${shown}\` in ${cwd} failed (${r.status ?? r.signal}): ${errorLines.join(' | ') || output.trim().slice(-400)}`;
}

function runtimeProblems(vsix) {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-vsix-check-'));
  try {
    const unzip = spawnSync('python3', ['-c', EXTRACT_PY, vsix, dir], { encoding: 'utf8' });
    if (unzip.status !== 0) return [`cannot unpack ${vsix}: ${unzip.stderr}`];
    const ext = join(dir, 'extension');
    writeFileSync(join(ext, 'tsx-probe.ts'), 'const n: number = 2;\nconsole.log(`tsx ok ${n}`);\n');
    return [
      run(process.execPath, ['-e', LOAD_SCRIPT], ext),
      run(process.execPath, ['--import', 'tsx', 'tsx-probe.ts'], ext),
      run(process.execPath, ['dist/rlvr.js', 'version'], ext),
    ].filter((p) => p !== null);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function checkVsix(vsix) {
  const mb = statSync(vsix).size / 1e6;
  const sizeProblem = mb > MAX_MB ? [`the VSIX is ${mb.toFixed(1)} MB, over the ${MAX_MB} MB budget`] : [];
  return [...sizeProblem, ...contentProblems(listEntries(vsix)), ...runtimeProblems(vsix)];
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const vsix = process.argv[2];
  if (!vsix) { console.error('usage: node scripts/check-vsix.mjs FILE.vsix'); process.exit(2); }
  const problems = checkVsix(resolve(vsix));
  if (problems.length > 0) { console.error(`- ${problems.join('\n- ')}`); process.exit(1); }
  console.log(`${vsix}: ok`);
}
