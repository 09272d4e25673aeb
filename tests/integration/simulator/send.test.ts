// Sending (POSTPROXY.md §5): the 202 pending → published lifecycle on the simulated clock, text XOR
// media, Meta's limits, media as URL / data URI / multipart upload judged by magic bytes, hosted
// media URLs, and the 24-hour window (default async failure, strict 422, HUMAN_AGENT 7 days).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MAX_MEDIA_BYTES } from '../../../shared/media-rules.ts'
import { HOUR_MS, OUTSIDE_WINDOW_ERROR } from '../../../shared/messaging-window.ts'
import { ChatSchema, MessageSchema } from '../../../shared/postproxy.ts'
import {
  chatWithInbound,
  dataUri,
  expectValidationError,
  fixtures,
  parses,
  rawRequest,
  startTestSimulator,
  TEST_PUBLISH_DELAY_MS,
  type TestSimulator
} from './helpers.ts'

let t: TestSimulator
let chatId: string

beforeEach(async () => {
  t = await startTestSimulator()
  chatId = (await chatWithInbound(t.api, 'igsid_send')).chat.id
})
afterEach(async () => {
  await t.sim.close()
})

const send = (json: unknown) => t.api.post(`/api/chats/${chatId}/messages`, json)
const getMessage = async (id: string) => parses(MessageSchema, (await t.api.get(`/api/messages/${id}`)).body)

function upload(parts: { name: string; value: Buffer | string; filename?: string; type?: string }[]) {
  const form = new FormData()
  for (const part of parts) {
    if (typeof part.value === 'string' && part.filename === undefined) form.append(part.name, part.value)
    else form.append(part.name, new Blob([part.value], { type: part.type ?? 'application/octet-stream' }), part.filename ?? 'file')
  }
  return t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form })
}

describe('lifecycle', () => {
  it('answers 202 pending, then publishes after the configured delay with external_id and external_posted_at', async () => {
    const accepted = await send({ body: 'Thanks for writing!' })
    expect(accepted.status).toBe(202)
    const pending = parses(MessageSchema, accepted.body)
    expect(pending).toMatchObject({
      chat_id: chatId,
      direction: 'outbound',
      status: 'pending',
      body: 'Thanks for writing!',
      external_id: null,
      external_posted_at: null,
      tag: null,
      attachments: []
    })
    expect(pending.id).toMatch(/^msg_/)

    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS / 2)
    expect((await getMessage(pending.id)).status).toBe('pending')

    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS / 2)
    const published = await getMessage(pending.id)
    expect(published.status).toBe('published')
    expect(published.external_id).toMatch(/^mid\./)
    expect(Date.parse(published.external_posted_at!)).toBeGreaterThanOrEqual(Date.parse(pending.created_at) + TEST_PUBLISH_DELAY_MS)
    expect(published.error_message).toBeNull()

    // The native id finds it too, and the chat's bookkeeping moved.
    expect((await t.api.get(`/api/messages/${published.external_id}`)).body.id).toBe(pending.id)
    const chat = parses(ChatSchema, (await t.api.get(`/api/chats/${chatId}`)).body)
    expect(chat.last_outbound_at).toBe(published.external_posted_at)
    expect(chat.last_message_at).toBe(published.external_posted_at)
  })

  it('publishes by itself in real time when the delay is short', async () => {
    const quick = await startTestSimulator({ publishDelayMs: 20 })
    try {
      const chat = (await chatWithInbound(quick.api)).chat
      const webhookTypes: string[] = []
      const emit = quick.sim.webhooks.emit.bind(quick.sim.webhooks)
      const published = new Promise<void>((resolve) => {
        quick.sim.webhooks.emit = (account, type, data) => {
          webhookTypes.push(type)
          emit(account, type, data)
          if (type === 'message.sent') resolve()
        }
      })
      const accepted = await quick.api.post(`/api/chats/${chat.id}/messages`, { body: 'hi' })
      await published
      expect((await quick.api.get(`/api/messages/${accepted.body.id}`)).body.status).toBe('published')
      expect(webhookTypes).toEqual(['message.sent'])
    } finally {
      await quick.sim.close()
    }
  })
})

describe('text and media rules', () => {
  it('refuses both body and media, naming the fields', async () => {
    expectValidationError(await send({ body: 'hi', media: ['https://cdn.example.com/a.jpg'] }), /Body and media/)
  })

  it('refuses neither body nor media', async () => {
    expectValidationError(await send({}), "Body can't be blank")
    expectValidationError(await send({ body: '', media: [] }), "Body can't be blank")
  })

  it('refuses more than one media item', async () => {
    expectValidationError(await send({ media: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'] }), /Media can have at most one item/)
  })

  it('refuses media that is not a list, and items that are neither URL nor data URI', async () => {
    expectValidationError(await send({ media: 'https://cdn.example.com/a.jpg' }), /Media must be a list/)
    expectValidationError(await send({ media: ['ftp://example.com/a.jpg'] }), /Media must be a public http\(s\) URL/)
    expectValidationError(await send({ media: ['data:image/png,notbase64'] }), /Media is not a valid data URI/)
  })

  it('refuses a blank body, a non-text body and an unknown tag', async () => {
    expectValidationError(await send({ body: '   ' }), "Body can't be blank")
    expectValidationError(await send({ body: 42 }), 'Body must be text')
    expectValidationError(await send({ body: 'hi', tag: 'CONFIRMED_EVENT_UPDATE' }), /Tag must be HUMAN_AGENT/)
  })

  it('accepts exactly 1000 UTF-8 bytes and refuses 1001, naming the limit', async () => {
    const euro = '€' // 3 bytes
    const exactly = 'a'.repeat(1000 - 3 * 10) + euro.repeat(10)
    expect(Buffer.byteLength(exactly)).toBe(1000)
    expect((await send({ body: exactly })).status).toBe(202)
    const over = await send({ body: `${exactly}a` })
    expectValidationError(over, /Body is too long: .*at most 1000 bytes.*1001 bytes/)
  })

  it('ignores unknown fields', async () => {
    const accepted = await send({ body: 'hi', favourite_colour: 'teal', nested: { deep: [1, 2] } })
    expect(accepted.status).toBe(202)
    expect(accepted.body).not.toHaveProperty('favourite_colour')
  })
})

describe('media', () => {
  it('stores a public URL as the attachment url', async () => {
    const accepted = await send({ media: ['https://cdn.example.com/photos/mug.jpg'] })
    expect(accepted.status).toBe(202)
    const message = parses(MessageSchema, accepted.body)
    expect(message.body).toBeNull()
    expect(message.attachments).toEqual([
      expect.objectContaining({ type: 'image', url: 'https://cdn.example.com/photos/mug.jpg', status: 'processed' })
    ])
    expect(message.attachments![0].id).toMatch(/^att_/)
  })

  it('takes a base64 data URI by its real type (not the declared one) and serves it at a stable URL', async () => {
    const pdf = fixtures.pdf(1234)
    const accepted = await send({ media: [dataUri('image/png', pdf)] })
    expect(accepted.status).toBe(202)
    const [attachment] = parses(MessageSchema, accepted.body).attachments!
    expect(attachment.type).toBe('file')
    expect(attachment.url).toMatch(new RegExp(`^${t.sim.url}/media/`))

    const served = await fetch(attachment.url!) // no key: a public URL
    expect(served.status).toBe(200)
    expect(served.headers.get('content-type')).toBe('application/pdf')
    expect(served.headers.get('x-content-type-options')).toBe('nosniff')
    expect(Buffer.from(await served.arrayBuffer()).equals(pdf)).toBe(true)

    // Stable: the same URL after publishing.
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(accepted.body.id)).attachments![0].url).toBe(attachment.url)
  })

  it('takes a multipart media[] file part, sniffed by magic bytes, whatever its name and declared type', async () => {
    const jpeg = fixtures.jpeg(4096)
    const accepted = await upload([{ name: 'media[]', value: jpeg, filename: 'invoice.pdf', type: 'application/pdf' }])
    expect(accepted.status).toBe(202)
    const message = parses(MessageSchema, accepted.body)
    expect(message.attachments).toHaveLength(1)
    expect(message.attachments![0].type).toBe('image')
    const served = await fetch(message.attachments![0].url!)
    expect(served.headers.get('content-type')).toBe('image/jpeg')
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true)
  })

  it('keeps path tricks in uploaded file names harmless', async () => {
    const png = fixtures.png(300)
    const accepted = await upload([{ name: 'media[]', value: png, filename: '../../../etc/passwd\r\nX-Evil: 1.png', type: 'image/png' }])
    expect(accepted.status).toBe(202)
    const url = accepted.body.attachments[0].url as string
    expect(url).toMatch(new RegExp(`^${t.sim.url}/media/med_[A-Za-z0-9]+$`))
    const served = await fetch(url)
    expect(served.status).toBe(200)
    expect(served.headers.get('x-evil')).toBeNull()
    const disposition = served.headers.get('content-disposition') ?? ''
    expect(disposition).not.toContain('/')
    expect(disposition).not.toContain('..')
    // Path tricks in the media URL itself find nothing (sent raw: fetch would normalise them).
    for (const path of ['/media/..%2F..%2Fetc%2Fpasswd', '/media/%2e%2e', '/media/../api/profiles', '/media/a%00b', '/media/%E0%A4%A']) {
      const response = await rawRequest(t.sim.url, 'GET', path)
      expect(response.status, path).toBe(404)
      expect(JSON.parse(response.body), path).toMatchObject({ error: 'Not found' })
    }
  })

  it('refuses a file Meta does not accept, naming what is allowed', async () => {
    const response = await upload([{ name: 'media[]', value: fixtures.text(500), filename: 'photo.png', type: 'image/png' }])
    expectValidationError(response, /^Media: This file type can't be sent on Instagram\. You can send images \(PNG, JPEG, GIF, up to 8 MB\)/)
  })

  it('refuses an image over 8 MB and a video over 25 MB, naming the limits', async () => {
    const bigImage = fixtures.png(8 * 1024 * 1024 + 1)
    expectValidationError(await send({ media: [dataUri('image/png', bigImage)] }), 'Media: Images can be at most 8 MB on Instagram')
    const bigVideo = fixtures.mp4(MAX_MEDIA_BYTES + 1)
    expectValidationError(
      await upload([{ name: 'media[]', value: bigVideo, filename: 'clip.mp4', type: 'video/mp4' }]),
      'Media: Videos can be at most 25 MB on Instagram'
    )
  })

  it('accepts a video of exactly 25 MB', async () => {
    const video = fixtures.mp4(MAX_MEDIA_BYTES)
    const accepted = await upload([{ name: 'media[]', value: video, filename: 'clip.mp4', type: 'video/mp4' }])
    expect(accepted.status).toBe(202)
    expect(accepted.body.attachments[0].type).toBe('video')
  })

  it('refuses an empty file', async () => {
    expectValidationError(await upload([{ name: 'media[]', value: Buffer.alloc(0), filename: 'x.png' }]), /Media: /)
  })

  it('applies text XOR media and one-item rules to uploads too', async () => {
    expectValidationError(
      await upload([
        { name: 'body', value: 'caption' },
        { name: 'media[]', value: fixtures.png(), filename: 'a.png' }
      ]),
      /Body and media/
    )
    expectValidationError(
      await upload([
        { name: 'media[]', value: fixtures.png(), filename: 'a.png' },
        { name: 'media[]', value: fixtures.png(), filename: 'b.png' }
      ]),
      /at most one item/
    )
    const textOnly = await upload([{ name: 'body', value: 'sent as a form' }])
    expect(textOnly.status).toBe(202)
    expect(textOnly.body.body).toBe('sent as a form')
  })
})

describe('the 24-hour window', () => {
  it('accepts with 202 outside the window, then fails with Meta’s error (default)', async () => {
    t.sim.clock.advance(24 * HOUR_MS)
    const accepted = await send({ body: 'Sorry for the late reply' })
    expect(accepted.status).toBe(202)
    expect(accepted.body.status).toBe('pending')
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const failed = await getMessage(accepted.body.id)
    expect(failed).toMatchObject({
      status: 'failed',
      error_message: OUTSIDE_WINDOW_ERROR,
      external_id: null,
      error_details: { platform_error_code: 10, platform_error_subcode: 2018278 }
    })
    // A send that never reached Instagram is not outbound activity.
    expect((await t.api.get(`/api/chats/${chatId}`)).body.last_outbound_at).toBeNull()
  })

  it('is open just before 24 hours', async () => {
    t.sim.clock.advance(24 * HOUR_MS - TEST_PUBLISH_DELAY_MS - 1000)
    const accepted = await send({ body: 'Just in time' })
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(accepted.body.id)).status).toBe('published')
  })

  it('restarts with each inbound message', async () => {
    t.sim.clock.advance(23 * HOUR_MS)
    await chatWithInbound(t.api, 'igsid_send', 'still there?')
    t.sim.clock.advance(23 * HOUR_MS)
    const accepted = await send({ body: 'yes!' })
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(accepted.body.id)).status).toBe('published')
  })

  it('extends to 7 days with the HUMAN_AGENT tag, and no further', async () => {
    t.sim.clock.advance(3 * 24 * HOUR_MS)
    const tagged = await send({ body: 'A human here, answering your question', tag: 'HUMAN_AGENT' })
    expect(tagged.body.tag).toBe('HUMAN_AGENT')
    const untagged = await send({ body: 'no tag' })
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(tagged.body.id)).status).toBe('published')
    expect((await getMessage(untagged.body.id)).status).toBe('failed')

    t.sim.clock.advance(4 * 24 * HOUR_MS)
    const late = await send({ body: 'too late', tag: 'HUMAN_AGENT' })
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(late.body.id)).error_message).toBe(OUTSIDE_WINDOW_ERROR)
  })

  it('fails sends to a chat the participant never wrote in (find-or-create does not open the window)', async () => {
    const created = await t.api.post(`/api/profiles/${t.sim.profileId}/chats`, { participant_external_id: 'igsid_cold' })
    const accepted = await t.api.post(`/api/chats/${created.body.id}/messages`, { body: 'cold outreach' })
    expect(accepted.status).toBe(202)
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await getMessage(accepted.body.id)).error_message).toBe(OUTSIDE_WINDOW_ERROR)
  })

  it('answers 422 at once in strict mode, and nothing is stored', async () => {
    const strict = await startTestSimulator({ strictWindow: true })
    try {
      const chat = (await chatWithInbound(strict.api)).chat
      strict.sim.clock.advance(25 * HOUR_MS)
      const refused = await strict.api.post(`/api/chats/${chat.id}/messages`, { body: 'late' })
      expectValidationError(refused, OUTSIDE_WINDOW_ERROR)
      const tagged = await strict.api.post(`/api/chats/${chat.id}/messages`, { body: 'human', tag: 'HUMAN_AGENT' })
      expect(tagged.status).toBe(202)
      expect((await strict.api.get(`/api/chats/${chat.id}/messages?direction=outbound`)).body.total).toBe(1)
    } finally {
      await strict.sim.close()
    }
  })
})
