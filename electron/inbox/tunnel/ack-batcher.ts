// Acks tell the relay how far this desktop has committed, so it can drop events early (RELAY.md: 24 h
// after every device acked). They drive retention only — resuming uses the store's cursor — so they are
// batched (every `maxBatch` events or `maxDelayMs`, whichever first) and a failed ack is simply
// superseded by the next one.

export interface AckBatcherOptions {
  /** POSTs `{"up_to": seq}`; resolves when the relay answered (any status). */
  send: (upTo: number) => Promise<void>
  maxBatch?: number
  maxDelayMs?: number
  log?: (line: string) => void
}

export class AckBatcher {
  private readonly send: (upTo: number) => Promise<void>
  private readonly maxBatch: number
  private readonly maxDelayMs: number
  private readonly log: (line: string) => void
  private pendingSeq: number | null = null
  private pendingCount = 0
  private acked = 0
  private timer: NodeJS.Timeout | null = null
  private inFlight: Promise<void> = Promise.resolve()

  constructor(options: AckBatcherOptions) {
    this.send = options.send
    this.maxBatch = Math.max(1, options.maxBatch ?? 50)
    this.maxDelayMs = Math.max(0, options.maxDelayMs ?? 1000)
    this.log = options.log ?? (() => {})
  }

  /** The highest seq acknowledged to the relay so far. */
  get ackedThrough(): number {
    return this.acked
  }

  /** Call only once `seq` is committed locally. */
  note(seq: number): void {
    if (this.pendingSeq !== null && seq <= this.pendingSeq) return
    this.pendingSeq = seq
    this.pendingCount++
    if (this.pendingCount >= this.maxBatch) {
      void this.flush()
    } else if (!this.timer) {
      this.timer = setTimeout(() => void this.flush(), this.maxDelayMs)
      this.timer.unref()
    }
  }

  /** Sends what is pending now; resolves when it (and any earlier ack) is answered. */
  flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    const upTo = this.pendingSeq
    this.pendingSeq = null
    this.pendingCount = 0
    if (upTo === null || upTo <= this.acked) return this.inFlight
    // One ack at a time, in order: a slow early ack must not land after (and undo nothing, but confuse) a later one.
    this.inFlight = this.inFlight.then(async () => {
      try {
        await this.send(upTo)
        this.acked = Math.max(this.acked, upTo)
      } catch (error) {
        this.log(`the relay did not take an ack up to ${upTo}: ${error instanceof Error ? error.message : String(error)}`)
      }
    })
    return this.inFlight
  }

  /** Stops the timer without sending (the next session acks from its cursor anyway). */
  cancel(): void {
    if (this.timer) clearTimeout(this.timer)
    this.timer = null
    this.pendingSeq = null
    this.pendingCount = 0
  }
}
