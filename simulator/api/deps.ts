// What the endpoint groups need from the running simulator.
import type { AccountId, WebhookDispatcher } from '../contracts.ts'
import type { SimulatedClock } from '../clock.ts'
import type { SimulatorControl } from '../control.ts'
import type { Faults } from '../faults.ts'
import type { Outbox } from '../outbox.ts'
import type { ProfileConnections } from '../profile-connections.ts'
import type { RateLimiter } from '../rate-limit.ts'
import type { RequestTally } from '../request-tally.ts'
import type { ScenarioChoice } from '../load-scenario.ts'
import type { SimState } from '../state.ts'

export interface AccountSummary {
  account: AccountId
  apiKey: string
  /** The primary profile: the one the scenario is about, and the control API's default. */
  profileId: string
  /** Every profile of the account, the primary first (several with `multiProfile`). */
  profileIds: string[]
}

export interface ApiDeps {
  state: SimState
  clock: SimulatedClock
  outbox: Outbox
  control: SimulatorControl
  profileConnections: ProfileConnections
  webhooks: WebhookDispatcher
  faults: Faults
  rateLimiter: RateLimiter
  requests: RequestTally
  /** Sends outside the messaging window are refused with a 422 instead of failing later. */
  strictWindow: boolean
  /** Replaces the account's data with a freshly built scenario (same key, same profile id). */
  resetAccount(account: AccountId, choice: ScenarioChoice): void
  /** A second (third, …) account with its own key, to show per-key scoping (and several keys in one app). */
  createAccount(input: { platform?: string; scenario?: ScenarioChoice }): AccountSummary
}
