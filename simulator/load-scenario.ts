// Loading a scenario (simulator/scenarios/) into one account, in one transaction: fast for the
// scale scenario, and all-or-nothing. The account always ends up with its profile; with
// `multiProfile` also with the multi-profile world's other profiles (scenarios/profile-set.ts).
import { platformName } from '../shared/platforms.ts'
import type { Profile } from '../shared/postproxy.ts'
import type { AccountId, ScenarioOptions, SimClock } from './contracts.ts'
import { newId } from './ids.ts'
import { createScenarioSink } from './scenario-sink.ts'
import { buildDemoScenario, buildEmptyScenario, buildProfileSet, buildScaleScenario, writeScaleChats } from './scenarios/index.ts'
import type { SimState } from './state.ts'

/**
 * `multiProfile`: the primary profile plus a Facebook Page, a TikTok account and a second Instagram account.
 * `everyProfile` (scale): each of those with DMs gets the scale chats too (by default only the primary).
 */
export type ScenarioChoice =
  | { name: 'demo' | 'empty'; seed: number; multiProfile?: boolean }
  | { name: 'scale'; seed: number; chats: number; messagesPerChat: number; multiProfile?: boolean; everyProfile?: boolean }

export function defaultProfile(profileId: string, platform = 'instagram'): Profile {
  return {
    id: profileId,
    name: `My ${platformName(platform)}`,
    platform,
    status: 'active',
    profile_group_id: newId('pg'),
    expires_at: null,
    avatar_url: null
  }
}

export function loadScenario(
  state: SimState,
  clock: SimClock,
  target: { account: AccountId; profileId: string; platform?: string },
  choice: ScenarioChoice
): void {
  // With everyProfile: the creator's chats, the Page's and the school's.
  const scaledProfiles = choice.name === 'scale' && choice.multiProfile && choice.everyProfile ? 3 : 1
  const expectedMessages = choice.name === 'scale' ? choice.chats * choice.messagesPerChat * scaledProfiles : 0
  state.bulkLoad(expectedMessages, () => {
    const sink = createScenarioSink(state, target.account)
    const options: ScenarioOptions = { account: target.account, profileId: target.profileId, clock, seed: choice.seed }
    if (choice.name === 'demo') buildDemoScenario(sink, options)
    else if (choice.name === 'scale') {
      buildScaleScenario(sink, { ...options, chats: choice.chats, messagesPerChat: choice.messagesPerChat })
    } else buildEmptyScenario(sink, options)
    const primary = settlePrimaryProfile(state, target)
    if (choice.multiProfile) {
      const extra = buildProfileSet(sink, {
        account: target.account,
        primaryProfileId: primary.id,
        primaryGroupId: primary.profile_group_id!,
        clock,
        seed: choice.seed,
        withContent: choice.name === 'demo'
      })
      if (choice.name === 'scale' && choice.everyProfile) {
        for (const { profile } of extra) {
          if (profile.platform !== 'instagram' && profile.platform !== 'facebook') continue
          const scale = { ...options, profileId: profile.id, chats: choice.chats, messagesPerChat: choice.messagesPerChat }
          writeScaleChats(sink, scale, profile.platform, false)
        }
      }
    }
    sink.finish()
  })
}

/** The primary profile as the scenario wrote it, on the requested platform and in a profile group. */
function settlePrimaryProfile(state: SimState, target: { account: AccountId; profileId: string; platform?: string }): Profile {
  const profile = state.profile(target.account, target.profileId)
  if (!profile) {
    const created = defaultProfile(target.profileId, target.platform)
    state.putProfile(target.account, created)
    return created
  }
  if ((target.platform && profile.platform !== target.platform) || !profile.profile_group_id) {
    // Every Postproxy profile sits in a profile group, which `?profile_group_id=` can name.
    const settled = { ...profile, platform: target.platform ?? profile.platform, profile_group_id: profile.profile_group_id || newId('pg') }
    state.putProfile(target.account, settled)
    return settled
  }
  return profile
}
