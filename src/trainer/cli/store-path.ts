import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RlvrError } from '../errors';

/** The store a read command uses: --db, else <workspace>/.rlvr/runs.db (workspace defaults to cwd). */
export function storePathFor(values: { db?: string | undefined; workspace?: string | undefined }): string {
  const path = values.db ?? join(resolve(values.workspace ?? '.'), '.rlvr', 'runs.db');
  if (!existsSync(path)) {
    throw new RlvrError(`no trace store at ${path}`, 'bad_input',
      'train first (rlvr train / npm start), or point at a store with --db FILE or --workspace DIR');
  }
  return path;
}
