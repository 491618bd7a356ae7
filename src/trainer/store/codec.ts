/**
 * Per-token arrays ↔ BLOBs: 4 bytes per token, little-endian whatever the host (the file may be
 * copied to another machine). Int32 token ids, Float32 logprobs and entropies, Uint32 offsets.
 */
import { endianness } from 'node:os';
import type { NumberArray, TokenStats } from './types';

const LITTLE_ENDIAN_HOST = endianness() === 'LE';

type Typed32 = Int32Array | Float32Array | Uint32Array;
type Typed32Ctor<T extends Typed32> = { new (length: number): T; new (buffer: ArrayBuffer): T; from(values: NumberArray): T };

function toTyped<T extends Typed32>(values: NumberArray, Ctor: Typed32Ctor<T>): T {
  return values instanceof Ctor ? values : Ctor.from(values);
}

function swapBytes(buffer: Buffer): Buffer {
  return Buffer.from(buffer).swap32();
}

function encode<T extends Typed32>(values: NumberArray, Ctor: Typed32Ctor<T>): Buffer {
  const typed = toTyped(values, Ctor);
  const view = Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength);
  return LITTLE_ENDIAN_HOST ? view : swapBytes(view);
}

export const encodeInt32 = (values: NumberArray): Buffer => encode(values, Int32Array);
export const encodeFloat32 = (values: NumberArray): Buffer => encode(values, Float32Array);
export const encodeUint32 = (values: NumberArray): Buffer => encode(values, Uint32Array);

/** Copies (SQLite's buffers are not 4-byte aligned); returns null when the size is wrong. */
function decode<T extends Typed32>(blob: Buffer, count: number, Ctor: Typed32Ctor<T>): T | null {
  if (blob.length !== count * 4) return null;
  const copy = new ArrayBuffer(blob.length);
  const bytes = Buffer.from(copy);
  blob.copy(bytes);
  if (!LITTLE_ENDIAN_HOST) bytes.swap32();
  return new Ctor(copy);
}

export interface TokenBlobs {
  count: number;
  ids: Buffer;
  logprobs: Buffer;
  entropies: Buffer | null;
  offsets: Buffer | null;
}

export function decodeTokenBlobs(row: TokenBlobs): TokenStats | null {
  const ids = decode(row.ids, row.count, Int32Array);
  const logprobs = decode(row.logprobs, row.count, Float32Array);
  const entropies = row.entropies === null ? null : decode(row.entropies, row.count, Float32Array);
  const offsets = row.offsets === null ? null : decode(row.offsets, row.count, Uint32Array);
  if (!ids || !logprobs || (row.entropies !== null && !entropies) || (row.offsets !== null && !offsets)) return null;
  return { ids, logprobs, entropies, offsets };
}
