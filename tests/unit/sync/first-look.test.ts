import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { FirstLook } from '../../../electron/inbox/sync/first-look.ts'

/** Whether `promise` has settled by now (after every pending microtask). */
async function settled(promise: Promise<unknown>): Promise<boolean> {
  let done = false
  void promise.then(() => (done = true))
  await vi.advanceTimersByTimeAsync(0)
  return done
}

describe('FirstLook', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('without a window, nothing waits', async () => {
    expect(await settled(new FirstLook(0).wait())).toBe(true)
  })

  it('with a window, waits until the list has been seen, and only the first time', async () => {
    const look = new FirstLook(2000)
    const first = look.wait()
    const second = look.wait()
    expect(await settled(first)).toBe(false)
    look.seen()
    expect(await settled(first)).toBe(true)
    expect(await settled(second)).toBe(true)
    // Seen once is seen for good.
    expect(await settled(look.wait())).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
  })

  it('goes ahead after two seconds when no window says it painted the list (hidden, no browser yet)', async () => {
    const waiting = new FirstLook(2000).wait()
    await vi.advanceTimersByTimeAsync(1999)
    expect(await settled(waiting)).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect(await settled(waiting)).toBe(true)
  })

  it('stops waiting when the sync is aborted', async () => {
    const look = new FirstLook(2000)
    const stop = new AbortController()
    const waiting = look.wait(stop.signal)
    stop.abort()
    expect(await settled(waiting)).toBe(true)
    expect(vi.getTimerCount()).toBe(0)
    expect(await settled(look.wait(stop.signal))).toBe(true)
  })
})
