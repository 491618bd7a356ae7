/**
 * The extension's one id list against package.json, both ways: every contributed command has a
 * handler in the command table and every table entry is contributed; menus, views, panels and
 * activation events name only ids the code uses; every setting is described.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CommandId, PanelType, ViewId, type CommandName } from '../../src/extension/command-ids';
import { commandEntries, type CommandTable } from '../../src/extension/command-table';

interface Manifest {
  activationEvents: string[];
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    viewsContainers: { activitybar: { id: string; icon: string }[] };
    views: Record<string, { id: string; type?: string }[]>;
    viewsWelcome: { view: string; contents: string }[];
    configuration: { properties: Record<string, { description?: string; markdownDescription?: string }> };
  };
  capabilities: { untrustedWorkspaces: { supported: string; restrictedConfigurations?: string[] } };
}

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const contributed = manifest.contributes.commands.map((c) => c.command);
const ids = Object.values(CommandId) as string[];

test('every contributed command is in CommandId and every CommandId is contributed', () => {
  assert.deepEqual([...contributed].sort(), [...ids].sort());
  assert.equal(new Set(ids).size, ids.length, 'CommandId has duplicate ids');
});

test('every command has a title and the RLVR palette category', () => {
  for (const c of manifest.contributes.commands) {
    assert.equal(c.category, 'RLVR', `${c.command} category`);
    assert.ok(c.title.trim().length > 0, `${c.command} title`);
    assert.match(c.command, /^rlvrStudio\.[a-z][A-Za-z]+$/, `${c.command} is namespaced and camelCase`);
  }
});

test('the command table registers a handler under each contributed id, by name', () => {
  const calls: string[] = [];
  const table = Object.fromEntries((Object.keys(CommandId) as CommandName[]).map((name) => [name, () => calls.push(name)])) as CommandTable;
  const entries = commandEntries(table);
  assert.deepEqual(entries.map(([id]) => id).sort(), [...contributed].sort());
  for (const [id, handler] of entries) {
    handler();
    const name = (Object.keys(CommandId) as CommandName[]).find((n) => CommandId[n] === id);
    assert.equal(calls[calls.length - 1], name, `${id} runs the handler named ${String(name)}`);
  }
});

test('menus and welcome links name only contributed commands', () => {
  for (const [menu, entries] of Object.entries(manifest.contributes.menus)) {
    for (const entry of entries) assert.ok(contributed.includes(entry.command), `${menu} names unknown ${entry.command}`);
  }
  for (const welcome of manifest.contributes.viewsWelcome) {
    for (const [, command] of welcome.contents.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(contributed.includes(command ?? ''), `welcome links ${command}`);
  }
});

test('views and the container match ViewId; activation is only on our own panels (commands and views are implicit)', () => {
  assert.deepEqual(manifest.contributes.viewsContainers.activitybar.map((c) => c.id), [ViewId.container]);
  const views = manifest.contributes.views[ViewId.container] ?? [];
  assert.deepEqual(views.map((v) => v.id).sort(), [ViewId.runs, ViewId.traces].sort());
  assert.equal(views.find((v) => v.id === ViewId.traces)?.type, 'webview');
  assert.deepEqual([...manifest.activationEvents].sort(), Object.values(PanelType).map((p) => `onWebviewPanel:${p}`).sort());
});

test('every rlvrStudio.* setting is described; the interpreter and training settings are restricted in untrusted workspaces', () => {
  const properties = manifest.contributes.configuration.properties;
  for (const [key, p] of Object.entries(properties)) {
    assert.match(key, /^rlvrStudio\./);
    assert.ok((p.description ?? p.markdownDescription ?? '').length > 20, `${key} has a description`);
  }
  const trust = manifest.capabilities.untrustedWorkspaces;
  assert.equal(trust.supported, 'limited');
  for (const key of ['rlvrStudio.pythonPath', 'rlvrStudio.trainSettings']) assert.ok(trust.restrictedConfigurations?.includes(key), key);
});

test('the settings the extension reads are the ones package.json contributes', () => {
  const source = readFileSync(join(root, 'src', 'extension', 'infra', 'settings.ts'), 'utf8');
  const read = [...source.matchAll(/c\.get<[^>]+>\('([\w.]+)'/g)].map((m) => `rlvrStudio.${m[1]}`);
  assert.ok(read.length >= 5);
  for (const key of read) assert.ok(key in manifest.contributes.configuration.properties, `${key} is read but not contributed`);
});
