// How the app names a platform, its network and its unnamed people, and which platform has participant signals.
import { describe, expect, it } from 'vitest'
import { hasParticipantSignals, networkName, platformName, unnamedPerson } from '../../../shared/platforms.ts'

describe('platform names', () => {
  it('names Messenger for DMs and Facebook for a Page’s posts and people', () => {
    expect(platformName('facebook')).toBe('Facebook Messenger')
    expect(networkName('facebook')).toBe('Facebook')
    expect(unnamedPerson('facebook')).toBe('Facebook user')
  })

  it('names Instagram alike everywhere, and other platforms by their id when unknown', () => {
    expect([platformName('instagram'), networkName('instagram'), unnamedPerson('instagram')]).toEqual(['Instagram', 'Instagram', 'Instagram user'])
    expect([platformName('mastodon'), networkName('mastodon')]).toEqual(['mastodon', 'mastodon'])
  })

  it('gives participant signals to Instagram only', () => {
    expect(hasParticipantSignals('instagram')).toBe(true)
    expect(hasParticipantSignals('facebook')).toBe(false)
  })
})
