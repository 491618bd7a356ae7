// kill -9 in the middle of training, then `rlvr train --resume`: the store opens consistent, the
// traces of checkpointed steps are all there, and the run finishes with each step exactly once.
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStoreReader } from '../../src/trainer/store';
import { parseTrainEvent } from '../../src/shared/train-events';
import { testModelDir } from '../helpers/tiny-model';
import { runCli, startCli } from '../helpers/rlvr-cli';
import { copyExample } from '../helpers/example-copy';

const B = 2;
const G = 4;
const settings = ['--set', 'steps=4', '--set', `groupSize=${G}`, '--set', `tasksPerStep=${B}`, '--set', 'maxNewTokens=32',
  '--set', 'maxRefillRounds=0', '--set', 'dynamicSampling=false', '--set', 'lora=false', '--set', 'learningRate=1e-3',
  '--set', 'heldOutFraction=0', '--set', 'checkpointEvery=1'];

describe('kill -9 and resume', () => {
  let scratch: string;
  before(() => { scratch = mkdtempSync(join(tmpdir(), 'rlvr-resume-')); });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('resumes a killed run from its last checkpoint without losing or duplicating steps', async () => {
    const ws = join(scratch, 'ws');
    copyExample('python-basics', ws);
    const model = testModelDir();
    const { child, done } = startCli(['train', '--workspace', ws, '--model', model, '--events', ...settings], { detached: true });
    let runId = '';
    await new Promise<void>((resolve, reject) => {
      let buffered = '';
      child.stdout?.on('data', (chunk: Buffer) => {
        buffered += chunk.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop() ?? '';
        for (const line of lines) {
          const event = parseTrainEvent(line);
          if (event?.type === 'started') runId = event.runId;
          // Step 2's checkpoint is written right after its event; by step 3's event it is stored.
          if (event?.type === 'step' && event.step === 3) resolve();
        }
      });
      void done.then((r) => reject(new Error(`training ended before step 3: ${r.stderr}`)));
    });
    process.kill(-child.pid!, 'SIGKILL'); // the CLI, its worker and its sandboxes, mid-step 4
    await done;

    const db = join(ws, '.rlvr', 'runs.db');
    let reader = await openStoreReader(db);
    const killed = await reader.queries.getRun(runId);
    assert.equal(killed?.status, 'running', 'a killed run is left as it was');
    const checkpointStep = killed?.lastCheckpoint?.step ?? 0;
    assert.ok(checkpointStep >= 2, `checkpoint after step 2 or later, got ${checkpointStep}`);
    const kept = await reader.queries.queryTraces({ runId, kind: 'train', step: { max: checkpointStep }, limit: 1000 });
    assert.equal(kept.rows.length, checkpointStep * B * G, 'every trace of the checkpointed steps is stored');
    await reader.close();

    const resumed = await runCli(['train', '--workspace', ws, '--resume', runId, '--json']);
    assert.equal(resumed.code, 0, resumed.stderr);
    assert.equal((JSON.parse(resumed.stdout) as { lastStep: number }).lastStep, 4);
    assert.match(resumed.stderr, new RegExp(`resumed from .*step-${checkpointStep}`));

    reader = await openStoreReader(db);
    try {
      assert.deepEqual((await reader.queries.listSteps(runId)).map((s) => s.step), [1, 2, 3, 4]);
      const all = await reader.queries.queryTraces({ runId, kind: 'train', limit: 1000 });
      assert.equal(all.rows.length, 4 * B * G, 'no step is stored twice');
      assert.equal((await reader.queries.getRun(runId))?.status, 'completed');
    } finally {
      await reader.close();
    }
  });
});
