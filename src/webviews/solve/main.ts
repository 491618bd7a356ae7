/**
 * The solve panel: the trained model's reasoning as it streams, then the extracted code, the
 * verifier's per-test result, and the decision (Show Diff, Accept, Discard). Everything shown is
 * model or test output, so it is set as text only. The host owns the state and replays it in
 * `init` (after `ready`), so this page keeps nothing in setState.
 */
import '../common/elements';
import { connect } from '../common/vscode-api';
import { h, replaceChildren } from '../common/dom';
import { applySolveEvent, type SolveState } from '../../shared/solve-state';
import { WEBVIEW_PROTOCOL_VERSION, type HostToSolve, type SolveToHost } from '../../shared/webview-messages';
import { createSolveView, type SolveView } from './view';

const channel = connect<SolveToHost, HostToSolve, null>();
const app = document.getElementById('app') ?? document.body;
let state: SolveState | null = null;
let view: SolveView | null = null;

function start(initial: SolveState | null): void {
  state = initial;
  view = createSolveView((type, solveId) => channel.post({ type, solveId }));
  replaceChildren(app, view.element);
  view.render(state);
}

function onMessage(message: HostToSolve): void {
  switch (message.type) {
    case 'init':
      if (message.version !== WEBVIEW_PROTOCOL_VERSION) {
        replaceChildren(app, h('p', { class: 'error', text: `This panel expects protocol ${WEBVIEW_PROTOCOL_VERSION}, the extension speaks ${message.version}: reload the window.` }));
        return;
      }
      start(message.state);
      return;
    case 'error':
      view?.showError(message.message);
      return;
    default: {
      const next = applySolveEvent(state, message);
      if (next === null || next === state) return;
      state = next;
      // A delta only grows the streamed text; everything else may change any part.
      if (message.type === 'delta') view?.streamed(state);
      else view?.render(state);
    }
  }
}

channel.onMessage(onMessage);
replaceChildren(app, h('p', { class: 'muted', text: 'Waiting for the extension…' }));
channel.post({ type: 'ready', version: WEBVIEW_PROTOCOL_VERSION });
