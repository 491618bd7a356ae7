/** Function metadata of JS/TS files through the TypeScript parser. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jsDocText, languageOf, listFunctions } from '../../src/trainer/mining/js/functions';

const SOURCE = `// header comment
import { helper } from './helper.ts';
import type { Shape } from './types.ts';

/** Seconds per unit. */
const UNITS: Record<string, number> = { s: 1, m: 60 };

export type Pair = [number, number];

/**
 * Add two numbers.
 * @param a first
 */
export function add(a: number, b: number = 1): number {
  return a + b + helper();
}

function internal(x: string) {
  return x.trim();
}

export default async function main(): Promise<void> {
  await Promise.resolve();
}

export function over(x: string): string;
export function over(x: number): number;
export function over(x: unknown): unknown {
  return x;
}

export const arrow = (x: number) => x * 2;
class Box { open() { return 1; } }
`;

test('every top-level function with a body, overload signatures excluded', () => {
  const fns = listFunctions('src/m.ts', SOURCE);
  assert.deepEqual(fns.map((f) => f.symbol), ['add', 'internal', 'main', 'over']);
  assert.deepEqual(fns.map((f) => f.exported), [true, false, true, true]);
});

test('signature, JSDoc and span of a documented function', () => {
  const add = listFunctions('src/m.ts', SOURCE)[0];
  assert.ok(add);
  assert.equal(add.signature, 'export function add(a: number, b: number = 1): number');
  assert.equal(add.docstring, 'Add two numbers.\n@param a first');
  assert.equal(add.startLine, 14);
  assert.equal(add.endLine, 16);
  assert.equal(add.docStartLine, 10);
});

test('context: imports, constants and types, never function or class bodies', () => {
  const { context } = listFunctions('src/m.ts', SOURCE)[0] ?? { context: '' };
  assert.match(context, /import \{ helper \} from '\.\/helper\.ts';/);
  assert.match(context, /import type \{ Shape \}/);
  assert.match(context, /\/\*\* Seconds per unit\. \*\/\nconst UNITS/);
  assert.match(context, /export type Pair/);
  assert.match(context, /export const arrow/);
  assert.doesNotMatch(context, /return a \+ b|x\.trim|class Box|header comment/);
});

test('an undocumented function has a null docstring; default export keeps its name', () => {
  const fns = listFunctions('src/m.ts', SOURCE);
  assert.equal(fns[1]?.docstring, null);
  assert.equal(fns[2]?.signature, 'export default async function main(): Promise<void>');
});

test('plain JavaScript parses too, and languages follow the extension', () => {
  const fns = listFunctions('lib/x.mjs', 'export function f(a, b) { return a ?? b; }\n');
  assert.equal(fns[0]?.signature, 'export function f(a, b)');
  assert.equal(languageOf('lib/x.mjs'), 'javascript');
  assert.equal(languageOf('src/x.cts'), 'typescript');
});

test('JSDoc markers are stripped', () => {
  assert.equal(jsDocText('/** One line. */'), 'One line.');
  assert.equal(jsDocText('/**\n * A\n *   indented\n */'), 'A\n  indented');
});
