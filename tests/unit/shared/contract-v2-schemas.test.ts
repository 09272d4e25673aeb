// The contract v2 objects (POSTPROXY.md §9): posts, comments (nested and flat), the comment.created
// event, interactive message fields, taps and ice breakers. Unknown keys are kept, absent parts are null.
import { describe, expect, it } from 'vitest'
import {
  AcceptedResponseSchema,
  BulkCommentSchema,
  CommentCreatedDataSchema,
  CommentSchema,
  PostSchema,
  envelopeComment
} from '../../../shared/postproxy-comments.ts'
import { IceBreakersResponseSchema } from '../../../shared/postproxy-interactive.ts'
import {
  ChatSchema,
  INBOX_EVENT_TYPES,
  MessageSchema,
  NON_INBOX_EVENT_TYPES,
  POSTPROXY_EVENT_TYPES,
  ProfileSchema,
  WebhookDeliverySchema,
  WebhookEnvelopeSchema,
  WebhookSchema
} from '../../../shared/postproxy.ts'
import {
  chatFixture,
  commentCreatedFixture,
  commentFixture,
  messageFixture,
  postFixture,
  profileFixture
} from '../../support/postproxy-fixtures.ts'

describe('contract v2 schemas', () => {
  it('parse a post and keep its permalink and unknown keys', () => {
    const post = PostSchema.parse({ ...postFixture(), thread: [], queue_id: null })
    expect(post.platforms?.[0].permalink).toBe('https://www.instagram.com/p/Cx1y2z3/')
    expect(post.thread).toEqual([])
    expect(PostSchema.safeParse({ ...postFixture(), created_at: 'last week' }).success).toBe(false)
  })

  it('parse a top-level comment with nested replies, each kept whole', () => {
    const reply = commentFixture({ id: 'cmt_r1', external_id: '1802', parent_external_id: '18012345678901234', body: 'Yes!', shiny: 1 })
    const comment = CommentSchema.parse({ ...commentFixture(), replies: [reply] })
    expect(comment.replies?.[0].parent_external_id).toBe('18012345678901234')
    expect(comment.replies?.[0].shiny).toBe(1)
    expect(CommentSchema.safeParse({ ...commentFixture(), replies: [{ id: 7 }] }).success).toBe(false)
  })

  it('parse the flat comments of GET /api/comments, which name their post, profile and platform', () => {
    const flat = BulkCommentSchema.parse({ ...commentFixture(), post_id: 'post_k3x9', profile_id: 'prof_abc123', platform: 'instagram' })
    expect(flat.post_id).toBe('post_k3x9')
    expect(BulkCommentSchema.safeParse(commentFixture()).success).toBe(false)
  })

  it('read the comment of a comment.created envelope, flat or under object', () => {
    const data = commentCreatedFixture()
    expect(CommentCreatedDataSchema.parse(data)).toEqual(data)
    const flat = WebhookEnvelopeSchema.parse({ id: 'evt_1', type: 'comment.created', created_at: data.created_at, data })
    const wrapped = WebhookEnvelopeSchema.parse({ id: 'evt_2', object: 'event', type: 'comment.created', created_at: data.created_at, data: { object: data } })
    expect(envelopeComment(flat)?.external_id).toBe('18012345678901234')
    expect(envelopeComment(wrapped)?.author_username).toBe('mila.knits')
    const broken = WebhookEnvelopeSchema.parse({ id: 'evt_3', type: 'comment.created', created_at: data.created_at, data: { id: 'cmt_1' } })
    expect(envelopeComment(broken)).toBeNull()
  })

  it('parse the interactive parts of a message, and null where a message has none', () => {
    const sent = MessageSchema.parse(
      messageFixture({
        direction: 'outbound',
        status: 'published',
        quick_replies: [{ content_type: 'text', title: 'Track order', payload: 'TRACK' }],
        buttons: [{ type: 'web_url', title: 'Shop', url: 'https://shop.example/', payload: null }],
        card: { subtitle: 'Linen, four colours', image_url: 'https://shop.example/a.jpg', default_action: { type: 'web_url', url: 'https://shop.example/' } },
        reply_to_external_id: 'mid.earlier'
      })
    )
    expect(sent.quick_replies?.[0].title).toBe('Track order')
    expect(sent.card?.default_action?.url).toBe('https://shop.example/')
    const tap = MessageSchema.parse(messageFixture({ tapped_action: { kind: 'quick_reply', payload: 'TRACK', title: 'Track order' } }))
    expect(tap.tapped_action).toEqual({ kind: 'quick_reply', payload: 'TRACK', title: 'Track order' })
    const plain = MessageSchema.parse(messageFixture({ quick_replies: null, buttons: null, card: null, tapped_action: null }))
    expect(plain.quick_replies).toBeNull()
    expect(MessageSchema.safeParse(messageFixture({ buttons: [{ type: 'postback' }] })).success).toBe(false)
  })

  it('parse ice breakers, accepted answers and the newer fields of profiles, chats and webhooks', () => {
    expect(IceBreakersResponseSchema.parse({ ice_breakers: [{ question: 'Do you ship?', payload: 'SHIP' }] }).ice_breakers).toHaveLength(1)
    expect(AcceptedResponseSchema.parse({ accepted: true }).accepted).toBe(true)
    expect(ProfileSchema.parse(profileFixture({ post_count: 12 })).post_count).toBe(12)
    expect(ProfileSchema.safeParse(profileFixture()).success).toBe(true)
    expect(ChatSchema.parse(chatFixture({ archived: false })).archived).toBe(false)
    const at = '2026-06-01T10:00:00.000Z'
    expect(WebhookSchema.parse({ id: 'wh_1', url: 'https://x.example/h', events: ['*'], created_at: at, updated_at: at }).updated_at).toBe(at)
    const delivery = { id: 'dlv_1', event_id: 'evt_1', event_type: 'comment.created', response_status: 200, attempt_number: 1, success: true, attempted_at: at, created_at: at }
    expect(WebhookDeliverySchema.parse(delivery).created_at).toBe(at)
  })

  it('list every event type once: the inbox subscribes to DMs and comments, and may be sent the rest', () => {
    expect(new Set(POSTPROXY_EVENT_TYPES).size).toBe(POSTPROXY_EVENT_TYPES.length)
    expect(INBOX_EVENT_TYPES).toContain('comment.created')
    expect(NON_INBOX_EVENT_TYPES).toEqual(expect.arrayContaining(['media.failed', 'profile_comment.created']))
    for (const type of INBOX_EVENT_TYPES) expect(NON_INBOX_EVENT_TYPES as readonly string[]).not.toContain(type)
  })
})
