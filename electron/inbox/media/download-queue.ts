// A bounded download queue: at most `concurrency` tasks run at once, eager tasks (story mentions, media on
// screen) go before normal ones, and asking again for something already queued or running — under any of
// its keys (attachment id or URL) — joins that task instead of starting a second transfer.
export type QueuePriority = 'eager' | 'normal'

/** Why a task never ran. */
export type QueueRefusal = 'cancelled' | 'queue_full'

export type DownloadQueueOptions<R> = {
  concurrency: number
  /** Normal tasks beyond this many waiting are refused; eager ones are always taken (there are few). */
  maxQueued: number
  /** The result of a task that never ran. */
  refused: (why: QueueRefusal) => R
  /** The result of a task that threw instead of returning one. */
  crashed: (error: unknown) => R
}

type Job<R> = {
  keys: string[]
  priority: QueuePriority
  task: (signal: AbortSignal) => Promise<R>
  controller: AbortController
  result: Promise<R>
  settle: (result: R) => void
}

export class DownloadQueue<R> {
  private readonly options: DownloadQueueOptions<R>
  private readonly byKey = new Map<string, Job<R>>()
  private readonly waiting: Record<QueuePriority, Job<R>[]> = { eager: [], normal: [] }
  private readonly running = new Map<Job<R>, Promise<void>>()
  private idleWaiters: (() => void)[] = []

  constructor(options: DownloadQueueOptions<R>) {
    if (!(options.concurrency >= 1)) throw new RangeError('The download queue needs a concurrency of at least 1')
    this.options = options
  }

  /** Runs `task` when a worker is free, or joins the task already queued or running under one of `keys`. */
  schedule(keys: readonly string[], priority: QueuePriority, task: (signal: AbortSignal) => Promise<R>): Promise<R> {
    const existing = keys.map((key) => this.byKey.get(key)).find((job) => job !== undefined)
    if (existing) {
      for (const key of keys) {
        if (this.byKey.has(key)) continue
        this.byKey.set(key, existing)
        existing.keys.push(key)
      }
      if (priority === 'eager') this.promote(existing)
      return existing.result
    }
    if (priority === 'normal' && this.waiting.normal.length >= this.options.maxQueued) {
      return Promise.resolve(this.options.refused('queue_full'))
    }
    let settle!: (result: R) => void
    const result = new Promise<R>((resolve) => {
      settle = resolve
    })
    const job: Job<R> = { keys: [...keys], priority, task, controller: new AbortController(), result, settle }
    for (const key of keys) this.byKey.set(key, job)
    this.waiting[priority].push(job)
    this.pump()
    return result
  }

  get waitingCount(): number {
    return this.waiting.eager.length + this.waiting.normal.length
  }

  /** Resolves once nothing is waiting or running (at once if that is already so). */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve()
    return new Promise((resolve) => this.idleWaiters.push(resolve))
  }

  /** Refuses every waiting task, aborts the running ones and resolves when they have all finished. */
  async cancelAll(): Promise<void> {
    for (const priority of ['eager', 'normal'] as const) {
      for (const job of this.waiting[priority].splice(0)) this.finish(job, this.options.refused('cancelled'))
    }
    for (const job of this.running.keys()) job.controller.abort()
    await Promise.all(this.running.values())
    this.notifyIfIdle()
  }

  private promote(job: Job<R>): void {
    const index = this.waiting.normal.indexOf(job)
    if (index === -1) return // already eager, or already running
    this.waiting.normal.splice(index, 1)
    job.priority = 'eager'
    this.waiting.eager.push(job)
  }

  private pump(): void {
    while (this.running.size < this.options.concurrency) {
      const job = this.waiting.eager.shift() ?? this.waiting.normal.shift()
      if (!job) break
      this.running.set(job, this.run(job))
    }
    this.notifyIfIdle()
  }

  private async run(job: Job<R>): Promise<void> {
    let result: R
    try {
      result = await job.task(job.controller.signal)
    } catch (error) {
      result = this.options.crashed(error)
    }
    this.running.delete(job)
    this.finish(job, result)
    this.pump()
  }

  private finish(job: Job<R>, result: R): void {
    for (const key of job.keys) if (this.byKey.get(key) === job) this.byKey.delete(key)
    job.settle(result)
  }

  private isIdle(): boolean {
    return this.running.size === 0 && this.waitingCount === 0
  }

  private notifyIfIdle(): void {
    if (!this.isIdle() || this.idleWaiters.length === 0) return
    const waiters = this.idleWaiters
    this.idleWaiters = []
    for (const resolve of waiters) resolve()
  }
}
