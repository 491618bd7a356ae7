/**
 * Static checks of a JavaScript/TypeScript candidate: defence in depth in front of the sandbox,
 * the counterpart of the Python verifier's static_checks.py. Each finding has a stable code and a
 * `key` naming the construct, so findings the pristine function triggers itself can be exempted
 * (the original body must always pass). Scope is approximated: a name the candidate declares
 * anywhere counts as local, which can only make the checks more lenient, never flag good code.
 */
import ts from 'typescript';

export interface JsFlag {
  code: string;
  message: string;
  /** Identifies the construct (e.g. "process.exit", "import:fs"); not sent on the wire. */
  key: string;
}

const EXIT_MEMBERS = new Set(['exit', 'abort', 'kill', 'reallyExit', '_exit', '_kill', 'exitCode']);
const HARMLESS_PROCESS_MEMBERS = new Set(['env', 'platform', 'arch', 'version', 'versions', 'hrtime', 'nextTick', 'memoryUsage', 'uptime', 'cwd']);
const FORBIDDEN_MODULES = new Set([
  'child_process', 'fs', 'net', 'http', 'https', 'http2', 'dgram', 'dns', 'tls', 'cluster', 'worker_threads', 'vm',
  'v8', 'inspector', 'module', 'process', 'os', 'repl', 'async_hooks', 'trace_events', 'wasi', 'perf_hooks',
]);
const FRAMEWORK_MODULES = new Set(['test', 'assert', 'vitest', 'jest', '@jest', '@vitest', 'chai', 'sinon', 'mocha', 'tsx', 'ava', 'tap', 'uvu']);
const FRAMEWORK_GLOBALS = new Set(['jest', 'vi', 'expect']);
/** Globals whose members a candidate must not replace (prototype patching, stubbing the checker). */
const BUILTIN_GLOBALS = new Set([
  'Object', 'Array', 'String', 'Number', 'Boolean', 'Function', 'Symbol', 'BigInt', 'Promise', 'Map', 'Set', 'WeakMap',
  'WeakSet', 'JSON', 'Math', 'Reflect', 'RegExp', 'Date', 'Error', 'TypeError', 'RangeError', 'SyntaxError',
  'AssertionError', 'console', 'process', 'globalThis', 'global', 'Buffer', 'Intl', 'ArrayBuffer', 'Atomics',
]);
const DEFINE_CALLS = new Set(['Object.defineProperty', 'Object.defineProperties', 'Object.setPrototypeOf', 'Object.assign',
  'Reflect.set', 'Reflect.defineProperty', 'Reflect.setPrototypeOf', 'Reflect.deleteProperty']);
/** Members through which an object can claim equality with anything, or fool a matcher. */
const ALWAYS_EQUAL_NAMES = new Set(['valueOf', 'toString', 'toJSON', 'toPrimitive', 'hasInstance', 'asymmetricMatch']);
/** Strings that name an escape hatch when used as a computed key (`x['constructor']`). */
const INTROSPECTION_STRINGS = new Set(['constructor', '__proto__', 'prototype']);
const CHANNEL_STRINGS = ['@@rlvr', 'RLVR_CHANNEL'];

/** "node:fs/promises" → "fs"; "@jest/globals" → "@jest"; relative paths → null. */
export function moduleRoot(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('/')) return null;
  const bare = specifier.replace(/^node:/, '');
  return bare.split('/')[0] ?? bare;
}

/** The code and reason a module may not be imported by a candidate, or null when it may. */
export function moduleVerdict(specifier: string): { code: string; why: string } | null {
  const root = moduleRoot(specifier);
  if (root === null) return null;
  if (FRAMEWORK_MODULES.has(root)) return { code: 'test_framework_access', why: 'test framework' };
  if (FORBIDDEN_MODULES.has(root)) return { code: 'forbidden_import', why: 'process, file system, network or VM access' };
  return null;
}

/** Every name the candidate binds (parameters, variables, functions, classes, catch clauses, imports). */
function declaredNames(root: ts.Node): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if ((ts.isVariableDeclaration(node) || ts.isParameter(node) || ts.isBindingElement(node) || ts.isFunctionDeclaration(node)
      || ts.isFunctionExpression(node) || ts.isClassDeclaration(node) || ts.isImportSpecifier(node) || ts.isImportClause(node)
      || ts.isNamespaceImport(node)) && node.name && ts.isIdentifier(node.name)) {
      names.add(node.name.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(root);
  return names;
}

function isInTypePosition(node: ts.Node): boolean {
  for (let n: ts.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isTypeNode(n) || ts.isHeritageClause(n)) return true;
    if (ts.isStatement(n) || ts.isExpressionStatement(n)) return false;
  }
  return false;
}

/** Whether an identifier is read as a value (not a property name, declaration name, label or type). */
function isValueReference(id: ts.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if (ts.isQualifiedName(p) && p.right === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isMethodDeclaration(p) || ts.isPropertyDeclaration(p) || ts.isGetAccessor(p)
    || ts.isSetAccessor(p) || ts.isPropertySignature(p) || ts.isMethodSignature(p) || ts.isEnumMember(p)) && p.name === id) return false;
  if ((ts.isVariableDeclaration(p) || ts.isParameter(p) || ts.isFunctionDeclaration(p) || ts.isFunctionExpression(p)
    || ts.isClassDeclaration(p) || ts.isBindingElement(p)) && p.name === id) return false;
  if (ts.isBindingElement(p) && p.propertyName === id) return false;
  if (ts.isImportSpecifier(p) || ts.isImportClause(p) || ts.isNamespaceImport(p) || ts.isExportSpecifier(p)) return false;
  if (ts.isLabeledStatement(p) || ts.isBreakOrContinueStatement(p)) return false;
  return !isInTypePosition(id);
}

/** "a.b.c" for a chain of identifiers and property accesses, else null. */
function dottedName(node: ts.Node): string | null {
  if (ts.isIdentifier(node)) return node.text;
  if (ts.isPropertyAccessExpression(node)) {
    const base = dottedName(node.expression);
    return base === null ? null : `${base}.${node.name.text}`;
  }
  return null;
}

/** The identifier at the root of a member chain (`a` in `a.b[c].d`), and whether the chain goes through a prototype. */
function chainRoot(node: ts.Expression): { root: string | null; viaPrototype: boolean } {
  let viaPrototype = false;
  let n: ts.Expression = node;
  for (;;) {
    if (ts.isPropertyAccessExpression(n)) {
      if (n.name.text === 'prototype' || n.name.text === '__proto__') viaPrototype = true;
      n = n.expression;
    } else if (ts.isElementAccessExpression(n)) {
      n = n.expression;
    } else if (ts.isParenthesizedExpression(n) || ts.isNonNullExpression(n) || ts.isAsExpression(n)) {
      n = n.expression;
    } else {
      return { root: ts.isIdentifier(n) ? n.text : null, viaPrototype };
    }
  }
}

const isAssignmentOperator = (kind: ts.SyntaxKind): boolean =>
  kind >= ts.SyntaxKind.FirstAssignment && kind <= ts.SyntaxKind.LastAssignment;

/** Names bound by the pristine file's imports of modules a candidate may not use: local name → module. */
export function riskyImportBindings(file: ts.SourceFile): Map<string, string> {
  const bindings = new Map<string, string>();
  for (const statement of file.statements) {
    if (!ts.isImportDeclaration(statement) || !ts.isStringLiteral(statement.moduleSpecifier)) continue;
    const module = statement.moduleSpecifier.text;
    if (moduleVerdict(module) === null) continue;
    const clause = statement.importClause;
    if (clause?.name) bindings.set(clause.name.text, module);
    const named = clause?.namedBindings;
    if (named && ts.isNamespaceImport(named)) bindings.set(named.name.text, module);
    if (named && ts.isNamedImports(named)) for (const el of named.elements) bindings.set(el.name.text, module);
  }
  return bindings;
}

/** Static findings for `root` (a candidate's statements or the pristine function), unfiltered. */
export function scanForFlags(root: ts.Node, sf: ts.SourceFile, riskyBindings: ReadonlyMap<string, string>): JsFlag[] {
  const found: JsFlag[] = [];
  const local = declaredNames(root);
  const flag = (code: string, node: ts.Node, what: string, key: string): void => {
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push({ code, message: `line ${line}: ${what}`, key });
  };
  const checkModule = (node: ts.Node, specifier: string): void => {
    const verdict = moduleVerdict(specifier);
    if (verdict) flag(verdict.code, node, `imports ${specifier} (${verdict.why})`, `import:${moduleRoot(specifier)}`);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) checkModule(node, node.moduleSpecifier.text);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)
      && ts.isStringLiteral(node.moduleReference.expression)) checkModule(node, node.moduleReference.expression.text);
    else if (ts.isCallExpression(node)) checkCall(node, flag, checkModule);
    else if (ts.isIdentifier(node) && isValueReference(node) && !local.has(node.text)) checkIdentifier(node, flag, riskyBindings);
    else if (ts.isPropertyAccessExpression(node)) checkMember(node, flag);
    else if (ts.isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) checkWrite(node.left, node, flag);
    else if (ts.isDeleteExpression(node)) checkWrite(node.expression, node, flag);
    else if ((ts.isPrefixUnaryExpression(node) || ts.isPostfixUnaryExpression(node))
      && (node.operator === ts.SyntaxKind.PlusPlusToken || node.operator === ts.SyntaxKind.MinusMinusToken)) checkWrite(node.operand, node, flag);
    else if (ts.isStringLiteralLike(node)) checkString(node, flag);
    if (isMemberDefinition(node)) checkDefinedName(node, flag);
    ts.forEachChild(node, visit);
  };
  visit(root);
  return found;
}

type Flagger = (code: string, node: ts.Node, what: string, key: string) => void;

function checkCall(node: ts.CallExpression, flag: Flagger, checkModule: (node: ts.Node, specifier: string) => void): void {
  const callee = node.expression;
  const first = node.arguments[0];
  const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
  if (isImport || (ts.isIdentifier(callee) && callee.text === 'require')) {
    if (first && ts.isStringLiteralLike(first)) checkModule(node, first.text);
    else flag('forbidden_import', node, `${isImport ? 'import()' : 'require()'} of a computed module name`, 'import:dynamic');
    return;
  }
  const name = dottedName(callee);
  if (name !== null && DEFINE_CALLS.has(name) && first) {
    const target = chainRoot(first);
    if (target.viaPrototype || (target.root !== null && BUILTIN_GLOBALS.has(target.root))) {
      flag('introspection', node, `${name}() on ${target.root ?? 'a prototype'} (patching built-ins)`, `patch:${target.root ?? 'prototype'}`);
    }
  }
}

function checkIdentifier(id: ts.Identifier, flag: Flagger, riskyBindings: ReadonlyMap<string, string>): void {
  const name = id.text;
  const parent = id.parent;
  if (name === 'process') {
    if (ts.isPropertyAccessExpression(parent) && parent.expression === id) {
      const member = parent.name.text;
      if (EXIT_MEMBERS.has(member)) flag('exit_call', parent, `uses process.${member}`, `process.${member}`);
      else if (!HARMLESS_PROCESS_MEMBERS.has(member)) flag('introspection', parent, `uses process.${member}`, `process.${member}`);
    } else {
      flag('introspection', id, 'uses `process` other than through a plain member (process.env, …)', 'process');
    }
  } else if (name === 'globalThis' || name === 'global') {
    flag('introspection', id, `uses ${name}`, name);
  } else if (name === 'eval' || name === 'Function') {
    flag('introspection', id, `uses ${name} (runs generated code)`, name);
  } else if (name === 'require' && !(ts.isCallExpression(parent) && parent.expression === id)) {
    flag('introspection', id, 'uses require other than require("literal")', 'require');
  } else if (name === 'module' || name === 'exports') {
    flag('introspection', id, `uses ${name} (the module system)`, name);
  } else if (name === 'Proxy') {
    flag('always_equal', id, 'uses Proxy (objects that can pretend to be anything)', 'Proxy');
  } else if (FRAMEWORK_GLOBALS.has(name)) {
    flag('test_framework_access', id, `uses ${name} (test framework global)`, name);
  }
  const module = riskyBindings.get(name);
  if (module !== undefined) {
    const verdict = moduleVerdict(module);
    // Its own key: re-importing a module the file already imports is exempt, using it is not.
    if (verdict) flag(verdict.code, id, `uses ${name}, imported from ${module} (${verdict.why})`, `use:${moduleRoot(module)}`);
  }
}

function checkMember(node: ts.PropertyAccessExpression, flag: Flagger): void {
  const name = node.name.text;
  if (name === '__proto__' || name === 'caller' || name === 'callee') flag('introspection', node, `accesses .${name}`, name);
  // `(() => {}).constructor` is the Function constructor: generated code without naming Function.
  if (name === 'constructor') flag('introspection', node, 'accesses .constructor (reaches the Function constructor)', 'constructor');
}

function checkWrite(target: ts.Expression, node: ts.Node, flag: Flagger): void {
  const { root, viaPrototype } = chainRoot(target);
  const isMember = ts.isPropertyAccessExpression(target) || ts.isElementAccessExpression(target);
  if (viaPrototype) flag('introspection', node, 'writes to a prototype', `patch:${root ?? 'prototype'}`);
  else if (isMember && root !== null && BUILTIN_GLOBALS.has(root)) flag('introspection', node, `writes to a member of ${root}`, `patch:${root}`);
  if (ts.isPropertyAccessExpression(target) && ALWAYS_EQUAL_NAMES.has(target.name.text)) {
    flag('always_equal', node, `assigns .${target.name.text}`, target.name.text);
  }
}

function checkString(node: ts.StringLiteralLike, flag: Flagger): void {
  if (ALWAYS_EQUAL_NAMES.has(node.text)) flag('always_equal', node, `names ${node.text} dynamically`, node.text);
  if (INTROSPECTION_STRINGS.has(node.text)) flag('introspection', node, `names ${node.text} dynamically`, node.text);
  const channel = CHANNEL_STRINGS.find((s) => node.text.includes(s));
  if (channel !== undefined) flag('test_framework_access', node, `string mentions ${JSON.stringify(channel)}`, channel);
}

type MemberDefinition = ts.PropertyAssignment | ts.MethodDeclaration | ts.PropertyDeclaration | ts.GetAccessorDeclaration | ts.ShorthandPropertyAssignment;

const isMemberDefinition = (node: ts.Node): node is MemberDefinition =>
  ts.isPropertyAssignment(node) || ts.isMethodDeclaration(node) || ts.isPropertyDeclaration(node) || ts.isGetAccessor(node)
  || ts.isShorthandPropertyAssignment(node);

/** valueOf / toString / [Symbol.toPrimitive] … defined on an object or class. */
function checkDefinedName(node: MemberDefinition, flag: Flagger): void {
  const name = node.name;
  let text: string | null = null;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name)) text = name.text;
  else if (ts.isComputedPropertyName(name)) {
    const dotted = dottedName(name.expression);
    text = dotted?.startsWith('Symbol.') ? dotted.slice('Symbol.'.length) : null;
  }
  if (text !== null && ALWAYS_EQUAL_NAMES.has(text)) flag('always_equal', node, `defines ${text} (objects that compare equal to anything)`, text);
}
