// The two halves linked, through the real core: a chat whose window is closed shows its person's recent
// comments that can still take a private reply, and the window's explanations offer that way only when such
// a comment exists; a private reply sent from there lands in the chat, marked. And "New chat" by
// Instagram-scoped ID finds or creates the chat, which Instagram still lets the creator write in only later.
import { afterEach, expect, it } from 'vitest'
import type { ChatSummary } from '../../../shared/inbox-api.ts'
import { commentsWorld, signedIn, type CommentsWorld } from './comments-world.ts'

let world: CommentsWorld | undefined
afterEach(async () => {
  await world?.close()
  world = undefined
})

async function chatOf(w: CommentsWorld, username: string): Promise<ChatSummary> {
  const chats = await w.inbox.api.listChats({ limit: 200 })
  const chat = chats.ok ? chats.value.chats.find((c) => c.participant.username === username) : undefined
  if (!chat) throw new Error(`no chat with @${username}`)
  return chat
}

it('offers a private reply in a closed chat only when a recent comment can take one, and sends it from there', async () => {
  world = await commentsWorld()
  await signedIn(world)
  const { sim, inbox } = world
  // Grace wrote 2 days ago: only a human-agent reply reaches her, and she has no comment.
  const grace = await chatOf(world, 'grace.collects')
  expect(await inbox.api.commentsOfChat({ chatId: grace.id })).toEqual({ ok: true, value: [] })
  const before = await inbox.api.sendText({ chatId: grace.id, text: 'Still interested?' })
  expect(before).toMatchObject({ ok: false, error: { code: 'window_closed' } })
  expect(!before.ok && before.error.message).not.toMatch(/private reply|privately/)

  // She comments on the workshop post: now a private reply is the way, and the refusal says so.
  const comment = sim.control.createComment(sim.account, sim.profileId, { participant_external_id: grace.participant.externalId, text: 'Is Saturday still open?' })
  await inbox.api.syncNow()
  const reachable = await inbox.api.commentsOfChat({ chatId: grace.id })
  expect(reachable).toMatchObject({ ok: true, value: [{ comment: { id: comment.id, body: 'Is Saturday still open?', privateReply: { state: 'available' } }, post: { caption: expect.stringMatching(/^Wheel-throwing/) } }] })
  const withComment = await inbox.api.sendText({ chatId: grace.id, text: 'Still interested?' })
  expect(!withComment.ok && withComment.error.message).toMatch(/or reply privately to their recent comment\.$/)

  // The one-click private reply from the chat.
  expect(await inbox.api.privateReply({ commentId: comment.id, text: 'Yes! One spot left for you.' })).toMatchObject({ ok: true })
  const sent = await world.untilComments(async () => {
    const thread = await inbox.api.getThread({ chatId: grace.id })
    return thread.ok ? thread.value.messages.find((m) => m.privateReplyTo !== null && m.body === 'Yes! One spot left for you.') : null
  })
  expect(sent.privateReplyTo).toEqual({ commentId: comment.id, text: 'Is Saturday still open?' })
  expect(await inbox.api.commentsOfChat({ chatId: grace.id })).toEqual({ ok: true, value: [] })
  // Used: the refusal stops offering it.
  const after = await inbox.api.sendText({ chatId: grace.id, text: 'Still interested?' })
  expect(!after.ok && after.error.message).not.toMatch(/private reply|privately/)
  expect(sim.control.listMessages(sim.account, grace.id, 100).filter((m) => m.external_comment_id === serverExternalId(world!, comment.id))).toHaveLength(1)
})

it('shows, on a commenter with a chat, the chat and where its window stands', async () => {
  world = await commentsWorld()
  await signedIn(world)
  const hannah = await chatOf(world, 'hannah.at.home')
  const threads = await world.inbox.api.listComments({ filter: 'has_chat', limit: 50 })
  expect(threads.ok && threads.value.threads.map((t) => [t.comment.author.username, t.comment.chat?.chatId])).toContainEqual(['hannah.at.home', hannah.id])
  const thread = threads.ok ? threads.value.threads.find((t) => t.comment.author.username === 'hannah.at.home') : undefined
  expect(thread?.comment.chat).toEqual({ chatId: hannah.id, lastInboundAt: hannah.lastInboundAt })
  expect(threads.ok && threads.value.threads.every((t) => t.comment.chat !== null)).toBe(true)
})

it('starts a chat by Instagram-scoped ID (found again the second time), where only a private reply or their message opens the window', async () => {
  world = await commentsWorld()
  await signedIn(world)
  const { sim, inbox } = world
  const created = await inbox.api.startChat({ participantExternalId: ' 17841400000000123 ', username: '@new.person', name: 'New Person' })
  expect(created).toMatchObject({ ok: true, value: { participant: { externalId: '17841400000000123', username: 'new.person', name: 'New Person' }, lastInboundAt: null } })
  const chatId = created.ok ? created.value.id : ''
  expect(sim.control.listChats(sim.account, sim.profileId).filter((c) => c.participant_external_id === '17841400000000123').map((c) => c.id)).toEqual([chatId])
  expect(await inbox.api.startChat({ participantExternalId: '17841400000000123' })).toMatchObject({ ok: true, value: { id: chatId } })
  expect((await chatOf(world, 'new.person')).id).toBe(chatId)

  const refused = await inbox.api.sendText({ chatId, text: 'Hi!' })
  expect(refused).toEqual({
    ok: false,
    error: { code: 'window_closed', message: "@new.person hasn't messaged you yet, so Instagram won't deliver a message. You can write once they message you (none of their comments from the last 7 days can take a private reply)." }
  })
  expect(await inbox.api.startChat({ participantExternalId: '@jane' })).toEqual({
    ok: false,
    error: { code: 'invalid_argument', message: 'An Instagram-scoped ID has only letters, digits, "_", "-" and "."; it is not a @username.' }
  })
})

function serverExternalId(w: CommentsWorld, commentId: string): string {
  return w.sim.state.posts.allComments(w.sim.account).find((c) => c.id === commentId)!.external_id
}
