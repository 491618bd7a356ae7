import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { findTask, makeAhaCommand, type JudgeOpener } from '../../src/trainer/cli/commands/aha';
import { main } from '../../src/trainer/cli/main';
import { RlvrError, UsageError } from '../../src/trainer/errors';
import { verdictOf } from '../../src/trainer/analysis/aha/verifier-judge';
import type { Task } from '../../src/trainer/tasks/task';
import type { VerificationResult } from '../../src/trainer/verifier';

const dir = mkdtempSync(join(tmpdir(), 'rlvr-aha-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const TRACE = [
  '<think>',
  'Hmm, add one.',
  '```python',
  'def inc(x):',
  '    return x',
  '```',
  'Wait, the test expects inc(1) == 2.',
  '</think>',
  '```python',
  'def inc(x):',
  '    return x + 1',
  '```',
].join('\n');
const traceFile = join(dir, 'trace.txt');
writeFileSync(traceFile, TRACE);

function capture(): { out: string[]; err: string[]; io: { stdout: (t: string) => void; stderr: (t: string) => void; signal: AbortSignal } } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t) => out.push(t), stderr: (t) => err.push(t), signal: new AbortController().signal } };
}

test('--json prints {version, events, summary} with the documented fields and nothing else', async () => {
  const { out, io } = capture();
  assert.equal(await main(['aha', '--file', traceFile, '--json'], io), 0);
  const report = JSON.parse(out.join('')) as Record<string, unknown>;
  assert.deepEqual(Object.keys(report), ['version', 'events', 'summary']);
  assert.equal(report.version, 1);
  const events = report.events as Record<string, unknown>[];
  assert.deepEqual(events.map((e) => Object.keys(e)), events.map(() =>
    ['category', 'cue', 'charStart', 'charEnd', 'tokenIndex', 'position', 'phase', 'consequence', 'entropy', 'forking']));
  assert.deepEqual(events.map((e) => [e.category, e.cue, e.phase]), [['pause', 'Hmm', 'exploration'], ['pause', 'Wait', 'reflection'], ['code', 'the test expects', 'reflection']]);
  assert.equal(TRACE.slice(events[1]?.charStart as number, events[1]?.charEnd as number), 'Wait');
  assert.deepEqual(Object.keys(report.summary as object).sort(), ['byCategory', 'byPhase', 'consequences', 'cuesPer1k', 'firstSolutionPosition',
    'fixTransitions', 'fixes', 'forkingCues', 'rateUnit', 'thinkChars', 'thinkSource', 'thinkTokens', 'total'].sort());
});

test('the human report has one row per cue and a summary', async () => {
  const { out, io } = capture();
  assert.equal(await main(['aha', '--file', traceFile], io), 0);
  const text = out.join('');
  assert.match(text, /^3 cue\(s\) in \d+ think characters \([\d.]+ per 1k characters\); first candidate solution at \d+%\n/);
  assert.match(text, /\nPOS +PHASE +CATEGORY +TOKEN +CONSEQUENCE +ENTROPY +FORK +CUE\n/);
  assert.match(text, /\n\d+% +reflection +code +"the test expects"\n/);
  assert.match(text, /by category: pause 2, verify 0, backtrack 0, reconsider 0, code 1/);
  assert.match(text, /consequences: not judged/);
});

test('--entropies adds token indices, entropies, forking and per-token rates', async () => {
  const tokens = TRACE.split(/(?=\s)/);
  const entropies = tokens.map((t) => (t.trim() === 'Wait,' ? 5 : 0.1 + (t.length % 3) / 10));
  const file = join(dir, 'entropies.json');
  writeFileSync(file, JSON.stringify({ tokens, entropies }));
  const { out, io } = capture();
  assert.equal(await main(['aha', '--file', traceFile, '--json', '--entropies', file], io), 0);
  const report = JSON.parse(out.join('')) as { events: { cue: string; tokenIndex: number; forking: boolean }[]; summary: { rateUnit: string } };
  const wait = report.events.find((e) => e.cue === 'Wait');
  assert.equal(tokens[wait?.tokenIndex ?? -1]?.trim(), 'Wait,');
  assert.equal(wait?.forking, true);
  assert.equal(report.summary.rateUnit, 'think_tokens');
});

test('with a judge, consequences come from verifying the code around each cue', async () => {
  const seen: string[] = [];
  const opener: JudgeOpener = async (args) => {
    seen.push(`${args.workspace}:${args.task}`);
    return { judge: async (code) => (code.includes('x + 1') ? 'pass' : 'fail'), symbol: 'inc', close: async () => { seen.push('closed'); } };
  };
  const { out, io } = capture();
  assert.equal(await makeAhaCommand(opener).run(['--file', traceFile, '--json', '--workspace', '/w', '--task', 'abc'], io), 0);
  const report = JSON.parse(out.join('')) as { events: { cue: string; consequence: string | null }[]; summary: { fixes: number; fixTransitions: number } };
  assert.deepEqual(report.events.map((e) => [e.cue, e.consequence]), [['Hmm', null], ['Wait', 'fix'], ['the test expects', 'fix']]);
  assert.equal(report.summary.fixes, 2);
  assert.equal(report.summary.fixTransitions, 1);
  assert.deepEqual(seen, ['/w:abc', 'closed']);
});

test('usage errors: no --file, unknown flag, --workspace without --task; a missing file is bad input', async () => {
  await assert.rejects(main(['aha'], capture().io), (e: unknown) => e instanceof UsageError && /missing --file/.test(e.message));
  await assert.rejects(main(['aha', '--file', traceFile, '--bogus'], capture().io), UsageError);
  await assert.rejects(main(['aha', '--file', traceFile, '--workspace', dir], capture().io), (e: unknown) => e instanceof UsageError && /go together/.test(e.message));
  await assert.rejects(main(['aha', '--file', join(dir, 'nope.txt')], capture().io),
    (e: unknown) => e instanceof RlvrError && e.code === 'bad_input' && /cannot read trace/.test(e.message));
});

test('findTask takes an exact id or a unique prefix and explains what else to do', () => {
  const task = (id: string): Task => ({ id } as Task);
  const tasks = [task('abc123'), task('abd456'), task('abc999')];
  assert.equal(findTask(tasks, 'abd', '/w').id, 'abd456');
  assert.equal(findTask(tasks, 'abc123', '/w').id, 'abc123');
  assert.throws(() => findTask(tasks, 'abc', '/w'), /2 tasks start with it/);
  assert.throws(() => findTask(tasks, 'zzz', '/w'), (e: unknown) => e instanceof RlvrError && /no task has this id/.test(e.message) && /rlvr tasks --workspace \/w/.test(e.hint ?? ''));
});

test('verdictOf: passed → pass, failing tests or flags → fail, a verifier that gave up → no verdict', () => {
  const result = (passed: boolean, flags: string[], tests: number): VerificationResult => ({
    task: 't', reward: passed ? 1 : 0, passed, flags: flags.map((code) => ({ code, message: code })), seconds: 0,
    tests: Array.from({ length: tests }, (_, i) => ({ id: `t${i}`, outcome: passed ? 'passed' : 'failed', duration: 0, message: '', heldOut: false })),
  });
  assert.equal(verdictOf(result(true, [], 2)), 'pass');
  assert.equal(verdictOf(result(false, [], 2)), 'fail');
  assert.equal(verdictOf(result(false, ['wrong_symbol'], 0)), 'fail');
  assert.equal(verdictOf(result(false, ['crashed'], 0)), null);
  assert.equal(verdictOf(result(false, ['cancelled'], 0)), null);
});
