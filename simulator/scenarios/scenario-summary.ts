import type { Profile } from '../../shared/postproxy.ts'

/** What a scenario wrote, for the simulator's startup log and for tests. */
export interface ScenarioSummary {
  profile: Profile
  chats: number
  messages: number
  posts: number
  comments: number
}
