// The comment cache: idempotent upserts that a late comment.created never undoes, threads (a reply before
// its parent, a reply after), the feed's filters and order, unread marks, search, posts mapping a comment
// to its profile, and the outbox widened to comment actions by a migration that keeps every queued send.
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openDatabase } from '../../../electron/inbox/store/database.ts'
import { MIGRATIONS, openStore, type CommentInput } from '../../../electron/inbox/store/index.ts'
import { at, makeChat, makeMessage, makeTempDir, openTempStore, type TempStore } from './store-fixtures.ts'
import { join } from 'node:path'
import { rmSync } from 'node:fs'

let temp: TempStore
beforeEach(() => {
  temp = openTempStore()
  temp.store.posts.upsertPosts([post('post_1', 'prof_1')])
})
afterEach(() => temp.cleanup())

function post(id: string, profileId: string | null) {
  return { id, profileId, platform: 'instagram', caption: `Caption of ${id}`, permalink: `https://www.instagram.com/p/${id}/`, imageKey: `img_${id}`, imageUrl: `https://cdn.example/${id}.jpg`, createdAt: at(0), raw: { id } }
}

function comment(id: string, overrides: Partial<CommentInput> = {}): CommentInput {
  return {
    id,
    externalId: `ext_${id}`,
    postId: 'post_1',
    profileId: 'prof_1',
    platform: 'instagram',
    parentExternalId: null,
    body: `comment ${id}`,
    authorExternalId: `igsid_${id}`,
    authorUsername: `user_${id}`,
    authorName: null,
    authorAvatarUrl: null,
    likeCount: 0,
    likedByBusiness: false,
    isHidden: false,
    isOwn: false,
    permalink: null,
    postedAt: at(1),
    createdAt: at(1),
    raw: { id },
    ...overrides
  }
}

const current = { source: 'current' as const, unread: () => true }
const feedIds = (filter: 'all' | 'unanswered' | 'hidden' | 'has_chat' = 'all') =>
  temp.store.comments.feed({ profileId: 'prof_1', filter, limit: 50 }).roots.map((c) => c.id)

describe('comments', () => {
  it('upserts idempotently; a late comment.created fills gaps but never undoes a newer read', () => {
    const first = temp.store.comments.upsertComments([comment('c1', { likeCount: 3, likedByBusiness: true })], current)
    expect(first).toEqual({ inserted: ['c1'], updated: [] })
    expect(temp.store.comments.upsertComments([comment('c1', { likeCount: 3, likedByBusiness: true })], current)).toEqual({ inserted: [], updated: [] })

    // The webhook of the comment's creation arrives late: like count 0, no like state, but the author's name.
    const late = temp.store.comments.upsertComments(
      [comment('c1', { likeCount: 0, likedByBusiness: null, authorName: 'Jane Doe', profileId: null })],
      { source: 'created', unread: () => true }
    )
    expect(late).toEqual({ inserted: [], updated: ['c1'] })
    expect(temp.store.comments.get('c1')).toMatchObject({ likeCount: 3, likedByBusiness: true, authorName: 'Jane Doe', profileId: 'prof_1' })
    // … and the same event again changes nothing.
    expect(temp.store.comments.upsertComments([comment('c1', { authorName: 'Jane Doe' })], { source: 'created', unread: () => true })).toEqual({ inserted: [], updated: [] })
  })

  it('takes a comment.created without a profile from its post, and one on an unknown post once the post arrives', () => {
    temp.store.comments.upsertComments([comment('c1', { profileId: null })], { source: 'created', unread: () => true })
    expect(temp.store.comments.get('c1')?.profileId).toBe('prof_1')

    temp.store.comments.upsertComments([comment('c2', { profileId: null, postId: 'post_new' })], { source: 'created', unread: () => true })
    expect(temp.store.comments.get('c2')?.profileId).toBeNull()
    expect(temp.store.comments.postsWaitingForProfile()).toEqual(['post_new'])
    expect(feedIds()).toEqual(['c1'])
    temp.store.posts.upsertPosts([post('post_new', 'prof_1')])
    expect(temp.store.comments.get('c2')?.profileId).toBe('prof_1')
    expect(temp.store.comments.postsWaitingForProfile()).toEqual([])
  })

  it('threads replies under their comment, whichever arrives first, ordered by the thread’s newest activity', () => {
    temp.store.comments.upsertComments([comment('old', { createdAt: at(1) }), comment('other', { createdAt: at(5) })], current)
    // A reply whose parent the cache does not have yet is listed on its own…
    temp.store.comments.upsertComments([comment('orphan', { parentExternalId: 'ext_late', createdAt: at(20) })], current)
    expect(feedIds()).toEqual(['orphan', 'other', 'old'])
    // … until the parent arrives and takes it in.
    temp.store.comments.upsertComments([comment('late', { createdAt: at(2) })], current)
    expect(feedIds()).toEqual(['late', 'other', 'old'])
    // A new reply to the oldest comment brings its thread to the top.
    temp.store.comments.upsertComments([comment('reply', { parentExternalId: 'ext_old', createdAt: at(30) })], current)
    expect(feedIds()).toEqual(['old', 'late', 'other'])
    expect(temp.store.comments.replies(['ext_old', 'ext_late']).map((c) => c.id)).toEqual(['orphan', 'reply'])
    expect(temp.store.comments.rootOf(temp.store.comments.get('reply')!).id).toBe('old')
  })

  it('pages the feed with a cursor', () => {
    temp.store.comments.upsertComments(Array.from({ length: 5 }, (_, i) => comment(`c${i}`, { createdAt: at(i) })), current)
    const first = temp.store.comments.feed({ profileId: 'prof_1', filter: 'all', limit: 2 })
    const second = temp.store.comments.feed({ profileId: 'prof_1', filter: 'all', limit: 2, after: first.next })
    const third = temp.store.comments.feed({ profileId: 'prof_1', filter: 'all', limit: 2, after: second.next })
    expect([first, second, third].map((p) => p.roots.map((c) => c.id))).toEqual([['c4', 'c3'], ['c2', 'c1'], ['c0']])
    expect(third.next).toBeNull()
  })

  it('filters: unanswered (no own reply, no private reply), hidden (or a hidden reply), from people with a chat', () => {
    temp.store.chats.upsertChats([makeChat({ id: 'chat_b', profile_id: 'prof_1', participant_external_id: 'igsid_b' })])
    temp.store.comments.upsertComments(
      [
        comment('a'),
        comment('b', { createdAt: at(2) }),
        comment('c', { createdAt: at(3), isHidden: true }),
        comment('d', { createdAt: at(4) }),
        comment('mine', { createdAt: at(5), isOwn: true }),
        comment('d_reply', { parentExternalId: 'ext_d', isOwn: true, createdAt: at(6) }),
        comment('a_reply', { parentExternalId: 'ext_a', isHidden: true, createdAt: at(7) })
      ],
      current
    )
    // b got a private reply: a message naming its Instagram id.
    temp.store.messages.upsertMessages([makeMessage({ id: 'msg_pr', chat_id: 'chat_b', direction: 'outbound', status: 'published', external_comment_id: 'ext_b' })])
    expect(feedIds('unanswered')).toEqual(['a', 'c'])
    expect(feedIds('hidden')).toEqual(['a', 'c'])
    expect(feedIds('has_chat')).toEqual(['b'])
    expect(temp.store.comments.privateReplyMessage('ext_b')).toEqual({ messageId: 'msg_pr', chatId: 'chat_b' })
    expect(temp.store.comments.chatsWith('prof_1', ['igsid_b', 'igsid_a'])).toEqual(new Map([['igsid_b', { chatId: 'chat_b', lastInboundAt: null }]]))
  })

  it('counts unread comments per profile (never the creator’s own) until they are seen', () => {
    temp.store.comments.upsertComments([comment('a'), comment('mine', { isOwn: true })], current)
    temp.store.comments.upsertComments([comment('old')], { source: 'current', unread: () => false })
    expect(temp.store.comments.unreadCount('prof_1')).toBe(1)
    expect(temp.store.comments.markAllSeen('prof_1')).toBe(1)
    expect(temp.store.comments.unreadCount('prof_1')).toBe(0)
  })

  it('finds comments by their words, newest first, with a snippet', () => {
    temp.store.comments.upsertComments(
      [comment('a', { body: 'Do you ship to Italy?' }), comment('b', { body: 'Shipping to Spain too?', createdAt: at(9) }), comment('c', { body: 'Love it' })],
      current
    )
    expect(temp.store.comments.search('ship', { profileId: 'prof_1', limit: 10 }).map((hit) => [hit.comment.id, hit.snippet.highlights])).toEqual([
      ['b', [[0, 4]]],
      ['a', [[7, 11]]]
    ])
    temp.store.comments.upsertComments([comment('a', { body: 'edited away' })], current)
    expect(temp.store.comments.search('italy', { profileId: 'prof_1', limit: 10 })).toEqual([])
  })

  it('records what an accepted hide or like did', () => {
    temp.store.comments.upsertComments([comment('a', { likeCount: 2 })], current)
    temp.store.comments.applyAction('a', { liked: true })
    temp.store.comments.applyAction('a', { liked: true })
    temp.store.comments.applyAction('a', { hidden: true })
    expect(temp.store.comments.get('a')).toMatchObject({ likeCount: 3, likedByBusiness: true, isHidden: true })
  })

  it('serves a post image by its media key, for the thumbnail route', () => {
    expect(temp.store.posts.imageByKey('img_post_1')).toEqual({ id: 'img_post_1', type: 'image', url: 'https://cdn.example/post_1.jpg' })
    expect(temp.store.posts.imageByKey('att_unknown')).toBeNull()
  })
})

describe('the outbox widened to comment actions (migration 3)', () => {
  it('keeps every send queued before the upgrade, in its chat’s lane, with its key, state and extras', () => {
    const dir = makeTempDir()
    const path = join(dir, 'inbox.db')
    try {
      // A version-2 cache (as the previous release left it: outbox extras) with a queued interactive send and a failed one.
      const v2 = openDatabase(path, { migrations: MIGRATIONS.slice(0, 2) })
      v2.connection.exec(`
        INSERT INTO chats (id, profile_id, platform, participant_external_id, created_at, raw, activity_ms, updated_at_ms)
          VALUES ('chat_a', 'prof_1', 'instagram', 'igsid_a', '2026-01-01T00:00:00.000Z', '{}', 0, 0);
        INSERT INTO outbox (local_id, chat_id, kind, body, extras, idempotency_key, state, created_at_ms, next_attempt_at_ms, updated_at_ms)
          VALUES ('l1', 'chat_a', 'text', 'first', '{"reply_to_external_id":"mid.1","quick_replies":[{"title":"Yes","payload":"YES"}]}', 'k1', 'queued', 1, 1, 1),
                 ('l2', 'chat_a', 'text', 'second', NULL, 'k2', 'failed', 2, 2, 2);
      `)
      v2.close()

      const v3 = openStore(path)
      expect(v3.outbox.list().map((i) => [i.localId, i.lane, i.kind, i.idempotencyKey, i.state, i.body, i.extras])).toEqual([
        ['l1', 'chat:chat_a', 'text', 'k1', 'queued', 'first', { reply_to_external_id: 'mid.1', quick_replies: [{ title: 'Yes', payload: 'YES' }] }],
        ['l2', 'chat:chat_a', 'text', 'k2', 'failed', 'second', null]
      ])
      const action = v3.outbox.enqueueAction({ localId: 'a1', kind: 'hide_comment', lane: 'comment:c1', idempotencyKey: 'k3', body: null, payload: { commentId: 'c1', postId: 'p', profileId: 'prof_1' } })
      expect(action).toMatchObject({ seq: 3, chatId: null, lane: 'comment:c1', payload: { commentId: 'c1', postId: 'p', profileId: 'prof_1' } })
      // Lanes never wait for each other: the chat's queued send and the comment's action are both due.
      expect(v3.outbox.dueSends(Number.MAX_SAFE_INTEGER).map((i) => i.localId)).toEqual(['l1', 'a1'])
      v3.close()
      const raw = new Database(path)
      // An action without its payload, or a message without its chat, is refused by the table itself.
      const insert = (kind: string, body: string | null) =>
        raw
          .prepare("INSERT INTO outbox (local_id, lane, kind, body, idempotency_key, state, created_at_ms, next_attempt_at_ms, updated_at_ms) VALUES (?, 'x', ?, ?, ?, 'queued', 0, 0, 0)")
          .run(`l_${kind}`, kind, body, `k_${kind}`)
      expect(() => insert('like_comment', null)).toThrow(/CHECK constraint failed/)
      expect(() => insert('text', 'no chat')).toThrow(/CHECK constraint failed/)
      raw.close()
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
