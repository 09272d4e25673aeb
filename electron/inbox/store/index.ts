// The local SQLite cache: the single source of truth for everything the inbox shows.
// `openStore(path)` opens (creating and migrating) the file and returns the typed repositories.
import { openDatabase, type OpenDatabaseOptions, type StoreDatabase } from './database.ts'
import { ChatsRepository } from './chats.ts'
import { CommentsRepository } from './comments.ts'
import { DraftsRepository } from './drafts.ts'
import { LabelsRepository } from './labels.ts'
import { MediaIndexRepository } from './media-index.ts'
import { MessagesRepository } from './messages.ts'
import { OutboxRepository } from './outbox.ts'
import { PostsRepository } from './posts.ts'
import { ProfilesRepository } from './profiles.ts'
import { SavedRepliesRepository } from './saved-replies.ts'
import { SearchRepository, type SearchOptions, type SearchResults } from './search.ts'
import { SettingsRepository } from './settings.ts'
import type { StoreEventName, StoreListener } from './store-events.ts'
import { SyncStateRepository } from './sync-state.ts'
import { TriageRepository } from './triage.ts'
import { WebhookEventsRepository, type ApplyOutcome } from './webhook-events.ts'

export type InboxStore = {
  readonly path: string
  readonly profiles: ProfilesRepository
  readonly chats: ChatsRepository
  readonly messages: MessagesRepository
  readonly outbox: OutboxRepository
  readonly drafts: DraftsRepository
  readonly syncState: SyncStateRepository
  readonly webhookEvents: WebhookEventsRepository
  readonly mediaIndex: MediaIndexRepository
  readonly settings: SettingsRepository
  readonly posts: PostsRepository
  readonly comments: CommentsRepository
  readonly triage: TriageRepository
  readonly labels: LabelsRepository
  readonly savedReplies: SavedRepliesRepository
  search(query: string, options?: SearchOptions): SearchResults
  /** Runs `fn` (synchronous) atomically; repository calls inside join the transaction. */
  transaction<T>(fn: () => T): T
  /** Applies a relayed webhook event exactly once; see WebhookEventsRepository.applyInTransaction. */
  applyInTransaction<T>(eventId: string, cursor: number | null, fn: () => T): ApplyOutcome<T>
  /** Subscribes to change notifications (sent after commit). Returns the unsubscribe function. */
  on<E extends StoreEventName>(event: E, listener: StoreListener<E>): () => void
  /** How the connection is configured, for diagnostics. */
  connectionSettings(): { journalMode: string; synchronous: number; foreignKeys: boolean; busyTimeoutMs: number; schemaVersion: number; pageCacheKib: number }
  /** `PRAGMA integrity_check`: ['ok'] when the file is sound. */
  integrityCheck(): string[]
  close(): void
}

export type OpenStoreOptions = OpenDatabaseOptions

export function openStore(path: string, options: OpenStoreOptions = {}): InboxStore {
  const db = openDatabase(path, options)
  const chats = new ChatsRepository(db)
  const messages = new MessagesRepository(db, chats)
  const webhookEvents = new WebhookEventsRepository(db)
  const search = new SearchRepository(db)
  return {
    path,
    profiles: new ProfilesRepository(db),
    chats,
    messages,
    outbox: new OutboxRepository(db, messages, chats),
    drafts: new DraftsRepository(db),
    syncState: new SyncStateRepository(db),
    webhookEvents,
    mediaIndex: new MediaIndexRepository(db),
    settings: new SettingsRepository(db),
    posts: new PostsRepository(db),
    comments: new CommentsRepository(db),
    triage: new TriageRepository(db),
    labels: new LabelsRepository(db),
    savedReplies: new SavedRepliesRepository(db),
    search: (query, searchOptions) => search.search(query, searchOptions),
    transaction: (fn) => db.transaction(fn),
    applyInTransaction: (eventId, cursor, fn) => webhookEvents.applyInTransaction(eventId, cursor, fn),
    on: (event, listener) => db.events.on(event, listener),
    connectionSettings: () => ({
      journalMode: db.connection.pragma('journal_mode', { simple: true }) as string,
      synchronous: db.connection.pragma('synchronous', { simple: true }) as number,
      foreignKeys: db.connection.pragma('foreign_keys', { simple: true }) === 1,
      busyTimeoutMs: db.connection.pragma('busy_timeout', { simple: true }) as number,
      schemaVersion: db.connection.pragma('user_version', { simple: true }) as number,
      pageCacheKib: pageCacheKib(db.connection)
    }),
    integrityCheck: () => (db.connection.pragma('integrity_check') as { integrity_check: string }[]).map((row) => row.integrity_check),
    close: () => db.close()
  }
}

/** `PRAGMA cache_size` in KiB: negative means KiB already, positive a number of pages. */
function pageCacheKib(connection: StoreDatabase['connection']): number {
  const size = connection.pragma('cache_size', { simple: true }) as number
  return size < 0 ? -size : (size * (connection.pragma('page_size', { simple: true }) as number)) / 1024
}

export { StoreError, type StoreErrorCode } from './store-error.ts'
export { LATEST_SCHEMA_VERSION, MIGRATIONS, runMigrations, type Migration } from './migrations.ts'
export type { StoreEventMap, StoreEventName, StoreListener } from './store-events.ts'
export type { ChatCursor, ChatListItem, ChatListOptions, ChatPage, ChatTriage, ChatView, MessagePreview, UpsertChatsResult } from './chats.ts'
export type { ChatTriageRow, PutAwayKind, ReturnReason } from './triage.ts'
export type { ChatLabelRow, LabelRow } from './labels.ts'
export type { SavedReplyInput, SavedReplyRecord } from './saved-replies.ts'
export type { LocalSendInput, MessageRef, StoredMessage, ThreadCursor, ThreadPage, UpsertMessagesResult } from './messages.ts'
export { chatLane, commentLane } from './outbox.ts'
export type {
  EnqueueActionInput,
  EnqueueSendInput,
  OutboxActionKind,
  OutboxExtras,
  OutboxFilter,
  OutboxItem,
  OutboxKind,
  OutboxMedia,
  OutboxState
} from './outbox.ts'
export { GLOBAL_SCOPE } from './sync-state.ts'
export type { CommentChat, CommentFeedCursor, CommentFeedFilter, CommentInput, CommentSearchRow, CommentSource, StoredComment, UpsertCommentsResult } from './comments.ts'
export type { PostInput, StoredPost } from './posts.ts'
export type { ApplyOutcome } from './webhook-events.ts'
export type { MediaFile, RecordMediaInput } from './media-index.ts'
export type { ChatSearchHit, MessageSearchHit, SearchOptions, SearchResults } from './search.ts'
export type { Highlight, Snippet } from './search-query.ts'
