/**
 * The trace panel: one trace's reasoning (aha cues, heatmap), code and diff, tests and reward,
 * and its group side by side. The panel keeps the trace id in its state so the host's serializer
 * can reopen the same trace after a reload.
 */
import '../common/elements';
import { connect } from '../common/vscode-api';
import { button } from '../common/controls';
import { fmt, h, replaceChildren, signed } from '../common/dom';
import {
  WEBVIEW_PROTOCOL_VERSION, type HostToTrace, type TracePanelState, type TraceToHost,
} from '../../shared/webview-messages';
import type { GroupMemberVM, HeatmapMode, TraceDetailVM } from '../../shared/view-models';
import { renderCode } from './code-view';
import { renderGroup } from './group-view';
import { renderResults } from './results-view';
import { createThinkView, type ThinkView } from './think-view';

const TABS = ['reasoning', 'code', 'tests', 'group'] as const;
type Tab = (typeof TABS)[number];
const TAB_LABELS: Record<Tab, string> = { reasoning: 'Reasoning', code: 'Code & diff', tests: 'Tests & reward', group: 'Group' };

const channel = connect<TraceToHost, HostToTrace, TracePanelState>();
const app = document.getElementById('app') ?? document.body;
const state: TracePanelState = channel.getState() ?? { traceId: null, heatmap: 'off', tab: 'reasoning' };
let detail: TraceDetailVM | null = null;
let group: GroupMemberVM[] = [];
let think: ThinkView | null = null;
const header = h('header', { class: 'trace-header' });
const promptText = h('pre', { class: 'prompt' });
const errors = h('div', { class: 'errors', attrs: { role: 'alert' } });
const panels: Record<Tab, HTMLElement> = {
  reasoning: h('div', { class: 'panel' }), code: h('div', { class: 'panel' }), tests: h('div', { class: 'panel' }), group: h('div', { class: 'panel' }),
};

function save(): void {
  channel.setState(state);
}

function tabs(): HTMLElement {
  const element = document.createElement('vscode-tabs');
  for (const tab of TABS) {
    const headerEl = document.createElement('vscode-tab-header');
    headerEl.slot = 'header';
    headerEl.textContent = TAB_LABELS[tab];
    const panel = document.createElement('vscode-tab-panel');
    panel.appendChild(panels[tab]);
    element.append(headerEl, panel);
  }
  element.selectedIndex = Math.max(0, TABS.indexOf(state.tab as Tab));
  element.addEventListener('vsc-tabs-select', () => {
    state.tab = TABS[element.selectedIndex] ?? 'reasoning';
    save();
  });
  return element;
}

function renderHeader(d: TraceDetailVM): void {
  const jump = button('Jump to function', () => channel.post({ type: 'revealFunction', traceId: d.id }), true);
  if (d.original === null) jump.disabled = true;
  const showGroup = button('Show group', () => channel.post({ type: 'openGroup', traceId: d.id }), true);
  const passedTests = d.tests.filter((t) => t.outcome === 'passed').length;
  replaceChildren(header,
    h('div', { class: 'title-line' },
      h('span', { class: `status ${d.passed ? 'status-pass' : 'status-fail'}`, text: d.passed ? '✓ passed' : '✗ failed' }),
      h('strong', { text: d.taskId }),
      h('span', { class: 'muted', text: `trace ${d.id} · ${d.runId} · step ${d.step} · group ${d.groupIndex} · sample ${d.sampleIndex}${d.kind === 'eval' ? ` · eval ${d.evalLabel ?? ''}` : ''}` })),
    h('div', { class: 'title-line' },
      h('span', { text: `reward ${fmt(d.reward.total, 3)}` }),
      h('span', { text: `advantage ${d.advantage === null ? '–' : signed(d.advantage, 3)}` }),
      h('span', { text: `tests ${passedTests}/${d.tests.length}` }),
      h('span', { text: `aha ${d.ahaEvents.length}` }),
      h('span', { text: `finish ${d.finishReason}` }),
      d.flags.length > 0 ? h('span', { class: 'badge badge-flag', text: `${d.flags.length} flag(s)` }) : null,
      h('span', { class: 'spacer' }), jump, showGroup));
}

function renderTrace(d: TraceDetailVM): void {
  detail = d;
  state.traceId = d.id;
  save();
  renderHeader(d);
  promptText.textContent = d.prompt;
  think?.show(d, state.heatmap);
  renderCode(panels.code, d);
  renderResults(panels.tests, d);
  if (!group.some((m) => m.id === d.id)) group = [];
  renderGroup(panels.group, group, d.id, { openTrace: (traceId) => channel.post({ type: 'openTrace', traceId }) });
  replaceChildren(errors);
}

function build(heatmap: HeatmapMode): void {
  if (channel.getState() === undefined) state.heatmap = heatmap;
  think = createThinkView(state.heatmap, (mode) => {
    state.heatmap = mode;
    save();
    channel.post({ type: 'setHeatmap', mode });
  });
  const prompt = document.createElement('vscode-collapsible');
  prompt.heading = 'Prompt';
  prompt.appendChild(promptText);
  replaceChildren(panels.reasoning, prompt, think.element);
  replaceChildren(header, h('p', { class: 'muted', text: 'Loading trace…' }));
  replaceChildren(app, header, errors, tabs());
}

function onMessage(message: HostToTrace): void {
  switch (message.type) {
    case 'init':
      if (message.version !== WEBVIEW_PROTOCOL_VERSION) {
        replaceChildren(app, h('p', { class: 'error', text: `This panel expects protocol ${WEBVIEW_PROTOCOL_VERSION}, the extension speaks ${message.version}: reload the window.` }));
        return;
      }
      build(message.heatmap);
      return;
    case 'trace':
      renderTrace(message.detail);
      return;
    case 'group':
      group = message.members;
      renderGroup(panels.group, group, detail?.id ?? message.traceId, { openTrace: (traceId) => channel.post({ type: 'openTrace', traceId }) });
      state.tab = 'group';
      save();
      selectTab('group');
      return;
    case 'error':
      replaceChildren(errors, h('p', { class: 'error', text: message.message }));
      return;
  }
}

function selectTab(tab: Tab): void {
  const element = app.querySelector('vscode-tabs');
  if (element) element.selectedIndex = TABS.indexOf(tab);
}

channel.onMessage(onMessage);
replaceChildren(app, h('p', { class: 'muted', text: 'Waiting for the extension…' }));
channel.post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
