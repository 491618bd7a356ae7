/**
 * The tiny test model (helpers/tiny-model.ts) exported to ONNX by the real `rlvr export --format
 * onnx`, built once per machine and cached next to it (about a minute on a busy CPU); rebuilt when
 * the model's weights are newer than the export.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, rmSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { testModelDir } from './tiny-model';

const repo = join(__dirname, '..', '..');

export function tinyOnnxDir(): string {
  const model = testModelDir();
  const cache = process.env.RLVR_CACHE_DIR ?? join(homedir(), '.cache', 'rlvr-studio');
  const out = join(cache, 'test-models', 'tiny-200-onnx');
  const manifest = join(out, 'rlvr-onnx.json');
  if (!existsSync(manifest) || statSync(manifest).mtimeMs < statSync(join(model, 'model.safetensors')).mtimeMs) {
    rmSync(out, { recursive: true, force: true });
    execFileSync(process.execPath, ['--import', 'tsx', join(repo, 'src', 'trainer', 'cli', 'main.ts'),
      'export', '--format', 'onnx', '--model', model, '--out', out], { cwd: repo, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return out;
}
