// Accept against a stand-in `vscode`: the diff opens first, nothing is applied unless the user
// picks "Replace" in the modal, the one edit covers only the changed lines, and a document that
// changed while the dialog was open is refused instead of overwritten.
import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';
import { fakeVscode, installFakeVscode, type FakeVscode } from '../helpers/fake-vscode';
import type { AnswerProposals as AnswerProposalsType, AnswerToApply } from '../../src/extension/features/solve/answer-proposals';

const FILE = 'def add(a, b):\n    return a + b\n\n\ndef clamp(x, lo, hi):\n    return x\n';
const SPLICED = FILE.replace('    return x\n', '    return max(lo, min(x, hi))\n');

let fake: FakeVscode;
let uninstall: () => void;
let AnswerProposals: typeof AnswerProposalsType;
let documentText = FILE;
let choice: string | undefined;
let changeWhileAsking = false;

const uri = { path: '/ws/basics/arithmetic.py', toString: () => 'file:///ws/basics/arithmetic.py' };

before(() => {
  fake = fakeVscode({}, {
    'workspace.openTextDocument': () => ({ getText: () => documentText, positionAt: (offset: number) => ({ offset }) }),
    'window.showWarningMessage': async () => {
      if (changeWhileAsking) documentText = `# edited meanwhile\n${documentText}`;
      return choice;
    },
    'workspace.applyEdit': async () => true,
    'workspace.asRelativePath': () => 'basics/arithmetic.py',
    'Uri.from': ([parts]) => ({ ...(parts as object), toString: () => `rlvr-solve:${(parts as { path: string }).path}?${(parts as { query: string }).query}` }),
    'commands.executeCommand': async () => undefined,
  });
  uninstall = installFakeVscode(fake);
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  AnswerProposals = (require('../../src/extension/features/solve/answer-proposals') as { AnswerProposals: typeof AnswerProposalsType }).AnswerProposals;
});

after(() => uninstall());

beforeEach(() => {
  documentText = FILE;
  choice = undefined;
  changeWhileAsking = false;
  fake.calls.length = 0;
});

function answer(spliced = SPLICED): AnswerToApply & { spliceInputs: string[] } {
  const spliceInputs: string[] = [];
  return {
    solveId: 4, symbol: 'clamp', uri: uri as never, verdict: 'It passed all 3 tests', passed: true, spliceInputs,
    splice: async (source) => { spliceInputs.push(source); return spliced; },
  };
}

test('Show Diff: the proposal document is the file with the answer in place; the real file is the left side', async () => {
  const proposals = new AnswerProposals();
  const a = answer();
  const proposal = await proposals.showDiff(a);
  assert.deepEqual(a.spliceInputs, [FILE], 'spliced into the document\'s current text');
  assert.equal(proposals.provideTextDocumentContent(proposal.proposalUri as never), SPLICED);
  const diff = fake.callsTo('commands.executeCommand')[0];
  assert.equal(diff?.args[0], 'vscode.diff');
  assert.equal(diff?.args[1], uri);
  assert.equal(String(diff?.args[2]), 'rlvr-solve:/ws/basics/arithmetic.py?solve=4');
  assert.equal(fake.callsTo('workspace.applyEdit').length, 0);
});

test('Accept: the diff, then the modal; declining applies nothing', async () => {
  const proposals = new AnswerProposals();
  assert.equal(await proposals.accept(answer()), false);
  assert.equal(fake.callsTo('commands.executeCommand')[0]?.args[0], 'vscode.diff', 'the diff is shown before asking');
  const asked = fake.callsTo('window.showWarningMessage')[0];
  assert.match(String(asked?.args[0]), /Replace `clamp` with the trained model's answer\? It passed all 3 tests\./);
  assert.equal((asked?.args[1] as { modal: boolean }).modal, true);
  assert.equal(asked?.args[2], 'Replace');
  assert.equal(fake.callsTo('workspace.applyEdit').length, 0);
});

test('Accept + Replace: one edit over the changed line only', async () => {
  choice = 'Replace';
  const proposals = new AnswerProposals();
  assert.equal(await proposals.accept(answer()), true);
  assert.equal(fake.callsTo('workspace.applyEdit').length, 1);
  const replaces = fake.calls.filter((c) => /^new WorkspaceEdit#\d+\.replace$/.test(c.path));
  assert.equal(replaces.length, 1);
  const start = FILE.indexOf('    return x');
  const range = fake.calls.find((c) => c.path === 'new Range' && (c.args[0] as { offset: number }).offset === start);
  assert.ok(range, 'the range starts at the changed line');
  assert.deepEqual(range.args, [{ offset: start }, { offset: FILE.length }]);
  assert.equal(replaces[0]?.args[2], '    return max(lo, min(x, hi))\n');
  assert.match(String((fake.callsTo('window.showWarningMessage')[0]?.args[1] as { detail: string }).detail), /Lines 6–6 of basics\/arithmetic\.py/);
});

test('Accept refuses when the document changed while the dialog was open, and an identical answer changes nothing', async () => {
  choice = 'Replace';
  changeWhileAsking = true;
  const proposals = new AnswerProposals();
  await assert.rejects(proposals.accept(answer()), /changed while the diff was open/);
  assert.equal(fake.callsTo('workspace.applyEdit').length, 0);
  changeWhileAsking = false;
  documentText = FILE;
  assert.equal(await proposals.accept(answer(FILE)), false);
  assert.equal(fake.callsTo('window.showWarningMessage').length, 1, 'no question for a no-op');
  assert.match(String(fake.callsTo('window.showInformationMessage').at(-1)?.args[0]), /identical/);
});
