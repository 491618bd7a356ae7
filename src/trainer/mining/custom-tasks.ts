/**
 * Custom tasks: `.rlvr/tasks.jsonl` in the workspace, one JSON object per line:
 *   {"file": "pkg/mod.py", "symbol": "Stack.push", "tests": ["tests/test_x.py::test_a"],
 *    "heldOut": ["tests/test_x.py::test_a"], "prompt": "Implement push for ..."}
 * `file`, `symbol` and `tests` are required; `heldOut` (a subset of `tests`) replaces the automatic
 * split; `prompt` replaces the prompt's instruction line. Signature, docstring, span and context
 * come from the mined function metadata, so the function must exist. Blank lines are allowed.
 * A custom task replaces a mined task of the same file + symbol.
 */
import { RlvrError } from '../errors';
import { splitTests } from '../tasks/split';
import { taskId, type Task } from '../tasks/task';
import { roundMicro } from './build-tasks';
import { functionKey, type MinedFunction, type MinedTest, type MinedWorkspace } from './mined';

export const CUSTOM_TASKS_FILE = '.rlvr/tasks.jsonl';

export interface CustomTaskSpec {
  /** 1-based line in the file, for error messages. */
  line: number;
  file: string;
  symbol: string;
  tests: string[];
  heldOut?: string[];
  prompt?: string;
}

const KNOWN_FIELDS = ['prompt', 'file', 'symbol', 'tests', 'heldOut'];

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isIdList = (v: unknown): v is string[] => Array.isArray(v) && v.every((s) => typeof s === 'string' && s.length > 0);

function lineError(line: number, message: string): RlvrError {
  return new RlvrError(`${CUSTOM_TASKS_FILE}:${line}: ${message}`, 'bad_input',
    `fix line ${line} of ${CUSTOM_TASKS_FILE} (one JSON object per line: {"file", "symbol", "tests": [ids], "heldOut"?: [ids], "prompt"?})`);
}

function readSpec(value: unknown, line: number): CustomTaskSpec {
  if (!isRecord(value)) throw lineError(line, 'each line must be a JSON object');
  const unknown = Object.keys(value).find((k) => !KNOWN_FIELDS.includes(k));
  if (unknown !== undefined) throw lineError(line, `unknown field "${unknown}" (known: ${KNOWN_FIELDS.join(', ')})`);
  const { file, symbol, tests, heldOut, prompt } = value;
  if (typeof file !== 'string' || file === '' || file.startsWith('/') || file.includes('\\') || file.split('/').includes('..')) {
    throw lineError(line, 'field "file" must be a workspace-relative path with / separators');
  }
  if (typeof symbol !== 'string' || !/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(symbol)) {
    throw lineError(line, 'field "symbol" must be a (qualified) name such as "slugify" or "Stack.push"');
  }
  if (!isIdList(tests) || tests.length === 0) throw lineError(line, 'field "tests" must be a non-empty array of test ids');
  if (heldOut !== undefined && !isIdList(heldOut)) throw lineError(line, 'field "heldOut" must be an array of test ids');
  if (prompt !== undefined && (typeof prompt !== 'string' || prompt.trim() === '')) {
    throw lineError(line, 'field "prompt" must be a non-empty string');
  }
  const spec: CustomTaskSpec = { line, file, symbol, tests: [...new Set(tests)] };
  if (heldOut !== undefined) spec.heldOut = [...new Set(heldOut)];
  if (prompt !== undefined) spec.prompt = prompt;
  return spec;
}

/** Parses the text of `.rlvr/tasks.jsonl`; throws RlvrError naming the line and the field. */
export function parseCustomTasks(text: string): CustomTaskSpec[] {
  const specs: CustomTaskSpec[] = [];
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = index + 1;
    if (raw.trim() === '') return;
    let value: unknown;
    try {
      value = JSON.parse(raw);
    } catch (error) {
      throw lineError(line, `not valid JSON (${(error as Error).message})`);
    }
    specs.push(readSpec(value, line));
  });
  return specs;
}

function findFunction(spec: CustomTaskSpec, functions: readonly MinedFunction[]): MinedFunction {
  const wanted = functionKey(spec);
  const found = functions.find((f) => functionKey(f) === wanted);
  if (found) return found;
  const inFile = functions.filter((f) => f.file === spec.file).map((f) => f.symbol);
  const known = inFile.length > 0 ? `functions in ${spec.file}: ${inFile.slice(0, 12).join(', ')}` : `no functions were found in ${spec.file}`;
  throw lineError(spec.line, `field "symbol": "${spec.symbol}" is not a function of ${spec.file} (${known})`);
}

function checkTestIds(spec: CustomTaskSpec, testById: ReadonlyMap<string, MinedTest>): void {
  const unknownTest = spec.tests.find((id) => !testById.has(id));
  if (unknownTest !== undefined) {
    throw lineError(spec.line, `field "tests": unknown test id "${unknownTest}" (run \`rlvr tasks --json\` to see the collected test ids)`);
  }
  const stray = spec.heldOut?.find((id) => !spec.tests.includes(id));
  if (stray !== undefined) throw lineError(spec.line, `field "heldOut": "${stray}" is not one of this line's "tests"`);
}

export interface CustomTasks {
  tasks: Task[];
  /** Non-fatal problems, e.g. a listed test that fails at baseline. */
  warnings: string[];
}

/** Turns checked specs into tasks, using the mined report for metadata and test durations. */
export function buildCustomTasks(specs: readonly CustomTaskSpec[], mined: MinedWorkspace): CustomTasks {
  const testById = new Map(mined.tests.map((t) => [t.id, t]));
  const result: CustomTasks = { tasks: [], warnings: [] };
  const lineOfId = new Map<string, number>();
  for (const spec of specs) {
    const fn = findFunction(spec, mined.functions);
    checkTestIds(spec, testById);
    const id = taskId(spec.file, spec.symbol, spec.tests);
    const earlier = lineOfId.get(id);
    if (earlier !== undefined) throw lineError(spec.line, `the same task (file, symbol and tests) as line ${earlier}`);
    lineOfId.set(id, spec.line);
    const failing = spec.tests.filter((t) => testById.get(t)?.outcome !== 'passed');
    if (failing.length > 0) {
      result.warnings.push(`${CUSTOM_TASKS_FILE}:${spec.line}: ${failing.length} of its tests do not pass at baseline (${failing.slice(0, 3).join(', ')})`);
    }
    const split = spec.heldOut === undefined
      ? splitTests(spec.tests)
      : { visibleTests: spec.tests.filter((t) => !spec.heldOut?.includes(t)), heldOutTests: [...spec.heldOut] };
    const task: Task = {
      id, language: fn.language, file: fn.file, symbol: fn.symbol, signature: fn.signature, docstring: fn.docstring,
      bodySpan: { startLine: fn.startLine, endLine: fn.endLine }, context: fn.context,
      tests: [...spec.tests], ...split,
      baselineSeconds: roundMicro(spec.tests.reduce((sum, t) => sum + (testById.get(t)?.duration ?? 0), 0)),
      source: 'custom',
    };
    if (spec.prompt !== undefined) task.prompt = spec.prompt;
    result.tasks.push(task);
  }
  return result;
}

/** Mined tasks with the custom ones merged in: a custom task replaces mined tasks of its file + symbol. */
export function mergeTasks(mined: readonly Task[], custom: readonly Task[]): Task[] {
  const replaced = new Set(custom.map(functionKey));
  return [...mined.filter((t) => !replaced.has(functionKey(t))), ...custom];
}
