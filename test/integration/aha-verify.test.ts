/** `rlvr aha` with consequences, end to end: real mining, real sandboxed pytest verifying the code around each cue. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { AhaReport } from '../../src/trainer/analysis/aha';
import { main } from '../../src/trainer/cli/main';
import { mineTasks } from '../../src/trainer/mining';
import { copyExample } from '../helpers/example-copy';

let scratch: string;
let example: string;

before(() => {
  scratch = mkdtempSync(join(tmpdir(), 'rlvr-aha-'));
  example = join(scratch, 'python-basics');
  copyExample('python-basics', example);
});
after(() => rmSync(scratch, { recursive: true, force: true }));

// Forgets to trim the dashes: "Hello, World!" gives "hello-world-".
const UNTRIMMED = 'import re\n\ndef slugify(s: str) -> str:\n    return re.sub(r"[^a-z0-9]+", "-", s.lower())\n';
const TRIMMED = 'import re\n\ndef slugify(s: str) -> str:\n    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")\n';
const fence = (code: string): string => `\`\`\`python\n${code}\`\`\``;

test('a wrong-then-right slugify trace: the cues between the versions are a fix; a later re-check is a confirm', async () => {
  const trace = [
    '<think>', 'Lowercase and replace runs of other characters with a dash.', fence(UNTRIMMED),
    'Wait, the test expects "hello-world" for "Hello, World!", and this leaves a trailing dash.', fence(TRIMMED),
    'Let me check again: "hello-world". Good.', '</think>', fence(TRIMMED),
  ].join('\n');
  const file = join(scratch, 'trace.txt');
  writeFileSync(file, trace);
  const task = (await mineTasks({ workspace: example })).tasks.find((t) => t.symbol === 'slugify');
  assert.ok(task, 'the example has a slugify task');
  let stdout = '';
  const code = await main(['aha', '--file', file, '--json', '--workspace', example, '--task', task.id.slice(0, 8)],
    { stdout: (t) => { stdout += t; }, stderr: () => {}, signal: new AbortController().signal });
  assert.equal(code, 0);
  const report = JSON.parse(stdout) as AhaReport;
  assert.deepEqual(report.events.map((e) => [e.cue, e.consequence]),
    [['Wait', 'fix'], ['the test expects', 'fix'], ['Let me check again', 'confirm']]);
  assert.equal(report.summary.fixTransitions, 1);
});
