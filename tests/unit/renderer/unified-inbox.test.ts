// The unified inbox's renderer logic (issue #13): what a new session means for the lists (a profile
// filter or another account reloads them, without starting over), and the profile filter's choices
// with their unread counts and problem marks.
import { describe, expect, it } from 'vitest'
import type { ProfileSummary, Session } from '../../../shared/inbox-api.ts'
import { loadProfileFilter, loadSessionChange } from './renderer-modules.ts'

const { sessionChange, profileShown } = await loadSessionChange()
const { profileFilterOptions, problemMark, profileTitle } = await loadProfileFilter()

type SignedIn = Extract<Session, { state: 'signed_in' }>

function profile(id: string, platform: string, name: string | null, more: Partial<ProfileSummary> = {}): ProfileSummary {
  return { id, name, username: null, platform, status: 'active', avatarUrl: null, messaging: platform !== 'tiktok', problem: null, accountId: 'acc_1', ...more }
}

const studioIg = profile('prof_ig', 'instagram', 'Clay & Tide Studio', { username: 'clayandtide.studio' })
const studioFb = profile('prof_fb', 'facebook', 'Clay & Tide Studio')
const tiktok = profile('prof_tt', 'tiktok', 'Clay & Tide')
const school = profile('prof_school', 'instagram', null, { username: 'tide.clayschool' })

function session(more: Partial<SignedIn> = {}): SignedIn {
  return { state: 'signed_in', mode: 'live', accounts: [{ id: 'acc_1', label: 'Postproxy account 1' }], profiles: [studioIg, studioFb, tiktok, school], profileFilter: null, ...more }
}

describe('what a new session means for the lists', () => {
  it('starts over on sign-in and clears on sign-out', () => {
    expect(sessionChange(null, session())).toBe('started')
    expect(sessionChange(session(), null)).toBe('signed-out')
    expect(sessionChange(null, null)).toBe('signed-out')
  })

  it('starts over for another first key or the demo', () => {
    expect(sessionChange(session(), session({ accounts: [{ id: 'acc_other', label: 'Postproxy account 1' }] }))).toBe('started')
    expect(sessionChange(session(), session({ mode: 'demo' }))).toBe('started')
  })

  it('reloads (without starting over) when the profile filter changes, either way', () => {
    expect(sessionChange(session(), session({ profileFilter: 'prof_fb' }))).toBe('refiltered')
    expect(sessionChange(session({ profileFilter: 'prof_fb' }), session())).toBe('refiltered')
  })

  it('reloads when an account brings profiles or takes them away', () => {
    const second = profile('prof_agency', 'instagram', 'Agency client', { accountId: 'acc_2' })
    const accounts = [...session().accounts, { id: 'acc_2', label: 'Postproxy account 2' }]
    expect(sessionChange(session(), session({ accounts, profiles: [studioIg, studioFb, tiktok, school, second] }))).toBe('profiles-changed')
    expect(sessionChange(session({ accounts, profiles: [studioIg, studioFb, tiktok, school, second] }), session())).toBe('profiles-changed')
  })

  it('keeps what is shown when only a profile detail changed (it expired)', () => {
    const expired = { ...studioFb, status: 'expired', problem: 'The Facebook connection expired.' }
    expect(sessionChange(session(), session({ profiles: [studioIg, expired, tiktok, school] }))).toBe('same')
  })

  it('keeps a chat open while its profile is shown', () => {
    expect(profileShown(session(), 'prof_fb')).toBe(true)
    expect(profileShown(session({ profileFilter: 'prof_fb' }), 'prof_fb')).toBe(true)
    expect(profileShown(session({ profileFilter: 'prof_ig' }), 'prof_fb')).toBe(false)
    expect(profileShown(session({ profiles: [studioIg] }), 'prof_fb')).toBe(false)
  })
})

describe('the profile filter', () => {
  it('offers all profiles, then each messaging profile named with its platform, with unread counts', () => {
    const options = profileFilterOptions(session().profiles, { prof_ig: 3, prof_fb: 2, prof_school: 0 })
    expect(options).toEqual([
      { value: null, label: 'All profiles · 5 unread' },
      { value: 'prof_ig', label: 'Instagram · Clay & Tide Studio · 3 unread' },
      { value: 'prof_fb', label: 'Messenger · Clay & Tide Studio · 2 unread' },
      { value: 'prof_school', label: 'Instagram · @tide.clayschool' }
    ])
  })

  it('works before the first status arrives', () => {
    expect(profileFilterOptions(session().profiles).map((o) => o.label)).toEqual([
      'All profiles',
      'Instagram · Clay & Tide Studio',
      'Messenger · Clay & Tide Studio',
      'Instagram · @tide.clayschool'
    ])
  })

  it('marks a profile that cannot send with its status, or in words when the network gave none', () => {
    const expired = { ...studioFb, status: 'expired', problem: 'The Facebook connection of Clay & Tide Studio expired; reconnect it in Postproxy.' }
    const options = profileFilterOptions([studioIg, expired], { prof_fb: 1 })
    expect(options[2]).toEqual({ value: 'prof_fb', label: 'Messenger · Clay & Tide Studio · 1 unread · expired' })
    expect(problemMark({ status: 'active', problem: 'Postproxy no longer reaches it.' })).toBe("can't send")
    expect(problemMark(studioIg)).toBeNull()
  })

  it('names a profile by its handle, or its id, when it has no name', () => {
    expect(profileTitle(school)).toBe('Instagram · @tide.clayschool')
    expect(profileTitle(profile('prof_x', 'facebook', '  '))).toBe('Messenger · prof_x')
  })
})
