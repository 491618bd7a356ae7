// The three webview bundles rendered in headless Chromium under the extension's real CSP, with a
// fake host: 100k-row virtual list, a hostile trace, live dashboard. Screenshots go to
// test-output/webviews/. Needs Chromium at /usr/bin/chromium (or $CHROMIUM) and playwright-core.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Browser } from 'playwright-core';
import { WEBVIEW_PROTOCOL_VERSION } from '../../src/shared/webview-messages';
import { buildWebviews, openWebview, serve, type Harness, type Served } from '../fixtures/webview-harness/harness';
import {
  HOSTILE, HOSTILE_STRINGS, RUNS, evaluations, groupOf, hostileTrace, steps, traceRow,
} from '../fixtures/webview-harness/sample-data';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = join(__dirname, '..', '..', 'test-output', 'webviews');
const TOTAL = 100_000;
const skip = existsSync(CHROMIUM) ? false : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set CHROMIUM)`;

let browser: Browser;
let served: Served;
const bundleDir = mkdtempSync(join(tmpdir(), 'rlvr-webviews-'));

before(async () => {
  if (skip) return;
  const { chromium } = await import('playwright-core');
  await buildWebviews(bundleDir);
  served = await serve(bundleDir);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await served?.close();
  rmSync(bundleDir, { recursive: true, force: true });
});

/** Checks every page must pass: no CSP violation, error or dialog; injected markup stayed text. */
async function assertInert(harness: Harness): Promise<void> {
  assert.deepEqual(await harness.problems(), []);
  const dom = await harness.page.evaluate(() => ({
    scripts: document.querySelectorAll('script').length,
    images: document.querySelectorAll('img, svg:not([class*="codicon"])').length,
    links: [...document.querySelectorAll('a')].map((a) => a.getAttribute('href')),
    handlers: [...document.querySelectorAll('*')].flatMap((el) => [...el.attributes].filter((a) => a.name.startsWith('on')).map((a) => a.name)),
    styles: document.querySelectorAll('style').length,
    bodyDisplay: getComputedStyle(document.body).display,
    text: document.body.innerText,
  }));
  assert.equal(dom.scripts, 1, 'only the bundle script');
  assert.equal(dom.images, 0, 'no injected images or svg');
  assert.deepEqual(dom.links, []);
  assert.deepEqual(dom.handlers, []);
  assert.equal(dom.styles, 0, 'no <style> elements in the document');
  assert.notEqual(dom.bodyDisplay, 'none');
  assert.ok(dom.text.includes(HOSTILE_STRINGS[0] as string), 'the hostile text is shown as text');
}

test('traces: a virtual list over 100k rows renders only what is in view, and hostile rows stay text', { skip }, async () => {
  const queries: { offset: number; limit: number; filter: Record<string, unknown> }[] = [];
  const harness = await openWebview(browser, served.origin, 'traces', async (m, h) => {
    if (m.type === 'ready') {
      await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, runs: RUNS, runId: RUNS[0]!.id, facets: { taskIds: ['mathx.clamp', HOSTILE_STRINGS[0]], finishReasons: ['stop', 'length'] } });
    } else if (m.type === 'queryTraces') {
      const q = m as unknown as { requestId: number; offset: number; limit: number; filter: Record<string, unknown> };
      queries.push(q);
      const rows = Array.from({ length: Math.max(0, Math.min(q.limit, TOTAL - q.offset)) }, (_, i) => traceRow(q.offset + i));
      await h.send({ type: 'traces', requestId: q.requestId, offset: q.offset, rows, total: TOTAL, hasMore: q.offset + rows.length < TOTAL });
    }
  });
  const { page } = harness;
  await page.waitForSelector('.vlist-row .task');
  await page.waitForFunction(() => document.querySelector('.status-line')?.textContent?.includes('100,000'));
  await page.screenshot({ path: join(SHOTS, 'traces.png') });
  assert.equal(await page.locator('.vlist-row').first().locator('.task').textContent(), HOSTILE_STRINGS[0]);
  await assertInert(harness);

  const started = Date.now();
  await page.evaluate(() => { document.querySelector('.vlist')!.scrollTop = 50_000 * 44; });
  await page.waitForFunction(() => [...document.querySelectorAll('.vlist-row:not([hidden])')].some((r) => r.textContent?.includes('Row 50000:')));
  const jumpMs = Date.now() - started;
  const live = await page.locator('.vlist-row').count();
  assert.ok(live < 60, `only the rows in view exist, found ${live}`);
  assert.ok(jumpMs < 2000, `jumping to row 50 000 took ${jumpMs} ms`);
  assert.ok(queries.every((q) => q.limit <= 1000) && queries.length <= 6, `paged queries: ${JSON.stringify(queries.map((q) => q.offset))}`);
  await page.screenshot({ path: join(SHOTS, 'traces-scrolled.png') });

  await page.locator('.vlist-row', { hasText: 'Row 50002:' }).click();
  assert.deepEqual(harness.posted.at(-1), { type: 'openTrace', traceId: TOTAL - 50_002 });
  await page.locator('.vlist-row', { hasText: 'Row 50003:' }).getByRole('button', { name: 'group' }).click();
  assert.deepEqual(harness.posted.at(-1), { type: 'openGroup', traceId: TOTAL - 50_003 });

  await page.locator('vscode-checkbox', { hasText: 'Group by prompt' }).click();
  await page.waitForFunction(() => document.querySelectorAll('.vlist-row.group-start').length > 0);
  assert.deepEqual(queries.at(-1)?.offset, 0);
  assert.equal((queries.at(-1) as unknown as { sort: { key: string } }).sort.key, 'id', 'grouping lists siblings in insertion order');
  const starts = await page.evaluate(() => [...document.querySelectorAll('.vlist-row.group-start')].map((r) => Number((r as HTMLElement).dataset.index)));
  assert.ok(starts.every((i) => i % 8 === 0), `groups of 8 start at multiples of 8: ${starts}`);
  await page.screenshot({ path: join(SHOTS, 'traces-grouped.png') });

  await page.locator('vscode-textfield').first().locator('input').fill('wait* edge');
  await page.waitForFunction(() => document.querySelector('.vlist')!.scrollTop === 0);
  await page.waitForTimeout(500);
  assert.equal(queries.at(-1)?.filter.search, 'wait* edge');
  assert.equal(queries.at(-1)?.offset, 0, 'a new search starts from the top');
  await page.close();
});

test('traces: a reloaded view restores its filters and scroll position from the saved state', { skip }, async () => {
  const saved = {
    runId: RUNS[0]!.id, sort: { key: 'reward', order: 'asc' }, groupByPrompt: false, scrollTop: 1000 * 44,
    form: { search: 'edge', stepMin: '2', stepMax: '', taskId: '', minReward: '', maxReward: '', outcome: 'passed', finishReason: '', kind: '', hasAha: true, flagged: false },
  };
  const queries: Record<string, unknown>[] = [];
  const harness = await openWebview(browser, served.origin, 'traces', async (m, h) => {
    if (m.type === 'ready') await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, runs: RUNS, runId: RUNS[1]!.id, facets: { taskIds: [], finishReasons: [] } });
    if (m.type === 'queryTraces') {
      const q = m as unknown as { requestId: number; offset: number; limit: number };
      queries.push(m);
      await h.send({ type: 'traces', requestId: q.requestId, offset: q.offset, rows: Array.from({ length: q.limit }, (_, i) => traceRow(q.offset + i)), total: TOTAL, hasMore: true });
    }
  }, saved);
  const { page } = harness;
  await page.waitForFunction(() => [...document.querySelectorAll('.vlist-row:not([hidden])')].some((r) => r.textContent?.includes('Row 1000:')));
  assert.deepEqual(queries[0], {
    type: 'queryTraces', requestId: 1, offset: 0, limit: 200, sort: { key: 'reward', order: 'asc' },
    filter: { runId: RUNS[0]!.id, step: { min: 2 }, passed: true, hasAha: true, search: 'edge' },
  });
  assert.equal(await page.locator('vscode-textfield').first().evaluate((el) => (el as HTMLElement & { value: string }).value), 'edge');
  await assertInert(harness);
  await page.close();
});

test('trace: aha spans by category with hover text, heatmap buckets, diff, tests and group; hostile text inert', { skip }, async () => {
  const detail = hostileTrace();
  const harness = await openWebview(browser, served.origin, 'trace', async (m, h) => {
    if (m.type === 'ready') {
      await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, heatmap: 'entropy' });
      await h.send({ type: 'trace', detail });
    } else if (m.type === 'openGroup') {
      await h.send({ type: 'group', traceId: detail.id, members: groupOf(detail) });
    }
  });
  const { page } = harness;
  await page.waitForSelector('mark.aha');
  const marks = await page.evaluate(() => [...document.querySelectorAll('mark.aha')].map((m) => ({ cls: m.className, text: m.textContent, title: m.getAttribute('title') })));
  const categories = new Set(marks.map((m) => /aha-(\w+)/.exec(m.cls)?.[1]));
  assert.deepEqual([...categories].sort(), ['backtrack', 'code', 'other', 'pause', 'reconsider', 'verify']);
  const wait = marks.filter((m) => m.cls.includes('aha-backtrack')).map((m) => m.text).join('');
  assert.equal(wait, 'Wait');
  assert.match(marks.find((m) => m.cls.includes('aha-backtrack'))?.title ?? '', /fix — failing code became passing/);
  assert.ok(await page.locator('.think .heat-9').count() > 0, 'hot tokens are bucketed');
  await page.screenshot({ path: join(SHOTS, 'trace-reasoning.png'), fullPage: true });
  await assertInert(harness);

  await page.getByText('Code & diff').click();
  assert.equal(await page.locator('.diff-add').count(), 3);
  assert.equal(await page.locator('.diff-del').count(), 1);
  assert.ok(await page.locator('.code .tok-keyword', { hasText: 'def' }).count() >= 2);
  await page.screenshot({ path: join(SHOTS, 'trace-code.png'), fullPage: true });

  await page.getByText('Tests & reward').click();
  assert.equal(await page.locator('table.tests tbody tr').count(), 3);
  await page.screenshot({ path: join(SHOTS, 'trace-tests.png'), fullPage: true });

  await page.getByRole('button', { name: 'Jump to function' }).click();
  assert.deepEqual(harness.posted.at(-1), { type: 'revealFunction', traceId: detail.id });
  await page.getByRole('button', { name: 'Show group' }).click();
  await page.waitForSelector('.group-col');
  assert.equal(await page.locator('.group-col').count(), 4);
  assert.equal(await page.locator('.group-col.current').count(), 1);
  await page.screenshot({ path: join(SHOTS, 'trace-group.png'), fullPage: true });
  await assertInert(harness);
  assert.deepEqual(await page.evaluate(() => (window as unknown as { __state: unknown }).__state), { traceId: detail.id, heatmap: 'entropy', tab: 'group' });
  await page.close();
});

test('trace: a restored panel keeps its heatmap and tab; categories get distinct colours', { skip }, async () => {
  const detail = hostileTrace();
  const harness = await openWebview(browser, served.origin, 'trace', async (m, h) => {
    if (m.type === 'ready') {
      await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, heatmap: 'entropy' });
      await h.send({ type: 'trace', detail });
    }
  }, { traceId: detail.id, heatmap: 'off', tab: 'reasoning' });
  const { page } = harness;
  await page.waitForSelector('mark.aha');
  assert.equal(await page.locator('.think .heat').count(), 0, 'the saved "off" wins over the host default');
  const colours = await page.evaluate(() => Object.fromEntries([...document.querySelectorAll('mark.aha')]
    .map((m) => [/aha-(\w+)/.exec(m.className)?.[1], getComputedStyle(m).backgroundColor])));
  assert.equal(new Set(Object.values(colours)).size, 6, JSON.stringify(colours));
  await page.screenshot({ path: join(SHOTS, 'trace-reasoning-plain.png') });
  await assertInert(harness);
  await page.evaluate(() => {
    const select = document.querySelector<HTMLElement & { value: string }>('.think-view vscode-single-select')!;
    select.value = 'logprob';
    select.dispatchEvent(new Event('change'));
  });
  await page.waitForSelector('.think .heat');
  assert.deepEqual(harness.posted.at(-1), { type: 'setHeatmap', mode: 'logprob' });
  await page.close();
});

test('dashboard: charts every metric, warns of a pass@k regression, follows live updates', { skip }, async () => {
  const harness = await openWebview(browser, served.origin, 'dashboard', async (m, h) => {
    if (m.type === 'ready') {
      await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, runs: RUNS, runId: RUNS[0]!.id, steps: steps(40), evaluations: evaluations() });
    }
  });
  const { page } = harness;
  await page.waitForSelector('.uplot canvas');
  assert.equal(await page.locator('.chart').count(), 12);
  assert.equal(await page.locator('.uplot').count(), 12);
  const health = await page.locator('.banner-health').textContent();
  assert.match(health ?? '', /Training health at step 40.*entropy collapse: down 67%.*no learning signal at step 40/s);
  assert.equal(await page.locator('.banner-health.critical li[data-code="no_signal"]').count(), 1);
  const banner = await page.locator('.banner-warning').textContent();
  assert.match(banner ?? '', /pass@k regression/);
  assert.match(banner ?? '', /step-20: pass@1 rose 0\.200 → 0\.340 while pass@16 fell 0\.660 → 0\.580/);
  await page.screenshot({ path: join(SHOTS, 'dashboard.png'), fullPage: true });
  await assertInert(harness);

  const next = steps(41).slice(40);
  await harness.send({ type: 'runUpdate', runId: RUNS[0]!.id, steps: next, evaluations: [] });
  await page.waitForFunction(() => document.querySelector('.summary')?.textContent?.startsWith('step 41'));
  await harness.send({ type: 'runUpdate', runId: 'another-run', steps: steps(99), evaluations: [] });
  await page.waitForTimeout(100);
  assert.match(await page.locator('.summary').textContent() ?? '', /^step 41/, 'updates for another run are ignored');
  await page.getByRole('button', { name: 'Export run' }).click();
  assert.deepEqual(harness.posted.at(-1), { type: 'exportRun', runId: RUNS[0]!.id });
  await page.close();
});

test('solve: streams hostile reasoning as text, then code, per-test results and the decision buttons', { skip }, async () => {
  const task = { taskId: 't1', symbol: `clamp ${HOSTILE_STRINGS[1]}`, file: 'basics/arithmetic.py', line: 36, language: 'python' };
  const model = { label: 'r-1 · step 30 (ONNX)', dir: '/m', provider: null };
  const harness = await openWebview(browser, served.origin, 'solve', async (m, h) => {
    if (m.type === 'ready') {
      await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, state: null });
      await h.send({ type: 'session', solveId: 3, task, model, prompt: `user:\nComplete clamp ${HOSTILE_STRINGS[4]}` });
      await h.send({ type: 'phase', solveId: 3, phase: 'generating', message: null });
    }
  });
  const { page } = harness;
  await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'Generating…');
  const think = `<think>\nclamp first. ${HOSTILE} Wait, check hi.\n</think>\n`;
  for (const piece of think.match(/[\s\S]{1,9}/g) ?? []) await harness.send({ type: 'delta', solveId: 3, text: piece });
  await harness.send({ type: 'delta', solveId: 2, text: 'STALE' });
  await page.waitForFunction(() => document.querySelector('.think')?.textContent?.includes('Wait, check hi.'));
  assert.equal(await page.locator('.think').textContent(), `clamp first. ${HOSTILE} Wait, check hi.\n`);
  const disabled = () => page.evaluate(() => Object.fromEntries([...document.querySelectorAll('vscode-button')]
    .map((b) => [b.textContent, (b as HTMLElement & { disabled: boolean }).disabled])));
  assert.deepEqual(await disabled(), { Cancel: false, 'Show Diff': true, Accept: true, Discard: true });
  await page.getByRole('button', { name: 'Cancel' }).click();
  assert.deepEqual(harness.posted.at(-1), { type: 'cancel', solveId: 3 });

  const code = `def clamp(x, lo, hi):\n    return max(lo, min(x, hi))  # ${HOSTILE_STRINGS[0]}\n`;
  await harness.send({ type: 'delta', solveId: 3, text: '```python\n' + code + '```' });
  await harness.send({ type: 'generated', solveId: 3, generation: { think: 'x', answer: 'y', code, finishReason: 'stop', completionTokens: 120, tokensPerSecond: 88.5 } });
  await harness.send({ type: 'verified', solveId: 3, verification: {
    passed: false, reward: 0.67, seconds: 0.4, flags: [{ code: 'timeout', message: HOSTILE_STRINGS[2] }],
    tests: [
      { testId: 'tests/test_arithmetic.py::test_clamp', outcome: 'passed', duration: 0.01, message: null, heldOut: false },
      { testId: 'tests/test_arithmetic.py::test_clamp_order', outcome: 'passed', duration: 0.01, message: null, heldOut: false },
      { testId: `tests/test_arithmetic.py::test_clamp_edges`, outcome: 'failed', duration: 0.02, message: `assert 3 == 2 ${HOSTILE_STRINGS[3]}`, heldOut: true },
    ] } });
  await harness.send({ type: 'phase', solveId: 3, phase: 'verified', message: null });
  await page.waitForSelector('table.tests');
  assert.equal(await page.locator('.status').first().textContent(), '✗ 2/3 by trained model (flagged)');
  assert.equal(await page.locator('table.tests tbody tr').count(), 3);
  assert.ok(await page.locator('.code .tok-keyword', { hasText: 'def' }).count() >= 1, 'the code is highlighted');
  assert.deepEqual(await disabled(), { Cancel: true, 'Show Diff': false, Accept: false, Discard: false });
  await page.screenshot({ path: join(SHOTS, 'solve.png'), fullPage: true });
  await assertInert(harness);

  await page.getByRole('button', { name: 'Show Diff' }).click();
  await page.getByRole('button', { name: 'Accept' }).click();
  assert.deepEqual(harness.posted.slice(-2), [{ type: 'showDiff', solveId: 3 }, { type: 'accept', solveId: 3 }]);
  await harness.send({ type: 'phase', solveId: 3, phase: 'accepted', message: 'Replaced `clamp` in basics/arithmetic.py.' });
  await page.waitForFunction(() => document.querySelector('.status')?.textContent?.startsWith('Accepted'));
  assert.deepEqual(await disabled(), { Cancel: true, 'Show Diff': true, Accept: true, Discard: true }, 'decided: no second accept');
  await page.close();
});

test('solve: a rebuilt panel renders the replayed state; a failed solve shows its reason', { skip }, async () => {
  const state = {
    solveId: 9, task: { taskId: 't', symbol: 'mean', file: 'basics/arithmetic.py', line: 41, language: 'python' },
    model: { label: 'folder (ONNX)', dir: '/m', provider: 'cpu' }, prompt: 'user:\nComplete mean', phase: 'failed',
    message: "The model's answer has no code block (it ran out of tokens before answering), so there is nothing to verify.",
    text: '<think>\nthe mean is the sum over the count', verification: null,
    generation: { think: 'the mean is the sum over the count', answer: '', code: null, finishReason: 'length', completionTokens: 256, tokensPerSecond: 70 },
  };
  const harness = await openWebview(browser, served.origin, 'solve', async (m, h) => {
    if (m.type === 'ready') await h.send({ type: 'init', version: WEBVIEW_PROTOCOL_VERSION, state });
  });
  const { page } = harness;
  await page.waitForFunction(() => document.querySelector('.status')?.textContent === 'Failed');
  assert.match(await page.locator('.message').textContent() ?? '', /no code block/);
  assert.equal(await page.locator('.think').textContent(), 'the mean is the sum over the count');
  assert.match(await page.locator('.solve-header').textContent() ?? '', /hit the token limit/);
  assert.equal(await page.locator('vscode-button:not([disabled])').count(), 0);
  assert.deepEqual(await harness.problems(), []);
  await page.close();
});
