// How long the tunnel waits before connecting again. Full jitter spreads the desktops that lost the same
// relay at the same moment; the floor keeps a dead relay from being hammered in a tight loop; the
// server's Retry-After, when it gives one, wins (within reason).
import { fullJitterDelayMs, parseRetryAfterMs } from '../postproxy/retry-policy.ts'

export interface ReconnectDelayOptions {
  /** The shortest wait (RELAY.md: 1 s). */
  minMs: number
  /** The longest wait (RELAY.md: 60 s). */
  maxMs: number
  /** A Retry-After beyond this is capped: a misconfigured proxy must not park the tunnel for a day. */
  maxRetryAfterMs: number
}

export const DEFAULT_RECONNECT_DELAY: ReconnectDelayOptions = { minMs: 1000, maxMs: 60_000, maxRetryAfterMs: 10 * 60_000 }

/**
 * The wait before reconnect attempt `failures` (1 after the first failure): between `minMs` and
 * `min(maxMs, minMs × 2^(failures-1))`, uniformly. A Retry-After header replaces it.
 */
export function reconnectDelayMs(
  failures: number,
  options: ReconnectDelayOptions,
  random: () => number,
  retryAfter?: { header: string | null; nowMs: number }
): number {
  const fromServer = retryAfter ? parseRetryAfterMs(retryAfter.header, retryAfter.nowMs) : undefined
  if (fromServer !== undefined) return Math.min(Math.max(fromServer, options.minMs), options.maxRetryAfterMs)
  const spread = Math.max(0, options.maxMs - options.minMs)
  return options.minMs + fullJitterDelayMs(failures, { baseMs: options.minMs, maxMs: spread }, random)
}
