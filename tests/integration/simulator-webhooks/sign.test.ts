import { describe, expect, it } from 'vitest'
import { generateWebhookSecret, signWebhookPayload } from '../../../simulator/webhooks/sign.ts'

describe('webhook signatures', () => {
  it('matches the official SDK test vector', () => {
    const header = signWebhookPayload('whsec_test123', 1234567890, '{"event":"post.published","data":{"id":"post-1"}}')
    expect(header).toBe('t=1234567890,v1=c8e99efbb07ac8e3152c02dd8d83e8ddb803ae8fb001d9e1ab42fb0b1f405ef2')
  })

  it('signs bytes and the equivalent string alike, and any change of body, time or secret changes v1', () => {
    const body = '{"type":"message.received","data":{"text":"héllo ✨"}}'
    const fromString = signWebhookPayload('whsec_abc', 1700000000, body)
    expect(signWebhookPayload('whsec_abc', 1700000000, new TextEncoder().encode(body))).toBe(fromString)
    expect(signWebhookPayload('whsec_abc', 1700000000, body + ' ')).not.toBe(fromString)
    expect(signWebhookPayload('whsec_abc', 1700000001, body).split(',v1=')[1]).not.toBe(fromString.split(',v1=')[1])
    // The key is the whole secret, prefix included.
    expect(signWebhookPayload('abc', 1700000000, body)).not.toBe(fromString)
  })

  it('generates whsec_ secrets carrying at least 32 random bytes', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateWebhookSecret()))
    expect(secrets.size).toBe(50)
    for (const secret of secrets) {
      expect(secret).toMatch(/^whsec_[A-Za-z0-9_-]{43,}$/)
      expect(Buffer.from(secret.slice('whsec_'.length), 'base64url').length).toBeGreaterThanOrEqual(32)
    }
  })
})
