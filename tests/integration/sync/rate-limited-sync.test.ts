// A first sync against a Postproxy that enforces a rate limit (the simulator's, counted on arrival):
// the client's pacing keeps it from ever being refused, the chats awaiting a reply come first, a thread
// the creator opens goes ahead of the sync's queue, and a client that assumed too high a limit learns.
import { afterEach, describe, expect, it } from 'vitest'
import type { RequestRecord } from '../../../electron/inbox/postproxy/index.ts'
import { InboxSync, type SyncProgress } from '../../../electron/inbox/sync/inbox-sync.ts'
import { groundTruth, syncWorld, type SyncWorld } from './sync-fixtures.ts'

let world: SyncWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const messagePageOf = (record: RequestRecord) => /^\/api\/chats\/([^/]+)\/messages$/.exec(record.path)?.[1] ?? null

describe('a first sync under a rate limit', () => {
  it('is never refused when paced at the known limit, asks once per chat, and fetches chats awaiting a reply first', async () => {
    // 8 per 2 s rather than 4 per second: the same pace, but a request's arrival may lag the next one's
    // by twice as long (222 ms: the pacing leaves a tenth of the window) before a busy machine could
    // squeeze one request too many into a window. Unpaced, the 17 requests would arrive within a window.
    const limit = { limit: 8, windowMs: 2000 }
    world = await syncWorld({ scenario: 'scale', chats: 16, messagesPerChat: 6, seed: 5, rateLimit: limit, latencyMs: 20 }, { requestRate: { requests: 8, perMs: 2000 } })
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId, messageDepth: 50, concurrency: 1 })
    const report = await sync.sync()

    expect(world.requests.filter((r) => r.status !== 200)).toEqual([])
    expect(report.requests).toBe(1 + 16)
    expect(world.client.budget.pace.throttled).toBe(0)

    // Ground truth from the simulator: which chats wait for a reply, and their activity order.
    const { sim } = world
    const awaiting = new Set(
      sim.control
        .listChats(sim.account, sim.profileId)
        .filter((chat) => sim.control.listMessages(sim.account, chat.id, 1)[0]?.direction === 'inbound')
        .map((chat) => chat.id)
    )
    expect(awaiting.size).toBeGreaterThan(0)
    expect(awaiting.size).toBeLessThan(16)
    const activity = new Map(groundTruth(world, 1).map((chat) => [chat.id, chat.last_message_at ?? '']))
    const fetched = world.requests.map(messagePageOf).filter((id) => id !== null)
    expect(fetched).toHaveLength(16)
    const firstOther = fetched.findIndex((id) => !awaiting.has(id))
    expect(fetched.slice(0, firstOther).every((id) => awaiting.has(id))).toBe(true)
    expect(fetched.slice(firstOther).some((id) => awaiting.has(id))).toBe(false)
    for (const group of [fetched.slice(0, firstOther), fetched.slice(firstOther)]) {
      const times = group.map((id) => activity.get(id)!)
      expect(times).toEqual([...times].sort().reverse())
    }
  })

  it('lets a thread the creator opens go ahead of the sync, and does not fetch that chat again', async () => {
    world = await syncWorld({ scenario: 'scale', chats: 30, messagesPerChat: 4, seed: 9 }, { requestRate: { requests: 5, perMs: 1000 } })
    const progress: SyncProgress[] = []
    let firstMessagesStored!: () => void
    const firstPageStored = new Promise<void>((resolve) => (firstMessagesStored = resolve))
    const sync = new InboxSync({
      client: world.client,
      store: world.store,
      profileId: world.sim.profileId,
      concurrency: 1,
      onProgress: (p) => {
        progress.push(p)
        if (p.phase !== 'chats') firstMessagesStored()
      }
    })
    const running = sync.sync()
    await firstPageStored
    // The chat the sync would reach last: the least recently active one.
    const last = groundTruth(world, 1).at(-1)!.id
    const pagesBefore = progress.filter((p) => p.phase !== 'chats').length
    expect(await sync.loadOlder(last)).toBeGreaterThan(0)
    const pagesMeanwhile = progress.filter((p) => p.phase !== 'chats').length - pagesBefore
    // At most the page already on the wire when the creator asked.
    expect(pagesMeanwhile).toBeLessThanOrEqual(1)
    expect(world.requests.find((r) => messagePageOf(r) === last)?.priority).toBe('interactive')

    const report = await running
    expect(report.requests).toBe(1 + 29)
    expect(world.requests.filter((r) => messagePageOf(r) === last)).toHaveLength(1)
  })

  it('learns a lower limit than it assumed from the 429s, and every call still succeeds', async () => {
    world = await syncWorld({ scenario: 'empty', rateLimit: { limit: 2, windowMs: 1000 } }, { requestRate: { requests: 10, perMs: 1000 }, maxRetries: 10 })
    const assumedInterval = world.client.budget.pace.intervalMs!
    const { client, sim } = world
    const calls = await Promise.all(Array.from({ length: 12 }, () => client.listChats(sim.profileId, { priority: 'background' })))
    expect(calls).toHaveLength(12)
    expect(world.client.budget.pace.throttled).toBeGreaterThan(0)
    expect(world.client.budget.pace.intervalMs!).toBeGreaterThan(assumedInterval)
    // Far fewer refusals than an unpaced client would earn (it would be refused on every retry wave).
    expect(world.requests.filter((r) => r.status === 429).length).toBeLessThan(12)
  })
})
