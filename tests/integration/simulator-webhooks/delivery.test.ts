import { createServer as createNetServer, type AddressInfo } from 'node:net'
import { afterEach, describe, expect, it, onTestFinished } from 'vitest'
import {
  WebhookDeliverySchema,
  WebhookEnvelopeSchema,
  envelopeMessage,
  pageSchema
} from '../../../shared/postproxy.ts'
import { createHarness, sampleMessage, START_ISO, within, type Harness } from './harness.ts'
import { parseSignatureHeader, signatureVerifies } from './verify-signature.ts'

const START_SEC = Date.parse(START_ISO) / 1000

let harness: Harness
afterEach(async () => {
  await harness.cleanup()
})

describe('webhook delivery over real HTTP', () => {
  it('POSTs the documented headers and a body whose signature verifies over the raw bytes received', async () => {
    harness = createHarness()
    const receiver = await harness.receiver()
    const dispatcher = harness.dispatcher()
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.received'] })
    const message = sampleMessage()

    dispatcher.emit('acct_a', 'message.received', { message })
    const wallBefore = Math.floor(Date.now() / 1000)
    const [request] = await receiver.waitForRequests(1)
    await within(dispatcher.idle(), 5000, 'idle')
    const wallAfter = Math.ceil(Date.now() / 1000)

    expect(request.method).toBe('POST')
    expect(request.path).toBe('/hooks/postproxy')
    expect(request.headers['content-type']).toBe('application/json')
    expect(request.headers['user-agent']).toBe('Postproxy-Webhooks/1.0')
    expect(request.headers['x-postproxy-event']).toBe('message.received')
    expect(request.headers['x-postproxy-delivery']).toMatch(/^dlv_[A-Za-z0-9]+$/)
    expect(Number(request.headers['content-length'])).toBe(request.rawBody.length)
    const signature = String(request.headers['x-postproxy-signature'])
    // t is wall-clock time (receivers compare it with their own clock), not the simulated clock.
    expect(signature).toMatch(/^t=\d+,v1=[0-9a-f]{64}$/)
    expect(Number(parseSignatureHeader(signature).t)).toBeGreaterThanOrEqual(wallBefore - 1)
    expect(Number(parseSignatureHeader(signature).t)).toBeLessThanOrEqual(wallAfter)
    expect(Number(parseSignatureHeader(signature).t)).not.toBe(START_SEC)
    expect(signatureVerifies(hook.secret!, signature, request.rawBody)).toBe(true)
    expect(signatureVerifies('whsec_someone_else', signature, request.rawBody)).toBe(false)

    const body = JSON.parse(request.rawBody.toString('utf8'))
    expect(body).toEqual({
      id: expect.stringMatching(/^evt_[A-Za-z0-9]+$/),
      object: 'event',
      type: 'message.received',
      created_at: START_ISO,
      data: { message, object: message }
    })
    expect(envelopeMessage(WebhookEnvelopeSchema.parse(body))).toEqual(message)

    const log = dispatcher.deliveries('acct_a', hook.id, 0, 20)
    expect(pageSchema(WebhookDeliverySchema).parse(log)).toEqual({
      total: 1,
      page: 0,
      per_page: 20,
      data: [
        {
          id: request.headers['x-postproxy-delivery'],
          event_id: body.id,
          event_type: 'message.received',
          response_status: 200,
          attempt_number: 1,
          success: true,
          attempted_at: START_ISO,
          created_at: START_ISO
        }
      ]
    })
  })

  it('puts a message under both data keys, whichever one the caller used, and leaves other data alone', async () => {
    harness = createHarness()
    const receiver = await harness.receiver()
    const dispatcher = harness.dispatcher()
    dispatcher.create('acct_a', { url: receiver.url, events: ['*'] })
    const message = sampleMessage({ direction: 'outbound', status: 'published', external_read_at: START_ISO })
    const reaction = { message, sender_external_id: 'igsid_1', action: 'react', reaction: 'love', emoji: '❤️', occurred_at: START_ISO }
    const referral = { chat: { id: 'chat_1' }, referral: { ref: 'spring', source: 'SHORTLINK', type: 'OPEN_THREAD' } }

    dispatcher.emit('acct_a', 'message.read', { object: message })
    dispatcher.emit('acct_a', 'reaction.received', reaction)
    dispatcher.emit('acct_a', 'referral.received', referral)
    const requests = await receiver.waitForRequests(3)
    await within(dispatcher.idle(), 5000, 'idle')

    const byType = new Map(requests.map((r) => [r.headers['x-postproxy-event'], JSON.parse(r.rawBody.toString('utf8'))]))
    expect(byType.get('message.read').data).toEqual({ message, object: message })
    expect(byType.get('reaction.received').data).toEqual({ ...reaction, object: message })
    expect(byType.get('referral.received').data).toEqual(referral)
  })

  it('retries a receiver that fails twice: three attempts on the scaled schedule, one envelope, three delivery ids', async () => {
    harness = createHarness()
    const scale = 0.002 // +1 min -> 120 ms, +5 min -> 600 ms
    const dispatcher = harness.dispatcher({ retryDelayScale: scale })
    // Each arrival moves simulated time a minute on: the log's times follow it, the signatures do not.
    const receiver = await harness.receiver((index) => {
      harness.clock.advance(60_000)
      return index < 2 ? 500 : 200
    })
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.sent'] })

    dispatcher.emit('acct_a', 'message.sent', { message: sampleMessage({ direction: 'outbound', status: 'published' }) })
    await receiver.waitForRequests(3)
    await within(dispatcher.idle(), 10_000, 'idle')

    const requests = receiver.requests
    expect(requests).toHaveLength(3)
    const envelopes = requests.map((r) => JSON.parse(r.rawBody.toString('utf8')))
    expect(new Set(envelopes.map((e) => e.id)).size).toBe(1)
    expect(requests[1].rawBody.equals(requests[0].rawBody)).toBe(true)
    expect(requests[2].rawBody.equals(requests[0].rawBody)).toBe(true)
    const deliveryIds = requests.map((r) => r.headers['x-postproxy-delivery'])
    expect(new Set(deliveryIds).size).toBe(3)
    const signatures = requests.map((r) => String(r.headers['x-postproxy-signature']))
    const wallNow = Date.now() / 1000
    for (const t of signatures.map((s) => Number(parseSignatureHeader(s).t))) expect(Math.abs(t - wallNow)).toBeLessThan(60)
    for (const [i, signature] of signatures.entries()) expect(signatureVerifies(hook.secret!, signature, requests[i].rawBody)).toBe(true)

    const firstGap = requests[1].arrivedAt - requests[0].arrivedAt
    const secondGap = requests[2].arrivedAt - requests[1].arrivedAt
    console.log(`retry gaps: ${firstGap.toFixed(1)} ms (scheduled 120), ${secondGap.toFixed(1)} ms (scheduled 600)`)
    expect(firstGap).toBeGreaterThanOrEqual(110)
    expect(firstGap).toBeLessThan(120 + 1500)
    expect(secondGap).toBeGreaterThanOrEqual(550)
    expect(secondGap).toBeLessThan(600 + 1500)
    expect(secondGap).toBeGreaterThan(firstGap)

    const log = dispatcher.deliveries('acct_a', hook.id, 0, 20)!
    expect(log.total).toBe(3)
    expect(log.data.map((d) => d.attempt_number)).toEqual([3, 2, 1])
    expect(log.data.map((d) => d.success)).toEqual([true, false, false])
    expect(log.data.map((d) => d.response_status)).toEqual([200, 500, 500])
    expect(log.data.map((d) => d.id)).toEqual([...deliveryIds].reverse())
    expect(new Set(log.data.map((d) => d.event_id))).toEqual(new Set([envelopes[0].id]))
    expect(log.data.map((d) => d.attempted_at)).toEqual([
      new Date(Date.parse(START_ISO) + 120_000).toISOString(),
      new Date(Date.parse(START_ISO) + 60_000).toISOString(),
      START_ISO
    ])
  })

  it('counts a response slower than the timeout as a failure and retries', async () => {
    harness = createHarness()
    const receiver = await harness.receiver((index) => (index === 0 ? 'hang' : 204))
    const dispatcher = harness.dispatcher({ deliveryTimeoutMs: 200 })
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.received'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiver.waitForRequests(2)
    await within(dispatcher.idle(), 5000, 'idle')

    const log = dispatcher.deliveries('acct_a', hook.id, 0, 20)!
    expect(log.data.map((d) => [d.attempt_number, d.response_status, d.success])).toEqual([
      [2, 204, true],
      [1, null, false]
    ])
  })

  it('treats a redirect as a failure rather than following it', async () => {
    harness = createHarness()
    const receiver = await harness.receiver((index) => (index === 0 ? 302 : 200))
    const dispatcher = harness.dispatcher()
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.received'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await receiver.waitForRequests(2)
    await within(dispatcher.idle(), 5000, 'idle')

    expect(dispatcher.deliveries('acct_a', hook.id, 0, 20)!.data.map((d) => d.response_status)).toEqual([200, 302])
  })

  it('stops after five failed attempts', async () => {
    harness = createHarness()
    const receiver = await harness.receiver(() => 503)
    const dispatcher = harness.dispatcher({ retryDelayScale: 0.0001 })
    const hook = dispatcher.create('acct_a', { url: receiver.url, events: ['message.failed'] })

    dispatcher.emit('acct_a', 'message.failed', { message: sampleMessage({ direction: 'outbound', status: 'failed' }) })
    await receiver.waitForRequests(5)
    await within(dispatcher.idle(), 5000, 'idle after the last attempt')

    expect(receiver.requests).toHaveLength(5)
    const log = dispatcher.deliveries('acct_a', hook.id, 0, 20)!
    expect(log.total).toBe(5)
    expect(log.data.map((d) => d.attempt_number)).toEqual([5, 4, 3, 2, 1])
    expect(log.data.every((d) => d.success === false && d.response_status === 503)).toBe(true)
  })

  it('records an unreachable receiver as failed attempts without a status', async () => {
    harness = createHarness()
    // A receiver that hangs up on every connection: no HTTP answer, so no status. (A closed port could be
    // taken by another process on a busy machine, and that one might answer.)
    const hangUp = createNetServer((socket) => socket.destroy())
    await new Promise<void>((resolve) => hangUp.listen(0, '127.0.0.1', resolve))
    onTestFinished(() => new Promise<void>((resolve) => hangUp.close(() => resolve())))
    const gone = { url: `http://127.0.0.1:${(hangUp.address() as AddressInfo).port}/hook` }
    const dispatcher = harness.dispatcher({ retryDelayScale: 0.0001 })
    const hook = dispatcher.create('acct_a', { url: gone.url, events: ['message.received'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await within(dispatcher.idle(), 5000, 'idle after the last attempt')

    const log = dispatcher.deliveries('acct_a', hook.id, 0, 20)!
    expect(log.data.map((d) => [d.attempt_number, d.response_status, d.success])).toEqual([
      [5, null, false],
      [4, null, false],
      [3, null, false],
      [2, null, false],
      [1, null, false]
    ])
  })

  it('close() cancels in-flight requests and pending retries, releases idle() waiters, and ignores later events', async () => {
    harness = createHarness()
    const hanging = await harness.receiver(() => 'hang')
    const failing = await harness.receiver(() => 500)
    const dispatcher = harness.dispatcher({ retryDelayScale: 1 })
    const slowHook = dispatcher.create('acct_a', { url: hanging.url, events: ['*'] })
    const failingHook = dispatcher.create('acct_a', { url: failing.url, events: ['*'] })

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    await hanging.waitForRequests(1)
    await failing.waitForRequests(1)
    const waiter = dispatcher.idle()
    await within(dispatcher.close(), 2000, 'close')
    await within(waiter, 1000, 'the idle() waiter being released')

    dispatcher.emit('acct_a', 'message.received', { message: sampleMessage() })
    expect(dispatcher.deliveries('acct_a', slowHook.id, 0, 20)!.total).toBe(0)
    // The failed first attempt may or may not have been recorded before close; no retry ever is.
    expect(dispatcher.deliveries('acct_a', failingHook.id, 0, 20)!.data.every((d) => d.attempt_number === 1)).toBe(true)
    expect(hanging.requests).toHaveLength(1)
    expect(failing.requests).toHaveLength(1)
  })
})
