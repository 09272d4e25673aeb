// The schema of comments and private replies (issue #10), added by migration 3 (see migrations.ts):
// the profile's posts and the comments on them (cached so the Comments view reads offline, and searchable),
// and the outbox widened from "messages to send" to "actions to deliver" — a message, or an action on a
// comment (private reply, public reply, hide, unhide, like, unlike) — so every write to Postproxy goes
// through one durable queue with one Idempotency-Key per action.
import type BetterSqlite3 from 'better-sqlite3'

/** What the outbox delivers. The first two are messages in a chat; the others act on a comment. */
export const OUTBOX_KINDS = ['text', 'media', 'private_reply', 'public_reply', 'hide_comment', 'unhide_comment', 'like_comment', 'unlike_comment'] as const

const TEXT_SEARCHABLE = (row: string) => `(${row}.body IS NOT NULL)`

const POSTS_AND_COMMENTS = `
CREATE TABLE posts (
  id TEXT PRIMARY KEY,
  -- The profile it went out on; NULL until Postproxy says (through the post, or a comment on it).
  profile_id TEXT,
  platform TEXT,
  caption TEXT,
  permalink TEXT,
  -- Its first image: the media cache keys it by this id (and its URL), so the thumbnail reads offline.
  image_key TEXT,
  image_url TEXT,
  created_at TEXT,
  raw TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX posts_by_image_key ON posts (image_key) WHERE image_key IS NOT NULL;

CREATE TABLE comments (
  row_id INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  -- Instagram's own id: what a reply's parent_external_id and a private reply's external_comment_id name.
  external_id TEXT,
  post_id TEXT NOT NULL,
  -- NULL while the post's profile is unknown (a comment.created on a post the cache has not seen).
  profile_id TEXT,
  platform TEXT,
  parent_external_id TEXT,
  body TEXT,
  author_external_id TEXT,
  author_username TEXT,
  author_name TEXT,
  author_avatar_url TEXT,
  like_count INTEGER NOT NULL DEFAULT 0,
  liked_by_business INTEGER NOT NULL DEFAULT 0,
  is_hidden INTEGER NOT NULL DEFAULT 0,
  -- Written by the creator's own account.
  is_own INTEGER NOT NULL DEFAULT 0,
  permalink TEXT,
  posted_at TEXT,
  created_at TEXT NOT NULL,
  -- Feed order in epoch ms: when Postproxy received it (created_at), as GET /api/comments orders.
  sort_at INTEGER NOT NULL,
  -- 1 on a comment the feed lists as a thread: a top-level comment, or a reply whose parent the cache lacks.
  is_root INTEGER NOT NULL,
  -- On a root: the newest sort_at in its thread (itself and its replies); the feed's order.
  thread_activity_ms INTEGER NOT NULL,
  -- On a root: the creator answered it in public (a reply of their own in the thread).
  replied_publicly INTEGER NOT NULL DEFAULT 0,
  -- Not seen in the Comments view yet.
  unread INTEGER NOT NULL DEFAULT 0,
  -- The server's keys that have no column here.
  raw TEXT NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX comments_feed ON comments (profile_id, thread_activity_ms, row_id) WHERE is_root = 1;
CREATE INDEX comments_by_external_id ON comments (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX comments_by_parent ON comments (parent_external_id, sort_at) WHERE parent_external_id IS NOT NULL;
CREATE INDEX comments_by_author ON comments (author_external_id, sort_at) WHERE author_external_id IS NOT NULL;
CREATE INDEX comments_by_post ON comments (post_id);
CREATE INDEX comments_unread ON comments (profile_id) WHERE unread = 1;

-- A private reply is a message whose external_comment_id names the comment: "already answered" is one lookup.
CREATE INDEX messages_by_comment ON messages (external_comment_id) WHERE external_comment_id IS NOT NULL;
-- "Does this commenter have a chat?": one lookup per comment shown.
CREATE INDEX chats_by_participant ON chats (participant_external_id, profile_id);

-- Full-text search over comments, like message_search (contentless, prefix indexes).
CREATE VIRTUAL TABLE comment_search USING fts5 (
  body, content = '', contentless_delete = 1, detail = none, prefix = '1 2 3 4',
  tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER comment_search_insert AFTER INSERT ON comments WHEN ${TEXT_SEARCHABLE('new')} BEGIN
  INSERT INTO comment_search (rowid, body) VALUES (new.row_id, new.body);
END;
CREATE TRIGGER comment_search_delete AFTER DELETE ON comments WHEN ${TEXT_SEARCHABLE('old')} BEGIN
  DELETE FROM comment_search WHERE rowid = old.row_id;
END;
CREATE TRIGGER comment_search_update AFTER UPDATE OF body ON comments WHEN old.body IS NOT new.body BEGIN
  DELETE FROM comment_search WHERE ${TEXT_SEARCHABLE('old')} AND rowid = old.row_id;
  INSERT INTO comment_search (rowid, body) SELECT new.row_id, new.body WHERE ${TEXT_SEARCHABLE('new')};
END;
`

/** The outbox's columns after this migration, in order. */
const OUTBOX_COLUMNS = `
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  local_id TEXT NOT NULL UNIQUE,
  -- What goes out in order: a chat's messages one after another ('chat:<id>'), a comment's actions one
  -- after another ('comment:<id>'). Lanes never wait for each other.
  lane TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN (${OUTBOX_KINDS.map((k) => `'${k}'`).join(', ')})),
  chat_id TEXT REFERENCES chats (id) ON DELETE CASCADE,
  body TEXT,
  media_path TEXT,
  media_mime TEXT,
  media_size INTEGER,
  tag TEXT,
  -- A message's reply-to, quick replies, buttons and card as JSON (migration 2); NULL when none.
  extras TEXT,
  -- What an action on a comment needs to go out, as JSON: the comment, its post and profile.
  payload TEXT,
  idempotency_key TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL CHECK (state IN ('queued', 'sending', 'sent', 'failed')),
  attempts INTEGER NOT NULL DEFAULT 0,
  last_error TEXT,
  server_message_id TEXT,
  created_at_ms INTEGER NOT NULL,
  next_attempt_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL`

const OUTBOX_CHECK = `
  CHECK ((kind = 'text' AND chat_id IS NOT NULL AND body IS NOT NULL AND media_path IS NULL)
      OR (kind = 'media' AND chat_id IS NOT NULL AND media_path IS NOT NULL AND body IS NULL)
      OR (kind IN ('private_reply', 'public_reply') AND payload IS NOT NULL AND body IS NOT NULL AND media_path IS NULL)
      OR (kind IN ('hide_comment', 'unhide_comment', 'like_comment', 'unlike_comment') AND payload IS NOT NULL AND body IS NULL AND media_path IS NULL))`

/** The columns of the version-2 outbox (migrations 1 and 2), all kept with their name and meaning. */
const CARRIED_OUTBOX_COLUMNS = [
  'seq', 'local_id', 'kind', 'chat_id', 'body', 'media_path', 'media_mime', 'media_size', 'tag', 'extras', 'idempotency_key', 'state',
  'attempts', 'last_error', 'server_message_id', 'created_at_ms', 'next_attempt_at_ms', 'updated_at_ms'
].join(', ')

/**
 * SQLite cannot relax a CHECK or a NOT NULL in place, so the outbox is rebuilt: every queued, failed and
 * sent row keeps its seq, key, state and extras (messages take the lane of their chat).
 */
function widenOutbox(db: BetterSqlite3.Database): void {
  db.exec(`
    CREATE TABLE outbox_widened (${OUTBOX_COLUMNS},${OUTBOX_CHECK}
    );
    INSERT INTO outbox_widened (lane, ${CARRIED_OUTBOX_COLUMNS})
      SELECT 'chat:' || chat_id, ${CARRIED_OUTBOX_COLUMNS} FROM outbox ORDER BY seq;
    DROP TABLE outbox;
    ALTER TABLE outbox_widened RENAME TO outbox;
    CREATE INDEX outbox_by_state ON outbox (state, next_attempt_at_ms, seq);
    CREATE INDEX outbox_by_chat ON outbox (chat_id, seq);
    CREATE INDEX outbox_by_lane ON outbox (lane, seq);
  `)
}

export function migrateToComments(db: BetterSqlite3.Database): void {
  db.exec(POSTS_AND_COMMENTS)
  widenOutbox(db)
}
