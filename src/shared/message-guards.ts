/**
 * Small field checkers for messages that cross a trust boundary (webview → extension host). Each
 * returns the checked value or throws a `MessageShapeError` naming the field and the bad value, so
 * a guard is a straight list of fields and its error says exactly what was wrong.
 */

export class MessageShapeError extends Error {
  constructor(readonly field: string, readonly expected: string, readonly got: unknown) {
    super(`message field \`${field}\`: expected ${expected}, got ${describe(got)}`);
    this.name = 'MessageShapeError';
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return Array.isArray(value) ? 'an array' : `a ${typeof value}`;
}

export type Fields = Record<string, unknown>;

export function isRecord(value: unknown): value is Fields {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function record(value: unknown, field: string): Fields {
  if (!isRecord(value)) throw new MessageShapeError(field, 'an object', value);
  return value;
}

export function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new MessageShapeError(field, `an integer in [${min}, ${max}]`, value);
  }
  return value;
}

export function finite(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw new MessageShapeError(field, 'a finite number', value);
  return value;
}

export function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.length > maxLength) {
    throw new MessageShapeError(field, `a string of at most ${maxLength} characters`, value);
  }
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new MessageShapeError(field, `one of ${allowed.join(', ')}`, value);
  }
  return value as T;
}

export function bool(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new MessageShapeError(field, 'true or false', value);
  return value;
}

/** Applies `check` when the field is present; absent and undefined stay absent. */
export function optional<T>(value: unknown, check: (v: unknown) => T): T | undefined {
  return value === undefined ? undefined : check(value);
}
