// Entry point of a sandboxed test run: imports each test file given as an absolute path, in order,
// into this one process (node:test registers their tests on one root). A file that fails to load is
// reported and the others still run. One process instead of `node --test`'s process per file halves
// the cost of a candidate (see docs/verifier.md, JavaScript/TypeScript workspaces).
import { pathToFileURL } from 'node:url';
import { emit } from './channel.mjs';

for (const file of process.argv.slice(2)) {
  try {
    await import(pathToFileURL(file).href);
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    emit({ t: 'load_error', file, message: message.slice(0, 2000) });
  }
}
