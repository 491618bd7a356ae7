/** The solve panel's layout and its rendering from a SolveState (text nodes only). */
import { button } from '../common/controls';
import { fmt, h, replaceChildren } from '../common/dom';
import {
  countTests, outcomeLabel, solveActions, splitStream,
  type SolvePhase, type SolveState, type SolveVerificationVM,
} from '../../shared/solve-state';
import type { SolveToHost } from '../../shared/webview-messages';
import { codeListing } from '../trace/code-view';
import { testsTable } from '../trace/results-view';

type Decision = Exclude<SolveToHost['type'], 'ready'>;

export interface SolveView {
  element: HTMLElement;
  render(state: SolveState | null): void;
  /** Only the streamed text changed. */
  streamed(state: SolveState): void;
  showError(message: string): void;
}

const PHASE_TEXT: Record<SolvePhase, string> = {
  loading: 'Loading the model…',
  generating: 'Generating…',
  verifying: 'Verifying in the sandbox…',
  verified: 'Verified',
  accepted: 'Accepted: the function was replaced in the editor',
  discarded: 'Discarded',
  cancelled: 'Cancelled',
  failed: 'Failed',
};

function phaseText(state: SolveState): { text: string; cls: string } {
  if (state.phase === 'verified' && state.verification) {
    return { text: outcomeLabel(state.verification), cls: state.verification.passed ? 'status-pass' : 'status-fail' };
  }
  const cls = state.phase === 'failed' ? 'status-fail' : state.phase === 'accepted' ? 'status-pass' : '';
  return { text: PHASE_TEXT[state.phase], cls };
}

function verificationSection(v: SolveVerificationVM): HTMLElement {
  const { passed, total } = countTests(v);
  return h('div', {},
    h('p', {},
      h('span', { class: `status ${v.passed ? 'status-pass' : 'status-fail'}`, text: v.passed ? '✓ all tests passed' : `✗ ${total - passed} of ${total} test(s) did not pass` }),
      h('span', { class: 'muted', text: ` · reward ${fmt(v.reward, 3)} · ${fmt(v.seconds, 1)} s` })),
    v.flags.length > 0 ? h('ul', { class: 'flags' }, ...v.flags.map((f) => h('li', {}, h('code', { text: f.code }), ' ', f.message))) : null,
    testsTable(v.tests));
}

export function createSolveView(decide: (decision: Decision, solveId: number) => void): SolveView {
  let current: SolveState | null = null;
  const act = (decision: Decision) => () => { if (current) decide(decision, current.solveId); };
  const buttons = {
    cancel: button('Cancel', act('cancel'), true),
    showDiff: button('Show Diff', act('showDiff'), true),
    accept: button('Accept', act('accept')),
    discard: button('Discard', act('discard'), true),
  };
  const ring = document.createElement('vscode-progress-ring');
  ring.classList.add('ring');
  const status = h('span', { class: 'status' });
  const title = h('strong');
  const meta = h('span', { class: 'muted' });
  const message = h('p', { class: 'message' });
  const errors = h('div', { class: 'errors', attrs: { role: 'alert' } });
  const prompt = h('pre', { class: 'prompt' });
  const think = h('pre', { class: 'think stream', attrs: { 'aria-label': 'Reasoning', 'aria-live': 'off' } });
  const answer = h('div', { class: 'answer-box' });
  const rawAnswer = h('pre', { class: 'answer stream' });
  const verification = h('div', { class: 'verification' });
  const promptBox = document.createElement('vscode-collapsible');
  promptBox.heading = 'Prompt (as in training)';
  promptBox.appendChild(prompt);
  const element = h('div', { class: 'solve' },
    h('header', { class: 'solve-header' },
      h('div', { class: 'title-line' }, ring, status, title, meta),
      h('div', { class: 'toolbar' }, buttons.cancel, h('span', { class: 'spacer' }), buttons.showDiff, buttons.accept, buttons.discard)),
    message, errors, promptBox,
    h('h3', { text: 'Reasoning' }), think,
    h('h3', { text: 'Answer' }), answer,
    h('h3', { text: 'Verification' }), verification);

  let frame = 0;
  const paintStream = () => {
    frame = 0;
    if (!current) return;
    const follow = think.scrollHeight - think.scrollTop - think.clientHeight < 40;
    const parts = splitStream(current.text);
    think.textContent = parts.think || (current.phase === 'generating' ? '…' : '');
    if (follow) think.scrollTop = think.scrollHeight;
    if (!current.generation) {
      rawAnswer.textContent = parts.answer;
      if (answer.firstChild !== rawAnswer) replaceChildren(answer, rawAnswer);
    }
  };
  const streamed = (state: SolveState) => {
    current = state;
    if (frame === 0) frame = requestAnimationFrame(paintStream);
  };

  const render = (state: SolveState | null) => {
    current = state;
    for (const b of Object.values(buttons)) b.disabled = true;
    if (!state) {
      replaceChildren(title, 'Nothing solved yet');
      replaceChildren(meta, 'Run "RLVR: Solve with Trained Model" on a task function.');
      ring.hidden = true;
      return;
    }
    const actions = solveActions(state);
    for (const [name, b] of Object.entries(buttons)) b.disabled = !actions[name as keyof typeof actions];
    ring.hidden = !actions.cancel;
    const { text, cls } = phaseText(state);
    status.className = `status ${cls}`;
    status.textContent = text;
    title.textContent = `${state.task.symbol}`;
    const g = state.generation;
    const speed = g ? ` · ${g.completionTokens} tokens, ${fmt(g.tokensPerSecond, 1)} tok/s${g.finishReason === 'length' ? ' · hit the token limit' : ''}` : '';
    meta.textContent = `${state.task.file}:${state.task.line} · ${state.model.label}${state.model.provider ? ` (${state.model.provider})` : ''}${speed}`;
    message.textContent = state.message ?? '';
    message.className = `message ${state.phase === 'failed' ? 'error' : 'muted'}`;
    prompt.textContent = state.prompt;
    if (g) {
      replaceChildren(answer, g.code !== null
        ? codeListing(g.code, state.task.language)
        : h('div', {}, h('p', { class: 'muted', text: 'No code was found in the answer.' }), g.answer ? h('pre', { class: 'answer', text: g.answer }) : null));
    }
    replaceChildren(verification, state.verification ? verificationSection(state.verification)
      : h('p', { class: 'muted', text: state.phase === 'verifying' ? 'Running the tests in the sandbox…' : 'Not verified yet.' }));
    replaceChildren(errors);
    paintStream();
  };

  return { element, render, streamed, showError: (text) => replaceChildren(errors, h('p', { class: 'error', text })) };
}
