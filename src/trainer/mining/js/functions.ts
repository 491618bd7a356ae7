/**
 * Functions of a JavaScript/TypeScript source file, read with the TypeScript compiler's parser (no
 * type checking, so it works on any file that parses): every top-level `function` declaration with a
 * body, its signature line, JSDoc, span and the context a prompt needs (imports, top-level
 * constants and type declarations; never another function's body).
 */
import ts from 'typescript';
import type { TaskLanguage } from '../../tasks/task';

export interface JsFunction {
  file: string;
  /** The declared name; tasks splice by it. */
  symbol: string;
  /** "export function slugify(text: string, sep: string = '-'): string" (up to the body). */
  signature: string;
  /** The JSDoc comment's text without the comment markers, or null. */
  docstring: string | null;
  /** 1-based, inclusive: from `export`/`function` to the closing brace (JSDoc excluded). */
  startLine: number;
  endLine: number;
  /** First line of the JSDoc above it (= startLine without one); coverage positions may land there. */
  docStartLine: number;
  context: string;
  exported: boolean;
}

const TS_EXTENSIONS = ['.ts', '.mts', '.cts', '.tsx'];
const JS_EXTENSIONS = ['.js', '.mjs', '.cjs', '.jsx'];

export const isTypeScriptFile = (file: string): boolean => TS_EXTENSIONS.some((e) => file.endsWith(e)) && !file.endsWith('.d.ts');
export const isJavaScriptFile = (file: string): boolean => JS_EXTENSIONS.some((e) => file.endsWith(e));
export const isSourceFile = (file: string): boolean => isTypeScriptFile(file) || isJavaScriptFile(file);
export const languageOf = (file: string): TaskLanguage => (isTypeScriptFile(file) ? 'typescript' : 'javascript');

export function scriptKindOf(file: string): ts.ScriptKind {
  if (file.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (file.endsWith('.jsx')) return ts.ScriptKind.JSX;
  return isTypeScriptFile(file) ? ts.ScriptKind.TS : ts.ScriptKind.JS;
}

export function parseSource(file: string, text: string): ts.SourceFile {
  return ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, scriptKindOf(file));
}

const lineOf = (sf: ts.SourceFile, pos: number): number => sf.getLineAndCharacterOfPosition(pos).line + 1;

/** The text of a JSDoc comment without `/**`, `*\/` and the leading `*` of each line. */
export function jsDocText(comment: string): string {
  return comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((line) => line.replace(/^\s*\* ?/, '').trimEnd())
    .join('\n')
    .trim();
}

function docstringOf(node: ts.Node, sf: ts.SourceFile): string | null {
  const docs = ts.getJSDocCommentsAndTags(node).filter(ts.isJSDoc);
  const last = docs[docs.length - 1];
  if (!last) return null;
  const text = jsDocText(last.getText(sf));
  return text === '' ? null : text;
}

const hasModifier = (node: ts.Node, kind: ts.SyntaxKind): boolean =>
  ts.canHaveModifiers(node) && (ts.getModifiers(node) ?? []).some((m) => m.kind === kind);

/** Top-level statements a prompt may show: imports, constants, types. Functions and classes are left out (bodies). */
function isContextStatement(statement: ts.Statement): boolean {
  return ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement) || ts.isVariableStatement(statement)
    || ts.isTypeAliasDeclaration(statement) || ts.isInterfaceDeclaration(statement) || ts.isEnumDeclaration(statement)
    || (ts.isExportDeclaration(statement) && statement.moduleSpecifier !== undefined);
}

/** Imports, top-level constants and type declarations of the file, each with its JSDoc, in source order. */
export function fileContext(sf: ts.SourceFile): string {
  return sf.statements
    .filter(isContextStatement)
    .map((s) => sf.text.slice(s.getStart(sf, true), s.getEnd()).trim())
    .join('\n');
}

function describeFunction(node: ts.FunctionDeclaration & { name: ts.Identifier; body: ts.Block }, sf: ts.SourceFile, file: string, context: string): JsFunction {
  const start = node.getStart(sf);
  return {
    file,
    symbol: node.name.text,
    signature: sf.text.slice(start, node.body.getStart(sf)).trim(),
    docstring: docstringOf(node, sf),
    startLine: lineOf(sf, start),
    endLine: lineOf(sf, node.getEnd()),
    docStartLine: lineOf(sf, node.getStart(sf, true)),
    context,
    exported: hasModifier(node, ts.SyntaxKind.ExportKeyword),
  };
}

/** Every top-level function declaration with a name and a body (overload signatures are not functions of their own). */
export function listFunctions(file: string, text: string): JsFunction[] {
  const sf = parseSource(file, text);
  const context = fileContext(sf);
  return sf.statements
    .filter((s): s is ts.FunctionDeclaration & { name: ts.Identifier; body: ts.Block } =>
      ts.isFunctionDeclaration(s) && s.name !== undefined && s.body !== undefined)
    .map((node) => describeFunction(node, sf, file, context));
}
