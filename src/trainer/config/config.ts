/**
 * The typed training configuration: defaults (fields.ts) ← `.rlvr/config.json` ← CLI flags.
 * Validation happens here, at the boundary: an unknown key or a wrong type is an error that names
 * the key, the source and the bad value. The resolved config is frozen and stored with the run.
 */
import { readFileSync, existsSync } from 'node:fs';
import { RlvrError } from '../errors';
import { TRAIN_FIELDS, type FieldKind, type TrainFieldName } from './fields';

type ValueOf<K extends FieldKind> =
  K extends { type: 'int' | 'number' } ? number
  : K extends { type: 'boolean' } ? boolean
  : K extends { type: 'enum'; values: readonly (infer V)[] } ? V
  : K extends { type: 'int[]' } ? number[]
  : K extends { type: 'string[]' } ? string[]
  : string;

export type TrainConfig = { readonly [N in TrainFieldName]: ValueOf<(typeof TRAIN_FIELDS)[N]['kind']> };

export class ConfigError extends RlvrError {
  constructor(message: string, hint?: string) {
    super(message, 'bad_input', hint ?? 'see docs/training.md for every setting, its type and default');
  }
}

const FIELD_NAMES = Object.keys(TRAIN_FIELDS) as TrainFieldName[];

export function defaultConfig(): TrainConfig {
  const entries = FIELD_NAMES.map((name) => [name, structuredClone(TRAIN_FIELDS[name].default)]);
  return Object.freeze(Object.fromEntries(entries)) as TrainConfig;
}

/** Checks one value against its field; returns the value or throws a ConfigError naming it. */
export function checkField(name: string, value: unknown, source: string): unknown {
  if (!(name in TRAIN_FIELDS)) {
    const close = FIELD_NAMES.filter((f) => f.toLowerCase() === name.toLowerCase().replace(/[-_]/g, ''));
    throw new ConfigError(`${source}: unknown setting "${name}"${close.length ? ` (did you mean "${close[0]}"?)` : ''}`);
  }
  const kind: FieldKind = TRAIN_FIELDS[name as TrainFieldName].kind;
  const problem = describeMismatch(kind, value);
  if (problem) throw new ConfigError(`${source}: "${name}" ${problem}, got ${JSON.stringify(value)}`);
  return value;
}

function describeMismatch(kind: FieldKind, value: unknown): string | null {
  const range = (min?: number, max?: number) =>
    `${min !== undefined ? ` ≥ ${min}` : ''}${max !== undefined ? ` ≤ ${max}` : ''}`;
  switch (kind.type) {
    case 'int':
      return Number.isInteger(value) && inRange(value as number, kind.min, kind.max) ? null : `must be an integer${range(kind.min, kind.max)}`;
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) && inRange(value, kind.min, kind.max) ? null : `must be a number${range(kind.min, kind.max)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : 'must be true or false';
    case 'string':
      return typeof value === 'string' ? null : 'must be a string';
    case 'enum':
      return typeof value === 'string' && kind.values.includes(value) ? null : `must be one of ${kind.values.map((v) => `"${v}"`).join(', ')}`;
    case 'int[]':
      return Array.isArray(value) && value.length > 0 && value.every((v) => Number.isInteger(v) && inRange(v, kind.min))
        ? null : `must be a non-empty array of integers${range(kind.min)}`;
    case 'string[]':
      return Array.isArray(value) && value.every((v) => typeof v === 'string') ? null : 'must be an array of strings';
  }
}

function inRange(v: number, min?: number, max?: number): boolean {
  return (min === undefined || v >= min) && (max === undefined || v <= max);
}

/** Merges layers over the defaults, validating every key of every layer. Later layers win. */
export function resolveConfig(layers: { source: string; values: Record<string, unknown> }[]): TrainConfig {
  const merged: Record<string, unknown> = { ...defaultConfig() };
  for (const layer of layers) {
    for (const [key, value] of Object.entries(layer.values)) merged[key] = checkField(key, value, layer.source);
  }
  const config = merged as TrainConfig;
  if (config.epsilonHigh < config.epsilonLow) {
    throw new ConfigError(`"epsilonHigh" (${config.epsilonHigh}) must be ≥ "epsilonLow" (${config.epsilonLow})`);
  }
  if (config.evalK.some((k) => k > config.evalSamples)) {
    throw new ConfigError(`"evalK" values must be ≤ "evalSamples" (${config.evalSamples}), got ${JSON.stringify(config.evalK)}`);
  }
  return Object.freeze(config);
}

/** Reads a JSON config file; a missing default file is fine, a corrupt one is a precise error. */
export function readConfigFile(path: string, required: boolean): { source: string; values: Record<string, unknown> } | null {
  if (!existsSync(path)) {
    if (required) throw new ConfigError(`config file not found: ${path}`, 'check the --config path');
    return null;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new ConfigError(`${path} is not valid JSON: ${(error as Error).message}`, 'fix the file or delete it to use the defaults');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ConfigError(`${path} must hold a JSON object of settings, got ${Array.isArray(parsed) ? 'an array' : typeof parsed}`);
  }
  return { source: path, values: parsed as Record<string, unknown> };
}

/** Parses `--set key=value` style CLI overrides: numbers, booleans and JSON arrays are decoded. */
export function parseOverride(text: string): [string, unknown] {
  const eq = text.indexOf('=');
  if (eq <= 0) throw new ConfigError(`--set expects key=value, got "${text}"`, 'example: --set groupSize=8');
  const key = text.slice(0, eq);
  const raw = text.slice(eq + 1);
  try {
    return [key, JSON.parse(raw)];
  } catch {
    return [key, raw]; // a bare string such as an enum value
  }
}
