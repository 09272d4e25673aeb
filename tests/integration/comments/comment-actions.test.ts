// Every action on a comment goes through the durable outbox, with its own Idempotency-Key, through the real
// core, and has exactly one effect on the simulator whatever happens on the way: a connection dropped after
// the server acted, 5xx storms, a 429, a restart of the core mid-request, the network gone for a while.
// Refusals Instagram would make (7 days, once per comment) are said in plain words before anything is sent;
// the ones only Postproxy knows come back in its words and are not retried.
import { afterEach, describe, expect, it } from 'vitest'
import type { CommentItem, CommentThread } from '../../../shared/inbox-api.ts'
import { createPostproxyClient } from '../../../electron/inbox/postproxy/index.ts'
import { commentsWorld, requestsTo, serverComments, signedIn, threadOf, type CommentsWorld } from './comments-world.ts'

let world: CommentsWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

const SAM = 'Is it beginner friendly?'
const PIA = 'The third tile, obviously'
const JUNE = 'Is the oatmeal speckled mug'
const MATTEO = 'Do you ship to Italy?'
const ANA = 'The suspense!!'
const LENA = 'cobalt cobalt cobalt'

function ok<T>(result: { ok: true; value: T } | { ok: false; error: { message: string } }): T {
  if (!result.ok) throw new Error(result.error.message)
  return result.value
}

/** Waits until the thread of `text` satisfies `check`. */
function untilThread(w: CommentsWorld, text: string, check: (thread: CommentThread) => boolean): Promise<CommentThread> {
  return w.untilComments(async () => {
    const thread = await threadOf(w, text)
    return check(thread) ? thread : null
  })
}

const settled = (item: CommentItem) => item.pending.length === 0 && item.privateReply.state !== 'queued' && item.privateReply.state !== 'sending'

describe('private reply', () => {
  it('reaches the commenter once despite a dropped connection, opens their chat, and is marked on the message', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim, inbox } = world
    const sam = await threadOf(world, SAM)
    expect(sam.comment.privateReply).toEqual({ state: 'available', closesAt: expect.any(String) })
    expect(sam.comment.chat).toBeNull()

    sim.faults.add({ kind: 'drop_connection', count: 1 })
    const queued = ok(await inbox.api.privateReply({ commentId: sam.comment.id, text: 'Yes! Total beginners welcome 🏺' }))
    expect(['queued', 'sending']).toContain(queued.privateReply.state)

    const done = await untilThread(world, SAM, (t) => t.comment.privateReply.state === 'used' && t.comment.privateReply.chatId !== null)
    const used = done.comment.privateReply as Extract<CommentItem['privateReply'], { state: 'used' }>
    expect(done.answered).toBe(true)
    expect(requestsTo(world, 'POST', '/private_reply').map((r) => r.status)).toEqual([null, 202])

    // Ground truth: one private reply, on the comment, in the chat it created with Sam.
    const server = serverComments(world).find((c) => c.id === sam.comment.id)!
    expect(server.reply_message_id).not.toBeNull()
    const sent = sim.control.listMessages(sim.account, used.chatId!, 50).filter((m) => m.external_comment_id === server.external_id)
    expect(sent.map((m) => m.body)).toEqual(['Yes! Total beginners welcome 🏺'])

    // The chat is in the inbox, and its message says what it answers.
    const chats = ok(await inbox.api.listChats({ limit: 200 }))
    expect(chats.chats.find((c) => c.id === used.chatId)?.participant.username).toBe('sam.kiln')
    const thread = ok(await inbox.api.getThread({ chatId: used.chatId! }))
    expect(thread.messages.find((m) => m.id === used.messageId)).toMatchObject({
      body: 'Yes! Total beginners welcome 🏺',
      privateReplyTo: { commentId: sam.comment.id, text: 'Is it beginner friendly? Never touched a wheel 🙈' }
    })

    // Once per comment: refused in plain words, nothing more on the wire.
    expect(await inbox.api.privateReply({ commentId: sam.comment.id, text: 'One more thing' })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: 'This comment already has a private reply. Instagram allows one private reply per comment.' }
    })
    expect(requestsTo(world, 'POST', '/private_reply')).toHaveLength(2)
  })

  it('refuses a comment older than 7 days in plain words, before anything is sent', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const ana = await threadOf(world, ANA)
    expect(ana.comment.privateReply).toEqual({ state: 'too_old', reason: 'This comment is 19 days old. Instagram allows a private reply only within 7 days of a comment.' })
    expect(await world.inbox.api.privateReply({ commentId: ana.comment.id, text: 'Here it is!' })).toEqual({
      ok: false,
      error: { code: 'window_closed', message: 'This comment is 19 days old. Instagram allows a private reply only within 7 days of a comment.' }
    })
    expect(requestsTo(world, 'POST', '/private_reply')).toEqual([])
    expect(world.inbox.cache.outbox.list()).toEqual([])
  })

  it('a reply Postproxy refuses (one was sent from elsewhere) fails in its words, is not offered again, and the sync shows the one that was sent', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim, inbox } = world
    const june = await threadOf(world, JUNE)
    // Another device answered June privately a moment ago.
    await createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey }).privateReply(june.post!.id, june.comment.id, sim.profileId, 'From my phone: yes, in stock!')

    ok(await inbox.api.privateReply({ commentId: june.comment.id, text: 'Yes, still in stock!' }))
    const failed = await untilThread(world, JUNE, (t) => t.comment.privateReply.state === 'failed')
    expect(failed.comment.privateReply).toEqual({
      state: 'failed',
      localId: expect.any(String),
      reason: expect.stringMatching(/already has a private reply/),
      retryable: false
    })
    expect(requestsTo(world, 'POST', '/private_reply').map((r) => r.status)).toEqual([422])
    expect(serverComments(world).find((c) => c.id === june.comment.id)!.reply_message_id).not.toBeNull()

    // Once Instagram has it (the simulator publishes after its delay), the next sync brings the chat and the
    // reply that was sent: the comment shows it as used.
    sim.clock.advance(5_000)
    await inbox.api.syncNow()
    const used = await untilThread(world, JUNE, (t) => t.comment.privateReply.state === 'used')
    expect(used.comment.privateReply).toMatchObject({ state: 'used', chatId: expect.any(String) })
  })

  it('survives a restart of the core while the request is in flight: one reply', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim } = world
    const pia = await threadOf(world, PIA)
    sim.faults.add({ kind: 'stall', count: 1 })
    ok(await world.inbox.api.privateReply({ commentId: pia.comment.id, text: 'Celadon it is! Details by DM.' }))
    await sim.faults.whenStalled()

    // The app quits mid-request; Postproxy goes on and carries it out; the app starts again.
    await world.restart(() => void sim.faults.release())
    await untilThread(world, PIA, (t) => t.comment.privateReply.state === 'used')
    const server = serverComments(world).find((c) => c.id === pia.comment.id)!
    const chatId = sim.state.chatWithParticipant(sim.account, sim.profileId, server.author_external_id)!.id
    expect(sim.control.listMessages(sim.account, chatId, 50).filter((m) => m.body === 'Celadon it is! Details by DM.')).toHaveLength(1)
  })
})

describe('public reply, hide and like', () => {
  it('a public reply lands once despite a dropped connection, and shows in the thread as the creator’s', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim, inbox } = world
    const matteo = await threadOf(world, MATTEO)
    expect(matteo.answered).toBe(false)
    sim.faults.add({ kind: 'drop_connection', count: 1 })
    const queued = ok(await inbox.api.replyToComment({ commentId: matteo.comment.id, text: 'We do! Shipping to Italy takes 5 days 🇮🇹' }))
    expect(queued.pending).toMatchObject([{ kind: 'public_reply', text: 'We do! Shipping to Italy takes 5 days 🇮🇹' }])

    const done = await untilThread(world, MATTEO, (t) => settled(t.comment) && t.replies.some((r) => r.isOwn))
    expect(done.replies.map((r) => [r.body, r.isOwn])).toEqual([['We do! Shipping to Italy takes 5 days 🇮🇹', true]])
    expect(done.answered).toBe(true)
    expect(serverComments(world).filter((c) => c.body === 'We do! Shipping to Italy takes 5 days 🇮🇹')).toHaveLength(1)
    expect(requestsTo(world, 'POST', `/posts/${matteo.post!.id}/comments`).map((r) => r.status)).toEqual([null, 201])
    // A reply over Instagram's limit is refused before it is queued.
    expect(await inbox.api.replyToComment({ commentId: matteo.comment.id, text: 'x'.repeat(2201) })).toMatchObject({
      ok: false,
      error: { code: 'invalid_argument', message: expect.stringContaining('at most 2,200 characters') }
    })
  })

  it('hide and like show at once, ride out a 5xx storm and a 429, and end as one change each on the server', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim, inbox } = world
    const lena = await threadOf(world, LENA)
    const likesBefore = lena.comment.likeCount

    sim.faults.add({ kind: 'server_error', count: 3, status: 503 })
    const hidden = ok(await inbox.api.setCommentHidden({ commentId: lena.comment.id, hidden: true }))
    expect(hidden).toMatchObject({ isHidden: true, pending: [{ kind: 'hide' }] })
    // The storm outlasts one attempt (two tries each); the network "coming back" sends it now instead of in 5 s.
    await world.untilComments(async () => {
      const item = (await threadOf(world!, LENA)).comment
      if (item.pending.some((p) => p.state === 'queued')) world!.online()
      return item.pending.length === 0 ? item : null
    })
    expect(serverComments(world).find((c) => c.id === lena.comment.id)!.is_hidden).toBe(true)
    expect(requestsTo(world, 'POST', '/hide').map((r) => r.status)).toEqual([503, 503, 503, 200])

    // Someone else's request used up the key's allowance for the next few seconds (the client then holds
    // every request of the key until Postproxy's Retry-After has passed).
    sim.rateLimiter.configure({ limit: 1, windowMs: 3_000 })
    await createPostproxyClient({ baseUrl: sim.url, apiKey: sim.apiKey }).listProfiles()
    const liked = ok(await inbox.api.setCommentLiked({ commentId: lena.comment.id, liked: true }))
    expect(liked).toMatchObject({ likedByYou: true, likeCount: likesBefore + 1 })
    await world.untilComments(async () => {
      const item = (await threadOf(world!, LENA)).comment
      if (item.pending.some((p) => p.state === 'queued') && requestsTo(world!, 'POST', '/like').some((r) => r.status === 429)) {
        // Postproxy said when to come back: the limit's window passes, and the app tries again.
        sim.rateLimiter.configure(null)
        world!.online()
      }
      return item.pending.length === 0 ? item : null
    })
    const server = serverComments(world).find((c) => c.id === lena.comment.id)!
    expect([server.liked_by_business, server.like_count]).toEqual([true, likesBefore + 1])
    expect(requestsTo(world, 'POST', '/like').map((r) => r.status)).toContain(429)
    expect(requestsTo(world, 'POST', '/like').filter((r) => r.status === 200)).toHaveLength(1)

    // Asking for what already is queues nothing; undoing works the same way.
    const again = ok(await inbox.api.setCommentLiked({ commentId: lena.comment.id, liked: true }))
    expect(again.pending).toEqual([])
    ok(await inbox.api.setCommentLiked({ commentId: lena.comment.id, liked: false }))
    ok(await inbox.api.setCommentHidden({ commentId: lena.comment.id, hidden: false }))
    await untilThread(world, LENA, (t) => settled(t.comment))
    expect(serverComments(world).find((c) => c.id === lena.comment.id)).toMatchObject({ is_hidden: false, liked_by_business: false, like_count: likesBefore })
  })

  it('waits while offline, across a restart, and goes out once when the network returns', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const { sim } = world
    const lena = await threadOf(world, LENA)
    world.proxy.down()
    ok(await world.inbox.api.setCommentLiked({ commentId: lena.comment.id, liked: true }))
    ok(await world.inbox.api.privateReply({ commentId: lena.comment.id, text: 'Cobalt is coming back next week!' }))
    await world.restart()
    const waiting = await threadOf(world, LENA)
    // The like probes the network (and waits again); the private reply waits behind it, on the same comment.
    expect(waiting.comment).toMatchObject({ likedByYou: true, pending: [{ kind: 'like', state: expect.stringMatching(/^(queued|sending)$/) }], privateReply: { state: 'queued' } })

    world.proxy.up()
    world.online()
    await untilThread(world, LENA, (t) => settled(t.comment) && t.comment.privateReply.state === 'used')
    const server = serverComments(world).find((c) => c.id === lena.comment.id)!
    expect(server.liked_by_business).toBe(true)
    const chatId = sim.state.chatWithParticipant(sim.account, sim.profileId, server.author_external_id)!.id
    expect(sim.control.listMessages(sim.account, chatId, 100).filter((m) => m.body === 'Cobalt is coming back next week!')).toHaveLength(1)
  })

  it('refuses hiding the creator’s own comment in plain words', async () => {
    world = await commentsWorld()
    await signedIn(world)
    const maya = await threadOf(world, 'Ordered mine!!')
    const own = maya.replies.find((r) => r.isOwn)!
    expect(own.privateReply).toEqual({ state: 'not_possible', reason: 'This is your own comment. A private reply goes to the person who commented.' })
    expect(await world.inbox.api.setCommentHidden({ commentId: own.id, hidden: true })).toEqual({
      ok: false,
      error: { code: 'invalid_argument', message: "Instagram doesn't let you hide your own comments. Delete it on Instagram instead." }
    })
  })
})
