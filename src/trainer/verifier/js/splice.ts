/**
 * Checks a JavaScript/TypeScript candidate and splices it into its file, with the TypeScript parser.
 * A candidate is one complete `function name(...) {...}` (with or without `export`/`async`), plus
 * imports if it needs them; anything else at the top level is rejected. The spliced declaration
 * keeps the original's `export`/`export default`, whatever the candidate wrote, and the original
 * JSDoc stays in place. Pure: text in, text out.
 */
import ts from 'typescript';
import { RlvrError } from '../../errors';
import { parseSource } from '../../mining/js/functions';
import { riskyImportBindings, scanForFlags, type JsFlag } from './checks';

export interface CheckedCandidate {
  /** Empty when the candidate may run. */
  flags: JsFlag[];
  /** The whole file with the candidate in place of the function; null when a flag stops it. */
  spliced: string | null;
}

type BodiedFunction = ts.FunctionDeclaration & { name: ts.Identifier; body: ts.Block };

const isBodiedFunction = (s: ts.Statement): s is BodiedFunction =>
  ts.isFunctionDeclaration(s) && s.name !== undefined && s.body !== undefined;

const lineOf = (sf: ts.SourceFile, pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;

/** Syntax errors the parser recorded (the SourceFile keeps them; the public API hides the field). */
export function syntaxErrors(sf: ts.SourceFile): string[] {
  const diagnostics = (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics
    ?? ts.transpileModule(sf.text, { reportDiagnostics: true, fileName: sf.fileName }).diagnostics ?? [];
  return diagnostics.map((d) => {
    const where = d.start === undefined ? '' : `line ${lineOf(sf, d.start)}: `;
    return `${where}${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

/** The function `symbol` of the pristine file; throws `task_stale` when it is not there any more. */
export function findTargetFunction(sf: ts.SourceFile, symbol: string): BodiedFunction {
  const found = sf.statements.filter(isBodiedFunction).filter((s) => s.name.text === symbol);
  if (found.length !== 1) {
    throw new RlvrError(`${sf.fileName} has ${found.length === 0 ? 'no' : found.length} top-level function ${symbol}() with a body`,
      'task_stale', 'the workspace changed since the tasks were mined: run `rlvr tasks` again');
  }
  return found[0] as BodiedFunction;
}

interface CandidateShape {
  fn: BodiedFunction | null;
  imports: ts.Statement[];
  flags: JsFlag[];
}

/** Sorts the candidate's top-level statements into imports, the one function, and rejects. */
function candidateShape(csf: ts.SourceFile, symbol: string): CandidateShape {
  const shape: CandidateShape = { fn: null, imports: [], flags: [] };
  const functions = csf.statements.filter(isBodiedFunction);
  const named = functions.filter((f) => f.name.text === symbol);
  if (named.length === 1) shape.fn = named[0] as BodiedFunction;
  else if (named.length === 0) {
    const got = functions.length === 0 ? 'no function declaration' : `function ${functions.map((f) => f.name.text).join(', ')}`;
    shape.flags.push({ code: 'wrong_symbol', message: `expected function ${symbol}, got ${got}`, key: 'symbol' });
  }
  for (const statement of csf.statements) {
    if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) shape.imports.push(statement);
    else if (statement === shape.fn || (named.length === 0 && isBodiedFunction(statement))) continue;
    else {
      const text = statement.getText(csf).split('\n')[0]?.slice(0, 80) ?? '';
      shape.flags.push({ code: 'extra_toplevel', message: `line ${lineOf(csf, statement.getStart(csf))}: only imports and function ${symbol} may appear at the top level, got \`${text}\``, key: 'toplevel' });
    }
  }
  return shape;
}

/** Flags of the candidate, minus those the pristine function triggers itself and imports the pristine file already has. */
function staticFlags(csf: ts.SourceFile, pristine: ts.SourceFile, target: BodiedFunction): JsFlag[] {
  const risky = riskyImportBindings(pristine);
  const exempt = new Set(scanForFlags(target, pristine, risky).map((f) => `${f.code}\0${f.key}`));
  for (const flag of scanForFlags(pristine, pristine, new Map())) {
    if (flag.key.startsWith('import:')) exempt.add(`${flag.code}\0${flag.key}`);
  }
  const seen = new Set<string>();
  return scanForFlags(csf, csf, risky).filter((f) => {
    const id = `${f.code}\0${f.key}`;
    if (exempt.has(id) || seen.has(`${id}\0${f.message}`)) return false;
    seen.add(`${id}\0${f.message}`);
    return true;
  });
}

/** The candidate function's text from `async`/`function` on: `export`/`default` and its JSDoc dropped. */
function functionTextWithoutExport(fn: BodiedFunction, csf: ts.SourceFile): string {
  const kept = (ts.getModifiers(fn) ?? []).filter((m) => m.kind !== ts.SyntaxKind.ExportKeyword && m.kind !== ts.SyntaxKind.DefaultKeyword);
  const keyword = fn.getChildren(csf).find((c) => c.kind === ts.SyntaxKind.FunctionKeyword);
  const starts = [...kept.map((m) => m.getStart(csf)), keyword?.getStart(csf) ?? fn.getStart(csf)];
  return csf.text.slice(Math.min(...starts), fn.getEnd());
}

/** `export ` / `export default ` as the original declared it. */
function exportPrefix(target: BodiedFunction): string {
  const kinds = (ts.getModifiers(target) ?? []).map((m) => m.kind);
  if (!kinds.includes(ts.SyntaxKind.ExportKeyword)) return '';
  return kinds.includes(ts.SyntaxKind.DefaultKeyword) ? 'export default ' : 'export ';
}

const normaliseImport = (text: string): string => text.replace(/\s+/g, ' ').replace(/;\s*$/, '').trim();

/** Where new imports go: after the last import of the file, else at its top (after a shebang). */
function importInsertionPoint(sf: ts.SourceFile): number {
  const imports = sf.statements.filter((s) => ts.isImportDeclaration(s) || ts.isImportEqualsDeclaration(s));
  const last = imports[imports.length - 1];
  if (last) return last.getEnd();
  return sf.text.startsWith('#!') ? sf.text.indexOf('\n') + 1 : 0;
}

/** The pristine text with the candidate in place of `target` and its new imports added. */
function spliceInto(pristine: ts.SourceFile, target: BodiedFunction, csf: ts.SourceFile, shape: CandidateShape & { fn: BodiedFunction }): string {
  const existing = new Set(pristine.statements.map((s) => normaliseImport(s.getText(pristine))));
  const added = shape.imports.map((s) => s.getText(csf)).filter((t) => !existing.has(normaliseImport(t)));
  const text = pristine.text;
  const replaced = `${text.slice(0, target.getStart(pristine))}${exportPrefix(target)}${functionTextWithoutExport(shape.fn, csf)}${text.slice(target.getEnd())}`;
  if (added.length === 0) return replaced;
  const at = importInsertionPoint(pristine); // before `target`, so the offset is still valid in `replaced`
  const block = at === 0 ? `${added.join('\n')}\n` : `\n${added.join('\n')}`;
  return `${replaced.slice(0, at)}${block}${replaced.slice(at)}`;
}

/**
 * Parses and checks `candidate` for function `symbol` of `file` (pristine text `original`), and
 * splices it in when nothing is flagged. Throws `task_stale` when the file no longer has the function.
 */
export function checkAndSplice(file: string, original: string, symbol: string, candidate: string): CheckedCandidate {
  const pristine = parseSource(file, original);
  const target = findTargetFunction(pristine, symbol);
  const csf = parseSource(file, candidate);
  const errors = syntaxErrors(csf);
  if (errors.length > 0) return { flags: [{ code: 'parse_error', message: errors.slice(0, 3).join('; '), key: 'parse' }], spliced: null };
  const shape = candidateShape(csf, symbol);
  const flags = [...shape.flags, ...staticFlags(csf, pristine, target)];
  if (flags.length > 0 || shape.fn === null) return { flags, spliced: null };
  const spliced = spliceInto(pristine, target, csf, { ...shape, fn: shape.fn });
  const after = syntaxErrors(parseSource(file, spliced));
  if (after.length > 0) return { flags: [{ code: 'parse_error', message: `after splicing: ${after[0]}`, key: 'parse' }], spliced: null };
  return { flags: [], spliced };
}
