// Delivery guarantees end to end: a long absence, a cursor older than the relay keeps, two desktops,
// and events that arrive out of order.
import { join } from 'node:path'
import { afterEach, describe, expect, it } from 'vitest'
import { MemorySecretStore } from '../../../electron/inbox/secrets/index.ts'
import { openStore } from '../../../electron/inbox/store/index.ts'
import { InboxSync } from '../../../electron/inbox/sync/inbox-sync.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import type { FrameOutcome, GapNotice } from '../../../electron/inbox/tunnel/relay-client.ts'
import type { Message } from '../../../shared/postproxy.ts'
import { cacheView, groundTruth, type SyncWorld } from '../sync/sync-fixtures.ts'
import { startIngestGate, type IngestGate } from './ingest-gate.ts'
import { ADMIN_TOKEN, manualClock, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
let gate: IngestGate | undefined
afterEach(async () => {
  await gate?.close()
  await world?.close()
  world = undefined
  gate = undefined
})

const applied = (frames: FrameOutcome[]) => frames.filter((f): f is Extract<FrameOutcome, { result: 'applied' }> => f.result === 'applied')

describe('delivery through the relay', () => {
  it('delivers 500 events sent while the desktop was away for a day: all, in order, once', async () => {
    const relayClock = manualClock()
    world = await tunnelWorld({ relay: { now: relayClock.now } })
    const { sim, store } = world
    const sent: Message[] = []
    for (let i = 0; i < 500; i++) {
      sent.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_away_${i % 25}`, body: `while away #${i}` }))
    }
    await sim.webhooks.idle()
    const head = await world.head()
    // The events waited a day in the relay: their signatures are judged against when the relay got them.
    relayClock.advance(24 * 3600_000)

    const t = await world.startTunnel()
    await t.untilCursor(head, 30_000)
    const frames = applied(t.frames)
    expect(frames).toHaveLength(500)
    expect(t.frames).toHaveLength(500)
    const seqs = frames.map((f) => f.seq)
    expect(seqs.every((seq, i) => i === 0 || seq > seqs[i - 1])).toBe(true)
    expect(new Set(frames.map((f) => f.eventId)).size).toBe(500)
    for (const message of sent) expect(store.messages.getMessage(message.id)?.message.body).toBe(message.body)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })
    expect(t.reconciles).toContain('start')
  }, 60_000)

  it('a cursor older than the relay keeps: gap, then a REST reconcile brings the cache to the ground truth', async () => {
    world = await tunnelWorld({ sim: { scenario: 'demo', seed: 7 }, relay: { retention: { channelMaxEvents: 20 } } })
    const { sim, store, client } = world
    const chats = sim.control.listChats(sim.account, sim.profileId)
    const sent: Message[] = []
    for (let i = 0; i < 60; i++) {
      const participant = i % 3 === 0 ? `igsid_gap_${i}` : chats[i % chats.length].participant_external_id
      sent.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: participant, body: `gap test ${i}` }))
    }
    await sim.webhooks.idle()

    const sync = new InboxSync({ client, store, profileId: sim.profileId, messageDepth: 20 })
    const gaps: GapNotice[] = []
    const t = await world.startTunnel({ reconcile: () => sync.reconcile() })
    t.tunnel.on('gap', (gap) => gaps.push(gap))
    await until(t.tunnel, ['reconcile'], () => t.reconciles.includes('gap'), 30_000, 'a reconcile after the gap')
    await world.settle(t)

    expect(gaps).toHaveLength(1)
    expect(gaps[0]).toMatchObject({ after: 0, reason: 'evicted' })
    expect(gaps[0].oldest).toBeGreaterThan(1)
    // Only the 20 retained events came through the stream; the reconcile filled in the 40 evicted ones.
    expect(applied(t.frames).length).toBeLessThanOrEqual(20)
    for (const message of sent) expect(store.messages.getMessage(message.id), message.body ?? '').not.toBeNull()
    expect(cacheView(store, sim.profileId, 20)).toEqual(groundTruth({ sim } as SyncWorld, 20))
  }, 60_000)

  it('two desktops, one offline: both converge', async () => {
    world = await tunnelWorld()
    const { sim, client } = world
    const online = await world.startTunnel()

    const storeB = openStore(join(world.dir, 'second-desktop.db'))
    const secretsB = new MemorySecretStore()
    const pairingB = new TunnelPairing({ store: storeB, secrets: secretsB, client })
    await pairingB.pair({ relayUrl: world.relayUrl, adminToken: ADMIN_TOKEN })
    const headOf = async (channelId: string) => (await world!.admin('GET', `/v1/channels/${channelId}`)).body.head as number

    const first: Message[] = []
    for (let i = 0; i < 30; i++) first.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_two_${i % 4}`, body: `first wave ${i}` }))
    await world.settle(online)
    // The second desktop was off while these arrived; its relay channel kept them.
    const offline = await world.startTunnel({ store: storeB, secrets: secretsB })
    await offline.untilCursor(await headOf(pairingB.current()!.channelId))

    const second: Message[] = []
    for (let i = 0; i < 10; i++) second.push(sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: `igsid_two_${i % 4}`, body: `second wave ${i}` }))
    await world.settle(online)
    await offline.untilCursor(await headOf(pairingB.current()!.channelId))

    const view = (store: typeof storeB) =>
      store.chats
        .listChats({ profileId: sim.profileId, limit: 50 })
        .chats.map((c) => ({ id: c.chat.id, messages: store.messages.threadPage(c.chat.id, { limit: 100 }).messages.map((m) => `${m.message.id} ${m.message.body}`) }))
    const viewA = view(world.store)
    expect(viewA.flatMap((c) => c.messages)).toHaveLength(40)
    expect(view(storeB)).toEqual(viewA)
    for (const message of [...first, ...second]) expect(storeB.messages.getMessage(message.id)?.message.body).toBe(message.body)
  })

  it('out of order: a reaction before its message, and an unreact before the react it undoes, end in the right state', async () => {
    world = await tunnelWorld()
    const { sim, store, client } = world
    gate = await startIngestGate(world.relayUrl)
    await client.updateWebhook(world.pairing.webhookKeys()[0].webhookId, { url: gate.urlFor(await world.ingestUrl()) })
    const t = await world.startTunnel()

    // 1. The message's own webhook is held back; the reaction to it arrives first.
    gate.holdWhen((d) => d.eventType === 'message.received')
    const message = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_order', body: 'react to me' })
    await gate.untilHolding(1)
    sim.clock.advance(1000)
    sim.control.userReaction(sim.account, message.id, 'react')
    await until(t.tunnel, ['frame'], () => store.messages.getMessage(message.id) !== null, 10_000, 'the reaction to be applied')
    expect(store.messages.getMessage(message.id)!.message.reactions).toMatchObject([{ sender_external_id: 'igsid_order', reaction: 'love' }])
    await gate.release()
    await world.settle(t)
    const types = applied(t.frames).map((f) => f.eventType)
    expect(types).toEqual(['reaction.received', 'message.received'])
    expect(store.messages.getMessage(message.id)!.message).toMatchObject({ body: 'react to me', reactions: (await client.getMessage(message.id)).reactions })
    expect(store.messages.getMessage(message.id)!.message.reactions).toHaveLength(1)

    // 2. A react is held back; the unreact that follows it arrives first.
    const second = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_order', body: 'changed my mind' })
    await world.settle(t)
    sim.clock.advance(1000)
    gate.holdWhen((d) => d.eventType === 'reaction.received' && d.body.data?.action === 'react')
    sim.control.userReaction(sim.account, second.id, 'react')
    await gate.untilHolding(1)
    sim.clock.advance(1000)
    sim.control.userReaction(sim.account, second.id, 'unreact')
    const reactionFrames = () => applied(t.frames).filter((f) => f.eventType === 'reaction.received').length
    await until(t.tunnel, ['frame'], () => reactionFrames() === 2, 10_000, 'the unreact to be applied')
    await gate.release()
    await world.settle(t)
    expect(reactionFrames()).toBe(3)
    expect(store.messages.getMessage(second.id)!.message.reactions).toEqual([])
    expect((await client.getMessage(second.id)).reactions).toEqual([])
  })
})
