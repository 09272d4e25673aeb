// The renderer modules under test, loaded by URL and typed here by hand.
//
// Why not plain `import { x } from '../../../renderer/src/lib/...'`: tsconfig.node.json (which
// type-checks tests/) is a composite project that does not list renderer/, so any static import of a
// renderer file fails `tsc -p tsconfig.node.json` with TS6307 ("not listed within the file list of
// project"), and no comment directive can silence that error. A dynamic import of a computed URL is
// invisible to tsc, so each module's shape is declared below with the shared types it really uses.
// If a signature changes, the tests still run the real code; only this file's types go stale.
// (The lasting fix is a tsconfig project for renderer unit tests with the DOM lib, like tsconfig.e2e.json.)
import type { MessagingWindow } from '../../../shared/messaging-window.ts'
import type { MediaKind } from '../../../shared/media-rules.ts'
import type { NotificationPlan } from '../../../shared/notification-policy.ts'
import type {
  CommentAuthor,
  CommentItem,
  InboxBridge,
  MediaSource,
  Participant,
  PendingCommentAction,
  PrivateReplyState,
  ProfileSummary,
  Session,
  ThreadMessage,
  ThreadPage
} from '../../../shared/inbox-api.ts'

async function load<Module>(pathUnderLib: string): Promise<Module> {
  const url = new URL(`../../../renderer/src/lib/${pathUnderLib}`, import.meta.url)
  return (await import(url.href)) as Module
}

export interface TextPiece {
  text: string
  highlighted: boolean
}

export interface HighlightSpansModule {
  highlightPieces(text: string, ranges: readonly (readonly [number, number])[]): TextPiece[]
}

export interface VirtualWindowModule {
  rowOffsets(count: number, heightOf: (index: number) => number): Float64Array
  rowAt(offsets: Float64Array, y: number): number
  visibleRange(offsets: Float64Array, scrollTop: number, viewportHeight: number, overscan: number): { start: number; end: number }
  driftCorrection(drift: number, shim: number): { scrollBy: number; shim: number }
}

export interface NoticeToShow {
  title: string
  body: string
  tag: string
  chatId: string | null
  commentId?: string
}

/** Only the pure part: the rest of the module needs the browser's Notification API. */
export interface WebNotificationsModule {
  noticeFor(plan: NotificationPlan): NoticeToShow
  notificationsSupported(): boolean
}

export interface ParticipantTextModule {
  participantHandle(p: Participant, platform?: string): string
  participantTitle(p: Participant, platform?: string): string
  participantLabel(p: Participant, platform?: string): string
  followerCountText(count: number): string
  initialsOf(p: Participant): string
  hueOf(key: string): number
}

export interface RelativeTimeModule {
  compactRelativeTime(iso: string | null, now: number): string
  dayLabel(iso: string, now: number): string
  sameDay(a: string, b: string): boolean
  spokenRelativeTime(iso: string, now: number): string
}

export type WindowTone = 'open' | 'closing' | 'closed'

export interface MessagingWindowTextModule {
  windowOf(lastInboundAt: string | null, now: number): MessagingWindow
  windowChip(window: MessagingWindow, now: number): { text: string; spoken: string; tone: WindowTone } | null
  windowSentence(window: MessagingWindow, now: number): string
  windowTone(window: MessagingWindow): WindowTone
  composerRestriction(window: MessagingWindow, now: number, platform: string, replyableComments?: number | null): string | null
}

export interface CommentTextModule {
  authorHandle(author: CommentAuthor, platform?: string): string
  captionSnippet(caption: string | null, max?: number): string
  privateReplyText(state: PrivateReplyState, now: number): string
  pendingActionText(action: PendingCommentAction): string
  commentFacts(comment: CommentItem): string[]
}

export interface ThreadModelModule {
  messageKey(message: ThreadMessage): string
  mergeNewestPage(loaded: ThreadMessage[], page: ThreadPage, loadedOlderCursor: string | null): { messages: ThreadMessage[]; olderCursor: string | null }
}

export interface CoalescedTaskModule {
  CoalescedTask: new (task: () => Promise<void>) => { run(): Promise<void> }
}

export interface DraftSaverModule {
  DraftSaver: new (
    initial: string,
    save: (text: string) => void
  ) => { loaded(text: string): void; changed(text: string): void; flush(): void; cleared(): void }
}

export type AttachmentCheck = { ok: true; kind: MediaKind; mime: string } | { ok: false; message: string }

export interface AttachmentCheckModule {
  checkAttachment(file: File, platform: string): Promise<AttachmentCheck>
  acceptedMimeTypes(platform: string): string
  attachmentLabel(kind: MediaKind, platform: string): string
}

export interface MediaSourceModule {
  bytesToBase64(bytes: Uint8Array): string
  uploadedMediaSource(file: File): Promise<MediaSource>
}

/** The fields of a KeyboardEvent the shortcuts read (the node project has no DOM types). */
export interface KeyPress {
  key: string
  code?: string
  ctrlKey: boolean
  metaKey: boolean
  shiftKey: boolean
  altKey: boolean
}

export type ShortcutId =
  | 'open-switcher' | 'focus-search' | 'shortcut-sheet' | 'previous-chat' | 'next-chat' | 'previous-unread' | 'next-unread'
  | 'view-inbox' | 'view-snoozed' | 'view-done' | 'reply' | 'love' | 'go-to-quoted' | 'interactive-parts' | 'mark-unread' | 'done' | 'snooze' | 'pin' | 'label'
  | 'select' | 'undo' | 'extend-selection' | 'clear-selection' | 'saved-replies' | 'send'

export interface KeyCombo {
  key: string
  code?: string
  mod?: boolean
  alt?: boolean
  shift?: boolean | 'any'
}

export interface ShortcutEntry {
  id: ShortcutId
  group: string
  description: string
  scope: 'app' | 'list' | 'composer'
  combos: KeyCombo[]
  whileTyping: boolean
}

export interface ShortcutsModule {
  IS_MAC: boolean
  MOD_LABEL: string
  SHORTCUTS: readonly ShortcutEntry[]
  shortcutOf(event: KeyPress, options?: { scope?: 'app' | 'list' | 'composer'; typing?: boolean }): ShortcutId | null
  comboKeys(combo: KeyCombo): string[]
  comboMatches(combo: KeyCombo, event: KeyPress): boolean
  shortcutHint(id: ShortcutId): string
}

export interface Rankable {
  title: string
  text: string
}

export interface FuzzyRankModule {
  normalizeForSearch(text: string): string
  wordScore(word: string, field: string): number
  rankSavedReplies<T extends Rankable>(items: readonly T[], query: string, limit?: number): T[]
}

export interface TriageModelModule {
  leavesView(action: { kind: string; labelId?: number; on?: boolean }, view: 'inbox' | 'snoozed' | 'done', labelFilter: number | null): boolean
}

/** The parts of a drag event the drop zone reads. */
export interface DragLike extends Event {
  dataTransfer: { types: readonly string[]; files: readonly File[]; dropEffect?: string } | null
}

export interface DropZoneOptions {
  ondrop(files: File[]): void
  onactive(active: boolean): void
  enabled?: boolean
}

export interface DropZoneModule {
  dropZone(node: EventTarget, options: DropZoneOptions): { update(next: DropZoneOptions): void; destroy(): void }
}

export type BridgeConnection = 'connecting' | 'connected' | 'reconnecting'

export interface WebSocketBridgeModule {
  bridgeUrlFor(location: { protocol: string; host: string; search: string }): string
  WebSocketBridge: new (url: string) => {
    readonly api: InboxBridge
    readonly connection: BridgeConnection
    onConnection(listener: (state: BridgeConnection) => void): () => void
  }
}

export const loadHighlightSpans = () => load<HighlightSpansModule>('format/highlight-spans.ts')
export const loadVirtualWindow = () => load<VirtualWindowModule>('thread/virtual-window.ts')
export const loadWebNotifications = () => load<WebNotificationsModule>('notifications/web-notifications.ts')
export const loadParticipantText = () => load<ParticipantTextModule>('format/participant-text.ts')
export const loadRelativeTime = () => load<RelativeTimeModule>('format/relative-time.ts')
export const loadMessagingWindowText = () => load<MessagingWindowTextModule>('format/messaging-window-text.ts')
export const loadCommentText = () => load<CommentTextModule>('format/comment-text.ts')
/** A `.svelte.ts` module: only its plain functions are used (its class needs the Svelte compiler for runes). */
export const loadThreadModel = () => load<ThreadModelModule>('inbox/thread-model.svelte.ts')
export const loadCoalescedTask = () => load<CoalescedTaskModule>('inbox/coalesced-task.ts')
export const loadDraftSaver = () => load<DraftSaverModule>('composer/draft-saver.ts')
export const loadAttachmentCheck = () => load<AttachmentCheckModule>('composer/attachment-check.ts')
export const loadMediaSource = () => load<MediaSourceModule>('bridge/media-source.ts')
export const loadShortcuts = () => load<ShortcutsModule>('keyboard/shortcuts.ts')
export interface ChatSelectionModule {
  ChatSelection: new () => {
    readonly size: number
    has(chatId: string): boolean
    toggle(chatId: string): void
    add(chatId: string): void
    selectRange(chatId: string, order: readonly string[]): void
    retain(order: readonly string[]): void
    inOrder(order: readonly string[]): string[]
    clear(): void
  }
}

export const loadChatSelection = () => load<ChatSelectionModule>('inbox/chat-selection.svelte.ts')
export const loadFuzzyRank = () => load<FuzzyRankModule>('saved-replies/fuzzy-rank.ts')
/** A `.svelte.ts` module: only its plain function is used. */
export const loadTriageModel = () => load<TriageModelModule>('triage/triage-model.svelte.ts')
export const loadDropZone = () => load<DropZoneModule>('composer/drop-zone.ts')
export const loadWebSocketBridge = () => load<WebSocketBridgeModule>('bridge/web-socket-bridge.ts')

export interface VisibilitySourceLike {
  readonly visibilityState: string
  addEventListener(type: 'visibilitychange', listener: () => void): void
  removeEventListener(type: 'visibilitychange', listener: () => void): void
}

export interface VisibleIntervalModule {
  VisibleInterval: new (callback: () => void, intervalMs: number, page?: VisibilitySourceLike) => { readonly running: boolean; stop(): void }
}

export const loadVisibleInterval = () => load<VisibleIntervalModule>('visible-interval.ts')

type SignedInSession = Extract<Session, { state: 'signed_in' }>

export interface SessionChangeModule {
  sessionChange(previous: SignedInSession | null, next: SignedInSession | null): 'signed-out' | 'started' | 'refiltered' | 'profiles-changed' | 'same'
  profileShown(session: SignedInSession, profileId: string): boolean
}

export interface ProfileFilterModule {
  problemMark(profile: Pick<ProfileSummary, 'problem' | 'status'>): string | null
  profileTitle(profile: Pick<ProfileSummary, 'id' | 'name' | 'username' | 'platform'>): string
  profileFilterOptions(profiles: readonly ProfileSummary[], unreadByProfile?: Record<string, number>): { value: string | null; label: string }[]
}

export const loadSessionChange = () => load<SessionChangeModule>('inbox/session-change.ts')
export const loadProfileFilter = () => load<ProfileFilterModule>('inbox/profile-filter.ts')
