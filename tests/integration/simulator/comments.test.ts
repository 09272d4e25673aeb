// Comments (POSTPROXY.md §9) over real HTTP: a post's comments (top level with `replies`), every
// comment across posts (flat, filters, newest first), get, the business's public reply, delete (own
// only), hide / unhide, like / unlike, private replies on the comment store, scoping, and the control
// API's POST /_sim/comments (old body fields still accepted).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { HOUR_MS } from '../../../shared/messaging-window.ts'
import { AcceptedResponseSchema, BulkCommentSchema, CommentSchema, PostSchema, type Comment } from '../../../shared/postproxy-comments.ts'
import { MessageSchema, pageSchema } from '../../../shared/postproxy.ts'
import {
  chatWithInbound,
  expectNotFound,
  expectValidationError,
  parses,
  recordEmitted,
  SimClient,
  startTestSimulator,
  TEST_PUBLISH_DELAY_MS,
  type TestSimulator
} from './helpers.ts'

const CommentPage = pageSchema(CommentSchema)
const BulkPage = pageSchema(BulkCommentSchema)
const DAY_MS = 24 * HOUR_MS

let t: TestSimulator
let postId: string
let emitted: { type: string; data: Record<string, unknown> }[]

beforeEach(async () => {
  t = await startTestSimulator()
  emitted = recordEmitted(t.sim)
  postId = parses(PostSchema, (await t.api.post('/_sim/posts', { caption: 'Spring drop' })).body).id
})
afterEach(async () => {
  await t.sim.close()
})

interface ControlComment {
  id: string
  external_id: string
  post_id: string
  created_at: string
  parent_external_id: string | null
}

async function comment(fields: Record<string, unknown> = {}): Promise<ControlComment> {
  const created = await t.api.post('/_sim/comments', {
    participant_external_id: 'igsid_fan',
    participant_username: 'fan',
    text: 'Love this!',
    post_id: postId,
    ...fields
  })
  expect(created.status).toBe(201)
  return created.body as ControlComment
}

const q = (extra = '') => `?profile_id=${t.sim.profileId}${extra}`
const commentsPath = (post = postId) => `/api/posts/${post}/comments`
const commentPath = (id: string, post = postId) => `/api/posts/${post}/comments/${id}`
const later = (ms: number) => t.sim.clock.advance(ms)

describe('POST /_sim/comments (control API)', () => {
  it('keeps accepting its first body fields, answering the old fields beside the new comment', async () => {
    const created = await t.api.post('/_sim/comments', {
      participant_external_id: 'igsid_c',
      participant_username: 'clara',
      participant_name: 'Clara H',
      text: 'Love it',
      post_id: 'post_1'
    })
    expect(created.status).toBe(201)
    expect(created.body).toMatchObject({
      post_id: 'post_1',
      profile_id: t.sim.profileId,
      platform: 'instagram',
      participant_external_id: 'igsid_c',
      participant_username: 'clara',
      participant_name: 'Clara H',
      text: 'Love it',
      body: 'Love it',
      author_external_id: 'igsid_c',
      author_username: 'clara',
      reply_message_id: null
    })
    parses(BulkCommentSchema, created.body)
    // A post id the simulator did not know becomes a post of the profile.
    expect((await t.api.get('/api/posts/post_1')).status).toBe(200)
    // created_at in the past is kept.
    const old = await comment({ created_at: '2026-01-02T03:04:05Z' })
    expect(old.created_at).toBe('2026-01-02T03:04:05.000Z')
    expectValidationError(await t.api.post('/_sim/comments', { participant_external_id: 'igsid_c', text: '' }), "Text can't be blank")
    expectValidationError(await t.api.post('/_sim/comments', { participant_external_id: '', text: 'x' }), "Participant external id can't be blank")
    expectValidationError(await comment_raw({ created_at: 'yesterday' }), /Created at must be an ISO 8601 timestamp/)
  })

  it('goes on the profile’s newest post when no post is named, and replies with parent_id', async () => {
    const top = await t.api.post('/_sim/comments', { participant_external_id: 'igsid_a', text: 'First!' })
    expect(top.body.post_id).toBe(postId)
    const reply = await comment({ participant_external_id: 'igsid_b', parent_id: top.body.external_id, text: 'Second' })
    expect(reply.parent_external_id).toBe(top.body.external_id)
    expectValidationError(await comment_raw({ parent_id: 'cmt_nope' }), /Parent id cmt_nope does not name a comment/)
  })

  it('makes a post when the profile has none', async () => {
    const empty = await startTestSimulator()
    try {
      const created = await empty.api.post('/_sim/comments', { participant_external_id: 'igsid_a', text: 'Hello' })
      expect(created.status).toBe(201)
      expect((await empty.api.get(`/api/posts/${created.body.post_id}`)).status).toBe(200)
    } finally {
      await empty.sim.close()
    }
  })
})

function comment_raw(fields: Record<string, unknown>) {
  return t.api.post('/_sim/comments', { participant_external_id: 'igsid_fan', text: 'Hi', post_id: postId, ...fields })
}

describe('GET /api/posts/:post_id/comments', () => {
  it('lists top-level comments newest first, each with its replies oldest first, in the shared shape', async () => {
    const first = await comment({ text: 'first' })
    later(1000)
    const second = await comment({ participant_external_id: 'igsid_2', text: 'second' })
    later(1000)
    const replyA = await comment({ participant_external_id: 'igsid_3', text: 'reply a', parent_id: first.id })
    later(1000)
    // A reply to a reply joins the top-level comment's thread (Instagram threads one level deep).
    const replyB = await comment({ participant_external_id: 'igsid_4', text: 'reply b', parent_id: replyA.external_id })
    expect(replyB.parent_external_id).toBe(first.external_id)

    const page = parses(CommentPage, (await t.api.get(`${commentsPath()}${q()}`)).body)
    expect(page).toMatchObject({ total: 2, page: 0, per_page: 20 })
    expect(page.data.map((c) => c.body)).toEqual(['second', 'first'])
    expect(page.data[0].replies).toEqual([])
    expect(page.data[1].replies!.map((c) => c.body)).toEqual(['reply a', 'reply b'])
    expect(page.data[1].replies!.every((c) => c.parent_external_id === first.external_id)).toBe(true)
    expect(Object.keys(page.data[1]).sort()).toEqual(
      [
        'id', 'external_id', 'body', 'status', 'author_username', 'author_avatar_url', 'author_external_id', 'metadata',
        'parent_external_id', 'like_count', 'is_hidden', 'permalink', 'platform_data', 'attachments', 'posted_at', 'created_at', 'replies'
      ].sort()
    )
    expect(page.data[1]).toMatchObject({
      id: first.id,
      external_id: expect.stringMatching(/^\d{17}$/),
      status: 'synced',
      author_username: 'fan',
      author_external_id: 'igsid_fan',
      parent_external_id: null,
      like_count: 0,
      is_hidden: false,
      metadata: { liked_by_business: false },
      permalink: expect.stringMatching(new RegExp(`/c/${first.external_id}/$`))
    })
    expect(second.id).toBe(page.data[0].id)
  })

  it('pages the top-level comments', async () => {
    for (let i = 0; i < 3; i++) {
      await comment({ text: `c${i}` })
      later(1000)
    }
    const first = parses(CommentPage, (await t.api.get(`${commentsPath()}${q('&per_page=2')}`)).body)
    const second = parses(CommentPage, (await t.api.get(`${commentsPath()}${q('&per_page=2&page=1')}`)).body)
    expect(first.total).toBe(3)
    expect([...first.data, ...second.data].map((c) => c.body)).toEqual(['c2', 'c1', 'c0'])
  })

  it('filters top-level comments on created_at with from / to (inclusive); replies come with their comment', async () => {
    const early = await comment({ text: 'early', created_at: '2026-03-01T10:00:00.000Z' })
    await comment({ text: 'middle', created_at: '2026-03-02T10:00:00.000Z' })
    await comment({ text: 'late', created_at: '2026-03-03T10:00:00.000Z' })
    await comment({ text: 'reply to early', parent_id: early.id, created_at: '2026-03-05T10:00:00.000Z' })
    const range = parses(CommentPage, (await t.api.get(`${commentsPath()}${q('&from=2026-03-01T10:00:00.000Z&to=2026-03-02T10:00:00.000Z')}`)).body)
    expect(range.data.map((c) => c.body)).toEqual(['middle', 'early'])
    expect(range.data[1].replies!.map((c) => c.body)).toEqual(['reply to early'])
    const bad = await t.api.get(`${commentsPath()}${q('&from=soon')}`)
    expect(bad.status).toBe(400)
    expect(bad.body.message).toMatch(/^from must be an ISO 8601 timestamp/)
  })

  it('needs profile_id (400), and answers 404 for an unknown post, a post of another profile, or another key', async () => {
    const missing = await t.api.get(commentsPath())
    expect(missing.status).toBe(400)
    expect(missing.body.message).toContain('profile_id')
    expectNotFound(await t.api.get(`${commentsPath('post_nope')}${q()}`))
    expectNotFound(await t.api.get(`${commentsPath()}?profile_id=prof_nope`))
    expectNotFound(await t.api.get(`${commentsPath()}${q('&profile_group_id=pg_other')}`))
    const other = t.sim.createAccount()
    expectNotFound(await new SimClient(t.sim.url, other.apiKey).get(`${commentsPath()}?profile_id=${other.profileId}`))
    expectNotFound(await new SimClient(t.sim.url, other.apiKey).get(`${commentsPath()}${q()}`))
  })
})

describe('GET /api/posts/:post_id/comments/:id', () => {
  it('gets a comment by hashid or by Instagram id, a top-level one with its replies', async () => {
    const top = await comment()
    await comment({ participant_external_id: 'igsid_2', text: 'me too', parent_id: top.id })
    for (const id of [top.id, top.external_id]) {
      const got = parses(CommentSchema, (await t.api.get(`${commentPath(id)}${q()}`)).body)
      expect(got.id).toBe(top.id)
      expect(got.replies!.map((c) => c.body)).toEqual(['me too'])
    }
    expectNotFound(await t.api.get(`${commentPath('cmt_nope')}${q()}`))
    const otherPost = parses(PostSchema, (await t.api.post('/_sim/posts', {})).body).id
    expectNotFound(await t.api.get(`${commentPath(top.id, otherPost)}${q()}`))
  })
})

describe('GET /api/comments', () => {
  it('lists every comment across posts, flat, newest first, each with post_id, profile_id and platform', async () => {
    const otherPost = parses(PostSchema, (await t.api.post('/_sim/posts', { caption: 'Studio tour' })).body).id
    const a = await comment({ text: 'a' })
    later(1000)
    await comment({ text: 'b', post_id: otherPost })
    later(1000)
    await comment({ text: 'reply to a', parent_id: a.id })

    const page = parses(BulkPage, (await t.api.get('/api/comments')).body)
    expect(page.total).toBe(3)
    expect(page.data.map((c) => c.body)).toEqual(['reply to a', 'b', 'a'])
    expect(page.data[0]).toMatchObject({ parent_external_id: a.external_id, post_id: postId, profile_id: t.sim.profileId, platform: 'instagram' })
    expect(page.data[1]).toMatchObject({ post_id: otherPost, parent_external_id: null })
    expect(page.data.every((c) => !('replies' in c))).toBe(true)
  })

  it('filters by post_ids, profiles (ids or network names), from / to, and pages', async () => {
    const otherPost = parses(PostSchema, (await t.api.post('/_sim/posts', {})).body).id
    await comment({ text: 'march', created_at: '2026-03-10T00:00:00.000Z' })
    await comment({ text: 'april', created_at: '2026-04-10T00:00:00.000Z', post_id: otherPost })
    await comment({ text: 'may', created_at: '2026-05-10T00:00:00.000Z' })
    const bodies = async (query: string) => parses(BulkPage, (await t.api.get(`/api/comments${query}`)).body).data.map((c) => c.body)

    expect(await bodies(`?post_ids=${otherPost}`)).toEqual(['april'])
    expect(await bodies(`?post_ids=${postId},${otherPost}`)).toEqual(['may', 'april', 'march'])
    expect(await bodies(`?profiles=${t.sim.profileId}`)).toEqual(['may', 'april', 'march'])
    expect(await bodies('?profiles=instagram')).toEqual(['may', 'april', 'march'])
    expect(await bodies('?profiles=facebook')).toEqual([])
    expect(await bodies('?profiles=prof_other')).toEqual([])
    expect(await bodies('?from=2026-04-10T00:00:00.000Z')).toEqual(['may', 'april'])
    expect(await bodies('?to=2026-04-10T00:00:00.000Z')).toEqual(['april', 'march'])
    expect(await bodies('?from=2026-03-11T00:00:00Z&to=2026-05-01T00:00:00Z')).toEqual(['april'])
    const paged = parses(BulkPage, (await t.api.get('/api/comments?per_page=2&page=1')).body)
    expect(paged).toMatchObject({ total: 3, page: 1, per_page: 2 })
    expect(paged.data.map((c) => c.body)).toEqual(['march'])
    expect((await t.api.get('/api/comments?to=later')).status).toBe(400)
  })

  it('shows nothing of another key or another profile group', async () => {
    await comment()
    const other = t.sim.createAccount()
    expect(parses(BulkPage, (await new SimClient(t.sim.url, other.apiKey).get('/api/comments')).body).total).toBe(0)
    expect(parses(BulkPage, (await t.api.get('/api/comments?profile_group_id=pg_other')).body).total).toBe(0)
  })
})

describe('POST /api/posts/:post_id/comments (the business’s public reply)', () => {
  it('answers 201 with the comment, posted as the business; parent_id may be the hashid or the Instagram id', async () => {
    const top = await comment()
    const byHashid = await t.api.post(`${commentsPath()}${q()}`, { text: 'Thank you!', parent_id: top.id })
    expect(byHashid.status).toBe(201)
    const reply = parses(CommentSchema, byHashid.body)
    expect(reply).toMatchObject({
      body: 'Thank you!',
      status: 'synced',
      parent_external_id: top.external_id,
      author_username: expect.any(String),
      external_id: expect.stringMatching(/^\d{17}$/),
      replies: []
    })
    const byExternalId = parses(CommentSchema, (await t.api.post(`${commentsPath()}${q()}`, { text: 'Again', parent_id: top.external_id })).body)
    expect(byExternalId.parent_external_id).toBe(top.external_id)
    const topLevel = parses(CommentSchema, (await t.api.post(`${commentsPath()}${q()}`, { text: 'New drop Friday!' })).body)
    expect(topLevel.parent_external_id).toBeNull()

    const thread = parses(CommentSchema, (await t.api.get(`${commentPath(top.id)}${q()}`)).body)
    expect(thread.replies!.map((c: Comment) => c.body)).toEqual(['Thank you!', 'Again'])
    // Meta does not notify an account of its own comments.
    expect(emitted.filter((e) => e.type === 'comment.created')).toHaveLength(1)
  })

  it('validates text and parent_id, naming the field', async () => {
    expectValidationError(await t.api.post(`${commentsPath()}${q()}`, { text: '  ' }), "Text can't be blank.")
    expectValidationError(await t.api.post(`${commentsPath()}${q()}`, { text: 'x'.repeat(2201) }), /at most 2,200 characters in a comment \(this one has 2,201\)/)
    expectValidationError(await t.api.post(`${commentsPath()}${q()}`, { text: 'hi', parent_id: 'cmt_nope' }), 'parent_id cmt_nope does not name a comment on this post.')
    const otherPost = parses(PostSchema, (await t.api.post('/_sim/posts', {})).body).id
    const elsewhere = await comment({ post_id: otherPost })
    expectValidationError(await t.api.post(`${commentsPath()}${q()}`, { text: 'hi', parent_id: elsewhere.id }), /does not name a comment on this post/)
  })

  it('is an /api/ write like the others: Idempotency-Key replays it, faults and the rate limit apply', async () => {
    const headers = { 'idempotency-key': 'comment-1' }
    const first = await t.api.post(`${commentsPath()}${q()}`, { text: 'Once' }, headers)
    const replay = await t.api.post(`${commentsPath()}${q()}`, { text: 'Once' }, headers)
    expect(replay.body).toEqual(first.body)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    expect(parses(CommentPage, (await t.api.get(`${commentsPath()}${q()}`)).body).total).toBe(1)

    await t.api.post('/_sim/faults', { kind: 'server_error', count: 1, status: 503 })
    expect((await t.api.post(`${commentsPath()}${q()}`, { text: 'During an outage' })).status).toBe(503)
    await t.api.post('/_sim/rate-limit', { limit: 1, window_ms: 60_000 })
    await t.api.post(`/api/posts/${postId}/comments/${first.body.id}/like${q()}`)
    expect((await t.api.post(`/api/posts/${postId}/comments/${first.body.id}/unlike${q()}`)).status).toBe(429)
  })
})

describe('DELETE /api/posts/:post_id/comments/:id', () => {
  it('deletes the business’s own comment (and a top-level one’s replies), answering {"accepted": true}', async () => {
    const top = await comment()
    const own = parses(CommentSchema, (await t.api.post(`${commentsPath()}${q()}`, { text: 'Oops' })).body)
    await comment({ participant_external_id: 'igsid_2', text: 'reply to the business', parent_id: own.id })
    const deleted = await t.api.delete(`${commentPath(own.id)}${q()}`)
    expect(deleted.status).toBe(200)
    expect(parses(AcceptedResponseSchema, deleted.body)).toEqual({ accepted: true })
    expectNotFound(await t.api.get(`${commentPath(own.id)}${q()}`))
    expect(parses(BulkPage, (await t.api.get('/api/comments')).body).data.map((c) => c.id)).toEqual([top.id])
  })

  it('refuses others’ comments with a 422 in words, and answers 404 for an unknown one', async () => {
    const theirs = await comment()
    expectValidationError(await t.api.delete(`${commentPath(theirs.id)}${q()}`), "Only the business's own comments can be deleted; this one is by @fan. Hide it instead.")
    expect((await t.api.get(`${commentPath(theirs.id)}${q()}`)).status).toBe(200)
    expectNotFound(await t.api.delete(`${commentPath('cmt_nope')}${q()}`))
  })
})

describe('hide / unhide, like / unlike', () => {
  const act = (id: string, action: string) => t.api.post(`${commentPath(id)}/${action}${q()}`)
  const read = async (id: string) => parses(CommentSchema, (await t.api.get(`${commentPath(id)}${q()}`)).body)

  it('hide and unhide answer {"accepted": true} and change is_hidden, idempotently', async () => {
    const c = await comment()
    for (const [action, hidden] of [['hide', true], ['hide', true], ['unhide', false], ['unhide', false]] as const) {
      const answer = await act(c.id, action)
      expect(answer.status).toBe(200)
      expect(parses(AcceptedResponseSchema, answer.body)).toEqual({ accepted: true })
      expect((await read(c.id)).is_hidden).toBe(hidden)
    }
    // Hidden comments stay in the lists, marked.
    await act(c.id, 'hide')
    expect(parses(BulkPage, (await t.api.get('/api/comments')).body).data[0].is_hidden).toBe(true)
  })

  it('like and unlike change like_count and metadata.liked_by_business, once each', async () => {
    const c = await comment()
    expect(await read(c.id)).toMatchObject({ like_count: 0, metadata: { liked_by_business: false } })
    expect((await act(c.id, 'like')).body).toEqual({ accepted: true })
    await act(c.id, 'like')
    expect(await read(c.id)).toMatchObject({ like_count: 1, metadata: { liked_by_business: true } })
    expect((await act(c.id, 'unlike')).body).toEqual({ accepted: true })
    await act(c.id, 'unlike')
    expect(await read(c.id)).toMatchObject({ like_count: 0, metadata: { liked_by_business: false } })
    // By Instagram id too.
    await act(c.external_id, 'like')
    expect((await read(c.id)).like_count).toBe(1)
  })

  it('refuses to hide the business’s own comment, and answers 404 for unknown ones', async () => {
    const own = parses(CommentSchema, (await t.api.post(`${commentsPath()}${q()}`, { text: 'Mine' })).body)
    expectValidationError(await act(own.id, 'hide'), "The business's own comments can't be hidden; delete it instead.")
    for (const action of ['hide', 'unhide', 'like', 'unlike']) expectNotFound(await act('cmt_nope', action))
  })
})

describe('private replies (on the comment store)', () => {
  const replyPath = (c: ControlComment) => `/api/posts/${c.post_id}/comments/${c.id}/private_reply${q()}`

  it('names the comment’s Instagram id in external_comment_id, and accepts the Instagram id in the path', async () => {
    const c = await comment()
    const message = parses(MessageSchema, (await t.api.post(`/api/posts/${postId}/comments/${c.external_id}/private_reply${q()}`, { text: 'Hi!' })).body)
    expect(message.external_comment_id).toBe(c.external_id)
    expect(message.external_comment_id).not.toBe(c.id)
    expect((await t.api.get('/_sim/state')).body.comments.find((s: { id: string }) => s.id === c.id).reply_message_id).toBe(message.id)
  })

  it('goes outside the 24 h window, within 7 days of the comment, once per comment', async () => {
    const { chat } = await chatWithInbound(t.api, 'igsid_fan')
    later(3 * DAY_MS)
    const c = await comment()
    const sent = parses(MessageSchema, (await t.api.post(replyPath(c), { text: 'Sending you the details' })).body)
    expect(sent.chat_id).toBe(chat.id)
    later(TEST_PUBLISH_DELAY_MS)
    expect(parses(MessageSchema, (await t.api.get(`/api/messages/${sent.id}`)).body).status).toBe('published')
    expectValidationError(await t.api.post(replyPath(c), { text: 'again' }), /one per comment/)
    const late = await comment()
    later(7 * DAY_MS + 60_000)
    expectValidationError(await t.api.post(replyPath(late), { text: 'too late' }), /within 7 days of the comment; this comment is 7 days old/)
  })

  it('refuses the business’s own comment', async () => {
    const own = parses(CommentSchema, (await t.api.post(`${commentsPath()}${q()}`, { text: 'Mine' })).body)
    expectValidationError(await t.api.post(`/api/posts/${postId}/comments/${own.id}/private_reply${q()}`, { text: 'hi' }), /the business's own comment/)
  })
})

describe('comment.created', () => {
  it('is emitted for a participant’s comment with exactly the §9 data fields', async () => {
    const top = await comment({ participant_name: 'Fan Person' })
    await comment({ participant_external_id: 'igsid_2', text: 'reply', parent_id: top.id })
    const events = emitted.filter((e) => e.type === 'comment.created')
    expect(events).toHaveLength(2)
    expect(Object.keys(events[0].data).sort()).toEqual(
      [
        'id', 'post_id', 'platform_post_id', 'platform', 'external_id', 'parent_external_id', 'body', 'status', 'author_external_id',
        'author_name', 'author_username', 'author_avatar_url', 'like_count', 'reply_count', 'is_hidden', 'permalink', 'platform_data',
        'posted_at', 'created_at'
      ].sort()
    )
    const post = parses(PostSchema, (await t.api.get(`/api/posts/${postId}`)).body)
    expect(events[0].data).toMatchObject({
      id: top.id,
      post_id: postId,
      platform_post_id: post.platforms![0].platform_post_id,
      platform: 'instagram',
      external_id: top.external_id,
      parent_external_id: null,
      author_name: 'Fan Person',
      author_username: 'fan',
      reply_count: 0
    })
    expect(events[1].data.parent_external_id).toBe(top.external_id)
  })
})
