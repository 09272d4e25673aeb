// Idempotency-Key (replay within 24 h, 409 while in flight, 422 for a different request, errors not
// stored, scoped per account) and the configurable rate limit (429 + Retry-After).
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorBodySchema, MessageSchema, WebhookSchema } from '../../../shared/postproxy.ts'
import { chatWithInbound, expectValidationError, fixtures, parses, SimClient, startTestSimulator, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let chatId: string

beforeEach(async () => {
  t = await startTestSimulator()
  chatId = (await chatWithInbound(t.api)).chat.id
})
afterEach(async () => {
  await t.sim.close()
})

const sendWithKey = (api: SimClient, key: string, json: unknown, chat = chatId) =>
  api.post(`/api/chats/${chat}/messages`, json, { 'idempotency-key': key })

async function outboundCount(api = t.api, chat = chatId): Promise<number> {
  return (await api.get(`/api/chats/${chat}/messages?direction=outbound`)).body.total
}

describe('Idempotency-Key', () => {
  it('replays the original 2xx status and body for the same key and request, storing one message', async () => {
    const first = await sendWithKey(t.api, 'key-1', { body: 'only once' })
    expect(first.status).toBe(202)
    const replay = await sendWithKey(t.api, 'key-1', { body: 'only once' })
    expect(replay.status).toBe(202)
    expect(replay.body).toEqual(first.body)
    expect(replay.headers.get('idempotent-replayed')).toBe('true')
    parses(MessageSchema, replay.body)
    expect(await outboundCount()).toBe(1)
  })

  it('treats JSON with its keys in another order as the same request', async () => {
    const first = await sendWithKey(t.api, 'key-order', { body: 'hi', tag: 'HUMAN_AGENT' })
    const replay = await t.api.request('POST', `/api/chats/${chatId}/messages`, {
      body: '{ "tag": "HUMAN_AGENT",   "body": "hi" }',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'key-order' }
    })
    expect(replay.body.id).toBe(first.body.id)
  })

  it('replays a retried upload even though the multipart boundary changed', async () => {
    const form = () => {
      const data = new FormData()
      data.append('media[]', new Blob([fixtures.png(400)], { type: 'image/png' }), 'a.png')
      return data
    }
    const headers = { 'idempotency-key': 'key-upload' }
    const first = await t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form(), headers })
    const second = await t.api.request('POST', `/api/chats/${chatId}/messages`, { body: form(), headers })
    expect(first.status).toBe(202)
    expect(second.body.id).toBe(first.body.id)
    expect(await outboundCount()).toBe(1)
  })

  it('answers 422 for the same key with a different body or endpoint', async () => {
    await sendWithKey(t.api, 'key-2', { body: 'original' })
    expectValidationError(await sendWithKey(t.api, 'key-2', { body: 'changed' }), /Idempotency-Key was already used for a different request/)
    const other = await t.api.post(`/api/profiles/${t.sim.profileId}/chats`, { participant_external_id: 'x' }, { 'idempotency-key': 'key-2' })
    expect(other.status).toBe(422)
    expect(await outboundCount()).toBe(1)
  })

  it('answers 409 for a retry while the first request is still in flight, then replays it', async () => {
    await t.api.post('/_sim/faults', { kind: 'stall', count: 1 })
    const first = sendWithKey(t.api, 'key-3', { body: 'slow one' })
    await t.sim.faults.whenStalled()

    const concurrent = await sendWithKey(t.api, 'key-3', { body: 'slow one' })
    expect(concurrent.status).toBe(409)
    expect(typeof concurrent.body.error).toBe('string')
    parses(ErrorBodySchema, concurrent.body)

    expect((await t.api.get('/_sim/faults')).body.stalled_requests).toBe(1)
    expect((await t.api.post('/_sim/faults/release')).body).toEqual({ released: 1 })
    const completed = await first
    expect(completed.status).toBe(202)
    expect((await sendWithKey(t.api, 'key-3', { body: 'slow one' })).body.id).toBe(completed.body.id)
    expect(await outboundCount()).toBe(1)
  })

  it('does not store error responses: the same request succeeds once it can', async () => {
    const strict = await startTestSimulator({ strictWindow: true })
    try {
      const created = await strict.api.post(`/api/profiles/${strict.sim.profileId}/chats`, { participant_external_id: 'igsid_later' })
      const refused = await sendWithKey(strict.api, 'key-4', { body: 'hello' }, created.body.id)
      expect(refused.status).toBe(422)
      await strict.api.post('/_sim/inbound', { participant_external_id: 'igsid_later', body: 'hi!' })
      const accepted = await sendWithKey(strict.api, 'key-4', { body: 'hello' }, created.body.id)
      expect(accepted.status).toBe(202)
    } finally {
      await strict.sim.close()
    }
  })

  it('forgets keys after 24 hours', async () => {
    const first = await sendWithKey(t.api, 'key-5', { body: 'daily' })
    t.sim.clock.advance(24 * 60 * 60 * 1000)
    await chatWithInbound(t.api) // reopen the window; irrelevant to the key, keeps the send valid
    const later = await sendWithKey(t.api, 'key-5', { body: 'daily' })
    expect(later.status).toBe(202)
    expect(later.body.id).not.toBe(first.body.id)
  })

  it('scopes keys per account', async () => {
    const created = await t.api.post('/_sim/accounts', {})
    const other = new SimClient(t.sim.url, created.body.api_key)
    const hook = { url: 'http://127.0.0.1:9/hook', events: ['*'] }
    const mine = await t.api.post('/api/webhooks', hook, { 'idempotency-key': 'shared-key' })
    const theirs = await other.post('/api/webhooks', hook, { 'idempotency-key': 'shared-key' })
    expect(mine.status).toBe(201)
    expect(theirs.status).toBe(201)
    expect(parses(WebhookSchema, theirs.body).id).not.toBe(parses(WebhookSchema, mine.body).id)
  })

  it('refuses keys over 255 characters and blank keys', async () => {
    expect((await sendWithKey(t.api, 'k'.repeat(255), { body: 'ok' })).status).toBe(202)
    expectValidationError(await sendWithKey(t.api, 'k'.repeat(256), { body: 'too long' }), /at most 255 characters/)
    expectValidationError(await sendWithKey(t.api, '   ', { body: 'blank' }), /can't be blank/)
    expect(await outboundCount()).toBe(1)
  })
})

describe('rate limit', () => {
  it('answers 429 {"error":"Rate limit exceeded"} with Retry-After once the window is used up, per key', async () => {
    const limited = await startTestSimulator({ rateLimit: { limit: 3, windowMs: 10_000 } })
    try {
      for (let i = 0; i < 3; i++) expect((await limited.api.get('/api/profiles')).status).toBe(200)
      const refused = await limited.api.get('/api/profiles')
      expect(refused.status).toBe(429)
      expect(refused.body).toEqual({ error: 'Rate limit exceeded', message: 'Too many requests for this API key; try again in 10 seconds.' })
      expect(Number(refused.headers.get('retry-after'))).toBe(10)

      // Another key has its own budget; the control API is not limited.
      const other = new SimClient(limited.sim.url, limited.sim.createAccount().apiKey)
      expect((await other.get('/api/profiles')).status).toBe(200)
      expect((await limited.api.get('/_sim/state')).status).toBe(200)

      limited.sim.clock.advance(4000)
      expect(Number((await limited.api.get('/api/profiles')).headers.get('retry-after'))).toBe(6)
      limited.sim.clock.advance(6000)
      expect((await limited.api.get('/api/profiles')).status).toBe(200)
    } finally {
      await limited.sim.close()
    }
  })

  it('is off by default and configurable at run time through the control API', async () => {
    for (let i = 0; i < 30; i++) expect((await t.api.get('/api/profiles')).status).toBe(200)
    const set = await t.api.post('/_sim/rate-limit', { limit: 1, window_ms: 60_000 })
    expect(set.body).toEqual({ rate_limit: { limit: 1, window_ms: 60_000 } })
    expect((await t.api.get('/api/profiles')).status).toBe(200)
    const refused = await t.api.get('/api/profiles')
    expect(refused.status).toBe(429)
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThanOrEqual(59)
    await t.api.post('/_sim/rate-limit', { limit: null })
    expect((await t.api.get('/api/profiles')).status).toBe(200)
    expectValidationError(await t.api.post('/_sim/rate-limit', { limit: 0 }), /Limit must be/)
  })
})
