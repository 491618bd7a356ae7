// `rlvr train` for real: the tiny model, the sandboxed verifier, the Python worker and the SQLite
// store, on a copy of the bundled example. Also what a user sees when an input is bad.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreReader } from '../../src/trainer/store';
import { repoPython, testModelDir } from '../helpers/tiny-model';
import { runCli, startCli } from '../helpers/rlvr-cli';
import { parseTrainEvent } from '../../src/shared/train-events';
import { copyExample } from '../helpers/example-copy';

const quick = ['--set', 'steps=2', '--set', 'groupSize=4', '--set', 'tasksPerStep=2', '--set', 'maxNewTokens=48',
  '--set', 'maxRefillRounds=0', '--set', 'lora=false', '--set', 'learningRate=1e-3', '--set', 'heldOutFraction=0.1',
  '--set', 'evalSamples=2', '--set', 'evalK=[1,2]', '--set', 'dynamicSampling=false'];

/** True when any tensor of the two safetensors files differs. */
function weightsDiffer(a: string, b: string): boolean {
  const script = 'import sys, torch; from safetensors.torch import load_file as l; x, y = l(sys.argv[1]), l(sys.argv[2]); ' +
    'print(any(not torch.equal(x[k], y[k]) for k in x if k in y))';
  return execFileSync(repoPython, ['-c', script, a, b]).toString().trim() === 'True';
}

describe('rlvr train', () => {
  let scratch: string;
  let model: string;
  before(() => {
    scratch = mkdtempSync(join(tmpdir(), 'rlvr-train-'));
    model = testModelDir();
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('runs real GRPO steps: store populated, metrics finite, evaluations stored, parameters changed', async () => {
    const ws = copyExample('python-basics', join(scratch, 'ws-steps'));
    const result = await runCli(['train', '--workspace', ws, '--model', model, '--json', ...quick]);
    assert.equal(result.code, 0, result.stderr);
    const summary = JSON.parse(result.stdout) as { runId: string; status: string; lastStep: number; base: { passAtK: Record<string, number> }; final: unknown };
    assert.equal(summary.status, 'completed');
    assert.equal(summary.lastStep, 2);
    assert.deepEqual(Object.keys(summary.base.passAtK), ['1', '2']);
    assert.ok(summary.final);

    const reader = await openStoreReader(join(ws, '.rlvr', 'runs.db'));
    try {
      const steps = await reader.queries.listSteps(summary.runId);
      assert.deepEqual(steps.map((s) => s.step), [1, 2]);
      for (const s of steps) {
        for (const name of ['rewardMean', 'passRate', 'entropy', 'completionLenMean', 'tokensPerS'] as const) {
          assert.ok(Number.isFinite(s.metrics[name]), `step ${s.step} ${name} = ${s.metrics[name]}`);
        }
      }
      const train = await reader.queries.queryTraces({ runId: summary.runId, kind: 'train', limit: 1000 });
      assert.equal(train.rows.length, 2 * 2 * 4, 'steps × tasks × group size');
      const detail = await reader.queries.getTrace(train.rows[0]!.id);
      assert.ok(detail && detail.tokens && detail.tokens.ids.length === detail.completionTokens, 'token stats stored');
      const offsets = detail.tokens.offsets;
      assert.ok(offsets && offsets.length === detail.completionTokens, 'the worker located every token in the text');
      assert.equal(offsets[offsets.length - 1], detail.completion.length);
      const evaluations = await reader.queries.listEvaluations(summary.runId);
      assert.deepEqual(evaluations.map((e) => e.label), ['base', 'step-2']);
      assert.deepEqual(evaluations.map((e) => e.curve?.length), [2, 2], 'pass@k for every k = 1..evalSamples');
      assert.ok(steps.every((s) => Array.isArray(s.health)), 'health warnings are read with the steps');
      const run = await reader.queries.getRun(summary.runId);
      assert.equal(run?.status, 'completed');
      assert.ok(run?.lastCheckpoint, 'a checkpoint was recorded');
      const trained = steps.filter((s) => s.metrics.loss !== null);
      assert.ok(trained.length > 0, 'at least one step updated the policy (format rewards vary within groups)');
      assert.ok(weightsDiffer(join(model, 'model.safetensors'), join(run.lastCheckpoint.dir, 'model', 'model.safetensors')),
        'the checkpoint weights differ from the base model');
    } finally {
      await reader.close();
    }
  });

  it('a workspace without tests is a clear error', async () => {
    const ws = join(scratch, 'empty');
    mkdirSync(ws);
    writeFileSync(join(ws, 'mod.py'), 'def f():\n    return 1\n');
    const result = await runCli(['train', '--workspace', ws, '--model', model, ...quick]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no tests/i);
    assert.doesNotMatch(result.stderr, /internal error/);
  });

  it('a missing model path fails clearly and the run is marked failed', async () => {
    const ws = copyExample('python-basics', join(scratch, 'ws-nomodel'));
    const result = await runCli(['train', '--workspace', ws, '--model', join(scratch, 'no-such-model'), ...quick]);
    assert.notEqual(result.code, 0);
    assert.match(result.stderr, /no-such-model/);
    assert.doesNotMatch(result.stderr, /internal error/);
    const runs = await runCli(['runs', '--workspace', ws, '--json']);
    const [run] = JSON.parse(runs.stdout) as { status: string; error: string }[];
    assert.equal(run?.status, 'failed');
    assert.match(run?.error ?? '', /no-such-model/);
  });

  it('the worker dying mid-run is a clear error, the run is marked failed and its stored traces stay', async () => {
    const ws = copyExample('python-basics', join(scratch, 'ws-workerdies'));
    const { child, done } = startCli(['train', '--workspace', ws, '--model', model, '--events',
      ...quick, '--set', 'steps=6', '--set', 'heldOutFraction=0']);
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      child.stdout?.on('data', (chunk: Buffer) => {
        for (const line of chunk.toString().split('\n')) {
          const event = parseTrainEvent(line);
          if (event?.type === 'started') runId = event.runId;
          if (event?.type === 'step' && event.step === 1) resolve();
        }
      });
      void done.then((r) => reject(new Error(`training ended early: ${r.stderr}`)));
    });
    const workers = execFileSync('pgrep', ['-P', String(child.pid), '-f', 'rlvr_worker']).toString().trim().split('\n');
    for (const pid of workers) process.kill(Number(pid), 'SIGKILL');
    const result = await done;
    assert.notEqual(result.code, 0);
    const failed = result.stdout.split('\n').map(parseTrainEvent).find((e) => e?.type === 'failed');
    assert.ok(failed && failed.type === 'failed', 'a failed event is emitted');
    assert.match(failed.message, /worker/i);
    assert.doesNotMatch(result.stderr, /internal error/);
    const reader = await openStoreReader(join(ws, '.rlvr', 'runs.db'));
    try {
      const run = await reader.queries.getRun(runId);
      assert.equal(run?.status, 'failed');
      assert.match(run?.error ?? '', /worker/i);
      const step1 = await reader.queries.queryTraces({ runId, step: 1, limit: 100 });
      assert.equal(step1.rows.length, 2 * 4, 'the traces of the finished step are kept');
    } finally {
      await reader.close();
    }
  });

  it('a malformed config file names the file and the problem', async () => {
    const ws = copyExample('python-basics', join(scratch, 'ws-badconfig'));
    mkdirSync(join(ws, '.rlvr'), { recursive: true });
    writeFileSync(join(ws, '.rlvr', 'config.json'), '{"groupSize": 4, "lossType": "ppo"}');
    const result = await runCli(['train', '--workspace', ws, '--model', model]);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /config\.json: "lossType" must be one of "grpo", "dapo", "dr_grpo", got "ppo"/);
    writeFileSync(join(ws, '.rlvr', 'config.json'), '{"groupSize": 4,');
    const broken = await runCli(['train', '--workspace', ws, '--model', model]);
    assert.equal(broken.code, 2);
    assert.match(broken.stderr, /config\.json is not valid JSON/);
  });
});
