import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { nextPollDelay, POLL_INTERVALS_MS, type PollConditions } from '../../../electron/inbox/sync/poll-schedule.ts'
import { Poller } from '../../../electron/inbox/sync/poller.ts'

const focused: PollConditions = { focused: true, idle: false, online: true, tunnelConnected: false, consecutiveFailures: 0 }
const middle = () => 0.5 // no jitter

describe('nextPollDelay', () => {
  it('is fast while focused, slow in the background, slower when idle, and off while the tunnel delivers', () => {
    const focusedDelay = nextPollDelay(focused, middle)!
    const background = nextPollDelay({ ...focused, focused: false }, middle)!
    const idle = nextPollDelay({ ...focused, focused: false, idle: true }, middle)!
    expect(focusedDelay).toBe(POLL_INTERVALS_MS.focused)
    expect(focusedDelay).toBeLessThan(background)
    expect(background).toBeLessThan(idle)
    // The tunnel's own periodic reconcile is the scheduled poll then (tunnel.ts).
    expect(nextPollDelay({ ...focused, tunnelConnected: true }, middle)).toBeNull()
    expect(nextPollDelay({ ...focused, focused: false, idle: true, tunnelConnected: true }, middle)).toBeNull()
  })

  it('pauses offline and backs off while failing, up to a cap', () => {
    expect(nextPollDelay({ ...focused, online: false }, middle)).toBeNull()
    const delays = [0, 1, 2, 3, 10, 50].map((n) => nextPollDelay({ ...focused, consecutiveFailures: n }, middle)!)
    expect(delays.slice(0, 4)).toEqual([10_000, 20_000, 40_000, 80_000])
    expect(delays[4]).toBe(POLL_INTERVALS_MS.maxBackoff)
    expect(delays[5]).toBe(POLL_INTERVALS_MS.maxBackoff)
  })

  it('spreads clients by ±20 %', () => {
    expect(nextPollDelay(focused, () => 0)).toBe(8_000)
    expect(nextPollDelay(focused, () => 0.999999)).toBe(12_000)
  })
})

describe('Poller', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  function poller(results: boolean[] = []) {
    const calls: number[] = []
    const p = new Poller({
      random: middle,
      poll: async () => {
        calls.push(Date.now())
        return results.length ? results.shift()! : true
      }
    })
    return { p, calls }
  }

  it('polls at the focused pace', async () => {
    const { p, calls } = poller()
    p.start()
    await vi.advanceTimersByTimeAsync(35_000)
    expect(calls).toHaveLength(3)
    p.stop()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(calls).toHaveLength(3)
  })

  it('stops offline and polls immediately when the network returns', async () => {
    const { p, calls } = poller()
    p.start()
    p.update({ online: false })
    await vi.advanceTimersByTimeAsync(30 * 60_000)
    expect(calls).toHaveLength(0)
    p.update({ online: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
  })

  it('polls at once when the window regains focus after a slow background interval', async () => {
    const { p, calls } = poller()
    p.update({ focused: false })
    p.start()
    await vi.advanceTimersByTimeAsync(30_000)
    expect(calls).toHaveLength(0)
    p.update({ focused: true })
    await vi.advanceTimersByTimeAsync(0)
    expect(calls).toHaveLength(1)
  })

  it('asks nothing on a timer while the tunnel delivers, and resumes its pace when the tunnel drops', async () => {
    const { p, calls } = poller()
    p.start()
    p.update({ tunnelConnected: true })
    await vi.advanceTimersByTimeAsync(60 * 60_000)
    expect(calls).toHaveLength(0)
    expect(vi.getTimerCount()).toBe(0)
    p.update({ tunnelConnected: false })
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls).toHaveLength(1)
    p.stop()
  })

  it('backs off after failures and returns to the normal pace after a success', async () => {
    const { p, calls } = poller([false, false, true])
    p.start()
    await vi.advanceTimersByTimeAsync(10_000) // poll 1 fails
    expect(p.state.consecutiveFailures).toBe(1)
    await vi.advanceTimersByTimeAsync(19_999)
    expect(calls).toHaveLength(1)
    await vi.advanceTimersByTimeAsync(1) // poll 2 at +20 s fails
    expect(p.state.consecutiveFailures).toBe(2)
    await vi.advanceTimersByTimeAsync(40_000) // poll 3 at +40 s succeeds
    expect(p.state.consecutiveFailures).toBe(0)
    await vi.advanceTimersByTimeAsync(10_000)
    expect(calls.map((t, i) => (i ? t - calls[i - 1] : 0))).toEqual([0, 20_000, 40_000, 10_000])
  })

  it('coalesces a manual poll with one already running', async () => {
    let release!: (ok: boolean) => void
    let calls = 0
    const p = new Poller({
      random: middle,
      poll: () => {
        calls++
        return new Promise<boolean>((resolve) => (release = resolve))
      }
    })
    const a = p.pollNow()
    const b = p.pollNow()
    expect(a).toBe(b)
    release(true)
    await a
    expect(calls).toBe(1)
  })
})
