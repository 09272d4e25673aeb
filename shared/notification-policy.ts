// Which notifications new inbound messages raise, in Electron (OS notifications from the main
// process) and in web mode (the browser's) alike. Pure, so the rules are tested without either:
// nothing for the chat already in front, "New message" when previews are hidden, each message at
// most once, and a burst (say 200 messages after a night offline) as one summary, not 200 toasts.

export interface InboundNotice {
  chatId: string
  messageId: string
  /** The participant, as the creator knows them (username or name). */
  sender: string
  preview: string
}

export interface NotificationSettings {
  enabled: boolean
  showPreviews: boolean
}

export type NotificationPlan =
  | { kind: 'message'; chatId: string; messageId: string; title: string; body: string }
  /** `chatIds` in arrival order: a click opens the newest. */
  | { kind: 'summary'; chatIds: string[]; title: string; body: string }

export interface NotificationBatcherOptions {
  show: (plan: NotificationPlan) => void
  settings: () => NotificationSettings
  /** The chat the creator is looking at: the focused window's open chat, else null. */
  chatInFront: () => string | null
  /**
   * Messages arriving less than this apart are shown together: a batch closes after this long
   * without a new message. A burst comes in one by one (a catch-up sync fetches chat after chat,
   * a round trip each), so a window counted from the first message would split it.
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

export class NotificationBatcher {
  private readonly options: Required<NotificationBatcherOptions>
  private pending: InboundNotice[] = []
  private timer: unknown = null
  private firstArrivalAt = 0
  private lastArrivalAt = 0
  private readonly seen = new Set<string>()

  constructor(options: NotificationBatcherOptions) {
    this.options = {
      windowMs: 1_500,
      maxWaitMs: 10_000,
      burstThreshold: 3,
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
    if (this.seen.has(notice.messageId)) return
    this.seen.add(notice.messageId)
    if (this.seen.size > SEEN_LIMIT) this.seen.delete(this.seen.values().next().value as string)
    if (!this.options.settings().enabled) return
    if (this.options.chatInFront() === notice.chatId) return
    this.pending.push(notice)
    this.lastArrivalAt = this.options.now()
    if (this.timer === null) {
      this.firstArrivalAt = this.lastArrivalAt
      this.timer = this.options.setTimer(() => this.settle(), this.options.windowMs)
    }
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
    // Messages of a chat the creator opened meanwhile need no notification any more.
    const inFront = this.options.chatInFront()
    const batch = this.pending.filter((n) => n.chatId !== inFront)
    this.pending = []
    if (batch.length === 0) return
    const { showPreviews } = this.options.settings()
    if (batch.length <= this.options.burstThreshold) {
      for (const n of batch) {
        this.options.show({ kind: 'message', chatId: n.chatId, messageId: n.messageId, title: n.sender, body: showPreviews ? truncate(n.preview) : 'New message' })
      }
      return
    }
    // Arrival order of each chat's latest message, so the newest message's chat comes last.
    const chatIds = [...new Set(batch.map((n) => n.chatId).reverse())].reverse()
    const senders = [...new Set(batch.map((n) => n.sender))]
    this.options.show({
      kind: 'summary',
      chatIds,
      title: `${batch.length} new messages`,
      body: showPreviews ? `From ${listNames(senders)}` : `In ${chatIds.length} conversation${chatIds.length === 1 ? '' : 's'}`
    })
  }
}
