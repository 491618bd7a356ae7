/**
 * Which JavaScript test framework a workspace uses, read from its package.json: the `test` script
 * first (it is what the user runs), then devDependencies/dependencies. For node:test the script is
 * parsed into the node flags to keep (preloads such as `--import tsx`) and the test file arguments.
 * Pure: no files are read here except by `readPackageJson`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RlvrError } from '../../errors';

export type JsTestFramework = 'node-test' | 'vitest' | 'jest';

export interface NodeTestSetup {
  framework: 'node-test';
  /** The script line it came from ("" when none). */
  script: string;
  /** Node flags to keep, in order, e.g. ["--import", "tsx"]. Our own --test-* flags replace theirs. */
  nodeArgs: string[];
  /** Positional arguments: files, directories or shell globs; empty means node's default patterns. */
  patterns: string[];
  /** Whether a preload is tsx (then TypeScript test files are expected). */
  usesTsx: boolean;
}

export interface OtherJsSetup {
  framework: 'vitest' | 'jest';
  script: string;
  /** How it was recognised, for messages: "test script" or "devDependencies". */
  evidence: string;
}

export type JsTestSetup = NodeTestSetup | OtherJsSetup;

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Flags whose value is the next token (or `--flag=value`) and that a test run must keep. */
const KEPT_VALUE_FLAGS = new Set(['--import', '--require', '-r', '--loader', '--experimental-loader', '--conditions', '-C']);
/** Value-taking flags we drop (we run tests our own way), so their value is not taken for a file. */
const DROPPED_VALUE_FLAGS = new Set([
  '--test-reporter', '--test-reporter-destination', '--test-name-pattern', '--test-skip-pattern',
  '--test-concurrency', '--test-timeout', '--test-shard', '--watch-path', '--env-file', '--test-coverage-include',
  '--test-coverage-exclude',
]);

/** Splits a shell command line into commands at `&&`, `||`, `;` and `|`, then into words (quotes honoured). */
export function splitShellCommands(line: string): string[][] {
  const commands: string[][] = [];
  let words: string[] = [];
  let word = '';
  let inWord = false;
  let quote: '"' | "'" | null = null;
  const endWord = (): void => {
    if (inWord) words.push(word);
    word = '';
    inWord = false;
  };
  const endCommand = (): void => {
    endWord();
    if (words.length > 0) commands.push(words);
    words = [];
  };
  for (let i = 0; i < line.length; i++) {
    const ch = line[i] as string;
    if (quote) {
      if (ch === quote) quote = null;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      inWord = true;
    } else if (ch === '\\' && i + 1 < line.length) {
      word += line[++i];
      inWord = true;
    } else if (/\s/.test(ch)) {
      endWord();
    } else if (ch === ';' || ch === '|' || (ch === '&' && !word.endsWith('>'))) {
      if (line[i + 1] === ch) i++;
      endCommand();
    } else {
      word += ch;
      inWord = true;
    }
  }
  endCommand();
  return commands;
}

/** The program words of a command: leading `VAR=value` assignments, `cross-env …=…` and `npx` removed. */
function programWords(words: readonly string[]): string[] {
  let rest = [...words];
  if (rest[0] === 'cross-env') rest = rest.slice(1);
  while (rest.length > 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(rest[0] as string)) rest = rest.slice(1);
  if (rest[0] === 'npx' || rest[0] === 'pnpx' || (rest[0] === 'pnpm' && rest[1] === 'exec')) {
    rest = rest.slice(rest[0] === 'pnpm' ? 2 : 1).filter((w, i) => !(i === 0 && w === '--'));
  }
  return rest;
}

/** `node … --test …` or `tsx --test …` → the node:test setup; anything else → null. */
export function parseNodeTestCommand(words: readonly string[], script: string): NodeTestSetup | null {
  const program = programWords(words);
  const bin = (program[0] ?? '').split('/').pop();
  if ((bin !== 'node' && bin !== 'tsx') || !program.includes('--test')) return null;
  const nodeArgs: string[] = bin === 'tsx' ? ['--import', 'tsx'] : [];
  const patterns: string[] = [];
  for (let i = 1; i < program.length; i++) {
    const arg = program[i] as string;
    const [flag] = arg.split('=', 1) as [string];
    const inline = arg.includes('=');
    if (KEPT_VALUE_FLAGS.has(flag)) {
      const value = inline ? arg.slice(flag.length + 1) : program[++i];
      if (value !== undefined) nodeArgs.push(flag === '-r' ? '--require' : flag === '-C' ? '--conditions' : flag, value);
    } else if (DROPPED_VALUE_FLAGS.has(flag)) {
      if (!inline) i++;
    } else if ((arg.startsWith('--experimental-') && !arg.startsWith('--experimental-test')) || arg === '--enable-source-maps' || arg === '--no-warnings') {
      nodeArgs.push(arg);
    } else if (/^\d*[<>]/.test(arg)) {
      if (/^\d*(>>?|<)$/.test(arg)) i++; // a redirection and its target are not test files
    } else if (!arg.startsWith('-')) {
      patterns.push(arg);
    }
  }
  const usesTsx = nodeArgs.some((a, i) => i > 0 && /^tsx(\/|$)/.test(a) && (nodeArgs[i - 1] === '--import' || nodeArgs[i - 1] === '--require'));
  return { framework: 'node-test', script, nodeArgs, patterns, usesTsx };
}

/** The name of another package script a command runs (`npm run x`, `npm test`, `yarn x`, `pnpm x`), or null. */
function scriptReference(words: readonly string[]): string | null {
  const [tool, a, b] = words;
  if (tool === 'npm' && (a === 'run' || a === 'run-script')) return b ?? null;
  if (tool === 'npm' && (a === 'test' || a === 't')) return 'test';
  if ((tool === 'yarn' || tool === 'pnpm') && a !== undefined) return a === 'run' ? (b ?? null) : a;
  return null;
}

function frameworkOfCommand(words: readonly string[]): 'vitest' | 'jest' | null {
  const bin = (programWords(words)[0] ?? '').split('/').pop();
  if (bin === 'vitest') return 'vitest';
  if (bin === 'jest' || bin === 'react-scripts' || bin === 'craco') return 'jest';
  return null;
}

/** Follows the `test` script (and scripts it runs, a few levels deep) to the test command. */
function setupFromScripts(scripts: Json, name: string, depth: number): JsTestSetup | null {
  const script = scripts[name];
  if (typeof script !== 'string' || depth > 4) return null;
  for (const words of splitShellCommands(script)) {
    const nodeTest = parseNodeTestCommand(words, script);
    if (nodeTest) return nodeTest;
    const other = frameworkOfCommand(words);
    if (other) return { framework: other, script, evidence: `the "${name}" script` };
    const ref = scriptReference(words);
    if (ref !== null && ref !== name) {
      const found = setupFromScripts(scripts, ref, depth + 1);
      if (found) return found;
    }
  }
  return null;
}

function setupFromDependencies(pkg: Json): OtherJsSetup | null {
  const deps = { ...(isRecord(pkg.dependencies) ? pkg.dependencies : {}), ...(isRecord(pkg.devDependencies) ? pkg.devDependencies : {}) };
  if ('vitest' in deps) return { framework: 'vitest', script: '', evidence: 'devDependencies' };
  if ('jest' in deps || 'ts-jest' in deps || '@jest/core' in deps) return { framework: 'jest', script: '', evidence: 'devDependencies' };
  return null;
}

/** The test framework a parsed package.json declares, or null when it declares none we know. */
export function detectJsTests(pkg: unknown): JsTestSetup | null {
  if (!isRecord(pkg)) return null;
  const scripts = isRecord(pkg.scripts) ? pkg.scripts : {};
  return setupFromScripts(scripts, 'test', 0) ?? setupFromDependencies(pkg);
}

/** The workspace's package.json, parsed; null when there is none. Throws `bad_package_json` when it is not JSON. */
export function readPackageJson(workspace: string): unknown {
  const path = join(workspace, 'package.json');
  if (!existsSync(path)) return null;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch (error) {
    throw new RlvrError(`cannot parse ${path}: ${error instanceof Error ? error.message : String(error)}`, 'bad_package_json',
      'fix the JSON syntax of package.json (npm would fail on it too)');
  }
}

/** The error for a framework we detect but cannot run yet: names what was found and what works. */
export function unsupportedFramework(setup: OtherJsSetup, workspace: string): RlvrError {
  const name = setup.framework === 'vitest' ? 'Vitest' : 'Jest';
  return new RlvrError(
    `${workspace} runs its JavaScript tests with ${name} (from ${setup.evidence}), which RLVR Studio does not support yet`,
    'unsupported_test_framework',
    'supported: node:test (a package.json "test" script such as `node --import tsx --test test/*.test.ts`) and pytest; '
      + `tests written with ${name}'s describe/it/expect would need to be ported to node:test and node:assert`,
  );
}
