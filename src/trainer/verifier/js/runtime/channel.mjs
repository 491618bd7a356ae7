// The private channel from the sandboxed test process back to RLVR Studio. Every record is one stdout
// line `@@rlvr:<nonce>@@ <json>`. The nonce comes in through RLVR_CHANNEL_NONCE and is removed from
// process.env at once, before any workspace or candidate code runs, so a candidate that prints cannot
// forge records (it would have to guess the nonce). This module is imported by the reporter and the
// hooks under the same URL, so they share one instance and one captured `write`.
const nonce = process.env.RLVR_CHANNEL_NONCE ?? '';
delete process.env.RLVR_CHANNEL_NONCE;

// Captured now: later code (tests, candidates) may replace process.stdout.write.
const write = process.stdout.write.bind(process.stdout);

/** Sends one record; the leading newline keeps it on its own line after unterminated test output. */
export function emit(record) {
  if (nonce === '') return;
  write(`\n@@rlvr:${nonce}@@ ${JSON.stringify(record)}\n`);
}
