/**
 * Training health (docs/analysis.md): monitors over the series of step metrics that explain the
 * classic silent failures of GRPO runs — no learning signal, entropy collapse, completions growing
 * into the length cap, truncation, reward hacking, KL drift. Pure: no Node, no VS Code.
 */
import type { HealthWarning } from '../../../shared/health';
import { MONITORS } from './monitors';
import type { HealthContext, HealthPoint } from './series';

export type { HealthContext, HealthPoint } from './series';
export { THRESHOLDS } from './thresholds';
export { MONITORS, type Monitor } from './monitors';

/** The warnings for the newest step of `series` (steps in order, the newest last). */
export function checkHealth(series: readonly HealthPoint[], context: HealthContext): HealthWarning[] {
  return MONITORS.map((monitor) => monitor(series, context)).filter((w): w is HealthWarning => w !== null);
}
