/**
 * One language's way of turning a workspace's tests into a mined report. The Python/pytest miner
 * lives in `python/`; JavaScript/TypeScript miners plug in the same way (listed in `miners.ts`).
 */
import type { TaskLanguage } from '../tasks/task';
import type { MinedWorkspace } from './mined';

export interface MineOptions {
  /** Explicit interpreter (`--python` / the `rlvrStudio.pythonPath` setting); miners of other languages ignore it. */
  python?: string;
  /** Run the tests without bubblewrap. Only for machines where the sandbox cannot work; never a silent fallback. */
  unsafeNoSandbox?: boolean;
  signal?: AbortSignal;
}

export interface LanguageMiner {
  /** Stable id, the key of this miner's entry in the mining cache, e.g. "python-pytest". */
  id: string;
  /** Language of the functions it reports unless a function says otherwise. */
  language: TaskLanguage;
  /** Test frameworks it understands, for messages: "pytest". */
  frameworks: string;
  /** Whether the workspace has tests this miner can run. Cheap, reads files only, runs nothing. */
  detect(workspace: string): Promise<boolean>;
  /**
   * Everything besides the workspace's files that changes the report (interpreter, verifier code,
   * sandbox mode), as one string. Cheap and runs nothing: the cache must answer without processes.
   */
  fingerprint(workspace: string, options: MineOptions): Promise<string>;
  /** Runs the tests once (sandboxed) and reports tests, functions and the test→function call map. */
  mine(workspace: string, options: MineOptions): Promise<MinedWorkspace>;
}
