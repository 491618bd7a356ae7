/**
 * User search text → an FTS5 query that can only mean "all of these words". Every word becomes a
 * quoted string (inner quotes doubled), so FTS5 operators typed by the user (AND, OR, NOT, NEAR,
 * column filters, ^, parentheses) are searched for as plain words and can never change the query.
 * A trailing `*` on a word is kept as a prefix search, the one piece of syntax we offer.
 */

/** A word with no letter or digit produces no token in FTS5's unicode61 tokenizer. */
const HAS_TOKEN = /[\p{L}\p{N}]/u;

export function ftsQuery(text: string): string | null {
  const terms: string[] = [];
  // Control characters (NUL above all) would cut the query short inside SQLite: treat them as spaces.
  for (const word of text.replace(/[\u0000-\u001f\u007f]/g, ' ').split(/\s+/)) {
    const prefix = /[^*]\*+$/.test(word);
    const bare = prefix ? word.replace(/\*+$/, '') : word;
    if (!HAS_TOKEN.test(bare)) continue;
    const quoted = `"${bare.replace(/"/g, '""')}"`;
    terms.push(prefix ? `${quoted} *` : quoted);
  }
  return terms.length === 0 ? null : terms.join(' ');
}
