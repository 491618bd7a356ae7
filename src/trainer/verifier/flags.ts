/** Stable flag codes (docs/verifier.md, "Flag codes"). Any flag makes the reward 0. */
export const FLAG = {
  parseError: 'parse_error',
  wrongSymbol: 'wrong_symbol',
  extraToplevel: 'extra_toplevel',
  exitCall: 'exit_call',
  testFrameworkAccess: 'test_framework_access',
  introspection: 'introspection',
  forbiddenImport: 'forbidden_import',
  alwaysEqual: 'always_equal',
  hardcodedExpected: 'hardcoded_expected',
  sentinelPassed: 'sentinel_passed',
  testSetMismatch: 'test_set_mismatch',
  skippedNotPassed: 'skipped_not_passed',
  timeout: 'timeout',
  crashed: 'crashed',
  resourceLimit: 'resource_limit',
  cancelled: 'cancelled',
} as const;

export type FlagCode = (typeof FLAG)[keyof typeof FLAG];
