// Builds the three bundles: extension host (cjs, `vscode` external), the `rlvr` CLI, and webviews.
import { build } from 'esbuild';
import { existsSync, readdirSync, chmodSync } from 'node:fs';
import { join } from 'node:path';

// Native modules and the TypeScript compiler stay in node_modules: native addons cannot be bundled,
// and TypeScript is large and only loaded when a TS workspace is spliced.
const nodeExternals = ['vscode', 'sqlite3', 'onnxruntime-node', 'typescript'];
const common = { bundle: true, sourcemap: true, logLevel: 'warning', target: 'node20' };

const webviewEntries = existsSync('src/webviews')
  ? readdirSync('src/webviews', { withFileTypes: true })
      .filter((d) => d.isDirectory() && existsSync(join('src/webviews', d.name, 'main.ts')))
      .map((d) => ({ in: join('src/webviews', d.name, 'main.ts'), out: d.name }))
  : [];

await Promise.all([
  build({ ...common, entryPoints: ['src/extension/extension.ts'], outfile: 'dist/extension.js',
    platform: 'node', format: 'cjs', external: nodeExternals }),
  build({ ...common, entryPoints: ['src/trainer/cli/main.ts'], outfile: 'dist/rlvr.js',
    platform: 'node', format: 'cjs', external: nodeExternals, banner: { js: '#!/usr/bin/env node' } }),
  webviewEntries.length > 0
    ? build({ ...common, entryPoints: webviewEntries, outdir: 'dist/webviews', platform: 'browser',
        format: 'iife', target: 'es2022', minify: true })
    : Promise.resolve(),
]);
chmodSync('dist/rlvr.js', 0o755);
console.log(`built dist/extension.js, dist/rlvr.js and ${webviewEntries.length} webview bundle(s)`);
