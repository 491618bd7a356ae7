/**
 * Training presets offered by "RLVR: Start Training". Each is a handful of `--set` overrides on top
 * of the CLI defaults (docs/training.md), so what a preset means is visible in the run's stored
 * config and in the Show Logs command line.
 */
import { DEMO_PRESET } from '../../trainer/run/demo';

export type PresetId = 'quickDemo' | 'default' | 'dapo' | 'drGrpo';

export interface TrainingPreset {
  id: PresetId;
  label: string;
  detail: string;
  /** Overrides applied as `--set key=value`; keys are TRAIN_FIELDS names. */
  settings: Readonly<Record<string, unknown>>;
}

export const TRAINING_PRESETS: readonly TrainingPreset[] = [
  {
    id: 'quickDemo',
    label: 'Quick demo',
    detail: 'What `rlvr demo` uses: sized for the tiny demo model on a CPU (about 10 minutes on 2 cores)',
    settings: DEMO_PRESET,
  },
  {
    id: 'default',
    label: 'Default (GRPO with DAPO loss)',
    detail: 'The CLI defaults, or .rlvr/config.json when the workspace has one',
    settings: {},
  },
  {
    id: 'dapo',
    label: 'DAPO',
    detail: 'Clip-higher (0.2/0.28), token-level loss, dynamic sampling, overlong shaping and filtering',
    settings: {
      lossType: 'dapo', epsilonLow: 0.2, epsilonHigh: 0.28, dynamicSampling: true,
      overlongBuffer: 64, maskTruncated: true, beta: 0,
    },
  },
  {
    id: 'drGrpo',
    label: 'Dr. GRPO',
    detail: 'No std scaling of advantages, sum / (G · L_max) loss, symmetric clipping, no KL',
    settings: { lossType: 'dr_grpo', advantageScaling: 'none', epsilonLow: 0.2, epsilonHigh: 0.2, beta: 0 },
  },
];

export function presetById(id: string): TrainingPreset | undefined {
  return TRAINING_PRESETS.find((p) => p.id === id);
}

/**
 * `{a: 1, b: [1, 4], c: 'dapo'}` → `['a=1', 'b=[1,4]', 'c=dapo']`. The CLI JSON-decodes each value and
 * keeps it as a string when that fails, so a string stays bare unless it would decode to something
 * else ("true", "12"), in which case it is sent quoted.
 */
export function settingsToSetFlags(settings: Readonly<Record<string, unknown>>): string[] {
  return Object.entries(settings).map(([key, value]) => `${key}=${typeof value === 'string' ? bareOrQuoted(value) : JSON.stringify(value)}`);
}

function bareOrQuoted(text: string): string {
  try {
    JSON.parse(text);
    return JSON.stringify(text);
  } catch {
    return text;
  }
}
