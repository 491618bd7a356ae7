/** Pure helpers of the extension host: editor annotations, tree rows, setup report, CSP document, CLI output. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TaskSummary, TraceSummary } from '../../src/trainer/store';
import { decorationText, failureMessage, lensTitle, outcomeAtLatestStep, summariesByTask } from '../../src/extension/core/task-lens';
import { originalFunction, pathInWorkspace, taskLocation } from '../../src/extension/core/task-locations';
import { modelName, tasksOfStep } from '../../src/extension/core/tree-rows';
import { formatSetupReport, parseSetupOutput, torchBuild } from '../../src/extension/core/setup-report';
import { hubIdProblem, readRecentModels, rememberModel } from '../../src/extension/core/recent-models';
import { contentSecurityPolicy, webviewDocument } from '../../src/extension/core/webview-document';
import { describeCliFailure, CliProcessError } from '../../src/extension/core/errors';
import { LineSplitter } from '../../src/extension/core/line-splitter';
import { PageCursors } from '../../src/extension/core/page-cursors';
import { describeTasks, formatEvaluations, parseEvaluations, parseGroundTruth, parseMinedTasks } from '../../src/extension/core/cli-json';
import { CliOutputError } from '../../src/extension/core/errors';

const summary = (over: Partial<TaskSummary>): TaskSummary => ({
  taskId: 't1', kind: 'train', samples: 40, passed: 12, bestTraceId: 77, bestReward: 1.1, lastStep: 40, ...over,
});

test('CodeLens and decoration text count the latest step only', () => {
  const rows = [...Array.from({ length: 8 }, (_, i) => ({ step: 40, passed: i < 6 })), { step: 39, passed: true }];
  const o = outcomeAtLatestStep(summary({}), rows);
  assert.equal(lensTitle(o), 'RLVR ✓ 6/8 verified · step 40 · best trace');
  assert.equal(decorationText(o), '✓ 6/8');
  const none = outcomeAtLatestStep(summary({}), Array.from({ length: 8 }, () => ({ step: 40, passed: false })));
  assert.equal(lensTitle(none), 'RLVR ✗ 0/8 verified · step 40 · best trace');
  assert.equal(failureMessage(none), 'no training sample passed at step 40 (0/8)');
  const heldOut = outcomeAtLatestStep(summary({ kind: 'eval', lastStep: 30 }), [{ step: 30, passed: true }]);
  assert.equal(lensTitle(heldOut), 'RLVR held-out ✓ 1/1 verified · step 30 · best trace');
});

test('a task trained on shows its training summary, a held-out one its evaluation', () => {
  const byTask = summariesByTask([summary({ kind: 'eval', taskId: 'a' }), summary({ kind: 'train', taskId: 'a', passed: 3 }), summary({ kind: 'eval', taskId: 'b' })]);
  assert.equal(byTask.get('a')?.kind, 'train');
  assert.equal(byTask.get('b')?.kind, 'eval');
});

test('task locations: fields checked, files kept inside the workspace, spans checked against the file', () => {
  const row = { taskId: 't', split: 'train' as const, task: { file: 'pkg/text.py', symbol: 'Text.slugify', language: 'python', bodySpan: { startLine: 2, endLine: 4 } } };
  const loc = taskLocation(row);
  assert.ok(loc);
  assert.equal(taskLocation({ ...row, task: { ...row.task, bodySpan: { startLine: 5, endLine: 4 } } }), null);
  assert.equal(taskLocation({ ...row, task: { symbol: 'x' } }), null);
  assert.equal(pathInWorkspace('/ws', 'pkg/text.py'), '/ws/pkg/text.py');
  for (const bad of ['../etc/passwd', '/etc/passwd', 'pkg/../../x', '', '.']) assert.equal(pathInWorkspace('/ws', bad), null, bad);
  const text = 'import re\n@cache\ndef slugify(s):\n    return s\n';
  assert.deepEqual(originalFunction(loc, text), { file: 'pkg/text.py', line: 3, source: '@cache\ndef slugify(s):\n    return s', language: 'python' });
  assert.equal(originalFunction(loc, 'x = 1\ny = 2\nz = 3\nw = 4\n'), null, 'moved function: no stale source');
  assert.equal(originalFunction(loc, 'short\n'), null);
});

test('Runs tree: per-task counts of a step and the best trace', () => {
  const t = (id: number, taskId: string, passed: boolean, reward: number) => ({ id, taskId, passed, reward: { total: reward } }) as TraceSummary;
  assert.deepEqual(tasksOfStep([t(1, 'b', false, 0.1), t(2, 'a', true, 1.1), t(3, 'a', false, 0.2), t(4, 'a', true, 1.05)]), [
    { taskId: 'a', passed: 2, samples: 3, bestTraceId: 2, bestReward: 1.1 },
    { taskId: 'b', passed: 0, samples: 1, bestTraceId: 1, bestReward: 0.1 },
  ]);
  assert.equal(modelName('/home/u/.cache/rlvr-studio/models/tiny-coder'), 'tiny-coder');
  assert.equal(modelName('Qwen/Qwen2.5-0.5B-Instruct'), 'Qwen/Qwen2.5-0.5B-Instruct');
});

test('setup report: torch build, CUDA and the script\'s warnings', () => {
  const ok = parseSetupOutput(['setup: creating .venv with Python 3.11.2', 'setup: torch 2.5.1+cu124; CUDA usable: True (NVIDIA H100)'], 0);
  assert.deepEqual(ok, { venv: null, torchVersion: '2.5.1+cu124', torchBuild: 'CUDA 12.4 build', cudaUsable: true, device: 'NVIDIA H100', cudaReason: null, problems: [] });
  assert.match(formatSetupReport(ok), /ready\. PyTorch 2\.5\.1\+cu124 \(CUDA 12\.4 build\); CUDA usable: yes \(NVIDIA H100\)/);
  const cpu = parseSetupOutput([
    'setup: torch 2.5.1+cpu; CUDA usable: False (training runs on CPU)',
    'setup: WARNING: bubblewrap (bwrap) is missing; the verifier needs it to sandbox candidates.',
    '       Debian/Ubuntu: sudo apt-get install bubblewrap'], 0);
  assert.equal(cpu.cudaUsable, false);
  assert.equal(cpu.device, null);
  assert.deepEqual(cpu.problems, ['bubblewrap (bwrap) is missing; the verifier needs it to sandbox candidates. (Debian/Ubuntu: sudo apt-get install bubblewrap)']);
  const failed = parseSetupOutput(['setup: python3 not found. Install Python ≥ 3.10'], 2);
  assert.equal(failed.torchVersion, null);
  assert.equal(failed.problems.length, 2);
  assert.match(formatSetupReport(failed), /^Python environment not ready\. PyTorch is not installed\. Missing or wrong: python3 not found/);
  assert.equal(torchBuild('2.4.0'), 'PyPI default build (bundles CUDA on Linux x86-64)');
  assert.equal(torchBuild('2.4.0+rocm6.1'), 'ROCm 6.1 build');
});

test('recent models and hub ids', () => {
  assert.deepEqual(rememberModel(['a', 'b', 'c'], 'b'), ['b', 'a', 'c']);
  assert.equal(rememberModel(Array.from({ length: 20 }, (_, i) => `m${i}`), 'new').length, 8);
  assert.deepEqual(readRecentModels(['x', 3, '', null, 'y']), ['x', 'y']);
  assert.deepEqual(readRecentModels('nope'), []);
  assert.equal(hubIdProblem('Qwen/Qwen2.5-0.5B-Instruct'), null);
  assert.equal(hubIdProblem('gpt2'), null);
  for (const bad of ['', 'a/b/c', '../x', 'has space', '/abs/path']) assert.ok(hubIdProblem(bad), bad);
});

test('webview document: strict CSP with the nonce, escaped attributes, one #app root', () => {
  assert.equal(contentSecurityPolicy('vscode-webview://x', 'N0NCE'),
    "default-src 'none'; style-src vscode-webview://x; script-src 'nonce-N0NCE'; img-src vscode-webview://x data:; font-src vscode-webview://x");
  const html = webviewDocument({ title: 'A "b" <c>', cspSource: 'vscode-webview://x', nonce: 'N0NCE', scriptUri: 'https://x/t.js?a=1&b="2"', styles: [{ href: 'https://x/c.css', id: 'vscode-codicon-stylesheet' }] });
  assert.match(html, /<script nonce="N0NCE" src="https:\/\/x\/t\.js\?a=1&amp;b=&quot;2&quot;"><\/script>/);
  assert.match(html, /<title>A &quot;b&quot; &lt;c&gt;<\/title>/);
  assert.match(html, /<link rel="stylesheet" href="https:\/\/x\/c\.css" id="vscode-codicon-stylesheet">/);
  assert.equal(html.match(/<script/g)?.length, 1);
  assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
});

test('CLI failures show the CLI\'s own message and hint', () => {
  assert.deepEqual(describeCliFailure('progress\nrlvr: no tests found in /ws\n  → add pytest tests\n'), { detail: 'no tests found in /ws', hint: 'add pytest tests' });
  assert.deepEqual(describeCliFailure('Traceback...\nValueError: x\n'), { detail: 'ValueError: x', hint: null });
  const e = new CliProcessError(['rlvr', 'tasks'], 1, null, 'rlvr: no tests found in /ws\n  → add tests\n');
  assert.equal(e.message, '`rlvr tasks` exited with code 1: no tests found in /ws');
  assert.equal(e.hint, 'add tests');
});

test('line splitter: lines split across chunks, CRLF, a last line without newline', () => {
  const lines: string[] = [];
  const s = new LineSplitter((l) => lines.push(l));
  s.push('{"type":"lo');
  s.push('g","line":"a"}\r\n{"x"');
  s.push(':1}\nlast');
  assert.deepEqual(lines, ['{"type":"log","line":"a"}', '{"x":1}']);
  s.flush();
  assert.deepEqual(lines.slice(-1), ['last']);
});

test('page cursors: per filter, cleared per run, bounded', () => {
  const c = new PageCursors();
  const k = PageCursors.keyOf('r1', { passed: true });
  c.set(k, 200, 'cur-200');
  assert.equal(c.get(k, 200), 'cur-200');
  assert.equal(c.get(PageCursors.keyOf('r1', { passed: false }), 200), undefined);
  c.clearRun('r1');
  assert.equal(c.get(k, 200), undefined);
  for (let i = 0; i < 20; i++) c.set(PageCursors.keyOf('r2', i), 0, `c${i}`);
  assert.equal(c.get(PageCursors.keyOf('r2', 0), 0), undefined, 'oldest filters are dropped');
  assert.equal(c.get(PageCursors.keyOf('r2', 19), 0), 'c19');
});

test('CLI JSON is checked where it enters', () => {
  const task = { id: 'abc', language: 'python', file: 'p.py', symbol: 'f', signature: 'def f():', docstring: null, bodySpan: { startLine: 1, endLine: 2 },
    context: '', tests: ['t'], visibleTests: ['t'], heldOutTests: [], baselineSeconds: 0.1, source: 'mined' };
  assert.equal(parseMinedTasks(['tasks'], JSON.stringify([task])).length, 1);
  assert.throws(() => parseMinedTasks(['tasks'], JSON.stringify([{ ...task, bodySpan: null }])), (e: unknown) => e instanceof CliOutputError && /task 0: field "bodySpan"/.test(e.message));
  assert.throws(() => parseMinedTasks(['tasks'], 'Traceback'), CliOutputError);
  assert.equal(describeTasks([task as never, { ...task, language: 'typescript', source: 'custom' } as never]), '2 tasks (1 Python, 1 TypeScript), 1 custom');
  assert.deepEqual(parseGroundTruth(['verify'], JSON.stringify([{ id: 'a', file: 'p.py', symbol: 'f', ok: false, reason: 'stub passes', original: {}, stub: {} }])),
    [{ id: 'a', file: 'p.py', symbol: 'f', ok: false, reason: 'stub passes' }]);
  const rows = parseEvaluations(['eval'], JSON.stringify([{ label: 'base', n: 8, passAtK: { 1: 0.3, 8: 0.6 }, regression: null }, { label: 'step-30', n: 8, passAtK: { 1: 0.5, 8: 0.55 }, regression: true }]));
  const shown = formatEvaluations(rows);
  assert.equal(shown.regression, true);
  assert.match(shown.text, /^base pass@1 30% pass@8 60% → step-30 pass@1 50% pass@8 55% — ⚠ pass@k at the largest k fell/);
});
