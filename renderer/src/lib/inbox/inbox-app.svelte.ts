// The renderer's state in one place: the session, the core's status and settings, the chat list,
// the open thread, and the wiring of the core's pushes (InboxEvents) to them. Components read it and
// call its methods; only this class and the models it owns talk to the bridge.
import type { ChatSummary, InboxEventName, InboxEvents, InboxStatus, Participant, ProfileSummary, Session, Settings, TriageAction } from '../../../../shared/inbox-api.ts'
import { isUnifiedInbox } from '../../../../shared/profile-names.ts'
import type { AppBridge } from '../bridge/bridge.ts'
import type { BridgeConnection } from '../bridge/bridge-connection.ts'
import { participantLabel } from '../format/participant-text.ts'
import { INSTAGRAM } from '../../../../shared/platforms.ts'
import { NotificationBatcher } from '../../../../shared/notification-policy.ts'
import { CommentsModel } from '../comments/comments-model.svelte.ts'
import { noticeFor, showWebNotification, type NoticeToShow } from '../notifications/web-notifications.ts'
import { SavedRepliesModel } from '../saved-replies/saved-replies.svelte.ts'
import { leavesView, TriageModel } from '../triage/triage-model.svelte.ts'
import { ChatListModel } from './chat-list.svelte.ts'
import { ChatSelection } from './chat-selection.svelte.ts'
import { DialogState } from './dialogs.svelte.ts'
import { SearchModel } from './search-model.svelte.ts'
import { profileShown, sessionChange } from './session-change.ts'
import { ThreadModel } from './thread-model.svelte.ts'

const DEFAULT_SETTINGS: Settings = { notifications: true, notificationPreviews: true, commentNotifications: true, theme: 'system' }

export class InboxApp {
  readonly bridge: AppBridge
  session = $state<Session | null>(null)
  status = $state<InboxStatus | null>(null)
  settings = $state<Settings>(DEFAULT_SETTINGS)
  connection = $state<BridgeConnection>('connecting')
  /** Set when the very first call could not be answered. */
  startupError = $state<string | null>(null)
  selectedChatId = $state<string | null>(null)
  thread = $state<ThreadModel | null>(null)
  /** A message to bring into view once the thread shows it (from a search hit). */
  revealMessageId = $state<string | null>(null)
  /** The chat the creator marked unread: not marked read again until they leave it. */
  keptUnreadChatId = $state<string | null>(null)
  /** Which half of the inbox is shown: the chats, or the comments on the profile's posts. */
  view = $state<'chats' | 'comments'>('chats')
  /** The New chat dialog, when open: with the Instagram-scoped ID to start from ('' for none). */
  newChatPrompt = $state<{ instagramId: string } | null>(null)
  readonly comments: CommentsModel
  /** Summaries seen in any list, so a chat opened from search or a notification still has a header. */
  private readonly knownChats = new Map<string, ChatSummary>()
  /** Who a chat is with, when it was opened from a search hit before any list showed it. */
  private readonly participantHints = new Map<string, Participant>()
  readonly chats: ChatListModel
  /** Chats selected for a bulk action. */
  readonly selection = new ChatSelection()
  readonly dialogs = new DialogState()
  readonly triage: TriageModel
  readonly savedReplies: SavedRepliesModel
  /** The sidebar's search, kept current as the cache changes. */
  readonly search: SearchModel
  private readonly notifier: NotificationBatcher
  private readonly stops: (() => void)[] = []
  private markingRead: string | null = null
  /** The participant of each chat a notification was raised for, so a click can show who it is. */
  private readonly senders = new Map<string, Participant>()

  constructor(bridge: AppBridge) {
    this.bridge = bridge
    this.chats = new ChatListModel(bridge.api, (chats) => this.selection.retain(chats.map((c) => c.id)))
    this.triage = new TriageModel(bridge.api, this.chats, Date.now)
    this.savedReplies = new SavedRepliesModel(bridge.api)
    this.comments = new CommentsModel(bridge.api)
    this.search = new SearchModel(bridge.api)
    this.connection = bridge.connection()
    // The same rules as the desktop app's OS notifications (shared/notification-policy.ts).
    this.notifier = new NotificationBatcher({
      settings: () => ({ enabled: this.settings.notifications, showPreviews: this.settings.notificationPreviews, comments: this.settings.commentNotifications }),
      chatInFront: () => (this.pageIsInFront() && this.view === 'chats' ? this.selectedChatId : null),
      commentsInFront: () => this.pageIsInFront() && this.view === 'comments',
      show: (plan) => showWebNotification(noticeFor(plan), (notice) => this.openNotice(notice))
    })
    this.stops.push(bridge.api.onEvent((name, payload) => this.onEvent(name, payload)))
    this.stops.push(
      bridge.onConnection((state) => {
        const recovered = state === 'connected' && this.connection === 'reconnecting'
        this.connection = state
        // Pushes were missed while the socket was down: read everything again.
        if (recovered) void this.reloadAll()
      })
    )
  }

  get api() {
    return this.bridge.api
  }

  get signedIn(): Extract<Session, { state: 'signed_in' }> | null {
    return this.session?.state === 'signed_in' ? this.session : null
  }

  async start(): Promise<void> {
    if (this.session === null) this.chats.prefetchFirst()
    const [session, settings] = await Promise.all([this.api.getSession(), this.api.getSettings()])
    if (settings.ok) this.settings = settings.value
    if (!session.ok) {
      this.startupError = session.error.message
      return
    }
    this.startupError = null
    this.applySession(session.value)
  }

  private async reloadAll(): Promise<void> {
    await this.start()
    if (this.signedIn) {
      void this.refreshStatus()
      void this.chats.refresh()
      void this.thread?.refresh()
      void this.comments.refresh()
      this.search.cacheChanged()
    }
  }

  async refreshStatus(): Promise<void> {
    const status = await this.api.getStatus()
    if (status.ok) this.status = status.value
  }

  applySession(session: Session): void {
    const previous = this.signedIn
    this.session = session
    const next = this.signedIn
    const change = sessionChange(previous, next)
    if (change !== 'started') this.chats.dropPrefetch()
    switch (change) {
      case 'signed-out':
        this.closeThread()
        this.chats.clear()
        this.comments.clear()
        this.knownChats.clear()
        return
      case 'started':
        this.closeThread()
        this.reloadLists()
        void this.triage.loadLabels()
        return
      case 'refiltered':
      case 'profiles-changed': {
        // The open chat stays open while its profile is still shown.
        const open = this.selectedChat
        if (open && next && !profileShown(next, open.profileId)) this.closeThread()
        this.reloadLists()
        return
      }
      case 'same':
        return
    }
  }

  /** The chat list first; then the Comments view's first page, so switching to it paints at once. */
  private reloadLists(): void {
    this.chats.clear()
    this.comments.clear()
    this.knownChats.clear()
    void this.chats.loadFirst().then(() => {
      this.rememberChats()
      void this.comments.ensureLoaded()
    })
    void this.comments.refresh()
    void this.refreshStatus()
  }

  /** The profile filter (null: every profile's chats and comments); the session keeps running. Returns an error to show. */
  async filterProfile(profileId: string | null): Promise<string | null> {
    const result = await this.api.selectProfile({ profileId })
    if (!result.ok) return result.error.message
    this.applySession(result.value)
    return null
  }

  /** Another Postproxy account: its profiles join the inbox. Returns an error to show (the key is wrong, say). */
  async addApiKey(apiKey: string): Promise<string | null> {
    const result = await this.api.addApiKey({ apiKey })
    if (!result.ok) return result.error.message
    this.applySession(result.value)
    return null
  }

  /** Removes an added account: its profiles leave the inbox. Returns an error to show. */
  async removeApiKey(accountId: string): Promise<string | null> {
    const result = await this.api.removeApiKey({ accountId })
    if (!result.ok) return result.error.message
    this.applySession(result.value)
    return null
  }

  /** A profile of the session by id (null: not, or no longer, in it). */
  profileOf(profileId: string): ProfileSummary | null {
    return this.signedIn?.profiles.find((p) => p.id === profileId) ?? null
  }

  /** More than one messaging profile: chats carry a badge with theirs, the composer says which answers. */
  get unified(): boolean {
    const session = this.signedIn
    return session !== null && isUnifiedInbox(session.profiles)
  }

  private onEvent<K extends InboxEventName>(name: K, payload: InboxEvents[K]): void {
    if (name === 'chats-changed' || name === 'messages-changed' || name === 'comments-changed') this.search.cacheChanged()
    switch (name) {
      case 'session':
        this.applySession(payload as Session)
        break
      case 'status':
        this.status = payload as InboxStatus
        break
      case 'chats-changed':
        if (this.signedIn) void this.chats.refresh().then(() => this.rememberChats())
        else this.chats.dropPrefetch()
        break
      case 'messages-changed': {
        const { chatId } = payload as InboxEvents['messages-changed']
        if (this.thread?.chatId === chatId) void this.thread.refresh()
        break
      }
      case 'inbound-message':
        this.onInbound(payload as InboxEvents['inbound-message'])
        break
      case 'open-chat':
        void this.selectChat((payload as InboxEvents['open-chat']).chatId)
        break
      case 'labels-changed':
        this.triage.applyLabels((payload as InboxEvents['labels-changed']).labels)
        break
      case 'saved-replies-changed':
        this.savedReplies.refresh()
        break
      case 'comments-changed':
        if (this.signedIn) void this.comments.refresh().then(() => this.markCommentsSeen())
        break
      case 'new-comment':
        // In Electron the main process raises OS notifications itself.
        if (this.bridge.kind === 'web') this.notifier.pushComment(payload as InboxEvents['new-comment'])
        break
      case 'open-comment':
        void this.showComments((payload as InboxEvents['open-comment']).commentId)
        break
      case 'new-chat':
        // File ▸ New Chat… (Electron's menu); a dialog already open keeps what was typed into it.
        if (this.signedIn) this.newChatPrompt ??= { instagramId: '' }
        break
    }
  }

  /** The Comments view, optionally on one comment's thread; what it shows is no longer news. */
  async showComments(commentId: string | null = null): Promise<void> {
    this.setView('comments')
    await this.comments.ensureLoaded()
    if (commentId) await this.comments.openThread(commentId)
    this.markCommentsSeen()
  }

  /** The Comments view in front counts as seen, like an open chat counts as read. */
  markCommentsSeen(): void {
    if (this.view === 'comments' && document.visibilityState === 'visible') void this.comments.markSeen()
  }

  /** The Chats view, optionally on one chat (and message): where a private reply lands. */
  async showChats(chatId: string | null = null, revealMessageId: string | null = null): Promise<void> {
    this.setView('chats')
    if (chatId) await this.selectChat(chatId, revealMessageId)
  }

  private setView(view: 'chats' | 'comments'): void {
    if (this.view === view) return
    this.view = view
    // The shell skips comment notifications while the Comments view is in front.
    void this.api.viewComments({ inFront: view === 'comments' })
  }

  private openNotice(notice: NoticeToShow): void {
    if (notice.chatId !== null) void this.showChats().then(() => this.selectChat(notice.chatId!, null, this.senders.get(notice.chatId!) ?? null))
    else void this.showComments(notice.commentId ?? null)
  }

  private rememberChats(): void {
    for (const chat of this.chats.chats) this.knownChats.set(chat.id, chat)
    this.markOpenChatRead()
  }

  /** The open chat's summary: from the list when it is there, else as last seen. */
  get selectedChat(): ChatSummary | null {
    const id = this.selectedChatId
    if (!id) return null
    return this.chats.byId(id) ?? this.knownChats.get(id) ?? null
  }

  /** The participant of the open chat, from its summary or, failing that, from how it was found. */
  /** The open chat's platform (its rules and the name its texts say); Instagram's while its summary is unknown (opened from search). */
  get selectedPlatform(): string {
    return this.selectedChat?.platform ?? INSTAGRAM
  }

  get selectedParticipant(): Participant | null {
    const id = this.selectedChatId
    if (!id) return null
    return this.selectedChat?.participant ?? this.participantHints.get(id) ?? null
  }

  async selectChat(chatId: string, revealMessageId: string | null = null, participant: Participant | null = null): Promise<void> {
    if (participant) this.participantHints.set(chatId, participant)
    this.revealMessageId = revealMessageId
    if (this.selectedChatId === chatId && this.thread) return
    this.closeThread({ announce: false })
    this.selectedChatId = chatId
    const thread = new ThreadModel(this.api, chatId)
    this.thread = thread
    // The shell skips notifications for the chat on screen.
    void this.api.viewChat({ chatId })
    await thread.open()
    this.markOpenChatRead()
  }

  closeThread(options: { announce?: boolean } = {}): void {
    if (this.thread && options.announce !== false) void this.api.viewChat({ chatId: null })
    this.thread?.close()
    this.thread = null
    this.selectedChatId = null
    this.keptUnreadChatId = null
  }

  /** Alt+Up / Alt+Down: the neighbouring chat in the list as shown. */
  async selectAdjacent(step: -1 | 1): Promise<void> {
    const list = this.chats.chats
    if (list.length === 0) return
    const index = list.findIndex((c) => c.id === this.selectedChatId)
    const next = index < 0 ? (step > 0 ? 0 : list.length - 1) : index + step
    if (next < 0 || next >= list.length) return
    if (next === list.length - 1 && step > 0) void this.chats.loadMore()
    await this.selectChat(list[next].id)
  }

  /** Alt+Shift+Up / Down: the nearest chat with unread messages, up or down the list. */
  async selectAdjacentUnread(step: -1 | 1): Promise<boolean> {
    const list = this.chats.chats
    const index = list.findIndex((c) => c.id === this.selectedChatId)
    for (let i = index < 0 ? (step > 0 ? 0 : list.length - 1) : index + step; i >= 0 && i < list.length; i += step) {
      if (list[i].unreadCount > 0) {
        await this.selectChat(list[i].id)
        return true
      }
    }
    return false
  }

  /**
   * Done, snooze, pin… on `chatIds`. When the open chat leaves the list, the next one opens in its place,
   * so working the inbox down is one key per chat.
   */
  async runTriage(chatIds: string[], action: TriageAction): Promise<boolean> {
    const list = this.chats.chats
    const open = this.selectedChatId
    const leaving = new Set(leavesView(action, this.chats.view, this.chats.labelId) ? chatIds : [])
    const openIndex = open && leaving.has(open) ? list.findIndex((c) => c.id === open) : -1
    const successor = openIndex < 0 ? null : (list.slice(openIndex + 1).find((c) => !leaving.has(c.id)) ?? list.slice(0, openIndex).reverse().find((c) => !leaving.has(c.id)) ?? null)
    const done = await this.triage.run(chatIds, action)
    if (done && openIndex >= 0) {
      if (successor) void this.selectChat(successor.id)
      else this.closeThread()
    }
    return done
  }

  /** E: done; chats that are done already go back to the inbox. */
  markDone(chatIds: string[]): Promise<boolean> {
    const allDone = chatIds.every((id) => (this.chats.byId(id)?.triage.view ?? this.chats.view) === 'done')
    return this.runTriage(chatIds, { kind: allDone ? 'inbox' : 'done' })
  }

  /** P: pins them, or unpins them when all of them are pinned already. */
  togglePin(chatIds: string[]): Promise<boolean> {
    const allPinned = chatIds.every((id) => this.chats.byId(id)?.triage.pinned)
    return this.runTriage(chatIds, { kind: allPinned ? 'unpin' : 'pin' })
  }

  snooze(chatIds: string[], untilMs: number): Promise<boolean> {
    return this.runTriage(chatIds, { kind: 'snooze', until: new Date(untilMs).toISOString() })
  }

  private pageIsInFront(): boolean {
    return document.visibilityState === 'visible' && document.hasFocus()
  }

  /** A chat open and in front counts as read, unless the creator just marked it unread. */
  markOpenChatRead(): void {
    const chat = this.selectedChat
    if (!chat || chat.unreadCount === 0 || this.keptUnreadChatId === chat.id) return
    if (document.visibilityState !== 'visible' || this.markingRead === chat.id) return
    this.markingRead = chat.id
    this.chats.patch(chat.id, { unreadCount: 0 })
    void this.api.markRead({ chatId: chat.id }).finally(() => {
      if (this.markingRead === chat.id) this.markingRead = null
    })
  }

  async markOpenChatUnread(): Promise<string | null> {
    const chatId = this.selectedChatId
    if (!chatId) return null
    this.keptUnreadChatId = chatId
    const result = await this.api.markUnread({ chatId })
    if (!result.ok) {
      this.keptUnreadChatId = null
      return result.error.message
    }
    void this.chats.refresh()
    return null
  }

  /** Pairing changes the tunnel's state: shown at once, before the next status push. */
  applyTunnel(tunnel: InboxStatus['tunnel']): void {
    if (this.status) this.status = { ...this.status, tunnel }
  }

  async updateSettings(change: Partial<Settings>): Promise<string | null> {
    const before = this.settings
    this.settings = { ...before, ...change }
    const result = await this.api.updateSettings(change)
    if (!result.ok) {
      this.settings = before
      return result.error.message
    }
    this.settings = result.value
    return null
  }

  private onInbound(event: InboxEvents['inbound-message']): void {
    // In Electron the main process raises OS notifications itself.
    if (this.bridge.kind !== 'web') return
    this.senders.set(event.chatId, event.participant)
    this.notifier.push({ chatId: event.chatId, messageId: event.messageId, sender: participantLabel(event.participant, this.chats.chats.find((chat) => chat.id === event.chatId)?.platform), preview: event.preview, profile: event.profile })
  }

  dispose(): void {
    for (const stop of this.stops) stop()
    this.thread?.close()
  }
}
