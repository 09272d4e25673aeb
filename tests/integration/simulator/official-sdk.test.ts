// An independent check (#9): Postproxy's own Node SDK, `postproxy-sdk` 1.6.1 (pinned; the only version on
// our registry), pointed at the simulator over loopback. Every call of the SDK that the simulator serves is
// driven exactly as the SDK sends it (its paths, query names, bodies, error classes), and what it returns is
// compared with the simulator's ground truth (`/_sim/state`). 1.6.1 predates DMs, so chats and messages are
// not here; independent-v2.test.ts covers them with plain fetch. The SDK's publishing calls (posts.create /
// publishDraft / stats / delete, profiles.placements / delete, profileGroups, queues) are not simulated.
// Where 1.6.1 is older than the contract (POSTPROXY.md §9), the contract is asserted and the difference noted.
import {
  AuthenticationError,
  NotFoundError,
  PostProxy,
  PostProxyError,
  ValidationError,
  verifySignature,
  type Comment,
  type Post,
  type Profile,
  type Webhook
} from 'postproxy-sdk'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTestSimulator, WebhookReceiver, type TestSimulator } from './helpers.ts'

interface StateComment extends Comment {
  post_id: string
  profile_id: string
}
interface GroundTruth {
  profiles: Profile[]
  posts: Post[]
  comments: StateComment[]
}

let t: TestSimulator
let sdk: PostProxy
let receiver: WebhookReceiver

beforeAll(async () => {
  t = await startTestSimulator({ scenario: 'demo', seed: 7 })
  sdk = new PostProxy(t.sim.apiKey, { baseUrl: t.sim.url })
  receiver = new WebhookReceiver()
  await receiver.start()
})
afterAll(async () => {
  await t.sim.close()
  await receiver.close()
})

async function truth(): Promise<GroundTruth> {
  const state = await t.api.get('/_sim/state')
  expect(state.status).toBe(200)
  return state.body as GroundTruth
}

/** The rejection an SDK call ends in (fails the test when the call succeeds). */
async function rejection(call: Promise<unknown>): Promise<PostProxyError> {
  const error = await call.then(
    () => null,
    (reason: unknown) => reason
  )
  expect(error).toBeInstanceOf(PostProxyError)
  return error as PostProxyError
}

/** Every field the SDK's types declare, present on what came back (nulls allowed where the type allows them). */
function expectFields(value: object, fields: string[]): void {
  for (const field of fields) expect(value, `missing ${field}`).toHaveProperty(field)
}

const COMMENT_FIELDS = [
  'id', 'external_id', 'body', 'status', 'author_username', 'author_avatar_url', 'author_external_id', 'parent_external_id',
  'like_count', 'is_hidden', 'permalink', 'platform_data', 'posted_at', 'created_at', 'replies'
]

describe('postproxy-sdk 1.6.1 against the simulator', () => {
  it('profiles: list and get give the profile as the simulator holds it, with post_count', async () => {
    const { profiles, posts } = await truth()
    const listed = await sdk.profiles.list()
    expect(listed.data).toHaveLength(1)
    const profile = listed.data[0]
    expectFields(profile, ['id', 'name', 'status', 'platform', 'profile_group_id', 'expires_at', 'post_count'])
    expect(profile).toMatchObject({ id: profiles[0].id, name: 'Clay & Tide Studio', platform: 'instagram', status: 'active', expires_at: null })
    expect(profile.post_count).toBe(posts.length)
    expect(await sdk.profiles.get(profile.id)).toEqual(profile)

    // The SDK's profileGroupId (default or per call) travels as ?profile_group_id=.
    const grouped = new PostProxy(t.sim.apiKey, { baseUrl: t.sim.url, profileGroupId: profile.profile_group_id })
    expect((await grouped.profiles.list()).data.map((p) => p.id)).toEqual([profile.id])
    const elsewhere = await rejection(sdk.profiles.get(profile.id, { profileGroupId: 'pg_someone_else' }))
    expect(elsewhere).toBeInstanceOf(NotFoundError)
  })

  it('a wrong key is the SDK’s AuthenticationError with the simulator’s words', async () => {
    const stranger = new PostProxy('sk_not_a_key', { baseUrl: t.sim.url })
    const error = await rejection(stranger.profiles.list())
    expect(error).toBeInstanceOf(AuthenticationError)
    expect(error.statusCode).toBe(401)
    expect(error.message).toBe('Unauthorized')
  })

  it('posts: list pages and filters as the SDK sends them; get gives one; every typed field is there', async () => {
    const { posts } = await truth()
    expect(posts.length).toBeGreaterThan(3)
    const first = await sdk.posts.list({ platforms: ['instagram'], perPage: 3 })
    const second = await sdk.posts.list({ platforms: ['instagram'], perPage: 3, page: 1 })
    expect(first).toMatchObject({ total: posts.length, page: 0, per_page: 3 })
    expect(second).toMatchObject({ total: posts.length, page: 1, per_page: 3 })
    expect([...first.data, ...second.data].map((post) => post.id)).toEqual(posts.map((post) => post.id))

    for (const post of first.data) {
      expectFields(post, ['id', 'body', 'status', 'scheduled_at', 'created_at', 'media', 'platforms', 'thread'])
      expect(post).toMatchObject({ status: 'processed', scheduled_at: null, thread: [] })
      expectFields(post.media[0], ['id', 'status', 'error_message', 'content_type', 'source_url', 'url'])
      expect(post.media[0]).toMatchObject({ status: 'processed', content_type: 'image/png', error_message: null })
      expectFields(post.platforms[0], ['platform', 'status', 'params', 'error', 'attempted_at', 'insights'])
      expect(post.platforms[0]).toMatchObject({ platform: 'instagram', status: 'published', error: null })
      const image = await fetch(post.media[0].url!)
      expect(image.headers.get('content-type')).toBe('image/png')
      await image.arrayBuffer()
    }
    expect(await sdk.posts.get(first.data[0].id)).toEqual(first.data[0])

    // The SDK's other filters: a network without posts, another status, "scheduled after" (nothing here was scheduled).
    expect((await sdk.posts.list({ platforms: ['tiktok', 'linkedin'] })).total).toBe(0)
    expect((await sdk.posts.list({ status: 'processed' })).total).toBe(posts.length)
    expect((await sdk.posts.list({ status: 'draft' })).data).toEqual([])
    expect((await sdk.posts.list({ scheduledAfter: new Date('2020-01-01T00:00:00Z') })).total).toBe(0)

    // 1.6.1 reads `error` before `message`, so its NotFoundError says "Not found"; §9's human sentence
    // is in the body it keeps (newer SDKs read `message` first).
    const missing = await rejection(sdk.posts.get('post_not_there'))
    expect(missing).toBeInstanceOf(NotFoundError)
    expect(missing.message).toBe('Not found')
    expect(missing.response).toMatchObject({ error: 'Not found', message: expect.stringMatching(/^Nothing with this id exists/) })
  })

  describe('comments on a post', () => {
    let profileId = ''
    let postId = ''
    let theirs: StateComment

    beforeAll(async () => {
      const { profiles, comments } = await truth()
      profileId = profiles[0].id
      const business = profiles[0] as Profile & { external_id: string }
      // A top-level comment from someone else that already has replies.
      theirs = comments.find(
        (c) => c.parent_external_id === null && c.author_external_id !== business.external_id && comments.some((reply) => reply.parent_external_id === c.external_id)
      )!
      postId = theirs.post_id
    })

    it('list: top-level comments, newest first, each with its replies; pages as the SDK asks', async () => {
      const { comments } = await truth()
      const onPost = comments.filter((c) => c.post_id === postId)
      const topLevel = onPost.filter((c) => c.parent_external_id === null)
      const page = await sdk.comments.list(postId, profileId, { perPage: 100 })
      expect(page).toMatchObject({ total: topLevel.length, page: 0, per_page: 100 })
      expect(page.data.map((c) => c.id)).toEqual(topLevel.map((c) => c.id))
      for (const comment of page.data) {
        expectFields(comment, COMMENT_FIELDS)
        const replies = onPost.filter((c) => c.parent_external_id === comment.external_id)
        expect(comment.replies.map((reply) => reply.id).sort()).toEqual(replies.map((reply) => reply.id).sort())
        for (const reply of comment.replies) {
          expectFields(reply, COMMENT_FIELDS)
          expect(reply.replies).toEqual([])
        }
      }
      const listed = page.data.find((c) => c.id === theirs.id)!
      expect(listed).toMatchObject({
        external_id: theirs.external_id,
        body: theirs.body,
        status: 'synced',
        author_username: theirs.author_username,
        author_external_id: theirs.author_external_id,
        like_count: theirs.like_count,
        is_hidden: theirs.is_hidden,
        permalink: theirs.permalink,
        posted_at: theirs.posted_at,
        created_at: theirs.created_at
      })
      expect(listed.replies.length).toBeGreaterThan(0)

      const one = await sdk.comments.list(postId, profileId, { perPage: 1, page: 0 })
      expect(one).toMatchObject({ total: topLevel.length, page: 0, per_page: 1 })
      expect(one.data.map((c) => c.id)).toEqual([topLevel[0].id])
      if (topLevel.length > 1) expect((await sdk.comments.list(postId, profileId, { perPage: 1, page: 1 })).data[0].id).toBe(topLevel[1].id)
    })

    it('get: a comment with its replies, and a reply on its own', async () => {
      const comment = await sdk.comments.get(postId, theirs.id, profileId)
      expectFields(comment, COMMENT_FIELDS)
      expect(comment).toMatchObject({ id: theirs.id, body: theirs.body, parent_external_id: null })
      expect(comment.replies.length).toBeGreaterThan(0)
      const reply = await sdk.comments.get(postId, comment.replies[0].id, profileId)
      expect(reply).toMatchObject({ id: comment.replies[0].id, parent_external_id: theirs.external_id, replies: [] })
      expect(await rejection(sdk.comments.get(postId, 'cmt_not_there', profileId))).toBeInstanceOf(NotFoundError)
    })

    it('create: a public reply with parentId, posted as the business and threaded under the comment', async () => {
      const { profiles } = await truth()
      const business = profiles[0] as Profile & { username: string; external_id: string }
      // The SDK's own tests show a new comment `pending` (posted later); §9 allows 201 or 202 with the Comment,
      // and the simulator posts it at once (README), so it is `synced` with its Instagram id already.
      const reply = await sdk.comments.create(postId, profileId, 'Thank you! It is the celadon glaze.', { parentId: theirs.id })
      expectFields(reply, COMMENT_FIELDS)
      expect(reply).toMatchObject({
        id: expect.stringMatching(/^cmt_/),
        external_id: expect.stringMatching(/^\d{17}$/),
        body: 'Thank you! It is the celadon glaze.',
        parent_external_id: theirs.external_id,
        author_username: business.username,
        author_external_id: business.external_id,
        status: 'synced',
        like_count: 0,
        is_hidden: false,
        replies: []
      })
      const thread = await sdk.comments.get(postId, theirs.id, profileId)
      expect(thread.replies.map((r) => r.id)).toContain(reply.id)
      const { comments } = await truth()
      expect(comments.find((c) => c.id === reply.id)).toMatchObject({ body: reply.body, parent_external_id: theirs.external_id })

      // Blank text is refused with the simulator's sentence, as a ValidationError.
      const blank = await rejection(sdk.comments.create(postId, profileId, '   ', { parentId: theirs.id }))
      expect(blank).toBeInstanceOf(ValidationError)
      expect(blank.message).toBe("Text can't be blank.")
    })

    it('hide / unhide and like / unlike answer {accepted: true} and show at once', async () => {
      expect(await sdk.comments.hide(postId, theirs.id, profileId)).toEqual({ accepted: true })
      expect((await sdk.comments.get(postId, theirs.id, profileId)).is_hidden).toBe(true)
      expect((await truth()).comments.find((c) => c.id === theirs.id)!.is_hidden).toBe(true)
      expect(await sdk.comments.unhide(postId, theirs.id, profileId)).toEqual({ accepted: true })
      expect((await sdk.comments.get(postId, theirs.id, profileId)).is_hidden).toBe(false)

      // Both are idempotent: unlike first sets a known starting point whatever the demo seeded.
      expect(await sdk.comments.unlike(postId, theirs.id, profileId)).toEqual({ accepted: true })
      const base = (await sdk.comments.get(postId, theirs.id, profileId)).like_count
      for (let i = 0; i < 2; i++) expect(await sdk.comments.like(postId, theirs.id, profileId)).toEqual({ accepted: true })
      expect((await sdk.comments.get(postId, theirs.id, profileId)).like_count).toBe(base + 1)
      expect((await truth()).comments.find((c) => c.id === theirs.id)).toMatchObject({ like_count: base + 1, metadata: { liked_by_business: true } })
      expect(await sdk.comments.unlike(postId, theirs.id, profileId)).toEqual({ accepted: true })
      expect((await sdk.comments.get(postId, theirs.id, profileId)).like_count).toBe(base)
    })

    it('delete: the business’s own comment goes; someone else’s is a ValidationError with the simulator’s message', async () => {
      const own = await sdk.comments.create(postId, profileId, 'Restocking on Friday!')
      expect(own.parent_external_id).toBeNull()
      expect(await sdk.comments.delete(postId, own.id, profileId)).toEqual({ accepted: true })
      expect(await rejection(sdk.comments.get(postId, own.id, profileId))).toBeInstanceOf(NotFoundError)
      expect((await truth()).comments.some((c) => c.id === own.id)).toBe(false)

      const refused = await rejection(sdk.comments.delete(postId, theirs.id, profileId))
      expect(refused).toBeInstanceOf(ValidationError)
      expect(refused.statusCode).toBe(422)
      const sentence = `Only the business's own comments can be deleted; this one is by @${theirs.author_username}. Hide it instead.`
      expect(refused.message).toBe(sentence)
      expect(refused.response).toEqual({ errors: [sentence], message: sentence })
      expect((await truth()).comments.some((c) => c.id === theirs.id)).toBe(true)
    })
  })

  describe('webhooks', () => {
    let webhook: Webhook

    it('create / list / get / update / deliveries as the SDK types them', async () => {
      webhook = await sdk.webhooks.create(receiver.url, ['comment.created'], { description: 'SDK check' })
      expectFields(webhook, ['id', 'url', 'events', 'enabled', 'description', 'secret', 'created_at', 'updated_at'])
      expect(webhook).toMatchObject({ url: receiver.url, events: ['comment.created'], enabled: true, description: 'SDK check' })
      expect(webhook.secret).toMatch(/^whsec_/)
      expect((await sdk.webhooks.list()).data.map((w) => w.id)).toEqual([webhook.id])
      expect(await sdk.webhooks.get(webhook.id)).toMatchObject({ id: webhook.id, url: receiver.url })

      t.sim.clock.advance(60_000)
      const paused = await sdk.webhooks.update(webhook.id, { enabled: false, description: 'SDK check, paused', events: ['comment.created', 'message.received'] })
      expect(paused).toMatchObject({ enabled: false, description: 'SDK check, paused', events: ['comment.created', 'message.received'], created_at: webhook.created_at })
      expect(Date.parse(paused.updated_at)).toBeGreaterThan(Date.parse(webhook.updated_at))
      expect((await sdk.webhooks.update(webhook.id, { enabled: true })).enabled).toBe(true)

      expect(await sdk.webhooks.deliveries(webhook.id, { page: 0, perPage: 10 })).toEqual({ total: 0, page: 0, per_page: 10, data: [] })
      const typo = await rejection(sdk.webhooks.create(receiver.url, ['message.recieved']))
      expect(typo).toBeInstanceOf(ValidationError)
      expect(typo.message).toContain('message.recieved')
    })

    it('verifySignature accepts a real comment.created delivery, and the delivery log records it', async () => {
      const { profiles, posts } = await truth()
      const made = await t.api.post('/_sim/comments', {
        participant_external_id: 'igsid_sdk_fan',
        participant_username: 'sdk.fan',
        text: 'Is the blue one still available?',
        post_id: posts[0].id
      })
      expect(made.status).toBe(201)
      await receiver.waitFor(1)
      const delivery = receiver.received[0]
      expect(delivery.headers['x-postproxy-event']).toBe('comment.created')
      const signature = String(delivery.headers['x-postproxy-signature'])
      expect(verifySignature(delivery.rawBody, signature, webhook.secret!)).toBe(true)
      expect(verifySignature(delivery.rawBody, signature, 'whsec_not_the_secret')).toBe(false)
      expect(verifySignature(delivery.rawBody.replace('still available', 'sold out'), signature, webhook.secret!)).toBe(false)
      // 1.6.1 leaves the age check to the receiver: `t` is wall-clock time although the simulated clock moved.
      const sentAt = Number(/(?:^|,)t=(\d+)/.exec(signature)![1])
      expect(Math.abs(sentAt - Date.now() / 1000)).toBeLessThan(60)

      const event = JSON.parse(delivery.rawBody)
      expect(event).toMatchObject({ id: expect.any(String), type: 'comment.created', created_at: expect.any(String) })
      expect(event.data).toMatchObject({
        id: made.body.id,
        post_id: posts[0].id,
        platform: 'instagram',
        external_id: made.body.external_id,
        parent_external_id: null,
        body: 'Is the blue one still available?',
        author_username: 'sdk.fan',
        author_external_id: 'igsid_sdk_fan',
        reply_count: 0
      })
      // The comment is the SDK's to read afterwards.
      expect(await sdk.comments.get(posts[0].id, made.body.id, profiles[0].id)).toMatchObject({ body: 'Is the blue one still available?' })

      await t.sim.webhooks.idle()
      const log = await sdk.webhooks.deliveries(webhook.id, { perPage: 5 })
      expect(log).toMatchObject({ total: 1, page: 0, per_page: 5 })
      expectFields(log.data[0], ['id', 'event_id', 'event_type', 'response_status', 'attempt_number', 'success', 'attempted_at', 'created_at'])
      expect(log.data[0]).toMatchObject({ event_id: event.id, event_type: 'comment.created', response_status: 200, attempt_number: 1, success: true })
    })

    it('delete answers {deleted: true}; the webhook is gone', async () => {
      expect(await sdk.webhooks.delete(webhook.id)).toEqual({ deleted: true })
      expect(await rejection(sdk.webhooks.get(webhook.id))).toBeInstanceOf(NotFoundError)
      expect((await sdk.webhooks.list()).data).toEqual([])
    })
  })
})
