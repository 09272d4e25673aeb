import { describe, expect, it } from 'vitest'
import { HOUR_MS, messagingWindow, isWithinWindow } from '../../../shared/messaging-window.ts'
import { checkMedia, checkMessageText, sniffMediaType, TEXT_MAX_BYTES } from '../../../shared/media-rules.ts'

const inbound = Date.parse('2026-05-31T14:00:00.000Z')

describe('messaging window', () => {
  it('is open for 24 h after the last inbound message and warns in the last 2 h', () => {
    expect(messagingWindow(null, inbound)).toEqual({ state: 'never_opened' })
    expect(messagingWindow(inbound, inbound + HOUR_MS).state).toBe('open')
    expect(messagingWindow(new Date(inbound).toISOString(), inbound + 22.5 * HOUR_MS)).toEqual({
      state: 'closing_soon',
      closesAt: inbound + 24 * HOUR_MS
    })
    expect(messagingWindow(inbound, inbound + 24 * HOUR_MS)).toEqual({
      state: 'human_agent_only',
      closedAt: inbound + 24 * HOUR_MS,
      humanAgentClosesAt: inbound + 7 * 24 * HOUR_MS
    })
    expect(messagingWindow(inbound, inbound + 7 * 24 * HOUR_MS).state).toBe('closed')
  })

  it('lets HUMAN_AGENT sends through for 7 days and nothing before a first inbound message', () => {
    expect(isWithinWindow(inbound, inbound + 23 * HOUR_MS)).toBe(true)
    expect(isWithinWindow(inbound, inbound + 25 * HOUR_MS)).toBe(false)
    expect(isWithinWindow(inbound, inbound + 25 * HOUR_MS, 'HUMAN_AGENT')).toBe(true)
    expect(isWithinWindow(inbound, inbound + 7 * 24 * HOUR_MS, 'HUMAN_AGENT')).toBe(false)
    expect(isWithinWindow(null, inbound, 'HUMAN_AGENT')).toBe(false)
  })
})

describe('media and text rules', () => {
  const bytes = (...values: (number | string)[]) =>
    Uint8Array.from(values.flatMap((v) => (typeof v === 'string' ? [...v].map((c) => c.charCodeAt(0)) : [v])))

  it('know a file by its first bytes, not its name', () => {
    expect(sniffMediaType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a))).toBe('image/png')
    expect(sniffMediaType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg')
    expect(sniffMediaType(bytes('GIF89a'))).toBe('image/gif')
    expect(sniffMediaType(bytes('%PDF-1.7'))).toBe('application/pdf')
    expect(sniffMediaType(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBe('audio/wav')
    expect(sniffMediaType(bytes('RIFF', 0, 0, 0, 0, 'AVI '))).toBe('video/x-msvideo')
    expect(sniffMediaType(bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBeNull()
    expect(sniffMediaType(bytes(0x1a, 0x45, 0xdf, 0xa3))).toBe('video/webm')
    expect(sniffMediaType(bytes(0, 0, 0, 0x18, 'ftypqt  '))).toBe('video/quicktime')
    expect(sniffMediaType(bytes(0, 0, 0, 0x18, 'ftypM4A '))).toBe('audio/mp4')
    expect(sniffMediaType(bytes(0, 0, 0, 0x18, 'ftypisom'))).toBe('video/mp4')
    expect(sniffMediaType(bytes(0xff, 0xf1, 0x50, 0x80))).toBe('audio/aac')
    expect(sniffMediaType(bytes('MZ', 0x90, 0))).toBeNull()
    expect(sniffMediaType(new Uint8Array())).toBeNull()
  })

  it('name the limit a file breaks', () => {
    expect(checkMedia('image/png', 9 * 1024 * 1024)).toEqual({
      ok: false,
      message: 'Images can be at most 8 MB on Instagram; this one is 9 MB.'
    })
    expect(checkMedia('video/mp4', 25 * 1024 * 1024)).toEqual({ ok: true, kind: 'video', mime: 'video/mp4' })
    const webp = checkMedia('image/webp', 100)
    expect(webp.ok).toBe(false)
    expect(!webp.ok && webp.message).toMatch(/image\/webp.*can't be sent.*images \(PNG, JPEG, GIF, up to 8 MB\)/)
    expect(checkMedia(null, 100).ok).toBe(false)
    expect(checkMedia('application/pdf', 0)).toEqual({ ok: false, message: 'This file is empty.' })
  })

  it('count text in UTF-8 bytes, as Meta does', () => {
    expect(checkMessageText('a'.repeat(TEXT_MAX_BYTES))).toEqual({ ok: true })
    const emoji = '❤️'.repeat(167) // 6 bytes each = 1002 bytes in 334 UTF-16 units
    const result = checkMessageText(emoji)
    expect(result.ok).toBe(false)
    expect(!result.ok && result.message).toContain('1002 bytes')
    expect(checkMessageText('   ').ok).toBe(false)
  })
})
