/**
 * Chat messages → prompt token ids, and token ids → text, exactly as the worker does it
 * (rlvr_worker/prompts.py `render_prompt`, rlvr_worker/stops.py decoding), so a model solves in the
 * editor from the same tokens it was trained on.
 *
 * - With a chat template: HF's `apply_chat_template(messages, add_generation_prompt=True)` — the
 *   template rendered with `messages`, `add_generation_prompt`, `tools`/`documents` = none and the
 *   tokenizer's named special tokens (`bos_token`, `eos_token`, …) — then encoded WITHOUT adding
 *   special tokens (the template writes BOS itself where the model wants it).
 * - Without one (base models): the contents joined by blank lines, encoded WITH special tokens.
 *
 * @huggingface/jinja renders with trim_blocks and lstrip_blocks, as transformers' sandbox does;
 * @huggingface/tokenizers runs tokenizer.json in plain JS. test/integration/onnx-tokenizer.test.ts
 * compares both with the Python tokenizer.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Template } from '@huggingface/jinja';
import { Tokenizer } from '@huggingface/tokenizers';
import { RlvrError } from '../errors';
import type { PromptMessage } from '../tasks/prompt';
import type { OnnxManifest } from './manifest';

export class ChatTokenizer {
  private constructor(
    private readonly tokenizer: Tokenizer,
    private readonly template: Template | null,
    private readonly variables: Record<string, string>,
  ) {}

  /** `settings`: the manifest's `tokenizer` section (the template and its special-token variables). */
  static async load(dir: string, settings: Pick<OnnxManifest['tokenizer'], 'chat_template' | 'template_variables'>): Promise<ChatTokenizer> {
    const [json, config] = await Promise.all(['tokenizer.json', 'tokenizer_config.json'].map((name) => readJson(dir, name)));
    const tokenizer = new Tokenizer(json as object, config as object);
    const source = settings.chat_template;
    let template: Template | null = null;
    if (source !== null) {
      try {
        template = new Template(source);
      } catch (error) {
        throw new RlvrError(`the chat template in ${dir} does not parse: ${(error as Error).message}`, 'bad_onnx_export',
          'the template comes from the model\'s tokenizer; check tokenizer.chat_template in Python');
      }
    }
    return new ChatTokenizer(tokenizer, template, settings.template_variables);
  }

  /** The prompt text before tokenisation (for display and tests). */
  renderChat(messages: readonly PromptMessage[]): string {
    if (messages.length === 0) throw new RlvrError('a prompt has no messages', 'bad_input', 'give at least one {role, content}');
    if (this.template === null) return messages.map((m) => m.content).join('\n\n');
    const bad = messages.findIndex((m) => typeof m.content !== 'string');
    if (bad >= 0) throw new RlvrError(`message ${bad} has no text content`, 'bad_input', 'each message needs {role, content: string}');
    try {
      return this.template.render({
        ...this.variables,
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        tools: null,
        documents: null,
        add_generation_prompt: true,
      });
    } catch (error) {
      // raise_exception() in a template (e.g. "roles must alternate") lands here too.
      throw new RlvrError(`the model's chat template rejected the messages: ${(error as Error).message}`, 'bad_input',
        'check the roles and order of the messages against the template (rlvr-onnx.json "tokenizer.chat_template")');
    }
  }

  /** Token ids of `messages`, ready for the assistant's turn. */
  encodeChat(messages: readonly PromptMessage[]): number[] {
    const text = this.renderChat(messages);
    const ids = this.tokenizer.encode(text, { add_special_tokens: this.template === null }).ids;
    if (ids.length === 0) throw new RlvrError('a prompt rendered to zero tokens', 'bad_input', 'its messages have no content');
    return ids;
  }

  /** Text of `ids` without special tokens (EOS, role markers), as the worker reports a sample's text. */
  decode(ids: readonly number[]): string {
    return this.tokenizer.decode([...ids], { skip_special_tokens: true });
  }
}

async function readJson(dir: string, name: string): Promise<unknown> {
  const path = join(dir, name);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new RlvrError(`cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)})`, 'bad_onnx_export',
      'an ONNX export folder holds tokenizer.json and tokenizer_config.json beside the graph; export again');
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new RlvrError(`${path} is not JSON (${(error as Error).message})`, 'bad_onnx_export', 'export again');
  }
}
