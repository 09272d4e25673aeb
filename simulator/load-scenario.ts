// Loading a scenario (simulator/scenarios/) into one account, in one transaction: fast for the
// scale scenario, and all-or-nothing. The account always ends up with its profile.
import type { Profile } from '../shared/postproxy.ts'
import type { AccountId, ScenarioOptions, SimClock } from './contracts.ts'
import { newId } from './ids.ts'
import { createScenarioSink } from './scenario-sink.ts'
import { buildDemoScenario, buildEmptyScenario, buildScaleScenario } from './scenarios/index.ts'
import type { SimState } from './state.ts'

export type ScenarioChoice =
  | { name: 'demo' | 'empty'; seed: number }
  | { name: 'scale'; seed: number; chats: number; messagesPerChat: number }

export function defaultProfile(profileId: string, platform = 'instagram'): Profile {
  return {
    id: profileId,
    name: 'My Instagram',
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
  const expectedMessages = choice.name === 'scale' ? choice.chats * choice.messagesPerChat : 0
  state.bulkLoad(expectedMessages, () => {
    const sink = createScenarioSink(state, target.account)
    const options: ScenarioOptions = { account: target.account, profileId: target.profileId, clock, seed: choice.seed }
    if (choice.name === 'demo') buildDemoScenario(sink, options)
    else if (choice.name === 'scale') {
      buildScaleScenario(sink, { ...options, chats: choice.chats, messagesPerChat: choice.messagesPerChat })
    } else buildEmptyScenario(sink, options)
    sink.finish()
    const profile = state.profile(target.account, target.profileId)
    if (!profile) {
      state.putProfile(target.account, defaultProfile(target.profileId, target.platform))
    } else if ((target.platform && profile.platform !== target.platform) || !profile.profile_group_id) {
      // Every Postproxy profile sits in a profile group, which `?profile_group_id=` can name.
      state.putProfile(target.account, {
        ...profile,
        platform: target.platform ?? profile.platform,
        profile_group_id: profile.profile_group_id || newId('pg')
      })
    }
  })
}
