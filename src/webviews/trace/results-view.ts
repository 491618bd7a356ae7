/** Reward components, advantage, per-test results and flags of one trace. */
import { fmt, h, replaceChildren, signed } from '../common/dom';
import type { TestResultVM, TraceDetailVM } from '../../shared/view-models';

function keyValues(pairs: readonly [string, string, string?][]): HTMLElement {
  return h('dl', { class: 'kv' }, ...pairs.flatMap(([k, v, cls]) => [h('dt', { text: k }), h('dd', { class: cls ?? '', text: v })]));
}

function outcomeClass(outcome: string): string {
  if (outcome === 'passed') return 'outcome-pass';
  if (outcome === 'failed' || outcome === 'error') return 'outcome-fail';
  return 'outcome-other';
}

function testRow(test: TestResultVM): HTMLElement {
  return h('tr', { class: test.heldOut ? 'held-out' : '' },
    h('td', { class: outcomeClass(test.outcome), text: test.outcome }),
    h('td', { class: 'test-id', text: test.testId }),
    h('td', { text: test.heldOut ? 'held out' : 'shown' }),
    h('td', { class: 'num', text: test.duration === null ? '–' : `${(test.duration * 1000).toFixed(0)} ms` }),
    h('td', {}, test.message ? h('pre', { class: 'test-message', text: test.message }) : null));
}

export function testsTable(tests: readonly TestResultVM[]): HTMLElement {
  if (tests.length === 0) return h('p', { class: 'muted', text: 'No test results (nothing was verified).' });
  const passed = tests.filter((t) => t.outcome === 'passed').length;
  const heldOut = tests.filter((t) => t.heldOut);
  const summary = `${passed}/${tests.length} passed` + (heldOut.length > 0
    ? ` · held-out ${heldOut.filter((t) => t.outcome === 'passed').length}/${heldOut.length}` : '');
  return h('div', {},
    h('p', { text: summary }),
    h('table', { class: 'tests' },
      h('thead', {}, h('tr', {}, ...['Outcome', 'Test', 'Split', 'Time', 'Message'].map((t) => h('th', { text: t })))),
      h('tbody', {}, ...tests.map(testRow))));
}

export function renderResults(target: HTMLElement, detail: TraceDetailVM): void {
  const r = detail.reward;
  replaceChildren(target,
    h('h3', { text: 'Reward' }),
    keyValues([
      ['total', fmt(r.total, 3), 'strong'],
      ['correctness', fmt(r.correctness, 3)],
      ['format', fmt(r.format, 3)],
      ['overlong', fmt(r.overlong, 3)],
      ['advantage', detail.advantage === null ? 'not trained on' : signed(detail.advantage, 3), detail.advantage !== null && detail.advantage < 0 ? 'negative' : 'positive'],
      ['pass fraction', detail.passFraction === null ? 'not verified' : `${Math.round(detail.passFraction * 100)}%`],
      ['finish', detail.finishReason],
      ['tokens', `${detail.promptTokens} prompt + ${detail.completionTokens} completion`],
    ]),
    detail.flags.length > 0 ? h('h3', { text: 'Flags' }) : null,
    detail.flags.length > 0 ? h('ul', { class: 'flags' }, ...detail.flags.map((f) => h('li', {}, h('code', { text: f.code }), ' ', f.message))) : null,
    h('h3', { text: 'Tests' }),
    testsTable(detail.tests));
}
