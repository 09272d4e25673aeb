// Fault injection through the control API: transient and permanent send failures (with their
// webhooks), 5xx answers, added latency, and a connection dropped after the send was processed.
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { ErrorBodySchema, MessageSchema } from '../../../shared/postproxy.ts'
import { chatWithInbound, expectValidationError, parses, startTestSimulator, TEST_PUBLISH_DELAY_MS, type TestSimulator } from './helpers.ts'

let t: TestSimulator
let chatId: string
let emitted: { type: string; status: unknown }[]

beforeEach(async () => {
  t = await startTestSimulator()
  chatId = (await chatWithInbound(t.api)).chat.id
  emitted = []
  const emit = t.sim.webhooks.emit.bind(t.sim.webhooks)
  t.sim.webhooks.emit = (account, type, data) => {
    emitted.push({ type, status: (data.message as { status?: string } | undefined)?.status })
    emit(account, type, data)
  }
})
afterEach(async () => {
  await t.sim.close()
})

const send = (body: string, headers?: Record<string, string>) => t.api.post(`/api/chats/${chatId}/messages`, { body }, headers)
const status = async (id: string) => parses(MessageSchema, (await t.api.get(`/api/messages/${id}`)).body)

describe('send failures', () => {
  it('transient: failed_waiting_for_retry, then published, with the matching webhooks', async () => {
    await t.api.post('/_sim/faults', { kind: 'send_transient', count: 1 })
    const accepted = (await send('retry me')).body
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const waiting = await status(accepted.id)
    expect(waiting.status).toBe('failed_waiting_for_retry')
    expect(waiting.error_message).toBeTruthy()
    expect(waiting.external_id).toBeNull()

    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    const published = await status(accepted.id)
    expect(published.status).toBe('published')
    expect(published.error_message).toBeNull()
    expect(emitted).toEqual([
      { type: 'message.failed_waiting_for_retry', status: 'failed_waiting_for_retry' },
      { type: 'message.sent', status: 'published' }
    ])

    // Only the next send was affected.
    const next = (await send('fine')).body
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await status(next.id)).status).toBe('published')
  })

  it('permanent: failed with the given error_message and message.failed', async () => {
    await t.api.post('/_sim/faults', { kind: 'send_permanent', count: 2, error_message: '(#100) The recipient blocked you' })
    const a = (await send('one')).body
    const b = (await send('two')).body
    const c = (await send('three')).body
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    for (const id of [a.id, b.id]) {
      const failed = await status(id)
      expect(failed).toMatchObject({ status: 'failed', error_message: '(#100) The recipient blocked you', error_details: { platform_error_code: 100 } })
    }
    expect((await status(c.id)).status).toBe('published')
    expect(emitted.map((event) => event.type).sort()).toEqual(['message.failed', 'message.failed', 'message.sent'])
  })

  it('permanent without a message uses Meta’s wording for an unreachable person', async () => {
    await t.api.post('/_sim/faults', { kind: 'send_permanent' })
    const accepted = (await send('hello')).body
    t.sim.clock.advance(TEST_PUBLISH_DELAY_MS)
    expect((await status(accepted.id)).error_message).toMatch(/^\(#551\)/)
  })
})

describe('server errors', () => {
  it('answers the next N API requests with the 5xx shape, without processing them', async () => {
    await t.api.post('/_sim/faults', { kind: 'server_error', count: 2, status: 503 })
    const first = await send('lost')
    expect(first.status).toBe(503)
    expect(first.body).toMatchObject({ status: 503, error: 'Service Unavailable' })
    parses(ErrorBodySchema, first.body)
    expect(first.headers.get('x-request-id')).toBeTruthy()
    // The control API is never faulted, so a test can always look.
    expect((await t.api.get('/_sim/faults')).body.server_errors.count).toBe(1)
    expect((await t.api.get('/api/profiles')).status).toBe(503)
    expect((await t.api.get('/api/profiles')).status).toBe(200)
    expect((await t.api.get(`/api/chats/${chatId}/messages?direction=outbound`)).body.total).toBe(0)
  })

  it('refuses a status outside 5xx', async () => {
    expectValidationError(await t.api.post('/_sim/faults', { kind: 'server_error', status: 404 }), /5xx/)
    expectValidationError(await t.api.post('/_sim/faults', { kind: 'earthquake' }), /Kind must be one of/)
  })
})

describe('latency', () => {
  it('adds processing time to the next N API requests', async () => {
    await t.api.post('/_sim/faults', { kind: 'latency', ms: 250, count: 1 })
    const started = performance.now()
    expect((await t.api.get('/api/profiles')).status).toBe(200)
    expect(performance.now() - started).toBeGreaterThanOrEqual(240)
    expect((await t.api.get('/_sim/faults')).body.latency).toEqual({ ms: 250, count: 0 })
  })

  it('can be cleared', async () => {
    await t.api.post('/_sim/faults', { kind: 'latency', ms: 5000 })
    expect((await t.api.get('/_sim/faults')).body.latency).toEqual({ ms: 5000, count: null })
    const cleared = await t.api.delete('/_sim/faults')
    expect(cleared.body).toMatchObject({ latency: { ms: 0 }, send_failures: [], drop_connections: 0, server_errors: { count: 0 } })
  })
})

describe('dropped connection', () => {
  it('processes and stores the send, drops the connection, and an idempotent retry gets the original answer', async () => {
    await t.api.post('/_sim/faults', { kind: 'drop_connection', count: 1 })
    await expect(send('did it go?', { 'idempotency-key': 'drop-1' })).rejects.toThrow()

    const stored = (await t.api.get(`/_sim/chats/${chatId}`)).body.messages.filter((m: { direction: string }) => m.direction === 'outbound')
    expect(stored).toHaveLength(1)
    expect(stored[0]).toMatchObject({ body: 'did it go?', status: 'pending' })

    const retry = await send('did it go?', { 'idempotency-key': 'drop-1' })
    expect(retry.status).toBe(202)
    expect(retry.body.id).toBe(stored[0].id)
    expect(retry.headers.get('idempotent-replayed')).toBe('true')
    expect((await t.api.get(`/api/chats/${chatId}/messages?direction=outbound`)).body.total).toBe(1)
  })

  it('applies to sends only', async () => {
    await t.api.post('/_sim/faults', { kind: 'drop_connection', count: 1 })
    expect((await t.api.get('/api/profiles')).status).toBe(200)
    expect((await t.api.get('/_sim/faults')).body.drop_connections).toBe(1)
  })
})
