// Array helpers: chunking, de-duplication, rotation, flattening.

/** A possibly nested array of values. */
export type Nested<T> = T | Nested<T>[];

/** Split `items` into consecutive chunks of `size` elements (the last one may be shorter); throws on size < 1. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new RangeError(`chunk size must be a positive integer, got ${size}`);
  const chunks: T[][] = [];
  for (let i = 0; i < items.length; i += size) chunks.push(items.slice(i, i + size));
  return chunks;
}

/** Keep the first element for each distinct `key(element)`, preserving order. */
export function uniqueBy<T, K>(items: readonly T[], key: (item: T) => K): T[] {
  const seen = new Set<K>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Rotate `items` left by `k` positions (negative `k` rotates right); returns a new array. */
export function rotate<T>(items: readonly T[], k: number): T[] {
  if (items.length === 0) return [];
  const shift = ((k % items.length) + items.length) % items.length;
  return [...items.slice(shift), ...items.slice(0, shift)];
}

/** Flatten arbitrarily nested arrays into one flat array, depth first. */
export function flattenDeep<T>(items: readonly Nested<T>[]): T[] {
  const out: T[] = [];
  for (const item of items) {
    if (Array.isArray(item)) out.push(...flattenDeep(item as Nested<T>[]));
    else out.push(item as T);
  }
  return out;
}
