// Every DM endpoint of POSTPROXY.md §5 against a real loopback server: what goes on the wire
// (method, path, query, headers, body) and what comes back typed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { GENERATED_IDEMPOTENCY_KEY as UUID, testClient } from './client-harness.ts'
import {
  API_KEY,
  chatFixture,
  deliveryFixture,
  messageFixture,
  page,
  pendingOutboundFixture,
  profileFixture,
  webhookFixture
} from './fixtures.ts'
import { jsonBody, multipartBody, sendJson, startLoopbackServer, type LoopbackServer } from './loopback-server.ts'

let server: LoopbackServer

beforeEach(async () => {
  server = await startLoopbackServer()
})

afterEach(async () => {
  await server.close()
})

describe('profiles', () => {
  it('lists profiles with the bearer key and no Idempotency-Key on a read, keeping unknown fields', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { data: [profileFixture({ brand_new_field: { x: 1 } })] })
    const { client } = testClient(server)

    const profiles = await client.listProfiles()

    expect(profiles).toHaveLength(1)
    expect(profiles[0].id).toBe('prof_abc123')
    expect(profiles[0].brand_new_field).toEqual({ x: 1 })
    const [request] = server.requests
    expect(request.method).toBe('GET')
    expect(request.path).toBe('/api/profiles')
    expect(request.headers.authorization).toBe(`Bearer ${API_KEY}`)
    expect(request.headers.accept).toBe('application/json')
    expect(request.headers['idempotency-key']).toBeUndefined()
    expect([...request.query.keys()]).toEqual([])
  })

  it('percent-encodes ids in paths', async () => {
    server.handler = (_req, res) => sendJson(res, 200, profileFixture({ id: 'prof/a b?c' }))
    const { client } = testClient(server)

    const profile = await client.getProfile('prof/a b?c')

    expect(profile.id).toBe('prof/a b?c')
    expect(server.requests[0].path).toBe('/api/profiles/prof%2Fa%20b%3Fc')
  })
})

describe('chats', () => {
  it('sends page, per_page, before and after (Dates as ISO 8601) and returns the page envelope', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([chatFixture()], 2, 50, 101))
    const { client } = testClient(server)

    const result = await client.listChats('prof_abc123', {
      page: 2,
      perPage: 50,
      before: new Date('2026-06-01T00:00:00.000Z'),
      after: '2026-05-01T00:00:00.000Z'
    })

    expect(result).toMatchObject({ total: 101, page: 2, per_page: 50 })
    expect(result.data[0].metadata?.follower_count).toBe(482)
    const [request] = server.requests
    expect(request.path).toBe('/api/profiles/prof_abc123/chats')
    expect(Object.fromEntries(request.query)).toEqual({
      page: '2',
      per_page: '50',
      before: '2026-06-01T00:00:00.000Z',
      after: '2026-05-01T00:00:00.000Z'
    })
  })

  it('leaves out parameters that were not given, and page 0 is sent as 0', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([]))
    const { client } = testClient(server)

    await client.listChats('prof_abc123', { page: 0 })

    expect(Object.fromEntries(server.requests[0].query)).toEqual({ page: '0' })
  })

  it('adds profile_group_id to every request when the client is scoped to a group', async () => {
    server.handler = (req, res) =>
      req.path.endsWith('/chats') ? sendJson(res, 200, page([])) : sendJson(res, 200, { data: [] })
    const { client } = testClient(server, { profileGroupId: 'pg 7&x' })

    await client.listProfiles()
    await client.listChats('prof_abc123', { perPage: 10 })

    expect(server.requests[0].query.get('profile_group_id')).toBe('pg 7&x')
    expect(Object.fromEntries(server.requests[1].query)).toEqual({ per_page: '10', profile_group_id: 'pg 7&x' })
  })

  it('find-or-create: 201 means created, 200 means it already existed; the participant goes as JSON', async () => {
    let calls = 0
    server.handler = (_req, res) => sendJson(res, calls++ === 0 ? 201 : 200, chatFixture())
    const { client } = testClient(server)
    const participant = { participant_external_id: 'igsid_8675309', participant_username: 'jane_doe' }

    const first = await client.findOrCreateChat('prof_abc123', participant)
    const second = await client.findOrCreateChat('prof_abc123', participant)

    expect(first.created).toBe(true)
    expect(second.created).toBe(false)
    expect(first.chat.id).toBe('chat_xyz789')
    const [request] = server.requests
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/api/profiles/prof_abc123/chats')
    expect(request.headers['content-type']).toBe('application/json')
    expect(jsonBody(request)).toEqual(participant)
    expect(request.headers['idempotency-key']).toMatch(UUID)
    expect(server.requests[1].headers['idempotency-key']).not.toBe(request.headers['idempotency-key'])
  })

  it('gets a chat by id', async () => {
    server.handler = (_req, res) => sendJson(res, 200, chatFixture())
    const { client } = testClient(server)

    expect((await client.getChat('chat_xyz789')).participant_name).toBe('Jane Doe')
    expect(server.requests[0].path).toBe('/api/chats/chat_xyz789')
  })
})

describe('messages', () => {
  it('lists messages with direction and status filters', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([messageFixture()], 1, 25, 26))
    const { client } = testClient(server)

    const result = await client.listMessages('chat_xyz789', { page: 1, perPage: 25, direction: 'inbound', status: 'received' })

    expect(result.data[0].reactions?.[0].reaction).toBe('love')
    expect(server.requests[0].path).toBe('/api/chats/chat_xyz789/messages')
    expect(Object.fromEntries(server.requests[0].query)).toEqual({
      page: '1',
      per_page: '25',
      direction: 'inbound',
      status: 'received'
    })
  })

  it('gets a message by its external id', async () => {
    server.handler = (_req, res) => sendJson(res, 200, messageFixture())
    const { client } = testClient(server)

    expect((await client.getMessage('mid.abc123')).id).toBe('msg_111')
    expect(server.requests[0].path).toBe('/api/messages/mid.abc123')
  })

  it('sends text as JSON with the caller’s Idempotency-Key and tag, and returns the pending message from a 202', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ tag: 'HUMAN_AGENT' }))
    const { client } = testClient(server)

    const message = await client.sendMessage(
      'chat_xyz789',
      { body: 'Yes, worldwide! 🌍' },
      { tag: 'HUMAN_AGENT', idempotencyKey: 'outbox-42' }
    )

    expect(message.status).toBe('pending')
    expect(message.external_id).toBeNull()
    const [request] = server.requests
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/api/chats/chat_xyz789/messages')
    expect(request.headers['idempotency-key']).toBe('outbox-42')
    expect(jsonBody(request)).toEqual({ body: 'Yes, worldwide! 🌍', tag: 'HUMAN_AGENT' })
  })

  it('sends a media URL and a data URI as a one-item JSON media array', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ body: null }))
    const { client } = testClient(server)
    const dataUri = 'data:image/png;base64,iVBORw0KGgo='

    await client.sendMessage('chat_xyz789', { media: 'https://cdn.example/cat.jpg' })
    await client.sendMessage('chat_xyz789', { media: dataUri })

    expect(jsonBody(server.requests[0])).toEqual({ media: ['https://cdn.example/cat.jpg'] })
    expect(jsonBody(server.requests[1])).toEqual({ media: [dataUri] })
  })

  it('uploads a file as the multipart part media[] with its filename, type and exact bytes', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ body: null }))
    const { client } = testClient(server)
    const bytes = new Uint8Array(70_000)
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 31) % 256
    bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

    await client.sendMessage(
      'chat_xyz789',
      { media: { bytes, filename: 'holiday "best" photo.png', mime: 'image/png' } },
      { tag: 'HUMAN_AGENT' }
    )

    const [request] = server.requests
    expect(request.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/)
    expect(request.headers['idempotency-key']).toMatch(UUID)
    const form = await multipartBody(request)
    const file = form.get('media[]')
    expect(file).toBeInstanceOf(File)
    const uploaded = file as File
    // Quotes travel escaped as %22 (the browsers' form-data rule) and a form-data parser restores them.
    expect(request.body.toString('latin1')).toContain('name="media[]"; filename="holiday %22best%22 photo.png"')
    expect(uploaded.name).toBe('holiday "best" photo.png')
    expect(uploaded.type).toBe('image/png')
    expect(Buffer.from(await uploaded.arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
    expect(form.get('tag')).toBe('HUMAN_AGENT')
    expect([...form.keys()]).toEqual(['media[]', 'tag'])
  })

  it('refuses an Idempotency-Key that is too long or not header-safe, before anything is sent', async () => {
    const { client } = testClient(server)

    await expect(client.react('msg_1', 'love', { idempotencyKey: 'k'.repeat(256) })).rejects.toThrow(RangeError)
    await expect(client.react('msg_1', 'love', { idempotencyKey: 'a\r\nb' })).rejects.toThrow(RangeError)
    await expect(client.react('msg_1', 'love', { idempotencyKey: '' })).rejects.toThrow(RangeError)
    expect(server.requests).toHaveLength(0)
  })

  it('refuses body and media together, or neither, before anything is sent', async () => {
    const { client } = testClient(server)

    await expect(client.sendMessage('chat_xyz789', { body: 'hi', media: 'https://x/y.jpg' } as never)).rejects.toThrow(TypeError)
    await expect(client.sendMessage('chat_xyz789', {} as never)).rejects.toThrow(TypeError)
    expect(server.requests).toHaveLength(0)
  })

  it('reacts with love by default and unreacts with DELETE, both carrying an Idempotency-Key', async () => {
    server.handler = (_req, res) => sendJson(res, 200, messageFixture())
    const { client } = testClient(server)

    await client.react('msg_111')
    await client.unreact('msg_111', { idempotencyKey: 'unreact-1' })

    const [react, unreact] = server.requests
    expect(react.method).toBe('POST')
    expect(react.path).toBe('/api/messages/msg_111/react')
    expect(jsonBody(react)).toEqual({ reaction: 'love' })
    expect(react.headers['idempotency-key']).toMatch(UUID)
    expect(unreact.method).toBe('DELETE')
    expect(unreact.path).toBe('/api/messages/msg_111/unreact')
    expect(unreact.headers['idempotency-key']).toBe('unreact-1')
    expect(unreact.body.length).toBe(0)
  })

  it('sends a private reply to a comment with profile_id in the query and the text in the body', async () => {
    // The message names the comment by its Instagram id (§9), not by the hashid the call used.
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ external_comment_id: '18012345678901234' }))
    const { client } = testClient(server)

    const message = await client.privateReply('post_5', 'cmt_9', 'prof_abc123', 'Thanks for asking! Details inside.')

    expect(message.external_comment_id).toBe('18012345678901234')
    const [request] = server.requests
    expect(request.method).toBe('POST')
    expect(request.path).toBe('/api/posts/post_5/comments/cmt_9/private_reply')
    expect(Object.fromEntries(request.query)).toEqual({ profile_id: 'prof_abc123' })
    expect(jsonBody(request)).toEqual({ text: 'Thanks for asking! Details inside.' })
  })
})

describe('webhooks', () => {
  it('creates, lists, gets, updates and deletes webhooks, and pages deliveries', async () => {
    server.handler = (req, res) => {
      if (req.method === 'POST') return sendJson(res, 201, webhookFixture())
      if (req.method === 'PATCH') return sendJson(res, 200, webhookFixture({ enabled: false }))
      if (req.method === 'DELETE') return sendJson(res, 200, { deleted: true })
      if (req.path === '/api/webhooks') return sendJson(res, 200, { data: [webhookFixture()] })
      if (req.path.endsWith('/deliveries')) return sendJson(res, 200, page([deliveryFixture()], 3, 5, 16))
      return sendJson(res, 200, webhookFixture())
    }
    const { client } = testClient(server)
    const input = { url: 'https://relay.example/h/tok', events: ['*'], description: 'dmdesk relay' }

    const created = await client.createWebhook(input)
    const listed = await client.listWebhooks()
    const fetched = await client.getWebhook('wh_1')
    const updated = await client.updateWebhook('wh_1', { enabled: false })
    const deleted = await client.deleteWebhook('wh_1')
    const deliveries = await client.listWebhookDeliveries('wh_1', { page: 3, perPage: 5 })

    expect(created.secret).toBe('whsec_abc')
    expect(listed.map((w) => w.id)).toEqual(['wh_1'])
    expect(fetched.url).toBe('https://relay.example/h/tok')
    expect(updated.enabled).toBe(false)
    expect(deleted).toEqual({ deleted: true })
    expect(deliveries.data[0]).toMatchObject({ event_type: 'message.received', success: true })
    expect(server.requests.map((r) => `${r.method} ${r.path}`)).toEqual([
      'POST /api/webhooks',
      'GET /api/webhooks',
      'GET /api/webhooks/wh_1',
      'PATCH /api/webhooks/wh_1',
      'DELETE /api/webhooks/wh_1',
      'GET /api/webhooks/wh_1/deliveries'
    ])
    expect(jsonBody(server.requests[0])).toEqual(input)
    expect(jsonBody(server.requests[3])).toEqual({ enabled: false })
    expect(Object.fromEntries(server.requests[5].query)).toEqual({ page: '3', per_page: '5' })
    for (const write of [0, 3, 4]) expect(server.requests[write].headers['idempotency-key']).toMatch(UUID)
  })

  it('accepts a 204 with no body as a successful delete', async () => {
    server.handler = (_req, res) => {
      res.writeHead(204)
      res.end()
    }
    const { client } = testClient(server)

    expect(await client.deleteWebhook('wh_1')).toEqual({ deleted: true })
  })
})

describe('configuration', () => {
  it('works with a base URL that has a path prefix and a trailing slash', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { data: [] })
    const { client } = testClient(server, { baseUrl: `${server.baseUrl}/proxy/` })

    await client.listProfiles()

    expect(server.requests[0].path).toBe('/proxy/api/profiles')
  })

  it('reads the key through getApiKey when given instead of a fixed key', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { data: [] })
    const client = createPostproxyClient({ baseUrl: server.baseUrl, getApiKey: async () => 'from-keychain-123' })

    await client.listProfiles()

    expect(server.requests[0].headers.authorization).toBe('Bearer from-keychain-123')
  })

  it('reports each attempt to onRequest without headers', async () => {
    server.handler = (_req, res) => sendJson(res, 200, chatFixture())
    const { client, records } = testClient(server)

    await client.getChat('chat_xyz789')

    expect(records).toHaveLength(1)
    expect(Object.keys(records[0]).sort()).toEqual(['attempt', 'durationMs', 'method', 'path', 'priority', 'status'])
    expect(records[0]).toMatchObject({ method: 'GET', path: '/api/chats/chat_xyz789', status: 200, attempt: 1, priority: 'interactive' })
    expect(records[0].durationMs).toBeGreaterThanOrEqual(0)
  })
})
