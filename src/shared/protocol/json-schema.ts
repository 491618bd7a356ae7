/**
 * A small JSON Schema (2020-12) validator for the keywords our protocol schemas use. It reads the
 * schema file itself — there is no hand-written copy of the rules — and refuses, at construction,
 * a schema that uses a keyword it does not implement, so a schema change can never be silently
 * ignored on this side. Paths and their order follow the Python worker's validator (shallowest
 * error first; `required` / `additionalProperties` point at the offending property).
 */

export type JsonSchema = boolean | SchemaObject;
export interface SchemaObject {
  readonly [keyword: string]: unknown;
}

export interface SchemaError {
  /** JSONPath-like location of the bad value: `$.prompts[0].messages[1].role`. */
  readonly path: string;
  readonly reason: string;
}

type Segment = string | number;
interface RawError {
  readonly at: readonly Segment[];
  readonly reason: string;
}

const ANNOTATIONS = new Set(['$schema', '$id', '$defs', '$comment', 'title', 'description', 'default', 'examples']);
const ASSERTIONS = new Set(['$ref', 'type', 'enum', 'const', 'anyOf', 'properties', 'required',
  'additionalProperties', 'items', 'prefixItems', 'minItems', 'maxItems', 'uniqueItems', 'minLength',
  'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum']);
const SUBSCHEMA_LISTS = ['anyOf', 'prefixItems'] as const;

export class UnsupportedSchemaError extends Error {
  constructor(readonly keyword: string, readonly where: string) {
    super(`the schema uses \`${keyword}\` at ${where}, which json-schema.ts does not implement; implement it or avoid it`);
    this.name = 'UnsupportedSchemaError';
  }
}

export function isSchemaObject(value: unknown): value is SchemaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export class SchemaValidator {
  private readonly defs: Readonly<Record<string, JsonSchema>>;

  constructor(readonly root: SchemaObject) {
    const defs = root['$defs'];
    this.defs = isSchemaObject(defs) ? (defs as Record<string, JsonSchema>) : {};
    checkSupported(root, '#');
  }

  /** Errors for `value` against `schema` (a subschema of the root), most relevant first. */
  errors(schema: JsonSchema, value: unknown): SchemaError[] {
    const raw = this.check(schema, value, []);
    return raw
      .map((e, index) => ({ e, index }))
      .sort((a, b) => a.e.at.length - b.e.at.length || a.index - b.index)
      .map(({ e }) => ({ path: formatPath(e.at), reason: e.reason }));
  }

  private resolve(ref: string): JsonSchema {
    const match = /^#\/\$defs\/([^/]+)$/.exec(ref);
    const target = match?.[1] === undefined ? undefined : this.defs[match[1]];
    if (target === undefined) throw new UnsupportedSchemaError(`$ref ${ref}`, 'resolve');
    return target;
  }

  private check(schema: JsonSchema, value: unknown, at: readonly Segment[]): RawError[] {
    if (schema === true) return [];
    if (schema === false) return [{ at, reason: 'is not allowed here' }];
    if (typeof schema['$ref'] === 'string') return this.check(this.resolve(schema['$ref']), value, at);
    const typeErrors = checkType(schema, value, at);
    if (typeErrors.length > 0) return typeErrors;
    return [
      ...checkValue(schema, value, at),
      ...this.checkAnyOf(schema, value, at),
      ...(isPlainObject(value) ? this.checkObject(schema, value, at) : []),
      ...(Array.isArray(value) ? this.checkArray(schema, value, at) : []),
    ];
  }

  /** Like the worker: when no branch matches, report inside the branch whose type matched. */
  private checkAnyOf(schema: SchemaObject, value: unknown, at: readonly Segment[]): RawError[] {
    const branches = schema['anyOf'];
    if (!Array.isArray(branches)) return [];
    const results = (branches as JsonSchema[]).map((branch) => this.check(branch, value, at));
    if (results.some((r) => r.length === 0)) return [];
    const typeMatched = results.filter((r) => !r.every((e) => e.at.length === at.length && e.reason.startsWith('must be ')));
    if (typeMatched[0] !== undefined) return typeMatched[0];
    const expected = (branches as JsonSchema[]).map((b) => (isSchemaObject(b) ? describeType(this.typeOf(b)) : 'anything'));
    return [{ at, reason: `must be ${expected.join(' or ')}, got ${jsonType(value)} ${short(value)}` }];
  }

  private typeOf(schema: SchemaObject): unknown {
    return typeof schema['$ref'] === 'string' ? this.typeOfRef(schema['$ref']) : schema['type'];
  }

  private typeOfRef(ref: string): unknown {
    const target = this.resolve(ref);
    return isSchemaObject(target) ? this.typeOf(target) : undefined;
  }

  private checkObject(schema: SchemaObject, value: Record<string, unknown>, at: readonly Segment[]): RawError[] {
    const errors: RawError[] = [];
    const properties = isSchemaObject(schema['properties']) ? (schema['properties'] as Record<string, JsonSchema>) : {};
    const required = Array.isArray(schema['required']) ? (schema['required'] as string[]) : [];
    const missing = required.find((name) => !Object.hasOwn(value, name));
    if (missing !== undefined) errors.push({ at: [...at, missing], reason: 'is required' });
    const additional = schema['additionalProperties'];
    for (const [name, item] of Object.entries(value)) {
      const propertySchema = properties[name];
      if (propertySchema !== undefined) {
        errors.push(...this.check(propertySchema, item, [...at, name]));
      } else if (additional === false) {
        const allowed = Object.keys(properties).join(', ') || '(none)';
        errors.push({ at: [...at, name], reason: `is not an allowed property (allowed: ${allowed})` });
      } else if (isSchemaObject(additional)) {
        errors.push(...this.check(additional, item, [...at, name]));
      }
    }
    return errors;
  }

  private checkArray(schema: SchemaObject, value: unknown[], at: readonly Segment[]): RawError[] {
    const errors: RawError[] = [];
    const minItems = numberKeyword(schema, 'minItems');
    const maxItems = numberKeyword(schema, 'maxItems');
    if (minItems !== undefined && value.length < minItems) {
      errors.push({ at, reason: `must have at least ${minItems} item(s), got ${value.length}` });
    }
    if (maxItems !== undefined && value.length > maxItems) {
      errors.push({ at, reason: `must have at most ${maxItems} item(s), got ${value.length}` });
    }
    if (schema['uniqueItems'] === true && new Set(value.map((v) => JSON.stringify(v))).size !== value.length) {
      errors.push({ at, reason: 'must not contain duplicate items' });
    }
    const prefix = Array.isArray(schema['prefixItems']) ? (schema['prefixItems'] as JsonSchema[]) : [];
    const items = schema['items'] as JsonSchema | undefined;
    value.forEach((item, index) => {
      const itemSchema = index < prefix.length ? prefix[index] : items;
      if (itemSchema !== undefined) errors.push(...this.check(itemSchema, item, [...at, index]));
    });
    return errors;
  }
}

function checkSupported(schema: unknown, where: string): void {
  if (typeof schema === 'boolean') return;
  if (!isSchemaObject(schema)) throw new UnsupportedSchemaError('a non-object schema', where);
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword.startsWith('x-') || ANNOTATIONS.has(keyword)) continue;
    if (!ASSERTIONS.has(keyword)) throw new UnsupportedSchemaError(keyword, where);
    if (keyword === 'properties') {
      for (const [name, sub] of Object.entries(value as Record<string, unknown>)) checkSupported(sub, `${where}/properties/${name}`);
    } else if ((SUBSCHEMA_LISTS as readonly string[]).includes(keyword)) {
      (value as unknown[]).forEach((sub, i) => checkSupported(sub, `${where}/${keyword}/${i}`));
    } else if (keyword === 'items' || keyword === 'additionalProperties') {
      checkSupported(value, `${where}/${keyword}`);
    }
  }
  const defs = schema['$defs'];
  if (isSchemaObject(defs)) for (const [name, sub] of Object.entries(defs)) checkSupported(sub, `#/$defs/${name}`);
}

function checkType(schema: SchemaObject, value: unknown, at: readonly Segment[]): RawError[] {
  const type = schema['type'];
  if (type === undefined) return [];
  const allowed = Array.isArray(type) ? (type as string[]) : [type as string];
  if (allowed.some((t) => hasType(value, t))) return [];
  return [{ at, reason: `must be ${describeType(type)}, got ${jsonType(value)} ${short(value)}` }];
}

function checkValue(schema: SchemaObject, value: unknown, at: readonly Segment[]): RawError[] {
  const errors: RawError[] = [];
  const options = schema['enum'];
  if (Array.isArray(options) && !options.some((o) => jsonEqual(o, value))) {
    errors.push({ at, reason: `must be one of ${options.map((o) => JSON.stringify(o)).join(', ')}, got ${short(value)}` });
  }
  if ('const' in schema && !jsonEqual(schema['const'], value)) {
    errors.push({ at, reason: `must be ${JSON.stringify(schema['const'])}, got ${short(value)}` });
  }
  if (typeof value === 'number') errors.push(...checkRange(schema, value, at));
  const minLength = numberKeyword(schema, 'minLength');
  if (typeof value === 'string' && minLength !== undefined && [...value].length < minLength) {
    errors.push({ at, reason: `must have at least ${minLength} character(s), got ${short(value)}` });
  }
  return errors;
}

function checkRange(schema: SchemaObject, value: number, at: readonly Segment[]): RawError[] {
  const bounds: [string, string, (limit: number) => boolean][] = [
    ['minimum', '>=', (l) => value >= l],
    ['maximum', '<=', (l) => value <= l],
    ['exclusiveMinimum', '>', (l) => value > l],
    ['exclusiveMaximum', '<', (l) => value < l],
  ];
  return bounds.flatMap(([keyword, symbol, holds]) => {
    const limit = numberKeyword(schema, keyword);
    return limit === undefined || holds(limit) ? [] : [{ at, reason: `must be ${symbol} ${limit}, got ${value}` }];
  });
}

function numberKeyword(schema: SchemaObject, keyword: string): number | undefined {
  const value = schema[keyword];
  return typeof value === 'number' ? value : undefined;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case 'null': return value === null;
    case 'boolean': return typeof value === 'boolean';
    case 'string': return typeof value === 'string';
    case 'number': return typeof value === 'number' && Number.isFinite(value);
    case 'integer': return typeof value === 'number' && Number.isInteger(value);
    case 'array': return Array.isArray(value);
    case 'object': return isPlainObject(value);
    default: throw new UnsupportedSchemaError(`type ${type}`, 'check');
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describeType(type: unknown): string {
  return Array.isArray(type) ? type.join(' or ') : String(type);
}

export function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function jsonEqual(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}

function short(value: unknown, limit = 60): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

export function formatPath(at: readonly Segment[]): string {
  return at.reduce<string>((out, s) => (typeof s === 'number' ? `${out}[${s}]` : `${out}.${s}`), '$');
}
