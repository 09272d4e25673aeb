// The whole real pipeline: pairing through the relay's admin API and Postproxy's webhook API, then
// simulator -> signed webhook -> relay -> SSE -> verify -> SQLite, for every DM event type.
import { readFileSync, existsSync } from 'node:fs'
import { afterEach, describe, expect, it } from 'vitest'
import { INBOX_EVENT_TYPES } from '../../../shared/postproxy.ts'
import type { AppliedChanges } from '../../../electron/inbox/tunnel/event-applier.ts'
import { TunnelPairing } from '../../../electron/inbox/tunnel/pairing.ts'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import { ADMIN_TOKEN, envelope, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('pairing', () => {
  it('creates a channel, a device and the Postproxy webhook, and keeps secrets only in the keychain', async () => {
    world = await tunnelWorld()
    const { sim, secrets, store, pairing } = world
    const record = pairing.current()!
    expect(record.relayUrl).toBe(world.relayUrl)

    const [webhook] = sim.webhooks.list(sim.account)
    expect(webhook.url.startsWith(`${world.relayUrl}/h/`)).toBe(true)
    expect([...webhook.events].sort()).toEqual([...INBOX_EVENT_TYPES].sort())
    expect(await secrets.names()).toEqual([`relay-device-token:${record.deviceId}`, `webhook-secret:${webhook.id}`].sort())
    expect(await secrets.get(`webhook-secret:${webhook.id}`)).toBe(webhook.secret)

    const info = await world.admin('GET', `/v1/channels/${record.channelId}`)
    expect(info.body.devices.map((d: { device_id: string }) => d.device_id)).toEqual([record.deviceId])

    // Some traffic, so the WAL and the database hold real pages.
    const t = await world.startTunnel()
    sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_keys', body: 'hello' })
    await world.settle(t)
    await t.tunnel.stop()

    const deviceToken = (await secrets.get(`relay-device-token:${record.deviceId}`))!
    const files = [world.storePath, `${world.storePath}-wal`].filter(existsSync).map((file) => readFileSync(file))
    expect(files.length).toBeGreaterThan(0)
    for (const bytes of files) {
      expect(bytes.includes(Buffer.from(deviceToken))).toBe(false)
      expect(bytes.includes(Buffer.from(webhook.secret!))).toBe(false)
    }
    expect(JSON.stringify(store.settings.all())).not.toContain('whsec_')
    for (const line of t.logs) {
      expect(line).not.toContain(deviceToken)
      expect(line).not.toContain(webhook.secret!)
    }
  })

  it('unpairing deletes the webhook, revokes the device and forgets secrets and settings', async () => {
    world = await tunnelWorld()
    const { sim, secrets, store, pairing } = world
    const record = pairing.current()!
    const token = (await secrets.get(`relay-device-token:${record.deviceId}`))!
    const t = await world.startTunnel()
    await t.untilStatus('connected')

    const report = await t.tunnel.unpair({ adminToken: ADMIN_TOKEN })
    expect(report).toMatchObject({ deviceRevoked: true, problems: [] })
    expect(report.webhooksDeleted).toHaveLength(1)
    expect(t.tunnel.status).toEqual({ state: 'not_paired' })
    expect(sim.webhooks.list(sim.account)).toEqual([])
    expect(await secrets.names()).toEqual([])
    expect(pairing.current()).toBeNull()
    expect(store.settings.all()).toEqual({})
    const refused = await fetch(`${world.relayUrl}/v1/channels/${record.channelId}/events`, { headers: { authorization: `Bearer ${token}` } })
    expect(refused.status).toBe(401)
    await refused.body?.cancel()
  })

  it('refuses a wrong admin token with a sentence the creator can act on, and leaves nothing behind', async () => {
    world = await tunnelWorld({ pair: false })
    await expect(world.pairing.pair({ relayUrl: world.relayUrl, adminToken: 'not-the-admin-token-at-all' })).rejects.toMatchObject({
      userMessage: 'The relay refused the admin token. Check the token and try again.'
    })
    await expect(world.pairing.pair({ relayUrl: 'http://127.0.0.1:1', adminToken: 'x'.repeat(20) })).rejects.toThrow(/dmdesk couldn't reach the relay at http:\/\/127\.0\.0\.1:1/)
    expect(world.sim.webhooks.list(world.sim.account)).toEqual([])
    expect(await world.secrets.names()).toEqual([])
    expect(world.pairing.current()).toBeNull()
  })

  it('rolls back the relay channel when Postproxy refuses the webhook', async () => {
    world = await tunnelWorld({ pair: false })
    const calls: string[] = []
    const recordingFetch: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      calls.push(`${init?.method ?? 'GET'} ${new URL(String(input)).pathname} ${response.status}`)
      return response
    }
    const pairing = new TunnelPairing({ store: world.store, secrets: world.secrets, client: world.client, fetch: recordingFetch })
    world.sim.faults.add({ kind: 'server_error', count: 20, status: 500 })
    await expect(pairing.pair({ relayUrl: world.relayUrl, adminToken: ADMIN_TOKEN })).rejects.toThrow()
    world.sim.faults.clear()
    const created = calls.find((call) => call.startsWith('POST /v1/channels '))
    expect(created).toMatch(/ 201$/)
    const deleted = calls.find((call) => /^DELETE \/v1\/channels\/[^/]+ 204$/.test(call))
    expect(deleted).toBeDefined()
    const channelPath = deleted!.split(' ')[1]
    expect((await world.admin('GET', channelPath)).status).toBe(404)
    expect(await world.secrets.names()).toEqual([])
    expect(pairing.current()).toBeNull()
  })
})

describe('events applied through the tunnel', () => {
  it('stores an inbound DM with its chat, notifies once, and acks the relay', async () => {
    world = await tunnelWorld()
    const { sim, store } = world
    const t = await world.startTunnel()
    const changes: AppliedChanges[] = []
    t.tunnel.on('changes', (c) => changes.push(c))
    await t.untilStatus('connected')

    const message = sim.control.injectInbound(sim.account, sim.profileId, {
      participant_external_id: 'igsid_ana',
      participant_username: 'ana.makes',
      body: 'Hi! Do you ship to Lisbon? 🇵🇹'
    })
    const head = await world.settle(t)

    const stored = store.messages.getMessage(message.id)!
    expect(stored.message).toMatchObject({ id: message.id, body: 'Hi! Do you ship to Lisbon? 🇵🇹', direction: 'inbound', status: 'received' })
    // The chat was not cached: it was fetched over REST before the event's transaction.
    expect(store.chats.getChat(message.chat_id)?.chat.participant_username).toBe('ana.makes')
    expect(changes.flatMap((c) => c.newInbound.map((ref) => ref.id))).toEqual([message.id])
    expect(t.frames.map((f) => f.result)).toEqual(['applied'])
    expect(store.webhookEvents.cursor()).toBe(head)

    // Acks are batched; stopping flushes them.
    await t.tunnel.stop()
    const info = await world.admin('GET', `/v1/channels/${world.pairing.current()!.channelId}`)
    expect(info.body.devices[0].acked_seq).toBe(head)
  })

  it('follows a message through every message.* event, reactions and referrals; other events are ignored', async () => {
    world = await tunnelWorld({ sim: { publishDelayMs: 1000 } })
    const { sim, store, client } = world
    const t = await world.startTunnel()
    const inbound = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_bo', body: 'first' })
    await world.settle(t)

    // message.sent: pending -> published
    const sent = await client.sendMessage(inbound.chat_id, { body: 'Thanks for writing!' })
    sim.clock.advance(1000)
    await world.settle(t)
    expect(store.messages.getMessage(sent.id)!.message).toMatchObject({ status: 'published', body: 'Thanks for writing!' })
    expect(store.messages.getMessage(sent.id)!.message.external_id).toMatch(/^mid\./)

    // message.delivered / message.read
    sim.control.markDelivered(sim.account, sent.id)
    await world.settle(t)
    expect(store.messages.getMessage(sent.id)!.message.external_delivered_at).toBeTruthy()
    expect(store.messages.getMessage(sent.id)!.message.external_read_at ?? null).toBeNull()
    sim.control.markRead(sim.account, sent.id)
    await world.settle(t)
    expect(store.messages.getMessage(sent.id)!.message.external_read_at).toBeTruthy()

    // message.edited / message.deleted on the participant's message
    sim.clock.advance(1000)
    sim.control.edit(sim.account, inbound.id, 'first (edited)')
    await world.settle(t)
    expect(store.messages.getMessage(inbound.id)!.message).toMatchObject({ body: 'first (edited)' })
    sim.control.unsend(sim.account, inbound.id)
    await world.settle(t)
    expect(store.messages.getMessage(inbound.id)!.message.external_deleted_at).toBeTruthy()

    // reaction.received, react then unreact
    sim.clock.advance(1000)
    sim.control.userReaction(sim.account, sent.id, 'react')
    await world.settle(t)
    expect(store.messages.getMessage(sent.id)!.message.reactions).toMatchObject([{ sender_external_id: 'igsid_bo', reaction: 'love' }])
    sim.clock.advance(1000)
    sim.control.userReaction(sim.account, sent.id, 'unreact')
    await world.settle(t)
    expect(store.messages.getMessage(sent.id)!.message.reactions).toEqual([])

    // message.failed (a permanent refusal) and message.failed_waiting_for_retry -> published
    sim.faults.add({ kind: 'send_permanent', count: 1, error_message: '(#551) This person isn\'t available right now.' })
    const refused = await client.sendMessage(inbound.chat_id, { body: 'will fail' })
    sim.clock.advance(1000)
    await world.settle(t)
    expect(store.messages.getMessage(refused.id)!.message).toMatchObject({ status: 'failed', error_message: "(#551) This person isn't available right now." })
    sim.faults.add({ kind: 'send_transient', count: 1 })
    const retried = await client.sendMessage(inbound.chat_id, { body: 'second try works' })
    sim.clock.advance(1000)
    await world.settle(t)
    sim.clock.advance(1000)
    await world.settle(t)
    expect(store.messages.getMessage(retried.id)!.message.status).toBe('published')
    const retriedTypes = t.frames.filter((f) => f.result === 'applied').map((f) => (f as { eventType: string }).eventType)
    expect(retriedTypes).toContain('message.failed_waiting_for_retry')
    expect(retriedTypes).toContain('message.failed')

    // referral.received
    sim.control.referral(sim.account, sim.profileId, { participant_external_id: 'igsid_bo', ref: 'spring-drop', source: 'ADS' })
    await world.settle(t)
    expect(store.chats.getChat(inbound.chat_id)!.chat.metadata?.referral).toMatchObject({ ref: 'spring-drop', source: 'ADS' })

    // Non-DM and unknown events (signed, so only their type decides): consumed, nothing stored.
    const before = store.messages.threadPage(inbound.chat_id, { limit: 100 }).messages.length
    let last = 0
    for (const type of ['post.published', 'profile_comment.created', 'profile.updated', 'platform_post.failed', 'something.invented_later']) {
      const answer = await world.signedPost(JSON.stringify(envelope(type, { message: { ...inbound, id: `msg_${type}` } })), { eventType: type })
      last = answer.seq!
    }
    await t.untilCursor(last)
    expect(t.frames.slice(-5).map((f) => f.result)).toEqual(['ignored', 'ignored', 'ignored', 'ignored', 'ignored'])
    expect(t.frames.every((f) => f.result !== 'rejected' && f.result !== 'unreadable' && f.result !== 'skipped')).toBe(true)

    // Genuinely signed but not a readable event, or a DM event without its message: skipped, stream goes on.
    const oddBodies = [
      'not json at all',
      JSON.stringify({ hello: 'world' }),
      JSON.stringify(envelope('message.received', { message: { id: 'msg_half', chat_id: inbound.chat_id } })),
      JSON.stringify(envelope('reaction.received', { action: 'sideways' }))
    ]
    for (const body of oddBodies) last = (await world.signedPost(body)).seq!
    await t.untilCursor(last)
    expect(t.frames.slice(-4).map((f) => f.result)).toEqual(['unreadable', 'unreadable', 'ignored', 'ignored'])
    expect(store.webhookEvents.cursor()).toBe(last)
    expect(store.messages.threadPage(inbound.chat_id, { limit: 100 }).messages.length).toBe(before)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })
  })

  it('stores what it can when an event is incomplete, and asks for a reconcile to fill the rest', async () => {
    world = await tunnelWorld()
    const { sim, store } = world
    const t = await world.startTunnel()
    const inbound = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_part', body: 'known message' })
    await world.settle(t)
    const now = new Date().toISOString()

    // A message in a chat Postproxy cannot return (the fetch fails): stored anyway.
    const orphan = { ...inbound, id: 'msg_orphan', external_id: 'mid.orphan', chat_id: 'chat_unknown_to_the_api', body: 'orphan' }
    // Reactions that carry only the message id: applied to the stored message...
    const reactOnly = envelope('reaction.received', { message: { id: inbound.id }, sender_external_id: 'igsid_part', action: 'react', reaction: 'love', emoji: '❤️', occurred_at: now })
    // ...and one about a message this cache never saw.
    const unknownTarget = envelope('reaction.received', { message: { id: 'msg_never_seen' }, sender_external_id: 'igsid_part', action: 'react', reaction: 'love', emoji: '❤️', occurred_at: now })
    let last = 0
    for (const body of [envelope('message.received', { message: orphan }), reactOnly, unknownTarget]) last = (await world.signedPost(JSON.stringify(body))).seq!
    await t.untilCursor(last)

    const [orphanFrame, reactFrame, unknownFrame] = t.frames.slice(-3) as Array<Extract<FrameOutcome, { result: 'applied' }>>
    expect([orphanFrame.result, reactFrame.result, unknownFrame.result]).toEqual(['applied', 'applied', 'applied'])
    expect(store.messages.getMessage('msg_orphan')!.message.body).toBe('orphan')
    expect(orphanFrame.changes.needsReconcile).toBe(true)
    expect(store.messages.getMessage(inbound.id)!.message.reactions).toMatchObject([{ sender_external_id: 'igsid_part', reaction: 'love', emoji: '❤️' }])
    expect(reactFrame.changes).toMatchObject({ messageIds: [inbound.id], needsReconcile: false })
    expect(unknownFrame.changes).toMatchObject({ messageIds: [], needsReconcile: true })
    await until(t.tunnel, ['reconcile'], () => t.reconciles.includes('incomplete event'), 5000, 'a reconcile for the incomplete events')
  })
})
