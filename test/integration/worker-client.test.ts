// The TS client against a real `python -m rlvr_worker` process (RLVR Studio's .venv): handshake,
// typed round trips on the tiny model, typed errors after which the worker stays up, cancel, and
// a killed worker. Fake "workers" (python -c ...) cover the handshake failures.
import assert from 'node:assert/strict';
import { spawn, type SpawnOptions } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PROTOCOL_VERSION, WORKER_OPS, type GenerateParams, type MakeTinyModelParams, type WorkerOp } from '../../src/shared/protocol/worker-protocol';
import {
  findPythonInterpreter,
  WorkerClient,
  WorkerError,
  WorkerExitedError,
  WorkerStartError,
  WorkerVersionError,
  type SpawnFn,
} from '../../src/trainer/worker-client';

const python = findPythonInterpreter().path;
const scratch = mkdtempSync(join(tmpdir(), 'rlvr-worker-client-'));

/** The smallest tiny model: a 1-layer random init, built in well under a second. */
function tinyParams(dir: string, pretrainSteps = 0): MakeTinyModelParams {
  return { dir, seed: 0, pretrain_steps: pretrainSteps, tokenizer_examples: 200, vocab_size: 400, hidden_size: 32,
    num_hidden_layers: 1, num_attention_heads: 2, intermediate_size: 64, max_position_embeddings: 128 };
}

const generateParams: GenerateParams = {
  prompts: [{ messages: [{ role: 'user', content: 'Write add(a, b).' }] }, { messages: [{ role: 'user', content: 'Hi' }] }],
  n: 2, temperature: 1.0, top_p: 1.0, max_new_tokens: 8, stop: [], seed: 3, emit_groups: true,
};

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(() => assert.fail('expected a rejection'), (error: unknown) => error);
}

async function workerError(promise: Promise<unknown>): Promise<WorkerError> {
  const error = await rejection(promise);
  assert.ok(error instanceof WorkerError, `expected WorkerError, got ${String(error)}`);
  return error;
}

/** A spawner that runs `code` with the same interpreter instead of the worker. */
function fakeWorker(code: string): SpawnFn {
  return (command: string, _args: readonly string[], options: SpawnOptions) => spawn(command, ['-c', code], options);
}

after(() => rmSync(scratch, { recursive: true, force: true }));

describe('a real worker', () => {
  let client: WorkerClient;
  const stderr: string[] = [];
  before(async () => {
    client = await WorkerClient.start({ python, onStderrLine: (line) => stderr.push(line) });
  });
  after(async () => {
    assert.equal(await client.close(), 0);
    assert.equal(client.isRunning, false);
  });

  it('says hello with our protocol and its capabilities', () => {
    assert.equal(client.hello.protocol, PROTOCOL_VERSION);
    assert.deepEqual([...client.capabilities.ops].sort(), [...WORKER_OPS].sort());
    assert.ok(['cpu', 'cuda', 'mps'].includes(client.capabilities.device));
    assert.ok(client.capabilities.cpu_threads >= 1);
  });

  it('round-trips make_tiny_model with a typed result', async () => {
    const dir = join(scratch, 'tiny');
    const result = await client.request('make_tiny_model', tinyParams(dir));
    assert.equal(result.dir, dir);
    assert.ok(result.parameters > 1000 && result.vocab_size <= 400, JSON.stringify(result));
    assert.equal(result.pretrain_loss, null);
    const again = await client.request('make_tiny_model', tinyParams(dir));
    assert.equal(again.cached, true);
  });

  it('answers generate before load_policy with no_model', async () => {
    const error = await workerError(client.request('generate', generateParams));
    assert.equal(error.code, 'no_model');
    assert.ok(error.hint?.includes('load_policy'));
  });

  it('round-trips load_policy → generate (with group frames) → score → train_step → save → load', async () => {
    const model = join(scratch, 'tiny');
    await client.request('make_tiny_model', tinyParams(model));
    const loaded = await client.request('load_policy', {
      model, device: 'cpu', dtype: 'float32', attn_implementation: 'auto', cpu_threads: 1, seed: 0, lora: null,
      gradient_checkpointing: false, beta: 0,
      optimizer: { learning_rate: 1e-4, weight_decay: 0, betas: [0.9, 0.999], eps: 1e-8, schedule: 'constant',
        warmup_steps: 0, total_steps: 10, max_grad_norm: 1 },
    });
    assert.equal(loaded.device, 'cpu');
    assert.ok(loaded.trainable_params > 0 && loaded.eos_token_ids.length > 0);
    const early: number[] = [];
    const generated = await client.request('generate', generateParams, { onGroup: (frame) => early.push(frame.prompt_index) });
    assert.deepEqual(early.sort(), [0, 1], 'one group frame per prompt');
    assert.deepEqual(generated.groups.map((g) => g.prompt_index).sort(), [0, 1]);
    const group = generated.groups[0];
    const sample = group?.samples[0];
    assert.ok(group && sample && group.samples.length === 2);
    assert.equal(sample.logprobs.length, sample.token_ids.length);
    const sequence = { prompt_token_ids: group.prompt_token_ids, completion_token_ids: sample.token_ids };
    const scored = await client.request('score', { sequences: [sequence], temperature: 1.0 });
    assert.equal(scored.logprobs[0]?.length, sample.token_ids.length);
    const step = await client.request('train_step', {
      sequences: [{ ...sequence, advantage: 1, old_logprobs: sample.logprobs, truncated: sample.finish_reason === 'length' }],
      loss_type: 'grpo', epsilon_low: 0.2, epsilon_high: 0.28, beta: 0, mask_truncated: false, micro_batch_size: 1,
      temperature: 1.0, max_completion_length: 8,
    });
    assert.equal(step.step, 1);
    const checkpoint = join(scratch, 'checkpoint');
    assert.deepEqual(await client.request('save', { dir: checkpoint }), { dir: checkpoint, step: 1 });
    assert.equal((await client.request('load', { dir: checkpoint })).step, 1);
  });

  it('answers an unknown op with unknown_op and stays up', async () => {
    const error = await workerError(client.request('no_such_op' as WorkerOp, {} as never));
    assert.equal(error.code, 'unknown_op');
    assert.match(error.message, /unknown op 'no_such_op'/);
    assert.equal((await client.request('make_tiny_model', tinyParams(join(scratch, 'tiny')))).cached, true);
  });

  it('answers wrong types with invalid_params naming the field', async () => {
    const bad = { ...generateParams, prompts: [{ messages: [{ role: 'user', content: 42 }] }] } as unknown as GenerateParams;
    const error = await workerError(client.request('generate', bad));
    assert.equal(error.code, 'invalid_params');
    assert.equal(error.data?.['path'], '$.prompts[0].messages[0].content');
    const range = await workerError(client.request('generate', { ...generateParams, n: 0 }));
    assert.equal(range.data?.['path'], '$.n');
  });

  it('cancels a running op on abort and then serves the next request', async () => {
    const controller = new AbortController();
    const stages: string[] = [];
    const building = client.request('make_tiny_model', tinyParams(join(scratch, 'cancelled'), 100_000), {
      signal: controller.signal,
      onProgress: (frame) => {
        stages.push(frame.stage);
        controller.abort();
      },
    });
    const error = await workerError(building);
    assert.equal(error.code, 'cancelled');
    assert.ok(stages.length >= 1, 'no progress frame before the cancel');
    assert.equal((await client.request('make_tiny_model', tinyParams(join(scratch, 'tiny')))).cached, true);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const error = await workerError(client.request('shutdown', {}, { signal: AbortSignal.abort() }));
    assert.equal(error.code, 'cancelled');
    assert.ok(client.isRunning);
  });

  it('kept stdout clean: library output went to stderr', () => {
    assert.ok(stderr.some((line) => line.startsWith('rlvr_worker ')), stderr.slice(-5).join('\n'));
  });
});

describe('a worker that dies', () => {
  it('rejects pending and later requests with WorkerExitedError carrying the signal', async () => {
    const client = await WorkerClient.start({ python });
    const pending = client.request('make_tiny_model', tinyParams(join(scratch, 'killed'), 100_000), {
      onProgress: () => { if (client.pid) process.kill(client.pid, 'SIGKILL'); },
    });
    const error = await rejection(pending);
    assert.ok(error instanceof WorkerExitedError, String(error));
    assert.equal(error.signal, 'SIGKILL');
    assert.equal(error.op, 'make_tiny_model');
    const later = await rejection(client.request('shutdown', {}));
    assert.ok(later instanceof WorkerExitedError);
  });
});

describe('start failures', () => {
  it('refuses a worker that speaks another protocol version', async () => {
    const hello = JSON.stringify({ type: 'hello', protocol: 99, worker_version: '9.0', capabilities: {} });
    const error = await rejection(WorkerClient.start({ python, spawn: fakeWorker(`print(${JSON.stringify(hello)}, flush=True)\nimport time; time.sleep(30)`) }));
    assert.ok(error instanceof WorkerVersionError, String(error));
    assert.match(error.message, new RegExp(`speaks protocol 99, this host speaks ${PROTOCOL_VERSION}\\b`));
  });

  it('reports a worker that exits before hello, with its stderr', async () => {
    const error = await rejection(WorkerClient.start({ python, spawn: fakeWorker("import sys; sys.stderr.write('no torch here\\n'); sys.exit(3)") }));
    assert.ok(error instanceof WorkerStartError, String(error));
    assert.match(error.message, /exited before saying hello \(code 3\)[\s\S]*no torch here/);
  });

  it('times out a worker that never says hello', async () => {
    const error = await rejection(WorkerClient.start({ python, helloTimeoutMs: 300, spawn: fakeWorker('import time; time.sleep(30)') }));
    assert.ok(error instanceof WorkerStartError);
    assert.match(error.message, /did not say hello within 300 ms/);
  });

  it('reports an interpreter that does not exist', async () => {
    const error = await rejection(WorkerClient.start({ python: join(scratch, 'no-python') }));
    assert.ok(error instanceof WorkerStartError);
    assert.match(error.message, /interpreter not found/);
  });
});
