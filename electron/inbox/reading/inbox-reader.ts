// Reading the inbox from the cache: the chat list (with its filters), search, and thread pages, which
// fetch older history from Postproxy only past what is cached. Everything is shaped into the view
// models of shared/inbox-api.ts; list positions cross the bridge as opaque cursors.
import type { ChatSummary, ChatView, SearchHit, ThreadMessage, ThreadPage } from '../../../shared/inbox-api.ts'
import { INSTAGRAM } from '../../../shared/platforms.ts'
import { InboxFailure } from '../inbox-failure.ts'
import { storyReplyMediaId, type MediaCache } from '../media/index.ts'
import { profileScope, type ActiveSession } from '../session/active-session.ts'
import type { ChatCursor, ChatListOptions, InboxStore, StoredMessage, ThreadCursor } from '../store/index.ts'
import { replyableCommentCount } from '../comments/comment-reach.ts'
import { toChatSummary, toSearchHits, toThreadMessage } from '../views.ts'

/** Followers from which a participant counts as a "large following". */
export const LARGE_FOLLOWING = 10_000

export function encodeCursor(value: ChatCursor | ThreadCursor): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

export function decodeCursor<T>(value: string | null): T | null {
  if (!value) return null
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as T
  } catch {
    throw new InboxFailure('invalid_argument', 'That list position is no longer valid. Scroll to reload.')
  }
}

function cursorOf(stored: StoredMessage): ThreadCursor {
  return { sortAt: stored.sortAt, rowId: stored.rowId }
}

export interface InboxReaderDeps {
  store: () => InboxStore
  media: () => MediaCache
  now: () => number
  /** How the renderer loads a cached attachment. */
  mediaUrl: (attachmentId: string) => string
}

export class InboxReader {
  readonly #deps: InboxReaderDeps

  constructor(deps: InboxReaderDeps) {
    this.#deps = deps
  }

  listChats(
    session: ActiveSession,
    args: { view: ChatView; filter: string; labelId: number | null; cursor: string | null; limit: number }
  ): { chats: ChatSummary[]; nextCursor: string | null } {
    const options: ChatListOptions = {
      profileId: profileScope(session),
      view: args.view,
      labelId: args.labelId ?? undefined,
      limit: args.limit,
      after: decodeCursor<ChatCursor>(args.cursor) ?? undefined
    }
    if (args.filter === 'unread') options.unreadOnly = true
    if (args.filter === 'verified') options.verifiedOnly = true
    if (args.filter === 'large_following') options.minFollowers = LARGE_FOLLOWING
    if (args.filter === 'window_open') options.windowOpenAt = this.#deps.now()
    const page = this.#deps.store().chats.listChats(options)
    return { chats: page.chats.map(toChatSummary), nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null }
  }

  search(session: ActiveSession, query: string, limit: number): SearchHit[] {
    if (query.trim() === '') return []
    const store = this.#deps.store()
    return toSearchHits(store.search(query, { limit, profileId: profileScope(session) }), (chatId) => store.chats.getChat(chatId)?.chat ?? null)
  }

  async thread(session: ActiveSession, chatId: string, before: string | null, limit: number): Promise<ThreadPage> {
    const store = this.#deps.store()
    const cursor = decodeCursor<ThreadCursor>(before)
    let page = store.messages.threadPage(chatId, { before: cursor, limit })
    // Past the cached history: fetch the next older page from Postproxy (with the chat's profile's client), unless offline.
    const sync = session.lanes.ofChat(chatId)?.sync
    const olderOnServer = sync?.hasOlderOnServer(chatId) ?? false
    if (page.messages.length < limit && sync && olderOnServer) {
      try {
        if ((await sync.loadOlder(chatId)) > 0) page = store.messages.threadPage(chatId, { before: cursor, limit })
      } catch {
        // Offline or refused: the cached part still shows; scrolling up later retries.
      }
    }
    const olderCursor = page.olderCursor ?? ((sync?.hasOlderOnServer(chatId) ?? false) && page.messages.length > 0 ? cursorOf(page.messages.at(-1)!) : null)
    return { messages: page.messages.map((m) => this.threadMessage(m)), olderCursor: olderCursor ? encodeCursor(olderCursor) : null }
  }

  threadMessage(stored: StoredMessage): ThreadMessage {
    const store = this.#deps.store()
    const chat = store.chats.getChat(stored.message.chat_id)
    return toThreadMessage(stored, {
      participantExternalId: chat?.chat.participant_external_id ?? '',
      platform: chat?.chat.platform ?? INSTAGRAM,
      outbox: stored.localId ? store.outbox.get(stored.localId) : null,
      mediaUrl: this.#deps.mediaUrl,
      cachedMime: (id) => this.#deps.media().lookup(id)?.mime ?? null,
      quoted: (externalId) => {
        const quoted = store.messages.getMessage(externalId)?.message ?? null
        return quoted?.chat_id === stored.message.chat_id ? quoted : null
      },
      storyReplyMediaId,
      cursor: encodeCursor(cursorOf(stored)),
      commentOf: (externalId) => store.comments.getByExternalId(externalId),
      replyableComments: () => (chat ? replyableCommentCount(store, chat.chat.profile_id, chat.chat.participant_external_id, this.#deps.now()) : 0)
    })
  }

  /** A message this app sent (by server id or local id), still known to the outbox. */
  ownSend(messageId: string): StoredMessage & { localId: string } {
    const store = this.#deps.store()
    const stored = store.messages.getMessage(messageId) ?? store.messages.getByLocalId(messageId)
    if (!stored?.localId) throw new InboxFailure('not_found', 'This message is no longer waiting to be sent.')
    return stored as StoredMessage & { localId: string }
  }

  /** The stored message again (after a retry changed it), shaped for the thread. */
  refreshed(stored: StoredMessage): ThreadMessage {
    return this.threadMessage(this.#deps.store().messages.storedByRowId(stored.rowId) ?? stored)
  }
}
