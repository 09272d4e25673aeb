// Decides which notifications web mode shows: one per new message, but a burst (more than
// `burstSize` within `burstWindowMs`, e.g. 200 messages arriving after a night offline) becomes a
// single summary instead of a wall of toasts. Pure scheduling: showing is injected.

export interface IncomingNotice {
  chatId: string
  title: string
  body: string
}

export interface NoticeToShow {
  title: string
  body: string
  /** Notifications with the same tag replace each other: the summary updates in place. */
  tag: string
  /** The chat a click opens. */
  chatId: string
}

export interface BurstNotifierOptions {
  show(notice: NoticeToShow): void
  now?: () => number
  setTimer?: (run: () => void, ms: number) => unknown
  burstSize?: number
  burstWindowMs?: number
  /** Arrivals within this delay are looked at together, so a burst delivered at once never shows singles. */
  gatherMs?: number
}

const SUMMARY_TAG = 'dmdesk-summary'

export class BurstNotifier {
  private readonly show: (notice: NoticeToShow) => void
  private readonly now: () => number
  private readonly setTimer: (run: () => void, ms: number) => unknown
  private readonly burstSize: number
  private readonly burstWindowMs: number
  private readonly gatherMs: number
  /** Arrival times of recent notices, for the sliding burst window. */
  private recent: number[] = []
  private gathered: IncomingNotice[] = []
  private gatherScheduled = false
  /** Everything summarised since the current burst began. */
  private summarised: IncomingNotice[] = []

  constructor(options: BurstNotifierOptions) {
    this.show = options.show
    this.now = options.now ?? Date.now
    this.setTimer = options.setTimer ?? ((run, ms) => setTimeout(run, ms))
    this.burstSize = options.burstSize ?? 3
    this.burstWindowMs = options.burstWindowMs ?? 2_000
    this.gatherMs = options.gatherMs ?? 150
  }

  notify(notice: IncomingNotice): void {
    this.gathered.push(notice)
    if (this.gatherScheduled) return
    this.gatherScheduled = true
    this.setTimer(() => this.flush(), this.gatherMs)
  }

  private flush(): void {
    this.gatherScheduled = false
    const batch = this.gathered
    this.gathered = []
    const now = this.now()
    this.recent = this.recent.filter((at) => now - at < this.burstWindowMs)
    if (this.recent.length === 0) this.summarised = []
    const inBurst = this.recent.length + batch.length > this.burstSize
    for (const _ of batch) this.recent.push(now)
    if (!inBurst) {
      for (const notice of batch) this.show({ ...notice, tag: `dmdesk-chat-${notice.chatId}` })
      return
    }
    this.summarised.push(...batch)
    this.show(this.summary())
  }

  private summary(): NoticeToShow {
    const count = this.summarised.length
    const senders = [...new Set(this.summarised.map((n) => n.title))]
    const named = senders.slice(0, 3).join(', ')
    const others = senders.length - 3
    const body = others > 0 ? `From ${named} and ${others} more` : `From ${named}`
    return { title: `${count} new messages`, body, tag: SUMMARY_TAG, chatId: this.summarised[count - 1].chatId }
  }
}
