// The composition root of the main-process core: opens the cache, builds the session manager, the
// reader and the status board, maps every `InboxApi` call to the module that implements it, and emits
// `InboxEvents`. It wires; it does not implement. It knows nothing of Electron: the desktop shell and
// web mode both drive it through `invoke`.
import { rmSync } from 'node:fs'
import { join } from 'node:path'
import {
  INBOX_API_ARGS,
  type InboxApi,
  type InboxCallName,
  type InboxEventListener,
  type InboxEventName,
  type InboxEvents,
  type InboxResult,
  type InboxStatus,
  type Settings,
  type ThreadMessage
} from '../../shared/inbox-api.ts'
import type { MessageTag } from '../../shared/messaging-window.ts'
import { SYSTEM_TIMERS } from './app-timers.ts'
import { newCommentNotice } from './comments/comment-notice.ts'
import { CommentViews } from './comments/comment-views.ts'
import { commentsInboxApi } from './comments/comments-api.ts'
import { runInboxCall, settleInboxCall } from './inbox-call.ts'
import { InboxEventHub } from './inbox-events.ts'
import type { InboxOptions } from './inbox-options.ts'
import { StatusBoard } from './inbox-status.ts'
import { InboxFailure } from './inbox-failure.ts'
import { deleteIceBreakers, loadIceBreakers, saveIceBreakers } from './ice-breakers/ice-breaker-settings.ts'
import { findMedia, MediaCache } from './media/index.ts'
import { preparePrivateDataDir } from './private-files.ts'
import { InboxReader } from './reading/inbox-reader.ts'
import { SavedReplyBook } from './saved-replies/saved-reply-book.ts'
import { profileLabel } from './session/active-session.ts'
import { SessionManager } from './session/session-manager.ts'
import { openStore, type InboxStore } from './store/index.ts'
import { ChatTriage } from './triage/chat-triage.ts'
import { LabelBook } from './triage/label-book.ts'
import { UiSettings } from './ui-settings.ts'
import { participantOf } from './views.ts'

export { DEFAULT_POSTPROXY_URL, type DemoBackend, type InboxOptions } from './inbox-options.ts'

/** On quit, how long the tunnel may take to stop (see close()). */
const QUIT_TUNNEL_GRACE_MS = 250

/** What signing out with "wipe" deletes from the data directory. */
const CACHE_FILES = ['inbox.db', 'inbox.db-wal', 'inbox.db-shm', 'outbox-media', 'media', 'demo']

export class Inbox {
  private store: InboxStore
  private media: MediaCache
  private readonly options: InboxOptions
  private readonly now: () => number
  private readonly events = new InboxEventHub()
  private readonly status: StatusBoard
  private readonly sessions: SessionManager
  private readonly reader: InboxReader
  private readonly settings: UiSettings
  private readonly triage: ChatTriage
  private readonly labels: LabelBook
  private readonly savedReplies: SavedReplyBook
  private readonly commentViews: CommentViews
  /** The chat the renderer shows, for notification rules. */
  private viewedChatId: string | null = null
  /** The renderer shows the Comments view (new comments then raise no notification while focused). */
  private commentsInFront = false
  private unsubscribeStore: (() => void)[] = []

  private constructor(options: InboxOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    preparePrivateDataDir(options.dataDir)
    this.store = this.openCache()
    this.media = this.openMediaCache()
    this.settings = new UiSettings(() => this.store)
    this.status = new StatusBoard({
      unread: () => this.unread(),
      publish: (status) => this.events.emit('status', status),
      onConnectionChange: (online) => {
        if (online) this.media.retryFailedNow()
        this.sessions.current?.sender.setOnline(online)
        this.sessions.current?.poller.update({ online })
      }
    })
    this.sessions = new SessionManager({
      store: () => this.store,
      options,
      status: this.status,
      now: this.now,
      announceInbound: (ids) => this.announceInbound(ids),
      announceComments: (ids) => this.announceComments(ids),
      cacheImage: (image) => this.media.enqueue(image),
      wipeCache: () => this.wipeCache(),
      onSessionChange: (session) => {
        this.events.emit('session', session)
        this.status.queue()
      }
    })
    this.triage = new ChatTriage({ store: () => this.store, now: this.now, timers: options.timers ?? SYSTEM_TIMERS })
    this.labels = new LabelBook({ store: () => this.store, onChange: (labels) => this.events.emit('labels-changed', { labels }) })
    this.savedReplies = new SavedReplyBook({ store: () => this.store, now: this.now, onChange: () => this.events.emit('saved-replies-changed', {}) })
    this.triage.start()
    const mediaUrl = options.mediaUrl ?? ((id: string) => `/media/${encodeURIComponent(id)}`)
    this.reader = new InboxReader({ store: () => this.store, media: () => this.media, now: this.now, mediaUrl })
    this.commentViews = new CommentViews({ store: () => this.store, now: this.now, mediaUrl })
  }

  /** Opens the cache and restores the previous session (keychain key, or the demo). */
  static async open(options: InboxOptions): Promise<Inbox> {
    const inbox = new Inbox(options)
    await inbox.sessions.restore()
    return inbox
  }

  /** The calls the renderer may make, by name; arguments are validated with the shared schemas. */
  readonly api: InboxApi = {
    getSession: () => runInboxCall('getSession', undefined, () => this.sessions.view()),
    signIn: (args) => runInboxCall('signIn', args, (a) => this.sessions.signIn(a.apiKey)),
    startDemo: () => runInboxCall('startDemo', undefined, () => this.sessions.startDemo()),
    selectProfile: (args) => runInboxCall('selectProfile', args, (a) => this.sessions.selectProfile(a.profileId)),
    addApiKey: (args) => runInboxCall('addApiKey', args, (a) => this.sessions.addApiKey(a.apiKey)),
    removeApiKey: (args) => runInboxCall('removeApiKey', args, (a) => this.sessions.removeApiKey(a.accountId)),
    signOut: (args) => runInboxCall('signOut', args, (a) => this.sessions.signOut(a.wipeCache)),
    listChats: (args) => runInboxCall('listChats', args, (a) => this.reader.listChats(this.sessions.active(), a)),
    search: (args) => runInboxCall('search', args, (a) => this.reader.search(this.sessions.active(), a.query, a.limit)),
    getThread: (args) => runInboxCall('getThread', args, (a) => this.reader.thread(this.sessions.active(), a.chatId, a.before, a.limit)),
    sendText: (args) =>
      runInboxCall('sendText', args, (a) => this.replied(a.chatId, this.reader.threadMessage(this.sessions.active().sender.queueText(a.chatId, a.text, a.tag, a)))),
    sendMedia: (args) =>
      runInboxCall('sendMedia', args, async (a) =>
        this.replied(a.chatId, this.reader.threadMessage(await this.sessions.active().sender.queueMedia(a.chatId, a.media, a.tag, a.replyToExternalId)))
      ),
    retrySend: (args) =>
      runInboxCall('retrySend', args, (a) => {
        const stored = this.reader.ownSend(a.messageId)
        this.sessions.active().sender.retry(stored.localId)
        return this.reader.refreshed(stored)
      }),
    discardSend: (args) =>
      runInboxCall('discardSend', args, (a) => {
        this.sessions.active().sender.discard(this.reader.ownSend(a.messageId).localId)
        return null
      }),
    toggleLove: (args) =>
      runInboxCall('toggleLove', args, async (a) => this.reader.threadMessage(await this.sessions.active().love.toggle(a.messageId))),
    markRead: (args) => runInboxCall('markRead', args, (a) => this.markRead(a.chatId, true)),
    markUnread: (args) => runInboxCall('markUnread', args, (a) => this.markRead(a.chatId, false)),
    getDraft: (args) => runInboxCall('getDraft', args, (a) => this.store.drafts.get(a.chatId) ?? ''),
    saveDraft: (args) =>
      runInboxCall('saveDraft', args, (a) => {
        if (a.text.trim() === '') this.store.drafts.clear(a.chatId)
        else this.store.drafts.set(a.chatId, a.text)
        return null
      }),
    getStatus: () => runInboxCall('getStatus', undefined, () => this.status.current),
    syncNow: () =>
      runInboxCall('syncNow', undefined, async () => {
        const session = this.sessions.active()
        session.checkProfilesSoon()
        await session.poller.pollNow()
        return null
      }),
    getSettings: () => runInboxCall('getSettings', undefined, () => this.settings.current),
    updateSettings: (args) => runInboxCall('updateSettings', args, (a) => this.settings.update(a)),
    viewChat: (args) =>
      runInboxCall('viewChat', args, (a) => {
        this.viewedChatId = a.chatId
        return null
      }),
    listShown: () =>
      runInboxCall('listShown', undefined, () => {
        this.sessions.current?.firstLook.seen()
        return null
      }),
    pairRelay: (args) =>
      runInboxCall('pairRelay', args, async (a) => {
        const { tunnel } = this.sessions.active()
        await tunnel.pair({ relayUrl: a.relayUrl, adminToken: a.adminToken })
        return tunnel.status
      }),
    unpairRelay: (args) =>
      runInboxCall('unpairRelay', args, async (a) => {
        const { tunnel } = this.sessions.active()
        await tunnel.unpair({ adminToken: a.adminToken, force: true })
        return tunnel.status
      }),
    getIceBreakers: () => runInboxCall('getIceBreakers', undefined, () => loadIceBreakers(this.sessions.active())),
    saveIceBreakers: (args) => runInboxCall('saveIceBreakers', args, (a) => saveIceBreakers(this.sessions.active(), a.iceBreakers)),
    deleteIceBreakers: () => runInboxCall('deleteIceBreakers', undefined, () => deleteIceBreakers(this.sessions.active())),
    triageChats: (args) => runInboxCall('triageChats', args, (a) => this.triage.apply(a.chatIds, a.action)),
    undoTriage: (args) =>
      runInboxCall('undoTriage', args, (a) => {
        this.triage.undo(a.undoId)
        return null
      }),
    listLabels: () => runInboxCall('listLabels', undefined, () => this.labels.list()),
    createLabel: (args) => runInboxCall('createLabel', args, (a) => this.labels.create(a.name, a.color)),
    updateLabel: (args) => runInboxCall('updateLabel', args, (a) => this.labels.update(a.id, { name: a.name, color: a.color })),
    deleteLabel: (args) =>
      runInboxCall('deleteLabel', args, (a) => {
        this.labels.delete(a.id)
        return null
      }),
    reorderLabels: (args) => runInboxCall('reorderLabels', args, (a) => this.labels.reorder(a.ids)),
    listSavedReplies: () => runInboxCall('listSavedReplies', undefined, () => this.savedReplies.list()),
    createSavedReply: (args) => runInboxCall('createSavedReply', args, (a) => this.savedReplies.create(a)),
    updateSavedReply: (args) => runInboxCall('updateSavedReply', args, (a) => this.savedReplies.update(a.id, a)),
    deleteSavedReply: (args) =>
      runInboxCall('deleteSavedReply', args, (a) => {
        this.savedReplies.delete(a.id)
        return null
      }),
    reorderSavedReplies: (args) => runInboxCall('reorderSavedReplies', args, (a) => this.savedReplies.reorder(a.ids)),
    exportSavedReplies: () => runInboxCall('exportSavedReplies', undefined, () => this.savedReplies.export()),
    importSavedReplies: (args) => runInboxCall('importSavedReplies', args, (a) => this.savedReplies.import(a.json, a.mode)),
    ...commentsInboxApi({
      store: () => this.store,
      session: () => this.sessions.active(),
      views: () => this.commentViews,
      setCommentsInFront: (inFront) => (this.commentsInFront = inFront)
    })
  }

  /** One entry point for the IPC and WebSocket bridges: a call by name with unvalidated arguments. */
  invoke(name: string, args: unknown): Promise<InboxResult<unknown>> {
    if (!Object.hasOwn(INBOX_API_ARGS, name)) {
      return Promise.resolve({ ok: false, error: { code: 'invalid_argument', message: `Unknown call "${name}".` } })
    }
    const method = this.api[name as InboxCallName] as (args: unknown) => Promise<InboxResult<unknown>>
    return method(args)
  }

  /**
   * Electron's main process only, never a page or web mode: sends a file the creator dropped or picked,
   * read from the path Chromium gave the preload for that File (see outbox/media-intake.ts).
   */
  sendChosenFile(chatId: string, path: string, tag: MessageTag | null, replyToExternalId: string | null = null): Promise<InboxResult<ThreadMessage>> {
    return settleInboxCall(async () =>
      this.replied(chatId, this.reader.threadMessage(await this.sessions.active().sender.queueMedia(chatId, { path }, tag, replyToExternalId)))
    )
  }

  on(listener: InboxEventListener): () => void {
    return this.events.on(listener)
  }

  /** What the shell knows about the app and the machine: drives the polling pace and the outbox. */
  setAppState(state: { focused?: boolean; idle?: boolean; online?: boolean }): void {
    if (state.online !== undefined) this.status.setConnection(state.online)
    this.sessions.current?.poller.update(state)
    // After sleep the snooze timer may be late: whatever is due wakes now.
    this.triage.checkSnoozes()
  }

  /**
   * The file of an attachment (or a replied-to story) for the shell's media route: from the cache (so threads read offline),
   * else downloaded now. Null when it is neither cached nor reachable.
   */
  async mediaFile(attachmentId: string): Promise<{ path: string; mime: string | null } | null> {
    const cached = await this.media.resolve(attachmentId)
    if (cached) return cached
    // An attachment of a message (or a replied-to story), or the image of a post (a comment's thumbnail).
    const media = findMedia(this.store.messages, attachmentId) ?? this.store.posts.imageByKey(attachmentId)
    if (!media?.url) return null
    const fetched = await this.media.ensure(media, { priority: 'eager' })
    return fetched.ok ? fetched.file : null
  }

  /** Resolves when no media download is waiting or running (thumbnails and attachments cached; tests, benchmarks). */
  whenMediaIdle(): Promise<void> {
    return this.media.whenIdle()
  }

  get signedOut(): boolean {
    return this.sessions.current === null
  }

  get chatOnScreen(): string | null {
    return this.viewedChatId
  }

  get commentsOnScreen(): boolean {
    return this.commentsInFront
  }

  /** For the shell: pushes an event to every listener (e.g. 'open-chat' after a notification click). */
  notifyRenderer<K extends InboxEventName>(name: K, payload: InboxEvents[K]): void {
    this.events.emit(name, payload)
  }

  get settingsSnapshot(): Settings {
    return this.settings.current
  }

  get cache(): InboxStore {
    return this.store
  }

  /**
   * Ends the session and closes the cache. `quitting`: the app is exiting, so work that only reads (a
   * reconcile under way) is not waited for beyond QUIT_TUNNEL_GRACE_MS; the outbox still stops properly
   * (a send in flight is resent with its key next start) and the database closes cleanly.
   */
  async close(options: { quitting?: boolean } = {}): Promise<void> {
    this.triage.stop()
    await this.sessions.end({ tunnelGraceMs: options.quitting ? QUIT_TUNNEL_GRACE_MS : undefined })
    await this.closeCache()
  }

  // ---------------------------------------------------------------- helpers

  /** A reply answers why a chat came back (snooze ended, wrote again): the row's note goes. */
  private replied<T>(chatId: string, sent: T): T {
    this.triage.noteReplied(chatId)
    return sent
  }

  private markRead(chatId: string, read: boolean): null {
    const done = read ? this.store.chats.markRead(chatId) : this.store.chats.markUnread(chatId)
    if (!done) throw new InboxFailure('not_found', 'This conversation is not in your inbox any more.')
    return null
  }

  /** New inbound messages from a poll or a webhook; listeners de-duplicate by message id. */
  /** Unread messages per profile of the session and over all of them (a removed account's cache does not count). */
  private unread(): Pick<InboxStatus, 'unreadTotal' | 'unreadByProfile'> {
    const session = this.sessions.current
    if (!session) return { unreadTotal: 0, unreadByProfile: {} }
    const byProfile = Object.fromEntries(Object.entries(this.store.chats.unreadByProfile()).filter(([id]) => session.lanes.get(id) !== undefined))
    return { unreadTotal: Object.values(byProfile).reduce((sum, n) => sum + n, 0), unreadByProfile: byProfile }
  }

  private announceInbound(messageIds: readonly string[]): void {
    for (const id of messageIds) {
      const message = this.store.messages.getMessage(id)?.message
      const chat = message && this.store.chats.getChat(message.chat_id)?.chat
      if (!message || !chat) continue
      const profile = this.sessions.current ? profileLabel(this.sessions.current, chat.profile_id) : null
      this.events.emit('inbound-message', {
        chatId: chat.id,
        messageId: message.id,
        participant: participantOf(chat),
        preview: message.body ?? 'Sent an attachment',
        ...(profile ? { profile } : {})
      })
    }
  }

  /** New comments by others from a poll or a webhook; listeners de-duplicate by comment id. */
  private announceComments(commentIds: readonly string[]): void {
    for (const id of commentIds) {
      const comment = this.store.comments.get(id)
      if (!comment) continue
      const profile = this.sessions.current ? profileLabel(this.sessions.current, comment.profileId) : null
      this.events.emit('new-comment', { ...newCommentNotice(comment), ...(profile ? { profile } : {}) })
    }
  }

  private async wipeCache(): Promise<void> {
    await this.closeCache()
    for (const name of CACHE_FILES) rmSync(join(this.options.dataDir, name), { recursive: true, force: true })
    this.store = this.openCache()
    this.media = this.openMediaCache()
    this.triage.start()
    this.events.emit('labels-changed', { labels: this.labels.list() })
    this.events.emit('saved-replies-changed', {})
  }

  /** Attachments of new messages are downloaded in the background, story mentions first. */
  private openMediaCache(): MediaCache {
    const media = new MediaCache({ store: this.store, dir: join(this.options.dataDir, 'media') })
    media.start().catch(() => {
      // A failed sweep leaves stray files behind, nothing worse; serving still works.
    })
    return media
  }

  private async closeCache(): Promise<void> {
    await this.media.stop()
    for (const unsubscribe of this.unsubscribeStore) unsubscribe()
    this.store.close()
  }

  private openCache(): InboxStore {
    const store = openStore(join(this.options.dataDir, 'inbox.db'), { now: this.now })
    this.unsubscribeStore = [
      store.on('chatsChanged', ({ chatIds }) => {
        this.events.emit('chats-changed', { chatIds })
        this.status.queue()
      }),
      store.on('messagesChanged', ({ chatId }) => this.events.emit('messages-changed', { chatId, messageIds: [] })),
      store.on('commentsChanged', ({ commentIds }) => this.events.emit('comments-changed', { commentIds }))
    ]
    return store
  }
}
