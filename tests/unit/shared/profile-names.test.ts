// How profiles are named where several share the inbox (issue #13), and the notifications that name them.
import { describe, expect, it } from 'vitest'
import type { ProfileSummary } from '../../../shared/inbox-api.ts'
import { NotificationBatcher, type NotificationPlan } from '../../../shared/notification-policy.ts'
import { isUnifiedInbox, platformShortName, profileName, profileNoticeName } from '../../../shared/profile-names.ts'

function profile(id: string, platform: string, name: string | null, messaging = true): ProfileSummary {
  return { id, name, username: null, platform, status: 'active', avatarUrl: null, messaging, problem: null, accountId: 'acc_1' }
}

const studioIg = profile('prof_ig', 'instagram', 'Clay & Tide Studio')
const studioFb = profile('prof_fb', 'facebook', 'Clay & Tide Studio')
const tiktok = profile('prof_tt', 'tiktok', 'Clay & Tide', false)

describe('profile names', () => {
  it('names platforms in a word', () => {
    expect([platformShortName('instagram'), platformShortName('facebook'), platformShortName('tiktok'), platformShortName('telegram')]).toEqual([
      'Instagram',
      'Messenger',
      'TikTok',
      'Telegram'
    ])
  })

  it('falls back to the handle, then the id', () => {
    expect(profileName({ id: 'p1', name: 'Clay', username: 'clay' })).toBe('Clay')
    expect(profileName({ id: 'p1', name: null, username: 'clay' })).toBe('@clay')
    expect(profileName({ id: 'p1', name: null, username: null })).toBe('p1')
  })

  it('is unified only with more than one messaging profile (a network without DMs does not count)', () => {
    expect(isUnifiedInbox([studioIg, tiktok])).toBe(false)
    expect(isUnifiedInbox([studioIg, studioFb, tiktok])).toBe(true)
  })

  it('names the receiving profile for a notification with its platform, since two may share a name', () => {
    expect(profileNoticeName(studioFb)).toBe('Clay & Tide Studio · Messenger')
    expect(profileNoticeName(studioIg)).toBe('Clay & Tide Studio · Instagram')
    // Postproxy's profile as the core holds it: no handle field.
    expect(profileNoticeName({ id: 'prof_x', name: null, platform: 'facebook' })).toBe('prof_x · Messenger')
  })
})

describe('notifications that name the profile', () => {
  function batcher() {
    const shown: NotificationPlan[] = []
    const b = new NotificationBatcher({ show: (plan) => shown.push(plan), settings: () => ({ enabled: true, showPreviews: true }), chatInFront: () => null, setTimer: () => 'manual' })
    return { b, shown }
  }

  it('titles a message "sender → profile" and a comment "… commented on profile"', () => {
    const { b, shown } = batcher()
    const profile = profileNoticeName(studioFb)
    b.push({ chatId: 'chat_1', messageId: 'm1', sender: 'Ana Souza', preview: 'Do you ship to Porto?', profile })
    b.pushComment({ commentId: 'c1', author: '@leo', preview: 'Love this glaze', profile: profileNoticeName(studioIg) })
    b.flush()
    expect(shown.map((p) => p.title)).toEqual(['Ana Souza → Clay & Tide Studio · Messenger', '@leo commented on Clay & Tide Studio · Instagram'])
  })

  it('keeps the plain title with one profile', () => {
    const { b, shown } = batcher()
    b.push({ chatId: 'chat_1', messageId: 'm1', sender: 'Ana Souza', preview: 'Hi', profile: null })
    b.flush()
    expect(shown[0]).toMatchObject({ title: 'Ana Souza', body: 'Hi' })
  })
})
