/** Task mining: workspace tests → tasks. See docs/mining.md. */
export { mineTasks, NEEDS_TESTS, type MineTasksOptions, type MineTasksResult } from './mine-tasks';
export type { LanguageMiner, MineOptions } from './miner';
export type { MinedFunction, MinedTest, MinedWorkspace, TestOutcome } from './mined';
export type { DroppedTests, SkippedFunction } from './build-tasks';
export { defaultMiners } from './miners';
export { CUSTOM_TASKS_FILE } from './custom-tasks';
