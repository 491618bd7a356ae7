/**
 * From one test file's run (reporter + coverage records) to mined tests and the test → function
 * map. A coverage hit names a function that ran and where it was declared; it counts for a
 * workspace function when the names agree AND the position lies within the declaration (JSDoc
 * included). Requiring both rejects look-alikes such as the `name: () => name` export getters that
 * CommonJS output adds at the top of a module.
 */
import type { MinedTest } from '../mined';
import type { CallsRecord, ChannelReport, CoverageHit, TestRecord } from '../../verifier/js/channel';
import { assignTestIds } from '../../verifier/js/channel';
import type { JsFunction } from './functions';

export interface FileRunResult {
  tests: MinedTest[];
  calls: Record<string, string[]>;
}

/** 1-based line of a character offset in `text`. */
export function lineAtOffset(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

export interface HitResolver {
  /** Workspace-relative path of an absolute sandbox path, or null outside the workspace. */
  relative(file: string): string | null;
  /** The workspace functions of a file (relative path), [] when none or not a source file. */
  functionsOf(file: string): readonly JsFunction[];
  /** The file's text, for hits that carry an offset; null when unreadable. */
  textOf(file: string): string | null;
}

/** The "file::symbol" keys of the workspace functions a hit names. */
export function functionsOfHit(hit: CoverageHit, resolver: HitResolver): string[] {
  const file = resolver.relative(hit.file);
  if (file === null || hit.name === '') return [];
  let line = hit.line;
  if (line === undefined && hit.offset !== undefined) {
    const text = resolver.textOf(file);
    if (text !== null) line = lineAtOffset(text, hit.offset);
  }
  return resolver.functionsOf(file)
    .filter((fn) => fn.symbol === hit.name && (line === undefined || (line >= fn.docStartLine && line <= fn.endLine)))
    .map((fn) => `${fn.file}::${fn.symbol}`);
}

const keysOfHits = (hits: readonly CoverageHit[], resolver: HitResolver): string[] =>
  [...new Set(hits.flatMap((hit) => functionsOfHit(hit, resolver)))].sort();

/** The calls record of each test record (matched by name and occurrence, both in run order), or undefined. */
function pairCalls(tests: readonly TestRecord[], calls: readonly CallsRecord[]): (CallsRecord | undefined)[] {
  const queues = new Map<string, CallsRecord[]>();
  for (const record of calls) queues.set(record.name, [...(queues.get(record.name) ?? []), record]);
  return tests.map((test) => queues.get(test.name)?.shift());
}

const outcomeOf = (test: TestRecord): MinedTest['outcome'] =>
  test.outcome === 'passed' ? 'passed' : test.outcome === 'failed' ? 'failed' : 'skipped';

/**
 * Mined tests and calls of one run. Tests that overlapped with another (concurrent tests) get the
 * union of every hit of the run: file granularity, the best that can be said for them.
 */
export function mapFileRun(report: ChannelReport, resolver: HitResolver): FileRunResult {
  const relative = (file: string): string => resolver.relative(file) ?? file;
  const ids = assignTestIds(report.tests, relative);
  const paired = pairCalls(report.tests, report.calls);
  const everyHit = report.calls.flatMap((c) => c.hits);
  const result: FileRunResult = { tests: [], calls: {} };
  report.tests.forEach((test, i) => {
    const id = ids[i] as string;
    result.tests.push({ id, outcome: outcomeOf(test), duration: test.ms / 1000 });
    const record = paired[i];
    const hits = record === undefined ? [] : record.overlapped ? everyHit : record.hits;
    result.calls[id] = keysOfHits(hits, resolver);
  });
  return result;
}
