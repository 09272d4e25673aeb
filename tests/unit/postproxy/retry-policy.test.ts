// The pure parts of the retry policy: Retry-After parsing and the full-jitter bound.
import { describe, expect, it } from 'vitest'
import { fullJitterDelayMs, parseRetryAfterMs } from '../../../electron/inbox/postproxy/retry-policy.ts'

describe('parseRetryAfterMs', () => {
  const now = Date.parse('2026-06-01T10:00:00.000Z')

  it('reads delta-seconds, including 0 and fractions', () => {
    expect(parseRetryAfterMs('12', now)).toBe(12_000)
    expect(parseRetryAfterMs(' 0 ', now)).toBe(0)
    expect(parseRetryAfterMs('1.5', now)).toBe(1_500)
  })

  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfterMs('Mon, 01 Jun 2026 10:00:30 GMT', now)).toBe(30_000)
    expect(parseRetryAfterMs('Mon, 01 Jun 2026 09:59:00 GMT', now)).toBe(0)
  })

  it('ignores absent or unreadable values', () => {
    for (const value of [null, undefined, '', 'soon', '-5', '1e3']) {
      expect(parseRetryAfterMs(value, now), String(value)).toBeUndefined()
    }
  })
})

describe('fullJitterDelayMs', () => {
  it('stays within [0, min(cap, base × 2^(n-1))) for any random draw', () => {
    const backoff = { baseMs: 500, maxMs: 30_000 }
    for (let retry = 1; retry <= 12; retry++) {
      const ceiling = Math.min(30_000, 500 * 2 ** (retry - 1))
      expect(fullJitterDelayMs(retry, backoff, () => 0)).toBe(0)
      expect(fullJitterDelayMs(retry, backoff, () => 0.999999)).toBe(Math.floor(0.999999 * ceiling))
      expect(fullJitterDelayMs(retry, backoff, () => 0.999999)).toBeLessThan(ceiling)
    }
  })
})
