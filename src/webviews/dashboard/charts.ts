/**
 * uPlot charts for the dashboard. uPlot draws on canvas and sets sizes through the CSSOM (allowed by
 * the CSP); its stylesheet is bundled into dist/webviews/dashboard.css. Colours come from the VS Code
 * theme's chart variables, read once when a chart is made.
 */
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { h } from '../common/dom';
import type { EvaluationVM, StepVM } from '../../shared/view-models';
import { chartData, passAtKCurves, type ChartSpec } from './model';

const HEIGHT = 170;
const PALETTE = ['--vscode-charts-blue', '--vscode-charts-orange', '--vscode-charts-green', '--vscode-charts-purple', '--vscode-charts-red', '--vscode-charts-yellow'];
const FALLBACK: Record<string, string> = {
  '--vscode-charts-blue': '#3794ff', '--vscode-charts-orange': '#d18616', '--vscode-charts-green': '#89d185',
  '--vscode-charts-purple': '#b180d7', '--vscode-charts-red': '#f14c4c', '--vscode-charts-yellow': '#cca700',
  '--vscode-charts-foreground': '#cccccc', '--vscode-charts-lines': 'rgba(128,128,128,0.35)',
  '--vscode-editorWarning-foreground': '#cca700',
};

function themeColor(variable: string): string {
  const value = getComputedStyle(document.body).getPropertyValue(variable).trim();
  return value !== '' ? value : (FALLBACK[variable] ?? '#888888');
}

function axes(): uPlot.Axis[] {
  const stroke = themeColor('--vscode-charts-foreground');
  const grid = { stroke: themeColor('--vscode-charts-lines'), width: 1 };
  return [{ stroke, grid, ticks: grid }, { stroke, grid, ticks: grid, size: 50 }];
}

export interface Chart {
  element: HTMLElement;
  update(steps: readonly StepVM[]): void;
  destroy(): void;
}

/** Keeps a chart as wide as its box; returns the observer so the chart can be torn down. */
function fitWidth(plot: uPlot, box: HTMLElement, height: number): ResizeObserver {
  const observer = new ResizeObserver(() => {
    const width = Math.max(200, Math.floor(box.clientWidth));
    if (width !== plot.width) plot.setSize({ width, height });
  });
  observer.observe(box);
  return observer;
}

export function stepChart(spec: ChartSpec, steps: readonly StepVM[]): Chart {
  const box = h('div', { class: 'chart-box' });
  const element = h('section', { class: 'chart', attrs: { 'data-chart': spec.id } }, h('h3', { text: spec.title }), box);
  const options: uPlot.Options = {
    width: 400,
    height: HEIGHT,
    scales: { x: { time: false }, y: spec.unit === 'fraction' ? { range: [0, 1] } : {} },
    axes: axes(),
    series: [
      { label: 'step' },
      ...spec.series.map((s) => ({ label: s.label, stroke: themeColor(s.color), width: 1.5, spanGaps: true })),
      ...(spec.warnings ? [warningMarkers()] : []),
    ],
  };
  const plot = new uPlot(options, chartData(steps, spec) as uPlot.AlignedData, box);
  const observer = fitWidth(plot, box, HEIGHT);
  return {
    element,
    update: (next) => plot.setData(chartData(next, spec) as uPlot.AlignedData),
    destroy: () => { observer.disconnect(); plot.destroy(); },
  };
}

/** Points without a line at the steps that raised one of the chart's health warnings. */
function warningMarkers(): uPlot.Series {
  const color = themeColor('--vscode-editorWarning-foreground');
  return { label: '⚠ warning', stroke: color, fill: color, width: 0, paths: () => null, points: { show: true, size: 7, stroke: color, fill: color } };
}

export interface PassAtKChart {
  element: HTMLElement;
  update(evaluations: readonly EvaluationVM[]): void;
}

/** pass@k against k (log2 axis), one line per evaluation; rebuilt when the set of evaluations changes. */
export function passAtKChart(evaluations: readonly EvaluationVM[]): PassAtKChart {
  const box = h('div', { class: 'chart-box' });
  const empty = h('p', { class: 'muted', text: 'No evaluations yet. Run "RLVR: Evaluate pass@k" to compare the base model with checkpoints.' });
  const element = h('section', { class: 'chart chart-wide', attrs: { 'data-chart': 'passAtK' } }, h('h3', { text: 'pass@k: base vs checkpoints' }), empty, box);
  let plot: uPlot | null = null;
  let observer: ResizeObserver | null = null;
  let shape = '';
  const update = (next: readonly EvaluationVM[]) => {
    const { ks, curves } = passAtKCurves(next);
    empty.hidden = curves.length > 0;
    const nextShape = JSON.stringify([ks, curves.map((c) => c.label)]);
    const data = [ks, ...curves.map((c) => c.values)] as uPlot.AlignedData;
    if (plot && nextShape === shape) {
      plot.setData(data);
      return;
    }
    observer?.disconnect();
    plot?.destroy();
    plot = null;
    shape = nextShape;
    if (curves.length === 0) return;
    plot = new uPlot({
      width: Math.max(200, box.clientWidth || 400),
      height: HEIGHT + 30,
      scales: { x: { time: false, distr: ks.length > 1 ? 3 : 1, log: 2 }, y: { range: [0, 1] } },
      axes: axes(),
      series: [{ label: 'k' }, ...curves.map((c, i) => ({
        label: c.label, stroke: themeColor(PALETTE[i % PALETTE.length] as string), width: c.label === 'base' ? 2.5 : 1.5,
        dash: c.label === 'base' ? [6, 4] : undefined, spanGaps: true, points: { show: true },
      }))],
    }, data, box);
    observer = fitWidth(plot, box, HEIGHT + 30);
  };
  update(evaluations);
  return { element, update };
}
