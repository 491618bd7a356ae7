/** Splicing JS/TS candidates and the static checks in front of the sandbox. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RlvrError } from '../../src/trainer/errors';
import { checkAndSplice } from '../../src/trainer/verifier/js/splice';

const ORIGINAL = `// Text helpers.
import { sep } from './config.ts';

/** Joined words. */
export function join(words: string[]): string {
  return words.join(sep);
}

export function other(): number {
  return 1;
}
`;

/** The distinct flag codes, in order of first appearance. */
const codes = (candidate: string, original = ORIGINAL, symbol = 'join'): string[] =>
  [...new Set(checkAndSplice('src/text.ts', original, symbol, candidate).flags.map((f) => f.code))];

test('a plain function replaces the original; export and JSDoc are kept', () => {
  const { flags, spliced } = checkAndSplice('src/text.ts', ORIGINAL, 'join', 'function join(words: string[]) {\n  return words.join("+");\n}');
  assert.deepEqual(flags, []);
  assert.equal(spliced, ORIGINAL.replace('export function join(words: string[]): string {\n  return words.join(sep);\n}',
    'export function join(words: string[]) {\n  return words.join("+");\n}'));
});

test('a candidate written with export or export default still gets the original modifiers', () => {
  const once = checkAndSplice('src/text.ts', ORIGINAL, 'join', 'export default async function join(w: string[]) { return ""; }');
  assert.match(once.spliced ?? '', /\nexport async function join\(w: string\[\]\)/);
  assert.doesNotMatch(once.spliced ?? '', /export default/);
  const dflt = 'export default function main() {\n  return 1;\n}\n';
  const twice = checkAndSplice('src/m.js', dflt, 'main', 'export function main() { return 2; }');
  assert.equal(twice.spliced, 'export default function main() { return 2; }\n');
});

test('new imports go after the existing ones; repeated ones are not duplicated', () => {
  const candidate = "import { sep } from './config.ts';\nimport { upper } from './case.ts';\nfunction join(w: string[]) { return upper(w.join(sep)); }";
  const { flags, spliced } = checkAndSplice('src/text.ts', ORIGINAL, 'join', candidate);
  assert.deepEqual(flags, []);
  assert.equal(spliced?.match(/from '\.\/config\.ts'/g)?.length, 1);
  assert.match(spliced ?? '', /import \{ sep \} from '\.\/config\.ts';\nimport \{ upper \} from '\.\/case\.ts';\n/);
});

test('structure: parse errors, wrong name, extra top-level code', () => {
  assert.deepEqual(codes('function join(w { return 1 }'), ['parse_error']);
  assert.deepEqual(codes('function joined(w) { return 1 }'), ['wrong_symbol']);
  assert.deepEqual(codes('const x = 1;'), ['wrong_symbol', 'extra_toplevel']);
  assert.deepEqual(codes('function join(w) { return 1 }\nconsole.log("side effect");'), ['extra_toplevel']);
  assert.deepEqual(codes('function join(w) { return 1 }\nfunction helper() {}'), ['extra_toplevel']);
});

test('exit calls and the process object', () => {
  assert.deepEqual(codes('function join(w) { process.exit(0); }'), ['exit_call']);
  assert.ok(codes('function join(w) { process.exitCode = 0; return ""; }').includes('exit_call'));
  assert.deepEqual(codes('function join(w) { const p = process; return ""; }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { process["ex" + "it"](0); }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { return process.env.SEP ?? ""; }'), []);
});

test('forbidden and test-framework imports, static, dynamic and required', () => {
  assert.deepEqual(codes("import { execSync } from 'node:child_process';\nfunction join(w) { return ''; }"), ['forbidden_import']);
  assert.deepEqual(codes("function join(w) { return require('fs').readFileSync('x'); }"), ['forbidden_import']);
  assert.deepEqual(codes("async function join(w) { return import('vm'); }"), ['forbidden_import']);
  assert.deepEqual(codes('function join(w) { const m = "fs"; return require(m); }'), ['forbidden_import']);
  assert.deepEqual(codes("import { test } from 'node:test';\nfunction join(w) { return ''; }"), ['test_framework_access']);
  assert.deepEqual(codes("import assert from 'node:assert/strict';\nfunction join(w) { return ''; }"), ['test_framework_access']);
  assert.deepEqual(codes('function join(w) { expect(1).toBe(1); return ""; }'), ['test_framework_access']);
});

test('introspection: globals, eval, Function, prototype and built-in patching', () => {
  assert.deepEqual(codes('function join(w) { globalThis.x = 1; return ""; }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { return eval("1"); }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { return new Function("return 1")(); }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { return (() => 1).constructor("return 1")(); }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { Array.prototype.join = () => "x"; return ""; }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { Object.defineProperty(String.prototype, "x", {}); return ""; }'), ['introspection']);
  assert.deepEqual(codes('function join(w) { JSON.stringify = () => "{}"; return ""; }'), ['introspection']);
});

test('always-equal objects', () => {
  assert.deepEqual(codes('function join(w) { return { valueOf() { return 1; } }; }'), ['always_equal']);
  assert.deepEqual(codes('function join(w) { return { [Symbol.toPrimitive]: () => "" }; }'), ['always_equal']);
  assert.deepEqual(codes('function join(w) { return new Proxy({}, {}); }'), ['always_equal']);
});

test('ordinary code is not flagged: locals, types, array methods, a Function type', () => {
  const candidate = `function join(words: string[], map: Function = String): string {
  const out: string[] = [];
  for (const w of words) out.push(String(map(w)));
  const result = { value: out.join(sep) };
  return result.value.toString();
}`;
  assert.deepEqual(codes(candidate), []);
});

test('what the pristine function does itself is exempt (ground truth must pass)', () => {
  const original = "import { readFileSync } from 'node:fs';\nexport function load(p: string) {\n  return readFileSync(p, 'utf8');\n}\n";
  assert.deepEqual(codes('function load(p: string) {\n  return readFileSync(p, "utf8").trim();\n}', original, 'load'), []);
  assert.deepEqual(codes("import { readFileSync } from 'node:fs';\nfunction load(p) { return readFileSync(p, 'utf8'); }", original, 'load'), []);
  // …but using a risky import the original function does not use is still flagged.
  const two = "import { execSync } from 'node:child_process';\nexport function run() { return execSync('ls'); }\nexport function pure() { return 1; }\n";
  assert.deepEqual(codes("function pure() { return execSync('id'); }", two, 'pure'), ['forbidden_import']);
});

test('a task whose function is gone is stale, not a bad candidate', () => {
  assert.throws(() => checkAndSplice('src/text.ts', ORIGINAL, 'missing', 'function missing() {}'),
    (e: unknown) => e instanceof RlvrError && e.code === 'task_stale');
});
