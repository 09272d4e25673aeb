import { describe, expect, it } from 'vitest'
import {
  ChatSchema,
  MessageSchema,
  ProfileListSchema,
  MessagePageSchema,
  WebhookEnvelopeSchema,
  envelopeMessage,
  errorBodyMessage
} from '../../../shared/postproxy.ts'
import { chatFixture as chatFixtureOf, messageFixture as messageFixtureOf } from '../../support/postproxy-fixtures.ts'

// The SDK fixtures quoted in POSTPROXY.md §4.
const chatFixture = chatFixtureOf()
const messageFixture = messageFixtureOf()

describe('shared Postproxy schemas', () => {
  it('parse the SDK fixtures', () => {
    expect(ChatSchema.parse(chatFixture)).toEqual(chatFixture)
    expect(MessageSchema.parse(messageFixture)).toEqual(messageFixture)
  })

  it('keep unknown keys instead of dropping them', () => {
    const chat = ChatSchema.parse({ ...chatFixture, brand_new_field: { nested: 1 }, metadata: { ...chatFixture.metadata, shiny: true } })
    expect(chat.brand_new_field).toEqual({ nested: 1 })
    expect(chat.metadata?.shiny).toBe(true)
  })

  it('accept nulls and partial participant signals where the contract allows them', () => {
    expect(ChatSchema.safeParse({ ...chatFixture, metadata: null, last_inbound_at: null, participant_username: null }).success).toBe(true)
    expect(ChatSchema.safeParse({ ...chatFixture, metadata: { follower_count: 12 } }).success).toBe(true)
    const pending = { ...messageFixture, direction: 'outbound', status: 'pending', external_id: null, external_posted_at: null, reactions: null, attachments: null }
    expect(MessageSchema.safeParse(pending).success).toBe(true)
  })

  it('reject malformed objects', () => {
    expect(MessageSchema.safeParse({ ...messageFixture, direction: 'sideways' }).success).toBe(false)
    expect(MessageSchema.safeParse({ ...messageFixture, status: 'teleported' }).success).toBe(false)
    expect(MessageSchema.safeParse({ ...messageFixture, created_at: 'yesterday' }).success).toBe(false)
    expect(ChatSchema.safeParse({ ...chatFixture, id: 42 }).success).toBe(false)
    expect(MessagePageSchema.safeParse({ total: 1, page: 0, per_page: 20 }).success).toBe(false)
    expect(ProfileListSchema.safeParse({ data: [{ id: 'prof_1' }] }).success).toBe(false)
  })

  it('read the message of a webhook envelope under either key', () => {
    const old = WebhookEnvelopeSchema.parse({ id: 'evt_1', type: 'message.received', created_at: messageFixture.created_at, data: { message: messageFixture } })
    const newer = WebhookEnvelopeSchema.parse({ id: 'evt_2', object: 'event', type: 'message.received', created_at: messageFixture.created_at, data: { object: messageFixture } })
    expect(envelopeMessage(old)?.id).toBe('msg_111')
    expect(envelopeMessage(newer)?.id).toBe('msg_111')
    const broken = WebhookEnvelopeSchema.parse({ id: 'evt_3', type: 'message.received', created_at: messageFixture.created_at, data: { message: { id: 1 } } })
    expect(envelopeMessage(broken)).toBeNull()
  })

  it('turn every documented error shape into one sentence', () => {
    expect(errorBodyMessage({ errors: ['Body is too long', 'Media is invalid'] }, 'Unprocessable Entity')).toBe('Body is too long; Media is invalid')
    expect(errorBodyMessage({ status: 400, error: 'Bad Request', message: 'participant_external_id is required' }, 'Bad Request')).toBe(
      'participant_external_id is required'
    )
    expect(errorBodyMessage({ error: 'Unauthorized' }, 'Unauthorized')).toBe('Unauthorized')
    expect(errorBodyMessage('<html>502</html>', 'Bad Gateway')).toBe('Bad Gateway')
    expect(errorBodyMessage({ errors: [] }, 'Unprocessable Entity')).toBe('Unprocessable Entity')
  })

  it('find the sentence even when another field of the body has an unexpected shape', () => {
    // §9: the SDK reads `message`, then `error`; 4xx bodies carry `message` besides `errors`.
    const interactive = { status: '422', errors: ['buttons[1].url must be an https:// URL'], message: 'buttons[1].url must be an https:// URL' }
    expect(errorBodyMessage(interactive, 'Unprocessable Entity')).toBe('buttons[1].url must be an https:// URL')
    expect(errorBodyMessage({ errors: [{ message: 'quick_replies[0].title can\'t be blank.' }] }, 'Unprocessable Entity')).toBe(
      "quick_replies[0].title can't be blank."
    )
    expect(errorBodyMessage({ errors: { body: ['is too long'] } }, 'Unprocessable Entity')).toBe('body is too long')
    expect(errorBodyMessage({ errors: 'card requires buttons.' }, 'Unprocessable Entity')).toBe('card requires buttons.')
    expect(errorBodyMessage({ errors: [42], message: 'Archiving is available on Bluesky only.' }, 'Unprocessable Entity')).toBe(
      'Archiving is available on Bluesky only.'
    )
    expect(errorBodyMessage({ message: '  ', error: 'Not found' }, 'Not Found')).toBe('Not found')
    expect(errorBodyMessage(['a list'], 'Bad Request')).toBe('Bad Request')
  })
})
