// One API key's request budget, shared by everything that calls Postproxy with that key (sync, sends,
// thread opens, the tunnel's chat look-ups; later several profiles of one key): at most N requests in
// flight, starts paced by the key's learned rate (request-rate.ts), and a queue in which what the creator
// is waiting for (opening a thread, sending) goes ahead of background work (sync), FIFO within each.
import { LearnedRate, POSTPROXY_ASSUMED_RATE, type RateFeedback, type RequestRate } from './request-rate.ts'

/** `interactive`: the creator is waiting for it. `background`: sync and other catch-up work. */
export type RequestPriority = 'interactive' | 'background'

export interface RequestBudgetOptions {
  /** Requests in flight at once. Default 4. */
  maxConcurrent?: number
  /** The limit to pace below; null: no pacing and no learning (a backend known to have no limit). Default POSTPROXY_ASSUMED_RATE. */
  rate?: RequestRate | null
  /** A monotonic clock in ms. Default performance.now. */
  now?: () => number
}

export interface RequestBudgetLoad {
  /** Requests on the wire. */
  active: number
  /** Calls waiting for their turn. */
  waiting: number
}

interface Waiter {
  grant: () => void
  priority: RequestPriority
  signal?: AbortSignal
  onAbort?: () => void
}

export class RequestBudget {
  readonly #max: number
  readonly #rate: LearnedRate | null
  readonly #now: () => number
  readonly #queues: Record<RequestPriority, Waiter[]> = { interactive: [], background: [] }
  #active = 0
  #lastStartAt = Number.NEGATIVE_INFINITY
  #timer: ReturnType<typeof setTimeout> | null = null

  constructor(options: RequestBudgetOptions = {}) {
    const max = options.maxConcurrent ?? 4
    if (!Number.isInteger(max) || max < 1) throw new RangeError(`maxConcurrent must be a positive integer, got ${max}`)
    this.#max = max
    const rate = options.rate === undefined ? POSTPROXY_ASSUMED_RATE : options.rate
    this.#rate = rate === null ? null : new LearnedRate(rate)
    this.#now = options.now ?? (() => performance.now())
  }

  get load(): RequestBudgetLoad {
    return { active: this.#active, waiting: this.#queues.interactive.length + this.#queues.background.length }
  }

  /** Milliseconds between request starts now (null when unpaced), and 429s seen: for diagnostics and benchmarks. */
  get pace(): { intervalMs: number | null; throttled: number } {
    return { intervalMs: this.#rate?.intervalMs ?? null, throttled: this.#rate?.throttled ?? 0 }
  }

  /**
   * Runs `task` once it is its turn. If `signal` aborts while waiting, the call leaves the queue and
   * rejects with the signal's reason; once running, cancellation is the task's business.
   */
  async run<T>(task: () => Promise<T>, options: { priority?: RequestPriority; signal?: AbortSignal } = {}): Promise<T> {
    await this.#acquire(options.priority ?? 'interactive', options.signal)
    try {
      return await task()
    } finally {
      this.#active--
      this.#pump()
    }
  }

  /** What an answer said about the limit (a 429, rate headers). */
  observe(feedback: RateFeedback): void {
    this.#rate?.observe(feedback, this.#now())
    // A pause may now start later than the timer planned: plan again.
    this.#pump()
  }

  #acquire(priority: RequestPriority, signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, priority, signal }
      if (signal) {
        waiter.onAbort = () => {
          const queue = this.#queues[priority]
          const index = queue.indexOf(waiter)
          if (index >= 0) queue.splice(index, 1)
          reject(signal.reason)
          this.#pump()
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.#queues[priority].push(waiter)
      this.#pump()
    })
  }

  /** Starts whoever's turn it is, or plans a timer for when the pace allows the next start. */
  #pump(): void {
    if (this.#timer !== null) {
      clearTimeout(this.#timer)
      this.#timer = null
    }
    while (this.#active < this.#max) {
      const queue = this.#queues.interactive.length > 0 ? this.#queues.interactive : this.#queues.background
      if (queue.length === 0) return
      const now = this.#now()
      const startAt = this.#rate ? this.#rate.nextStartAt(this.#lastStartAt, now) : now
      if (startAt > now) {
        // Kept referenced: a caller awaiting a paced call is real work, even when nothing is on the wire.
        this.#timer = setTimeout(() => {
          this.#timer = null
          this.#pump()
        }, startAt - now)
        return
      }
      const waiter = queue.shift()!
      if (waiter.signal && waiter.onAbort) waiter.signal.removeEventListener('abort', waiter.onAbort)
      this.#active++
      this.#lastStartAt = now
      waiter.grant()
    }
  }
}
