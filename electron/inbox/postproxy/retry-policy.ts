// When to try a Postproxy call again and how long to wait first.
// Full jitter (delay = random × min(cap, base × 2^n)) spreads a crowd of clients that failed together,
// so a recovering server is not hit by synchronized waves. A server's Retry-After overrides the guess.
import type { PostproxyError } from './errors.ts'

export interface BackoffOptions {
  baseMs: number
  maxMs: number
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 30_000 }

/** The wait before retry number `retry` (1 for the first retry). `random` returns [0, 1). */
export function fullJitterDelayMs(retry: number, backoff: BackoffOptions, random: () => number): number {
  const ceiling = Math.min(backoff.maxMs, backoff.baseMs * 2 ** Math.max(0, retry - 1))
  return Math.floor(random() * ceiling)
}

/**
 * Retry-After as milliseconds from `nowMs`: delta-seconds or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfterMs(value: string | null | undefined, nowMs: number): number | undefined {
  if (value == null) return undefined
  const trimmed = value.trim()
  if (trimmed === '') return undefined
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000)
  // All three HTTP date forms start with a weekday name; anything else (e.g. "-5") is not one, even
  // where Date.parse would guess a year from it.
  if (!/^[A-Za-z]{3}/.test(trimmed)) return undefined
  const date = Date.parse(trimmed)
  if (Number.isNaN(date)) return undefined
  return Math.max(0, date - nowMs)
}

/**
 * Whether a failed attempt may be repeated. Writes are safe to repeat because every attempt of one call
 * carries the same Idempotency-Key; a 409 means the first attempt is still running on the server.
 */
export function isRetryableFailure(error: PostproxyError, isWrite: boolean): boolean {
  switch (error.kind) {
    case 'network':
    case 'timeout':
    case 'server':
    case 'rate_limited':
      return true
    case 'conflict':
      return isWrite
    default:
      return false
  }
}

/** Statuses whose Retry-After header is a promise worth keeping. */
export function honoursRetryAfter(status: number | null): boolean {
  return status === 429 || status === 503
}
