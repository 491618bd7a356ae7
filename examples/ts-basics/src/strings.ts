// Text helpers: slugs, capitalisation, palindromes, truncation.

/** Characters treated as word separators by `slugify`. */
const SEPARATORS = /[^a-z0-9]+/g;

/** Lower-case `text` and join its alphanumeric runs with `sep`, e.g. "Hello, World!" → "hello-world". */
export function slugify(text: string, sep: string = '-'): string {
  return text.toLowerCase().replace(SEPARATORS, ' ').trim().split(' ').filter(Boolean).join(sep);
}

/** Upper-case the first character of each space-separated word, leaving every other character unchanged. */
export function capitalizeWords(text: string): string {
  return text.split(' ').map((word) => word.slice(0, 1).toUpperCase() + word.slice(1)).join(' ');
}

/** True if `text` reads the same backwards when case and non-alphanumeric characters are ignored. */
export function isPalindrome(text: string): boolean {
  const cleaned = text.toLowerCase().replace(/[^a-z0-9]/g, '');
  return cleaned === [...cleaned].reverse().join('');
}

/** Shorten `text` to at most `max` characters, ending with `ellipsis` when something was cut. */
export function truncate(text: string, max: number, ellipsis: string = '…'): string {
  if (text.length <= max) return text;
  if (max <= ellipsis.length) return ellipsis.slice(0, max);
  return text.slice(0, max - ellipsis.length) + ellipsis;
}
