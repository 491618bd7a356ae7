/** The G samples of one prompt side by side: outcome, reward, advantage and code of each. */
import { fmt, h, replaceChildren, signed } from '../common/dom';
import type { GroupMemberVM } from '../../shared/view-models';
import { codeListing } from './code-view';
import { guessLanguage } from './syntax';

export interface GroupActions {
  openTrace(traceId: number): void;
}

/** Mean and (population) std of the rewards, as GRPO normalises them. */
export function groupStats(members: readonly GroupMemberVM[]): { mean: number; std: number; passed: number } {
  const rewards = members.map((m) => m.reward.total);
  const mean = rewards.reduce((a, b) => a + b, 0) / Math.max(1, rewards.length);
  const variance = rewards.reduce((a, b) => a + (b - mean) ** 2, 0) / Math.max(1, rewards.length);
  return { mean, std: Math.sqrt(variance), passed: members.filter((m) => m.passed).length };
}

function column(member: GroupMemberVM, current: boolean, actions: GroupActions): HTMLElement {
  const open = h('button', { class: 'row-action', text: current ? 'shown' : 'open', title: `Open trace ${member.id}` });
  open.disabled = current;
  open.addEventListener('click', () => actions.openTrace(member.id));
  const adv = member.advantage;
  return h('div', { class: `group-col ${current ? 'current' : ''} ${member.passed ? 'passed' : 'failed'}` },
    h('div', { class: 'group-head' },
      h('span', { class: `status ${member.passed ? 'status-pass' : 'status-fail'}`, text: member.passed ? '✓' : '✗' }),
      h('strong', { text: `#${member.sampleIndex}` }),
      h('span', { class: 'spacer' }), open),
    h('dl', { class: 'kv' },
      h('dt', { text: 'reward' }), h('dd', { text: fmt(member.reward.total, 3) }),
      h('dt', { text: 'advantage' }), h('dd', { class: adv !== null && adv < 0 ? 'negative' : 'positive', text: adv === null ? 'not trained on' : signed(adv, 3) }),
      h('dt', { text: 'tests' }), h('dd', { text: member.passFraction === null ? '–' : `${Math.round(member.passFraction * 100)}%` }),
      h('dt', { text: 'finish' }), h('dd', { text: member.finishReason }),
      h('dt', { text: 'aha' }), h('dd', { text: String(member.ahaCount) })),
    member.code !== null ? codeListing(member.code, guessLanguage(member.code)) : h('pre', { class: 'answer', text: member.preview }));
}

export function renderGroup(target: HTMLElement, members: readonly GroupMemberVM[], currentId: number | null, actions: GroupActions): void {
  if (members.length === 0) {
    replaceChildren(target, h('p', { class: 'muted', text: 'No group loaded. Use "Show group" to load the siblings of this trace.' }));
    return;
  }
  const first = members[0] as GroupMemberVM;
  const stats = groupStats(members);
  const zeroStd = stats.std === 0;
  replaceChildren(target,
    h('p', {}, `${first.taskId} · step ${first.step} · group ${first.groupIndex} · ${members.length} samples · ${stats.passed} passed · reward mean ${fmt(stats.mean, 3)} ± ${fmt(stats.std, 3)}`),
    zeroStd ? h('p', { class: 'warning', text: 'All rewards are equal: this group gives no learning signal (every advantage is 0).' }) : null,
    h('div', { class: 'group-grid' }, ...members.map((m) => column(m, m.id === currentId, actions))));
}
