/**
 * The training dashboard: live step charts, pass@k curves with a regression banner, and the
 * steps' training-health warnings. Follows `runUpdate` messages while a run trains.
 */
import '../common/elements';
import { connect } from '../common/vscode-api';
import { button, select } from '../common/controls';
import { fmt, h, replaceChildren } from '../common/dom';
import {
  WEBVIEW_PROTOCOL_VERSION, type DashboardToHost, type HostToDashboard,
} from '../../shared/webview-messages';
import type { EvaluationVM, RunVM, StepVM } from '../../shared/view-models';
import { passAtKChart, stepChart, type Chart, type PassAtKChart } from './charts';
import { CHARTS, currentHealth, passAtKRegressions, summarizeWarnings, upsertEvaluations, upsertSteps } from './model';

interface DashboardState {
  runId: string | null;
}

const channel = connect<DashboardToHost, HostToDashboard, DashboardState>();
const app = document.getElementById('app') ?? document.body;
let runId: string | null = null;
let steps: StepVM[] = [];
let evaluations: EvaluationVM[] = [];
let charts: Chart[] = [];
let passAtK: PassAtKChart | null = null;
const runSelect = select([], '', 'Run');
const banner = h('div', { class: 'banner-slot', attrs: { role: 'alert' } });
const warnings = h('div', { class: 'warnings' });
const summary = h('div', { class: 'summary' });

const runLabel = (run: RunVM) => `${run.id} · ${run.status} · step ${run.lastStep} · ${run.model}`;

function renderBanner(): void {
  const regressions = passAtKRegressions(evaluations);
  const flagged = evaluations.filter((e) => e.regression === true && !regressions.some((r) => r.label === e.label));
  const lines = [
    ...regressions.map((r) => `${r.label}: pass@1 rose ${fmt(r.pass1[0], 3)} → ${fmt(r.pass1[1], 3)} while pass@${r.k} fell ${fmt(r.passK[0], 3)} → ${fmt(r.passK[1], 3)} against ${r.baseLabel}.`),
    ...flagged.map((e) => `${e.label}: the trainer flagged a pass@k regression against the base.`),
  ];
  const health = currentHealth(steps);
  replaceChildren(banner, lines.length === 0 ? null : h('div', { class: 'banner banner-warning' },
    h('strong', { text: '⚠ pass@k regression' }),
    h('p', { text: 'The policy got better at its first try but solves fewer tasks when allowed several tries: RL may be narrowing what the model explores rather than teaching it new solutions. Compare more checkpoints, lower the learning rate or KL-regularise, and check entropy.' }),
    h('ul', {}, ...lines.map((line) => h('li', { text: line })))),
  health === null ? null : h('div', { class: `banner banner-health${health.warnings.some((w) => w.severity === 'critical') ? ' critical' : ''}` },
    h('strong', { text: `⚠ Training health at step ${health.step}` }),
    h('ul', {}, ...health.warnings.map((w) => h('li', { text: w.message, attrs: { 'data-code': w.code } })))));
}

function renderWarnings(): void {
  const list = summarizeWarnings(steps);
  replaceChildren(warnings, h('h3', { text: 'Training health' }), list.length === 0
    ? h('p', { class: 'muted', text: steps.length === 0 ? 'No steps yet.' : 'No warnings.' })
    : h('ul', { class: 'warning-list' }, ...list.map((w) => h('li', {},
        h('span', { class: w.severity === 'critical' ? 'warning-text critical' : 'warning-text', text: w.text }),
        h('span', { class: 'muted', text: ` — step ${w.lastStep}${w.steps > 1 ? `, ${w.steps} steps` : ''}` })))));
}

function renderSummary(): void {
  const last = steps[steps.length - 1];
  replaceChildren(summary, last === undefined ? h('span', { class: 'muted', text: 'Waiting for the first step…' })
    : h('span', { text: `step ${last.step} · reward ${fmt(last.metrics.rewardMean)} · pass@1 ${fmt(last.metrics.passRate)} · entropy ${fmt(last.metrics.entropy)}` }));
}

function renderAll(): void {
  for (const chart of charts) chart.update(steps);
  passAtK?.update(evaluations);
  renderBanner();
  renderWarnings();
  renderSummary();
}

function build(runs: readonly RunVM[], initialRun: string | null): void {
  runId = initialRun;
  channel.setState({ runId });
  for (const chart of charts) chart.destroy();
  runSelect.setChoices(runs.map((r) => ({ value: r.id, label: runLabel(r) })), runId ?? '');
  const exportButton = button('Export run', () => { if (runId) channel.post({ type: 'exportRun', runId }); }, true);
  charts = CHARTS.map((spec) => stepChart(spec, steps));
  passAtK = passAtKChart(evaluations);
  replaceChildren(app,
    h('header', { class: 'toolbar' }, runSelect.element, exportButton, summary),
    banner,
    h('div', { class: 'chart-grid' }, passAtK.element, ...charts.map((c) => c.element)),
    warnings);
  renderAll();
}

function onMessage(message: HostToDashboard): void {
  switch (message.type) {
    case 'init': {
      if (message.version !== WEBVIEW_PROTOCOL_VERSION) {
        replaceChildren(app, h('p', { class: 'error', text: `This dashboard expects protocol ${WEBVIEW_PROTOCOL_VERSION}, the extension speaks ${message.version}: reload the window.` }));
        return;
      }
      steps = upsertSteps([], message.steps);
      evaluations = upsertEvaluations([], message.evaluations);
      build(message.runs, message.runId);
      return;
    }
    case 'runUpdate':
      // Updates of a run not shown (a late one after the user switched) are dropped; to switch
      // runs itself the host sends `init` again.
      if (message.runId !== runId) return;
      steps = upsertSteps(steps, message.steps);
      evaluations = upsertEvaluations(evaluations, message.evaluations);
      renderAll();
      return;
    case 'runs':
      runSelect.setChoices(message.runs.map((r) => ({ value: r.id, label: runLabel(r) })), runId ?? '');
      return;
    case 'error':
      replaceChildren(banner, h('div', { class: 'banner banner-error', text: message.message }));
      return;
  }
}

runSelect.onChange((value) => {
  if (value === runId || value === '') return;
  runId = value;
  steps = [];
  evaluations = [];
  renderAll();
  channel.setState({ runId });
  channel.post({ type: 'selectRun', runId });
});
channel.onMessage(onMessage);
replaceChildren(app, h('p', { class: 'muted', text: 'Waiting for the extension…' }));
channel.post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
