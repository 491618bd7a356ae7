/**
 * A stand-in for the `vscode` module, for loading the extension outside VS Code: every property is
 * a callable, constructible stub that records its calls, except the few the test pins to values.
 * It checks wiring (what activate registers, what a command does first), not VS Code's behaviour.
 */
import Module from 'node:module';

export interface Call {
  path: string;
  args: unknown[];
}

type Override = (args: unknown[]) => unknown;

/** The top-level names of the vscode API the extension uses. */
const NAMESPACES = [
  'window', 'workspace', 'commands', 'languages', 'tests', 'env', 'Uri', 'EventEmitter', 'Disposable', 'ThemeColor',
  'ThemeIcon', 'TreeItem', 'TreeItemCollapsibleState', 'StatusBarAlignment', 'ProgressLocation', 'ViewColumn', 'Range',
  'Position', 'CodeLens', 'TestRunProfileKind', 'TestRunRequest', 'TestMessage', 'QuickPickItemKind', 'OverviewRulerLane',
  'DecorationRangeBehavior', 'WorkspaceEdit',
];

export interface FakeVscode {
  module: unknown;
  calls: Call[];
  callsTo(path: string): Call[];
}

export function fakeVscode(values: Record<string, unknown>, overrides: Record<string, Override>): FakeVscode {
  const calls: Call[] = [];
  const cache = new Map<string, unknown>();
  const make = (path: string): unknown => {
    const cached = cache.get(path);
    if (cached !== undefined) return cached;
    const assigned = new Map<PropertyKey, unknown>();
    const target = function stub() { /* callable */ };
    const proxy: unknown = new Proxy(target, {
      get(_t, prop) {
        if (assigned.has(prop)) return assigned.get(prop);
        if (prop === 'then') return undefined; // not a thenable: `await stub` gives the stub
        if (prop === Symbol.toPrimitive) return () => path;
        if (prop === 'dispose') return () => undefined;
        if (typeof prop === 'symbol') return undefined;
        const child = `${path}.${prop}`.replace(/^\./, '');
        return child in values ? values[child] : make(child);
      },
      set(_t, prop, value) {
        assigned.set(prop, value);
        return true;
      },
      apply(_t, _this, args: unknown[]) {
        calls.push({ path, args });
        const override = overrides[path];
        return override ? override(args) : make(`${path}()`);
      },
      construct(_t, args: unknown[]) {
        calls.push({ path: `new ${path}`, args });
        return make(`new ${path}#${calls.length}`) as object;
      },
    });
    cache.set(path, proxy);
    return proxy;
  };
  // A plain object at the top: bundlers' ESM interop copies the module's own keys.
  const module = Object.fromEntries(NAMESPACES.map((name) => [name, name in values ? values[name] : make(name)]));
  return { module, calls, callsTo: (path) => calls.filter((c) => c.path === path) };
}

const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
const FAKE_ID = 'vscode (fake for tests)';

/** Makes `require('vscode')` return `fake` until the returned function is called. */
export function installFakeVscode(fake: FakeVscode): () => void {
  const original = resolver._resolveFilename;
  resolver._resolveFilename = function resolve(request: string, ...rest: unknown[]) {
    return request === 'vscode' ? FAKE_ID : original.call(this, request, ...rest);
  };
  const cache = require.cache as Record<string, unknown>;
  cache[FAKE_ID] = { id: FAKE_ID, filename: FAKE_ID, loaded: true, exports: fake.module };
  return () => {
    resolver._resolveFilename = original;
    delete cache[FAKE_ID];
  };
}
