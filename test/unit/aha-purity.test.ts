/**
 * The detector core must run in a webview: no Node built-ins, no VS Code, no verifier processes,
 * followed through every relative import. The Node-only parts are listed and kept out of `index.ts`.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { test } from 'node:test';

const ahaDir = join(__dirname, '..', '..', 'src', 'trainer', 'analysis', 'aha');
const NODE_ONLY = new Set(['verifier-judge.ts']);

function importsOf(file: string): string[] {
  return [...readFileSync(file, 'utf8').matchAll(/^\s*(?:import|export)\s[^'"]*?from\s+'([^']+)'/gm)].map((m) => m[1] ?? '');
}

function reachable(entry: string): Set<string> {
  const seen = new Set<string>();
  const stack = [entry];
  while (stack.length > 0) {
    const file = stack.pop() as string;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of importsOf(file)) {
      if (!spec.startsWith('.')) {
        seen.add(spec);
        continue;
      }
      const base = resolve(dirname(file), spec);
      const target = [`${base}.ts`, join(base, 'index.ts')].find(existsSync);
      assert.ok(target, `${file} imports ${spec}, which does not resolve`);
      stack.push(target);
    }
  }
  return seen;
}

test('every core module of the detector reaches only pure modules', () => {
  const core = readdirSync(ahaDir).filter((f) => f.endsWith('.ts') && !NODE_ONLY.has(f));
  assert.ok(core.includes('index.ts') && core.includes('detect.ts'));
  for (const file of core) {
    const bad = [...reachable(join(ahaDir, file))].filter((m) => m.startsWith('node:') || m === 'vscode' || /[\\/]verifier[\\/]/.test(m) || /verifier-judge/.test(m));
    assert.deepEqual(bad, [], `${file} reaches ${bad.join(', ')}`);
  }
});
