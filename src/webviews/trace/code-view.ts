/** The answer's code with syntax highlighting, and a line diff against the task's original function. */
import { h, replaceChildren } from '../common/dom';
import type { SourceLanguage, TraceDetailVM } from '../../shared/view-models';
import { diffLines, diffStats, type DiffLine } from './diff';
import { guessLanguage, tokenLines, tokenize, type SyntaxToken } from './syntax';

function codeLine(tokens: readonly SyntaxToken[] | undefined): HTMLElement {
  const line = h('span', { class: 'code-text' });
  for (const token of tokens ?? []) {
    line.appendChild(token.kind === 'plain' ? document.createTextNode(token.text) : h('span', { class: `tok-${token.kind}`, text: token.text }));
  }
  return line;
}

/** A numbered, highlighted listing. */
export function codeListing(source: string, language: SourceLanguage): HTMLElement {
  const lines = tokenLines(tokenize(source, language));
  if (lines.length > 1 && lines[lines.length - 1]?.length === 0) lines.pop();
  return h('pre', { class: 'code' }, ...lines.map((tokens, i) =>
    h('div', { class: 'code-line' }, h('span', { class: 'line-no', text: String(i + 1) }), codeLine(tokens))));
}

const MARKS: Record<DiffLine['kind'], string> = { same: ' ', add: '+', del: '−' };

export function diffListing(original: string, code: string, language: SourceLanguage): HTMLElement {
  const oldLines = tokenLines(tokenize(original, language));
  const newLines = tokenLines(tokenize(code, language));
  const lines = diffLines(original, code);
  const { added, removed } = diffStats(lines);
  const rows = lines.map((line) => {
    const tokens = line.kind === 'del' ? oldLines[(line.oldLine ?? 1) - 1] : newLines[(line.newLine ?? 1) - 1];
    return h('div', { class: `code-line diff-${line.kind}` },
      h('span', { class: 'line-no', text: line.oldLine === null ? '' : String(line.oldLine) }),
      h('span', { class: 'line-no', text: line.newLine === null ? '' : String(line.newLine) }),
      h('span', { class: 'diff-mark', text: MARKS[line.kind] }),
      codeLine(tokens));
  });
  return h('div', { class: 'diff' },
    h('p', { class: 'muted', text: added + removed === 0 ? 'Identical to the original function.' : `${added} line(s) added, ${removed} removed against the original.` }),
    h('pre', { class: 'code' }, ...rows));
}

export function renderCode(target: HTMLElement, detail: TraceDetailVM): void {
  if (detail.code === null) {
    replaceChildren(target, h('p', { class: 'muted', text: 'No code was extracted from this answer.' }),
      detail.answer ? h('pre', { class: 'answer', text: detail.answer }) : null);
    return;
  }
  const language = detail.original?.language ?? guessLanguage(detail.code);
  const original = detail.original;
  replaceChildren(target,
    h('h3', { text: 'Answer' }),
    codeListing(detail.code, language),
    h('h3', { text: original ? `Diff against ${original.file}:${original.line}` : 'Diff' }),
    original ? diffListing(original.source, detail.code, language)
      : h('p', { class: 'muted', text: 'The original function could not be located, so there is nothing to diff against.' }));
}
