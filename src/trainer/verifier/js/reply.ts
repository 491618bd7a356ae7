/**
 * From a sandboxed node:test run of one candidate to the verifier's reply (the same `ServeReply`
 * the Python fork-server sends), so `scoreReply` applies the same structural checks to both
 * languages: exact test-id set, the sentinel must fail, skips are not passes. Pure.
 */
import { FLAG } from '../flags';
import type { Flag, ReplyStatus, ServeReply, TestOutcome, TestReport } from '../protocol';
import { assignTestIds, type ChannelReport, type RunOutcome } from './channel';

export interface RunExit {
  code: number | null;
  signal: string | null;
  timedOut: boolean;
  stderr: string;
}

const OUTCOME: Record<RunOutcome, TestOutcome> = { passed: 'passed', failed: 'failed', skipped: 'skipped', todo: 'skipped' };

const tail = (text: string, n = 600): string => (text.length > n ? `…${text.slice(-n)}` : text).trim();

/** A limit of ours ended the run: CPU seconds (SIGXCPU/SIGKILL) or V8's heap cap. */
function resourceFlag(exit: RunExit): Flag | null {
  if (exit.signal === 'SIGXCPU' || exit.signal === 'SIGKILL') return { code: FLAG.resourceLimit, message: `the test process was killed by ${exit.signal} (CPU or memory limit)` };
  if (/heap out of memory|Fatal process OOM|Allocation failed/i.test(exit.stderr)) return { code: FLAG.resourceLimit, message: 'the test process ran out of memory' };
  return null;
}

function statusOf(report: ChannelReport, exit: RunExit): ReplyStatus {
  if (exit.timedOut) return 'timeout';
  return report.done ? 'ok' : 'crashed';
}

/**
 * The reply for one run. `wanted`: the task's test ids; tests of the same files that the task does
 * not map are dropped here (whole files run). A wanted test whose file failed to load is reported
 * as an error with the load message, so a candidate that breaks its module simply scores 0.
 */
export function replyFromRun(
  id: number, wanted: readonly string[], sentinel: string, report: ChannelReport, exit: RunExit,
  relative: (file: string) => string, seconds: number,
): ServeReply {
  const ids = assignTestIds(report.tests, relative);
  const wantedSet = new Set(wanted);
  const isSentinel = (testId: string): boolean => testId === sentinel || testId.endsWith(`::${sentinel}`);
  const tests: TestReport[] = [];
  report.tests.forEach((record, i) => {
    const testId = ids[i] as string;
    if (!wantedSet.has(testId) && !isSentinel(testId)) return;
    tests.push({ id: testId, outcome: OUTCOME[record.outcome], duration: record.ms / 1000, message: record.message });
  });
  const reported = new Set(tests.map((t) => t.id));
  for (const error of report.loadErrors) {
    const file = relative(error.file);
    for (const testId of wanted) {
      if (!reported.has(testId) && testId.startsWith(`${file}::`)) {
        tests.push({ id: testId, outcome: 'error', duration: 0, message: `its test file did not load: ${error.message}` });
      }
    }
  }
  const flags: Flag[] = [];
  const resource = statusOf(report, exit) === 'crashed' ? resourceFlag(exit) : null;
  if (resource) flags.push(resource);
  else if (statusOf(report, exit) === 'crashed') {
    const how = exit.signal ? `was killed by ${exit.signal}` : `exited with code ${exit.code}`;
    flags.push({ code: FLAG.crashed, message: `the test process ${how} before its reporter finished${exit.stderr ? `: ${tail(exit.stderr)}` : ''}` });
  }
  if (report.malformed > 0) flags.push({ code: FLAG.testSetMismatch, message: `${report.malformed} report record(s) with our channel's nonce were malformed` });
  return { id, status: statusOf(report, exit), tests, flags, seconds };
}
