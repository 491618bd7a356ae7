/**
 * The test files a node:test command runs. npm runs scripts through `sh`, which expands globs such
 * as `test/*.test.ts` before node sees them; Node 20 then takes files and directories (searched
 * with its default patterns). We reproduce that, and also let `**` match across folders as Node 22
 * globs and most shells with globstar do.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const IGNORED_DIRS = new Set(['node_modules', '.git', '.rlvr', '.hg', '.svn']);

/** Node 20's default test file patterns (its `--test` docs), plus TypeScript extensions when tsx is loaded. */
export function defaultTestPatterns(typescript: boolean): RegExp[] {
  const ext = typescript ? '(?:[cm]?js|[cm]?ts|tsx)' : '[cm]?js';
  return [
    new RegExp(`(?:^|/)test/(?:.+/)?[^/]+\\.${ext}$`),
    new RegExp(`(?:^|/)[^/]*[.\\-_]test\\.${ext}$`),
    new RegExp(`(?:^|/)test-[^/]*\\.${ext}$`),
    new RegExp(`(?:^|/)test\\.${ext}$`),
  ];
}

/** Shell glob → anchored RegExp on posix relative paths: `*`, `?`, `[...]`, `{a,b}` and `**`. */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      out += slash ? '(?:[^/]+/)*' : '.*';
      i += slash ? 2 : 1;
    } else if (ch === '*') {
      out += '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
    } else if (ch === '[') {
      const end = glob.indexOf(']', i + 1);
      if (end < 0) out += '\\[';
      else {
        out += `[${glob.slice(i + 1, end).replace(/^!/, '^').replace(/\\/g, '\\\\')}]`;
        i = end;
      }
    } else if (ch === '{') {
      const end = glob.indexOf('}', i + 1);
      if (end < 0) out += '\\{';
      else {
        out += `(?:${glob.slice(i + 1, end).split(',').map(escapeRegExp).join('|')})`;
        i = end;
      }
    } else {
      out += escapeRegExp(ch);
    }
  }
  return new RegExp(`^${out}$`);
}

const escapeRegExp = (text: string): string => text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const isGlob = (pattern: string): boolean => /[*?[{]/.test(pattern);
const normalise = (pattern: string): string => pattern.replace(/\\/g, '/').replace(/^\.\//, '').replace(/\/+$/, '');

/** Every file under `dir` (workspace-relative posix paths), skipping dependency and VCS folders. */
export function listFiles(workspace: string, dir = ''): string[] {
  const files: string[] = [];
  const walk = (rel: string): void => {
    for (const entry of readdirSync(join(workspace, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) {
        if (!IGNORED_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile()) {
        files.push(path);
      }
    }
  };
  walk(dir);
  return files.sort();
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** The test files (workspace-relative, sorted, unique) that `node --test <patterns>` runs in `workspace`. */
export function resolveTestFiles(workspace: string, patterns: readonly string[], typescript: boolean): string[] {
  const defaults = defaultTestPatterns(typescript);
  const matchesDefault = (path: string): boolean => defaults.some((re) => re.test(path));
  if (patterns.length === 0) return listFiles(workspace).filter(matchesDefault);
  const all = listFiles(workspace);
  const found = new Set<string>();
  for (const raw of patterns) {
    const pattern = normalise(raw);
    if (pattern === '' || pattern === '.') {
      for (const file of all) if (matchesDefault(file)) found.add(file);
    } else if (isGlob(pattern)) {
      const re = globToRegExp(pattern);
      for (const file of all) if (re.test(file)) found.add(file);
    } else if (isDirectory(join(workspace, pattern))) {
      for (const file of all) if (file.startsWith(`${pattern}/`) && matchesDefault(file)) found.add(file);
    } else if (all.includes(pattern)) {
      found.add(pattern);
    }
  }
  return [...found].sort();
}
