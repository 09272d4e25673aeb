import { describe, expect, it } from 'vitest'
import { loadCoalescedTask } from './renderer-modules.ts'

const { CoalescedTask } = await loadCoalescedTask()

/** A task whose runs finish (or fail) only when the test says so. */
function controllableTask() {
  const runs: { finish(): void; fail(error: Error): void }[] = []
  let started: (() => void) | null = null
  const task = () =>
    new Promise<void>((resolve, reject) => {
      runs.push({ finish: resolve, fail: reject })
      started?.()
    })
  return {
    task,
    runs,
    /** Resolves once the task has been started `count` times in all. */
    startedTimes(count: number): Promise<void> {
      if (runs.length >= count) return Promise.resolve()
      return new Promise<void>((resolve) => {
        started = () => {
          if (runs.length >= count) resolve()
        }
      })
    }
  }
}

describe('CoalescedTask', () => {
  it('runs the task once for a single request', async () => {
    const t = controllableTask()
    const coalesced = new CoalescedTask(t.task)
    const done = coalesced.run()
    expect(t.runs).toHaveLength(1)
    t.runs[0].finish()
    await done
    expect(t.runs).toHaveLength(1)
  })

  it('collapses 50 requests made during a run into exactly one more run', async () => {
    const t = controllableTask()
    const coalesced = new CoalescedTask(t.task)
    const first = coalesced.run()
    const rest = Array.from({ length: 50 }, () => coalesced.run())
    let settled = 0
    for (const request of rest) void request.then(() => settled++)
    t.runs[0].finish()
    await t.startedTimes(2)
    // Nobody who asked during the first run is answered before the run that covers their request.
    expect(settled).toBe(0)
    t.runs[1].finish()
    await Promise.all([first, ...rest])
    expect(settled).toBe(50)
    expect(t.runs).toHaveLength(2)
  })

  it('runs again for a request made after the previous run finished', async () => {
    const t = controllableTask()
    const coalesced = new CoalescedTask(t.task)
    const first = coalesced.run()
    t.runs[0].finish()
    await first
    const second = coalesced.run()
    expect(t.runs).toHaveLength(2)
    t.runs[1].finish()
    await second
  })

  it('passes a failure to everyone waiting, and works again afterwards', async () => {
    const t = controllableTask()
    const coalesced = new CoalescedTask(t.task)
    const first = coalesced.run()
    const joined = coalesced.run()
    t.runs[0].fail(new Error('the core did not answer'))
    await expect(first).rejects.toThrow('the core did not answer')
    await expect(joined).rejects.toThrow('the core did not answer')
    const next = coalesced.run()
    expect(t.runs).toHaveLength(2)
    t.runs[1].finish()
    await expect(next).resolves.toBeUndefined()
  })
})
