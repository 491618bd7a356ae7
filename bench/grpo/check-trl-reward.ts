/**
 * Sanity check of bench/trl_grpo.py's reward function (not a benchmark): every mined task's original
 * body must score 1.0 and a raising stub 0.0 under the "TRL user" splice + fresh pytest.
 * Run: node --import tsx bench/grpo/check-trl-reward.ts
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mineTasks } from '../../src/trainer/mining';
import { originalSource, stubSource } from '../../src/trainer/verifier/ground-truth';

const ROOT = join(__dirname, '..', '..');

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'rlvr-check-trl-reward-'));
  const workspace = join(dir, 'python-basics');
  cpSync(join(ROOT, 'examples', 'python-basics'), workspace, { recursive: true, filter: (p) => !p.includes('.rlvr') && !p.includes('__pycache__') });
  try {
    const tasks = (await mineTasks({ workspace })).tasks;
    const cases = tasks.flatMap((t) => [
      { expect: 1, completion: `<think>\nok\n</think>\n\`\`\`python\n${originalSource(workspace, t)}\`\`\``, file: t.file, start_line: t.bodySpan.startLine, end_line: t.bodySpan.endLine, tests: t.tests, symbol: t.symbol },
      { expect: 0, completion: `<think>\nno\n</think>\n\`\`\`python\n${stubSource(t)}\`\`\``, file: t.file, start_line: t.bodySpan.startLine, end_line: t.bodySpan.endLine, tests: t.tests, symbol: t.symbol },
    ]);
    writeFileSync(join(dir, 'cases.json'), JSON.stringify(cases));
    const script = `import json, sys
sys.path.insert(0, ${JSON.stringify(join(ROOT, 'bench'))})
from trl_grpo import extract_code, run_tests
bad = 0
for c in json.load(open(sys.argv[1])):
    code = extract_code(c["completion"])
    got = 0.0 if code is None else run_tests(sys.argv[2], c, code, 30)
    if got != c["expect"]:
        bad += 1
        print("MISMATCH", c["symbol"], "expected", c["expect"], "got", got)
print(f"{len(json.load(open(sys.argv[1]))) - bad} of {len(json.load(open(sys.argv[1])))} as expected")
sys.exit(1 if bad else 0)`;
    console.log(execFileSync(join(ROOT, '.venv', 'bin', 'python'), ['-c', script, join(dir, 'cases.json'), workspace], { encoding: 'utf8' }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
