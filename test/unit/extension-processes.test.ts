/**
 * The extension host's child processes, for real: a stand-in CLI script speaks the NDJSON event
 * stream and reacts to SIGINT like `rlvr train`; the capability check runs the real CLI.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli, runProcess, type CliLocation } from '../../src/extension/core/cli-process';
import { CancelledError, CliProcessError } from '../../src/extension/core/errors';
import type { RunState } from '../../src/extension/core/run-state';
import { TrainingAlreadyRunningError, TrainingSupervisor } from '../../src/extension/core/training-supervisor';
import { Cli } from '../../src/extension/infra/cli';

const root = join(__dirname, '..', '..');
const fake: CliLocation = { nodePath: process.execPath, cliPath: join(root, 'test', 'fixtures', 'extension', 'fake-rlvr.js'), env: process.env };

function supervised() {
  const states: RunState[] = [];
  const output: string[] = [];
  const events: string[] = [];
  const supervisor = new TrainingSupervisor(fake, {
    state: (s) => states.push(s),
    event: (e) => events.push(e.type),
    output: (l) => output.push(l),
  });
  return { supervisor, states, output, events };
}

test('a run\'s events become states; split lines, logs, stderr and plain stdout all arrive', async () => {
  const { supervisor, states, output, events } = supervised();
  const status = await supervisor.start(['train-ok'], root);
  assert.deepEqual(status, { code: 0, signal: null });
  assert.deepEqual(events, ['started', 'step', 'log', 'step', 'finished']);
  assert.deepEqual(states.map((s) => s.phase), ['starting', 'running', 'running', 'running', 'completed']);
  assert.equal(supervisor.state.step, 2);
  assert.equal(supervisor.state.metrics?.rewardMean, 0.2);
  for (const line of ['$ rlvr train-ok', 'plain text on stdout', 'progress on stderr', 'a log event']) assert.ok(output.includes(line), line);
});

test('Stop sends SIGINT: the run finishes its step and ends stopped; a second start is refused while it runs', async () => {
  const { supervisor, states } = supervised();
  const exited = supervisor.start(['train-stoppable'], root);
  assert.throws(() => supervisor.start(['train-ok'], root), TrainingAlreadyRunningError);
  while (supervisor.state.step < 2) await new Promise((r) => setTimeout(r, 20));
  assert.equal(supervisor.stop(), true);
  assert.equal(supervisor.state.phase, 'stopping');
  await exited;
  assert.equal(supervisor.state.phase, 'stopped');
  assert.ok(states.some((s) => s.phase === 'stopping'));
  assert.ok(supervisor.state.step >= 3, 'the step in progress was finished');
  assert.equal(supervisor.stop(), false, 'nothing to stop any more');
});

test('a process that dies without an end event ends the run as failed', async () => {
  const { supervisor } = supervised();
  const status = await supervisor.start(['train-crash'], root);
  assert.equal(status.code, 3);
  assert.equal(supervisor.state.phase, 'failed');
  assert.match(supervisor.state.error?.message ?? '', /exited with code 3 before it reported the end/);
});

test('a second Stop kills a process that does not stop', async () => {
  const { supervisor, output } = supervised();
  const exited = supervisor.start(['ignore-sigint'], root);
  const until = async (line: string) => { while (!output.includes(line)) await new Promise((r) => setTimeout(r, 20)); };
  await until('ready');
  supervisor.stop();
  await until('ignoring SIGINT');
  supervisor.stop();
  const status = await exited;
  assert.equal(status.signal, 'SIGKILL');
  assert.equal(supervisor.state.phase, 'failed');
});

test('runCli: the CLI\'s message and hint on failure; okCodes; cancel is CancelledError', async () => {
  await assert.rejects(runCli(fake, ['fail'], root), (e: unknown) =>
    e instanceof CliProcessError && e.message === '`rlvr fail` exited with code 1: no tests found in /ws' && e.hint === 'add pytest tests that call your functions');
  const answered = await runCli(fake, ['fail'], root, { okCodes: [0, 1] });
  assert.equal(answered.status.code, 1);
  const abort = new AbortController();
  const run = runCli(fake, ['hang'], root, { signal: abort.signal, onStdoutLine: () => abort.abort() });
  await assert.rejects(run, CancelledError);
});

test('capability check by exit status with the real CLI: `help demo` is a command, `help no-such` is not', async () => {
  const logs = { line: () => undefined, show: () => undefined };
  const cli = new Cli({ nodePath: process.execPath, cliPath: join(root, 'src', 'trainer', 'cli', 'main.ts'), env: { ...process.env, NODE_OPTIONS: '--import tsx' } }, logs);
  assert.equal(await cli.has('train', root), true);
  assert.equal(await cli.has('no-such-command', root), false);
});

test('runProcess with ownGroup: a cancel stops the script\'s children too (pip under setup.sh)', async () => {
  // The shell waits for a foreground child (as setup.sh waits for pip). SIGINT to the shell alone
  // is held until that child ends, so the shell is killed later and the child lives on.
  const abort = new AbortController();
  let childPid = 0;
  const script = 'sh -c \'echo "child $$"; exec sleep 30\'; echo after';
  const run = runProcess({ command: 'bash', args: ['-c', script], cwd: root, env: process.env, ownGroup: true }, {
    signal: abort.signal,
    onStdoutLine: (line) => {
      childPid = Number(/^child (\d+)$/.exec(line)?.[1] ?? 0);
      abort.abort();
    },
  });
  await assert.rejects(run, CancelledError);
  assert.ok(childPid > 0, 'the script printed its child\'s pid');
  const alive = () => { try { process.kill(childPid, 0); return true; } catch { return false; } };
  // Up to 5 s: a killed child is a zombie until it is reaped, which a loaded machine can delay past 1 s
  // (CI saw that once); a child that really outlived the cancel sleeps 30 s and still fails this.
  for (let i = 0; i < 250 && alive(); i++) await new Promise((r) => setTimeout(r, 20));
  assert.equal(alive(), false, 'the script\'s child outlived the cancel');
});

test('a CLI location\'s env may be a function, read at each start (the managed venv setting can change)', async () => {
  let venv = '/first';
  const location: CliLocation = { ...fake, env: () => ({ ...process.env, RLVR_STUDIO_VENV: venv }) };
  const first = await runCli(location, ['print-env', 'RLVR_STUDIO_VENV'], root);
  venv = '/second';
  const second = await runCli(location, ['print-env', 'RLVR_STUDIO_VENV'], root);
  assert.deepEqual([first.stdout, second.stdout], ['/first', '/second']);
});
