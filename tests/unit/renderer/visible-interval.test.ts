// The renderer's repeating timers stop while the page is hidden and catch up when it is shown: a window
// left hidden all day wakes nothing up.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { loadVisibleInterval } from './renderer-modules.ts'

const { VisibleInterval } = await loadVisibleInterval()

/** A page whose visibility the test switches, firing `visibilitychange` as a browser does. */
class Page extends EventTarget {
  visibilityState: 'visible' | 'hidden' = 'visible'

  show(state: 'visible' | 'hidden'): void {
    this.visibilityState = state
    this.dispatchEvent(new Event('visibilitychange'))
  }
}

describe('VisibleInterval', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('ticks every interval while visible, not at all while hidden, and at once when shown again', () => {
    const page = new Page()
    let ticks = 0
    const interval = new VisibleInterval(() => ticks++, 30_000, page)
    vi.advanceTimersByTime(90_000)
    expect(ticks).toBe(3)

    page.show('hidden')
    expect(interval.running).toBe(false)
    expect(vi.getTimerCount()).toBe(0)
    vi.advanceTimersByTime(10 * 60_000)
    expect(ticks).toBe(3)

    page.show('visible')
    expect(ticks).toBe(4)
    vi.advanceTimersByTime(30_000)
    expect(ticks).toBe(5)
    interval.stop()
  })

  it('starts without a timer when the page is hidden from the start, and stop() leaves none behind', () => {
    const page = new Page()
    page.visibilityState = 'hidden'
    let ticks = 0
    const interval = new VisibleInterval(() => ticks++, 1000, page)
    expect(vi.getTimerCount()).toBe(0)
    page.show('visible')
    expect(ticks).toBe(1)
    expect(vi.getTimerCount()).toBe(1)
    interval.stop()
    expect(vi.getTimerCount()).toBe(0)
    page.show('hidden')
    page.show('visible')
    expect(ticks).toBe(1)
  })
})
