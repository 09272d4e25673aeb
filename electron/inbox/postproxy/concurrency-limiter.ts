// At most N requests in flight; the rest wait their turn in arrival order (FIFO), so a burst of
// sync calls cannot starve a send that was queued first, and Postproxy never sees more than N at once.

interface Waiter {
  grant: () => void
  signal?: AbortSignal
  onAbort?: () => void
}

export class ConcurrencyLimiter {
  readonly #max: number
  #active = 0
  readonly #queue: Waiter[] = []

  constructor(maxConcurrent: number) {
    if (!Number.isInteger(maxConcurrent) || maxConcurrent < 1) {
      throw new RangeError(`maxConcurrent must be a positive integer, got ${maxConcurrent}`)
    }
    this.#max = maxConcurrent
  }

  get active(): number {
    return this.#active
  }

  get waiting(): number {
    return this.#queue.length
  }

  /**
   * Runs `task` once a slot is free. If `signal` aborts while waiting, the call leaves the queue and
   * rejects with the signal's reason; once running, cancellation is the task's business.
   */
  async run<T>(task: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    await this.#acquire(signal)
    try {
      return await task()
    } finally {
      this.#release()
    }
  }

  #acquire(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(signal.reason)
    if (this.#active < this.#max) {
      this.#active++
      return Promise.resolve()
    }
    return new Promise<void>((resolve, reject) => {
      const waiter: Waiter = { grant: resolve, signal }
      if (signal) {
        waiter.onAbort = () => {
          const index = this.#queue.indexOf(waiter)
          if (index >= 0) this.#queue.splice(index, 1)
          reject(signal.reason)
        }
        signal.addEventListener('abort', waiter.onAbort, { once: true })
      }
      this.#queue.push(waiter)
    })
  }

  #release(): void {
    const next = this.#queue.shift()
    if (next) {
      // The slot passes straight to the next waiter: `active` stays the same.
      if (next.signal && next.onAbort) next.signal.removeEventListener('abort', next.onAbort)
      next.grant()
    } else {
      this.#active--
    }
  }
}
