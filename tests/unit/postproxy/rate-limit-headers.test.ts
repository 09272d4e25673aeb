import { describe, expect, it } from 'vitest'
import { readRateLimitHeaders } from '../../../electron/inbox/postproxy/rate-limit-headers.ts'

const NOW = Date.parse('2026-09-01T10:00:00.000Z')

describe('readRateLimitHeaders', () => {
  it('reads the IETF draft spelling and the X- spelling, reset in seconds', () => {
    expect(readRateLimitHeaders(new Headers({ 'RateLimit-Remaining': '3', 'RateLimit-Reset': '2' }), NOW)).toEqual({ remaining: 3, resetMs: 2000 })
    expect(readRateLimitHeaders(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '0.5' }), NOW)).toEqual({ remaining: 0, resetMs: 500 })
  })

  it('reads an epoch-seconds reset (GitHub style) as the time left', () => {
    const reset = String(NOW / 1000 + 30)
    expect(readRateLimitHeaders(new Headers({ 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': reset }), NOW)).toEqual({ remaining: 0, resetMs: 30_000 })
  })

  it('ignores absent and unreadable values', () => {
    expect(readRateLimitHeaders(new Headers(), NOW)).toEqual({})
    expect(readRateLimitHeaders(new Headers({ 'ratelimit-remaining': 'many', 'ratelimit-reset': '-1' }), NOW)).toEqual({})
  })
})
