/**
 * Aha / backtracking detection (docs/analysis.md). Pure: no Node, no VS Code, so the extension's
 * webviews can reuse it. The verifier-backed judge lives apart, in `verifier-judge.ts` (Node).
 */
export { detectAha, detectCues } from './detect';
export { spansFromTokenTexts, spansFromEndOffsets, tokenIndexAt, AhaInputError } from './tokens';
export { labelConsequence, cachedJudge } from './consequence';
export { percentile, FORKING_PERCENTILE, FORKING_LOOKAHEAD } from './entropy';
export { CUES, type CueDefinition, type StartRule } from './cues';
export * from './types';
