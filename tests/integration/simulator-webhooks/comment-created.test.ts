// comment.created (POSTPROXY.md §9) delivered by a running simulator over real HTTP: signed, its
// data exactly the SDKs' CommentCreatedData fields, only to webhooks subscribed to it (or "*"), for a
// participant's comment and not for the business's own; and the v2 fields on message.* payloads.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { CommentCreatedDataSchema, envelopeComment, PostSchema } from '../../../shared/postproxy-comments.ts'
import { envelopeMessage, NON_INBOX_EVENT_TYPES, WebhookEnvelopeSchema, WebhookSchema } from '../../../shared/postproxy.ts'
import { startSimulator, type RunningSimulator } from '../../../simulator/index.ts'
import { startLoopbackReceiver, type LoopbackReceiver } from './loopback-receiver.ts'
import { signatureVerifies } from './verify-signature.ts'
import { within } from './harness.ts'

const COMMENT_CREATED_FIELDS = [
  'id', 'post_id', 'platform_post_id', 'platform', 'external_id', 'parent_external_id', 'body', 'status', 'author_external_id',
  'author_name', 'author_username', 'author_avatar_url', 'like_count', 'reply_count', 'is_hidden', 'permalink', 'platform_data',
  'posted_at', 'created_at'
]

let sim: RunningSimulator
const receivers: LoopbackReceiver[] = []

async function call(method: string, path: string, json?: unknown) {
  const response = await fetch(`${sim.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${sim.apiKey}`, ...(json === undefined ? {} : { 'content-type': 'application/json' }) },
    body: json === undefined ? undefined : JSON.stringify(json)
  })
  // Wire JSON: the assertions check it.
  return { status: response.status, body: (await response.json()) as any }
}

async function hook(events: string[]) {
  const receiver = await startLoopbackReceiver()
  receivers.push(receiver)
  const created = await call('POST', '/api/webhooks', { url: receiver.url, events })
  expect(created.status).toBe(201)
  return { receiver, webhook: WebhookSchema.parse(created.body) }
}

beforeEach(async () => {
  sim = await startSimulator({ scenario: 'empty', publishDelayMs: 60_000, retryDelayScale: 0.0001 })
})
afterEach(async () => {
  await sim.close()
  for (const receiver of receivers.splice(0)) await receiver.close()
})

describe('comment.created over real HTTP', () => {
  it('delivers a participant’s comment, signed, with exactly the §9 data fields', async () => {
    const { receiver, webhook } = await hook(['comment.created'])
    const post = PostSchema.parse((await call('POST', '/_sim/posts', { caption: 'New mugs' })).body)
    const created = await call('POST', '/_sim/comments', {
      participant_external_id: 'igsid_fan',
      participant_username: 'fan',
      participant_name: 'Fan Person',
      text: 'How much is the blue one?',
      post_id: post.id
    })
    const [request] = await receiver.waitForRequests(1)
    expect(request.headers['x-postproxy-event']).toBe('comment.created')
    expect(signatureVerifies(webhook.secret!, String(request.headers['x-postproxy-signature']), request.rawBody)).toBe(true)

    const envelope = WebhookEnvelopeSchema.parse(JSON.parse(request.rawBody.toString('utf8')))
    expect(envelope).toMatchObject({ object: 'event', type: 'comment.created' })
    expect(Object.keys(envelope.data).sort()).toEqual([...COMMENT_CREATED_FIELDS].sort())
    const data = CommentCreatedDataSchema.parse(envelope.data)
    expect(envelopeComment(envelope)).toEqual(data)
    expect(data).toEqual({
      id: created.body.id,
      post_id: post.id,
      platform_post_id: post.platforms![0].platform_post_id,
      platform: 'instagram',
      external_id: created.body.external_id,
      parent_external_id: null,
      body: 'How much is the blue one?',
      status: 'synced',
      author_external_id: 'igsid_fan',
      author_name: 'Fan Person',
      author_username: 'fan',
      author_avatar_url: null,
      like_count: 0,
      reply_count: 0,
      is_hidden: false,
      permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\/\w+\/c\/\d{17}\/$/),
      platform_data: null,
      posted_at: created.body.created_at,
      created_at: created.body.created_at
    })
    // The event is stamped on the simulated clock, as it happened.
    expect(Date.parse(envelope.created_at) - Date.parse(created.body.created_at)).toBeGreaterThanOrEqual(0)
    expect(Date.parse(envelope.created_at) - Date.parse(created.body.created_at)).toBeLessThan(5000)

    // A reply names its thread.
    await call('POST', '/_sim/comments', { participant_external_id: 'igsid_2', text: 'Same question!', post_id: post.id, parent_id: created.body.id })
    const [, second] = await receiver.waitForRequests(2)
    expect(JSON.parse(second.rawBody.toString('utf8')).data.parent_external_id).toBe(created.body.external_id)
  })

  it('goes only to webhooks subscribed to it or to "*", and not for the business’s own comments', async () => {
    const comments = await hook(['comment.created'])
    const everything = await hook(['*'])
    const messagesOnly = await hook(['message.received'])
    const others = await hook([...NON_INBOX_EVENT_TYPES])

    const post = PostSchema.parse((await call('POST', '/_sim/posts', {})).body)
    const profileId = sim.profileId
    const own = await call('POST', `/api/posts/${post.id}/comments?profile_id=${profileId}`, { text: 'Restock on Friday!' })
    expect(own.status).toBe(201)
    await call('POST', '/_sim/comments', { participant_external_id: 'igsid_fan', text: 'Yay', post_id: post.id })
    await call('POST', '/_sim/inbound', { participant_external_id: 'igsid_fan', body: 'Hi!' })

    await comments.receiver.waitForRequests(1)
    await everything.receiver.waitForRequests(2)
    await messagesOnly.receiver.waitForRequests(1)
    await within(sim.webhooks.idle(), 10_000, 'deliveries')
    const types = (receiver: LoopbackReceiver) => receiver.requests.map((r) => String(r.headers['x-postproxy-event'])).sort()
    expect(types(comments.receiver)).toEqual(['comment.created'])
    expect(types(everything.receiver)).toEqual(['comment.created', 'message.received'])
    expect(types(messagesOnly.receiver)).toEqual(['message.received'])
    expect(others.receiver.requests).toEqual([])
    const commentBodies = everything.receiver.requests.filter((r) => r.headers['x-postproxy-event'] === 'comment.created')
    expect(JSON.parse(commentBodies[0].rawBody.toString('utf8')).data.body).toBe('Yay')
  })
})

describe('the v2 fields on message.* payloads', () => {
  it('message.sent echoes quick_replies; the tap’s message.received carries tapped_action', async () => {
    const { receiver } = await hook(['message.received', 'message.sent'])
    const inbound = await call('POST', '/_sim/inbound', { participant_external_id: 'igsid_fan', body: 'Workshop?' })
    const chatId = inbound.body.chat.id
    const sent = await call('POST', `/api/chats/${chatId}/messages`, {
      body: 'Which day?',
      quick_replies: [{ title: 'Saturday', payload: 'SAT' }],
      reply_to_external_id: inbound.body.message.external_id
    })
    expect(sent.status).toBe(202)
    sim.clock.advance(60_000)
    await receiver.waitForRequests(2)
    await call('POST', '/_sim/taps', { message_id: sent.body.id, quick_reply: 0 })
    const requests = await receiver.waitForRequests(3)
    const byType = (type: string) =>
      requests.filter((r) => r.headers['x-postproxy-event'] === type).map((r) => envelopeMessage(WebhookEnvelopeSchema.parse(JSON.parse(r.rawBody.toString('utf8'))))!)

    const [published] = byType('message.sent')
    expect(published).toMatchObject({
      quick_replies: [{ content_type: 'text', title: 'Saturday', payload: 'SAT' }],
      buttons: null,
      card: null,
      tapped_action: null,
      reply_to_external_id: inbound.body.message.external_id
    })
    const received = byType('message.received')
    expect(received[0]).toMatchObject({ body: 'Workshop?', tapped_action: null, quick_replies: null })
    expect(received[1]).toMatchObject({ body: 'Saturday', tapped_action: { kind: 'quick_reply', payload: 'SAT', title: 'Saturday' } })
  })
})
