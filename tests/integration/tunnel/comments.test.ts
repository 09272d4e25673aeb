// Contract v2 through the tunnel (issue #9): a signed `comment.created` crosses the real relay into a real
// SQLite store — verified, recorded once, acknowledged, the cursor moved — and is handed to the comment hook;
// every other event type of Postproxy's list, and types invented later, are consumed and counted without
// a change. The degraded smee path re-fetches a hinted comment over REST before believing it.
import { afterEach, describe, expect, it } from 'vitest'
import { COMMENT_CREATED_EVENT, NON_INBOX_EVENT_TYPES } from '../../../shared/postproxy.ts'
import type { CommentCreatedData } from '../../../shared/postproxy-comments.ts'
import { createPostproxyClient, postproxySignatureHeader } from '../../../electron/inbox/postproxy/index.ts'
import { SmeeTunnel, hintFrom } from '../../../electron/inbox/tunnel/smee.ts'
import type { FrameOutcome } from '../../../electron/inbox/tunnel/relay-client.ts'
import { commentCreatedFixture, commentFixture } from '../../support/postproxy-fixtures.ts'
import { sendJson, startLoopbackServer, type LoopbackServer } from '../../unit/postproxy/loopback-server.ts'
import { envelope, tunnelWorld, until, type TunnelWorld } from './tunnel-world.ts'

let world: TunnelWorld | undefined
let smee: SmeeTunnel | undefined
let commentApi: LoopbackServer | undefined
afterEach(async () => {
  await smee?.stop()
  await world?.close()
  await commentApi?.close()
  smee = undefined
  world = undefined
  commentApi = undefined
})

type Applied = Extract<FrameOutcome, { result: 'applied' }>

describe('comment.created through the relay', () => {
  it('verifies, records once, acks and hands the comment to the hook, in either envelope shape', async () => {
    world = await tunnelWorld()
    const handed: CommentCreatedData[] = []
    const t = await world.startTunnel({ onComment: (comment) => handed.push(comment) })
    await t.untilStatus('connected')

    const flat = envelope(COMMENT_CREATED_EVENT, commentCreatedFixture())
    const newer = envelope(COMMENT_CREATED_EVENT, { object: commentCreatedFixture({ id: 'cmt_reply1', parent_external_id: '18012345678901234', body: 'Same question!' }) })
    const first = await world.signedPost(JSON.stringify(flat), { eventType: COMMENT_CREATED_EVENT })
    const second = await world.signedPost(JSON.stringify(newer), { eventType: COMMENT_CREATED_EVENT })
    // Postproxy retrying the first delivery: the same envelope id, a new delivery.
    const retry = await world.signedPost(JSON.stringify(flat), { eventType: COMMENT_CREATED_EVENT })
    await t.untilCursor(retry.seq!)

    expect(t.frames.map((f) => f.result)).toEqual(['applied', 'applied', 'duplicate'])
    const [a, b] = t.frames as Applied[]
    expect(a).toMatchObject({ seq: first.seq, eventId: flat.id, eventType: COMMENT_CREATED_EVENT })
    expect(a.changes).toMatchObject({ commentIds: ['cmt_q7w8'], chatIds: [], messageIds: [], newInbound: [], needsReconcile: false })
    expect(b).toMatchObject({ seq: second.seq, changes: { commentIds: ['cmt_reply1'] } })
    expect(handed.map((c) => [c.id, c.post_id, c.author_username, c.parent_external_id])).toEqual([
      ['cmt_q7w8', 'post_k3x9', 'mila.knits', null],
      ['cmt_reply1', 'post_k3x9', 'mila.knits', '18012345678901234']
    ])
    expect(world.store.webhookEvents.isProcessed(String(flat.id))).toBe(true)
    expect(world.store.webhookEvents.isProcessed(String(newer.id))).toBe(true)
    expect(world.store.webhookEvents.cursor()).toBe(retry.seq)
    // Nothing about comments reached the DM tables.
    expect(world.store.chats.listChats().chats).toEqual([])

    await t.tunnel.stop()
    const info = await world.admin('GET', `/v1/channels/${world.pairing.current()!.channelId}`)
    expect(info.body.devices[0].acked_seq).toBe(retry.seq)
  })

  it('never hands over a forged or unreadable comment, and keeps going', async () => {
    world = await tunnelWorld()
    const handed: CommentCreatedData[] = []
    const t = await world.startTunnel({ onComment: (comment) => handed.push(comment) })
    const forgedBody = JSON.stringify(envelope(COMMENT_CREATED_EVENT, commentCreatedFixture({ id: 'cmt_forged', body: 'click my link' })))
    const forged = await world.postToIngest(forgedBody, {
      'x-postproxy-event': COMMENT_CREATED_EVENT,
      'x-postproxy-signature': postproxySignatureHeader('whsec_an_attacker_guess', Math.floor(Date.now() / 1000), forgedBody)
    })
    const unreadable = await world.signedPost(JSON.stringify(envelope(COMMENT_CREATED_EVENT, { id: 'cmt_half', body: 'no post, no dates' })), { eventType: COMMENT_CREATED_EVENT })
    const genuine = await world.signedPost(JSON.stringify(envelope(COMMENT_CREATED_EVENT, commentCreatedFixture())), { eventType: COMMENT_CREATED_EVENT })
    await t.untilCursor(genuine.seq!)

    expect(t.frames.map((f) => [f.seq, f.result])).toEqual([
      [forged.seq, 'rejected'],
      [unreadable.seq, 'ignored'],
      [genuine.seq, 'applied']
    ])
    expect(handed.map((c) => c.id)).toEqual(['cmt_q7w8'])
    expect(t.tunnel.relayClient!.ignoredEvents).toEqual({ [COMMENT_CREATED_EVENT]: 1 })
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 1 })
  })

  it('runs the hook inside the event’s transaction: a hook that throws records nothing, and the redelivery is applied once', async () => {
    world = await tunnelWorld()
    const handed: string[] = []
    let failuresLeft = 1
    const t = await world.startTunnel({
      onComment: (comment) => {
        if (failuresLeft-- > 0) throw new Error('comment store unavailable')
        handed.push(comment.id)
      }
    })
    const event = envelope(COMMENT_CREATED_EVENT, commentCreatedFixture())
    const posted = await world.signedPost(JSON.stringify(event), { eventType: COMMENT_CREATED_EVENT })
    await t.untilCursor(posted.seq!)

    expect(failuresLeft).toBe(-1)
    expect(handed).toEqual(['cmt_q7w8'])
    expect(t.frames.map((f) => f.result)).toEqual(['applied'])
    expect(world.store.webhookEvents.isProcessed(String(event.id))).toBe(true)
  })
})

describe('every other event type', () => {
  it('is consumed without a change: acked, counted by type, cursor moved, nothing handed over, no crash', async () => {
    world = await tunnelWorld()
    const handed: CommentCreatedData[] = []
    const t = await world.startTunnel({ onComment: (comment) => handed.push(comment) })
    const types = [...NON_INBOX_EVENT_TYPES, 'comment.deleted', 'something.invented_later', 'something.invented_later']
    let last = 0
    for (const type of types) {
      // Data that would read as a comment or a message if the type were not what decides.
      const data = { ...commentCreatedFixture(), message: { id: 'msg_x' } }
      last = (await world.signedPost(JSON.stringify(envelope(type, data)), { eventType: type })).seq!
    }
    await t.untilCursor(last)

    expect(t.frames.map((f) => f.result)).toEqual(types.map(() => 'ignored'))
    const expectedCounts: Record<string, number> = Object.fromEntries(NON_INBOX_EVENT_TYPES.map((type) => [type, 1]))
    expect(t.tunnel.relayClient!.ignoredEvents).toEqual({ ...expectedCounts, 'comment.deleted': 1, 'something.invented_later': 2 })
    expect(handed).toEqual([])
    expect(world.store.webhookEvents.cursor()).toBe(last)
    expect(t.tunnel.status).toEqual({ state: 'connected', signatureFailures: 0 })

    await t.tunnel.stop()
    const info = await world.admin('GET', `/v1/channels/${world.pairing.current()!.channelId}`)
    expect(info.body.devices[0].acked_seq).toBe(last)
  })
})

describe('comment.created through smee (degraded)', () => {
  it('re-fetches the hinted comment over REST as a stored profile before handing it over; a forged one only costs a fetch', async () => {
    world = await tunnelWorld({ relay: { smeeStream: true } })
    // Postproxy's comment endpoint (§9), until the simulator serves it: answers only the real comment.
    commentApi = await startLoopbackServer((req, res) =>
      req.path === '/api/posts/post_k3x9/comments/cmt_q7w8' && req.query.get('profile_id') === world!.sim.profileId
        ? sendJson(res, 200, commentFixture({ body: 'Does the sage one come in XS?' }))
        : sendJson(res, 404, { error: 'Not found' })
    )
    const commentsClient = createPostproxyClient({ baseUrl: commentApi.baseUrl, apiKey: world.sim.apiKey, maxRetries: 0 })
    world.store.profiles.upsertProfiles(await world.client.listProfiles())
    const record = world.pairing.current()!
    const token = (await world.secrets.get(`relay-device-token:${record.deviceId}`))!
    const handed: CommentCreatedData[] = []
    const hints: Array<{ kind: string; outcome: string }> = []
    smee = new SmeeTunnel({
      url: `${world.relayUrl}/smee/${token}`,
      store: world.store,
      client: { getMessage: (id) => world!.client.getMessage(id), getChat: (id) => world!.client.getChat(id), getComment: (...args) => commentsClient.getComment(...args) },
      reconcile: async () => {},
      reconcileIntervalMs: 3_600_000,
      delay: { minMs: 20, maxMs: 200 },
      onComment: (comment) => handed.push(comment)
    })
    smee.on('hint', ({ hint, outcome }) => hints.push({ kind: hint.kind, outcome }))
    smee.start()
    const tunnel = smee
    await until(tunnel, ['status'], () => tunnel.status.state === 'connected', 10_000, 'the smee stream to open')

    // Unsigned (smee carries no signature): the body's words are never believed, only its ids.
    const real = envelope(COMMENT_CREATED_EVENT, commentCreatedFixture({ body: 'FORGED WORDS' }))
    await world.postToIngest(JSON.stringify(real), { 'x-postproxy-event': COMMENT_CREATED_EVENT })
    const unknown = envelope(COMMENT_CREATED_EVENT, commentCreatedFixture({ id: 'cmt_made_up' }))
    await world.postToIngest(JSON.stringify(unknown), { 'x-postproxy-event': COMMENT_CREATED_EVENT })
    await until(tunnel, ['hint'], () => hints.length >= 2, 10_000, 'both comment hints')

    expect(hints).toEqual([
      { kind: 'comment', outcome: 'stored' },
      { kind: 'comment', outcome: 'failed' }
    ])
    expect(handed.map((c) => [c.id, c.post_id, c.platform, c.body])).toEqual([['cmt_q7w8', 'post_k3x9', 'instagram', 'Does the sage one come in XS?']])
    expect(commentApi.requests.map((r) => `${r.path}?profile_id=${r.query.get('profile_id')}`)).toEqual([
      `/api/posts/post_k3x9/comments/cmt_q7w8?profile_id=${world.sim.profileId}`,
      `/api/posts/post_k3x9/comments/cmt_made_up?profile_id=${world.sim.profileId}`
    ])
  })

  it('reads a comment hint from its ids only, and refuses implausible ones', () => {
    const body = envelope(COMMENT_CREATED_EVENT, commentCreatedFixture())
    expect(hintFrom(JSON.stringify({ 'x-postproxy-event': COMMENT_CREATED_EVENT, body }))).toEqual({
      kind: 'comment',
      eventType: COMMENT_CREATED_EVENT,
      postId: 'post_k3x9',
      commentId: 'cmt_q7w8',
      platform: 'instagram'
    })
    expect(hintFrom(JSON.stringify({ body: envelope(COMMENT_CREATED_EVENT, commentCreatedFixture({ id: '../../api/profiles' })) }))).toMatchObject({ kind: 'none' })
    expect(hintFrom(JSON.stringify({ body: envelope(COMMENT_CREATED_EVENT, { id: 'cmt_1' }) }))).toMatchObject({ kind: 'none', reason: 'no readable comment' })
    expect(hintFrom(JSON.stringify({ body: envelope('profile_comment.created', commentCreatedFixture()) }))).toMatchObject({ kind: 'none' })
  })
})
