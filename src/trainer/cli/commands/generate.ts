import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { RlvrError, UsageError } from '../../errors';
import type { PromptMessage } from '../../tasks/prompt';
import type { Command } from '../command';

const usage = `usage: rlvr generate --onnx DIR (--prompt-file FILE | --prompt TEXT) [--system TEXT] [--max-new-tokens N]
                     [--sample [--temperature T] [--top-p P] [--seed S]] [--threads N] [--json]

Generates with an exported ONNX model (rlvr export --format onnx) in onnxruntime-node, as the editor does:
the model's chat template, then greedy decoding (or --sample) until EOS or --max-new-tokens (default 256).
The prompt is one user message: the text of --prompt or of FILE; a FILE ending in .json holds the
messages instead ([{"role": "system"|"user", "content": "..."}]). Text streams to stdout; Ctrl-C stops.
--json prints {text, promptTokenIds, tokenIds, finishReason, tokensPerSecond, executionProvider} instead.`;

export const generateCommand: Command = {
  name: 'generate',
  summary: 'generate with an exported ONNX model (no Python), as the editor does',
  usage,
  async run(argv, io) {
    const { values } = parseArgs({
      args: argv, strict: true,
      options: {
        onnx: { type: 'string' }, 'prompt-file': { type: 'string' }, prompt: { type: 'string' }, system: { type: 'string' },
        'max-new-tokens': { type: 'string' }, sample: { type: 'boolean' }, temperature: { type: 'string' }, 'top-p': { type: 'string' },
        seed: { type: 'string' }, threads: { type: 'string' }, json: { type: 'boolean' },
      },
    });
    if (!values.onnx) throw new UsageError('--onnx DIR is required', usage);
    const messages = promptMessages(values['prompt-file'], values.prompt, values.system);
    const number = (name: string, value: string | undefined): number | undefined => {
      if (value === undefined) return undefined;
      const n = Number(value);
      if (!Number.isFinite(n)) throw new UsageError(`--${name} expects a number, got "${value}"`);
      return n;
    };
    const samplingFlag = (['temperature', 'top-p', 'seed'] as const).find((f) => values[f] !== undefined);
    if (samplingFlag && !values.sample) throw new UsageError(`--${samplingFlag} needs --sample (the default is greedy decoding)`, usage);
    const threads = number('threads', values.threads);
    // Loaded on demand: onnxruntime-node is a native module no other command needs.
    const { loadOnnxModel } = await import('../../inference/index.js');
    const model = await loadOnnxModel(values.onnx, threads !== undefined ? { cpuThreads: threads } : {});
    try {
      const result = await model.generateChat(messages, {
        maxNewTokens: number('max-new-tokens', values['max-new-tokens']) ?? 256,
        greedy: !values.sample,
        temperature: number('temperature', values.temperature) ?? 1,
        topP: number('top-p', values['top-p']) ?? 1,
        ...(values.seed !== undefined ? { seed: number('seed', values.seed) as number } : {}),
        signal: io.signal,
        ...(values.json ? {} : { onText: (delta: string) => io.stdout(delta) }),
      });
      if (values.json) io.stdout(`${JSON.stringify({ ...result, executionProvider: model.executionProvider })}\n`);
      else io.stderr(`\n[${result.finishReason}: ${result.tokenIds.length} tokens, ${result.tokensPerSecond.toFixed(0)} tokens/s, ${model.executionProvider}]\n`);
      return result.finishReason === 'cancelled' ? 130 : 0;
    } finally {
      await model.dispose();
    }
  },
};

function promptMessages(file: string | undefined, text: string | undefined, system: string | undefined): PromptMessage[] {
  if ((file === undefined) === (text === undefined)) throw new UsageError('give exactly one of --prompt-file FILE or --prompt TEXT', usage);
  let content = text;
  if (file !== undefined) {
    let raw: string;
    try {
      raw = readFileSync(file, 'utf8');
    } catch (error) {
      throw new RlvrError(`cannot read --prompt-file ${file} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'bad_input');
    }
    if (file.endsWith('.json')) return jsonMessages(file, raw, system);
    content = raw;
  }
  return [...(system !== undefined ? [{ role: 'system' as const, content: system }] : []), { role: 'user', content: content as string }];
}

function jsonMessages(file: string, raw: string, system: string | undefined): PromptMessage[] {
  if (system !== undefined) throw new UsageError('--system cannot be combined with a .json messages file (put the system message in it)');
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (error) {
    throw new RlvrError(`${file} is not JSON (${(error as Error).message})`, 'bad_input');
  }
  const ok = Array.isArray(parsed) && parsed.length > 0 && parsed.every((m) =>
    typeof m === 'object' && m !== null && (m.role === 'system' || m.role === 'user') && typeof m.content === 'string');
  if (!ok) throw new RlvrError(`${file} must be a non-empty JSON array of {"role": "system"|"user", "content": string}`, 'bad_input');
  return parsed as PromptMessage[];
}
