// Postproxy sends ISO 8601 strings; the cache keeps them as sent and derives epoch milliseconds for sorting.

export function timestampMs(value: string | null | undefined): number | null {
  if (value === null || value === undefined) return null
  const ms = Date.parse(value)
  return Number.isNaN(ms) ? null : ms
}

/** The later of two ISO timestamps, keeping the original string; null only if both are missing. */
export function newestTimestamp(a: string | null | undefined, b: string | null | undefined): string | null {
  const aMs = timestampMs(a)
  const bMs = timestampMs(b)
  if (aMs === null) return bMs === null ? null : (b as string)
  if (bMs === null) return a as string
  return bMs > aMs ? (b as string) : (a as string)
}
