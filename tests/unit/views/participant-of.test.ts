// A chat's participant as the renderer gets it: Instagram's signals on Instagram, none on Messenger.
import { describe, expect, it } from 'vitest'
import { participantOf } from '../../../electron/inbox/views.ts'
import type { Chat } from '../../../shared/postproxy.ts'

const signals = { is_verified_user: true, follower_count: 48_000, is_user_follow_business: true, is_business_follow_user: false }

function chat(platform: string, participant: Partial<Chat>): Chat {
  return { id: 'chat_1', profile_id: 'prof_1', platform, participant_external_id: '1', metadata: signals, ...participant } as Chat
}

describe('participantOf', () => {
  it('carries the signals of an Instagram participant', () => {
    expect(participantOf(chat('instagram', { participant_username: 'jane' }))).toMatchObject({
      username: 'jane',
      isVerified: true,
      followerCount: 48_000,
      followsYou: true,
      youFollow: false
    })
  })

  it('gives a Messenger person no signals at all (unknown, never "not verified"), whatever the metadata holds', () => {
    expect(participantOf(chat('facebook', { participant_external_id: '2718281828459045', participant_name: 'Ana Souza' }))).toEqual({
      externalId: '2718281828459045',
      username: null,
      name: 'Ana Souza',
      avatarUrl: null,
      isVerified: null,
      followerCount: null,
      followsYou: null,
      youFollow: null
    })
  })
})
