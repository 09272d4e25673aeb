// The schema of the creator's own working state, added by one migration (see migrations.ts): triage
// (done, snoozed, pinned, and why a chat came back), labels, and saved replies. Instagram has no archive
// API for DMs, so all of this is local. It lives in its own tables keyed by chat id: a sync's upsert of a
// chat rewrites the chats row's server columns and never touches these.

/** The bucket a chat's triage row puts it in (see chats.triage_bucket below), 0 without a row. */
const BUCKET_OF = (chatId: string) => `coalesce((SELECT CASE t.put_away WHEN 'done' THEN 3 WHEN 'snoozed' THEN 2
    ELSE (t.pinned_at_ms IS NOT NULL) END FROM chat_triage t WHERE t.chat_id = ${chatId}), 0)`

export const TRIAGE_SCHEMA = `
CREATE TABLE chat_triage (
  chat_id TEXT PRIMARY KEY REFERENCES chats (id) ON DELETE CASCADE,
  -- 'done' or 'snoozed' while the chat is put away; NULL while it is in the inbox.
  put_away TEXT CHECK (put_away IN ('done', 'snoozed')),
  -- When a snooze ends (epoch ms, app clock).
  snoozed_until_ms INTEGER,
  put_away_at_ms INTEGER,
  -- The chat's newest inbound message position (sort_at, row_id) when it was put away: an inbound
  -- message past it means the person wrote again, which brings the chat back.
  put_away_inbound_sort_at INTEGER NOT NULL DEFAULT 0,
  put_away_inbound_row_id INTEGER NOT NULL DEFAULT 0,
  -- Why a put-away chat came back ('snooze_ended' or 'wrote_again'), shown on its row until the creator
  -- replies or puts it away again.
  returned_reason TEXT CHECK (returned_reason IN ('snooze_ended', 'wrote_again')),
  returned_at_ms INTEGER,
  pinned_at_ms INTEGER,
  CHECK ((put_away IS 'snoozed') = (snoozed_until_ms IS NOT NULL))
) WITHOUT ROWID;
CREATE INDEX chat_triage_snoozed ON chat_triage (snoozed_until_ms) WHERE put_away = 'snoozed';

-- Which list a chat shows in, as a sort-key column of chats so that every view (Inbox with its pinned
-- chats on top, Snoozed, Done) is one range of one index in activity order, however many chats are
-- put away: 0 inbox, 1 pinned (in the inbox), 2 snoozed, 3 done. Derived from chat_triage by the
-- triggers below and never written by any repository, so a chat upsert cannot reset it.
ALTER TABLE chats ADD COLUMN triage_bucket INTEGER NOT NULL DEFAULT 0;
CREATE INDEX chats_by_profile_bucket_activity ON chats (profile_id, triage_bucket, activity_ms, id);
CREATE INDEX chats_by_bucket_activity ON chats (triage_bucket, activity_ms, id);

-- Each reads the row as it is after the statement (not NEW): triggers on one row may fire in any order,
-- and the last one to run must see the final state.
CREATE TRIGGER chat_triage_bucket_insert AFTER INSERT ON chat_triage BEGIN
  UPDATE chats SET triage_bucket = ${BUCKET_OF('new.chat_id')} WHERE id = new.chat_id;
END;
CREATE TRIGGER chat_triage_bucket_update AFTER UPDATE OF put_away, pinned_at_ms ON chat_triage BEGIN
  UPDATE chats SET triage_bucket = ${BUCKET_OF('new.chat_id')} WHERE id = new.chat_id;
END;
CREATE TRIGGER chat_triage_bucket_delete AFTER DELETE ON chat_triage BEGIN
  UPDATE chats SET triage_bucket = 0 WHERE id = old.chat_id;
END;

-- The person wrote again: whichever path stored the message (a poll, a webhook through the tunnel, a
-- reconcile), the chat's newest inbound position moves past the put-away marker in the same transaction,
-- and the chat comes back to the inbox saying why. updated_at_ms is the store clock of that write.
CREATE TRIGGER chat_triage_wrote_again AFTER UPDATE OF newest_inbound_sort_at, newest_inbound_row_id ON chats
WHEN new.newest_inbound_sort_at IS NOT NULL
BEGIN
  UPDATE chat_triage SET put_away = NULL, snoozed_until_ms = NULL, returned_reason = 'wrote_again', returned_at_ms = new.updated_at_ms
  WHERE chat_id = new.id AND put_away IS NOT NULL
    AND (new.newest_inbound_sort_at, new.newest_inbound_row_id) > (put_away_inbound_sort_at, put_away_inbound_row_id);
END;
-- The same for a put-away row written back (an undo): if the person wrote again since its marker, the
-- chat comes back at once instead of hiding a message nobody has seen.
CREATE TRIGGER chat_triage_wrote_again_restored AFTER INSERT ON chat_triage
WHEN new.put_away IS NOT NULL
BEGIN
  UPDATE chat_triage SET put_away = NULL, snoozed_until_ms = NULL, returned_reason = 'wrote_again',
    returned_at_ms = (SELECT c.updated_at_ms FROM chats c WHERE c.id = new.chat_id)
  WHERE chat_id = new.chat_id AND EXISTS (
    SELECT 1 FROM chats c WHERE c.id = new.chat_id AND c.newest_inbound_sort_at IS NOT NULL
      AND (c.newest_inbound_sort_at, c.newest_inbound_row_id) > (new.put_away_inbound_sort_at, new.put_away_inbound_row_id));
END;

CREATE TABLE labels (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL UNIQUE COLLATE NOCASE,
  -- A key of shared/label-palette.ts (the colours are contrast-checked there, per theme).
  color TEXT NOT NULL,
  position INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL
);

CREATE TABLE chat_labels (
  chat_id TEXT NOT NULL REFERENCES chats (id) ON DELETE CASCADE,
  label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,
  added_at_ms INTEGER NOT NULL,
  PRIMARY KEY (chat_id, label_id)
) WITHOUT ROWID;
CREATE INDEX chat_labels_by_label ON chat_labels (label_id, chat_id);

CREATE TABLE saved_replies (
  id INTEGER PRIMARY KEY,
  title TEXT NOT NULL,
  body TEXT NOT NULL,
  -- JSON arrays as Postproxy takes them (POSTPROXY.md §9), or NULL.
  quick_replies TEXT,
  buttons TEXT,
  position INTEGER NOT NULL,
  created_at_ms INTEGER NOT NULL,
  updated_at_ms INTEGER NOT NULL
);
CREATE INDEX saved_replies_by_position ON saved_replies (position, id);
`
