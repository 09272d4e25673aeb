// Brings the local cache to Postproxy's state for one profile.
//
// - Initial sync: every chat page by page (each page is stored, and so shown, at once), then (once a window
//   has painted the list, first-look.ts) each chat's newest messages to `messageDepth`: chats awaiting a
//   reply first, then the rest, by latest activity (first-sync-order.ts). It resumes: a chat whose newest
//   page is already stored is not fetched again.
//   Its requests are `background`: a thread the creator opens meanwhile goes ahead of them.
// - Incremental sync: chats `after=` the newest activity already seen. When nothing changed that is
//   exactly one request per profile, whatever the number of chats; each changed chat then costs its
//   newest message page(s), read until a message the cache already holds.
// - Older history is fetched lazily, page by page, when the creator scrolls up.
// - Sends awaiting their outcome (pending / retrying) are checked one by one, so a lost webhook
//   never leaves a message "Sending…" forever.
import type { Chat, Message } from '../../../shared/postproxy.ts'
import type { PostproxyClient } from '../postproxy/index.ts'
import type { InboxStore } from '../store/index.ts'
import { awaitsReply, firstSyncOrder } from './first-sync-order.ts'

export interface SyncProgress {
  /**
   * `chats`: listing the chats (`done` of `total` chats listed). `unread` and then `history`: the newest
   * messages of the chats awaiting a reply, then of the rest (`done` of `total` chats' pages stored, both
   * phases together).
   */
  phase: 'chats' | 'unread' | 'history'
  done: number
  total: number
}

export interface InboxSyncOptions {
  client: PostproxyClient
  store: InboxStore
  profileId: string
  /** Newest messages fetched per chat by the initial sync, and the page size of older history. ≤ 100. */
  messageDepth?: number
  /** Chats requested per page. ≤ 100. */
  chatPageSize?: number
  /** Chats whose messages are fetched at the same time during the initial sync. */
  concurrency?: number
  onProgress?: (progress: SyncProgress) => void
  /**
   * New inbound messages found by an incremental sync or a reconcile (never by the initial sync,
   * whose history is not news), whichever path found them: the creator is notified once.
   */
  onNewInbound?: (messages: Message[]) => void
  /**
   * The initial sync waits for this between listing the chats and fetching their messages: the window's
   * first paint of the list goes first (first-look.ts). Resolves at once when unset.
   */
  beforeMessages?: (signal?: AbortSignal) => Promise<void>
}

export interface SyncReport {
  /** HTTP calls this sync made (first attempts; retries inside the client are not counted). */
  requests: number
  changedChatIds: string[]
  newInbound: Message[]
}

const KEY_CHATS_CURSOR = 'chats_after'
const KEY_INITIAL_DONE = 'initial_sync_done'
const KEY_OLDER_PAGE = 'older_page'
const KEY_HISTORY_COMPLETE = 'history_complete'
/** Bounds every paging loop: 100 pages x 100 = 10,000 items per pass at most. */
const MAX_PAGES = 100

const chatScope = (chatId: string) => `chat:${chatId}`

function newest(a: string | null, b: string | null | undefined): string | null {
  if (!b) return a
  if (!a) return b
  return Date.parse(b) > Date.parse(a) ? b : a
}

export class InboxSync {
  private readonly client: PostproxyClient
  private readonly store: InboxStore
  private readonly profileId: string
  private readonly messageDepth: number
  private readonly chatPageSize: number
  private readonly concurrency: number
  private readonly onProgress: (progress: SyncProgress) => void
  private readonly onNewInbound: (messages: Message[]) => void
  private readonly beforeMessages: (signal?: AbortSignal) => Promise<void>
  private running: Promise<SyncReport> | null = null

  constructor(options: InboxSyncOptions) {
    this.client = options.client
    this.store = options.store
    this.profileId = options.profileId
    this.messageDepth = Math.min(options.messageDepth ?? 50, 100)
    this.chatPageSize = Math.min(options.chatPageSize ?? 100, 100)
    this.concurrency = Math.max(1, options.concurrency ?? 4)
    this.onProgress = options.onProgress ?? (() => {})
    this.onNewInbound = options.onNewInbound ?? (() => {})
    this.beforeMessages = options.beforeMessages ?? (async () => {})
  }

  get initialSyncDone(): boolean {
    return this.store.syncState.get(this.profileId, KEY_INITIAL_DONE) === '1'
  }

  /**
   * The one entry point for "bring the cache up to date": the initial sync the first time, an
   * incremental one afterwards. Concurrent calls share one run.
   */
  sync(signal?: AbortSignal): Promise<SyncReport> {
    if (!this.running) {
      const run = this.initialSyncDone ? this.incremental(signal) : this.initial(signal)
      this.running = run.finally(() => (this.running = null))
    }
    return this.running
  }

  /**
   * For the tunnel (a `gap`, a long disconnect) and the periodic safety net: an incremental sync,
   * plus the newest page of recently active chats, which carries receipts and reactions that do not
   * move a chat's activity time.
   */
  async reconcile(options: { recentChats?: number; signal?: AbortSignal } = {}): Promise<SyncReport> {
    // A run under way may have listed the chats before what this reconcile is for (the tunnel's first
    // connection during the first sync: a message in between has no event, and no poll follows). It is
    // waited for, and the sync runs again.
    await this.running?.catch(() => undefined)
    const report = await this.sync(options.signal)
    const recentChats = options.recentChats ?? 20
    const recent = recentChats > 0 ? this.store.chats.listChats({ profileId: this.profileId, limit: recentChats }).chats : []
    for (const item of recent) {
      if (report.changedChatIds.includes(item.chat.id)) continue
      report.requests++
      const page = await this.client.listMessages(item.chat.id, { perPage: this.messageDepth, signal: options.signal, priority: 'background' })
      const found = this.newInboundOf(page.data, this.store.messages.upsertMessages(page.data))
      report.newInbound.push(...found)
      if (found.length > 0) this.onNewInbound(found)
    }
    return report
  }

  private async initial(signal?: AbortSignal): Promise<SyncReport> {
    const report: SyncReport = { requests: 0, changedChatIds: [], newInbound: [] }
    const { chats, cursor } = await this.listEveryChat(report, signal)

    const queue = firstSyncOrder(chats).filter((chat) => !this.newestPageStored(chat))
    if (queue.length > 0) await this.beforeMessages(signal)
    const total = queue.length
    let unreadLeft = queue.filter(awaitsReply).length
    let done = 0
    const worker = async () => {
      for (let chat = queue.shift(); chat !== undefined; chat = queue.shift()) {
        const chatId = chat.id
        // Checked again here: the creator may have opened this chat while it waited its turn.
        if (!this.newestPageStored(chat)) {
          report.requests++
          const page = await this.client.listMessages(chatId, { perPage: this.messageDepth, signal, priority: 'background' })
          this.store.transaction(() => {
            this.store.messages.upsertMessages(page.data)
            this.store.syncState.set(chatScope(chatId), KEY_OLDER_PAGE, '1')
            if (page.data.length < this.messageDepth) this.store.syncState.set(chatScope(chatId), KEY_HISTORY_COMPLETE, '1')
            this.markNeedsReply(chatId)
          })
        }
        if (awaitsReply(chat)) unreadLeft--
        this.onProgress({ phase: unreadLeft > 0 ? 'unread' : 'history', done: ++done, total })
      }
    }
    await Promise.all(Array.from({ length: Math.min(this.concurrency, queue.length) }, worker))

    this.store.transaction(() => {
      if (cursor) this.store.syncState.set(this.profileId, KEY_CHATS_CURSOR, cursor)
      this.store.syncState.set(this.profileId, KEY_INITIAL_DONE, '1')
    })
    report.changedChatIds = chats.map((chat) => chat.id)
    report.requests += await this.checkPendingSends(signal)
    return report
  }

  /**
   * Every chat, page by page; each page is stored as it arrives so the list can show it. The first page
   * is what the creator waits for, so it goes ahead of anything queued. Chats awaiting a reply show as
   * unread from here on, before their messages arrive.
   */
  private async listEveryChat(report: SyncReport, signal?: AbortSignal): Promise<{ chats: Chat[]; cursor: string | null }> {
    const chats: Chat[] = []
    let cursor: string | null = null
    for (let page = 0; page < MAX_PAGES; page++) {
      report.requests++
      const priority = page === 0 ? 'interactive' : 'background'
      const result = await this.client.listChats(this.profileId, { page, perPage: this.chatPageSize, signal, priority })
      this.store.transaction(() => {
        const { inserted } = this.store.chats.upsertChats(result.data)
        const added = new Set(inserted)
        for (const chat of result.data) if (added.has(chat.id) && awaitsReply(chat)) this.store.chats.markUnread(chat.id)
      })
      chats.push(...result.data)
      for (const chat of result.data) cursor = newest(cursor, chat.last_message_at)
      this.onProgress({ phase: 'chats', done: chats.length, total: result.total })
      if (result.data.length < this.chatPageSize || chats.length >= result.total) break
    }
    return { chats, cursor }
  }

  /** The chat's newest page is in the cache already (a first sync that was interrupted, a thread opened meanwhile). */
  private newestPageStored(chat: Chat): boolean {
    if (this.store.syncState.get(chatScope(chat.id), KEY_OLDER_PAGE) === null) return false
    if (!chat.last_message_at) return true
    const newestKnown = this.store.messages.threadPage(chat.id, { limit: 10 }).messages.find((m) => m.serverId !== null)
    return newestKnown !== undefined && newestKnown.sortAt >= Date.parse(chat.last_message_at)
  }

  /**
   * Imported history is not "unread": a chat counts as unread after the first sync only when its
   * newest message is from the participant, i.e. it is waiting for the creator's reply.
   */
  private markNeedsReply(chatId: string): void {
    this.store.chats.markRead(chatId)
    const newestMessage = this.store.messages.threadPage(chatId, { limit: 1 }).messages[0]
    if (newestMessage?.message.direction === 'inbound') this.store.chats.markUnread(chatId)
  }

  private async incremental(signal?: AbortSignal): Promise<SyncReport> {
    const report: SyncReport = { requests: 0, changedChatIds: [], newInbound: [] }
    const since = this.store.syncState.get(this.profileId, KEY_CHATS_CURSOR)
    const sinceMs = since ? Date.parse(since) : -Infinity
    // `after` is exclusive: ask from 1 ms earlier so a chat updated within the cursor's own
    // millisecond is not skipped. Chats exactly at the cursor come back and cost nothing more.
    const after = since ? new Date(sinceMs - 1).toISOString() : undefined
    let cursor = since
    const changed: Chat[] = []
    for (let page = 0; page < MAX_PAGES; page++) {
      report.requests++
      const result = await this.client.listChats(this.profileId, { page, perPage: this.chatPageSize, after, signal, priority: 'background' })
      this.store.chats.upsertChats(result.data)
      for (const chat of result.data) {
        cursor = newest(cursor, chat.last_message_at)
        // Judged against the saved cursor, not against the chat row: if a run dies after storing a
        // chat but before its messages, the next run still fetches them.
        const activityMs = chat.last_message_at ? Date.parse(chat.last_message_at) : -Infinity
        if (activityMs > sinceMs || (activityMs === sinceMs && this.cacheIsBehind(chat.id, activityMs))) changed.push(chat)
      }
      if (result.data.length < this.chatPageSize) break
    }

    for (const chat of changed) {
      const fetched = await this.fetchNewMessages(chat.id, signal)
      report.requests += fetched.requests
      report.newInbound.push(...fetched.newInbound)
    }
    // Only now: the cursor moves past these chats once their messages are stored.
    if (cursor) this.store.syncState.set(this.profileId, KEY_CHATS_CURSOR, cursor)
    report.changedChatIds = changed.map((chat) => chat.id)
    report.requests += await this.checkPendingSends(signal)
    return report
  }

  /** Whether the cache lacks a message as new as `activityMs` (a chat that moved within the cursor's millisecond). */
  private cacheIsBehind(chatId: string, activityMs: number): boolean {
    const newestKnown = this.store.messages.threadPage(chatId, { limit: 10 }).messages.find((m) => m.serverId !== null)
    return !newestKnown || newestKnown.sortAt < activityMs
  }

  /** Newest-first pages until one holds a message the cache already had. */
  private async fetchNewMessages(chatId: string, signal?: AbortSignal): Promise<{ requests: number; newInbound: Message[] }> {
    const newInbound: Message[] = []
    let requests = 0
    for (let page = 0; page < MAX_PAGES; page++) {
      requests++
      const result = await this.client.listMessages(chatId, { page, perPage: this.messageDepth, signal, priority: 'background' })
      const known = result.data.some((m) => this.store.messages.getMessage(m.id))
      const found = this.newInboundOf(result.data, this.store.messages.upsertMessages(result.data))
      newInbound.push(...found)
      if (found.length > 0) this.onNewInbound(found)
      if (known || result.data.length < this.messageDepth) break
    }
    return { requests, newInbound }
  }

  private newInboundOf(messages: Message[], upserted: { inserted: { id: string }[] }): Message[] {
    const inserted = new Set(upserted.inserted.map((ref) => ref.id))
    return messages.filter((m) => m.direction === 'inbound' && inserted.has(m.id))
  }

  /**
   * One older page of a chat from the server, for scrolling up past the cache (or, during a first sync,
   * the newest page of a chat opened before the sync reached it): the creator waits for it, so it goes
   * ahead of the sync's requests.
   * Returns how many messages arrived; 0 once the conversation's start is reached.
   */
  async loadOlder(chatId: string, signal?: AbortSignal): Promise<number> {
    const scope = chatScope(chatId)
    if (this.store.syncState.get(scope, KEY_HISTORY_COMPLETE) === '1') return 0
    const page = Number(this.store.syncState.get(scope, KEY_OLDER_PAGE) ?? '0')
    const result = await this.client.listMessages(chatId, { page, perPage: this.messageDepth, signal })
    const { inserted } = this.store.transaction(() => {
      const upserted = this.store.messages.upsertMessages(result.data)
      this.store.syncState.set(scope, KEY_OLDER_PAGE, String(page + 1))
      if (result.data.length < this.messageDepth) this.store.syncState.set(scope, KEY_HISTORY_COMPLETE, '1')
      return upserted
    })
    return inserted.length
  }

  hasOlderOnServer(chatId: string): boolean {
    return this.store.syncState.get(chatScope(chatId), KEY_HISTORY_COMPLETE) !== '1'
  }

  /** Each profile's sync asks about its own chats' sends (with its own account's key). */
  private ownsChat(chatId: string | null): boolean {
    return chatId !== null && this.store.chats.getChat(chatId)?.chat.profile_id === this.profileId
  }

  /** Sends the server accepted but has not finished: ask for each one's outcome. */
  private async checkPendingSends(signal?: AbortSignal): Promise<number> {
    let requests = 0
    for (const item of this.store.outbox.list({ states: ['sent'] })) {
      if (!item.serverMessageId || !this.ownsChat(item.chatId)) continue
      const stored = this.store.messages.getMessage(item.serverMessageId)
      const status = stored?.message.status
      if (status !== 'pending' && status !== 'failed_waiting_for_retry') continue
      requests++
      this.store.messages.upsertMessage(await this.client.getMessage(item.serverMessageId, { signal, priority: 'background' }))
    }
    return requests
  }
}
