// The request budget of one API key: even pacing below the assumed rate, the creator's requests ahead
// of background work, and what a 429 or rate headers teach it. Real timers; every timing assertion is
// a lower bound (a busy machine only makes gaps longer), never a deadline.
import { describe, expect, it } from 'vitest'
import { RequestBudget, type RequestPriority } from '../../../electron/inbox/postproxy/request-budget.ts'
import { PACING_SHARE } from '../../../electron/inbox/postproxy/request-rate.ts'

const now = () => performance.now()

/** A task that records when it started and finishes when told. */
function heldTask(log: string[], name: string): { task: () => Promise<string>; release: () => void } {
  let release!: () => void
  const done = new Promise<void>((resolve) => (release = resolve))
  return {
    task: async () => {
      log.push(name)
      await done
      return name
    },
    release: () => release()
  }
}

describe('pacing', () => {
  it('spaces request starts evenly below the rate, so no window ever holds more than the limit', async () => {
    const rate = { requests: 20, perMs: 1000 }
    const budget = new RequestBudget({ rate, maxConcurrent: 4 })
    const interval = rate.perMs / (rate.requests * PACING_SHARE)
    expect(budget.pace.intervalMs).toBeCloseTo(interval)
    const starts: number[] = []
    await Promise.all(Array.from({ length: 25 }, () => budget.run(async () => void starts.push(now()), { priority: 'background' })))

    // Measured where the task runs, a moment after its turn was given: a busy event loop may delay one
    // task's start more than the next one's, so each figure allows that moment (10 ms).
    const slack = 10
    expect((starts.at(-1)! - starts[0]) / (starts.length - 1)).toBeGreaterThanOrEqual(interval - slack / (starts.length - 1))
    // Any 1 s holds at most 18 starts (90 % of 20): the first and the 19th are a second apart.
    for (let i = 0; i + 18 < starts.length; i++) expect(starts[i + 18] - starts[i]).toBeGreaterThanOrEqual(rate.perMs - slack)
  })

  it('is off for a backend known to have no limit', async () => {
    const budget = new RequestBudget({ rate: null })
    expect(budget.pace).toEqual({ intervalMs: null, throttled: 0 })
    const started = now()
    await Promise.all(Array.from({ length: 40 }, () => budget.run(async () => undefined)))
    budget.observe({ status: 429, retryAfterMs: 60_000 })
    await budget.run(async () => undefined)
    // Nothing here waited a pace or a pause: 40 paced starts alone would take over 4 s.
    expect(budget.pace.throttled).toBe(0)
    expect(now() - started).toBeLessThan(60_000)
  })
})

describe('priority', () => {
  it('serves what the creator waits for ahead of queued background work, FIFO within each', async () => {
    const budget = new RequestBudget({ rate: null, maxConcurrent: 1 })
    const log: string[] = []
    const first = heldTask(log, 'sync-0')
    const running = budget.run(first.task, { priority: 'background' })
    const queued: [string, RequestPriority][] = [
      ['sync-1', 'background'],
      ['sync-2', 'background'],
      ['open-thread', 'interactive'],
      ['sync-3', 'background'],
      ['send', 'interactive']
    ]
    const calls = queued.map(([name, priority]) => budget.run(async () => void log.push(name), { priority }))
    expect(budget.load).toEqual({ active: 1, waiting: 5 })
    first.release()
    await Promise.all([running, ...calls])
    expect(log).toEqual(['sync-0', 'open-thread', 'send', 'sync-1', 'sync-2', 'sync-3'])
  })

  it('lets a call leave the queue when aborted, unsent', async () => {
    const budget = new RequestBudget({ rate: null, maxConcurrent: 1 })
    const log: string[] = []
    const first = heldTask(log, 'first')
    const running = budget.run(first.task)
    const controller = new AbortController()
    const queued = budget.run(async () => void log.push('aborted'), { signal: controller.signal })
    controller.abort(new Error('gone'))
    await expect(queued).rejects.toThrow('gone')
    expect(budget.load).toEqual({ active: 1, waiting: 0 })
    first.release()
    await running
    expect(log).toEqual(['first'])
  })
})

describe('learning', () => {
  it('a 429 pauses every request of the key for its Retry-After and slows the pace', async () => {
    const budget = new RequestBudget({ rate: { requests: 20, perMs: 1000 } })
    const before = budget.pace.intervalMs!
    await budget.run(async () => undefined)
    const refusedAt = now()
    budget.observe({ status: 429, retryAfterMs: 400 })
    const starts: number[] = []
    await Promise.all([1, 2, 3].map(() => budget.run(async () => void starts.push(now()))))
    for (const at of starts) expect(at - refusedAt).toBeGreaterThanOrEqual(399)
    expect(budget.pace.intervalMs!).toBeGreaterThan(before)
    expect(budget.pace.throttled).toBe(1)
  })

  it('a burst of 429s is one lesson, not one per refused request', () => {
    const budget = new RequestBudget({ rate: { requests: 10, perMs: 1000 } })
    budget.observe({ status: 429, retryAfterMs: 1000 })
    const once = budget.pace.intervalMs!
    for (let i = 0; i < 5; i++) budget.observe({ status: 429, retryAfterMs: 1000 })
    expect(budget.pace.intervalMs).toBe(once)
    expect(budget.pace.throttled).toBe(6)
  })

  it('rate headers saying nothing is left pause the key until the window resets, before any 429', async () => {
    const budget = new RequestBudget({ rate: { requests: 50, perMs: 1000 } })
    const before = budget.pace.intervalMs
    const toldAt = now()
    budget.observe({ status: 200, remaining: 0, resetMs: 300 })
    let startedAt = 0
    await budget.run(async () => void (startedAt = now()))
    expect(startedAt - toldAt).toBeGreaterThanOrEqual(299)
    // Not a lesson about the rate: the pace is unchanged.
    expect(budget.pace).toEqual({ intervalMs: before, throttled: 0 })
  })
})
