import { nextPollDelay, type PollConditions } from './poll-schedule.ts'

export interface PollerOptions {
  /** One poll; resolves true on success, false on failure (it must not throw). */
  poll: () => Promise<boolean>
  random?: () => number
  setTimer?: (fn: () => void, ms: number) => unknown
  clearTimer?: (handle: unknown) => void
}

/**
 * Runs `poll` at the pace `nextPollDelay` gives and re-plans whenever conditions change: focus
 * regained or the network back means a poll now, not at the end of a long idle interval.
 */
export class Poller {
  private conditions: PollConditions = { focused: true, idle: false, online: true, tunnelConnected: false, consecutiveFailures: 0 }
  private timer: unknown = null
  private running = false
  private inFlight: Promise<void> | null = null
  private readonly options: Required<PollerOptions>

  constructor(options: PollerOptions) {
    this.options = {
      random: Math.random,
      setTimer: (fn, ms) => {
        const t = setTimeout(fn, ms)
        t.unref?.()
        return t
      },
      clearTimer: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
      ...options
    }
  }

  get state(): Readonly<PollConditions> {
    return this.conditions
  }

  start(): void {
    if (this.running) return
    this.running = true
    this.schedule()
  }

  stop(): void {
    this.running = false
    this.cancelTimer()
  }

  /** Updates what the poller knows; polls at once when the app comes back to the front or online. */
  update(change: Partial<Omit<PollConditions, 'consecutiveFailures'>>): void {
    const before = this.conditions
    this.conditions = { ...before, ...change }
    if (!this.running) return
    const cameBack = (change.online === true && !before.online) || (change.focused === true && !before.focused)
    // A poll in flight re-plans when it finishes; starting another would only duplicate it.
    if (cameBack && this.inFlight === null) void this.pollNow()
    else if (this.inFlight === null) this.schedule()
  }

  /** Polls now (coalesced with a poll already running) and plans the next one. */
  pollNow(): Promise<void> {
    if (this.inFlight) return this.inFlight
    this.cancelTimer()
    this.inFlight = this.options.poll().then(
      (ok) => this.finished(ok),
      () => this.finished(false)
    )
    return this.inFlight
  }

  private finished(ok: boolean): void {
    this.conditions = { ...this.conditions, consecutiveFailures: ok ? 0 : this.conditions.consecutiveFailures + 1 }
    this.inFlight = null
    if (this.running) this.schedule()
  }

  private schedule(): void {
    this.cancelTimer()
    const delay = nextPollDelay(this.conditions, this.options.random)
    if (delay === null) return
    this.timer = this.options.setTimer(() => {
      this.timer = null
      void this.pollNow()
    }, delay)
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.options.clearTimer(this.timer)
    this.timer = null
  }
}
