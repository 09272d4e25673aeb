import { describe, expect, it } from 'vitest'
import { loadVirtualWindow } from './renderer-modules.ts'

const { driftCorrection, rowAt, rowOffsets, visibleRange } = await loadVirtualWindow()

// The thread view's constants (MessageList.svelte): unmeasured rows are estimated at 64 px, and 500 px
// are rendered beyond each edge of the viewport.
const ESTIMATED_ROW = 64
const OVERSCAN = 500

/** Deterministic pseudo-random heights, as measured bubbles would be: 28 px to ~400 px. */
function measuredHeights(count: number, seed: number): number[] {
  let state = seed
  const heights: number[] = []
  for (let i = 0; i < count; i++) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    heights.push(28 + (state % 37) * (state % 3 === 0 ? 10 : 1.5))
  }
  return heights
}

/** Rows [start, end) must cover every row touching [top, bottom), and no row outside it but the edge ones. */
function expectCovers(offsets: Float64Array, range: { start: number; end: number }, top: number, bottom: number): void {
  const count = offsets.length - 1
  if (top >= offsets[count]) {
    // Scrolled past the end (a stale scrollTop after the thread shrank): the last row stays rendered.
    expect(range).toEqual({ start: count - 1, end: count })
    return
  }
  for (let i = 0; i < count; i++) {
    const touches = offsets[i] < bottom && offsets[i + 1] > top
    if (touches) {
      expect(i, `row ${i} touches [${top}, ${bottom}) but is not rendered`).toBeGreaterThanOrEqual(range.start)
      expect(i).toBeLessThan(range.end)
    }
  }
  // Minimal: the first rendered row reaches the top edge, the last starts at or above the bottom edge.
  if (range.start > 0) expect(offsets[range.start + 1]).toBeGreaterThan(top)
  if (range.end > 0) expect(offsets[range.end - 1]).toBeLessThanOrEqual(bottom)
}

describe('rowOffsets', () => {
  it('gives each row its top and the total height last', () => {
    expect(Array.from(rowOffsets(3, (i) => [10, 20, 30][i]))).toEqual([0, 10, 30, 60])
    expect(Array.from(rowOffsets(0, () => 64))).toEqual([0])
  })
})

describe('rowAt', () => {
  const offsets = rowOffsets(3, (i) => [10, 20, 30][i])

  it('finds the row containing a pixel, a row owning its top edge', () => {
    expect(rowAt(offsets, 0)).toBe(0)
    expect(rowAt(offsets, 9.99)).toBe(0)
    expect(rowAt(offsets, 10)).toBe(1)
    expect(rowAt(offsets, 29)).toBe(1)
    expect(rowAt(offsets, 30)).toBe(2)
    expect(rowAt(offsets, 59.5)).toBe(2)
  })

  it('clamps pixels above and below the list to the first and last rows', () => {
    expect(rowAt(offsets, -100)).toBe(0)
    expect(rowAt(offsets, 60)).toBe(2)
    expect(rowAt(offsets, 1e9)).toBe(2)
    expect(rowAt(rowOffsets(0, () => 64), 50)).toBe(0)
  })
})

describe('visibleRange', () => {
  it('renders nothing for an empty thread', () => {
    expect(visibleRange(rowOffsets(0, () => ESTIMATED_ROW), 0, 800, OVERSCAN)).toEqual({ start: 0, end: 0 })
  })

  it('keeps a 10,000-message thread under 200 rendered rows wherever it is scrolled', () => {
    const count = 10_000
    const offsets = rowOffsets(count, () => ESTIMATED_ROW)
    const total = offsets[count]
    expect(total).toBe(640_000)
    for (const scrollTop of [0, 1, 63, 64, 250_000, total / 2 + 17, total - 800, total, total + 5_000]) {
      const range = visibleRange(offsets, scrollTop, 800, OVERSCAN)
      expect(range.end - range.start, `at scrollTop ${scrollTop}`).toBeLessThan(200)
      expect(range.end).toBeLessThanOrEqual(count)
      expectCovers(offsets, range, Math.max(0, scrollTop - OVERSCAN), scrollTop + 800 + OVERSCAN)
    }
    // At the very bottom the last message is rendered; at the top the first one.
    expect(visibleRange(offsets, total - 800, 800, OVERSCAN).end).toBe(count)
    expect(visibleRange(offsets, 0, 800, OVERSCAN).start).toBe(0)
  })

  it('covers exactly the viewport plus overscan with measured, uneven heights', () => {
    const heights = measuredHeights(10_000, 42)
    const offsets = rowOffsets(heights.length, (i) => heights[i])
    const total = offsets[heights.length]
    for (let step = 0; step <= 100; step++) {
      const scrollTop = (total * step) / 100
      for (const viewport of [300, 1_080]) {
        const range = visibleRange(offsets, scrollTop, viewport, OVERSCAN)
        expect(range.end - range.start).toBeLessThan(200)
        expectCovers(offsets, range, Math.max(0, scrollTop - OVERSCAN), scrollTop + viewport + OVERSCAN)
      }
    }
  })

  it('renders the one long message that spans the whole viewport', () => {
    const offsets = rowOffsets(3, (i) => [100, 5_000, 100][i])
    expect(visibleRange(offsets, 2_000, 800, 0)).toEqual({ start: 1, end: 2 })
    expect(visibleRange(offsets, 2_000, 800, OVERSCAN)).toEqual({ start: 1, end: 2 })
  })
})

describe('driftCorrection', () => {
  // Drifts as measured rows produce them: multiples of 1/64 px (Chromium's layout unit), so exact in floating point.
  const drifts = [0, 1, -1, 19.6875, -19.6875, 0.015625, -0.015625, 0.5, -0.5, 123.984375, -4031.25]
  const shims = [0, 0.25, 0.984375]

  it('moves the content up by exactly the drift, with whole-pixel scrolling and a shim under one pixel', () => {
    for (const drift of drifts) {
      for (const shim of shims) {
        const correction = driftCorrection(drift, shim)
        expect(Number.isInteger(correction.scrollBy), `scrollBy for drift ${drift}, shim ${shim}`).toBe(true)
        expect(correction.shim).toBeGreaterThanOrEqual(0)
        expect(correction.shim).toBeLessThan(1)
        // Scrolling down moves the content up; a taller shim moves it down.
        expect(correction.scrollBy - (correction.shim - shim), `drift ${drift}, shim ${shim}`).toBe(drift)
      }
    }
  })

  it('leaves everything alone when nothing drifted, and uses no shim for whole-pixel drifts', () => {
    expect(driftCorrection(0, 0.25)).toEqual({ scrollBy: 0, shim: 0.25 })
    expect(driftCorrection(8, 0)).toEqual({ scrollBy: 8, shim: 0 })
    expect(driftCorrection(-8, 0)).toEqual({ scrollBy: -8, shim: 0 })
  })
})
