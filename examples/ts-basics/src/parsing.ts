// Parsers for small text formats.

/** Seconds per unit for `parseDuration`. */
const UNIT_SECONDS: Readonly<Record<string, number>> = { d: 86400, h: 3600, m: 60, s: 1 };

/** Values of the Roman numerals for `romanToInt`. */
const ROMAN_VALUES: Readonly<Record<string, number>> = { I: 1, V: 5, X: 10, L: 50, C: 100, D: 500, M: 1000 };

/** Parse a duration such as "1h30m" or "2d 4s" into seconds; throws a SyntaxError on anything else. */
export function parseDuration(text: string): number {
  const compact = text.replace(/\s+/g, '');
  if (!/^(\d+[dhms])+$/.test(compact)) throw new SyntaxError(`invalid duration: ${JSON.stringify(text)}`);
  let total = 0;
  for (const [, amount, unit] of compact.matchAll(/(\d+)([dhms])/g)) total += Number(amount) * UNIT_SECONDS[unit!]!;
  return total;
}

/** Convert a Roman numeral such as "MCMXCIV" to its integer value (subtractive notation allowed). */
export function romanToInt(numeral: string): number {
  let total = 0;
  for (let i = 0; i < numeral.length; i++) {
    const value = ROMAN_VALUES[numeral[i]!];
    if (value === undefined) throw new SyntaxError(`not a Roman numeral: ${JSON.stringify(numeral)}`);
    const next = ROMAN_VALUES[numeral[i + 1] ?? ''] ?? 0;
    total += value < next ? -value : value;
  }
  return total;
}
