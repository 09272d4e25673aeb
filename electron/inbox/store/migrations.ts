// Numbered schema migrations. Each runs in its own transaction together with the `user_version` bump, so a
// database is always at exactly one version: a failed migration leaves it at the previous one, untouched.
// Never edit a shipped migration; add the next number.
import type BetterSqlite3 from 'better-sqlite3'
import { migrateToComments } from './comments-schema.ts'
import { OUTBOX_EXTRAS_SQL } from './outbox-extras-schema.ts'
import { StoreError } from './store-error.ts'
import { TRIAGE_SCHEMA } from './triage-schema.ts'

export type Migration = {
  version: number
  name: string
  up: (db: BetterSqlite3.Database) => void
}

// Search rows are keyed by (seconds of the message's sort time, row id): FTS5 can then return the newest
// matches first by walking its rowids backwards and stop after one page, instead of sorting every match.
// 2^31 row ids and 2^32 seconds (until 2106) fit in SQLite's 63-bit rowid.
export const MESSAGE_SEARCH_KEY_SQL = (row: string) => `((max(${row}.sort_at, 0) / 1000) * 2147483648 + ${row}.row_id)`
export const MESSAGE_SEARCHABLE_SQL = (row: string) => `(${row}.body IS NOT NULL AND ${row}.external_deleted_at IS NULL)`
const SEARCH_KEY = MESSAGE_SEARCH_KEY_SQL
const SEARCHABLE = MESSAGE_SEARCHABLE_SQL

const schemaV1 = `
CREATE TABLE profiles (
  id TEXT PRIMARY KEY,
  name TEXT,
  platform TEXT NOT NULL,
  status TEXT NOT NULL,
  profile_group_id TEXT,
  expires_at TEXT,
  avatar_url TEXT,
  raw TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

CREATE TABLE chats (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  profile_id TEXT NOT NULL,
  platform TEXT NOT NULL,
  participant_external_id TEXT NOT NULL,
  participant_username TEXT,
  participant_name TEXT,
  participant_avatar_url TEXT,
  external_conversation_id TEXT,
  -- The newest of what the server said and what the stored messages show.
  last_inbound_at TEXT,
  last_outbound_at TEXT,
  last_message_at TEXT,
  created_at TEXT NOT NULL,
  is_verified INTEGER,
  follower_count INTEGER,
  user_follows_business INTEGER,
  business_follows_user INTEGER,
  raw TEXT NOT NULL,
  -- Chat list order: last activity in epoch ms (last_message_at, else created_at).
  activity_ms INTEGER NOT NULL,
  last_inbound_ms INTEGER,
  -- Position (sort_at, row_id) of the newest stored inbound message: a chat can have unread messages
  -- only if it is after the read marker, which spares counting for every other chat.
  newest_inbound_sort_at INTEGER,
  newest_inbound_row_id INTEGER,
  -- Inbound messages after this (sort_at, row_id) position are unread.
  read_sort_at INTEGER NOT NULL DEFAULT 0,
  read_row_id INTEGER NOT NULL DEFAULT 0,
  -- "Mark as unread" on a chat without inbound messages still shows one unread.
  marked_unread INTEGER NOT NULL DEFAULT 0,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX chats_by_activity ON chats (activity_ms, id);
CREATE INDEX chats_by_profile_activity ON chats (profile_id, activity_ms, id);
CREATE INDEX chats_by_external_conversation ON chats (external_conversation_id) WHERE external_conversation_id IS NOT NULL;
-- Only chats that can have unread messages: the badge total then costs in proportion to them, not to all chats.
CREATE INDEX chats_maybe_unread ON chats (profile_id) WHERE marked_unread = 1
  OR newest_inbound_sort_at > read_sort_at OR (newest_inbound_sort_at = read_sort_at AND newest_inbound_row_id > read_row_id);

CREATE TABLE messages (
  row_id INTEGER PRIMARY KEY,
  -- Postproxy's id; NULL while an optimistic send has not been accepted yet.
  id TEXT UNIQUE,
  -- The outbox's id for a message this app sent; kept after the server id arrives.
  local_id TEXT,
  chat_id TEXT NOT NULL,
  external_id TEXT,
  direction TEXT NOT NULL CHECK (direction IN ('inbound', 'outbound')),
  body TEXT,
  status TEXT NOT NULL,
  tag TEXT,
  external_comment_id TEXT,
  error_message TEXT,
  external_posted_at TEXT,
  external_delivered_at TEXT,
  external_read_at TEXT,
  external_edited_at TEXT,
  external_deleted_at TEXT,
  reply_to_external_id TEXT,
  is_unsupported INTEGER,
  created_at TEXT NOT NULL,
  -- Thread order in epoch ms: external_posted_at, else created_at (pending sends have no posted time).
  sort_at INTEGER NOT NULL,
  -- The server's keys that have no column or table here (platform_data, error_details, keys added later).
  raw TEXT NOT NULL
);
CREATE UNIQUE INDEX messages_by_local_id ON messages (local_id) WHERE local_id IS NOT NULL;
CREATE INDEX messages_by_external_id ON messages (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX messages_thread ON messages (chat_id, sort_at, row_id);
CREATE INDEX messages_unread ON messages (chat_id, sort_at, row_id)
  WHERE direction = 'inbound' AND external_deleted_at IS NULL;

CREATE TABLE attachments (
  id TEXT PRIMARY KEY,
  message_row INTEGER NOT NULL REFERENCES messages (row_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  type TEXT NOT NULL,
  url TEXT,
  status TEXT,
  external_id TEXT,
  raw TEXT NOT NULL
);
CREATE INDEX attachments_by_message ON attachments (message_row, position);
CREATE INDEX attachments_by_url ON attachments (url) WHERE url IS NOT NULL;

CREATE TABLE reactions (
  message_row INTEGER NOT NULL REFERENCES messages (row_id) ON DELETE CASCADE,
  position INTEGER NOT NULL,
  sender_external_id TEXT,
  emoji TEXT,
  reaction TEXT,
  at TEXT,
  raw TEXT NOT NULL,
  PRIMARY KEY (message_row, position)
) WITHOUT ROWID;

CREATE TABLE outbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  local_id TEXT NOT NULL UNIQUE,
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  kind TEXT NOT NULL CHECK (kind IN ('text', 'media')),
  body TEXT,
  media_path TEXT,
  media_mime TEXT,
  media_size INTEGER,
  tag TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  server_message_id TEXT,
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  CHECK ((kind = 'text' AND body IS NOT NULL AND media_path IS NULL)
      OR (kind = 'media' AND media_path IS NOT NULL AND body IS NULL))
);
CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at_ms, seq);
CREATE INDEX outbox_by_chat ON outbox (chat_id, seq);

CREATE TABLE drafts (
  chat_id TEXT PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
  text TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Key/value per scope (a profile id, or '' for the whole app): sync cursors, last full sync...
CREATE TABLE sync_state (
  scope TEXT NOT NULL,
  key TEXT NOT NULL,
  value TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL,
  PRIMARY KEY (scope, key)
) WITHOUT ROWID;

CREATE TABLE processed_webhook_events (
  event_id TEXT PRIMARY KEY,
  processed_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX processed_webhook_events_by_time ON processed_webhook_events (processed_at_ms);

-- The relay stream position (its per-relay seq); one row.
CREATE TABLE tunnel_cursor (
  singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
  seq INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);

-- Content-addressed media files and which attachment keys (id or url) point at them.
CREATE TABLE media_files (
  content_hash TEXT PRIMARY KEY,
  path TEXT NOT NULL,
  size INTEGER NOT NULL,
  mime TEXT,
  last_access_ms INTEGER NOT NULL,
  stored_at_ms INTEGER NOT NULL
);
CREATE INDEX media_files_by_access ON media_files (last_access_ms, content_hash);
CREATE TABLE media_keys (
  media_key TEXT PRIMARY KEY,
  content_hash TEXT NOT NULL REFERENCES media_files (content_hash) ON DELETE CASCADE
) WITHOUT ROWID;
CREATE INDEX media_keys_by_hash ON media_keys (content_hash);

CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;

-- Full-text search. Contentless (the text lives in messages/chats), detail=none (we only AND prefix
-- tokens, never phrases) and prefix indexes so short prefixes do not merge thousands of term lists.
-- New messages are indexed by the repository, one ordered INSERT ... SELECT per batch
-- (MessageSearchIndexer): an FTS5 insert fired by a row trigger flushes FTS5's buffer once per row, which
-- made bulk ingest several times slower. Updates and deletes, rare and per row, stay with triggers.
CREATE VIRTUAL TABLE message_search USING fts5 (
  body, content = '', contentless_delete = 1, detail = none, prefix = '1 2 3 4',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER message_search_delete AFTER DELETE ON messages WHEN ${SEARCHABLE('old')} BEGIN
  DELETE FROM message_search WHERE rowid = ${SEARCH_KEY('old')};
END;
CREATE TRIGGER message_search_update AFTER UPDATE OF body, sort_at, external_deleted_at ON messages
WHEN old.body IS NOT new.body OR old.sort_at IS NOT new.sort_at OR old.external_deleted_at IS NOT new.external_deleted_at
BEGIN
  DELETE FROM message_search WHERE ${SEARCHABLE('old')} AND rowid = ${SEARCH_KEY('old')};
  INSERT INTO message_search (rowid, body) SELECT ${SEARCH_KEY('new')}, new.body WHERE ${SEARCHABLE('new')};
END;

CREATE VIRTUAL TABLE chat_search USING fts5 (
  participant_name, participant_username, content = '', contentless_delete = 1, detail = none,
  prefix = '1 2 3', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER chat_search_insert AFTER INSERT ON chats BEGIN
  INSERT INTO chat_search (rowid, participant_name, participant_username)
  VALUES (new.row_id, new.participant_name, new.participant_username);
END;
CREATE TRIGGER chat_search_delete AFTER DELETE ON chats BEGIN
  DELETE FROM chat_search WHERE rowid = old.row_id;
END;
CREATE TRIGGER chat_search_update AFTER UPDATE OF participant_name, participant_username ON chats
WHEN old.participant_name IS NOT new.participant_name OR old.participant_username IS NOT new.participant_username
BEGIN
  DELETE FROM chat_search WHERE rowid = old.row_id;
  INSERT INTO chat_search (rowid, participant_name, participant_username)
  VALUES (new.row_id, new.participant_name, new.participant_username);
END;
`

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema', up: (db) => db.exec(schemaV1) },
  { version: 2, name: 'outbox extras (reply-to, quick replies, buttons, card)', up: (db) => db.exec(OUTBOX_EXTRAS_SQL) },
  { version: 3, name: 'posts, comments and comment actions in the outbox', up: migrateToComments },
  { version: 4, name: 'triage, labels and saved replies', up: (db) => db.exec(TRIAGE_SCHEMA) }
]

export const LATEST_SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1].version

export function readSchemaVersion(db: BetterSqlite3.Database): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function newerVersionError(found: number, known: number): StoreError {
  return new StoreError(
    'newer_version',
    'This data was written by a newer version of dmdesk. Update the app to open it.',
    { detail: `database schema version ${found}, this build knows up to ${known}` }
  )
}

/**
 * Brings the database to the newest version in `migrations`, one transaction per migration.
 * Refuses (without writing) a database whose version is newer than the newest migration.
 */
export function runMigrations(db: BetterSqlite3.Database, migrations: readonly Migration[] = MIGRATIONS): number {
  assertOrdered(migrations)
  const known = migrations.length === 0 ? 0 : migrations[migrations.length - 1].version
  const current = readSchemaVersion(db)
  if (current > known) throw newerVersionError(current, known)
  for (const migration of migrations) {
    if (migration.version <= readSchemaVersion(db)) continue
    const apply = db.transaction(() => {
      migration.up(db)
      // A pragma cannot take a bound parameter; the version is an integer we control.
      db.pragma(`user_version = ${migration.version}`)
    })
    try {
      // IMMEDIATE: take the write lock first, so another process cannot migrate the same file concurrently.
      apply.immediate()
    } catch (cause) {
      throw new StoreError(
        'migration_failed',
        "dmdesk could not update its saved data to this version. Nothing was changed; your messages are safe. Try restarting the app.",
        { cause, detail: `migration ${migration.version} (${migration.name}) failed: ${String((cause as Error)?.message ?? cause)}` }
      )
    }
  }
  return readSchemaVersion(db)
}

function assertOrdered(migrations: readonly Migration[]): void {
  migrations.forEach((migration, index) => {
    if (migration.version !== index + 1) {
      throw new Error(`Migrations must be numbered 1, 2, 3… without gaps; found ${migration.version} at position ${index + 1}`)
    }
  })
}
