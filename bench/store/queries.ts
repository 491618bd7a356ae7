/** The side panel's queries, as the store benchmark times them: each gets varied parameters per repetition. */
import type { StoreQueries } from '../../src/trainer/store/queries';
import type { TraceQuery } from '../../src/trainer/store/trace-query';

export interface QueryContext {
  queries: StoreQueries;
  runs: string[];
  stepsPerRun: number;
  tasks: number;
  /** Trace ids known to exist. */
  traceIds: number[];
  r: () => number;
}

export interface PanelQuery {
  name: string;
  /** Part of the side panel's trace list (filters, sorting, search), as opposed to detail views. */
  list: boolean;
  /** Untimed preparation (e.g. paging to a cursor); its result is passed to `run`. */
  setup?(ctx: QueryContext): Promise<unknown>;
  run(ctx: QueryContext, prepared?: unknown): Promise<unknown>;
}

const pick = <T>(ctx: QueryContext, xs: readonly T[]): T => xs[Math.floor(ctx.r() * xs.length)] as T;
const anyRun = (ctx: QueryContext) => pick(ctx, ctx.runs);
const anyStep = (ctx: QueryContext) => 1 + Math.floor(ctx.r() * ctx.stepsPerRun);
const list = (name: string, make: (ctx: QueryContext) => Omit<TraceQuery, 'runId'>): PanelQuery => ({
  name, list: true, run: (ctx) => ctx.queries.queryTraces({ runId: anyRun(ctx), ...make(ctx) }),
});

export const PANEL_QUERIES: PanelQuery[] = [
  list('newest first', () => ({})),
  list('best reward first', () => ({ sort: 'reward', order: 'desc' })),
  list('longest first', () => ({ sort: 'length', order: 'desc' })),
  list('one step, by reward', (ctx) => ({ step: anyStep(ctx), sort: 'reward' })),
  list('one task, by reward', (ctx) => ({ taskId: `task-${Math.floor(ctx.r() * ctx.tasks)}`, sort: 'reward' })),
  list('failed, worst first', () => ({ passed: false, sort: 'reward', order: 'asc' })),
  list('flagged (0.5%)', () => ({ flagged: true })),
  list('with aha (5%)', () => ({ hasAha: true, sort: 'reward' })),
  list('truncated, longest', () => ({ finishReason: 'length', sort: 'length' })),
  list('reward range, by step', () => ({ minReward: 0.3, maxReward: 0.9, sort: 'step' })),
  list('step range + passed', (ctx) => ({ step: { min: anyStep(ctx), max: anyStep(ctx) + 50 }, passed: true })),
  list('search rare word (0.1%)', () => ({ search: 'zebra' })),
  list('search word (1%)', () => ({ search: 'quokka' })),
  list('search word (5%), by reward', () => ({ search: 'recursion', sort: 'reward' })),
  list('search common word (30%)', () => ({ search: 'wait' })),
  list('search two words + failed', () => ({ search: 'wait recursion', passed: false })),
  list('search prefix "quok*"', () => ({ search: 'quok*' })),
  {
    name: 'page 20 by reward (cursor)', list: true,
    async setup(ctx) {
      const runId = anyRun(ctx);
      let cursor: string | undefined;
      for (let page = 1; page < 20; page++) {
        cursor = (await ctx.queries.queryTraces({ runId, sort: 'reward', order: 'desc', cursor })).nextCursor ?? undefined;
      }
      return { runId, cursor };
    },
    run: (ctx, prepared) => ctx.queries.queryTraces({ ...(prepared as { runId: string; cursor?: string }), sort: 'reward', order: 'desc' }),
  },
  { name: 'trace detail (getTrace)', list: false, run: (ctx) => ctx.queries.getTrace(pick(ctx, ctx.traceIds)) },
  { name: 'group siblings', list: false, run: (ctx) => ctx.queries.groupSiblings(pick(ctx, ctx.traceIds)) },
  { name: 'task summaries (CodeLens)', list: false, run: (ctx) => ctx.queries.taskSummaries(anyRun(ctx)) },
  {
    name: 'steps of a run (4 metrics)', list: false,
    run: (ctx) => ctx.queries.listSteps(anyRun(ctx), { metrics: ['rewardMean', 'passRate', 'loss', 'entropy'] }),
  },
  { name: 'steps of a run (all 22 metrics)', list: false, run: (ctx) => ctx.queries.listSteps(anyRun(ctx)) },
  { name: 'list runs', list: false, run: (ctx) => ctx.queries.listRuns() },
];

export interface Timing {
  name: string;
  p50: number;
  p95: number;
  max: number;
}

export async function timeQuery(query: PanelQuery, ctx: QueryContext, reps: number): Promise<Timing> {
  const ms: number[] = [];
  for (let i = 0; i < reps; i++) {
    const prepared = await query.setup?.(ctx);
    const start = performance.now();
    await query.run(ctx, prepared);
    ms.push(performance.now() - start);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.ceil(q * ms.length) - 1)] as number;
  return { name: query.name, p50: at(0.5), p95: at(0.95), max: ms[ms.length - 1] as number };
}
