/**
 * The store's schema, as an ordered list of migrations keyed by `PRAGMA user_version`. A released
 * migration never changes: a new column or index is a new entry at the end. docs/store.md
 * documents every table and column.
 */
import type { Db } from './sqlite';
import { StoreError } from './errors';

/** 'RLVR' in ASCII: marks a file as ours, so we never migrate somebody else's database. */
export const APPLICATION_ID = 0x524c5652;

export interface Migration {
  version: number;
  description: string;
  up(db: Db): Promise<void>;
}

const V1_TABLES = `
CREATE TABLE runs (
  key INTEGER PRIMARY KEY AUTOINCREMENT,
  id TEXT NOT NULL UNIQUE,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'completed', 'stopped', 'failed')),
  workspace TEXT NOT NULL,
  model TEXT NOT NULL,
  config TEXT NOT NULL CHECK (json_valid(config)),
  seed INTEGER NOT NULL,
  last_step INTEGER NOT NULL DEFAULT 0,
  checkpoint_dir TEXT,
  checkpoint_step INTEGER,
  checkpoint_state TEXT CHECK (checkpoint_state IS NULL OR json_valid(checkpoint_state)),
  error TEXT,
  writer_pid INTEGER,
  writer_host TEXT
) STRICT;

CREATE TABLE steps (
  run_key INTEGER NOT NULL REFERENCES runs(key) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  reward_mean REAL, reward_std REAL, pass_rate REAL, frac_zero_std REAL, groups_dropped REAL,
  entropy REAL, kl REAL, clip_low REAL, clip_high REAL, grad_norm REAL, loss REAL, learning_rate REAL,
  completion_len_mean REAL, truncation_rate REAL, flagged_rate REAL, aha_per_1k REAL, fix_rate REAL,
  tokens REAL, tokens_per_s REAL, gen_s REAL, verify_s REAL, train_s REAL,
  extra TEXT NOT NULL DEFAULT '{}' CHECK (json_valid(extra)),
  PRIMARY KEY (run_key, step)
) STRICT, WITHOUT ROWID;

CREATE TABLE run_tasks (
  run_key INTEGER NOT NULL REFERENCES runs(key) ON DELETE CASCADE,
  task_id TEXT NOT NULL,
  split TEXT NOT NULL CHECK (split IN ('train', 'eval')),
  task TEXT NOT NULL CHECK (json_valid(task)),
  PRIMARY KEY (run_key, task_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE prompts (
  id INTEGER PRIMARY KEY,
  sha TEXT NOT NULL UNIQUE,
  text TEXT NOT NULL
) STRICT;

CREATE TABLE traces (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_key INTEGER NOT NULL REFERENCES runs(key) ON DELETE CASCADE,
  step INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('train', 'eval')),
  eval_label TEXT,
  task_id TEXT NOT NULL,
  group_index INTEGER NOT NULL,
  sample_index INTEGER NOT NULL,
  prompt_id INTEGER NOT NULL REFERENCES prompts(id),
  reward_total REAL NOT NULL,
  reward_correctness REAL NOT NULL,
  reward_format REAL NOT NULL,
  reward_overlong REAL NOT NULL,
  advantage REAL,
  prompt_tokens INTEGER NOT NULL,
  completion_tokens INTEGER NOT NULL,
  finish_reason TEXT NOT NULL,
  passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
  pass_fraction REAL,
  flagged INTEGER NOT NULL CHECK (flagged IN (0, 1)),
  aha_count INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;

-- The heavy part of a trace, one row per trace: texts, per-test results (a JSON array) and the
-- per-token arrays (4 bytes per token each, little-endian). Kept apart from traces so that list
-- queries scan and sort small rows; kept in one row because a row per test and a row for the
-- tokens cost more at ingest than all the indexes together (docs/store.md, "Why one body row").
CREATE TABLE trace_bodies (
  trace_id INTEGER PRIMARY KEY REFERENCES traces(id) ON DELETE CASCADE,
  completion TEXT NOT NULL,
  think TEXT,
  answer TEXT,
  code TEXT,
  tests TEXT NOT NULL DEFAULT '[]',
  token_count INTEGER NOT NULL DEFAULT 0,
  token_ids BLOB,
  logprobs BLOB,
  entropies BLOB,
  offsets BLOB
) STRICT;

CREATE TABLE flags (
  trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  code TEXT NOT NULL,
  message TEXT NOT NULL,
  PRIMARY KEY (trace_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE aha_events (
  trace_id INTEGER NOT NULL REFERENCES traces(id) ON DELETE CASCADE,
  seq INTEGER NOT NULL,
  category TEXT NOT NULL,
  cue TEXT NOT NULL,
  char_start INTEGER NOT NULL,
  char_end INTEGER NOT NULL,
  token_index INTEGER,
  position REAL NOT NULL CHECK (position BETWEEN 0 AND 1),
  phase TEXT NOT NULL CHECK (phase IN ('exploration', 'reflection')),
  consequence TEXT CHECK (consequence IN ('confirm', 'fix', 'regress', 'churn')),
  entropy REAL,
  forking INTEGER NOT NULL CHECK (forking IN (0, 1)),
  PRIMARY KEY (trace_id, seq)
) STRICT, WITHOUT ROWID;

CREATE TABLE evaluations (
  id INTEGER PRIMARY KEY,
  run_key INTEGER NOT NULL REFERENCES runs(key) ON DELETE CASCADE,
  label TEXT NOT NULL,
  step INTEGER NOT NULL,
  checkpoint TEXT,
  n INTEGER NOT NULL,
  tasks TEXT NOT NULL CHECK (json_valid(tasks)),
  pass_at_k TEXT NOT NULL CHECK (json_valid(pass_at_k)),
  regression INTEGER CHECK (regression IN (0, 1)),
  created_at INTEGER NOT NULL,
  UNIQUE (run_key, label)
) STRICT;

CREATE VIEW trace_tests(trace_id, seq, test_id, outcome, duration, message, held_out) AS
  SELECT b.trace_id, j.key, j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4
  FROM trace_bodies b, json_each(b.tests) j;

CREATE VIEW trace_tokens(trace_id, count, ids, logprobs, entropies, offsets) AS
  SELECT trace_id, token_count, token_ids, logprobs, entropies, offsets FROM trace_bodies WHERE token_ids IS NOT NULL;

-- Per-task counts for CodeLens, updated by the trace writer in the same transaction as the
-- traces (one upsert per task and batch). "Best" is the highest reward, the newest on ties.
CREATE TABLE task_stats (
  run_key INTEGER NOT NULL REFERENCES runs(key) ON DELETE CASCADE,
  task_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  samples INTEGER NOT NULL,
  passed INTEGER NOT NULL,
  best_trace_id INTEGER NOT NULL,
  best_reward REAL NOT NULL,
  last_step INTEGER NOT NULL,
  PRIMARY KEY (run_key, task_id, kind)
) STRICT, WITHOUT ROWID;
`;

// Every index serves one read of docs/store.md ("Queries and the indexes behind them"); each one
// also costs ingest time, so none is speculative.
const V1_INDEXES = `
CREATE INDEX traces_by_run ON traces(run_key);
CREATE INDEX traces_by_step ON traces(run_key, step, passed);
CREATE INDEX traces_by_reward ON traces(run_key, reward_total);
CREATE INDEX traces_by_length ON traces(run_key, completion_tokens);
CREATE INDEX traces_by_task ON traces(run_key, task_id, reward_total);
CREATE INDEX traces_flagged ON traces(run_key) WHERE flagged = 1;
CREATE INDEX traces_with_aha ON traces(run_key) WHERE aha_count > 0;
`;

// FTS5 over what the model wrote (the completion holds the think text, the answer and the code)
// and, separately, over the deduplicated prompts. External content: the text is stored once, in
// trace_bodies / prompts, and triggers keep the index in the same transaction as the row.
const V1_SEARCH = `
CREATE VIRTUAL TABLE trace_fts USING fts5(completion, content='trace_bodies', content_rowid='trace_id');
CREATE TRIGGER trace_bodies_ai AFTER INSERT ON trace_bodies BEGIN
  INSERT INTO trace_fts(rowid, completion) VALUES (new.trace_id, new.completion);
END;
CREATE TRIGGER trace_bodies_ad AFTER DELETE ON trace_bodies BEGIN
  INSERT INTO trace_fts(trace_fts, rowid, completion) VALUES ('delete', old.trace_id, old.completion);
END;
CREATE TRIGGER trace_bodies_au AFTER UPDATE OF completion ON trace_bodies BEGIN
  INSERT INTO trace_fts(trace_fts, rowid, completion) VALUES ('delete', old.trace_id, old.completion);
  INSERT INTO trace_fts(rowid, completion) VALUES (new.trace_id, new.completion);
END;

CREATE VIRTUAL TABLE prompt_fts USING fts5(text, content='prompts', content_rowid='id');
CREATE TRIGGER prompts_ai AFTER INSERT ON prompts BEGIN
  INSERT INTO prompt_fts(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER prompts_ad AFTER DELETE ON prompts BEGIN
  INSERT INTO prompt_fts(prompt_fts, rowid, text) VALUES ('delete', old.id, old.text);
END;
`;

/**
 * Fixed planner statistics describing a large file (1M traces, 4 runs, 256 traces per step, 32
 * tasks). Without them SQLite guesses, and at 1M traces it guessed wrong (a one-step query scanned
 * the run by reward: p95 200 ms instead of 7). Measured statistics would be no better: taken early in a
 * run they describe a tiny table and mislead the planner once it has grown. The store never runs
 * ANALYZE; docs/store.md lists the plans these numbers produce.
 */
const V1_PLANNER_STATS = `
ANALYZE sqlite_schema;
DELETE FROM sqlite_stat1 WHERE tbl = 'traces';
INSERT INTO sqlite_stat1(tbl, idx, stat) VALUES
  ('traces', NULL, '1000000'),
  ('traces', 'traces_by_run', '1000000 250000'),
  ('traces', 'traces_by_step', '1000000 250000 256 128'),
  ('traces', 'traces_by_reward', '1000000 250000 5000'),
  ('traces', 'traces_by_length', '1000000 250000 2000'),
  ('traces', 'traces_by_task', '1000000 250000 8000 200'),
  ('traces', 'traces_flagged', '5000 1250'),
  ('traces', 'traces_with_aha', '50000 12500');
ANALYZE sqlite_schema;
`;

// Training-health warnings (src/trainer/analysis/health), one row each, so that SQL can ask which
// steps raised what (`SELECT code, count(*) FROM step_warnings GROUP BY code`). A step's warnings
// belong to its row: deleting the step (discardAfterStep, deleteRun) deletes them.
// `evaluations.curve`: pass@k for every k = 1..n (JSON array, index k − 1) next to the configured ks.
const V2_HEALTH = `
CREATE TABLE step_warnings (
  run_key INTEGER NOT NULL,
  step INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  code TEXT NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('warning', 'critical')),
  message TEXT NOT NULL,
  PRIMARY KEY (run_key, step, seq),
  FOREIGN KEY (run_key, step) REFERENCES steps(run_key, step) ON DELETE CASCADE
) STRICT, WITHOUT ROWID;
ALTER TABLE evaluations ADD COLUMN curve TEXT CHECK (curve IS NULL OR json_valid(curve));
`;

// Think, answer and code as character spans of the completion instead of copies of its text
// (a fifth of a body row of the benchmark's traces; docs/store.md "Texts as spans"). Rows written
// before keep their text columns and NULL spans; `trace_texts` gives both kinds back as texts
// (substr() on TEXT counts characters, which is what the spans count).
const V3_TEXT_SPANS = `
ALTER TABLE trace_bodies ADD COLUMN think_start INTEGER;
ALTER TABLE trace_bodies ADD COLUMN think_len INTEGER;
ALTER TABLE trace_bodies ADD COLUMN answer_start INTEGER;
ALTER TABLE trace_bodies ADD COLUMN answer_len INTEGER;
ALTER TABLE trace_bodies ADD COLUMN code_start INTEGER;
ALTER TABLE trace_bodies ADD COLUMN code_len INTEGER;
CREATE VIEW trace_texts(trace_id, completion, think, answer, code) AS
  SELECT trace_id, completion,
    coalesce(think, substr(completion, think_start + 1, think_len)),
    coalesce(answer, substr(completion, answer_start + 1, answer_len)),
    coalesce(code, substr(completion, code_start + 1, code_len))
  FROM trace_bodies;
`;

// Full-text search of completions moves to a derived index in a side file (search-index.ts): the
// trigger made every trace insert also tokenize its completion and merge FTS5 segments inside the
// writer's transaction (9–13 µs CPU per trace on the writer's thread). The side file is rebuilt
// from trace_bodies by the next writer, so dropping the old index loses nothing. `store_meta`
// holds a random token that the side file repeats, so a side file left from another database
// (a deleted and recreated runs.db) is never taken for this one's.
const V4_SEARCH_SIDE_FILE = `
DROP TRIGGER trace_bodies_ai;
DROP TRIGGER trace_bodies_ad;
DROP TRIGGER trace_bodies_au;
DROP TABLE trace_fts;
CREATE TABLE store_meta (key TEXT PRIMARY KEY, value ANY) STRICT, WITHOUT ROWID;
INSERT INTO store_meta(key, value) VALUES ('search_token', lower(hex(randomblob(8))));
`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'runs, steps, tasks, traces with tests/tokens/flags/aha events, evaluations, FTS5',
    async up(db) {
      await db.exec(V1_TABLES + V1_INDEXES + V1_SEARCH + V1_PLANNER_STATS);
      await db.run(`PRAGMA application_id = ${APPLICATION_ID}`);
    },
  },
  {
    version: 2,
    description: 'step_warnings (training-health warnings per step); evaluations.curve (pass@k for k = 1..n)',
    async up(db) {
      await db.exec(V2_HEALTH);
    },
  },
  {
    version: 3,
    description: 'think/answer/code as character spans of the completion (trace_bodies.*_start, *_len); view trace_texts',
    async up(db) {
      await db.exec(V3_TEXT_SPANS);
    },
  },
  {
    version: 4,
    description: 'search index of completions moved to a side file (<db>.search); trace_fts and its triggers dropped; store_meta',
    async up(db) {
      await db.exec(V4_SEARCH_SIDE_FILE);
    },
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

interface Header {
  version: number;
  applicationId: number;
  tables: number;
}

async function readHeader(db: Db): Promise<Header> {
  const version = await db.get<{ user_version: number }>('PRAGMA user_version');
  const app = await db.get<{ application_id: number }>('PRAGMA application_id');
  const tables = await db.get<{ n: number }>("SELECT count(*) AS n FROM sqlite_schema WHERE type = 'table'");
  return { version: version?.user_version ?? 0, applicationId: app?.application_id ?? 0, tables: tables?.n ?? 0 };
}

/** Refuses files that are not ours or are newer than this code; says what to do instead. */
function checkHeader(db: Db, header: Header, latest: number): void {
  const ours = header.applicationId === APPLICATION_ID;
  if (!ours && (header.applicationId !== 0 || header.tables > 0)) {
    throw new StoreError(`${db.path} is a SQLite database of another program (application_id ${header.applicationId}, ${header.tables} tables), not an RLVR Studio trace store`,
      'store_not_ours', 'Pass another path with --db, or move the file aside. It was not modified.');
  }
  if (header.version > latest) {
    throw new StoreError(`${db.path} was written by a newer RLVR Studio (schema version ${header.version}; this version understands up to ${latest})`,
      'store_too_new', 'Update RLVR Studio, or use another database file with --db. The file was not modified.');
  }
}

/**
 * Brings the file to the latest version, one migration per transaction. The version is read again
 * under the write lock, so two processes opening a new file at once migrate it exactly once.
 */
export async function migrate(db: Db, migrations: readonly Migration[] = MIGRATIONS): Promise<number> {
  const latest = migrations.length;
  checkHeader(db, await readHeader(db), latest);
  for (;;) {
    const applied = await db.transaction(async () => {
      const header = await readHeader(db);
      checkHeader(db, header, latest);
      const next = migrations[header.version];
      if (!next) return false;
      await next.up(db);
      // user_version lives in the file header and is part of this transaction.
      await db.run(`PRAGMA user_version = ${next.version}`);
      return true;
    });
    if (!applied) return latest;
  }
}

/** For read-only connections: the file must already be at this code's version. */
export async function checkReadable(db: Db): Promise<void> {
  const header = await readHeader(db);
  checkHeader(db, header, SCHEMA_VERSION);
  if (header.version < SCHEMA_VERSION) {
    throw new StoreError(`${db.path} has schema version ${header.version}; this version of RLVR Studio reads ${SCHEMA_VERSION}`,
      'store_outdated', 'Open it once read-write (any rlvr command, or the extension) to upgrade it.');
  }
}
