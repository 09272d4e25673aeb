// A new comment arrives live: the simulator's signed comment.created crosses a real relay into the real core,
// is stored exactly once (the comment, the event id and the relay cursor in one transaction) and announced
// once; the same event delivered again (Postproxy retrying, a second webhook during a secret rotation)
// changes nothing; a comment on a post the app has never seen still lands on its profile.
import { afterEach, expect, it } from 'vitest'
import { COMMENT_CREATED_EVENT } from '../../../shared/postproxy.ts'
import { postproxySignatureHeader } from '../../../electron/inbox/postproxy/index.ts'
import type { RelayHandle } from '../../../relay/index.ts'
import { commentCreatedData } from '../../../simulator/comment-records.ts'
import { allThreads, commentsWorld, pairedWithRelay, signedIn, type CommentsWorld } from './comments-world.ts'

const ADMIN_TOKEN = 'comments-live-test-admin-token-42'

let world: CommentsWorld | undefined
let relay: RelayHandle | undefined
afterEach(async () => {
  await world?.close()
  await relay?.close()
  world = undefined
  relay = undefined
})

async function pairedWorld(): Promise<CommentsWorld> {
  const w = await commentsWorld({ retryDelayScale: 0.001 })
  await signedIn(w)
  relay = await pairedWithRelay(w, ADMIN_TOKEN)
  return w
}

/** POSTs a comment.created envelope to the relay's ingest URL, signed with the webhook's secret, as Postproxy does. */
async function deliver(w: CommentsWorld, envelope: Record<string, unknown>): Promise<void> {
  const [webhook] = w.sim.webhooks.list(w.sim.account)
  const secret = await w.secrets.get(`webhook-secret:${webhook.id}`)
  const body = JSON.stringify(envelope)
  const response = await fetch(webhook.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-postproxy-event': COMMENT_CREATED_EVENT,
      'x-postproxy-delivery': `dlv_${Math.random().toString(36).slice(2)}`,
      'x-postproxy-signature': postproxySignatureHeader(secret!, Math.floor(Date.now() / 1000), body)
    },
    body
  })
  expect(response.status).toBeLessThan(300)
}

it('applies a live comment exactly once, also when the same event is delivered twice', async () => {
  world = await pairedWorld()
  const { sim, inbox } = world

  // Through the whole pipeline: the simulator signs and posts, the relay stores and streams.
  const announced = world.nextEvent('new-comment', (e) => e.preview === 'Live from the relay!')
  const comment = sim.control.createComment(sim.account, sim.profileId, { participant_external_id: 'igsid_live_fan', participant_username: 'live.fan', text: 'Live from the relay!' })
  expect(await announced).toEqual({ commentId: comment.id, author: 'live.fan', preview: 'Live from the relay!' })
  const [top] = await allThreads(world)
  expect(top.comment).toMatchObject({ id: comment.id, unread: true, privateReply: { state: 'available' }, author: { username: 'live.fan' } })
  expect(top.post?.caption).toMatch(/^Wheel-throwing workshop/)

  // The same event again (Postproxy retrying it), then a sentinel: once the sentinel is in, the repeat was consumed.
  const post = sim.state.posts.post(sim.account, comment.post_id)!
  const again = { id: 'evt_comment_twice', object: 'event', type: COMMENT_CREATED_EVENT, created_at: new Date().toISOString(), data: commentCreatedData({ ...comment, id: 'cmt_twice', external_id: '17800000000000001', body: 'Said twice?' }, post, 0) }
  const sentinel = { ...again, id: 'evt_sentinel', data: commentCreatedData({ ...comment, id: 'cmt_sentinel', external_id: '17800000000000002', body: 'Sentinel' }, post, 0) }
  await deliver(world, again)
  await deliver(world, again)
  await deliver(world, sentinel)
  await world.nextEvent('new-comment', (e) => e.commentId === 'cmt_sentinel')

  const announcements = world.events.filter((e) => e.name === 'new-comment').map((e) => (e.payload as { commentId: string }).commentId)
  expect(announcements).toEqual([comment.id, 'cmt_twice', 'cmt_sentinel'])
  const rows = inbox.cache.comments.feed({ profileId: sim.profileId, filter: 'all', limit: 200 }).roots.filter((c) => c.id === 'cmt_twice')
  expect(rows).toHaveLength(1)
  expect(inbox.cache.webhookEvents.isProcessed('evt_comment_twice')).toBe(true)
  expect(await inbox.api.getCommentCounts()).toEqual({ ok: true, value: { unread: 6 } })
})

it('a live comment on a post the app has never seen is fetched and shown on its profile', async () => {
  world = await pairedWorld()
  const { sim } = world
  const post = sim.control.createPost(sim.account, sim.profileId, { caption: 'Brand new mugs, fresh from the kiln' })
  const announced = world.nextEvent('new-comment', (e) => e.preview === 'First!')
  const comment = sim.control.createComment(sim.account, sim.profileId, { participant_external_id: 'igsid_first', participant_username: 'first.fan', text: 'First!', post_id: post.id })
  await announced
  const [top] = await allThreads(world)
  expect(top).toMatchObject({ comment: { id: comment.id }, post: { id: post.id, caption: 'Brand new mugs, fresh from the kiln', thumbnailUrl: expect.stringMatching(/^\/media\//) } })
})
