/**
 * Loads the real extension entry point against a stand-in `vscode` module and runs `activate`:
 * every contributed command is registered by its id, both views, both panel serializers, the
 * CodeLens provider and the test controller exist, every registration is disposable, and the
 * commands that execute workspace code refuse in an untrusted workspace, saying why.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { fakeVscode, installFakeVscode, type FakeVscode } from '../helpers/fake-vscode';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { commands: { command: string }[] } };

let fake: FakeVscode;
let uninstall: () => void;
const subscriptions: { dispose(): unknown }[] = [];
const handlers = new Map<string, (...args: unknown[]) => unknown>();
const state = new Map<string, unknown>();
const memento = { get: (k: string) => state.get(k), update: async (k: string, v: unknown) => { state.set(k, v); }, keys: () => [...state.keys()] };

before(() => {
  fake = fakeVscode({
    'workspace.workspaceFolders': undefined,
    'workspace.isTrusted': false,
    'window.visibleTextEditors': [],
    'window.activeTextEditor': undefined,
  }, {
    'commands.registerCommand': ([id, handler]) => {
      handlers.set(id as string, handler as (...args: unknown[]) => unknown);
      return { dispose: () => handlers.delete(id as string) };
    },
    'workspace.getConfiguration': () => ({ get: (_key: string, fallback?: unknown) => fallback }),
    'window.showWarningMessage': async () => undefined,
    'window.showInformationMessage': async () => undefined,
  });
  uninstall = installFakeVscode(fake);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const extension = require('../../src/extension/extension') as { activate(context: unknown): void };
  extension.activate({
    subscriptions,
    extensionUri: { fsPath: root },
    globalStorageUri: { fsPath: join(root, '.tmp-global-storage') },
    asAbsolutePath: (p: string) => join(root, p),
    globalState: memento,
    workspaceState: memento,
  });
});

after(() => {
  for (const s of subscriptions) s.dispose();
  uninstall();
});

test('activate registers a handler for every contributed command, under its id', () => {
  assert.deepEqual([...handlers.keys()].sort(), manifest.contributes.commands.map((c) => c.command).sort());
});

test('activate registers both views, both panel serializers, the CodeLens provider and the test controller', () => {
  assert.deepEqual(fake.callsTo('window.registerWebviewViewProvider').map((c) => c.args[0]), ['rlvrStudio.traces']);
  assert.equal(fake.callsTo('window.createTreeView')[0]?.args[0], 'rlvrStudio.runs');
  assert.deepEqual(fake.callsTo('window.registerWebviewPanelSerializer').map((c) => c.args[0]).sort(), ['rlvrStudio.dashboard', 'rlvrStudio.trace']);
  // The task results lens and the "Solve with trained model" lens.
  assert.equal(fake.callsTo('languages.registerCodeLensProvider').length, 2);
  assert.deepEqual(fake.callsTo('workspace.registerTextDocumentContentProvider').map((c) => c.args[0]), ['rlvr-solve']);
  assert.deepEqual(fake.callsTo('tests.createTestController').map((c) => c.args[0]), ['rlvrStudio.tasks']);
  assert.equal(fake.callsTo('window.createStatusBarItem').length, 1);
});

test('every registration went into context.subscriptions and can be disposed', () => {
  assert.ok(subscriptions.length >= 20, `only ${subscriptions.length} disposables`);
  for (const s of subscriptions) assert.equal(typeof s.dispose, 'function');
  const commandDisposables = subscriptions.length;
  assert.ok(commandDisposables > handlers.size, 'commands plus the features');
});

test('in an untrusted workspace, training, mining, checks, evaluation and solving refuse and explain; nothing is spawned', async () => {
  for (const id of ['rlvrStudio.startTraining', 'rlvrStudio.mineTasks', 'rlvrStudio.checkGroundTruth', 'rlvrStudio.resumeTraining', 'rlvrStudio.evaluate',
    'rlvrStudio.solveWithTrainedModel']) {
    const before = fake.callsTo('window.showWarningMessage').length;
    await handlers.get(id)?.();
    const warning = fake.callsTo('window.showWarningMessage')[before];
    assert.match(String(warning?.args[0]), /needs a trusted workspace\. Browsing runs and traces works without trust\./, id);
    assert.equal(warning?.args[1], 'Manage Workspace Trust', id);
  }
  assert.equal(fake.callsTo('window.showQuickPick').length, 0, 'no picker was shown before the trust check');
});

test('Stop with no run says so; Show Logs shows the output channel', async () => {
  await handlers.get('rlvrStudio.stopTraining')?.();
  assert.match(String(fake.callsTo('window.showInformationMessage').at(-1)?.args[0]), /no training run is going/);
  await handlers.get('rlvrStudio.showLogs')?.();
  assert.ok(fake.callsTo('window.createOutputChannel().show').length === 1);
});
