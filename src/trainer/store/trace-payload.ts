/**
 * The heavy bytes of a trace body — its texts as UTF-8 and its per-token arrays (4 bytes per token,
 * little-endian) — written once, when `recordTraces` is called, into a shared slab of memory.
 * The flush binds those bytes as ONE blob per chunk and each row slices its columns out of it with
 * substr(), so texts are never JSON-escaped in JS nor parsed as JSON by SQLite: the escaping
 * (JSON.stringify was the largest JS cost), the lone-surrogate scan and SQLite's parse of the texts
 * cost ~8 µs of the ~90 µs CPU a trace took (docs/store.md, "Ingest"). No per-trace buffer is
 * allocated either.
 *
 * Copying at call time also means the caller may reuse or mutate its strings and typed arrays
 * as soon as `recordTraces` returns.
 */
import { endianness } from 'node:os';
import type { NumberArray } from './types';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

/** A slab holds about a thousand typical traces; a trace larger than this gets a slab of its own size. */
const SLAB_BYTES = 4 * 1024 * 1024;

/** Where one trace's bytes lie: `slab[start, end)`. */
export interface Payload {
  slab: Buffer;
  start: number;
  end: number;
  /** Offset (relative to `start`) and length of each field, in order; -1, -1 for an absent field. */
  layout: number[];
}

export type ArrayKind = 'int32' | 'float32' | 'uint32';

/** One field: a text (UTF-8), a 32-bit array, or absent (NULL). */
export type Field = string | { kind: ArrayKind; values: NumberArray } | null;

interface Views { int32: Int32Array; float32: Float32Array; uint32: Uint32Array }

/** Upper bound of a field's size: UTF-8 needs at most 3 bytes per UTF-16 unit; +3 for alignment. */
function maxBytes(field: Field): number {
  if (field === null) return 0;
  return typeof field === 'string' ? field.length * 3 : field.values.length * 4 + 3;
}

function exactBytes(fields: readonly Field[]): number {
  let size = 0;
  for (const field of fields) {
    if (typeof field === 'string') size += Buffer.byteLength(field, 'utf8');
    else if (field !== null) size += field.values.length * 4 + 3;
  }
  return size;
}

/** A slab and 32-bit views over all of it (created once per slab, not once per array). */
class Slab {
  readonly views: Views;

  constructor(readonly bytes: Buffer) {
    const { byteOffset, length } = bytes; // 0: allocUnsafeSlow never slices the shared pool
    const buffer = bytes.buffer as ArrayBuffer;
    const words = length >> 2;
    this.views = {
      int32: new Int32Array(buffer, byteOffset, words),
      float32: new Float32Array(buffer, byteOffset, words),
      uint32: new Uint32Array(buffer, byteOffset, words),
    };
  }
}

export class PayloadArena {
  private slab = new Slab(Buffer.allocUnsafeSlow(SLAB_BYTES));
  private used = 0;

  /** Writes the fields one after another; arrays start 4-byte aligned so they are written in place. */
  write(fields: readonly Field[]): Payload {
    let bound = 0;
    for (const field of fields) bound += maxBytes(field);
    if (this.used + bound > this.slab.bytes.length) {
      // A trace too large for a slab gets one of its exact size rather than three times its text.
      this.slab = new Slab(Buffer.allocUnsafeSlow(bound > SLAB_BYTES ? exactBytes(fields) : SLAB_BYTES));
      this.used = 0;
    }
    const { bytes, views } = this.slab;
    const start = this.used;
    let pos = start;
    const layout: number[] = [];
    for (const field of fields) {
      if (field === null) {
        layout.push(-1, -1);
        continue;
      }
      let length: number;
      if (typeof field === 'string') {
        // Node encodes a lone UTF-16 surrogate (a token cut inside an emoji) as U+FFFD, one UTF-16
        // unit like the surrogate it replaces, so token offsets into the completion stay valid.
        length = bytes.write(field, pos);
      } else {
        const padding = (4 - (pos & 3)) & 3;
        bytes.fill(0, pos, pos + padding); // never stored (substr() skips it), but no stale bytes either
        pos += padding;
        length = field.values.length * 4;
        views[field.kind].set(field.values as ArrayLike<number>, pos >> 2);
        if (!LITTLE_ENDIAN_HOST) bytes.subarray(pos, pos + length).swap32();
      }
      layout.push(pos - start, length);
      pos += length;
    }
    this.used = pos;
    return { slab: bytes, start, end: pos, layout };
  }
}

/**
 * The chunk blob for consecutive payloads, and for each payload the JSON text of its fields'
 * absolute 1-based "offset,length" pairs in that blob ("null,null" for an absent field, which
 * substr() turns into NULL). Payloads written one after another into the same slab (the usual
 * case) are passed as one view, without copying; otherwise the runs of adjacent payloads are
 * concatenated.
 */
export function packPayloads(payloads: readonly Payload[]): { blob: Buffer; fields: string[] } {
  const runs: Buffer[] = [];
  const fields: string[] = [];
  let size = 0;
  let run: { slab: Buffer; start: number; end: number } | null = null;
  for (const p of payloads) {
    if (run && run.slab === p.slab && run.end === p.start) {
      run.end = p.end;
    } else {
      if (run) runs.push(run.slab.subarray(run.start, run.end));
      run = { slab: p.slab, start: p.start, end: p.end };
    }
    fields.push(absoluteLayout(p.layout, size + 1));
    size += p.end - p.start;
  }
  if (run) runs.push(run.slab.subarray(run.start, run.end));
  return { blob: runs.length === 1 ? (runs[0] as Buffer) : Buffer.concat(runs, size), fields };
}

function absoluteLayout(layout: readonly number[], base: number): string {
  let out = '';
  for (let k = 0; k < layout.length; k += 2) {
    const offset = layout[k] as number;
    out += `${k === 0 ? '' : ','}${offset < 0 ? 'null,null' : `${base + offset},${layout[k + 1] as number}`}`;
  }
  return out;
}
