/**
 * Every command, view and panel id of the extension, in one place. test/unit/extension-ids.test.ts
 * compares these lists with package.json's `contributes`, both ways, so a renamed or mistyped id
 * fails a test instead of a click.
 */

export const CommandId = {
  /** Quick picks (model, task set, preset), then `rlvr train --events` as a child process. */
  startTraining: 'rlvrStudio.startTraining',
  /** SIGINT to the training child: it stops after the current step, resumable. */
  stopTraining: 'rlvrStudio.stopTraining',
  /** `rlvr train --resume RUN` for a stopped or failed run (picked, or the tree item's). */
  resumeTraining: 'rlvrStudio.resumeTraining',
  /** `rlvr tasks --json`: shows the count and opens the Runs view. */
  mineTasks: 'rlvrStudio.mineTasks',
  /** `rlvr verify --ground-truth --json`: every task's own code must pass, a stub must fail. */
  checkGroundTruth: 'rlvrStudio.checkGroundTruth',
  /** pass@k of a run's checkpoints (`rlvr eval`, when the CLI has it). */
  evaluate: 'rlvrStudio.evaluate',
  openDashboard: 'rlvrStudio.openDashboard',
  /** By trace id (input box), or with a trace id argument from a view or CodeLens. */
  openTrace: 'rlvrStudio.openTrace',
  /** A run's traces as JSONL or TRL's completions table (JSONL / CSV). */
  exportTraces: 'rlvrStudio.exportTraces',
  /** Runs scripts/setup.sh and reports the PyTorch build, CUDA and what is missing. */
  setUpPython: 'rlvrStudio.setUpPython',
  /** The output channel with every child process's output. */
  showLogs: 'rlvrStudio.showLogs',
  /** Re-reads the store into the Runs tree. */
  refreshRuns: 'rlvrStudio.refreshRuns',
  /**
   * An exported ONNX model answers a task function in the extension host; the answer is verified in
   * the sandbox and only replaces the function after the diff is accepted. From a CodeLens (task id)
   * or the palette (the task at the cursor, or picked).
   */
  solveWithTrainedModel: 'rlvrStudio.solveWithTrainedModel',
} as const;

export type CommandName = keyof typeof CommandId;

/** The activity-bar container and its views (package.json `viewsContainers` / `views`). */
export const ViewId = {
  container: 'rlvrStudio',
  runs: 'rlvrStudio.runs',
  traces: 'rlvrStudio.traces',
} as const;

/** Webview panel types; each has a serializer so it comes back after a reload. */
export const PanelType = {
  trace: 'rlvrStudio.trace',
  dashboard: 'rlvrStudio.dashboard',
} as const;

/**
 * The solve panel. Not restored after a reload, so it has no serializer (and no activation event):
 * a solve is a live session whose model and answer are gone with the window.
 */
export const SOLVE_PANEL_TYPE = 'rlvrStudio.solve';

/** The scheme of the read-only "file with the model's answer" documents the diff shows. */
export const SOLVE_PROPOSAL_SCHEME = 'rlvr-solve';

/** The Testing API controller. */
export const TEST_CONTROLLER_ID = 'rlvrStudio.tasks';

/** Keys of context.globalState / workspaceState. */
export const StateKey = {
  recentModels: 'rlvrStudio.recentModels',
  heatmap: 'rlvrStudio.heatmap',
  lastPreset: 'rlvrStudio.lastPreset',
  /** ONNX model folders the user chose for Solve with Trained Model, newest first. */
  recentOnnxModels: 'rlvrStudio.recentOnnxModels',
} as const;
