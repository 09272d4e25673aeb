import { describe, expect, it } from 'vitest'
import { parseFeedUrl, resolveUpdateSource } from '../../../electron/main/update-source.ts'

describe('resolveUpdateSource: updates are off unless configured', () => {
  it('is off for an installed app without any feed', () => {
    expect(resolveUpdateSource({ env: {}, isPackaged: true, hasBakedFeed: false })).toEqual({ kind: 'off', reason: 'no update feed configured' })
  })

  it('uses the feed baked in at build time', () => {
    expect(resolveUpdateSource({ env: {}, isPackaged: true, hasBakedFeed: true })).toEqual({ kind: 'baked', origin: 'build' })
  })

  it('prefers DMDESK_UPDATE_URL from the environment, normalised to a folder URL', () => {
    expect(resolveUpdateSource({ env: { DMDESK_UPDATE_URL: ' https://updates.example.com/dmdesk ' }, isPackaged: true, hasBakedFeed: true })).toEqual({
      kind: 'feed',
      url: 'https://updates.example.com/dmdesk/',
      origin: 'environment'
    })
  })

  it('DMDESK_UPDATES=off wins over every feed', () => {
    expect(resolveUpdateSource({ env: { DMDESK_UPDATES: 'OFF', DMDESK_UPDATE_URL: 'https://u.example.com/' }, isPackaged: true, hasBakedFeed: true }).kind).toBe('off')
  })

  it('is off in a development run, even with a feed configured', () => {
    expect(resolveUpdateSource({ env: { DMDESK_UPDATE_URL: 'https://u.example.com/' }, isPackaged: false, hasBakedFeed: false })).toEqual({
      kind: 'off',
      reason: 'development build (not installed from a package)'
    })
  })

  it('turns updates off, saying why, when the configured URL is unsafe', () => {
    const source = resolveUpdateSource({ env: { DMDESK_UPDATE_URL: 'http://updates.example.com/' }, isPackaged: true, hasBakedFeed: true })
    expect(source.kind).toBe('off')
    expect(source.kind === 'off' && source.reason).toMatch(/must start with https:\/\//)
  })
})

describe('parseFeedUrl', () => {
  it.each([
    ['https://updates.example.com/dmdesk/', 'https://updates.example.com/dmdesk/'],
    ['https://updates.example.com', 'https://updates.example.com/'],
    ['http://127.0.0.1:8080/feed', 'http://127.0.0.1:8080/feed/'],
    ['http://[::1]:8080/', 'http://[::1]:8080/'],
    ['http://localhost:5000/x/', 'http://localhost:5000/x/']
  ])('accepts %s', (raw, url) => {
    expect(parseFeedUrl(raw)).toEqual({ ok: true, url })
  })

  it.each([
    ['plain http to another host', 'http://updates.example.com/'],
    ['another scheme', 'file:///tmp/feed/'],
    ['not a URL', 'updates.example.com'],
    ['credentials', 'https://user:secret@updates.example.com/'],
    ['a query', 'https://updates.example.com/?token=1']
  ])('rejects %s', (_label, raw) => {
    const parsed = parseFeedUrl(raw)
    expect(parsed.ok).toBe(false)
    expect(!parsed.ok && parsed.message).toMatch(/^DMDESK_UPDATE_URL /)
  })
})
