// Everything the simulator knows, in SQLite (in memory, or a file with `--data`).
// Each object is stored as its wire JSON (so unknown fields survive) next to the columns that are
// queried: scope (account, profile), lookups (native ids) and the sort keys of POSTPROXY.md §2.
// Every read takes the account, so another key's data is simply not found. Posts and comments live
// in post-store.ts (`state.posts`).
import type Database from 'better-sqlite3'
import type { Chat, Message, MessageDirection, MessageStatus, Page, Profile } from '../shared/postproxy.ts'
import type { IceBreaker } from '../shared/postproxy-interactive.ts'
import type { AccountId, SimMedia } from './contracts.ts'
import { PostStore } from './post-store.ts'
import type { PublicUrls } from './public-urls.ts'

export interface AccountRecord {
  id: AccountId
  apiKey: string
}

export interface StoredMedia {
  id: string
  account: AccountId
  mime: string
  filename: string | null
  bytes: Buffer
}

export interface ChatPageQuery {
  page: number
  perPage: number
  /** Exclusive bounds on the chat's activity time, in ms. */
  beforeMs: number | null
  afterMs: number | null
}

export interface MessagePageQuery {
  page: number
  perPage: number
  direction: MessageDirection | null
  status: MessageStatus | null
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS accounts (
  id TEXT PRIMARY KEY,
  api_key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS profiles (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  profile_group_id TEXT,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS profiles_by_account ON profiles (account);
CREATE TABLE IF NOT EXISTS chats (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  profile_id TEXT NOT NULL,
  participant_external_id TEXT NOT NULL,
  external_conversation_id TEXT,
  sort_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS chats_by_activity ON chats (profile_id, sort_at, seq);
CREATE UNIQUE INDEX IF NOT EXISTS chats_by_participant ON chats (profile_id, participant_external_id);
CREATE INDEX IF NOT EXISTS chats_by_conversation ON chats (external_conversation_id) WHERE external_conversation_id IS NOT NULL;
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  account TEXT NOT NULL,
  chat_id TEXT NOT NULL,
  external_id TEXT,
  direction TEXT NOT NULL,
  status TEXT NOT NULL,
  sort_at INTEGER NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS ice_breakers (
  profile_id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  data TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS media (
  id TEXT PRIMARY KEY,
  account TEXT NOT NULL,
  mime TEXT NOT NULL,
  filename TEXT,
  bytes BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS sim_settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);
`

/** The message indexes, apart so a bulk load can build them once at the end instead of row by row. */
const MESSAGE_INDEXES = `
CREATE INDEX IF NOT EXISTS messages_by_time ON messages (chat_id, sort_at, seq);
CREATE INDEX IF NOT EXISTS messages_by_external_id ON messages (external_id) WHERE external_id IS NOT NULL;
CREATE INDEX IF NOT EXISTS messages_unsettled ON messages (status) WHERE status IN ('pending', 'failed_waiting_for_retry');
`
const MESSAGE_INDEX_NAMES = ['messages_by_time', 'messages_by_external_id', 'messages_unsettled']
/** From this many new messages on, building the indexes afterwards is cheaper than maintaining them. */
const BULK_LOAD_THRESHOLD = 50_000

function isoToMs(iso: string | null | undefined): number | null {
  if (!iso) return null
  const ms = Date.parse(iso)
  return Number.isNaN(ms) ? null : ms
}

/** Chats sort by activity; a chat nobody has written in yet sorts by its creation. */
function chatSortKey(chat: Chat): number {
  return isoToMs(chat.last_message_at) ?? isoToMs(chat.created_at) ?? 0
}

/** Messages sort by when the platform posted them; pending ones (not posted yet) by creation. */
function messageSortKey(message: Message): number {
  return isoToMs(message.external_posted_at) ?? isoToMs(message.created_at) ?? 0
}

/**
 * The contract v2 fields every Message carries, null when absent (not []): messages stored before
 * they existed (a --data file, bulk scenario data) read with them too.
 */
const MESSAGE_V2_DEFAULTS = { reply_to_external_id: null, quick_replies: null, buttons: null, card: null, tapped_action: null, reply_markup: null }

/** A chat's server-side archive exists on Bluesky only; elsewhere `archived` is null. */
function withArchived(chat: Chat): Chat {
  if (chat.archived !== undefined) return chat
  return { ...chat, archived: chat.platform === 'bluesky' ? false : null }
}

export class SimState {
  readonly db: Database.Database
  readonly urls: PublicUrls
  /** Posts and their comments. */
  readonly posts: PostStore
  readonly #statements: ReturnType<typeof prepareStatements>

  constructor(db: Database.Database, urls: PublicUrls) {
    this.db = db
    this.urls = urls
    db.exec(SCHEMA)
    db.exec(MESSAGE_INDEXES)
    this.posts = new PostStore(db, urls)
    this.#statements = prepareStatements(db)
  }

  transaction<T>(work: () => T): T {
    return this.db.transaction(work)()
  }

  /**
   * One transaction for loading data. For a large load the message indexes are dropped and built
   * again at the end, which cost about a fifth less CPU for a million messages when measured.
   */
  bulkLoad<T>(expectedMessages: number, work: () => T): T {
    if (expectedMessages < BULK_LOAD_THRESHOLD) return this.transaction(work)
    return this.transaction(() => {
      for (const name of MESSAGE_INDEX_NAMES) this.db.exec(`DROP INDEX IF EXISTS ${name}`)
      const result = work()
      this.db.exec(MESSAGE_INDEXES)
      return result
    })
  }

  // --- accounts -----------------------------------------------------------------------------

  addAccount(account: AccountRecord): void {
    this.#statements.insertAccount.run(account.id, account.apiKey)
  }

  setApiKey(account: AccountId, apiKey: string): void {
    this.#statements.setApiKey.run(apiKey, account)
  }

  accountForKey(apiKey: string): AccountId | null {
    const row = this.#statements.accountByKey.get(apiKey) as { id: string } | undefined
    return row?.id ?? null
  }

  accounts(): AccountRecord[] {
    return (this.#statements.allAccounts.all() as { id: string; api_key: string }[]).map((row) => ({ id: row.id, apiKey: row.api_key }))
  }

  // --- settings (survive a restart with --data) ----------------------------------------------

  setting(key: string): string | null {
    const row = this.#statements.getSetting.get(key) as { value: string } | undefined
    return row?.value ?? null
  }

  setSetting(key: string, value: string): void {
    this.#statements.putSetting.run(key, value)
  }

  // --- profiles -----------------------------------------------------------------------------

  putProfile(account: AccountId, profile: Profile): void {
    const stored = this.urls.profile(profile, 'stored')
    this.#statements.putProfile.run(profile.id, account, profile.profile_group_id ?? null, JSON.stringify(stored))
  }

  profiles(account: AccountId): Profile[] {
    return (this.#statements.profilesOf.all(account) as { data: string }[]).map((row) => this.#profileFrom(row.data))
  }

  profile(account: AccountId, profileId: string): Profile | null {
    const row = this.#statements.profileById.get(profileId, account) as { data: string } | undefined
    return row ? this.#profileFrom(row.data) : null
  }

  // --- chats --------------------------------------------------------------------------------

  putChat(account: AccountId, chat: Chat): void {
    this.#statements.putChat.run(
      chat.id,
      account,
      chat.profile_id,
      chat.participant_external_id,
      chat.external_conversation_id ?? null,
      chatSortKey(chat),
      JSON.stringify(this.urls.chat(chat, 'stored'))
    )
  }

  /** By hashid or by the platform's conversation id. */
  chat(account: AccountId, idOrConversationId: string): Chat | null {
    const row = (this.#statements.chatById.get(idOrConversationId, account) ??
      this.#statements.chatByConversation.get(idOrConversationId, account)) as { data: string } | undefined
    return row ? this.#chatFrom(row.data) : null
  }

  chatWithParticipant(account: AccountId, profileId: string, participantExternalId: string): Chat | null {
    const row = this.#statements.chatByParticipant.get(profileId, participantExternalId, account) as { data: string } | undefined
    return row ? this.#chatFrom(row.data) : null
  }

  /** The caller has checked that the profile is in scope. */
  chatPage(profileId: string, query: ChatPageQuery): Page<Chat> {
    const params = {
      profile_id: profileId,
      before: query.beforeMs ?? Number.MAX_SAFE_INTEGER,
      after: query.afterMs ?? Number.MIN_SAFE_INTEGER,
      limit: query.perPage,
      offset: query.page * query.perPage
    }
    const { total } = this.#statements.countChats.get(params) as { total: number }
    const rows = this.#statements.pageChats.all(params) as { data: string }[]
    return { total, page: query.page, per_page: query.perPage, data: rows.map((row) => this.#chatFrom(row.data)) }
  }

  /** Every chat of a profile, newest activity first (control API, personas, state dump). */
  allChats(account: AccountId, profileId: string): Chat[] {
    return (this.#statements.allChatsOf.all(profileId, account) as { data: string }[]).map((row) => this.#chatFrom(row.data))
  }

  // --- messages -----------------------------------------------------------------------------

  /** Creates or replaces a message. */
  putMessage(account: AccountId, message: Message): void {
    this.#statements.putMessage.run(...this.#messageRow(account, message))
  }

  /** Adds a new message (scenario loading): no upsert, the cheapest write for bulk data. */
  insertMessage(account: AccountId, message: Message): void {
    this.#statements.insertMessage.run(...this.#messageRow(account, message))
  }

  #messageRow(account: AccountId, message: Message) {
    return [
      message.id,
      account,
      message.chat_id,
      message.external_id ?? null,
      message.direction,
      message.status,
      messageSortKey(message),
      JSON.stringify(this.urls.message(message, 'stored'))
    ] as const
  }

  /** By hashid or by the platform's message id (`mid.…`). */
  message(account: AccountId, idOrExternalId: string): Message | null {
    const row = (this.#statements.messageById.get(idOrExternalId, account) ??
      this.#statements.messageByExternalId.get(idOrExternalId, account)) as { data: string } | undefined
    return row ? this.#messageFrom(row.data) : null
  }

  /** The caller has checked that the chat is in scope. */
  messagePage(chatId: string, query: MessagePageQuery): Page<Message> {
    const params = {
      chat_id: chatId,
      direction: query.direction,
      status: query.status,
      limit: query.perPage,
      offset: query.page * query.perPage
    }
    const { total } = this.#statements.countMessages.get(params) as { total: number }
    const rows = this.#statements.pageMessages.all(params) as { data: string }[]
    return { total, page: query.page, per_page: query.perPage, data: rows.map((row) => this.#messageFrom(row.data)) }
  }

  /** Newest first. */
  recentMessages(chatId: string, limit: number): Message[] {
    return (this.#statements.recentMessages.all(chatId, limit) as { data: string }[]).map((row) => this.#messageFrom(row.data))
  }

  /** Outbound messages whose delivery had not finished (to resume them after a restart). */
  unsettledMessages(): { account: AccountId; message: Message }[] {
    return (this.#statements.unsettledMessages.all() as { account: string; data: string }[]).map((row) => ({
      account: row.account,
      message: this.#messageFrom(row.data)
    }))
  }

  // --- ice breakers -------------------------------------------------------------------------

  /** The profile's ice breakers; [] when none are set. The caller has scoped the profile. */
  iceBreakers(profileId: string): IceBreaker[] {
    const row = this.#statements.iceBreakersOf.get(profileId) as { data: string } | undefined
    return row ? (JSON.parse(row.data) as IceBreaker[]) : []
  }

  /** Replaces the profile's ice breakers; null or [] removes them. */
  setIceBreakers(account: AccountId, profileId: string, iceBreakers: IceBreaker[] | null): void {
    if (!iceBreakers || iceBreakers.length === 0) this.#statements.deleteIceBreakers.run(profileId, account)
    else this.#statements.putIceBreakers.run(profileId, account, JSON.stringify(iceBreakers))
  }

  // --- media --------------------------------------------------------------------------------

  putMedia(account: AccountId, mediaId: string, media: SimMedia): void {
    this.#statements.putMedia.run(mediaId, account, media.mime, media.filename ?? null, Buffer.from(media.bytes))
  }

  /** Media is served without a key (it is a public URL), so this lookup is not scoped. */
  media(mediaId: string): StoredMedia | null {
    const row = this.#statements.mediaById.get(mediaId) as
      | { id: string; account: string; mime: string; filename: string | null; bytes: Buffer }
      | undefined
    return row ? { id: row.id, account: row.account, mime: row.mime, filename: row.filename, bytes: row.bytes } : null
  }

  // --- whole-account operations -------------------------------------------------------------

  counts(account: AccountId): { profiles: number; chats: number; messages: number; posts: number; comments: number; media: number } {
    return this.#statements.countsOf.get({ account }) as {
      profiles: number
      chats: number
      messages: number
      posts: number
      comments: number
      media: number
    }
  }

  /** Deletes the account's data (not its key, not its webhooks) before a scenario is loaded again. */
  clearAccountData(account: AccountId): void {
    this.transaction(() => {
      for (const table of ['messages', 'chats', 'post_comments', 'posts', 'ice_breakers', 'media', 'profiles']) {
        this.db.prepare(`DELETE FROM ${table} WHERE account = ?`).run(account)
      }
    })
  }

  /** With `post_count`, the number of posts the simulator holds for the profile. */
  #profileFrom(data: string): Profile {
    const profile = this.urls.profile(JSON.parse(data) as Profile, 'public')
    return { ...profile, post_count: this.posts.postCount(profile.id) }
  }

  #chatFrom(data: string): Chat {
    return withArchived(this.urls.chat(JSON.parse(data) as Chat, 'public'))
  }

  #messageFrom(data: string): Message {
    return this.urls.message({ ...MESSAGE_V2_DEFAULTS, ...(JSON.parse(data) as Message) }, 'public')
  }
}

function prepareStatements(db: Database.Database) {
  return {
    insertAccount: db.prepare('INSERT INTO accounts (id, api_key) VALUES (?, ?)'),
    setApiKey: db.prepare('UPDATE accounts SET api_key = ? WHERE id = ?'),
    accountByKey: db.prepare('SELECT id FROM accounts WHERE api_key = ?'),
    allAccounts: db.prepare('SELECT id, api_key FROM accounts ORDER BY rowid'),
    getSetting: db.prepare('SELECT value FROM sim_settings WHERE key = ?'),
    putSetting: db.prepare('INSERT INTO sim_settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value'),

    putProfile: db.prepare(
      `INSERT INTO profiles (id, account, profile_group_id, data) VALUES (?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, profile_group_id = excluded.profile_group_id, data = excluded.data`
    ),
    profilesOf: db.prepare('SELECT data FROM profiles WHERE account = ? ORDER BY rowid'),
    profileById: db.prepare('SELECT data FROM profiles WHERE id = ? AND account = ?'),

    putChat: db.prepare(
      `INSERT INTO chats (id, account, profile_id, participant_external_id, external_conversation_id, sort_at, data)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, profile_id = excluded.profile_id,
         participant_external_id = excluded.participant_external_id,
         external_conversation_id = excluded.external_conversation_id, sort_at = excluded.sort_at, data = excluded.data`
    ),
    chatById: db.prepare('SELECT data FROM chats WHERE id = ? AND account = ?'),
    chatByConversation: db.prepare('SELECT data FROM chats WHERE external_conversation_id = ? AND account = ? LIMIT 1'),
    chatByParticipant: db.prepare('SELECT data FROM chats WHERE profile_id = ? AND participant_external_id = ? AND account = ?'),
    countChats: db.prepare(
      `SELECT count(*) AS total FROM chats
       WHERE profile_id = @profile_id AND sort_at < @before AND sort_at > @after`
    ),
    pageChats: db.prepare(
      `SELECT data FROM chats
       WHERE profile_id = @profile_id AND sort_at < @before AND sort_at > @after
       ORDER BY sort_at DESC, seq DESC LIMIT @limit OFFSET @offset`
    ),
    allChatsOf: db.prepare('SELECT data FROM chats WHERE profile_id = ? AND account = ? ORDER BY sort_at DESC, seq DESC'),

    putMessage: db.prepare(
      `INSERT INTO messages (id, account, chat_id, external_id, direction, status, sort_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, chat_id = excluded.chat_id,
         external_id = excluded.external_id, direction = excluded.direction, status = excluded.status,
         sort_at = excluded.sort_at, data = excluded.data`
    ),
    insertMessage: db.prepare(
      'INSERT INTO messages (id, account, chat_id, external_id, direction, status, sort_at, data) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'
    ),
    messageById: db.prepare('SELECT data FROM messages WHERE id = ? AND account = ?'),
    messageByExternalId: db.prepare('SELECT data FROM messages WHERE external_id = ? AND account = ? LIMIT 1'),
    countMessages: db.prepare(
      `SELECT count(*) AS total FROM messages
       WHERE chat_id = @chat_id AND (@direction IS NULL OR direction = @direction) AND (@status IS NULL OR status = @status)`
    ),
    pageMessages: db.prepare(
      `SELECT data FROM messages
       WHERE chat_id = @chat_id AND (@direction IS NULL OR direction = @direction) AND (@status IS NULL OR status = @status)
       ORDER BY sort_at DESC, seq DESC LIMIT @limit OFFSET @offset`
    ),
    recentMessages: db.prepare('SELECT data FROM messages WHERE chat_id = ? ORDER BY sort_at DESC, seq DESC LIMIT ?'),
    unsettledMessages: db.prepare(
      `SELECT account, data FROM messages WHERE status IN ('pending', 'failed_waiting_for_retry') ORDER BY seq`
    ),

    iceBreakersOf: db.prepare('SELECT data FROM ice_breakers WHERE profile_id = ?'),
    putIceBreakers: db.prepare(
      `INSERT INTO ice_breakers (profile_id, account, data) VALUES (?, ?, ?)
       ON CONFLICT (profile_id) DO UPDATE SET account = excluded.account, data = excluded.data`
    ),
    deleteIceBreakers: db.prepare('DELETE FROM ice_breakers WHERE profile_id = ? AND account = ?'),

    putMedia: db.prepare(
      `INSERT INTO media (id, account, mime, filename, bytes) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET account = excluded.account, mime = excluded.mime, filename = excluded.filename, bytes = excluded.bytes`
    ),
    mediaById: db.prepare('SELECT id, account, mime, filename, bytes FROM media WHERE id = ?'),

    countsOf: db.prepare(
      `SELECT (SELECT count(*) FROM profiles WHERE account = @account) AS profiles,
              (SELECT count(*) FROM chats WHERE account = @account) AS chats,
              (SELECT count(*) FROM messages WHERE account = @account) AS messages,
              (SELECT count(*) FROM posts WHERE account = @account) AS posts,
              (SELECT count(*) FROM post_comments WHERE account = @account) AS comments,
              (SELECT count(*) FROM media WHERE account = @account) AS media`
    )
  }
}
