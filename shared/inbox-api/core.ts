// The core of the InboxApi contract: sessions, the chat list, threads, sending, status, settings and the
// relay, with their view models, argument schemas and pushes. Feature modules beside this file add their
// own calls; shared/inbox-api.ts puts them together.
import { z } from 'zod'
import { MESSAGE_TAGS } from '../messaging-window.ts'
import type { MessageButton, MessageCard, QuickReply, TappedAction } from '../postproxy-interactive.ts'
import { relayAddressProblem } from '../relay-address.ts'
import { idArg, type InboxResult } from './results.ts'
import { ChatViewSchema, labelIdArg, type ChatTriageState } from './triage.ts'

// ---------------------------------------------------------------- view models

export interface Participant {
  externalId: string
  username: string | null
  name: string | null
  avatarUrl: string | null
  isVerified: boolean | null
  followerCount: number | null
  /** The participant follows the creator's account. */
  followsYou: boolean | null
  /** The creator's account follows the participant. */
  youFollow: boolean | null
}

export interface ChatSummary {
  id: string
  profileId: string
  platform: string
  participant: Participant
  lastMessageAt: string | null
  /** The messaging window runs from here (see shared/messaging-window.ts). */
  lastInboundAt: string | null
  lastOutboundAt: string | null
  preview: { text: string; direction: 'inbound' | 'outbound' } | null
  unreadCount: number
  hasDraft: boolean
  /** Done, snoozed, pinned, and why it came back (see triage.ts). */
  triage: ChatTriageState
  /** The ids of its labels (see `listLabels`). */
  labelIds: number[]
  /** The ad or ig.me link that brought them (chat `metadata.referral`); null when none. */
  referral: ChatReferral | null
}

export interface ChatReferral {
  /** The link's `ref` parameter or the ad's name, e.g. "spring_drop". */
  ref: string | null
  /** ADS, SHORTLINK… as Meta names it. */
  source: string | null
  type: string | null
}

/** What the creator sees as a message's state; `received` for inbound messages. */
export type DisplayStatus = 'queued' | 'sending' | 'sent' | 'delivered' | 'seen' | 'failed' | 'received'

export interface ThreadAttachment {
  id: string
  type: string
  /** A URL the renderer can load: the local media cache when cached, so threads read offline. */
  url: string | null
  mime: string | null
  cached: boolean
}

/** The message another one answers (`reply_to_external_id`), as the thread shows it quoted. */
export interface QuotedMessage {
  /** The quoted message's `external_id` (Meta `mid`). */
  externalId: string
  /**
   * `loaded`: in this inbox's cache (jump to it with `messageId`); `not_loaded`: not cached (older than
   * what was synced); `removed`: the sender unsent it.
   */
  state: 'loaded' | 'not_loaded' | 'removed'
  messageId: string | null
  direction: 'inbound' | 'outbound' | null
  /** Its text, or "Photo", "Video"… for media; null unless loaded. Plain text, never HTML. */
  preview: string | null
}

export interface ThreadMessage {
  /** The server id once known, else the local id of the optimistic row. */
  id: string
  localId: string | null
  /** The platform's id (Meta `mid`): what a reply quotes. Null while a send is pending. */
  externalId: string | null
  chatId: string
  direction: 'inbound' | 'outbound'
  body: string | null
  status: DisplayStatus
  /** Why a send failed, in words a creator understands. */
  error: string | null
  /** Whether a failed send can be tried again (permanent refusals like the window cannot). */
  retryable: boolean
  attachments: ThreadAttachment[]
  /** The creator's love on an inbound message. */
  lovedByYou: boolean
  /** Emoji the participant reacted with. */
  participantReactions: string[]
  /** A reply to the creator's story; `thumbnailUrl` loads the story's picture through the media cache. */
  storyReply: { id: string | null; url: string | null; thumbnailUrl: string | null; cached: boolean } | null
  isStoryMention: boolean
  /** When the sender last edited it (Instagram shows "Edited"); null when never. */
  editedAt: string | null
  /** The message this one answers, quoted; null when it answers none. */
  replyTo: QuotedMessage | null
  /** What the business sent with it (§9); null when absent. */
  quickReplies: QuickReply[] | null
  buttons: MessageButton[] | null
  card: MessageCard | null
  /** On an inbound message created by a tap on a quick reply, a button or an ice breaker. */
  tappedAction: TappedAction | null
  /** A private reply to a comment: the comment it answers (id and text when the cache holds it). */
  privateReplyTo: { commentId: string | null; text: string | null } | null
  isDeleted: boolean
  isUnsupported: boolean
  /** When it was posted (or created, while pending). */
  at: string
  /** An opaque cursor for loading the page before this message. */
  cursor: string
}

export interface ThreadPage {
  messages: ThreadMessage[]
  /** Pass as `before` to load older messages; null when the start of the conversation is reached. */
  olderCursor: string | null
}

export interface SearchHit {
  chatId: string
  /** Null when the hit is the participant (name or username), not a message. */
  messageId: string | null
  participant: Participant
  /** Plain text, never HTML; `highlights` are [start, end) character ranges of the matched words. */
  snippet: { text: string; highlights: [number, number][] }
  at: string | null
}

export type ConnectionState = 'online' | 'offline'

export type TunnelStatus =
  | { state: 'not_paired' }
  | { state: 'connected'; signatureFailures: number }
  | { state: 'reconnecting'; nextAttemptAt: string; signatureFailures: number }
  | { state: 'needs_pairing'; reason: string }

/**
 * What a first sync is doing: listing the chats, fetching the chats awaiting a reply, then filling in the
 * rest of the history in the background.
 */
export type FirstSyncStage = 'chats' | 'unread' | 'history'

export interface SyncStatus {
  state: 'idle' | 'syncing' | 'error'
  /** 0..1 during the initial sync; null otherwise. */
  progress: number | null
  /** During the initial sync; null otherwise. */
  stage: FirstSyncStage | null
  lastSyncedAt: string | null
  error: string | null
}

export interface InboxStatus {
  connection: ConnectionState
  sync: SyncStatus
  tunnel: TunnelStatus
  /** Over every profile (the app badge). */
  unreadTotal: number
  /** Unread chats' messages per profile id (the profile filter shows them). */
  unreadByProfile: Record<string, number>
}

export interface ProfileSummary {
  id: string
  name: string | null
  /** The handle (`@name`) where the network has one; null for a Facebook Page without one. */
  username: string | null
  platform: string
  status: string
  avatarUrl: string | null
  /** Its direct messages are in this inbox (Instagram, Messenger); false on networks without DMs. */
  messaging: boolean
  /**
   * Why it cannot send now, in plain words ("The Instagram connection of … expired …; reconnect it in
   * Postproxy …"); null while it can. Its chats stay in the inbox, readable.
   */
  problem: string | null
  /** The Postproxy account (API key) that reaches it; see `Session.accounts`. */
  accountId: string
}

/** A Postproxy account (one API key) of the session. The key itself never leaves the core. */
export interface AccountSummary {
  id: string
  /** How Settings names it: "Postproxy account 1", "Postproxy account 2", … in the order they were added. */
  label: string
}

export type Session =
  | { state: 'signed_out' }
  | {
      state: 'signed_in'
      mode: 'live' | 'demo'
      /** The first is the key signed in with; more are added in Settings (agencies). */
      accounts: AccountSummary[]
      /** Every profile of every account, messaging ones first. */
      profiles: ProfileSummary[]
      /** The unified inbox shows this profile's chats and comments only; null: all profiles. */
      profileFilter: string | null
    }

export type Theme = 'light' | 'dark' | 'system'

export interface Settings {
  notifications: boolean
  notificationPreviews: boolean
  /** New comments raise notifications too (the same rules as messages: previews, bursts). */
  commentNotifications: boolean
  theme: Theme
}

// ---------------------------------------------------------------- call arguments

export const ChatFilterSchema = z.enum(['all', 'unread', 'window_open', 'verified', 'large_following'])
export type ChatFilter = z.infer<typeof ChatFilterSchema>

const id = idArg

export const ListChatsArgs = z.object({
  /** Which list: the inbox (pinned chats first), snoozed chats, or done chats. */
  view: ChatViewSchema.default('inbox'),
  filter: ChatFilterSchema.default('all'),
  /** Only chats with this label; combines with `filter`. */
  labelId: labelIdArg.nullable().default(null),
  /** Chats after this cursor (from the previous page), newest activity first. */
  cursor: z.string().max(500).nullable().default(null),
  limit: z.number().int().min(1).max(200).default(50)
})

export const SearchArgs = z.object({ query: z.string().max(500), limit: z.number().int().min(1).max(200).default(50) })

export const ThreadArgs = z.object({
  chatId: id,
  before: z.string().max(500).nullable().default(null),
  limit: z.number().int().min(1).max(200).default(50)
})

// The interactive parts cross the bridge in Postproxy's own shape and with generous bounds only: their
// rules (counts, lengths, https) are shared/interactive-rules.ts's, so a refusal reads as the server's words.
const interactiveText = z.string().max(4000)
export const QuickReplyArg = z.object({ content_type: z.string().max(40).nullable().optional(), title: interactiveText, payload: interactiveText })
export const MessageButtonArg = z.object({
  type: z.string().max(40),
  title: interactiveText,
  url: interactiveText.nullable().optional(),
  payload: interactiveText.nullable().optional()
})
export const MessageCardArg = z.object({
  subtitle: interactiveText.nullable().optional(),
  image_url: interactiveText.nullable().optional(),
  default_action: z.object({ type: z.string().max(40), url: interactiveText }).nullable().optional()
})

export const SendTextArgs = z.object({
  chatId: id,
  text: z.string().min(1).max(20_000),
  tag: z.enum(MESSAGE_TAGS).nullable().default(null),
  /** The `externalId` of the message in this chat that the send answers (Instagram shows it quoted). */
  replyToExternalId: z.string().min(1).max(500).nullable().default(null),
  quickReplies: z.array(QuickReplyArg).max(100).nullable().default(null),
  buttons: z.array(MessageButtonArg).max(100).nullable().default(null),
  card: MessageCardArg.nullable().default(null)
})

/**
 * One media item per send, as bytes: never a path, so no caller can make the core read a local file. (A file
 * dropped or picked in Electron is read by main from the path Chromium gives the preload, outside this contract;
 * see InboxBridge.sendFile.)
 */
export const MediaSourceSchema = z.strictObject({ name: z.string().max(255), bytesBase64: z.string().max(40 * 1024 * 1024) })
export type MediaSource = z.infer<typeof MediaSourceSchema>

export const SendMediaArgs = z.object({
  chatId: id,
  media: MediaSourceSchema,
  tag: z.enum(MESSAGE_TAGS).nullable().default(null),
  replyToExternalId: z.string().min(1).max(500).nullable().default(null)
})

export const MessageRefArgs = z.object({ chatId: id, messageId: id })
export const ChatRefArgs = z.object({ chatId: id })
export const DraftArgs = z.object({ chatId: id, text: z.string().max(20_000) })
export const SignInArgs = z.object({ apiKey: z.string().trim().min(1).max(500) })
/** The profile filter of the unified inbox: one profile's chats and comments, or (null) every profile's. */
export const SelectProfileArgs = z.object({ profileId: id.nullable() })
export const AccountRefArgs = z.object({ accountId: id })
export const SignOutArgs = z.object({ wipeCache: z.boolean().default(false) })
export const UpdateSettingsArgs = z.object({
  notifications: z.boolean().optional(),
  notificationPreviews: z.boolean().optional(),
  commentNotifications: z.boolean().optional(),
  theme: z.enum(['light', 'dark', 'system']).optional()
})

/** https, or http to this computer only (shared/relay-address.ts): the admin token and every message cross it. */
export const RelayAddress = z
  .string()
  .max(2000)
  .superRefine((value, ctx) => {
    const problem = relayAddressProblem(value)
    if (problem !== null) ctx.addIssue({ code: 'custom', message: problem })
  })

/** The core calls' argument schemas, by name. */
export const CORE_API_ARGS = {
  getSession: z.undefined(),
  signIn: SignInArgs,
  startDemo: z.undefined(),
  selectProfile: SelectProfileArgs,
  addApiKey: SignInArgs,
  removeApiKey: AccountRefArgs,
  signOut: SignOutArgs,
  listChats: ListChatsArgs,
  search: SearchArgs,
  getThread: ThreadArgs,
  sendText: SendTextArgs,
  sendMedia: SendMediaArgs,
  retrySend: MessageRefArgs,
  discardSend: MessageRefArgs,
  toggleLove: MessageRefArgs,
  markRead: ChatRefArgs,
  markUnread: ChatRefArgs,
  getDraft: ChatRefArgs,
  saveDraft: DraftArgs,
  getStatus: z.undefined(),
  syncNow: z.undefined(),
  getSettings: z.undefined(),
  updateSettings: UpdateSettingsArgs,
  viewChat: z.object({ chatId: id.nullable() }),
  listShown: z.undefined(),
  pairRelay: z.object({ relayUrl: RelayAddress, adminToken: z.string().min(16).max(500) }),
  unpairRelay: z.object({ adminToken: z.string().max(500).optional() })
} as const satisfies Record<string, z.ZodType>

type Input<K extends keyof typeof CORE_API_ARGS> = z.input<(typeof CORE_API_ARGS)[K]>

export interface CoreInboxApi {
  getSession(): Promise<InboxResult<Session>>
  /** Checks the key with `GET /api/profiles` before keeping it in the keychain. */
  signIn(args: Input<'signIn'>): Promise<InboxResult<Session>>
  startDemo(): Promise<InboxResult<Session>>
  /** Sets the profile filter; the session keeps running for every profile. */
  selectProfile(args: Input<'selectProfile'>): Promise<InboxResult<Session>>
  /** Adds another Postproxy account (checked like `signIn`, kept in the keychain); its profiles join the inbox. */
  addApiKey(args: Input<'addApiKey'>): Promise<InboxResult<Session>>
  /** Removes an added account: its key leaves the keychain, its profiles the inbox (their cache stays on disk). */
  removeApiKey(args: Input<'removeApiKey'>): Promise<InboxResult<Session>>
  signOut(args: Input<'signOut'>): Promise<InboxResult<Session>>
  listChats(args: Input<'listChats'>): Promise<InboxResult<{ chats: ChatSummary[]; nextCursor: string | null }>>
  search(args: Input<'search'>): Promise<InboxResult<SearchHit[]>>
  getThread(args: Input<'getThread'>): Promise<InboxResult<ThreadPage>>
  /** Returns the optimistic message at once; its status then follows through `messages-changed`. */
  sendText(args: Input<'sendText'>): Promise<InboxResult<ThreadMessage>>
  sendMedia(args: Input<'sendMedia'>): Promise<InboxResult<ThreadMessage>>
  retrySend(args: Input<'retrySend'>): Promise<InboxResult<ThreadMessage>>
  discardSend(args: Input<'discardSend'>): Promise<InboxResult<null>>
  toggleLove(args: Input<'toggleLove'>): Promise<InboxResult<ThreadMessage>>
  markRead(args: Input<'markRead'>): Promise<InboxResult<null>>
  markUnread(args: Input<'markUnread'>): Promise<InboxResult<null>>
  getDraft(args: Input<'getDraft'>): Promise<InboxResult<string>>
  saveDraft(args: Input<'saveDraft'>): Promise<InboxResult<null>>
  getStatus(): Promise<InboxResult<InboxStatus>>
  syncNow(): Promise<InboxResult<null>>
  getSettings(): Promise<InboxResult<Settings>>
  updateSettings(args: Input<'updateSettings'>): Promise<InboxResult<Settings>>
  /** The chat on screen (null: none). Its new messages raise no notification while the window is focused. */
  viewChat(args: Input<'viewChat'>): Promise<InboxResult<null>>
  /**
   * The window has painted the chat list with chats in it: a new account's first sync fetches the chats'
   * messages from now on rather than while the first rows were being drawn (electron/inbox/sync/first-look.ts).
   */
  listShown(): Promise<InboxResult<null>>
  /** Pairs this desktop with a relay (creates a channel, a device and the Postproxy webhook). */
  pairRelay(args: Input<'pairRelay'>): Promise<InboxResult<TunnelStatus>>
  unpairRelay(args: Input<'unpairRelay'>): Promise<InboxResult<TunnelStatus>>
}

// ---------------------------------------------------------------- pushes

export interface CoreInboxEvents {
  /** Chats whose summary changed (order, unread, preview, signals); the renderer refreshes its list. */
  'chats-changed': { chatIds: string[] }
  /** Messages of a chat changed; `messageIds` may be empty, meaning "reload the visible page". */
  'messages-changed': { chatId: string; messageIds: string[] }
  status: InboxStatus
  /** A new inbound message the creator has not seen; the shell decides whether to notify. */
  'inbound-message': {
    chatId: string
    messageId: string
    participant: Participant
    preview: string
    /** Which profile it reached, named for a notification ("Clay & Tide Studio · Messenger"); absent while only one profile takes messages. */
    profile?: string
  }
  session: Session
  /** The shell asks the renderer to show a chat (a notification was clicked). */
  'open-chat': { chatId: string }
}
