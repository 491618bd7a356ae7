/**
 * A separate process that writes traces to a store, for the durability and concurrency tests.
 * Usage: store-writer-child.ts DB RUN_ID CALLS TRACES_PER_CALL [IN_FLIGHT]
 * Prints "ids 1,2,3" for each recordTraces call only after its promise resolved (stdout to a pipe
 * is synchronous on Linux, so a printed line means the write had been reported as stored), and
 * "done" after close(). With STORE_GO_FILE set, it prints "ready" once the store is open and waits
 * for that file to exist before writing (so two writers really start together).
 */
import { existsSync } from 'node:fs';
import { openStore } from '../../src/trainer/store';
import { makeTrace } from './store-fixtures';

async function main(): Promise<void> {
  const [path, runId, callsArg, perCallArg, inFlightArg] = process.argv.slice(2);
  if (!path || !runId) throw new Error('usage: store-writer-child.ts DB RUN_ID CALLS TRACES_PER_CALL [IN_FLIGHT]');
  const calls = Number(callsArg);
  const perCall = Number(perCallArg);
  const inFlight = Number(inFlightArg ?? 4);
  const store = await openStore(path, { batchSize: 64, flushDelayMs: 5 });
  const goFile = process.env.STORE_GO_FILE;
  if (goFile) {
    process.stdout.write('ready\n');
    while (!existsSync(goFile)) await new Promise((r) => setTimeout(r, 5));
  }
  const pending = new Set<Promise<void>>();
  for (let call = 0; call < calls; call++) {
    const traces = Array.from({ length: perCall }, (_, i) => makeTrace({ runId, step: call + 1 }, call * perCall + i));
    const p = store.recordTraces(traces).then((ids) => { process.stdout.write(`ids ${ids.join(',')}\n`); });
    pending.add(p);
    void p.finally(() => pending.delete(p));
    if (pending.size >= inFlight) await Promise.race(pending);
  }
  await Promise.all(pending);
  await store.close();
  process.stdout.write('done\n');
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
