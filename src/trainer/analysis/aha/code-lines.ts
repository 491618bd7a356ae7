/**
 * Telling code from prose, line by line, in a reasoning trace. Models paste code without fences
 * ("def f(x):", "x = 3", "check(x)"), and a cue word in that code ("# wait", `check()`) is not a
 * cue. These are heuristics for Python (and a little JavaScript); a prose line rarely starts with a
 * lower-case keyword followed by code, so false "code" lines are rare and cost only missed cues.
 */

/** What kind of code line: `definition` and `return` mark a candidate solution (the phase boundary). */
export type CodeLineKind = 'definition' | 'return' | 'statement';

const DEFINITION = /^(?:@[\w.]+(?:\(.*\))?$|(?:async\s+)?def\s+[A-Za-z_]\w*\s*\(|class\s+[A-Za-z_]\w*\s*[(:]|(?:export\s+)?(?:async\s+)?function\s*\*?\s*[A-Za-z_$][\w$]*\s*\()/;
const RETURN = /^return(?:\s|;|$)/;
const KEYWORD_STATEMENT = new RegExp([
  String.raw`^(?:yield|raise|del|global|nonlocal|await)\b`,
  String.raw`^assert\s`,
  String.raw`^(?:import\s+[\w.]+|from\s+[\w.]+\s+import\s)`,
  String.raw`^(?:pass|break|continue)\s*(?:#.*)?$`,
  String.raw`^(?:if|elif|while|with|for|except)\b.*:\s*(?:#.*)?$`,
  String.raw`^(?:else|try|finally|except)\s*:`,
  String.raw`^(?:const|let|var)\s+[\w$]+\s*=`,
  String.raw`^(?:>>>|\.\.\.)(?:\s|$)`,
  String.raw`^#`,
  String.raw`^[)\]}]+[,;]?$`,
].join('|'));
/** `x = 1`, `a[i] += 2`, `lo, hi = 0, n`, `total: int = 0` (not `==`). */
const ASSIGNMENT = /^[A-Za-z_][\w.]*(?:\[[^\]]*\])?(?:\s*,\s*[A-Za-z_][\w.]*(?:\[[^\]]*\])?)*\s*(?::\s*[\w[\], .|]+)?\s*(?:\*\*|\/\/|>>|<<|[-+*/%&|^])?=(?!=)\s*\S/;
/** A line that is one call: `check(x)`, `print(f([1, 2]))`, `self.assertEqual(a, b)  # note`. */
const BARE_CALL = /^(?:await\s+)?[A-Za-z_][\w.]*\(.*\)\s*;?\s*(?:#.*)?$/;
/** An example written as an expression: `f([]) == 0`, `slugify("A b") -> "a-b"`. */
const CALL_EXPRESSION = /^[A-Za-z_][\w.]*\(.*\)\s*(?:==|!=|->|→|=>)\s*\S/;

export function classifyCodeLine(line: string): CodeLineKind | null {
  const text = line.trim();
  if (text === '') return null;
  if (DEFINITION.test(text)) return 'definition';
  if (RETURN.test(text)) return 'return';
  if (KEYWORD_STATEMENT.test(text) || ASSIGNMENT.test(text) || BARE_CALL.test(text) || CALL_EXPRESSION.test(text)) return 'statement';
  return null;
}

/** Opens an indented block: Python `:` or a JavaScript `{` at the end of the line. */
export function opensBlock(line: string): boolean {
  return /[:{]\s*(?:#.*)?$/.test(line.trim());
}

export function indentOf(line: string): number {
  const match = /^[ \t]*/.exec(line);
  return match ? match[0].replace(/\t/g, '    ').length : 0;
}
