// The REST safety net behind the tunnel (RELAY.md): reconcile at start, after a long disconnect, on a
// `gap`, and on a timer. Requests that come while one runs are folded into one more run after it, so a
// burst of triggers (a gap plus a reconnect plus the timer) costs two reconciles at most, never a pile.

export interface ReconcileSchedulerOptions {
  /** `reason`: 'start', 'gap', 'long disconnect', 'periodic', … (the first of the requests a run covers). */
  reconcile: (reason: string) => Promise<unknown>
  /** Periodic reconcile; RELAY.md: every 15 min (smee: every 2–5 min). */
  intervalMs: number
  log?: (line: string) => void
  /** Told about every finished run (tests, diagnostics). */
  onRun?: (run: { reason: string; ok: boolean }) => void
}

export class ReconcileScheduler {
  private readonly options: ReconcileSchedulerOptions
  private timer: NodeJS.Timeout | null = null
  private running: Promise<void> | null = null
  private queuedReason: string | null = null
  private stopped = true
  private completedRuns = 0

  constructor(options: ReconcileSchedulerOptions) {
    this.options = options
  }

  /** Finished reconciles, successful or not. */
  get runs(): number {
    return this.completedRuns
  }

  start(): void {
    if (!this.stopped) return
    this.stopped = false
    this.timer = setInterval(() => this.request('periodic'), this.options.intervalMs)
    this.timer.unref()
  }

  /** Waits for a run in progress; no new ones start. */
  async stop(): Promise<void> {
    this.stopped = true
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    this.queuedReason = null
    await this.running
  }

  /** Asks for a reconcile soon. Resolves when the run that covers this request has finished. */
  request(reason: string): Promise<void> {
    if (this.stopped) return Promise.resolve()
    if (!this.running) {
      this.running = this.runLoop(reason)
      return this.running
    }
    this.queuedReason ??= reason
    return this.running
  }

  private async runLoop(firstReason: string): Promise<void> {
    let reason: string | null = firstReason
    // Bounded: each pass either empties the queue or takes one queued request; requests during the last
    // pass queue one more pass at most.
    try {
      while (reason !== null && !this.stopped) {
        let ok = true
        try {
          await this.options.reconcile(reason)
        } catch (error) {
          ok = false
          this.options.log?.(`reconcile (${reason}) failed: ${error instanceof Error ? error.message : String(error)}`)
        }
        this.completedRuns++
        this.options.onRun?.({ reason, ok })
        reason = this.queuedReason
        this.queuedReason = null
      }
    } finally {
      this.running = null
    }
  }
}
