// The simulator's scenarios: what a fresh simulator contains. Every scenario writes the creator's
// profile first; all times are relative to the simulated clock and everything else follows the seed.
import type { ScenarioOptions, ScenarioSink } from '../contracts.ts'
import { writeCreatorProfile } from './creator-profile.ts'
import type { ScenarioSummary } from './scenario-summary.ts'

export { buildDemoScenario } from './demo.ts'
export { buildScaleScenario, writeScaleChats } from './scale.ts'
export { buildProfileSet, profileSetIds } from './profile-set.ts'
export { startPersonas } from './personas.ts'
export type { ScenarioSummary } from './scenario-summary.ts'

/** Just the creator's profile: an inbox with nothing in it. */
export function buildEmptyScenario(sink: ScenarioSink, options: ScenarioOptions): ScenarioSummary {
  return { profile: writeCreatorProfile(sink, options, null), chats: 0, messages: 0, posts: 0, comments: 0 }
}
