/** Verifying candidates against a workspace's tests (docs/verifier.md). */
export { VerifierPool, defaultPoolSize, type PoolJob, type JobOutcome, type Ticket, type PoolOptions, type PoolStats } from './pool';
export { NdjsonServer, ServerFailure, type VerifierServer, type ServerFactory, type ServerProcess } from './server';
export { createPythonPool, pythonServerFactory, serveSpec, SERVER_LIMITS, type PythonPoolOptions } from './python-server';
export { LanguagePools, type LanguagePoolOptions } from './language-pools';
export { verifyCandidate, buildRequest, newSentinel, CANDIDATE_LIMITS, type VerifyOptions } from './verify';
export { scoreReply, failedResult, type VerificationResult, type VerifiedTest } from './result';
export { groundTruthCheck, originalSource, stubSource, type GroundTruthReport, type GroundTruthResult } from './ground-truth';
export { candidateTimeoutSeconds, replyDeadlineMs } from './timeouts';
export { FLAG, type FlagCode } from './flags';
export type { Flag, ServeReply, ServeRequest, TestReport, TestOutcome } from './protocol';
