// The editor's chat tokenisation (ChatTokenizer: @huggingface/jinja + @huggingface/tokenizers) gives the
// same text and token ids as the worker's render_prompt (transformers' apply_chat_template + tokenizer)
// for the tiny test model's template, a multi-line template with whitespace control and a BOS
// variable, and a model without a template (contents joined, BOS added by the post-processor).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ChatTokenizer } from '../../src/trainer/inference';
import type { PromptMessage } from '../../src/trainer/tasks/prompt';
import { repoPython, testModelDir } from '../helpers/tiny-model';

const repo = join(__dirname, '..', '..');
const script = join(repo, 'test', 'fixtures', 'onnx', 'chat_prompts.py');
const env = { ...process.env, PYTHONPATH: join(repo, 'src', 'trainer', 'worker') };

const PROMPTS: PromptMessage[][] = [
  [{ role: 'user', content: 'def add(a, b):\n    """Return a + b."""' }],
  [{ role: 'system', content: '  You are a careful programmer.\n' }, { role: 'user', content: 'Write `mean(xs)`.\n\n```python\ndef mean(xs: list[float]) -> float:\n\tpass\n```' }],
  [{ role: 'user', content: 'Ünïcödé: naïve café, 日本語のテキスト, emoji 👋🏽🧪, math ∑ x² ≤ ∞, RTL עברית' }],
  [{ role: 'user', content: '<think>Let me check.\nWait, the edge case n = 0…</think>\n<answer>x</answer> and a literal <|end|> token' }],
  [{ role: 'user', content: 'trailing spaces   \r\nwindows line end\n\n\n   and indentation\n' }],
];

interface PythonSide {
  chat_template: string | null;
  template_variables: Record<string, string>;
  prompts: { text: string; ids: number[]; decoded: string }[];
}

/** One Python process for every folder: importing transformers dominates on a busy machine. */
function pythonPrompts(dirs: string[]): Record<string, PythonSide> {
  const out = execFileSync(repoPython, [script, 'render', ...dirs], { cwd: repo, env, input: JSON.stringify(PROMPTS), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
  return JSON.parse(out) as Record<string, PythonSide>;
}

async function assertSameAsPython(python: PythonSide, dir: string): Promise<void> {
  const tokenizer = await ChatTokenizer.load(dir, python);
  PROMPTS.forEach((messages, i) => {
    const expected = python.prompts[i];
    assert.ok(expected);
    assert.equal(tokenizer.renderChat(messages), expected.text, `prompt ${i}: rendered text`);
    assert.deepEqual(tokenizer.encodeChat(messages), expected.ids, `prompt ${i}: token ids`);
  });
}

describe('chat tokenisation in TypeScript equals the worker\'s', () => {
  const scratch = mkdtempSync(join(tmpdir(), 'rlvr-onnx-tok-'));
  const tiny = testModelDir();
  const templated = join(scratch, 'templated');
  const plain = join(scratch, 'plain');
  let python: Record<string, PythonSide> = {};
  const side = (dir: string): PythonSide => python[dir] ?? assert.fail(`no Python result for ${dir}`);
  before(() => {
    execFileSync(repoPython, [script, 'variants', tiny, scratch], { cwd: repo, env, stdio: ['ignore', 'ignore', 'inherit'] });
    python = pythonPrompts([tiny, templated, plain]);
  });
  after(() => rmSync(scratch, { recursive: true, force: true }));

  it('for the tiny model\'s chat template', async () => {
    await assertSameAsPython(side(tiny), tiny);
    assert.ok(side(tiny).chat_template, 'precondition: the tiny model has a chat template');
  });

  it('for a multi-line template with whitespace control, a BOS variable and a default system message', async () => {
    await assertSameAsPython(side(templated), templated);
    const [first, second] = side(templated).prompts;
    assert.equal(first?.ids[0], second?.ids[0], 'precondition: every prompt starts with the BOS token');
    assert.match(first?.text ?? '', /^<\|begin\|><\|system\|>\nYou are a careful programmer\.<\|end\|>/);
  });

  it('for a model without a template (contents joined by blank lines, BOS from the post-processor)', async () => {
    await assertSameAsPython(side(plain), plain);
    assert.equal(side(plain).chat_template, null);
    assert.equal(side(plain).prompts[1]?.text, `${PROMPTS[1]?.[0]?.content}\n\n${PROMPTS[1]?.[1]?.content}`);
  });

  it('decodes ids to the text the worker reports (special tokens skipped)', async () => {
    for (const dir of [tiny, templated]) {
      const tokenizer = await ChatTokenizer.load(dir, side(dir));
      side(dir).prompts.forEach((p, i) => assert.equal(tokenizer.decode(p.ids), p.decoded, `${dir} prompt ${i}`));
      assert.ok(!side(dir).prompts[2]?.decoded.includes('<|user|>'), 'precondition: special tokens are skipped');
    }
  });
});
