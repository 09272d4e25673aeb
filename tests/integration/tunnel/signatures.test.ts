// What makes an event believable: Postproxy's signature over the exact bytes, fresh against the relay's
// received_at, with every secret in force. Crafted requests go straight to the relay's ingest URL, the
// way an attacker (or a broken sender) would send them.
import { createHash } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import type { Message } from '../../../shared/postproxy.ts'
import type { AppliedChanges } from '../../../electron/inbox/tunnel/event-applier.ts'
import { postproxySignatureHeader } from '../../../electron/inbox/postproxy/index.ts'
import { verifyWebhookFrame } from '../../../electron/inbox/tunnel/webhook-frame.ts'
import { DEFAULT_BODY_LIMIT_BYTES } from '../../../relay/options.ts'
import { envelope, manualClock, tunnelWorld, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

/** A message in an existing chat, as Postproxy would put it in a webhook. */
function inboundMessage(chatId: string, id: string, body: string): Message {
  const now = new Date().toISOString()
  return {
    id,
    chat_id: chatId,
    external_id: `mid.${id}`,
    direction: 'inbound',
    body,
    status: 'received',
    external_posted_at: now,
    reactions: [],
    attachments: [],
    created_at: now
  }
}

async function worldWithChat(options: Parameters<typeof tunnelWorld>[0] = {}) {
  world = await tunnelWorld(options)
  const t = await world.startTunnel()
  const first = world.sim.control.injectInbound(world.sim.account, world.sim.profileId, { participant_external_id: 'igsid_sig', body: 'opening line' })
  await world.settle(t)
  return { world, t, chatId: first.chat_id }
}

describe('signature checks on relayed events', () => {
  it('refuses a wrong secret, a changed byte, a missing and a malformed header: nothing applied, counted, cursor advances', async () => {
    const { world, t, chatId } = await worldWithChat()
    const secret = await world.webhookSecret()
    const now = Math.floor(Date.now() / 1000)
    const body = (id: string, text: string) => JSON.stringify(envelope('message.received', { message: inboundMessage(chatId, id, text) }))

    const wrongSecret = body('msg_bad_1', 'SECRET-WRONG')
    const a = await world.postToIngest(wrongSecret, { 'x-postproxy-signature': postproxySignatureHeader('whsec_not_the_right_one', now, wrongSecret) })
    const signedThenChanged = body('msg_bad_2', 'SECRET-CHANGED-a')
    const b = await world.postToIngest(signedThenChanged.replace('CHANGED-a', 'CHANGED-b'), {
      'x-postproxy-signature': postproxySignatureHeader(secret, now, signedThenChanged)
    })
    const c = await world.postToIngest(body('msg_bad_3', 'SECRET-MISSING'), {})
    const d = await world.postToIngest(body('msg_bad_4', 'SECRET-MALFORMED'), { 'x-postproxy-signature': `t=${now},v1=not-hex` })
    const good = await world.signedPost(body('msg_good', 'a genuine one'))
    for (const answer of [a, b, c, d, good]) expect(answer.status).toBe(200)
    await t.untilCursor(good.seq!)

    const bySeq = new Map(t.frames.map((f) => [f.seq, f]))
    expect([a, b, c, d].map((x) => bySeq.get(x.seq!))).toEqual([
      { seq: a.seq, result: 'rejected', reason: 'mismatch' },
      { seq: b.seq, result: 'rejected', reason: 'mismatch' },
      { seq: c.seq, result: 'rejected', reason: 'missing' },
      { seq: d.seq, result: 'rejected', reason: 'malformed' }
    ])
    expect(bySeq.get(good.seq!)).toMatchObject({ result: 'applied' })
    for (const id of ['msg_bad_1', 'msg_bad_2', 'msg_bad_3', 'msg_bad_4']) expect(world.store.messages.getMessage(id)).toBeNull()
    expect(world.store.messages.getMessage('msg_good')!.message.body).toBe('a genuine one')
    expect(world.store.webhookEvents.cursor()).toBe(good.seq)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 4 })
    // Logged, but never with the body.
    expect(t.logs.filter((line) => line.startsWith('refused relay event'))).toHaveLength(4)
    expect(t.logs.join('\n')).not.toContain('SECRET-')
  })

  it('verifies byte-exact bodies: escaped unicode, raw emoji, pretty-printed with CRLF', async () => {
    const { world, t, chatId } = await worldWithChat()
    const escaped = JSON.stringify(envelope('message.received', { message: inboundMessage(chatId, 'msg_escaped', 'PLACEHOLDER') })).replace(
      'PLACEHOLDER',
      'caf\\u00e9 \\ud83c\\udf89 \\"quoted\\" \\/slash'
    )
    const emoji = JSON.stringify(envelope('message.received', { message: inboundMessage(chatId, 'msg_emoji', 'café 🎉 日本語 👩🏽‍💻') }))
    const pretty = JSON.stringify(envelope('message.received', { message: inboundMessage(chatId, 'msg_pretty', 'spaced   out') }), null, 2).replace(/\n/g, '\r\n') + '\r\n'
    let last = 0
    for (const body of [escaped, emoji, pretty]) last = (await world.signedPost(Buffer.from(body, 'utf8'))).seq!
    await t.untilCursor(last)

    expect(t.frames.slice(-3).map((f) => f.result)).toEqual(['applied', 'applied', 'applied'])
    expect(world.store.messages.getMessage('msg_escaped')!.message.body).toBe('café 🎉 "quoted" /slash')
    expect(world.store.messages.getMessage('msg_emoji')!.message.body).toBe('café 🎉 日本語 👩🏽‍💻')
    expect(world.store.messages.getMessage('msg_pretty')!.message.body).toBe('spaced   out')
  })

  it('verifies the largest body the relay takes (1 MiB, with padded headers): its frame fits the size cap of the stream (#12.9)', async () => {
    world = await tunnelWorld()
    const t = await world.startTunnel()
    const shell = JSON.stringify(envelope('post.published', { padding: '' }))
    const body = shell.replace('"padding":""', `"padding":"${'p'.repeat(DEFAULT_BODY_LIMIT_BYTES - shell.length)}"`)
    expect(Buffer.byteLength(body)).toBe(DEFAULT_BODY_LIMIT_BYTES)
    const headers: Record<string, string> = {
      'x-postproxy-event': 'post.published',
      'x-postproxy-signature': postproxySignatureHeader(await world.webhookSecret(), Math.floor(Date.now() / 1000), body)
    }
    for (let i = 0; i < 8; i++) headers[`x-padding-${i}`] = 'h'.repeat(1000)

    const posted = await world.postToIngest(body, headers)
    expect(posted.status).toBe(200)
    await t.untilCursor(posted.seq!)

    expect(t.frames).toEqual([expect.objectContaining({ seq: posted.seq, result: 'ignored', eventType: 'post.published' })])
    expect(t.tunnel.relayClient!.oversizedFrames).toBe(0)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })
  })

  it('refuses an attacker replaying a captured request 10 minutes later: stale against received_at, no second effect', async () => {
    const relayClock = manualClock()
    const { world, t, chatId } = await worldWithChat({ relay: { now: relayClock.now } })
    const changes: AppliedChanges[] = []
    t.tunnel.on('changes', (c) => changes.push(c))
    const original = inboundMessage(chatId, 'msg_replayed', 'captured in transit')
    const captured = {
      body: JSON.stringify(envelope('message.received', { message: original })),
      headers: {} as Record<string, string>
    }
    captured.headers['x-postproxy-signature'] = postproxySignatureHeader(await world.webhookSecret(), Math.floor(relayClock.now() / 1000), captured.body)
    const first = await world.postToIngest(captured.body, captured.headers)
    await t.untilCursor(first.seq!)
    expect(t.frames.at(-1)).toMatchObject({ result: 'applied', eventId: JSON.parse(captured.body).id })

    relayClock.advance(10 * 60_000)
    const replay = await world.postToIngest(captured.body, captured.headers)
    expect(replay.status).toBe(200)
    await t.untilCursor(replay.seq!)
    expect(t.frames.at(-1)).toEqual({ seq: replay.seq, result: 'rejected', reason: 'stale' })
    expect(changes.filter((c) => c.messageIds.includes('msg_replayed'))).toHaveLength(1)
    expect(t.tunnel.status).toMatchObject({ signatureFailures: 1 })
  })

  it('applies a sender retry of the same event id once: one row, one notification', async () => {
    const { world, t, chatId } = await worldWithChat()
    const changes: AppliedChanges[] = []
    t.tunnel.on('changes', (c) => changes.push(c))
    const event = JSON.stringify(envelope('message.received', { message: inboundMessage(chatId, 'msg_retried', 'sent twice') }))
    const first = await world.signedPost(event)
    const retry = await world.signedPost(event)
    expect(retry.seq!).toBeGreaterThan(first.seq!)
    await t.untilCursor(retry.seq!)

    const eventId = JSON.parse(event).id as string
    expect(t.frames.filter((f) => 'eventId' in f && f.eventId === eventId).map((f) => f.result)).toEqual(['applied', 'duplicate'])
    expect(changes.flatMap((c) => c.newInbound).filter((ref) => ref.id === 'msg_retried')).toHaveLength(1)
    const thread = world.store.messages.threadPage(chatId, { limit: 50 }).messages
    expect(thread.filter((m) => m.message.id === 'msg_retried')).toHaveLength(1)
  })

  it('rotates the webhook secret with no rejects during the overlap, then stops accepting the old one', async () => {
    const tunnelClock = manualClock()
    world = await tunnelWorld()
    const { sim, store } = world
    const t = await world.startTunnel({ now: tunnelClock.now, secretGraceMs: 60_000 })
    const before = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_rot', body: 'before' })
    await world.settle(t)
    const oldSecret = await world.webhookSecret()
    const oldWebhookId = world.pairing.webhookKeys()[0].webhookId

    const { webhookId: newWebhookId } = await t.tunnel.rotateWebhookSecret({ overlapMs: 30_000 })
    expect(sim.webhooks.list(sim.account).map((w) => w.id).sort()).toEqual([oldWebhookId, newWebhookId].sort())
    const during = Array.from({ length: 5 }, (_, i) =>
      sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_rot', body: `during ${i}` })
    )
    await world.settle(t)
    // Both webhooks delivered every event, each signed with its own secret: one applied, one duplicate.
    const duringResults = t.frames.slice(1).map((f) => f.result)
    expect(duringResults.filter((r) => r === 'applied')).toHaveLength(5)
    expect(duringResults.filter((r) => r === 'duplicate')).toHaveLength(5)
    expect(t.frames.some((f) => f.result === 'rejected')).toBe(false)

    // The overlap ends: the old webhook is deleted; its secret is still accepted during the grace period.
    tunnelClock.advance(31_000)
    await t.tunnel.retireExpiredSecrets()
    expect(sim.webhooks.list(sim.account).map((w) => w.id)).toEqual([newWebhookId])
    const lateOld = await world.signedPost(JSON.stringify(envelope('message.received', { message: inboundMessage(before.chat_id, 'msg_old_secret_late', 'old but in grace') })), {
      secret: oldSecret
    })
    const after = sim.control.injectInbound(sim.account, sim.profileId, { participant_external_id: 'igsid_rot', body: 'after' })
    await world.settle(t)
    expect(lateOld.seq).not.toBeNull()
    expect(t.frames.some((f) => f.result === 'rejected')).toBe(false)
    expect(store.messages.getMessage('msg_old_secret_late')).not.toBeNull()

    // The grace period ends: the old secret is forgotten and refused.
    tunnelClock.advance(61_000)
    await t.tunnel.retireExpiredSecrets()
    expect(await world.secrets.get(`webhook-secret:${oldWebhookId}`)).toBeNull()
    const forged = await world.signedPost(JSON.stringify(envelope('message.received', { message: inboundMessage(before.chat_id, 'msg_old_secret_gone', 'too late') })), {
      secret: oldSecret
    })
    await t.untilCursor(forged.seq!)
    expect(t.frames.at(-1)).toEqual({ seq: forged.seq, result: 'rejected', reason: 'mismatch' })
    expect(store.messages.getMessage('msg_old_secret_gone')).toBeNull()
    for (const m of [before, ...during, after]) expect(store.messages.getMessage(m.id), m.body ?? '').not.toBeNull()
  })

  it('a frame whose body does not match its checksum is refused; a frame it cannot read is skipped', () => {
    // The relay never sends such frames, so the verifier the relay client runs on every frame is fed them directly.
    const body = Buffer.from('{"id":"evt_x","type":"message.received","created_at":"2026-01-01T00:00:00Z","data":{}}')
    const frame = {
      v: 1,
      seq: 5,
      channel: 'ch',
      received_at: new Date(1_000_000_000_000).toISOString(),
      headers: [['x-postproxy-signature', postproxySignatureHeader('whsec_k', 1_000_000_000, body)]],
      body_b64: body.toString('base64'),
      body_sha256: '0'.repeat(64)
    }
    expect(verifyWebhookFrame({ data: JSON.stringify(frame), lastEventId: '5', secrets: ['whsec_k'] })).toEqual({ kind: 'rejected', seq: 5, reason: 'body_digest' })
    const fixed = { ...frame, body_sha256: createHash('sha256').update(body).digest('hex') }
    expect(verifyWebhookFrame({ data: JSON.stringify(fixed), lastEventId: '5', secrets: ['whsec_k'] })).toMatchObject({ kind: 'verified', seq: 5 })
    expect(verifyWebhookFrame({ data: JSON.stringify(fixed), lastEventId: '6', secrets: ['whsec_k'] })).toMatchObject({ kind: 'unreadable', seq: 6 })
    expect(verifyWebhookFrame({ data: JSON.stringify({ ...fixed, v: 2 }), lastEventId: '5', secrets: ['whsec_k'] })).toMatchObject({ kind: 'unreadable', seq: 5 })
    expect(verifyWebhookFrame({ data: '{not json', lastEventId: '7', secrets: ['whsec_k'] })).toMatchObject({ kind: 'unreadable', seq: 7 })
    const twoSignatures = { ...fixed, headers: [...fixed.headers, ['x-postproxy-signature', 't=1,v1=' + 'a'.repeat(64)]] }
    expect(verifyWebhookFrame({ data: JSON.stringify(twoSignatures), lastEventId: '5', secrets: ['whsec_k'] })).toMatchObject({ kind: 'rejected', reason: 'malformed' })
  })
})
