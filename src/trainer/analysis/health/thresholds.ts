/**
 * When each training-health monitor fires, and why these numbers (docs/analysis.md repeats them).
 * Windows are in steps. A step of this trainer is B tasks × G samples (32 by default), so single
 * steps are noisy: trends are read from smoothed values or least-squares fits, never from one step.
 */
export const THRESHOLDS = {
  /**
   * Entropy collapse. The baseline is the mean sampling entropy of the first 3 steps; the current
   * value is an EMA with α = 0.3 (about a 6-step memory, so one low step cannot fire it). It fires
   * when the EMA is below 30% of the baseline, i.e. a 70% drop: Cui et al. 2025 ("The Entropy
   * Mechanism of RL for Reasoning LMs", arXiv 2505.22617) find entropy falls ~73% in the first
   * ~1/12 of training while ~76% of the final gain is made, and performance then saturates as
   * R = −a·e^H + b — past that drop, more steps mostly buy sharpening. DAPO (arXiv 2503.14476)
   * names entropy collapse the first failure of naive GRPO and counters it with clip-higher.
   */
  entropy: { baselineSteps: 3, minSteps: 6, emaAlpha: 0.3, collapseFraction: 0.3, floor: 0.01 },
  /**
   * Zero-std groups: rewards all equal, so advantages are 0 and the group teaches nothing (DAPO's
   * motivation for dynamic sampling; TRL logs it as frac_reward_zero_std). At half the groups,
   * half the generation time is wasted (or, without dynamic sampling, half the batch is inert).
   */
  zeroStd: { fraction: 0.5 },
  /**
   * Truncation: a cut-off completion is scored as an unfinished answer, so its reward says
   * nothing about its reasoning — DAPO calls this reward noise and filters or softly penalises
   * overlong samples. Fires when a quarter of the samples of the last 3 steps were cut off.
   */
  truncation: { window: 3, rate: 0.25 },
  /**
   * Length growth. Longer completions are expected in RLVR (DeepSeek-R1 reports length rising
   * with training), so growth alone is not a warning. It fires when the fitted mean length grew
   * ≥ 20% over the last 8 steps AND is heading into the cap: ≥ 60% of maxNewTokens, or the
   * fitted truncation rate rose by ≥ 10 points over the same window.
   */
  length: { window: 8, growth: 0.2, capFraction: 0.6, truncationRise: 0.1 },
  /**
   * KL drift (only with beta > 0: without a reference model nothing is measured; DAPO drops the
   * KL term on purpose). k3 ≈ Δ²/2 for a log-ratio Δ, so a mean of 0.1 nats/token means tokens'
   * probabilities typically differ ~1.6× (|Δ| ≈ 0.45) from the reference — more than twice the
   * per-update clip range (ε 0.2–0.28). Fires on the 3-step mean ≥ 0.1, or on 5 consecutive
   * rises ending ≥ 0.05 (heading there).
   */
  kl: { window: 3, high: 0.1, risingSteps: 5, risingMin: 0.05 },
  /**
   * Reward hacking: any flagged candidate is worth a look (the verifier's flags are specific:
   * a test file touched, an exit forced, …); from 10% of a step's candidates it is critical.
   */
  flagged: { critical: 0.1 },
} as const;
