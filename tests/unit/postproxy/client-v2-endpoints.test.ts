// Every contract-v2 call of POSTPROXY.md §9 against a real loopback server that answers as §9 says:
// what goes on the wire (method, path, query, headers, body), what comes back typed, what is refused as
// malformed, how errors read, and that a retried write keeps its Idempotency-Key.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { checkIceBreakers, checkInteractiveSend } from '../../../shared/interactive-rules.ts'
import { GENERATED_IDEMPOTENCY_KEY as UUID, postproxyFailureOf, rejectionOf, testClient } from './client-harness.ts'
import { chatFixture, commentFixture, messageFixture, page, pendingOutboundFixture, postFixture } from './fixtures.ts'
import { jsonBody, multipartBody, sendJson, startLoopbackServer, type LoopbackServer, type ReceivedRequest } from './loopback-server.ts'

let server: LoopbackServer

beforeEach(async () => {
  server = await startLoopbackServer()
})

afterEach(async () => {
  await server.close()
})

const wire = (request: ReceivedRequest) => `${request.method} ${request.path}`
const query = (request: ReceivedRequest) => Object.fromEntries(request.query)

function bulkCommentFixture(overrides: Record<string, unknown> = {}) {
  return commentFixture({ post_id: 'post_k3x9', profile_id: 'prof_abc123', platform: 'instagram', ...overrides })
}

/** A §9 validation answer: the sentences in `errors`, and a human `message` for SDKs that read only that. */
function unprocessable(sentences: string[]) {
  return { errors: sentences, message: sentences.join(' ') }
}

describe('posts', () => {
  it('lists the group’s posts filtered by platform (comma-separated), paged, without an Idempotency-Key', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([postFixture({ shiny_new_field: 1 })], 1, 10, 11))
    const { client } = testClient(server)

    const posts = await client.listPosts({ platforms: ['instagram', 'facebook'], page: 1, perPage: 10 })

    expect(posts).toMatchObject({ total: 11, page: 1, per_page: 10 })
    expect(posts.data[0]).toMatchObject({ id: 'post_k3x9', shiny_new_field: 1 })
    expect(posts.data[0].platforms?.[0].platform).toBe('instagram')
    const [request] = server.requests
    expect(wire(request)).toBe('GET /api/posts')
    expect(query(request)).toEqual({ platforms: 'instagram,facebook', page: '1', per_page: '10' })
    expect(request.headers['idempotency-key']).toBeUndefined()
  })

  it('leaves out filters that were not given, and gets one post by id', async () => {
    server.handler = (req, res) => (req.path === '/api/posts' ? sendJson(res, 200, page([])) : sendJson(res, 200, postFixture({ id: 'post/9' })))
    const { client } = testClient(server)

    await client.listPosts()
    const post = await client.getPost('post/9')

    expect(query(server.requests[0])).toEqual({})
    expect(post.id).toBe('post/9')
    expect(server.requests[1].path).toBe('/api/posts/post%2F9')
  })

  it('refuses a post list whose entries are not posts, as malformed', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([{ id: 'post_1' }]))
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.listPosts())

    expect(error.kind).toBe('malformed_response')
    expect(error.message).toContain('data.0.created_at')
  })
})

describe('reading comments', () => {
  it('lists a post’s top-level comments with their replies, for a profile, paged and windowed', async () => {
    const reply = commentFixture({ id: 'cmt_r1', parent_external_id: '18012345678901234', body: 'Yes! XS to XL.' })
    server.handler = (_req, res) => sendJson(res, 200, page([commentFixture({ replies: [reply] })], 2, 5, 11))
    const { client } = testClient(server)

    const comments = await client.listPostComments('post_k3x9', 'prof_abc123', {
      page: 2,
      perPage: 5,
      from: new Date('2026-05-01T00:00:00.000Z'),
      to: '2026-06-01T00:00:00.000Z'
    })

    expect(comments).toMatchObject({ total: 11, page: 2, per_page: 5 })
    expect(comments.data[0].replies?.map((r) => r.body)).toEqual(['Yes! XS to XL.'])
    const [request] = server.requests
    expect(wire(request)).toBe('GET /api/posts/post_k3x9/comments')
    expect(query(request)).toEqual({
      profile_id: 'prof_abc123',
      page: '2',
      per_page: '5',
      from: '2026-05-01T00:00:00.000Z',
      to: '2026-06-01T00:00:00.000Z'
    })
  })

  it('reads the flat feed across posts, with profiles and post ids comma-separated', async () => {
    const reply = bulkCommentFixture({ id: 'cmt_r1', parent_external_id: '18012345678901234' })
    server.handler = (_req, res) => sendJson(res, 200, page([bulkCommentFixture(), reply], 0, 50, 2))
    const { client } = testClient(server)

    const feed = await client.listComments({
      profiles: ['prof_abc123', 'prof_fb_2'],
      postIds: ['post_k3x9', 'post_z'],
      from: new Date('2026-05-30T00:00:00.000Z'),
      perPage: 50
    })

    expect(feed.data.map((c) => [c.id, c.post_id, c.profile_id, c.platform, c.parent_external_id])).toEqual([
      ['cmt_q7w8', 'post_k3x9', 'prof_abc123', 'instagram', null],
      ['cmt_r1', 'post_k3x9', 'prof_abc123', 'instagram', '18012345678901234']
    ])
    const [request] = server.requests
    expect(wire(request)).toBe('GET /api/comments')
    expect(query(request)).toEqual({
      profiles: 'prof_abc123,prof_fb_2',
      post_ids: 'post_k3x9,post_z',
      from: '2026-05-30T00:00:00.000Z',
      per_page: '50'
    })
  })

  it('refuses a flat feed entry that does not say which post and profile it belongs to', async () => {
    server.handler = (_req, res) => sendJson(res, 200, page([commentFixture()]))
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.listComments())

    expect(error.kind).toBe('malformed_response')
    expect(error.message).toMatch(/data\.0\.(post_id|profile_id|platform)/)
    expect(query(server.requests[0])).toEqual({})
  })

  it('gets one comment of a post for a profile, and a 404 names the comment', async () => {
    let calls = 0
    server.handler = (_req, res) => (calls++ === 0 ? sendJson(res, 200, commentFixture()) : sendJson(res, 404, { error: 'Not found' }))
    const { client } = testClient(server)

    const comment = await client.getComment('post_k3x9', 'cmt_q7w8', 'prof_abc123')
    const missing = await postproxyFailureOf(client.getComment('post_k3x9', 'cmt_gone', 'prof_abc123'))

    expect(comment).toMatchObject({ id: 'cmt_q7w8', external_id: '18012345678901234', like_count: 2 })
    expect(wire(server.requests[0])).toBe('GET /api/posts/post_k3x9/comments/cmt_q7w8')
    expect(query(server.requests[0])).toEqual({ profile_id: 'prof_abc123' })
    expect(missing).toMatchObject({ kind: 'not_found', status: 404 })
    expect(missing.userMessage).toContain("couldn't find this comment")
  })
})

describe('writing comments', () => {
  it('creates a public reply with the caller’s Idempotency-Key, the profile in the query and the text in the body', async () => {
    server.handler = (_req, res) => sendJson(res, 202, commentFixture({ id: 'cmt_new', status: 'pending', external_id: null, body: 'XS is back Friday!' }))
    const { client } = testClient(server)

    const created = await client.createComment('post_k3x9', 'prof_abc123', 'XS is back Friday!', { parentId: 'cmt_q7w8', idempotencyKey: 'reply-cmt_q7w8' })
    await client.createComment('post_k3x9', 'prof_abc123', 'Thanks all!')

    expect(created).toMatchObject({ id: 'cmt_new', status: 'pending', external_id: null })
    const [reply, topLevel] = server.requests
    expect(wire(reply)).toBe('POST /api/posts/post_k3x9/comments')
    expect(query(reply)).toEqual({ profile_id: 'prof_abc123' })
    expect(reply.headers['content-type']).toBe('application/json')
    expect(reply.headers['idempotency-key']).toBe('reply-cmt_q7w8')
    expect(jsonBody(reply)).toEqual({ text: 'XS is back Friday!', parent_id: 'cmt_q7w8' })
    expect(jsonBody(topLevel)).toEqual({ text: 'Thanks all!' })
    expect(topLevel.headers['idempotency-key']).toMatch(UUID)
  })

  const actions = [
    { name: 'deleteComment', method: 'DELETE', suffix: '' },
    { name: 'hideComment', method: 'POST', suffix: '/hide' },
    { name: 'unhideComment', method: 'POST', suffix: '/unhide' },
    { name: 'likeComment', method: 'POST', suffix: '/like' },
    { name: 'unlikeComment', method: 'POST', suffix: '/unlike' }
  ] as const

  it.each(actions)('$name: $method …/comments/:id$suffix?profile_id=, no body, an Idempotency-Key; {"accepted": true} is accepted', async ({ name, method, suffix }) => {
    server.handler = (_req, res) => sendJson(res, 200, { accepted: true })
    const { client } = testClient(server)

    const result = await client[name]('post_k3x9', 'cmt_q7w8', 'prof_abc123', { idempotencyKey: `${name}-1` })

    expect(result).toEqual({ accepted: true, comment: null })
    const [request] = server.requests
    expect(request.method).toBe(method)
    expect(request.path).toBe(`/api/posts/post_k3x9/comments/cmt_q7w8${suffix}`)
    expect(query(request)).toEqual({ profile_id: 'prof_abc123' })
    expect(request.body.length).toBe(0)
    expect(request.headers['idempotency-key']).toBe(`${name}-1`)
  })

  it('also reads an answer that is the comment itself, or a 204, and keeps the comment', async () => {
    const answers = [
      (res: Parameters<typeof sendJson>[0]) => sendJson(res, 200, commentFixture({ is_hidden: true })),
      (res: Parameters<typeof sendJson>[0]) => {
        res.writeHead(204)
        res.end()
      },
      (res: Parameters<typeof sendJson>[0]) => sendJson(res, 202, { accepted: false })
    ]
    let call = 0
    server.handler = (_req, res) => answers[call++](res)
    const { client } = testClient(server)

    const hidden = await client.hideComment('post_k3x9', 'cmt_q7w8', 'prof_abc123')
    const liked = await client.likeComment('post_k3x9', 'cmt_q7w8', 'prof_abc123')
    const refused = await client.unlikeComment('post_k3x9', 'cmt_q7w8', 'prof_abc123')

    expect(hidden.accepted).toBe(true)
    expect(hidden.comment).toMatchObject({ id: 'cmt_q7w8', is_hidden: true })
    expect(liked).toEqual({ accepted: true, comment: null })
    expect(refused).toEqual({ accepted: false, comment: null })
  })

  it('refuses any other answer to a comment action as malformed', async () => {
    server.handler = (_req, res) => sendJson(res, 200, { ok: 1 })
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.deleteComment('post_k3x9', 'cmt_q7w8', 'prof_abc123'))

    expect(error.kind).toBe('malformed_response')
    expect(error.message).toContain('expected {"accepted": true} or the comment')
  })

  it('surfaces a refused delete (not the business’s comment) with Postproxy’s sentence', async () => {
    server.handler = (_req, res) => sendJson(res, 422, unprocessable(['Only comments posted by this profile can be deleted.']))
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.deleteComment('post_k3x9', 'cmt_q7w8', 'prof_abc123'))

    expect(error).toMatchObject({ kind: 'validation', status: 422, retryable: false })
    expect(error.userMessage).toBe('Instagram says: Only comments posted by this profile can be deleted.')
    expect(server.requests).toHaveLength(1)
  })

  it('private reply (§9): by the comment hashid in the path, profile in the query, text in the body; the Message names the Instagram id', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ external_comment_id: '18012345678901234', body: 'Sent you the size chart!' }))
    const { client } = testClient(server)

    const message = await client.privateReply('post_k3x9', 'cmt_q7w8', 'prof_abc123', 'Sent you the size chart!', { idempotencyKey: 'pr-cmt_q7w8' })

    expect(message).toMatchObject({ status: 'pending', external_comment_id: '18012345678901234' })
    const [request] = server.requests
    expect(wire(request)).toBe('POST /api/posts/post_k3x9/comments/cmt_q7w8/private_reply')
    expect(query(request)).toEqual({ profile_id: 'prof_abc123' })
    expect(jsonBody(request)).toEqual({ text: 'Sent you the size chart!' })
    expect(request.headers['idempotency-key']).toBe('pr-cmt_q7w8')
  })

  it('private reply a second time: the 422 reaches the caller in Postproxy’s words', async () => {
    server.handler = (_req, res) => sendJson(res, 422, unprocessable(['This comment already has a private reply.']))
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.privateReply('post_k3x9', 'cmt_q7w8', 'prof_abc123', 'again'))

    expect(error.userMessage).toBe('Instagram says: This comment already has a private reply.')
  })
})

describe('ice breakers', () => {
  const breakers = [
    { question: 'Do you ship worldwide?', payload: 'FAQ_SHIPPING' },
    { question: 'What sizes do you carry?', payload: 'FAQ_SIZES' }
  ]

  it('gets them, replaces them with PUT {ice_breakers} (with an Idempotency-Key), and returns what Postproxy kept', async () => {
    server.handler = (req, res) => sendJson(res, 200, { ice_breakers: req.method === 'PUT' ? (jsonBody(req) as { ice_breakers: unknown }).ice_breakers : [] })
    const { client } = testClient(server)

    const before = await client.getIceBreakers('prof_abc123')
    const kept = await client.setIceBreakers('prof_abc123', breakers, { idempotencyKey: 'ib-1' })

    expect(before).toEqual([])
    expect(kept).toEqual(breakers)
    const [get, put] = server.requests
    expect(wire(get)).toBe('GET /api/profiles/prof_abc123/ice_breakers')
    expect(get.headers['idempotency-key']).toBeUndefined()
    expect(wire(put)).toBe('PUT /api/profiles/prof_abc123/ice_breakers')
    expect(put.headers['content-type']).toBe('application/json')
    expect(put.headers['idempotency-key']).toBe('ib-1')
    expect(jsonBody(put)).toEqual({ ice_breakers: breakers })
  })

  it('sends what it is given (the rules are the UI’s, via checkIceBreakers) and surfaces the 422', async () => {
    const tooMany = [...breakers, ...breakers, { question: 'One more?', payload: 'X' }]
    const sentence = 'ice_breakers must be a list of 1 to 4 items (this request has 5).'
    expect(checkIceBreakers(tooMany)).toEqual({ ok: false, errors: [sentence] })
    server.handler = (_req, res) => sendJson(res, 422, unprocessable([sentence]))
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.setIceBreakers('prof_abc123', tooMany))

    expect(jsonBody(server.requests[0])).toEqual({ ice_breakers: tooMany })
    expect(error.userMessage).toBe(`Instagram says: ${sentence}`)
  })

  it('deletes them, reading each plausible answer as done', async () => {
    const answers: Array<(res: Parameters<typeof sendJson>[0]) => void> = [
      (res) => {
        res.writeHead(204)
        res.end()
      },
      (res) => sendJson(res, 200, { ice_breakers: [] }),
      (res) => sendJson(res, 200, { deleted: true }),
      (res) => sendJson(res, 200, { success: true })
    ]
    let call = 0
    server.handler = (_req, res) => answers[call++](res)
    const { client } = testClient(server)

    for (let i = 0; i < answers.length; i++) expect(await client.deleteIceBreakers('prof_abc123')).toEqual({ deleted: true })

    expect(server.requests.map(wire)).toEqual(Array(4).fill('DELETE /api/profiles/prof_abc123/ice_breakers'))
    for (const request of server.requests) expect(request.headers['idempotency-key']).toMatch(UUID)
  })

  it('refuses answers that are not ice breakers, or that say some are still there after a delete', async () => {
    let call = 0
    server.handler = (_req, res) =>
      call++ === 0 ? sendJson(res, 200, { ice_breakers: [{ question: 42 }] }) : sendJson(res, 200, { ice_breakers: breakers })
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.getIceBreakers('prof_abc123'))).kind).toBe('malformed_response')
    expect((await postproxyFailureOf(client.deleteIceBreakers('prof_abc123'))).kind).toBe('malformed_response')
  })
})

describe('sending, contract v2', () => {
  it('sends quick replies, buttons, a card and the message it answers on the JSON path; null fields are left out', async () => {
    const draft = checkInteractiveSend({
      platform: 'instagram',
      body: 'Pick a size',
      hasMedia: false,
      buttons: [
        { type: 'web_url', title: 'Size chart', url: 'https://shop.example/sizes' },
        { type: 'postback', title: 'Ask a human', payload: 'HUMAN' }
      ],
      card: { subtitle: 'Linen shirt, sage', image_url: 'https://shop.example/sage.jpg' }
    })
    if (!draft.ok) throw new Error(draft.errors.join('; '))
    server.handler = (req, res) => {
      const sent = jsonBody(req) as Record<string, unknown>
      sendJson(res, 202, pendingOutboundFixture({ body: sent.body, buttons: sent.buttons ?? null, card: sent.card ?? null, quick_replies: sent.quick_replies ?? null, reply_to_external_id: sent.reply_to_external_id }))
    }
    const { client } = testClient(server)

    const withButtons = await client.sendMessage(
      'chat_xyz789',
      { body: 'Pick a size' },
      { buttons: draft.value.buttons!, card: draft.value.card!, replyToExternalId: 'mid.abc123', tag: 'HUMAN_AGENT', idempotencyKey: 'outbox-7' }
    )
    const withChips = await client.sendMessage('chat_xyz789', { body: 'Which colour?' }, { quickReplies: [{ title: 'Sage', payload: 'SAGE' }, { content_type: 'text', title: 'Sand', payload: 'SAND' }] })

    const [buttonsRequest, chipsRequest] = server.requests
    expect(buttonsRequest.headers['content-type']).toBe('application/json')
    expect(buttonsRequest.headers['idempotency-key']).toBe('outbox-7')
    expect(jsonBody(buttonsRequest)).toEqual({
      body: 'Pick a size',
      tag: 'HUMAN_AGENT',
      reply_to_external_id: 'mid.abc123',
      buttons: [
        { type: 'web_url', title: 'Size chart', url: 'https://shop.example/sizes' },
        { type: 'postback', title: 'Ask a human', payload: 'HUMAN' }
      ],
      card: { subtitle: 'Linen shirt, sage', image_url: 'https://shop.example/sage.jpg' }
    })
    expect(jsonBody(chipsRequest)).toEqual({
      body: 'Which colour?',
      quick_replies: [
        { title: 'Sage', payload: 'SAGE' },
        { content_type: 'text', title: 'Sand', payload: 'SAND' }
      ]
    })
    // The Message echoes what was sent.
    expect(withButtons.buttons?.map((b) => b.title)).toEqual(['Size chart', 'Ask a human'])
    expect(withButtons.card?.subtitle).toBe('Linen shirt, sage')
    expect(withButtons.reply_to_external_id).toBe('mid.abc123')
    expect(withButtons.quick_replies).toBeNull()
    expect(withChips.quick_replies?.map((q) => q.payload)).toEqual(['SAGE', 'SAND'])
  })

  it('combines interactive parts with media given as a URL or a data: URI', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ body: null }))
    const { client } = testClient(server)

    await client.sendMessage('chat_xyz789', { media: 'https://cdn.example/look.jpg' }, { quickReplies: [{ title: 'Love it', payload: 'LOVE' }] })
    await client.sendMessage('chat_xyz789', { media: 'data:image/png;base64,iVBORw0KGgo=' }, { replyToExternalId: 'mid.abc123' })

    expect(jsonBody(server.requests[0])).toEqual({ media: ['https://cdn.example/look.jpg'], quick_replies: [{ title: 'Love it', payload: 'LOVE' }] })
    expect(jsonBody(server.requests[1])).toEqual({ media: ['data:image/png;base64,iVBORw0KGgo='], reply_to_external_id: 'mid.abc123' })
  })

  it('an uploaded file carries reply_to_external_id as a text part', async () => {
    server.handler = (_req, res) => sendJson(res, 202, pendingOutboundFixture({ body: null, reply_to_external_id: 'mid.abc123' }))
    const { client } = testClient(server)
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])

    const message = await client.sendMessage('chat_xyz789', { media: { bytes, filename: 'look.png', mime: 'image/png' } }, { tag: 'HUMAN_AGENT', replyToExternalId: 'mid.abc123' })

    expect(message.reply_to_external_id).toBe('mid.abc123')
    const form = await multipartBody(server.requests[0])
    expect([...form.keys()]).toEqual(['media[]', 'tag', 'reply_to_external_id'])
    expect(form.get('reply_to_external_id')).toBe('mid.abc123')
    expect(Buffer.from(await (form.get('media[]') as File).arrayBuffer()).equals(Buffer.from(bytes))).toBe(true)
  })

  it('refuses interactive parts with an uploaded file, with a TypeError that says what to do, before anything is sent', async () => {
    const { client } = testClient(server)
    const file = { bytes: new Uint8Array([1, 2, 3]), filename: 'look.png', mime: 'image/png' }

    for (const extras of [{ quickReplies: [{ title: 'A', payload: 'A' }] }, { buttons: [{ type: 'postback', title: 'B', payload: 'B' }] }, { card: { subtitle: 'C' } }]) {
      const error = await rejectionOf(client.sendMessage('chat_xyz789', { media: file }, extras))
      expect(error).toBeInstanceOf(TypeError)
      expect((error as Error).message).toMatch(/JSON path only.*URL or a data: URI/)
    }
    expect(server.requests).toHaveLength(0)
  })

  it('a 422 for an interactive send reaches the caller with the server’s sentence, and is not retried', async () => {
    server.handler = (_req, res) => sendJson(res, 422, { status: 422, ...unprocessable(['buttons[1].url must be an https:// URL']) })
    const { client } = testClient(server)

    const error = await postproxyFailureOf(
      client.sendMessage('chat_xyz789', { body: 'Pick one' }, { buttons: [{ type: 'postback', title: 'A', payload: 'A' }, { type: 'web_url', title: 'B', url: 'http://shop.example' }] })
    )

    expect(error).toMatchObject({ kind: 'validation', status: 422, retryable: false })
    expect(error.userMessage).toBe('Instagram says: buttons[1].url must be an https:// URL')
    expect(error.message).toContain('buttons[1].url must be an https:// URL')
    expect(server.requests).toHaveLength(1)
  })

  it('an unknown reply_to_external_id is surfaced the same way', async () => {
    server.handler = (_req, res) => sendJson(res, 422, { errors: ['reply_to_external_id mid.nope is not a message in this chat.'] })
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.sendMessage('chat_xyz789', { body: 'hi' }, { replyToExternalId: 'mid.nope' }))

    expect(error.userMessage).toBe('Instagram says: reply_to_external_id mid.nope is not a message in this chat.')
  })
})

describe('not on Instagram: archive and edit', () => {
  it('archives with POST and unarchives with DELETE on /chats/:id/archive, returning the chat', async () => {
    server.handler = (req, res) => sendJson(res, 200, chatFixture({ platform: 'bluesky', archived: req.method === 'POST' }))
    const { client } = testClient(server)

    const archived = await client.archiveChat('chat_bsky1', { idempotencyKey: 'archive-1' })
    const unarchived = await client.unarchiveChat('chat_bsky1')

    expect(archived.archived).toBe(true)
    expect(unarchived.archived).toBe(false)
    expect(server.requests.map(wire)).toEqual(['POST /api/chats/chat_bsky1/archive', 'DELETE /api/chats/chat_bsky1/archive'])
    expect(server.requests[0].headers['idempotency-key']).toBe('archive-1')
    expect(server.requests[1].headers['idempotency-key']).toMatch(UUID)
    expect(server.requests[0].body.length).toBe(0)
  })

  it('edits with PATCH {body, reply_markup} and returns the message', async () => {
    server.handler = (_req, res) => sendJson(res, 200, messageFixture({ direction: 'outbound', status: 'published', body: 'fixed typo', external_edited_at: '2026-06-01T10:00:00.000Z' }))
    const { client } = testClient(server)

    const edited = await client.editMessage('msg_tg1', { body: 'fixed typo', replyMarkup: { inline_keyboard: [] } }, { idempotencyKey: 'edit-1' })

    expect(edited.external_edited_at).toBe('2026-06-01T10:00:00.000Z')
    const [request] = server.requests
    expect(wire(request)).toBe('PATCH /api/messages/msg_tg1')
    expect(jsonBody(request)).toEqual({ body: 'fixed typo', reply_markup: { inline_keyboard: [] } })
    expect(request.headers['idempotency-key']).toBe('edit-1')
  })

  it('on an Instagram chat Postproxy answers 422 naming the platform, and the client just surfaces it', async () => {
    server.handler = (req, res) =>
      sendJson(res, 422, unprocessable([req.method === 'PATCH' ? 'Editing messages is supported on Telegram only; this chat is on Instagram.' : 'Archiving chats is supported on Bluesky only; this chat is on Instagram.']))
    const { client } = testClient(server)

    const archive = await postproxyFailureOf(client.archiveChat('chat_xyz789'))
    const edit = await postproxyFailureOf(client.editMessage('msg_111', { body: 'x' }))

    expect(archive).toMatchObject({ kind: 'validation', status: 422 })
    expect(archive.userMessage).toBe('Postproxy says: Archiving chats is supported on Bluesky only; this chat is on Instagram.')
    expect(edit.userMessage).toBe('Postproxy says: Editing messages is supported on Telegram only; this chat is on Instagram.')
    expect(server.requests).toHaveLength(2)
  })
})

describe('retries keep the Idempotency-Key', () => {
  it('retries a comment, ice breakers, a comment action and an interactive send after a 503, each with its one key and the same body', async () => {
    const attempts = new Map<string, number>()
    server.handler = (req, res) => {
      const key = `${req.method} ${req.path}`
      const n = (attempts.get(key) ?? 0) + 1
      attempts.set(key, n)
      if (n === 1) return sendJson(res, 503, { error: 'Service Unavailable' })
      if (req.path.endsWith('/ice_breakers')) return sendJson(res, 200, jsonBody(req))
      if (req.path.endsWith('/like')) return sendJson(res, 200, { accepted: true })
      if (req.path.endsWith('/messages')) return sendJson(res, 202, pendingOutboundFixture())
      return sendJson(res, 202, commentFixture({ status: 'pending' }))
    }
    const { client, delays } = testClient(server)

    await client.createComment('post_k3x9', 'prof_abc123', 'Back Friday', { parentId: 'cmt_q7w8' })
    await client.setIceBreakers('prof_abc123', [{ question: 'Shipping?', payload: 'SHIP' }])
    await client.likeComment('post_k3x9', 'cmt_q7w8', 'prof_abc123')
    await client.sendMessage('chat_xyz789', { body: 'Which one?' }, { quickReplies: [{ title: 'A', payload: 'A' }] })

    expect(server.requests).toHaveLength(8)
    expect(delays).toHaveLength(4)
    for (let i = 0; i < 8; i += 2) {
      const [first, retry] = [server.requests[i], server.requests[i + 1]]
      expect(wire(retry)).toBe(wire(first))
      expect(first.headers['idempotency-key']).toMatch(UUID)
      expect(retry.headers['idempotency-key']).toBe(first.headers['idempotency-key'])
      expect(retry.body.equals(first.body)).toBe(true)
    }
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(4)
  })
})
