import assert from 'node:assert/strict';
import { test } from 'node:test';
import { main } from '../../src/trainer/cli/main';
import { commands } from '../../src/trainer/cli/commands';
import { UsageError } from '../../src/trainer/errors';
import { searchIndexNote } from '../../src/trainer/store';

function capture() {
  const out: string[] = [];
  return { out, io: { stdout: (t: string) => { out.push(t); }, stderr: (t: string) => { out.push(t); }, signal: new AbortController().signal } };
}

test('every command answers --help and -h with its own usage', async () => {
  for (const command of commands) {
    for (const flag of ['--help', '-h']) {
      const { out, io } = capture();
      assert.equal(await main([command.name, flag], io), 0, `${command.name} ${flag}`);
      assert.equal(out.join(''), `${command.usage}\n`);
    }
  }
});

test('an unknown flag is a usage error that names the flag, for every command', async () => {
  for (const command of commands) {
    await assert.rejects(main([command.name, '--no-such-flag'], capture().io), (e: unknown) =>
      e instanceof UsageError && e.message.includes('no-such-flag'), command.name);
  }
});

test('a flag error from the argument parser points to the command\'s help', async () => {
  await assert.rejects(main(['eval', '--bogus'], capture().io), (e: unknown) =>
    e instanceof UsageError && /bogus/.test(e.message) && e.hint === 'run `rlvr help eval` for its flags');
});

test('rlvr traces says when the search index trails the traces or is missing', () => {
  assert.match(searchIndexNote({ state: 'behind', indexedThrough: 1200, lastTraceId: 1500 }) ?? '', /catching up: traces after id 1200 \(of 1500\)/);
  assert.match(searchIndexNote({ state: 'missing', indexedThrough: 0, lastTraceId: 9 }) ?? '', /not built yet/);
  assert.equal(searchIndexNote({ state: 'missing', indexedThrough: 0, lastTraceId: 9, message: 'side file unreadable' }), 'side file unreadable');
  assert.equal(searchIndexNote({ state: 'ready', indexedThrough: 9, lastTraceId: 9 }), null);
  assert.equal(searchIndexNote(undefined), null);
});
