import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PayloadArena, packPayloads, type Payload } from '../../src/trainer/store/trace-payload';

/** The bytes of field k of a payload, as the SQL's substr(?2, offset, length) would slice them. */
function slice(blob: Buffer, fields: string, k: number): Buffer | null {
  const pairs = fields.split(',');
  if (pairs[2 * k] === 'null') return null;
  const offset = Number(pairs[2 * k]);
  return blob.subarray(offset - 1, offset - 1 + Number(pairs[2 * k + 1]));
}

test('texts become UTF-8, arrays little-endian 4-byte values at aligned offsets, absent fields null', () => {
  const arena = new PayloadArena();
  const p = arena.write(['héllo 🧪', null, '', { kind: 'int32', values: [1, -2, 3] }, { kind: 'float32', values: Float32Array.of(0.5, -1.25) }]);
  const { blob, fields } = packPayloads([p]);
  assert.equal(slice(blob, fields[0] as string, 0)?.toString('utf8'), 'héllo 🧪');
  assert.equal(slice(blob, fields[0] as string, 1), null);
  assert.equal(slice(blob, fields[0] as string, 2)?.length, 0, 'an empty text is empty, not null');
  const ids = slice(blob, fields[0] as string, 3) as Buffer;
  assert.equal((p.slab.byteOffset + p.start + (p.layout[6] as number)) % 4, 0, 'arrays are written 4-byte aligned in the slab');
  assert.deepEqual([ids.readInt32LE(0), ids.readInt32LE(4), ids.readInt32LE(8)], [1, -2, 3]);
  const lp = slice(blob, fields[0] as string, 4) as Buffer;
  assert.deepEqual([lp.readFloatLE(0), lp.readFloatLE(4)], [0.5, -1.25]);
});

test('a lone surrogate becomes one U+FFFD (so UTF-16 offsets into the text still hold)', () => {
  const arena = new PayloadArena();
  const text = 'ab\uD83Ecd';
  const { blob, fields } = packPayloads([arena.write([text])]);
  const back = slice(blob, fields[0] as string, 0)?.toString('utf8');
  assert.equal(back, 'ab\uFFFDcd');
  assert.equal(back?.length, text.length);
});

test('consecutive payloads share one view of the slab; others are concatenated with the right offsets', () => {
  const arena = new PayloadArena();
  const a = arena.write(['first']);
  const b = arena.write(['second', { kind: 'uint32', values: [7] }]);
  const together = packPayloads([a, b]);
  assert.equal(together.blob.buffer, a.slab.buffer, 'no copy for adjacent payloads');
  assert.equal(slice(together.blob, together.fields[1] as string, 0)?.toString(), 'second');

  // A payload larger than a slab gets its own; the order of the chunk need not follow the slabs.
  const big = arena.write(['x'.repeat(2_000_000)]);
  const after = arena.write(['after']);
  assert.notEqual(big.slab, a.slab);
  const mixed: Payload[] = [b, big, a, after];
  const { blob, fields } = packPayloads(mixed);
  assert.deepEqual(fields.map((f) => slice(blob, f, 0)?.toString().slice(0, 6)), ['second', 'xxxxxx', 'first', 'after']);
  assert.equal(slice(blob, fields[0] as string, 1)?.readUInt32LE(0), 7);
  assert.equal(slice(blob, fields[1] as string, 0)?.length, 2_000_000);
});

test('the caller may change its arrays after the write: the payload holds a copy', () => {
  const arena = new PayloadArena();
  const ids = Int32Array.of(10, 20, 30);
  const p = arena.write([{ kind: 'int32', values: ids }]);
  ids.fill(0);
  const { blob, fields } = packPayloads([p]);
  assert.equal(slice(blob, fields[0] as string, 0)?.readInt32LE(4), 20);
});
