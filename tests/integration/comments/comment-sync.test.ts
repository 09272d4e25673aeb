// Comments reach the cache as Postproxy has them, through the real core: the first sync stores every comment
// of the profile's posts (threads, hidden, liked, posts with their thumbnails), a poll with nothing new costs
// exactly one request, a new comment found by a poll is news once, and everything reads offline.
import { afterEach, describe, expect, it } from 'vitest'
import { allThreads, commentsWorld, requestsTo, serverComments, signedIn, type CommentsWorld } from './comments-world.ts'

let world: CommentsWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

describe('comment sync', () => {
  it('stores every comment of the profile with its thread, post and state, then polls with one request when nothing changed', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const truth = serverComments(world)
    const threads = await allThreads(world)

    // Every comment once: top-level ones as threads, replies inside them, oldest first.
    const cached = threads.flatMap((t) => [t.comment, ...t.replies])
    expect(cached.map((c) => c.id).sort()).toEqual(truth.map((c) => c.id).sort())
    for (const thread of threads) {
      expect(thread.comment.parentExternalId).toBeNull()
      for (const reply of thread.replies) expect(truth.find((c) => c.id === reply.id)?.parent_external_id).not.toBeNull()
      expect(thread.replies.map((r) => r.at)).toEqual([...thread.replies.map((r) => r.at)].sort())
    }
    // Newest activity first.
    const activity = threads.map((t) => Math.max(...[t.comment, ...t.replies].map((c) => Date.parse(c.at))))
    expect(activity).toEqual([...activity].sort((a, b) => b - a))

    // The hidden spam, the studio's likes and its own replies, as the server has them.
    const byId = new Map(cached.map((c) => [c.id, c]))
    for (const server of truth) {
      expect(byId.get(server.id)).toMatchObject({ isHidden: server.is_hidden, likedByYou: server.liked_by_business, likeCount: server.like_count, isOwn: server.from_business, body: server.body })
    }
    expect(cached.filter((c) => c.isHidden).map((c) => c.author.username)).toEqual(['followers.boost.now'])

    // Each thread names its post, with the caption, the Instagram link and a thumbnail from the media cache.
    const spring = threads.find((t) => t.comment.body?.startsWith('Is the oatmeal speckled mug'))!
    expect(spring.post).toMatchObject({ caption: expect.stringMatching(/^The spring drop is live/), permalink: expect.stringMatching(/^https:\/\/www\.instagram\.com\/p\//), thumbnailUrl: expect.stringMatching(/^\/media\//) })
    const thumbnail = await world.inbox.mediaFile(decodeURIComponent(spring.post!.thumbnailUrl!.slice('/media/'.length)))
    expect(thumbnail?.mime).toMatch(/^image\//)

    // The first sync's news: the last day's comments nobody answered yet (the studio answered Maya's).
    const unread = cached.filter((c) => c.unread).map((c) => c.author.username).sort()
    expect(unread).toEqual(['followers.boost.now', 'june.gardens', 'sam.kiln'])
    expect(await world.inbox.api.getCommentCounts()).toEqual({ ok: true, value: { unread: 3 } })

    // Nothing new: one request for the comments (and the chats' own one), no post look-up.
    world.requests.length = 0
    expect(await world.inbox.api.syncNow()).toEqual({ ok: true, value: null })
    expect(world.requests.filter((r) => r.path.startsWith('/api/comments') || r.path.startsWith('/api/posts')).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/comments'])
    expect(world.events.some((e) => e.name === 'new-comment')).toBe(false)
  })

  it('finds a new comment (and a reply to it) with the next poll, stores it once and announces it once', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim } = world
    const comment = sim.control.createComment(sim.account, sim.profileId, { participant_external_id: 'igsid_poll_fan', participant_username: 'poll.fan', text: 'Found by a poll?' })
    const reply = sim.control.createComment(sim.account, sim.profileId, { participant_external_id: 'igsid_other', participant_username: 'other.fan', text: 'Me too', parent_id: comment.id })

    world.requests.length = 0
    await world.inbox.api.syncNow()
    await world.inbox.api.syncNow()
    expect(requestsTo(world, 'GET', '/api/comments')).toHaveLength(2)

    const [first] = await allThreads(world)
    expect(first.comment).toMatchObject({ id: comment.id, body: 'Found by a poll?', unread: true, author: { username: 'poll.fan' } })
    expect(first.replies.map((r) => r.id)).toEqual([reply.id])
    const announced = world.events.filter((e) => e.name === 'new-comment').map((e) => e.payload)
    expect(announced).toEqual([
      { commentId: comment.id, author: 'poll.fan', preview: 'Found by a poll?' },
      { commentId: reply.id, author: 'other.fan', preview: 'Me too' }
    ])
    expect(await world.inbox.api.getCommentCounts()).toEqual({ ok: true, value: { unread: 5 } })
    expect(await world.inbox.api.markCommentsSeen()).toEqual({ ok: true, value: null })
    expect(await world.inbox.api.getCommentCounts()).toEqual({ ok: true, value: { unread: 0 } })
  })

  it('reads the Comments view, its thumbnails, search and a chat’s comments offline, after a restart', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const online = await allThreads(world)
    const thumbnails = [...new Set(online.flatMap((t) => (t.post?.thumbnailUrl ? [t.post.thumbnailUrl] : [])))]
    expect(thumbnails.length).toBeGreaterThan(1)
    // The thumbnails are downloaded in the background as the posts arrive (never asked for here).
    await world.inbox.whenMediaIdle()

    // The network is gone, Postproxy and its media too.
    world.proxy.down()
    await world.sim.close()
    const inbox = await world.restart()
    const offline = await allThreads(world)
    expect(offline.map((t) => [t.comment.id, t.replies.length, t.post?.caption])).toEqual(online.map((t) => [t.comment.id, t.replies.length, t.post?.caption]))
    for (const url of thumbnails) {
      const file = await inbox.mediaFile(decodeURIComponent(url.slice('/media/'.length)))
      expect(file?.mime).toMatch(/^image\//)
    }
    const hits = await inbox.api.searchComments({ query: 'oatmeal' })
    expect(hits).toMatchObject({ ok: true, value: [{ author: { username: 'june.gardens' }, postCaption: expect.stringMatching(/^The spring drop/), snippet: { text: 'Is the oatmeal speckled mug still in stock? 😍' } }] })
    const filtered = await allThreads(world, 'hidden')
    expect(filtered.map((t) => t.comment.author.username)).toEqual(['followers.boost.now'])
    const chats = await inbox.api.listChats({ limit: 200 })
    const hannah = chats.ok ? chats.value.chats.find((c) => c.participant.username === 'hannah.at.home') : undefined
    expect(await inbox.api.commentsOfChat({ chatId: hannah!.id })).toMatchObject({
      ok: true,
      value: [{ comment: { body: 'Need the blush one too, my mug is lonely', privateReply: { state: 'available' } }, post: { caption: expect.stringMatching(/^The spring drop/) } }]
    })
  })
})
