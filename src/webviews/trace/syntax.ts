/**
 * A small, safe syntax tokenizer for Python and TypeScript/JavaScript: it only classifies text
 * (keyword, string, comment, number, plain); the DOM side turns each token into a text node in a
 * <span class="tok-...">. Good enough for reading model answers, not a parser (no regex literals,
 * no `${}` nesting inside templates: a template literal is one string token).
 */
import type { SourceLanguage } from '../../shared/view-models';

export type TokenKind = 'keyword' | 'string' | 'comment' | 'number' | 'plain';

export interface SyntaxToken {
  text: string;
  kind: TokenKind;
}

const PYTHON_KEYWORDS = new Set(('False None True and as assert async await break class continue def del elif else except ' +
  'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield match case self').split(' '));
const TS_KEYWORDS = new Set(('abstract any as async await boolean break case catch class const constructor continue debugger ' +
  'declare default delete do else enum export extends false finally for from function get if implements import in ' +
  'instanceof interface keyof let new null number of private protected public readonly return set static string super ' +
  'switch this throw true try type typeof undefined unknown var void while with yield never').split(' '));

interface Rule {
  kind: TokenKind;
  pattern: RegExp;
}

const NUMBER = /(?:0[xXoObB][\da-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?[jJn]?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/y;
const IDENTIFIER = /[A-Za-z_$][\w$]*/y;

const RULES: Record<'python' | 'ts', Rule[]> = {
  python: [
    { kind: 'comment', pattern: /#[^\n]*/y },
    { kind: 'string', pattern: /[rRbBuUfF]{0,2}(?:"""[\s\S]*?(?:"""|$(?![\s\S]))|'''[\s\S]*?(?:'''|$(?![\s\S])))/y },
    { kind: 'string', pattern: /[rRbBuUfF]{0,2}(?:"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?)/y },
    { kind: 'number', pattern: NUMBER },
  ],
  ts: [
    { kind: 'comment', pattern: /\/\/[^\n]*/y },
    { kind: 'comment', pattern: /\/\*[\s\S]*?(?:\*\/|$(?![\s\S]))/y },
    { kind: 'string', pattern: /`(?:\\[\s\S]|[^`\\])*`?/y },
    { kind: 'string', pattern: /"(?:\\.|[^"\\\n])*"?|'(?:\\.|[^'\\\n])*'?/y },
    { kind: 'number', pattern: NUMBER },
  ],
};

function matchAt(pattern: RegExp, source: string, at: number): string | null {
  pattern.lastIndex = at;
  const match = pattern.exec(source);
  return match && match[0].length > 0 ? match[0] : null;
}

export function tokenize(source: string, language: SourceLanguage): SyntaxToken[] {
  if (language === 'plain') return source === '' ? [] : [{ text: source, kind: 'plain' }];
  const rules = RULES[language === 'python' ? 'python' : 'ts'];
  const keywords = language === 'python' ? PYTHON_KEYWORDS : TS_KEYWORDS;
  const tokens: SyntaxToken[] = [];
  const push = (text: string, kind: TokenKind) => {
    const last = tokens[tokens.length - 1];
    if (kind === 'plain' && last?.kind === 'plain') last.text += text;
    else tokens.push({ text, kind });
  };
  let at = 0;
  while (at < source.length) {
    const rule = rules.find((r) => matchAt(r.pattern, source, at) !== null);
    const ruled = rule ? matchAt(rule.pattern, source, at) : null;
    if (rule && ruled !== null) {
      push(ruled, rule.kind);
      at += ruled.length;
      continue;
    }
    const word = matchAt(IDENTIFIER, source, at);
    if (word !== null) {
      push(word, keywords.has(word) ? 'keyword' : 'plain');
      at += word.length;
      continue;
    }
    push(source[at] as string, 'plain');
    at += 1;
  }
  return tokens;
}

/** Splits tokens at newlines, so multi-line strings and comments keep their class on every line. */
export function tokenLines(tokens: readonly SyntaxToken[]): SyntaxToken[][] {
  const lines: SyntaxToken[][] = [[]];
  for (const token of tokens) {
    token.text.split('\n').forEach((part, i) => {
      if (i > 0) lines.push([]);
      if (part !== '') (lines[lines.length - 1] as SyntaxToken[]).push({ text: part, kind: token.kind });
    });
  }
  return lines;
}

/** Best guess when the host did not say: Python if it looks like Python, else TypeScript. */
export function guessLanguage(code: string): SourceLanguage {
  if (/^\s*(def|class|import|from)\s/m.test(code) && !/[;{]\s*$/m.test(code)) return 'python';
  if (/\b(function|const|let|=>|export)\b/.test(code)) return 'typescript';
  return 'plain';
}
