// How many Postproxy requests each API key made, by the status they were answered with: what a benchmark
// or a test reads to say "the client asked N times and was refused M times" from the server's side.
import type { AccountId } from './contracts.ts'

export class RequestTally {
  #byAccount = new Map<AccountId, Map<number, number>>()

  record(account: AccountId, status: number): void {
    const statuses = this.#byAccount.get(account) ?? new Map<number, number>()
    statuses.set(status, (statuses.get(status) ?? 0) + 1)
    this.#byAccount.set(account, statuses)
  }

  /** `{total, by_status: {"200": n, "429": m}}` for one key's account. */
  of(account: AccountId): { total: number; by_status: Record<string, number> } {
    const statuses = this.#byAccount.get(account) ?? new Map<number, number>()
    let total = 0
    for (const count of statuses.values()) total += count
    return { total, by_status: Object.fromEntries([...statuses].sort(([a], [b]) => a - b).map(([status, count]) => [String(status), count])) }
  }
}
