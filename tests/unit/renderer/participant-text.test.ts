import { describe, expect, it } from 'vitest'
import type { Participant } from '../../../shared/inbox-api.ts'
import { loadParticipantText } from './renderer-modules.ts'

const { followerCountText, hueOf, initialsOf, participantHandle, participantLabel, participantTitle } = await loadParticipantText()

const LONE_SURROGATE = /\p{Cs}/u

function participant(fields: Partial<Participant>): Participant {
  return {
    externalId: '17841400000000001',
    username: null,
    name: null,
    avatarUrl: null,
    isVerified: null,
    followerCount: null,
    followsYou: null,
    youFollow: null,
    ...fields
  }
}

describe('followerCountText', () => {
  it('writes counts the way Instagram does', () => {
    expect(followerCountText(0)).toBe('0 followers')
    expect(followerCountText(1)).toBe('1 follower')
    expect(followerCountText(2)).toBe('2 followers')
    expect(followerCountText(999)).toBe('999 followers')
    expect(followerCountText(1_000)).toBe('1K followers')
    expect(followerCountText(1_200)).toBe('1.2K followers')
    expect(followerCountText(48_230)).toBe('48.2K followers')
    expect(followerCountText(1_200_000)).toBe('1.2M followers')
    expect(followerCountText(2_000_000_000)).toBe('2B followers')
  })

  it('rounds to one decimal, carrying into the next unit instead of showing "1000K"', () => {
    expect(followerCountText(1_049)).toBe('1K followers')
    expect(followerCountText(1_050)).toBe('1.1K followers')
    expect(followerCountText(9_999)).toBe('10K followers')
    expect(followerCountText(999_999)).toBe('1M followers')
  })
})

describe('participant names', () => {
  const jane = participant({ username: 'jane.doe', name: 'Jane Doe' })
  const usernameOnly = participant({ username: 'omar_k' })
  const nameOnly = participant({ name: 'Li Wei' })
  const anonymous = participant({})

  it('uses the @handle, else the name, else a neutral word', () => {
    expect([jane, usernameOnly, nameOnly, anonymous].map((p) => participantHandle(p, 'instagram'))).toEqual(['@jane.doe', '@omar_k', 'Li Wei', 'Instagram user'])
  })

  it('titles rows with the name, else the @handle', () => {
    expect([jane, usernameOnly, nameOnly, anonymous].map((p) => participantTitle(p, 'instagram'))).toEqual(['Jane Doe', '@omar_k', 'Li Wei', 'Instagram user'])
  })

  it('labels notifications with the bare username, else the name', () => {
    expect([jane, usernameOnly, nameOnly, anonymous].map((p) => participantLabel(p, 'instagram'))).toEqual(['jane.doe', 'omar_k', 'Li Wei', 'Instagram user'])
  })

  it('calls a Messenger person without a name a Facebook user, never an Instagram one', () => {
    const page = participant({ externalId: '2718281828459045', name: 'Ana Souza' })
    const unnamed = participant({ externalId: '3141592653589793' })
    expect([page, unnamed].map((p) => participantHandle(p, 'facebook'))).toEqual(['Ana Souza', 'Facebook user'])
    expect([page, unnamed].map((p) => participantTitle(p, 'facebook'))).toEqual(['Ana Souza', 'Facebook user'])
    expect([page, unnamed].map((p) => participantLabel(p, 'facebook'))).toEqual(['Ana Souza', 'Facebook user'])
  })

  it('keeps Instagram’s word for callers that do not name the platform', () => {
    expect(participantTitle(anonymous)).toBe('Instagram user')
  })
})

describe('initialsOf', () => {
  it('takes the first letters of two words, or the first two of one', () => {
    expect(initialsOf(participant({ name: 'Jane Doe' }))).toBe('JD')
    expect(initialsOf(participant({ name: 'jane mary doe' }))).toBe('JM')
    expect(initialsOf(participant({ name: 'Beyoncé' }))).toBe('BE')
    expect(initialsOf(participant({ name: 'Zoë Ødegaard' }))).toBe('ZØ')
    expect(initialsOf(participant({ name: 'Ли Вэй' }))).toBe('ЛВ')
  })

  it('reads a username split on its punctuation when there is no name', () => {
    expect(initialsOf(participant({ username: 'jane.doe_99' }))).toBe('JD')
    expect(initialsOf(participant({ username: 'omar' }))).toBe('OM')
  })

  it('falls back to "?" when nothing is readable', () => {
    expect(initialsOf(participant({}))).toBe('?')
    expect(initialsOf(participant({ name: '🔥🔥 ✨' }))).toBe('?')
    expect(initialsOf(participant({ name: '...' }))).toBe('?')
  })

  it('keeps a single astral letter whole', () => {
    const initials = initialsOf(participant({ name: '𝓙ane' }))
    expect(initials).not.toMatch(LONE_SURROGATE)
  })

  // Regression (was a bug in renderer/src/lib/format/participant-text.ts:31): `words[0][0] + words[1][0]` takes
  // UTF-16 units, so a two-word "fancy font" name (common on Instagram) gives two lone surrogates.
  it('keeps astral initials of a two-word name whole', () => {
    const initials = initialsOf(participant({ name: '𝓙𝓪𝓷𝓮 𝓓𝓸𝓮' }))
    expect(initials).not.toMatch(LONE_SURROGATE)
    expect(initials).toBe('𝓙𝓓')
  })
})

describe('hueOf', () => {
  it('gives a stable hue in [0, 360) for any key', () => {
    const keys = ['', 'a', '17841400000000001', 'x'.repeat(10_000), '𝓙𝓪𝓷𝓮', '\u0000']
    for (const key of keys) {
      const hue = hueOf(key)
      expect(Number.isInteger(hue)).toBe(true)
      expect(hue).toBeGreaterThanOrEqual(0)
      expect(hue).toBeLessThan(360)
      expect(hueOf(key)).toBe(hue)
    }
  })

  it('spreads participants over many colours', () => {
    const hues = new Set(Array.from({ length: 500 }, (_, i) => hueOf(`1784140000000${1000 + i}`)))
    expect(hues.size).toBeGreaterThan(200)
  })
})
