import { afterEach, describe, expect, it } from 'vitest'
import { InboxSync, type SyncProgress } from '../../../electron/inbox/sync/inbox-sync.ts'
import { cacheView, groundTruth, syncWorld, type SyncWorld } from './sync-fixtures.ts'

let world: SyncWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('initial sync', () => {
  it('converges to the simulator, with progress, and marks only chats awaiting a reply as unread', async () => {
    world = await syncWorld({ scenario: 'demo' })
    const progress: SyncProgress[] = []
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId, messageDepth: 50, onProgress: (p) => progress.push(p) })
    const report = await sync.sync()

    expect(cacheView(world.store, world.sim.profileId, 50)).toEqual(groundTruth(world, 50))
    const truth = groundTruth(world, 1)
    expect(report.requests).toBe(1 + truth.length) // one chat page (≤ 100 chats) + one message page per chat
    expect(progress.at(0)).toEqual({ phase: 'chats', done: truth.length, total: truth.length })
    expect(progress.at(-1)).toEqual({ phase: 'history', done: truth.length, total: truth.length })
    const messageProgress = progress.filter((p) => p.phase !== 'chats')
    expect(messageProgress.map((p) => p.done)).toEqual(messageProgress.map((_, i) => i + 1))
    // The chats awaiting a reply come first: once the history phase starts, it never goes back.
    const phases = messageProgress.map((p) => p.phase)
    expect(phases).toEqual([...phases].sort((a, b) => (a === b ? 0 : a === 'unread' ? -1 : 1)))
    expect(phases).toContain('unread')

    for (const chat of truth) {
      const newest = world.sim.control.listMessages(world.sim.account, chat.id, 1)[0]
      const unread = world.store.chats.unreadCount(chat.id)
      if (newest?.direction === 'inbound' && !newest.external_deleted_at) expect(unread, chat.id).toBeGreaterThan(0)
      else expect(unread, chat.id).toBe(0)
    }
  })

  it('pages through chats and stops at the configured message depth', async () => {
    world = await syncWorld({ scenario: 'scale', chats: 250, messagesPerChat: 30, seed: 3 })
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId, messageDepth: 20 })
    const report = await sync.sync()
    expect(report.requests).toBe(3 + 250)
    expect(cacheView(world.store, world.sim.profileId, 20)).toEqual(groundTruth(world, 20))
    const anyChat = groundTruth(world, 1)[0].id
    expect(world.store.messages.threadPage(anyChat, { limit: 100 }).messages).toHaveLength(20)
  })
})

describe("the first sync's wait before the messages", () => {
  it('lists and stores the chats, then fetches no message until it may (a window painting its first rows)', async () => {
    world = await syncWorld({ scenario: 'demo' })
    const { sim } = world
    let reachedGate!: () => void
    const atGate = new Promise<void>((resolve) => (reachedGate = resolve))
    let openGate!: () => void
    const gate = new Promise<void>((resolve) => (openGate = resolve))
    const sync = new InboxSync({
      client: world.client,
      store: world.store,
      profileId: sim.profileId,
      beforeMessages: () => {
        reachedGate()
        return gate
      }
    })
    const running = sync.sync()
    await atGate

    const truth = groundTruth(world, 1)
    expect(world.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([`GET /api/profiles/${sim.profileId}/chats`])
    expect(world.store.chats.listChats({ profileId: sim.profileId, limit: 100 }).chats).toHaveLength(truth.length)
    expect(world.store.messages.threadPage(truth[0].id, { limit: 10 }).messages).toEqual([])

    openGate()
    expect((await running).requests).toBe(1 + truth.length)
    expect(cacheView(world.store, sim.profileId, 50)).toEqual(groundTruth(world, 50))
  })
})

describe('incremental sync', () => {
  it('costs exactly one request when nothing changed, at 1,000 chats', async () => {
    world = await syncWorld({ scenario: 'scale', chats: 1000, messagesPerChat: 3, seed: 11 })
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId })
    await sync.sync()
    world.requests.length = 0
    const report = await sync.sync()
    expect(report).toEqual({ requests: 1, changedChatIds: [], newInbound: [] })
    expect(world.requests.map((r) => `${r.method} ${r.path.split('?')[0]}`)).toEqual([`GET /api/profiles/${world.sim.profileId}/chats`])
  })

  it('reconciles with one request when nothing changed and no recent chats are asked for (the periodic safety net)', async () => {
    world = await syncWorld({ scenario: 'demo' })
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId })
    await sync.sync()
    world.requests.length = 0
    expect(await sync.reconcile({ recentChats: 0 })).toEqual({ requests: 1, changedChatIds: [], newInbound: [] })
    expect(world.requests).toHaveLength(1)
    // By default (after a gap, a long disconnect) the 20 most recent chats' newest pages are re-read too.
    world.requests.length = 0
    expect((await sync.reconcile()).requests).toBe(1 + 20)
    expect(world.requests).toHaveLength(1 + 20)
  })

  it('picks up new inbound messages and new chats with one message request each', async () => {
    world = await syncWorld({ scenario: 'demo' })
    const { sim } = world
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: sim.profileId })
    await sync.sync()
    const existing = groundTruth(world, 1)[5]
    sim.clock.advance(60_000)
    const reply = sim.control.injectInbound(sim.account, sim.profileId, {
      participant_external_id: sim.control.listChats(sim.account, sim.profileId).find((c) => c.id === existing.id)!.participant_external_id,
      body: 'Is the blue vase still available?'
    })
    const stranger = sim.control.injectInbound(sim.account, sim.profileId, {
      participant_external_id: 'igsid_new_fan',
      participant_username: 'new_fan',
      body: 'Love your work!'
    })
    const unreadBefore = world.store.chats.unreadCount(existing.id)

    const report = await sync.sync()
    expect(report.requests).toBe(3)
    expect(new Set(report.changedChatIds)).toEqual(new Set([existing.id, stranger.chat_id]))
    expect(report.newInbound.map((m) => m.id).sort()).toEqual([reply.id, stranger.id].sort())
    expect(world.store.chats.unreadCount(existing.id)).toBe(unreadBefore + 1)
    expect(world.store.chats.unreadCount(stranger.chat_id)).toBe(1)
    expect(cacheView(world.store, sim.profileId, 50)).toEqual(groundTruth(world, 50))
  })
})

describe('a reconcile during the first sync', () => {
  it("covers what arrived after that sync listed the chats: it syncs again rather than sharing the sync's run", async () => {
    // The tunnel's first connection reconciles while the first sync may still run; a message that arrived
    // after the chats were listed, before the relay's webhook existed, has no event, and no poll follows.
    world = await syncWorld({ scenario: 'demo' })
    const { sim } = world
    let reconciled: Promise<unknown> | null = null
    let stranger: { chat_id: string } | null = null
    const sync = new InboxSync({
      client: world.client,
      store: world.store,
      profileId: sim.profileId,
      onProgress: (progress) => {
        if (progress.phase !== 'chats' || reconciled) return
        sim.clock.advance(60_000)
        stranger = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_late_fan', participant_username: 'late_fan', body: 'Just found you!' })
        reconciled = sync.reconcile({ recentChats: 0 })
      }
    })
    await sync.sync()
    await reconciled
    expect(stranger).not.toBeNull()
    expect(world.store.chats.unreadCount(stranger!.chat_id)).toBe(1)
    expect(cacheView(world.store, sim.profileId, 50)).toEqual(groundTruth(world, 50))
  })
})

describe('older history', () => {
  it('loads older pages lazily until the conversation start, matching the server', async () => {
    world = await syncWorld({ scenario: 'scale', chats: 2, messagesPerChat: 120, seed: 5 })
    const sync = new InboxSync({ client: world.client, store: world.store, profileId: world.sim.profileId, messageDepth: 50 })
    await sync.sync()
    const chatId = groundTruth(world, 1)[0].id
    expect(sync.hasOlderOnServer(chatId)).toBe(true)
    const arrivals = []
    for (let i = 0; i < 5 && sync.hasOlderOnServer(chatId); i++) arrivals.push(await sync.loadOlder(chatId))
    expect(arrivals).toEqual([50, 20])
    expect(sync.hasOlderOnServer(chatId)).toBe(false)
    expect(await sync.loadOlder(chatId)).toBe(0)
    expect(cacheView(world.store, world.sim.profileId, 500).find((c) => c.id === chatId)).toEqual(groundTruth(world, 500).find((c) => c.id === chatId))
  })
})
