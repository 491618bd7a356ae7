/** The language miners `mineTasks` tries, in order. A new language adds one line here. */
import { nodeTestMiner } from './js/node-test-miner';
import type { LanguageMiner } from './miner';
import { pytestMiner } from './python/pytest-miner';

export function defaultMiners(): LanguageMiner[] {
  return [pytestMiner, nodeTestMiner];
}
