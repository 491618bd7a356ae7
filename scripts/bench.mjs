// `npm run bench -- NAME [args]` runs bench/NAME.ts (TypeScript through tsx). Without NAME, lists them.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const available = existsSync('bench')
  ? readdirSync('bench').filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3)).sort()
  : [];
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- NAME [args]   (NAME: ${available.join(', ') || 'none found in bench/'})`);
  process.exit(name ? 2 : 0);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', `${name}.ts`), ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
