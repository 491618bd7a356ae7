/**
 * A briefly pretrained tiny model for integration tests, built once per machine and cached:
 * 200 pretraining steps are enough for it to emit `<think>` and code fences sometimes, so GRPO
 * groups have reward variance (the format reward) and real updates happen. ~45 s on 2 idle cores.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

const repo = join(__dirname, '..', '..');
export const repoPython = join(repo, '.venv', 'bin', 'python');

export function testModelDir(): string {
  const cache = process.env.RLVR_CACHE_DIR ?? join(homedir(), '.cache', 'rlvr-studio');
  const dir = join(cache, 'test-models', 'tiny-200');
  if (!existsSync(join(dir, 'rlvr_tiny.json'))) {
    execFileSync(repoPython, ['-m', 'rlvr_worker.tiny', '--out', dir, '--pretrain-steps', '200', '--seed', '0',
      '--max-pretrain-seconds', '1800'], {
      cwd: repo, env: { ...process.env, PYTHONPATH: join(repo, 'src', 'trainer', 'worker') }, stdio: ['ignore', 'ignore', 'inherit'],
    });
  }
  return dir;
}
