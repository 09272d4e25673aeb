// An outside client's check of contract v2 (POSTPROXY.md §9), written the way someone who never saw
// the simulator's code would: plain fetch against the documented paths and fields, its own webhook
// receiver and its own signature check (§6), and the control API as simulator/README.md documents it.
// Nothing of the project is imported except what starts the simulator.
import { createHmac, timingSafeEqual } from 'node:crypto'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSimulator } from '../../../simulator/index.ts'

type Json = any // what came over the wire; every test says what it expects of it

let base = ''
let key = ''
let stop: () => Promise<void> = async () => {}

async function api(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<{ status: number; body: Json }> {
  const init: RequestInit = { method, headers: { Authorization: `Bearer ${key}`, ...headers } }
  if (body instanceof FormData) init.body = body
  else if (body !== undefined) {
    init.body = JSON.stringify(body)
    ;(init.headers as Record<string, string>)['Content-Type'] = 'application/json'
  }
  const response = await fetch(base + path, init)
  const text = await response.text()
  return { status: response.status, body: text ? JSON.parse(text) : null }
}

/** §3: every 422 is {errors: [sentences]}; §9 adds a human `message`. */
function refused(response: { status: number; body: Json }, fragment: string): void {
  expect(response.status).toBe(422)
  expect(Array.isArray(response.body.errors)).toBe(true)
  expect(typeof response.body.message).toBe('string')
  expect(response.body.errors.join(' ')).toContain(fragment)
}

// --- a webhook receiver with its own signature check (§6) -----------------------------------------

interface Delivery {
  headers: Record<string, string | string[] | undefined>
  raw: Buffer
}
const deliveries: Delivery[] = []
const waiting: { count: number; resolve: () => void }[] = []
let receiver: Server
let receiverUrl = ''

function received(count: number): Promise<void> {
  if (deliveries.length >= count) return Promise.resolve()
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`only ${deliveries.length} of ${count} deliveries arrived`)), 10_000)
    waiting.push({ count, resolve: () => (clearTimeout(timer), resolve()) })
  })
}

function verify(secret: string, header: string, raw: Buffer): { ok: boolean; t: number } {
  const parts = Object.fromEntries(header.split(',').map((part) => [part.slice(0, part.indexOf('=')), part.slice(part.indexOf('=') + 1)]))
  if (!/^[0-9a-f]{64}$/.test(parts.v1 ?? '')) return { ok: false, t: 0 }
  const expected = createHmac('sha256', secret).update(`${parts.t}.`).update(raw).digest()
  return { ok: timingSafeEqual(expected, Buffer.from(parts.v1, 'hex')), t: Number(parts.t) }
}

beforeAll(async () => {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = []
    request.on('data', (chunk: Buffer) => chunks.push(chunk))
    request.on('end', () => {
      deliveries.push({ headers: request.headers, raw: Buffer.concat(chunks) })
      response.writeHead(200).end()
      for (const waiter of waiting.splice(0)) {
        if (deliveries.length >= waiter.count) waiter.resolve()
        else waiting.push(waiter)
      }
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/postproxy`
  const sim = await startSimulator({ scenario: 'demo', seed: 21, alive: false, retryDelayScale: 0.0001 })
  base = sim.url
  key = sim.apiKey
  stop = () => sim.close()
})

afterAll(async () => {
  await stop()
  receiver.closeAllConnections()
  await new Promise<void>((resolve) => receiver.close(() => resolve()))
})

// --- the walk ----------------------------------------------------------------------------------------

describe('contract v2, end to end, as an outside client', () => {
  let profileId = ''
  let posts: Json[] = []
  let secret = ''

  it('profiles carry post_count; GET /api/posts?platforms=instagram lists the posts; GET /api/posts/:id gets one', async () => {
    const profiles = await api('GET', '/api/profiles')
    expect(profiles.status).toBe(200)
    const profile = profiles.body.data[0]
    profileId = profile.id
    const list = await api('GET', '/api/posts?platforms=instagram&per_page=100')
    expect(list.status).toBe(200)
    expect(list.body).toMatchObject({ total: expect.any(Number), page: 0, per_page: 100 })
    posts = list.body.data
    expect(posts.length).toBeGreaterThan(0)
    expect(profile.post_count).toBe(list.body.total)
    for (const post of posts) {
      for (const field of ['id', 'body', 'status', 'created_at', 'media', 'platforms']) expect(post).toHaveProperty(field)
      expect(post.media[0]).toMatchObject({ url: expect.any(String), content_type: expect.any(String) })
      expect(post.platforms[0]).toMatchObject({ platform: 'instagram', status: expect.any(String) })
    }
    expect((await api('GET', `/api/posts/${posts[0].id}`)).body.id).toBe(posts[0].id)
  })

  it('subscribes a webhook to comment.created and the DM events; other SDK event types are accepted too', async () => {
    const created = await api('POST', '/api/webhooks', { url: receiverUrl, events: ['comment.created', 'message.received', 'message.sent'] })
    expect(created.status).toBe(201)
    expect(created.body.secret).toMatch(/^whsec_/)
    expect(created.body.updated_at).toEqual(expect.any(String))
    secret = created.body.secret
    const others = await api('POST', '/api/webhooks', {
      url: 'https://example.com/ignored',
      events: ['media.failed', 'profile_comment.created', 'post.published', 'platform_post.failed', 'profile.connected']
    })
    expect(others.status).toBe(201)
    expect((await api('DELETE', `/api/webhooks/${others.body.id}`)).body).toEqual({ deleted: true })
  })

  it('reads a post’s comments (top level, each with replies) and the flat feed across posts', async () => {
    let topLevel = 0
    let replies = 0
    for (const post of posts) {
      const page = await api('GET', `/api/posts/${post.id}/comments?profile_id=${profileId}&per_page=100`)
      expect(page.status).toBe(200)
      for (const comment of page.body.data) {
        topLevel++
        expect(comment.id).toMatch(/^cmt_/)
        for (const field of [
          'external_id', 'body', 'status', 'author_username', 'author_avatar_url', 'author_external_id', 'metadata', 'parent_external_id',
          'like_count', 'is_hidden', 'permalink', 'platform_data', 'attachments', 'posted_at', 'created_at'
        ]) {
          expect(comment).toHaveProperty(field)
        }
        expect(Array.isArray(comment.replies)).toBe(true)
        for (const reply of comment.replies) {
          replies++
          expect(reply.parent_external_id).toBe(comment.external_id)
        }
      }
    }
    const feed = await api('GET', '/api/comments?per_page=100')
    expect(feed.body.total).toBe(topLevel + replies)
    for (const comment of feed.body.data) expect(comment).toMatchObject({ post_id: expect.any(String), profile_id: profileId, platform: 'instagram' })
    const threaded = feed.body.data.filter((c: Json) => c.parent_external_id)
    expect(threaded.length).toBeGreaterThan(0)
    for (const reply of threaded) expect(feed.body.data.some((c: Json) => c.external_id === reply.parent_external_id)).toBe(true)

    const onePost = await api('GET', `/api/comments?post_ids=${posts[0].id}&profiles=${profileId}`)
    expect(onePost.body.data.every((c: Json) => c.post_id === posts[0].id)).toBe(true)
    const newest = Date.parse(feed.body.data[0].created_at)
    const lastDay = await api('GET', `/api/comments?from=${new Date(newest - 86_400_000).toISOString()}&to=${new Date(newest).toISOString()}`)
    expect(lastDay.body.data.length).toBeGreaterThan(0)
    expect(lastDay.body.data.every((c: Json) => Date.parse(c.created_at) >= newest - 86_400_000 && Date.parse(c.created_at) <= newest)).toBe(true)
  })

  it('a new comment arrives as comment.created, signed, with the §9 data', async () => {
    const post = posts[0]
    const before = deliveries.length
    const made = await api('POST', '/_sim/comments', { participant_external_id: 'igsid_outsider', participant_username: 'outsider', text: 'Price?', post_id: post.id })
    expect(made.status).toBe(201)
    await received(before + 1)
    const delivery = deliveries[before]
    expect(delivery.headers['x-postproxy-event']).toBe('comment.created')
    const { ok, t } = verify(secret, String(delivery.headers['x-postproxy-signature']), delivery.raw)
    expect(ok).toBe(true)
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60)
    const event = JSON.parse(delivery.raw.toString('utf8'))
    expect(Object.keys(event.data).sort()).toEqual(
      [
        'id', 'post_id', 'platform_post_id', 'platform', 'external_id', 'parent_external_id', 'body', 'status', 'author_external_id', 'author_name',
        'author_username', 'author_avatar_url', 'like_count', 'reply_count', 'is_hidden', 'permalink', 'platform_data', 'posted_at', 'created_at'
      ].sort()
    )
    expect(event.data).toMatchObject({ post_id: post.id, body: 'Price?', author_username: 'outsider', platform: 'instagram' })
  })

  it('answers a comment in public (parent_id as hashid or Instagram id), hides, likes, deletes its own', async () => {
    const post = posts[0]
    const q = `?profile_id=${profileId}`
    const theirs = (await api('GET', `/api/posts/${post.id}/comments${q}`)).body.data[0]
    const reply = await api('POST', `/api/posts/${post.id}/comments${q}`, { text: 'It is $32!', parent_id: theirs.id })
    expect([201, 202]).toContain(reply.status)
    expect(reply.body.parent_external_id).toBe(theirs.external_id)
    const again = await api('POST', `/api/posts/${post.id}/comments${q}`, { text: 'Restocking Friday', parent_id: theirs.external_id })
    expect(again.body.parent_external_id).toBe(theirs.external_id)

    const path = `/api/posts/${post.id}/comments/${theirs.id}`
    expect((await api('POST', `${path}/hide${q}`)).body).toEqual({ accepted: true })
    expect((await api('GET', `${path}${q}`)).body.is_hidden).toBe(true)
    expect((await api('POST', `${path}/unhide${q}`)).body).toEqual({ accepted: true })
    const likesBefore = (await api('GET', `${path}${q}`)).body.like_count
    const liked = (await api('GET', `${path}${q}`)).body.metadata?.liked_by_business === true
    await api('POST', `${path}/${liked ? 'unlike' : 'like'}${q}`)
    expect((await api('GET', `${path}${q}`)).body.like_count).toBe(likesBefore + (liked ? -1 : 1))

    refused(await api('DELETE', `${path}${q}`), "Only the business's own comments can be deleted")
    expect((await api('DELETE', `/api/posts/${post.id}/comments/${reply.body.id}${q}`)).body).toEqual({ accepted: true })
    expect((await api('GET', `/api/posts/${post.id}/comments/${reply.body.id}${q}`)).status).toBe(404)
  })

  it('sends a private reply: external_comment_id is the comment’s Instagram id; once per comment', async () => {
    const feed = (await api('GET', '/api/comments?per_page=100')).body.data as Json[]
    const fresh = feed.find((c) => c.author_username === 'outsider')!
    const path = `/api/posts/${fresh.post_id}/comments/${fresh.id}/private_reply?profile_id=${profileId}`
    const sent = await api('POST', path, { text: 'Sending you the details!' })
    expect(sent.status).toBe(202)
    expect(sent.body.external_comment_id).toBe(fresh.external_id)
    refused(await api('POST', path, { text: 'twice' }), 'one per comment')
    const old = feed.find((c) => Date.now() - Date.parse(c.posted_at) > 8 * 86_400_000)!
    refused(await api('POST', `/api/posts/${old.post_id}/comments/${old.id}/private_reply?profile_id=${profileId}`, { text: 'late' }), 'within 7 days')
  })

  it('sends quick replies, buttons and a card; names field and index when one is wrong; echoes null when absent', async () => {
    const inbound = await api('POST', '/_sim/inbound', { participant_external_id: 'igsid_walker', participant_username: 'walker', body: 'Do you have workshops?' })
    const chatId = inbound.body.chat.id
    const send = (json: unknown) => api('POST', `/api/chats/${chatId}/messages`, json)

    const plain = await send({ body: 'Yes!', reply_to_external_id: inbound.body.message.external_id })
    expect(plain.status).toBe(202)
    expect(plain.body).toMatchObject({ quick_replies: null, buttons: null, card: null, reply_to_external_id: inbound.body.message.external_id })
    refused(await send({ body: 'x', reply_to_external_id: 'mid.not_in_this_chat' }), 'reply_to_external_id')

    const chips = await send({ body: 'Which day?', quick_replies: [{ title: 'Saturday', payload: 'SAT' }, { content_type: 'text', title: 'Sunday', payload: 'SUN' }] })
    expect(chips.status).toBe(202)
    expect(chips.body.quick_replies).toHaveLength(2)
    refused(await send({ body: 'x', quick_replies: Array.from({ length: 14 }, (_, i) => ({ title: `t${i}`, payload: `p${i}` })) }), 'quick_replies')
    refused(await send({ body: 'x', quick_replies: [{ title: 'x'.repeat(21), payload: 'p' }] }), 'quick_replies[0].title')
    refused(await send({ media: ['https://cdn.example.com/a.jpg'], quick_replies: [{ title: 'a', payload: 'a' }] }), 'quick_replies')

    const card = await send({
      body: 'Booked!',
      buttons: [{ type: 'web_url', title: 'Details', url: 'https://example.com/w' }, { type: 'postback', title: 'Add a friend', payload: 'FRIEND' }],
      card: { subtitle: 'Saturday 2pm', image_url: 'https://example.com/w.jpg', default_action: { type: 'web_url', url: 'https://example.com/w' } }
    })
    expect(card.status).toBe(202)
    expect(card.body.buttons).toHaveLength(2)
    expect(card.body.card.subtitle).toBe('Saturday 2pm')
    refused(await send({ body: 'x', buttons: [{ type: 'postback', title: 'a', payload: 'a' }, { type: 'web_url', title: 'b', url: 'http://example.com' }] }), 'buttons[1].url must be an https:// URL')
    refused(await send({ body: 'y'.repeat(81), buttons: [{ type: 'postback', title: 'a', payload: 'a' }] }), 'body')
    refused(await send({ body: 'x', buttons: [1, 2, 3, 4] }), 'buttons')
    refused(await send({ body: 'x', card: { subtitle: 'alone' } }), 'card')
    refused(await send({ body: 'x', buttons: [{ type: 'postback', title: 'a', payload: 'a' }], card: { subtitle: 's'.repeat(81) } }), 'card.subtitle')

    // A participant taps the card's postback button: an inbound message with tapped_action, the window open.
    await api('POST', '/_sim/clock/advance', { ms: 120_000 })
    const tap = await api('POST', '/_sim/taps', { message_id: card.body.id, button: 1 })
    expect(tap.status).toBe(201)
    expect(tap.body.message).toMatchObject({ direction: 'inbound', body: 'Add a friend', tapped_action: { kind: 'postback', payload: 'FRIEND', title: 'Add a friend' } })
    expect(tap.body.chat.last_inbound_at).toBe(tap.body.message.external_posted_at)
  })

  it('manages ice breakers with GET / PUT / DELETE', async () => {
    const path = `/api/profiles/${profileId}/ice_breakers`
    expect(Array.isArray((await api('GET', path)).body.ice_breakers)).toBe(true)
    const set = await api('PUT', path, { ice_breakers: [{ question: 'Shipping?', payload: 'SHIP' }] })
    expect(set.status).toBe(200)
    expect((await api('GET', path)).body.ice_breakers).toEqual([{ question: 'Shipping?', payload: 'SHIP' }])
    refused(await api('PUT', path, { ice_breakers: [] }), 'ice_breakers')
    refused(await api('PUT', path, { ice_breakers: [{ question: 'q'.repeat(81), payload: 'P' }] }), 'ice_breakers[0].question')
    const tap = await api('POST', '/_sim/taps', { participant_external_id: 'igsid_first_timer', ice_breaker: 0 })
    expect(tap.body.message.tapped_action).toEqual({ kind: 'postback', payload: 'SHIP', title: 'Shipping?' })
    expect((await api('DELETE', path)).status).toBe(200)
    expect((await api('GET', path)).body).toEqual({ ice_breakers: [] })
  })

  it('answers 422 naming the platform, never 404, for what Instagram does not have', async () => {
    const chats = (await api('GET', `/api/profiles/${profileId}/chats`)).body.data as Json[]
    const chat = chats[0]
    const message = (await api('GET', `/api/chats/${chat.id}/messages`)).body.data[0]
    for (const response of [
      await api('POST', `/api/chats/${chat.id}/archive`),
      await api('DELETE', `/api/chats/${chat.id}/archive`),
      await api('PATCH', `/api/messages/${message.id}`, { body: 'edited' }),
      await api('POST', `/api/chats/${chat.id}/messages`, { body: 'hi', reply_markup: { inline_keyboard: [] } })
    ]) {
      refused(response, 'Instagram')
    }
  })

  it('counts two media[][] file parts as "at most one item", and gives every 4xx a message', async () => {
    const chats = (await api('GET', `/api/profiles/${profileId}/chats`)).body.data as Json[]
    const form = new FormData()
    const png = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1])
    form.append('media[][]', new Blob([png], { type: 'image/png' }), 'a.png')
    form.append('media[][]', new Blob([png], { type: 'image/png' }), 'b.png')
    refused(await api('POST', `/api/chats/${chats[0].id}/messages`, form), 'at most one item')
    const missing = await api('GET', '/api/posts/post_missing')
    expect(missing.status).toBe(404)
    expect(missing.body).toMatchObject({ error: 'Not found', message: expect.any(String) })
  })

  it('keeps the signature on the wall clock after the simulated clock moved; the delivery log has created_at', async () => {
    await api('POST', '/_sim/clock/advance', { ms: 2 * 86_400_000 })
    const before = deliveries.length
    await api('POST', '/_sim/inbound', { participant_external_id: 'igsid_late', body: 'Two days later' })
    await received(before + 1)
    const { ok, t } = verify(secret, String(deliveries[before].headers['x-postproxy-signature']), deliveries[before].raw)
    expect(ok).toBe(true)
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(60)
    const event = JSON.parse(deliveries[before].raw.toString('utf8'))
    expect(Date.parse(event.created_at) - t * 1000).toBeGreaterThan(86_400_000)
    const hooks = (await api('GET', '/api/webhooks')).body.data as Json[]
    const log = await api('GET', `/api/webhooks/${hooks[0].id}/deliveries`)
    expect(log.body.data[0]).toMatchObject({ created_at: expect.any(String), attempted_at: expect.any(String) })
  })
})
