// #12.6: the relay carries the admin token, the device token and every DM, so its address is https —
// http only to this computer. The same rule backs the InboxApi argument schema and the core's pairing.
import { describe, expect, it } from 'vitest'
import { INBOX_API_ARGS } from '../../../shared/inbox-api.ts'
import { isLoopbackHostname, relayAddressProblem } from '../../../shared/relay-address.ts'

describe('relay addresses', () => {
  it('accepts https anywhere, and http to this computer only', () => {
    for (const ok of [
      'https://relay.example.com',
      'https://relay.example.com:8443/base/',
      'http://localhost:8787',
      'http://LOCALHOST',
      'http://127.0.0.1:3000',
      'http://127.9.8.7',
      'http://127.1:8080',
      'http://[::1]:8787/'
    ]) {
      expect(relayAddressProblem(ok), ok).toBeNull()
    }
  })

  it('refuses http to any other host, other schemes, credentials and non-addresses, in words that say why', () => {
    for (const cleartext of ['http://relay.example.com', 'http://10.0.0.5:8787', 'http://127.0.0.1.nip.example', 'http://localhost.example.com', 'http://[::2]', 'http://0.0.0.0:8787']) {
      expect(relayAddressProblem(cleartext), cleartext).toMatch(/^The relay address must start with https:\/\/ — over http:\/\/ the admin token/)
    }
    expect(relayAddressProblem('ftp://relay.example.com')).toBe('The relay address must start with https:// (got "ftp:").')
    expect(relayAddressProblem('https://user:pass@relay.example.com')).toBe('The relay address must not contain a user name or password.')
    expect(relayAddressProblem('relay.example.com')).toBe('"relay.example.com" is not a web address. It should look like https://relay.example.com.')
  })

  it('knows loopback as the URL parser leaves it', () => {
    expect(isLoopbackHostname(new URL('http://0x7f.1/').hostname)).toBe(true)
    expect(isLoopbackHostname(new URL('http://[0:0:0:0:0:0:0:1]/').hostname)).toBe(true)
    expect(isLoopbackHostname(new URL('http://128.0.0.1/').hostname)).toBe(false)
  })

  it('the pairRelay argument schema gives the UI the same sentence', () => {
    const schema = INBOX_API_ARGS.pairRelay
    const adminToken = 'a'.repeat(32)
    expect(schema.safeParse({ relayUrl: 'https://relay.example.com', adminToken }).success).toBe(true)
    expect(schema.safeParse({ relayUrl: 'http://127.0.0.1:8787', adminToken }).success).toBe(true)
    const refused = schema.safeParse({ relayUrl: 'http://relay.example.com', adminToken })
    expect(refused.success).toBe(false)
    expect(refused.error?.issues.map((issue) => [issue.path.join('.'), issue.message])).toEqual([
      ['relayUrl', relayAddressProblem('http://relay.example.com')]
    ])
  })
})
