/**
 * Trace views on a seeded store (fixtures/seed-traces.ts): the side panel lists the run's traces,
 * a click opens the trace with its aha cues highlighted, and a trace whose texts are XSS and CSS
 * injection payloads renders them as inert text in the list and in the trace view.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { Frame } from 'playwright-core';
import { seedTraces, MARK, PAYLOADS, SEEDED_RUN, type SeededTraces } from './fixtures/seed-traces';
import { startStudio, type Studio } from './harness';

let studio: Studio;
let seeded: SeededTraces;

before(async () => {
  studio = await startStudio({
    name: 'trace-views',
    prepareWorkspace: async (workspace) => {
      seeded = await seedTraces(workspace);
    },
  });
});

after(async () => {
  await studio?.close();
});

/** What escaped into the DOM: elements or attributes that only the payload could have created. */
function escapedElements(frame: Frame, mark: string): Promise<string[]> {
  return frame.evaluate((m) => {
    const found: string[] = [];
    for (const el of Array.from(document.querySelectorAll('*'))) {
      for (const attr of Array.from(el.attributes)) {
        if (/^on/i.test(attr.name)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}>`);
        if (/^\s*javascript:/i.test(attr.value)) found.push(`<${el.tagName.toLowerCase()} ${attr.name}="${attr.value.slice(0, 30)}">`);
      }
      if (el.id.startsWith(m)) found.push(`#${el.id}`);
      const tag = el.tagName.toLowerCase();
      if (['img', 'svg', 'iframe', 'a'].includes(tag)) found.push(`<${tag}>`);
      if ((tag === 'script' || tag === 'style') && (el.textContent ?? '').includes(tag === 'script' ? m : 'rgb(1, 2, 3)')) found.push(`<${tag}> from the payload`);
    }
    return found;
  }, mark);
}

async function assertInert(frame: Frame, where: string): Promise<void> {
  assert.deepEqual(await escapedElements(frame, MARK), [], `${where}: payload markup became DOM`);
  const visible = await frame.evaluate(() => getComputedStyle(document.body).display !== 'none' && document.body.innerText.length > 0);
  assert.ok(visible, `${where}: the body was hidden (CSS injection)`);
  assert.equal(await frame.evaluate(() => document.title.includes('pwned')), false);
}

test('the side panel lists the seeded run\'s traces', async () => {
  await studio.showSidePanel();
  const traces = await studio.webview('.vlist-row');
  await traces.locator('.vlist-row .task', { hasText: 'reverse-words' }).first().waitFor({ timeout: 30_000 });
  assert.equal(await traces.locator('.vlist-row:not(.loading)').count(), 2);
  const selectedRun = await traces.locator('vscode-single-select[aria-label="Run"] vscode-option[selected]').textContent();
  assert.match(selectedRun ?? '', new RegExp(`^${SEEDED_RUN} · completed`));
  await studio.screenshot('traces-list');
});

test('clicking the aha trace opens it with every aha cue highlighted', async () => {
  const traces = await studio.webview('.vlist-row');
  const ahaRow = traces.locator('.vlist-row', { hasText: 'I will reverse the words' });
  assert.equal(await ahaRow.locator('.badge-aha').textContent(), `aha ${seeded.ahaEventCount}`);
  await ahaRow.click();
  const view = await studio.webview('pre.think mark.aha', 30_000);
  const marks = view.locator('pre.think mark.aha');
  assert.equal(await marks.count(), seeded.ahaEventCount);
  const cues = await marks.allTextContents();
  assert.deepEqual(cues.map((c) => c.toLowerCase()), ['wait', 'let me double-check', 'actually']);
  for (const title of await marks.evaluateAll((els) => els.map((e) => e.getAttribute('title') ?? ''))) {
    assert.ok(title.length > 0, 'each highlighted cue explains itself on hover');
  }
  await studio.screenshot('aha-trace');
});

test('a trace made of script, handler, javascript: and CSS payloads renders inert', async () => {
  await studio.runCommand('View: Close All Editors');
  await studio.runCommand('RLVR: Open Trace…');
  await studio.page.locator('.quick-input-widget .quick-input-box input').fill(String(seeded.hostileTraceId));
  await studio.pick(`#${seeded.hostileTraceId}`);
  const view = await studio.webview('pre.think', 30_000);
  await view.locator('pre.think', { hasText: 'That is all.' }).waitFor({ timeout: 30_000 });
  // Give any injected handler (onerror, onload) time to fire before looking for its effects.
  await studio.page.waitForTimeout(1500);
  const reasoning = await view.locator('pre.think').innerText();
  for (const payload of PAYLOADS) assert.ok(reasoning.includes(payload), `the payload is not shown as text: ${payload}`);
  await assertInert(view, 'trace view, reasoning');
  await studio.screenshot('hostile-trace');
  // The code (syntax-highlighted), test messages, flags and group view each render model text.
  for (const [tab, shown] of [['Code & diff', PAYLOADS[0]], ['Tests & reward', PAYLOADS[1]], ['Group', 'reverse-words']] as const) {
    await view.locator('vscode-tab-header', { hasText: tab }).click();
    await studio.page.waitForTimeout(1000);
    const text = await view.evaluate(() => document.body.innerText);
    assert.ok(text.includes(shown ?? ''), `the ${tab} tab does not show ${shown} as text`);
    await assertInert(view, `trace view, ${tab}`);
    await studio.screenshot(`hostile-trace-${tab.split(' ')[0]?.toLowerCase()}`);
  }
  await assertInert(await studio.webview('.vlist-row'), 'traces list');
  assert.deepEqual(studio.dialogs, [], 'a payload opened a dialog');
});

test('control: the same checks catch the payloads when they are parsed as HTML', async () => {
  // Proves the inertness checks can fail: in a scratch page the payloads become live markup.
  const browser = studio.page.context().browser();
  assert.ok(browser, 'the workbench page has no browser');
  const scratch = await browser.newPage();
  try {
    const dialogs: string[] = [];
    scratch.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
    await scratch.setContent(`<html><body><pre>${PAYLOADS.join('\n')}</pre></body></html>`);
    await scratch.waitForTimeout(500);
    const escaped = await escapedElements(scratch.mainFrame(), MARK);
    assert.ok(escaped.length >= 6, `expected the detector to find the live payload elements, found ${escaped.join(', ')}`);
    assert.ok(dialogs.length > 0, 'expected the live payload to open an alert');
  } finally {
    await scratch.close();
  }
});
