// The composition root of the main-process core: builds the services (client, store, sync, outbox,
// love toggle, poller) for the signed-in session, implements `InboxApi`, and emits `InboxEvents`.
// It knows nothing of Electron: the desktop shell and web mode both drive it through `invoke`.
import { mkdirSync, rmSync } from 'node:fs'
import { join } from 'node:path'
import type { z, ZodType } from 'zod'
import {
  INBOX_API_ARGS,
  type ChatSummary,
  type InboxApi,
  type InboxCallName,
  type InboxError,
  type InboxEventListener,
  type InboxEventName,
  type InboxEvents,
  type InboxResult,
  type InboxStatus,
  type ProfileSummary,
  type SearchHit,
  type Session,
  type Settings,
  type ThreadMessage,
  type ThreadPage
} from '../../shared/inbox-api.ts'
import type { Profile } from '../../shared/postproxy.ts'
import { InboxFailure } from './inbox-failure.ts'
import { MediaCache } from './media/index.ts'
import { LoveToggle } from './outbox/love-toggle.ts'
import { OutboxSender } from './outbox/outbox-sender.ts'
import { createPostproxyClient, isPostproxyError, type PostproxyClient, type PostproxyClientOptions } from './postproxy/index.ts'
import { SecretStoreError, type SecretStore } from './secrets/index.ts'
import { openStore, StoreError, type ChatCursor, type ChatListOptions, type InboxStore, type StoredMessage, type ThreadCursor } from './store/index.ts'
import { InboxSync } from './sync/inbox-sync.ts'
import { Tunnel } from './tunnel/index.ts'
import { Poller } from './sync/poller.ts'
import { participantOf, toChatSummary, toSearchHits, toThreadMessage } from './views.ts'

export const DEFAULT_POSTPROXY_URL = 'https://api.postproxy.dev'
const API_KEY_SECRET = 'postproxy-api-key'
const SESSION_SETTING = 'session'
const SETTINGS_SETTING = 'ui'
const DEFAULT_SETTINGS: Settings = { notifications: true, notificationPreviews: true, theme: 'system' }
const LARGE_FOLLOWING = 10_000

/** The embedded simulator that demo mode runs on; started by the demo wiring, not by the core. */
export interface DemoBackend {
  baseUrl: string
  apiKey: string
  /** The demo's own relay, which the demo session pairs with. */
  relay?: { url: string; adminToken: string }
  close(): Promise<void>
}

export interface InboxOptions {
  /** Where the cache database, staged media and downloaded media live. */
  dataDir: string
  secrets: SecretStore
  postproxyBaseUrl?: string
  /** Demo mode's backend, provided by the shell (electron/demo/). Without it, "Try the demo" is unavailable. */
  startDemoBackend?: (dataDir: string) => Promise<DemoBackend>
  /** How the renderer loads a cached attachment (custom protocol in Electron, loopback route in web mode). */
  mediaUrl?: (attachmentId: string) => string
  clientOptions?: Partial<PostproxyClientOptions>
  now?: () => number
}

interface ActiveSession {
  mode: 'live' | 'demo'
  profileId: string
  profiles: ProfileSummary[]
  client: PostproxyClient
  sync: InboxSync
  sender: OutboxSender
  love: LoveToggle
  poller: Poller
  tunnel: Tunnel
  demo: DemoBackend | null
  apiKey: string
}

type StoredSession = { mode: 'live' | 'demo'; profileId: string }

function profileSummary(profile: Profile): ProfileSummary {
  return { id: profile.id, name: profile.name ?? null, platform: profile.platform, status: profile.status, avatarUrl: profile.avatar_url ?? null }
}

/** The profile a new session opens: an active Instagram one first, as the product targets Instagram. */
function preferredProfile(profiles: Profile[]): Profile | undefined {
  const rank = (p: Profile) => (p.platform === 'instagram' ? 0 : p.platform === 'facebook' ? 1 : 2) + (p.status === 'active' ? 0 : 3)
  return [...profiles].sort((a, b) => rank(a) - rank(b))[0]
}

function encodeCursor(value: ChatCursor | ThreadCursor): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}

function decodeCursor<T>(value: string | null): T | null {
  if (!value) return null
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8')) as T
  } catch {
    throw new InboxFailure('invalid_argument', 'That list position is no longer valid. Scroll to reload.')
  }
}

export class Inbox {
  private store: InboxStore
  private media: MediaCache
  private session: ActiveSession | null = null
  private readonly listeners = new Set<InboxEventListener>()
  private readonly options: InboxOptions
  private readonly now: () => number
  private status: InboxStatus = {
    connection: 'online',
    sync: { state: 'idle', progress: null, lastSyncedAt: null, error: null },
    tunnel: { state: 'not_paired' },
    unreadTotal: 0
  }
  private statusQueued = false
  /** The chat the renderer shows, for notification rules. */
  private viewedChatId: string | null = null
  private unsubscribeStore: (() => void)[] = []

  private constructor(options: InboxOptions) {
    this.options = options
    this.now = options.now ?? Date.now
    mkdirSync(options.dataDir, { recursive: true })
    this.store = this.openCache()
    this.media = this.openMediaCache()
  }

  /** Opens the cache and restores the previous session (keychain key, or the demo). */
  static async open(options: InboxOptions): Promise<Inbox> {
    const inbox = new Inbox(options)
    await inbox.restoreSession()
    return inbox
  }

  /** The calls the renderer may make, by name; arguments are validated with the shared schemas. */
  readonly api: InboxApi = {
    getSession: () => this.call('getSession', undefined, () => this.sessionView()),
    signIn: (args) => this.call('signIn', args, (a) => this.signIn(a.apiKey)),
    startDemo: () => this.call('startDemo', undefined, () => this.startDemo()),
    selectProfile: (args) => this.call('selectProfile', args, (a) => this.selectProfile(a.profileId)),
    signOut: (args) => this.call('signOut', args, (a) => this.signOut(a.wipeCache)),
    listChats: (args) => this.call('listChats', args, (a) => this.listChats(a)),
    search: (args) => this.call('search', args, (a) => this.search(a.query, a.limit)),
    getThread: (args) => this.call('getThread', args, (a) => this.getThread(a.chatId, a.before, a.limit)),
    sendText: (args) => this.call('sendText', args, (a) => this.threadMessage(this.active().sender.queueText(a.chatId, a.text, a.tag))),
    sendMedia: (args) => this.call('sendMedia', args, async (a) => this.threadMessage(await this.active().sender.queueMedia(a.chatId, a.media, a.tag))),
    retrySend: (args) => this.call('retrySend', args, (a) => this.retrySend(a.messageId)),
    discardSend: (args) => this.call('discardSend', args, (a) => this.discardSend(a.messageId)),
    toggleLove: (args) => this.call('toggleLove', args, async (a) => this.threadMessage(await this.active().love.toggle(a.messageId))),
    markRead: (args) => this.call('markRead', args, (a) => this.markRead(a.chatId, true)),
    markUnread: (args) => this.call('markUnread', args, (a) => this.markRead(a.chatId, false)),
    getDraft: (args) => this.call('getDraft', args, (a) => this.store.drafts.get(a.chatId) ?? ''),
    saveDraft: (args) => this.call('saveDraft', args, (a) => {
      if (a.text.trim() === '') this.store.drafts.clear(a.chatId)
      else this.store.drafts.set(a.chatId, a.text)
      return null
    }),
    getStatus: () => this.call('getStatus', undefined, () => this.currentStatus()),
    syncNow: () => this.call('syncNow', undefined, async () => {
      await this.active().poller.pollNow()
      return null
    }),
    getSettings: () => this.call('getSettings', undefined, () => this.settings()),
    updateSettings: (args) => this.call('updateSettings', args, (a) => {
      const next = { ...this.settings(), ...Object.fromEntries(Object.entries(a).filter(([, v]) => v !== undefined)) }
      this.store.settings.set(SETTINGS_SETTING, next)
      return next
    }),
    viewChat: (args) => this.call('viewChat', args, (a) => {
      this.viewedChatId = a.chatId
      return null
    }),
    pairRelay: (args) => this.call('pairRelay', args, async (a) => {
      await this.active().tunnel.pair({ relayUrl: a.relayUrl, adminToken: a.adminToken })
      return this.active().tunnel.status
    }),
    unpairRelay: (args) => this.call('unpairRelay', args, async (a) => {
      await this.active().tunnel.unpair({ adminToken: a.adminToken, force: true })
      return this.active().tunnel.status
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

  on(listener: InboxEventListener): () => void {
    this.listeners.add(listener)
    return () => this.listeners.delete(listener)
  }

  /** What the shell knows about the app and the machine: drives the polling pace and the outbox. */
  setAppState(state: { focused?: boolean; idle?: boolean; online?: boolean }): void {
    if (state.online !== undefined) this.setConnection(state.online)
    this.session?.poller.update(state)
  }

  /**
   * The file of an attachment for the shell's media route: from the cache (so threads read offline),
   * else downloaded now. Null when it is neither cached nor reachable.
   */
  async mediaFile(attachmentId: string): Promise<{ path: string; mime: string | null } | null> {
    const cached = await this.media.resolve(attachmentId)
    if (cached) return cached
    const attachment = this.store.messages.attachment(attachmentId)
    if (!attachment?.url) return null
    const fetched = await this.media.ensure(attachment, { priority: 'eager' })
    return fetched.ok ? fetched.file : null
  }

  get signedOut(): boolean {
    return this.session === null
  }

  get chatOnScreen(): string | null {
    return this.viewedChatId
  }

  /** For the shell: pushes an event to every listener (e.g. 'open-chat' after a notification click). */
  notifyRenderer<K extends InboxEventName>(name: K, payload: InboxEvents[K]): void {
    this.emit(name, payload)
  }

  get settingsSnapshot(): Settings {
    return this.settings()
  }

  get cache(): InboxStore {
    return this.store
  }

  async close(): Promise<void> {
    await this.endSession()
    await this.closeCache()
  }

  // ---------------------------------------------------------------- calls

  private async call<K extends InboxCallName, T>(
    name: K,
    rawArgs: unknown,
    run: (args: z.output<(typeof INBOX_API_ARGS)[K]>) => T | Promise<T>
  ): Promise<InboxResult<T>> {
    const parsed = (INBOX_API_ARGS[name] as ZodType).safeParse(rawArgs)
    if (!parsed.success) {
      const detail = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'arguments'}: ${issue.message}`).join('; ')
      return { ok: false, error: { code: 'invalid_argument', message: `Invalid arguments for ${name}: ${detail}` } }
    }
    try {
      return { ok: true, value: await run(parsed.data as never) }
    } catch (error) {
      return { ok: false, error: this.toInboxError(error) }
    }
  }

  private toInboxError(error: unknown): InboxError {
    if (error instanceof InboxFailure) return error.toInboxError()
    if (isPostproxyError(error)) {
      const code = error.kind === 'unauthorized' ? 'unauthorized' : error.kind === 'network' || error.kind === 'timeout' ? 'network' : error.kind === 'not_found' ? 'not_found' : 'internal'
      return { code, message: error.userMessage }
    }
    if (error instanceof StoreError || error instanceof SecretStoreError) return { code: 'internal', message: error.userMessage }
    return { code: 'internal', message: 'Something went wrong inside dmdesk. Your messages are safe; try again.' }
  }

  private active(): ActiveSession {
    if (!this.session) throw new InboxFailure('not_signed_in', 'Sign in with your Postproxy API key, or try the demo.')
    return this.session
  }

  // ---------------------------------------------------------------- session

  private sessionView(): Session {
    const s = this.session
    return s ? { state: 'signed_in', mode: s.mode, profiles: s.profiles, profileId: s.profileId } : { state: 'signed_out' }
  }

  private async restoreSession(): Promise<void> {
    const stored = this.store.settings.get(SESSION_SETTING) as StoredSession | undefined
    if (!stored) return
    try {
      if (stored.mode === 'demo') await this.startDemo(stored.profileId)
      else {
        const apiKey = await this.options.secrets.get(API_KEY_SECRET)
        if (apiKey) await this.beginSession({ mode: 'live', apiKey, baseUrl: this.options.postproxyBaseUrl ?? DEFAULT_POSTPROXY_URL, profileId: stored.profileId, verify: false })
      }
    } catch {
      // Offline at start-up, or the demo could not start: the cache still reads; the next call retries.
    }
  }

  private async signIn(apiKey: string): Promise<Session> {
    await this.endSession()
    const baseUrl = this.options.postproxyBaseUrl ?? DEFAULT_POSTPROXY_URL
    const session = await this.beginSession({ mode: 'live', apiKey, baseUrl, profileId: null, verify: true })
    // Only a key Postproxy accepted reaches the keychain; a key the keychain refuses ends the session
    // (it could not be restored on the next start, and the creator must hear why).
    try {
      await this.options.secrets.set(API_KEY_SECRET, apiKey)
    } catch (error) {
      await this.endSession()
      throw error
    }
    return session
  }

  private async startDemo(profileId: string | null = null): Promise<Session> {
    if (!this.options.startDemoBackend) throw new InboxFailure('internal', 'The demo is not available in this build.')
    await this.endSession()
    const demo = await this.options.startDemoBackend(join(this.options.dataDir, 'demo'))
    try {
      return await this.beginSession({ mode: 'demo', apiKey: demo.apiKey, baseUrl: demo.baseUrl, profileId, verify: true, demo })
    } catch (error) {
      await demo.close()
      throw error
    }
  }

  private async beginSession(input: {
    mode: 'live' | 'demo'
    apiKey: string
    baseUrl: string
    profileId: string | null
    verify: boolean
    demo?: DemoBackend
  }): Promise<Session> {
    const client = createPostproxyClient({ baseUrl: input.baseUrl, apiKey: input.apiKey, ...this.options.clientOptions })
    let profiles = this.store.profiles.list()
    if (input.verify || profiles.length === 0) {
      try {
        profiles = await client.listProfiles()
      } catch (error) {
        if (isPostproxyError(error) && error.kind === 'unauthorized') {
          throw new InboxFailure('unauthorized', "Postproxy didn't accept this API key. Copy it again from your Postproxy dashboard (Settings → API keys).", error)
        }
        throw error
      }
      this.store.profiles.upsertProfiles(profiles)
    }
    const profile = profiles.find((p) => p.id === input.profileId) ?? preferredProfile(profiles)
    if (!profile) throw new InboxFailure('not_found', 'This Postproxy account has no connected profiles yet. Connect your Instagram account in Postproxy first.')

    const sync = new InboxSync({
      client,
      store: this.store,
      profileId: profile.id,
      onProgress: (p) => this.updateSync({ state: 'syncing', progress: p.phase === 'chats' ? 0.1 * (p.done / Math.max(p.total, 1)) : 0.1 + 0.9 * (p.done / Math.max(p.total, 1)) }),
      onNewInbound: (messages) => this.announceInbound(messages.map((m) => m.id))
    })
    const sender = new OutboxSender({
      client,
      store: this.store,
      stagingDir: join(this.options.dataDir, 'outbox-media'),
      now: this.now,
      onConnectivity: (online) => this.setConnection(online)
    })
    const poller = new Poller({ poll: () => this.poll() })
    const tunnel = new Tunnel({ store: this.store, secrets: this.options.secrets, client, reconcile: () => sync.reconcile() })
    tunnel.on('status', (status) => {
      this.status = { ...this.status, tunnel: status }
      // Events arrive on their own while the tunnel is up: polling drops to a slow safety net.
      poller.update({ tunnelConnected: status.state === 'connected' })
      this.queueStatus()
    })
    tunnel.on('changes', (changes) => this.announceInbound(changes.newInbound.map((ref) => ref.id)))
    this.session = {
      mode: input.mode,
      profileId: profile.id,
      profiles: profiles.map(profileSummary),
      client,
      sync,
      sender,
      love: new LoveToggle({ client, store: this.store, now: this.now }),
      poller,
      tunnel,
      demo: input.demo ?? null,
      apiKey: input.apiKey
    }
    this.store.settings.set(SESSION_SETTING, { mode: input.mode, profileId: profile.id } satisfies StoredSession)
    sender.start()
    // The first sync runs now; the poller keeps the cache fresh afterwards.
    void poller.pollNow().then(() => poller.start())
    void this.connectTunnel(tunnel, input.demo?.relay).catch(() => {
      // Pairing or connecting failed: the status says so and polling carries on.
    })
    const view = this.sessionView()
    this.emit('session', view)
    return view
  }

  /** Starts the tunnel when paired; the demo pairs with its own relay (a new one each launch). */
  private async connectTunnel(tunnel: Tunnel, demoRelay: { url: string; adminToken: string } | undefined): Promise<void> {
    if (demoRelay && tunnel.pairingRecord?.relayUrl !== demoRelay.url) {
      await tunnel.pair({ relayUrl: demoRelay.url, adminToken: demoRelay.adminToken })
      return
    }
    if (tunnel.status.state !== 'not_paired') await tunnel.start()
  }

  private async selectProfile(profileId: string): Promise<Session> {
    const s = this.active()
    if (!s.profiles.some((p) => p.id === profileId)) throw new InboxFailure('not_found', 'That profile is not part of this Postproxy account.')
    const { mode, apiKey, demo } = s
    const baseUrl = demo?.baseUrl ?? this.options.postproxyBaseUrl ?? DEFAULT_POSTPROXY_URL
    await this.endSession({ keepDemo: true })
    return this.beginSession({ mode, apiKey, baseUrl, profileId, verify: false, demo: demo ?? undefined })
  }

  private async signOut(wipeCache: boolean): Promise<Session> {
    await this.endSession()
    await this.options.secrets.delete(API_KEY_SECRET)
    this.store.settings.delete(SESSION_SETTING)
    if (wipeCache) {
      await this.closeCache()
      for (const name of ['inbox.db', 'inbox.db-wal', 'inbox.db-shm', 'outbox-media', 'media', 'demo']) {
        rmSync(join(this.options.dataDir, name), { recursive: true, force: true })
      }
      this.store = this.openCache()
      this.media = this.openMediaCache()
    }
    const view = this.sessionView()
    this.emit('session', view)
    this.queueStatus()
    return view
  }

  private async endSession(options: { keepDemo?: boolean } = {}): Promise<void> {
    const s = this.session
    if (!s) return
    this.session = null
    s.poller.stop()
    await s.tunnel.stop()
    await s.sender.stop()
    if (s.demo && !options.keepDemo) await s.demo.close()
  }

  // ---------------------------------------------------------------- reading

  private listChats(args: { filter: string; cursor: string | null; limit: number }): { chats: ChatSummary[]; nextCursor: string | null } {
    const s = this.active()
    const options: ChatListOptions = { profileId: s.profileId, limit: args.limit, after: decodeCursor<ChatCursor>(args.cursor) ?? undefined }
    if (args.filter === 'unread') options.unreadOnly = true
    if (args.filter === 'verified') options.verifiedOnly = true
    if (args.filter === 'large_following') options.minFollowers = LARGE_FOLLOWING
    if (args.filter === 'window_open') options.windowOpenAt = this.now()
    const page = this.store.chats.listChats(options)
    return { chats: page.chats.map(toChatSummary), nextCursor: page.nextCursor ? encodeCursor(page.nextCursor) : null }
  }

  private search(query: string, limit: number): SearchHit[] {
    const s = this.active()
    if (query.trim() === '') return []
    return toSearchHits(this.store.search(query, { limit, profileId: s.profileId }), (chatId) => this.store.chats.getChat(chatId)?.chat ?? null)
  }

  private async getThread(chatId: string, before: string | null, limit: number): Promise<ThreadPage> {
    const s = this.active()
    const cursor = decodeCursor<ThreadCursor>(before)
    let page = this.store.messages.threadPage(chatId, { before: cursor, limit })
    // Past the cached history: fetch the next older page from Postproxy, unless offline.
    if (page.messages.length < limit && s.sync.hasOlderOnServer(chatId)) {
      try {
        if ((await s.sync.loadOlder(chatId)) > 0) page = this.store.messages.threadPage(chatId, { before: cursor, limit })
      } catch {
        // Offline or refused: the cached part still shows; scrolling up later retries.
      }
    }
    const olderCursor = page.olderCursor ?? (s.sync.hasOlderOnServer(chatId) && page.messages.length > 0 ? this.cursorOf(page.messages.at(-1)!) : null)
    return { messages: page.messages.map((m) => this.threadMessage(m)), olderCursor: olderCursor ? encodeCursor(olderCursor) : null }
  }

  private cursorOf(stored: StoredMessage): ThreadCursor {
    return { sortAt: stored.sortAt, rowId: stored.rowId }
  }

  private threadMessage(stored: StoredMessage): ThreadMessage {
    const chat = this.store.chats.getChat(stored.message.chat_id)
    const mediaUrl = this.options.mediaUrl ?? ((id: string) => `/media/${encodeURIComponent(id)}`)
    return toThreadMessage(stored, {
      participantExternalId: chat?.chat.participant_external_id ?? '',
      outbox: stored.localId ? this.store.outbox.get(stored.localId) : null,
      mediaUrl,
      cachedMime: (id) => this.media.lookup(id)?.mime ?? null,
      cursor: encodeCursor(this.cursorOf(stored))
    })
  }

  private findOwnSend(messageId: string): StoredMessage {
    const stored = this.store.messages.getMessage(messageId) ?? this.store.messages.getByLocalId(messageId)
    if (!stored?.localId) throw new InboxFailure('not_found', 'This message is no longer waiting to be sent.')
    return stored
  }

  private retrySend(messageId: string): ThreadMessage {
    const stored = this.findOwnSend(messageId)
    this.active().sender.retry(stored.localId!)
    return this.threadMessage(this.store.messages.storedByRowId(stored.rowId) ?? stored)
  }

  private discardSend(messageId: string): null {
    this.active().sender.discard(this.findOwnSend(messageId).localId!)
    return null
  }

  private markRead(chatId: string, read: boolean): null {
    const done = read ? this.store.chats.markRead(chatId) : this.store.chats.markUnread(chatId)
    if (!done) throw new InboxFailure('not_found', 'This conversation is not in your inbox any more.')
    return null
  }

  private settings(): Settings {
    return { ...DEFAULT_SETTINGS, ...((this.store.settings.get(SETTINGS_SETTING) as Partial<Settings> | undefined) ?? {}) }
  }

  // ---------------------------------------------------------------- sync, status, events

  private async poll(): Promise<boolean> {
    const s = this.session
    if (!s) return false
    this.updateSync({ state: 'syncing', progress: s.sync.initialSyncDone ? null : 0 })
    try {
      await s.sync.sync()
      this.updateSync({ state: 'idle', progress: null, lastSyncedAt: new Date(this.now()).toISOString(), error: null })
      this.setConnection(true)
      return true
    } catch (error) {
      const offline = isPostproxyError(error) && (error.kind === 'network' || error.kind === 'timeout')
      if (offline) this.setConnection(false)
      this.updateSync({ state: offline ? 'idle' : 'error', progress: null, error: offline ? null : this.toInboxError(error).message })
      return false
    }
  }

  /** New inbound messages from a poll or a webhook; listeners de-duplicate by message id. */
  private announceInbound(messageIds: readonly string[]): void {
    for (const id of messageIds) {
      const message = this.store.messages.getMessage(id)?.message
      const chat = message && this.store.chats.getChat(message.chat_id)?.chat
      if (!message || !chat) continue
      this.emit('inbound-message', { chatId: chat.id, messageId: message.id, participant: participantOf(chat), preview: message.body ?? 'Sent an attachment' })
    }
  }

  private setConnection(online: boolean): void {
    const connection = online ? 'online' : 'offline'
    if (this.status.connection === connection) return
    this.status = { ...this.status, connection }
    if (online) this.media.retryFailedNow()
    this.session?.sender.setOnline(online)
    this.session?.poller.update({ online })
    this.queueStatus()
  }

  private updateSync(change: Partial<InboxStatus['sync']>): void {
    this.status = { ...this.status, sync: { ...this.status.sync, ...change } }
    this.queueStatus()
  }

  private currentStatus(): InboxStatus {
    return { ...this.status, unreadTotal: this.session ? this.store.chats.totalUnread(this.session.profileId) : 0 }
  }

  /** Status pushes are coalesced: a burst of changes sends one. */
  private queueStatus(): void {
    if (this.statusQueued) return
    this.statusQueued = true
    queueMicrotask(() => {
      this.statusQueued = false
      this.emit('status', this.currentStatus())
    })
  }

  private emit<K extends InboxEventName>(name: K, payload: InboxEvents[K]): void {
    for (const listener of this.listeners) {
      try {
        listener(name, payload)
      } catch {
        // A failing listener must not break the core or other listeners.
      }
    }
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
    const store = openStore(join(this.options.dataDir, 'inbox.db'))
    this.unsubscribeStore = [
      store.on('chatsChanged', ({ chatIds }) => {
        this.emit('chats-changed', { chatIds })
        this.queueStatus()
      }),
      store.on('messagesChanged', ({ chatId }) => this.emit('messages-changed', { chatId, messageIds: [] }))
    ]
    return store
  }
}
