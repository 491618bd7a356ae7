/**
 * The host's view of the worker protocol: generated types plus guards that check data against the
 * same schema file the Python worker validates with (worker-protocol.schema.json). Everything the
 * worker sends passes through `parseWorkerFrame` and `resultErrors` before the rest of the
 * controller sees it, so a type here is a checked fact, not a hope.
 */
import { isSchemaObject, jsonType, SchemaValidator, type SchemaError, type SchemaObject } from './json-schema';
import schemaJson from './worker-protocol.schema.json';
import {
  WORKER_OPS,
  type HostToWorkerFrame,
  type WorkerOp,
  type WorkerOps,
  type WorkerToHostFrame,
} from './worker-protocol.generated';

export * from './worker-protocol.generated';
export type { SchemaError } from './json-schema';

export type Direction = 'host_to_worker' | 'worker_to_host';

function loadSchema(value: unknown): SchemaObject {
  if (!isSchemaObject(value) || !isSchemaObject(value['x-ops']) || !isSchemaObject(value['x-frames'])) {
    throw new Error('worker-protocol.schema.json lacks x-ops / x-frames; it is not the protocol schema');
  }
  return value;
}

export const WORKER_PROTOCOL_SCHEMA: SchemaObject = loadSchema(schemaJson);
const validator = new SchemaValidator(WORKER_PROTOCOL_SCHEMA);
const frameSchemas = WORKER_PROTOCOL_SCHEMA['x-frames'] as Record<Direction, Record<string, SchemaObject>>;
const opSchemas = WORKER_PROTOCOL_SCHEMA['x-ops'] as Record<string, { params: SchemaObject; result: SchemaObject }>;

export function isWorkerOp(name: string): name is WorkerOp {
  return (WORKER_OPS as readonly string[]).includes(name);
}

/** Problems with a frame travelling in `direction` (empty: valid). Frames are told apart by `type`. */
export function frameErrors(value: unknown, direction?: Direction): SchemaError[] {
  if (!isSchemaObject(value)) return [{ path: '$', reason: `a frame must be a JSON object, got ${jsonType(value)}` }];
  const type = value['type'];
  const directions: Direction[] = direction ? [direction] : ['host_to_worker', 'worker_to_host'];
  const schema = directions.map((d) => (typeof type === 'string' ? frameSchemas[d][type] : undefined)).find((s) => s);
  if (!schema) {
    const known = directions.flatMap((d) => Object.keys(frameSchemas[d])).sort().join(', ');
    return [{ path: '$.type', reason: `unknown frame type ${JSON.stringify(type)}; expected one of: ${known}` }];
  }
  return validator.errors(schema, value);
}

export function paramsErrors(op: WorkerOp, value: unknown): SchemaError[] {
  return validator.errors(schemaFor(op).params, value);
}

export function resultErrors(op: WorkerOp, value: unknown): SchemaError[] {
  return validator.errors(schemaFor(op).result, value);
}

function schemaFor(op: WorkerOp): { params: SchemaObject; result: SchemaObject } {
  const entry = opSchemas[op];
  if (!entry) throw new Error(`op ${op} is in the generated types but not in the schema; regenerate the types`);
  return entry;
}

export type ParsedFrame =
  | { readonly ok: true; readonly frame: WorkerToHostFrame }
  | { readonly ok: false; readonly reason: string; readonly errors: readonly SchemaError[] };

/** One NDJSON line from the worker → a checked frame, or why it is not one. */
export function parseWorkerFrame(line: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    return { ok: false, reason: `not JSON (${(error as Error).message}): ${line.slice(0, 120)}`, errors: [] };
  }
  const errors = frameErrors(value, 'worker_to_host');
  if (errors.length > 0) {
    const first = errors[0];
    return { ok: false, reason: `invalid frame: ${first?.path}: ${first?.reason}`, errors };
  }
  // Checked against the schema that generated WorkerToHostFrame.
  return { ok: true, frame: value as WorkerToHostFrame };
}

/** `value` as `op`'s result type if it matches the schema; throws a message naming the bad field. */
export function checkResult<Op extends WorkerOp>(op: Op, value: unknown): WorkerOps[Op]['result'] {
  const errors = resultErrors(op, value);
  const first = errors[0];
  if (first) throw new TypeError(`the worker's ${op} result breaks the protocol at ${first.path}: ${first.reason}`);
  return value as WorkerOps[Op]['result'];
}

/** The NDJSON line for a host frame. */
export function encodeHostFrame(frame: HostToWorkerFrame): string {
  return `${JSON.stringify(frame)}\n`;
}
