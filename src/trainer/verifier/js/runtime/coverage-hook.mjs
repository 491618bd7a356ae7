// Preload for mining (`--import <this file>`): records, for every test, which functions of workspace
// files ran while it ran. V8 precise coverage (call counts, function granularity) is reset before
// each test and read after it; each function that ran is mapped back to its original source line
// through the module's source map (tsx registers one for every file it transpiles) and sent as a
// `calls` record. Matching lines to declarations happens outside the sandbox.
import { afterEach, beforeEach } from 'node:test';
import { Session } from 'node:inspector/promises';
import { findSourceMap } from 'node:module';
import { fileURLToPath } from 'node:url';
import { emit } from './channel.mjs';

const root = `${process.cwd()}/`;
const session = new Session();
session.connect();
await session.post('Profiler.enable');
await session.post('Profiler.startPreciseCoverage', { callCount: true, detailed: false });

let running = 0;
let overlapped = false;

const isWorkspaceScript = (url) => {
  if (!url.startsWith('file://')) return false;
  const path = fileURLToPath(url);
  return path.startsWith(root) && !path.includes('/node_modules/');
};

/** Offset in the generated code → 0-based line and column, from the source map's line lengths. */
function generatedPosition(lineLengths, offset) {
  let line = 0;
  let start = 0;
  while (line < lineLengths.length - 1 && offset > start + lineLengths[line]) {
    start += lineLengths[line] + 1;
    line += 1;
  }
  return { line, column: offset - start };
}

/**
 * Where a function that ran was declared in the original source: `line` (1-based) through the source
 * map; `offset` into the file itself when the module ran untranspiled (no map); only `name` when
 * this Node has no `lineLengths` on source maps. Null when the map does not cover the position.
 */
function originalHit(url, fn) {
  const offset = fn.ranges[0].startOffset;
  const map = findSourceMap(url);
  if (!map) return { file: fileURLToPath(url), offset, name: fn.functionName };
  if (!Array.isArray(map.lineLengths)) return { file: fileURLToPath(url), name: fn.functionName };
  const at = generatedPosition(map.lineLengths, offset);
  const entry = map.findEntry(at.line, at.column);
  if (!entry || typeof entry.originalSource !== 'string') return null;
  const file = entry.originalSource.startsWith('file://') ? fileURLToPath(entry.originalSource) : entry.originalSource;
  return { file, line: entry.originalLine + 1, name: fn.functionName };
}

function hitsOf(result) {
  const hits = [];
  for (const script of result) {
    if (!isWorkspaceScript(script.url)) continue;
    for (const fn of script.functions) {
      if (fn.ranges[0].count === 0 || fn.ranges[0].startOffset === 0) continue; // 0: the module itself
      const hit = originalHit(script.url, fn);
      if (hit) hits.push(hit);
    }
  }
  return hits;
}

beforeEach(async () => {
  if (running > 0) overlapped = true;
  running += 1;
  await session.post('Profiler.takePreciseCoverage'); // resets the counters
});

afterEach(async (t) => {
  const { result } = await session.post('Profiler.takePreciseCoverage');
  running -= 1;
  emit({ t: 'calls', name: t.fullName ?? t.name, overlapped, hits: hitsOf(result) });
  if (running === 0) overlapped = false;
});
