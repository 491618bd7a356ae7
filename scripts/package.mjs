// Builds the linux-x64 VSIX from a small staging folder, then checks it (scripts/check-vsix.mjs).
// Why a staging folder: vsce globs every file under the package root and matches each against every
// .vscodeignore line; with .venv (~40k files) in the root that alone takes minutes on two cores.
// The stage holds only package.json, README, .vscodeignore, our own folders and a symlink to
// node_modules (npm ls and vsce keep the symlinked paths, so dependencies resolve as in the root).
// Usage: node scripts/package.mjs [--out FILE.vsix]   (run `npm run build` first; `npm run package` does)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { checkVsix } from './check-vsix.mjs';

const root = resolve(import.meta.dirname, '..');
const TARGET = 'linux-x64';
// Copied whole into the stage; .vscodeignore then picks the files that ship.
const STAGED = ['package.json', 'README.md', '.vscodeignore', 'dist', 'media', 'src', 'scripts/setup.sh'];

function parseOut(argv) {
  const i = argv.indexOf('--out');
  if (i >= 0 && argv[i + 1]) return resolve(argv[i + 1]);
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return join(root, `${name}-${version}-${TARGET}.vsix`);
}

function requireBuilt() {
  for (const file of ['dist/extension.js', 'dist/rlvr.js', 'node_modules/sqlite3/build/Release/node_sqlite3.node']) {
    if (!existsSync(join(root, file))) {
      console.error(`package: ${file} is missing. Run \`npm ci\` and \`npm run build\` first (or \`npm run package\`).`);
      process.exit(2);
    }
  }
}

function stage() {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-vsix-'));
  for (const entry of STAGED) {
    if (existsSync(join(root, entry))) cpSync(join(root, entry), join(dir, entry), { recursive: true });
  }
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  return dir;
}

function runVsce(stageDir, out) {
  const vsce = join(root, 'node_modules', '@vscode', 'vsce', 'vsce');
  // No repository or LICENSE yet: without these flags vsce stops to ask, which hangs CI.
  const args = ['package', '--target', TARGET, '--out', out, '--no-rewrite-relative-links',
    '--allow-missing-repository', '--skip-license'];
  const result = spawnSync(process.execPath, [vsce, ...args], { cwd: stageDir, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`package: vsce failed (exit ${result.status}); the stage is kept at ${stageDir} for inspection.`);
    process.exit(1);
  }
}

requireBuilt();
const out = parseOut(process.argv.slice(2));
const stageDir = stage();
const started = Date.now();
runVsce(stageDir, out);
rmSync(stageDir, { recursive: true, force: true });
const mb = (statSync(out).size / 1e6).toFixed(1);
console.log(`package: ${out} (${mb} MB) in ${((Date.now() - started) / 1000).toFixed(0)} s; checking it`);
const problems = checkVsix(out);
if (problems.length > 0) {
  console.error(`package: the VSIX failed ${problems.length} check(s):\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log('package: contents and runtime modules check out');
