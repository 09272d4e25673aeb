// Rate headers, when a server sends them (Postproxy documents none: POSTPROXY.md §8). Read in the two
// common spellings — `RateLimit-Remaining` / `RateLimit-Reset` (IETF draft) and `X-RateLimit-Remaining` /
// `X-RateLimit-Reset` — so that "nothing left until the window resets" pauses the key before a 429.

export interface RateLimitHeaders {
  /** Requests left in the server's current window. */
  remaining?: number
  /** Milliseconds until that window resets. */
  resetMs?: number
}

/** A reset this large is an epoch time in seconds (GitHub's style), not a number of seconds to wait. */
const EPOCH_SECONDS_FROM = 1_000_000_000

function header(headers: Headers, name: string): number | undefined {
  const value = headers.get(`ratelimit-${name}`) ?? headers.get(`x-ratelimit-${name}`)
  if (value === null || !/^\s*\d+(\.\d+)?\s*$/.test(value)) return undefined
  return Number(value)
}

export function readRateLimitHeaders(headers: Headers, nowMs: number): RateLimitHeaders {
  const remaining = header(headers, 'remaining')
  const reset = header(headers, 'reset')
  const result: RateLimitHeaders = {}
  if (remaining !== undefined) result.remaining = Math.floor(remaining)
  if (reset !== undefined) result.resetMs = reset >= EPOCH_SECONDS_FROM ? Math.max(0, reset * 1000 - nowMs) : Math.round(reset * 1000)
  return result
}
