/**
 * A line diff for "the model's function vs the original": longest common subsequence over lines,
 * after trimming the common head and tail. Functions are small; above `MAX_CELLS` table cells the
 * middle is shown as removed-then-added rather than spending seconds on it.
 */

export type DiffKind = 'same' | 'add' | 'del';

export interface DiffLine {
  kind: DiffKind;
  /** 1-based line numbers in the old / new text; null on the side the line is not in. */
  oldLine: number | null;
  newLine: number | null;
  text: string;
}

export const MAX_CELLS = 4_000_000;

/** Lines compare without trailing whitespace or a trailing \r. */
const same = (a: string, b: string) => a.trimEnd() === b.trimEnd();

export function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** LCS table of a[ i.. ] vs b[ j.. ], filled from the end so the walk can go forwards. */
function lcsTable(a: readonly string[], b: readonly string[]): Uint32Array {
  const width = b.length + 1;
  const table = new Uint32Array((a.length + 1) * width);
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i * width + j] = same(a[i] as string, b[j] as string)
        ? (table[(i + 1) * width + j + 1] as number) + 1
        : Math.max(table[(i + 1) * width + j] as number, table[i * width + j + 1] as number);
    }
  }
  return table;
}

function diffMiddle(a: readonly string[], b: readonly string[], oldBase: number, newBase: number): DiffLine[] {
  const out: DiffLine[] = [];
  const del = (i: number) => out.push({ kind: 'del', oldLine: oldBase + i + 1, newLine: null, text: a[i] as string });
  const add = (j: number) => out.push({ kind: 'add', oldLine: null, newLine: newBase + j + 1, text: b[j] as string });
  if (a.length * b.length > MAX_CELLS) {
    a.forEach((_, i) => del(i));
    b.forEach((_, j) => add(j));
    return out;
  }
  const table = lcsTable(a, b);
  const width = b.length + 1;
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    if (same(a[i] as string, b[j] as string)) {
      out.push({ kind: 'same', oldLine: oldBase + i + 1, newLine: newBase + j + 1, text: b[j] as string });
      i++;
      j++;
    } else if ((table[(i + 1) * width + j] as number) >= (table[i * width + j + 1] as number)) del(i++);
    else add(j++);
  }
  while (i < a.length) del(i++);
  while (j < b.length) add(j++);
  return out;
}

export function diffLines(oldText: string, newText: string): DiffLine[] {
  const a = splitLines(oldText);
  const b = splitLines(newText);
  let head = 0;
  while (head < a.length && head < b.length && same(a[head] as string, b[head] as string)) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && same(a[a.length - 1 - tail] as string, b[b.length - 1 - tail] as string)) tail++;
  const lines: DiffLine[] = [];
  for (let k = 0; k < head; k++) lines.push({ kind: 'same', oldLine: k + 1, newLine: k + 1, text: b[k] as string });
  lines.push(...diffMiddle(a.slice(head, a.length - tail), b.slice(head, b.length - tail), head, head));
  for (let k = tail; k > 0; k--) {
    lines.push({ kind: 'same', oldLine: a.length - k + 1, newLine: b.length - k + 1, text: b[b.length - k] as string });
  }
  return lines;
}

export function diffStats(lines: readonly DiffLine[]): { added: number; removed: number } {
  return {
    added: lines.filter((l) => l.kind === 'add').length,
    removed: lines.filter((l) => l.kind === 'del').length,
  };
}
