/** Finding cues in a masked think: the cue table, whole-word matching and the clause-start rules. */
import { CUES, type CueDefinition, type StartRule } from './cues';
import { FILLER } from './mask';
import type { CueCategory } from './types';

export interface CueMatch {
  category: CueCategory;
  /** [start, end) in the think text. */
  start: number;
  end: number;
}

interface CompiledCue {
  definition: CueDefinition;
  regex: RegExp;
}

/** Not glued to a word, a hyphenated word or a masked span on either side. */
const compile = (definition: CueDefinition): CompiledCue => ({
  definition,
  regex: new RegExp(String.raw`(?<![\w${FILLER}-])(?:${definition.pattern.replace(/ /g, String.raw`\s+`)})(?![\w${FILLER}-])`, 'giu'),
});

const COMPILED: readonly CompiledCue[] = CUES.map(compile);

/** Words that may come between a clause start and the cue: "Oh wait", "But actually", "So, hmm". */
const INTERJECTIONS = new Set(['oh', 'ah', 'but', 'and', 'so', 'no', 'nope', 'okay', 'ok', 'well', 'hmm', 'hm', 'um', 'uh', 'yes', 'yeah', 'right', 'wait', 'oops', 'hold']);
const SKIPPED = new Set([' ', '\t', '*', '_', '"', '\'', '\u201c', '\u2018', '>']);
const SENTENCE_END = new Set(['.', '!', '?', ':', '\u2026']);
const CLAUSE_MARK = new Set([',', ';', '(', '\u2014', '\u2013', '-']);

function isLineStart(text: string, at: number): boolean {
  for (let i = at - 1; i >= 0; i--) {
    if (text[i] === '\n') return true;
    if (text[i] !== ' ' && text[i] !== '\t') return false;
  }
  return true;
}

/** The word ending just before `end` (letters only) and where it starts. */
function wordBefore(text: string, end: number): { word: string; start: number } {
  let start = end;
  while (start > 0 && /[A-Za-z]/.test(text[start - 1] ?? '')) start--;
  return { word: text.slice(start, end).toLowerCase(), start };
}

/**
 * Does the text at `at` open a sentence (or, for `clause`, a clause)? Looks back over spaces and
 * markdown emphasis to the previous mark; an interjection in between is skipped if it is itself at
 * a start. A bullet dash at the start of a line counts as a line start.
 */
export function isStartOf(text: string, at: number, rule: StartRule, depth = 0): boolean {
  if (rule === 'anywhere') return true;
  let i = at - 1;
  while (i >= 0 && SKIPPED.has(text[i] ?? '')) i--;
  if (i < 0) return true;
  const c = text[i] ?? '';
  if (c === '\n' || SENTENCE_END.has(c)) return true;
  if ((c === '-' || c === '\u2022') && isLineStart(text, i)) return true;
  if (CLAUSE_MARK.has(c)) {
    if (rule === 'clause') return true;
    if (c !== ',') return false;
    i--;
    while (i >= 0 && (text[i] === ' ' || text[i] === '\t')) i--;
  }
  const { word, start } = wordBefore(text, i + 1);
  if (depth < 3 && INTERJECTIONS.has(word)) return isStartOf(text, start, rule, depth + 1);
  return false;
}

/**
 * Every cue in the masked think, earliest first. Overlapping matches keep the earliest, then the
 * longest ("let me double-check" beats "double-check"; "Wait, actually" stays two cues).
 */
export function findCues(masked: string): CueMatch[] {
  const found: (CueMatch & { length: number })[] = [];
  for (const { definition, regex } of COMPILED) {
    for (const match of masked.matchAll(regex)) {
      const start = match.index ?? 0;
      if (!isStartOf(masked, start, definition.start)) continue;
      found.push({ category: definition.category, start, end: start + match[0].length, length: match[0].length });
    }
  }
  found.sort((a, b) => a.start - b.start || b.length - a.length);
  const kept: CueMatch[] = [];
  for (const { category, start, end } of found) {
    const last = kept[kept.length - 1];
    if (last && start < last.end) continue;
    kept.push({ category, start, end });
  }
  return kept;
}
