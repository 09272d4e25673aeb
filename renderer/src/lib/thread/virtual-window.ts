// The arithmetic of a virtualized list with rows of varying height: measured heights where known,
// an estimate elsewhere, prefix offsets, and the range of rows that intersects a viewport.

/** offsets[i] is the top of row i; offsets[n] is the total height. */
export function rowOffsets(count: number, heightOf: (index: number) => number): Float64Array {
  const offsets = new Float64Array(count + 1)
  for (let i = 0; i < count; i++) offsets[i + 1] = offsets[i] + heightOf(i)
  return offsets
}

/** The row containing pixel `y` (clamped to the rows that exist). */
export function rowAt(offsets: Float64Array, y: number): number {
  const count = offsets.length - 1
  if (count <= 0) return 0
  let low = 0
  let high = count - 1
  while (low < high) {
    const mid = (low + high + 1) >> 1
    if (offsets[mid] <= y) low = mid
    else high = mid - 1
  }
  return low
}

/** Rows [start, end) to render for a viewport, with `overscan` pixels of margin on each side. */
export function visibleRange(offsets: Float64Array, scrollTop: number, viewportHeight: number, overscan: number): { start: number; end: number } {
  const count = offsets.length - 1
  if (count <= 0) return { start: 0, end: 0 }
  const start = rowAt(offsets, Math.max(0, scrollTop - overscan))
  const end = Math.min(count, rowAt(offsets, scrollTop + viewportHeight + overscan) + 1)
  return { start, end }
}

/**
 * How to move the content up by `drift` px (the anchor sits that far below where it belongs) when the
 * browser scrolls by whole pixels only (at a device pixel ratio of 1, scrollTop = 100.4 reads back 100)
 * while measured rows are fractional (a 19.6 px line of text). The whole pixels go to the scroll
 * position; the fraction goes to a shim above the rows that stays under one pixel tall.
 */
export function driftCorrection(drift: number, shim: number): { scrollBy: number; shim: number } {
  // Scrolling down by k moves the content up by k; a taller shim moves it back down. So the next
  // shim is shim + k - drift, kept in [0, 1) by choosing k.
  const unwrapped = shim - drift
  const nextShim = unwrapped - Math.floor(unwrapped)
  // (0 - x, not -x: no negative zero.)
  return { scrollBy: 0 - Math.floor(unwrapped), shim: nextShim }
}
