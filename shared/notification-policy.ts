// Which notifications new inbound messages and new comments raise, in Electron (OS notifications from
// the main process) and in web mode (the browser's) alike. Pure, so the rules are tested without either:
// nothing for the chat (or the Comments view) already in front, "New message" / "New comment" when
// previews are hidden, each at most once, and a burst (say 200 messages after a night offline) as one
// summary, not 200 toasts. Comments have their own on/off setting beside the general one.

export interface InboundNotice {
  chatId: string
  messageId: string
  /** The participant, as the creator knows them (username or name). */
  sender: string
  preview: string
  /**
   * The profile that got it, when the inbox has several ("Clay & Tide Studio · Messenger", see
   * shared/profile-names.ts `profileNoticeName`): the title then says who wrote to whom.
   */
  profile?: string | null
}

/** A new comment by someone else on one of the creator's posts. */
export interface CommentNotice {
  commentId: string
  /** The commenter, as the creator knows them (username or name). */
  author: string
  preview: string
  /** The profile whose post it is, when the inbox has several (as `InboundNotice.profile`). */
  profile?: string | null
}

export interface NotificationSettings {
  enabled: boolean
  showPreviews: boolean
  /** New comments notify too (when `enabled`). Default true. */
  comments?: boolean
}

export type NotificationPlan =
  | { kind: 'message'; chatId: string; messageId: string; title: string; body: string }
  | { kind: 'comment'; commentId: string; title: string; body: string }
  /**
   * `chatIds` in arrival order: a click opens the newest; with none (only comments), it opens the
   * Comments view. `commentIds` is there when the burst holds comments.
   */
  | { kind: 'summary'; chatIds: string[]; commentIds?: string[]; title: string; body: string }

export interface NotificationBatcherOptions {
  show: (plan: NotificationPlan) => void
  settings: () => NotificationSettings
  /** The chat the creator is looking at: the focused window's open chat, else null. */
  chatInFront: () => string | null
  /** Whether the creator is looking at the Comments view (in the focused window). Default: never. */
  commentsInFront?: () => boolean
  /**
   * Messages (and comments) arriving less than this apart are shown together: a batch closes after this
   * long without a new one. A burst comes in one by one (a catch-up sync fetches chat after chat, a round
   * trip each), so a window counted from the first message would split it.
   */
  windowMs?: number
  /** A batch is shown at the latest this long after its first message, even while more keep coming. */
  maxWaitMs?: number
  /** More messages than this in one window become one summary. */
  burstThreshold?: number
  setTimer?: (fn: () => void, ms: number) => unknown
  now?: () => number
}

const PREVIEW_MAX = 120
/** Message ids remembered for de-duplication (a webhook and a poll may both report a message). */
const SEEN_LIMIT = 2_000

function truncate(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim()
  return oneLine.length > PREVIEW_MAX ? `${oneLine.slice(0, PREVIEW_MAX - 1)}…` : oneLine
}

function listNames(names: string[]): string {
  if (names.length <= 2) return names.join(' and ')
  const others = names.length - 2
  return `${names.slice(0, 2).join(', ')} and ${others} other${others === 1 ? '' : 's'}`
}

type Pending = ({ kind: 'message' } & InboundNotice) | ({ kind: 'comment' } & CommentNotice)

function plural(n: number, word: string): string {
  return `${n} new ${word}${n === 1 ? '' : 's'}`
}

export class NotificationBatcher {
  private readonly options: Required<NotificationBatcherOptions>
  private pending: Pending[] = []
  private timer: unknown = null
  private firstArrivalAt = 0
  private lastArrivalAt = 0
  private readonly seen = new Set<string>()

  constructor(options: NotificationBatcherOptions) {
    this.options = {
      windowMs: 1_500,
      maxWaitMs: 10_000,
      burstThreshold: 3,
      commentsInFront: () => false,
      now: () => Date.now(),
      setTimer: (fn, ms) => {
        const timer: unknown = setTimeout(fn, ms)
        // In Node a pending notification must not keep the process alive.
        ;(timer as { unref?: () => void }).unref?.()
        return timer
      },
      ...options
    }
  }

  push(notice: InboundNotice): void {
    if (!this.firstTime(notice.messageId)) return
    if (!this.options.settings().enabled) return
    if (this.options.chatInFront() === notice.chatId) return
    this.enqueue({ kind: 'message', ...notice })
  }

  pushComment(notice: CommentNotice): void {
    if (!this.firstTime(`comment:${notice.commentId}`)) return
    const settings = this.options.settings()
    if (!settings.enabled || settings.comments === false) return
    if (this.options.commentsInFront()) return
    this.enqueue({ kind: 'comment', ...notice })
  }

  /** The timer: shows the batch once no message came for a window (or it waited long enough). */
  private settle(): void {
    const now = this.options.now()
    const untilQuiet = this.options.windowMs - (now - this.lastArrivalAt)
    const untilMaxWait = this.options.maxWaitMs - (now - this.firstArrivalAt)
    if (untilQuiet > 0 && untilMaxWait > 0) {
      this.timer = this.options.setTimer(() => this.settle(), Math.min(untilQuiet, untilMaxWait))
      return
    }
    this.flush()
  }

  /** Shows what accumulated (called once the batch settles; tests call it directly). */
  flush(): void {
    this.timer = null
    // Messages of a chat the creator opened meanwhile (or comments, once the Comments view is in front) need no notification any more.
    const inFront = this.options.chatInFront()
    const commentsInFront = this.options.commentsInFront()
    const batch = this.pending.filter((n) => (n.kind === 'message' ? n.chatId !== inFront : !commentsInFront))
    this.pending = []
    if (batch.length === 0) return
    const { showPreviews } = this.options.settings()
    if (batch.length <= this.options.burstThreshold) {
      for (const n of batch) {
        if (n.kind === 'message') {
          this.options.show({ kind: 'message', chatId: n.chatId, messageId: n.messageId, title: n.profile ? `${n.sender} → ${n.profile}` : n.sender, body: showPreviews ? truncate(n.preview) : 'New message' })
        } else {
          this.options.show({ kind: 'comment', commentId: n.commentId, title: n.profile ? `${n.author} commented on ${n.profile}` : `${n.author} commented`, body: showPreviews ? truncate(n.preview) : 'New comment' })
        }
      }
      return
    }
    this.options.show(summaryOf(batch, showPreviews))
  }

  private firstTime(key: string): boolean {
    if (this.seen.has(key)) return false
    this.seen.add(key)
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string)
    return true
  }

  private enqueue(notice: Pending): void {
    this.pending.push(notice)
    this.lastArrivalAt = this.options.now()
    if (this.timer === null) {
      this.firstArrivalAt = this.lastArrivalAt
      this.timer = this.options.setTimer(() => this.settle(), this.options.windowMs)
    }
  }
}

/** One notification for a burst: how many of each kind, and from whom (or, without previews, where). */
function summaryOf(batch: readonly Pending[], showPreviews: boolean): Extract<NotificationPlan, { kind: 'summary' }> {
  const messages = batch.filter((n) => n.kind === 'message')
  const comments = batch.filter((n) => n.kind === 'comment')
  // Arrival order of each chat's latest message, so the newest message's chat comes last.
  const chatIds = [...new Set(messages.map((n) => n.chatId).reverse())].reverse()
  const senders = [...new Set(batch.map((n) => (n.kind === 'message' ? n.sender : n.author)))]
  const counts = [messages.length > 0 ? plural(messages.length, 'message') : null, comments.length > 0 ? plural(comments.length, 'comment') : null]
  const places = [
    chatIds.length > 0 ? `In ${chatIds.length} conversation${chatIds.length === 1 ? '' : 's'}` : null,
    comments.length > 0 ? (chatIds.length > 0 ? 'on your posts' : 'On your posts') : null
  ]
  return {
    kind: 'summary',
    chatIds,
    ...(comments.length > 0 ? { commentIds: comments.map((n) => n.commentId) } : {}),
    title: counts.filter((c) => c !== null).join(' and '),
    body: showPreviews ? `From ${listNames(senders)}` : places.filter((p) => p !== null).join(' and ')
  }
}
