/**
 * The `--entropies FILE` format of `rlvr aha`: one JSON object with per-token `entropies` and the
 * tokens' places in the completion, either as `tokens` (each token decoded on its own) or as
 * `spans` ([start, end) character offsets). Example:
 *   {"tokens": ["<think>", "Wait", ",", " no"], "entropies": [0.1, 2.3, 0.4, 1.1]}
 */
import { AhaInputError, spansFromTokenTexts } from './tokens';
import type { TokenSpan } from './types';

export interface TokenInputs {
  tokenSpans: TokenSpan[];
  entropies: number[];
}

const HINT = 'write {"entropies": [number, ...], "tokens": [string, ...]} or {"entropies": [...], "spans": [[start, end], ...]}';

const isNumberArray = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isSpan = (v: unknown): v is [number, number] => Array.isArray(v) && v.length === 2 && isNumberArray(v);

export function parseTokenInputs(json: string, completion: string, source: string): TokenInputs {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (error) {
    throw new AhaInputError(`${source} is not JSON: ${(error as Error).message}`, HINT);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new AhaInputError(`${source} must hold a JSON object`, HINT);
  const { entropies, tokens, spans } = value as Record<string, unknown>;
  if (!isNumberArray(entropies)) throw new AhaInputError(`${source}: "entropies" must be an array of numbers`, HINT);
  if (Array.isArray(tokens) && tokens.every((t) => typeof t === 'string')) {
    return { tokenSpans: spansFromTokenTexts(completion, tokens), entropies };
  }
  if (Array.isArray(spans) && spans.every(isSpan)) return { tokenSpans: spans, entropies };
  throw new AhaInputError(`${source}: needs "tokens" (array of strings) or "spans" (array of [start, end])`, HINT);
}
