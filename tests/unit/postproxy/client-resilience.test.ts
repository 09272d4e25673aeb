// Retries, Idempotency-Key reuse, backoff with full jitter, Retry-After, timeouts, cancellation and the
// concurrency limit, against a real loopback server. Waits are recorded by an injected sleep, not spent.
import { createHash } from 'node:crypto'
import type { ServerResponse } from 'node:http'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { RetryNotice } from '../../../electron/inbox/postproxy/index.ts'
import { postproxyFailureOf, testClient } from './client-harness.ts'
import { chatFixture, messageFixture, pendingOutboundFixture } from './fixtures.ts'
import { sendJson, startLoopbackServer, type LoopbackServer } from './loopback-server.ts'

let server: LoopbackServer

beforeEach(async () => {
  server = await startLoopbackServer()
})

afterEach(async () => {
  await server.close()
})

/** Answers with each status in turn, then 200 with `body` for good. */
function statusesThen(statuses: number[], body: unknown, headers: Record<string, string> = {}) {
  let call = 0
  return (_req: unknown, res: ServerResponse) => {
    const status = statuses[call++]
    if (status === undefined) return sendJson(res, 200, body)
    sendJson(res, status, { error: `scripted ${status}` }, headers)
  }
}

describe('a connection lost after the request left', () => {
  it('is retried with the same Idempotency-Key and body, and the server acts only once', async () => {
    // A server with Postproxy's idempotency rule: same key -> replay the stored answer.
    const stored = new Map<string, unknown>()
    let messagesCreated = 0
    let dropNext = true
    server.handler = (req, res) => {
      const key = String(req.headers['idempotency-key'])
      let answer = stored.get(key)
      if (answer === undefined) {
        messagesCreated++
        answer = pendingOutboundFixture({ id: `msg_${messagesCreated}` })
        stored.set(key, answer)
      }
      if (dropNext) {
        dropNext = false
        res.socket?.destroy() // the message exists, but the client never hears so
        return
      }
      sendJson(res, 202, answer)
    }
    const { client, delays } = testClient(server)

    const message = await client.sendMessage('chat_xyz789', { body: 'Only once, please' })

    expect(message.id).toBe('msg_1')
    expect(messagesCreated).toBe(1)
    expect(server.requests).toHaveLength(2)
    const [first, retry] = server.requests
    expect(first.headers['idempotency-key']).toBeTruthy()
    expect(retry.headers['idempotency-key']).toBe(first.headers['idempotency-key'])
    expect(retry.body.equals(first.body)).toBe(true)
    expect(delays).toHaveLength(1)
  })

  it('resends a multipart upload byte for byte (same boundary), so the key matches the same body', async () => {
    let dropped = false
    server.handler = (_req, res) => {
      if (!dropped) {
        dropped = true
        res.socket?.destroy()
        return
      }
      sendJson(res, 202, pendingOutboundFixture({ body: null }))
    }
    const { client } = testClient(server)
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 4, 5])

    await client.sendMessage('chat_xyz789', { media: { bytes, filename: 'a.jpg', mime: 'image/jpeg' } }, { idempotencyKey: 'k-1' })

    const [first, retry] = server.requests
    expect(retry.headers['idempotency-key']).toBe('k-1')
    expect(retry.headers['content-type']).toBe(first.headers['content-type'])
    const digest = (body: Buffer) => createHash('sha256').update(body).digest('hex')
    expect(digest(retry.body)).toBe(digest(first.body))
  })

  it('gives up after maxRetries with a network error, every attempt under one key', async () => {
    server.handler = (_req, res) => {
      res.socket?.destroy()
    }
    const { client, records } = testClient(server, { maxRetries: 3 })

    const error = await postproxyFailureOf(client.react('msg_111'))

    expect(error).toMatchObject({ kind: 'network', status: null, retryable: true })
    expect(server.requests).toHaveLength(4)
    expect(new Set(server.requests.map((r) => r.headers['idempotency-key'])).size).toBe(1)
    expect(records.map((r) => [r.attempt, r.status, r.errorKind])).toEqual([
      [1, null, 'network'],
      [2, null, 'network'],
      [3, null, 'network'],
      [4, null, 'network']
    ])
  })
})

describe('retry policy', () => {
  it('retries 500, 502 and 503 on a read and returns the eventual answer', async () => {
    server.handler = statusesThen([500, 502, 503], chatFixture())
    const { client, delays } = testClient(server)

    expect((await client.getChat('chat_xyz789')).id).toBe('chat_xyz789')
    expect(server.requests).toHaveLength(4)
    expect(delays).toHaveLength(3)
  })

  it('never retries 400, 401, 404 or 422', async () => {
    for (const status of [400, 401, 404, 422]) {
      const fresh = await startLoopbackServer((_req, res) => sendJson(res, status, { error: 'no' }))
      try {
        const { client, delays } = testClient(fresh)
        await postproxyFailureOf(client.sendMessage('chat_xyz789', { body: 'x' }))
        expect(fresh.requests, `status ${status}`).toHaveLength(1)
        expect(delays).toEqual([])
      } finally {
        await fresh.close()
      }
    }
  })

  it('retries a write answered 409 (first attempt still running) with the same key', async () => {
    server.handler = statusesThen([409, 409], pendingOutboundFixture())
    const { client } = testClient(server)

    await client.sendMessage('chat_xyz789', { body: 'x' }, { idempotencyKey: 'send-7' })

    expect(server.requests.map((r) => r.headers['idempotency-key'])).toEqual(['send-7', 'send-7', 'send-7'])
  })

  it('does not retry a 409 on a read', async () => {
    server.handler = statusesThen([409], chatFixture())
    const { client } = testClient(server)

    expect((await postproxyFailureOf(client.getChat('c'))).kind).toBe('conflict')
    expect(server.requests).toHaveLength(1)
  })
})

describe('backoff', () => {
  it('waits random × min(cap, base × 2^n) before each retry (full jitter), bounded by the cap', async () => {
    server.handler = (_req, res) => sendJson(res, 500, { error: 'down' })
    const randoms = [0.999, 0.5, 0.25, 0.999, 0.999]
    const { client, delays } = testClient(server, {
      maxRetries: 5,
      backoff: { baseMs: 500, maxMs: 3_000 },
      random: () => randoms.shift() ?? 0
    })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error.kind).toBe('server')
    expect(server.requests).toHaveLength(6)
    // ceilings: 500, 1000, 2000, 3000 (4000 capped), 3000 (8000 capped)
    expect(delays).toEqual([499, 500, 500, 2997, 2997])
    for (const delay of delays) expect(delay).toBeLessThanOrEqual(3_000)
  })

  it('uses the documented defaults: 500 ms base, 30 s cap, 4 retries', async () => {
    server.handler = (_req, res) => sendJson(res, 503, { error: 'down' })
    const { client, delays } = testClient(server, { random: () => 0.999999 })

    await postproxyFailureOf(client.listProfiles())

    expect(server.requests).toHaveLength(5)
    expect(delays).toEqual([499, 999, 1999, 3999])
  })

  it('spreads waits uniformly from zero: with random 0 it retries at once', async () => {
    server.handler = statusesThen([502, 502], { data: [] })
    const { client, delays } = testClient(server, { random: () => 0 })

    await client.listProfiles()

    expect(delays).toEqual([0, 0])
  })
})

describe('Retry-After', () => {
  it('waits exactly the seconds a 429 asks for, and says so to onRetry', async () => {
    server.handler = statusesThen([429], { data: [] }, { 'retry-after': '12' })
    const notices: RetryNotice[] = []
    const { client, delays } = testClient(server, { onRetry: (notice) => notices.push(notice) })

    await client.listProfiles()

    expect(delays).toEqual([12_000])
    expect(notices).toHaveLength(1)
    expect(notices[0]).toMatchObject({ nextAttempt: 2, delayMs: 12_000 })
    expect(notices[0].error.userMessage).toBe('Postproxy is busy right now; retrying in 12 s.')
  })

  it('understands an HTTP date', async () => {
    const now = Date.parse('2026-06-01T10:00:00.000Z')
    server.handler = statusesThen([429], { data: [] }, { 'retry-after': new Date(now + 7_000).toUTCString() })
    const { client, delays } = testClient(server, { now: () => now })

    await client.listProfiles()

    expect(delays).toEqual([7_000])
  })

  it('is honoured on 503 too', async () => {
    server.handler = statusesThen([503], { data: [] }, { 'retry-after': '3' })
    const { client, delays } = testClient(server)

    await client.listProfiles()

    expect(delays).toEqual([3_000])
  })

  it('falls back to jittered backoff when a 429 has no Retry-After', async () => {
    server.handler = statusesThen([429], { data: [] })
    const { client, delays } = testClient(server, { random: () => 0.5 })

    await client.listProfiles()

    expect(delays).toEqual([250])
  })

  it('fails at once, with retryAfterMs for the caller to schedule, when the wait is longer than maxRetryAfterMs', async () => {
    server.handler = statusesThen([429], { data: [] }, { 'retry-after': '600' })
    const { client, delays } = testClient(server, { maxRetryAfterMs: 60_000 })

    const error = await postproxyFailureOf(client.listProfiles())

    expect(error).toMatchObject({ kind: 'rate_limited', status: 429, retryable: true, retryAfterMs: 600_000 })
    expect(error.userMessage).toBe('Postproxy is busy right now; retrying in 10 min.')
    expect(server.requests).toHaveLength(1)
    expect(delays).toEqual([])
  })
})

describe('timeouts', () => {
  it('times out an attempt that gets no answer, retries it, and reports timeout', async () => {
    server.handler = () => undefined // holds every request open
    const { client, records } = testClient(server, { timeoutMs: 80, maxRetries: 1 })

    const error = await postproxyFailureOf(client.sendMessage('chat_xyz789', { body: 'x' }))

    expect(error).toMatchObject({ kind: 'timeout', status: null, retryable: true })
    expect(error.userMessage).toBe('Postproxy took too long to answer. Try again in a moment.')
    expect(server.requests).toHaveLength(2)
    expect(server.requests[1].headers['idempotency-key']).toBe(server.requests[0].headers['idempotency-key'])
    expect(records.map((r) => r.errorKind)).toEqual(['timeout', 'timeout'])
  })

  it('times out a response whose body stalls after the headers', async () => {
    server.handler = (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.write('{"id":"chat_1",')
    }
    const { client } = testClient(server, { timeoutMs: 80, maxRetries: 0 })

    expect((await postproxyFailureOf(client.getChat('chat_1'))).kind).toBe('timeout')
  })
})

describe('cancellation', () => {
  it('sends nothing when the signal is already aborted', async () => {
    const { client } = testClient(server)

    const error = await postproxyFailureOf(client.listProfiles({ signal: AbortSignal.abort() }))

    expect(error).toMatchObject({ kind: 'aborted', status: null, retryable: false })
    expect(server.requests).toHaveLength(0)
  })

  it('aborts a request in flight and does not retry it', async () => {
    server.handler = () => undefined
    const controller = new AbortController()
    const { client, delays } = testClient(server)

    const pending = client.sendMessage('chat_xyz789', { body: 'x' }, { signal: controller.signal })
    await server.waitForRequests(1)
    controller.abort()

    expect((await postproxyFailureOf(pending)).kind).toBe('aborted')
    expect(delays).toEqual([])
    expect(server.requests).toHaveLength(1)
  })

  it('stops retrying when aborted during the backoff wait', async () => {
    server.handler = (_req, res) => sendJson(res, 500, { error: 'down' })
    const controller = new AbortController()
    let waitStarted!: () => void
    const waiting = new Promise<void>((resolve) => (waitStarted = resolve))
    const { client } = testClient(server, {
      sleep: (_ms, signal) =>
        new Promise<void>((_resolve, reject) => {
          signal?.addEventListener('abort', () => reject(signal.reason), { once: true })
          waitStarted()
        })
    })

    const pending = client.listProfiles({ signal: controller.signal })
    await waiting
    controller.abort()

    expect((await postproxyFailureOf(pending)).kind).toBe('aborted')
    expect(server.requests).toHaveLength(1)
  })

  it('uses the real abortable wait by default', async () => {
    server.handler = (_req, res) => sendJson(res, 500, { error: 'down' })
    const controller = new AbortController()
    let retryAnnounced!: () => void
    const announced = new Promise<void>((resolve) => (retryAnnounced = resolve))
    const { client } = testClient(server, {
      sleep: undefined,
      backoff: { baseMs: 60_000, maxMs: 60_000 },
      random: () => 0.999,
      onRetry: () => retryAnnounced()
    })

    const started = performance.now()
    const pending = client.listProfiles({ signal: controller.signal })
    await announced // the 60 s wait begins right after this notice
    controller.abort()

    expect((await postproxyFailureOf(pending)).kind).toBe('aborted')
    expect(performance.now() - started).toBeLessThan(10_000)
    expect(server.requests).toHaveLength(1)
  })

  it('leaves the queue, unsent, when aborted while waiting for a slot', async () => {
    const held: Array<() => void> = []
    server.handler = (_req, res) => {
      held.push(() => sendJson(res, 200, chatFixture()))
    }
    const { client } = testClient(server, { maxConcurrent: 1 })
    const controller = new AbortController()

    const first = client.getChat('first')
    const queued = client.getChat('queued', { signal: controller.signal })
    await server.waitForRequests(1)
    expect(client.load).toEqual({ active: 1, waiting: 1 })
    controller.abort()

    expect((await postproxyFailureOf(queued)).kind).toBe('aborted')
    expect(client.load).toEqual({ active: 1, waiting: 0 })
    held[0]()
    await first
    expect(server.requests.map((r) => r.path)).toEqual(['/api/chats/first'])
  })
})

describe('concurrency limit', () => {
  it('keeps at most maxConcurrent requests in flight and serves the queue in arrival order', async () => {
    const held: Array<() => void> = []
    server.handler = (req, res) => {
      held.push(() => sendJson(res, 200, messageFixture({ id: req.path.split('/').pop() })))
    }
    const { client } = testClient(server, { maxConcurrent: 3 })
    const ids = Array.from({ length: 10 }, (_, i) => `m${i}`)

    const calls = ids.map((id) => client.getMessage(id))
    let released = 0
    // Bounded: one release per call.
    while (released < ids.length) {
      const expected = Math.min(released + 3, ids.length)
      await server.waitForRequests(expected)
      await server.waitForInFlight(expected - released)
      expect(server.requests).toHaveLength(expected)
      expect(client.load.waiting).toBe(ids.length - expected)
      held[released++]()
    }
    const results = await Promise.all(calls)

    expect(results.map((m) => m.id)).toEqual(ids)
    expect(server.maxInFlight).toBe(3)
    expect(server.requests.map((r) => r.path)).toEqual(ids.map((id) => `/api/messages/${id}`))
    expect(client.load).toEqual({ active: 0, waiting: 0 })
  })

  it('frees the slot during a backoff wait, so other calls are not blocked by a retrying one', async () => {
    let failNext = true
    server.handler = (req, res) => {
      if (req.path === '/api/chats/flaky' && failNext) {
        failNext = false
        return sendJson(res, 503, { error: 'down' })
      }
      sendJson(res, 200, chatFixture())
    }
    let releaseWait!: () => void
    let waitStarted!: () => void
    const waiting = new Promise<void>((resolve) => (waitStarted = resolve))
    const { client } = testClient(server, {
      maxConcurrent: 1,
      sleep: () =>
        new Promise<void>((resolve) => {
          releaseWait = resolve
          waitStarted()
        })
    })

    const flaky = client.getChat('flaky')
    await waiting
    // While `flaky` waits to retry, another call gets through the single slot.
    await client.getChat('other')
    releaseWait()
    await flaky

    expect(server.requests.map((r) => r.path)).toEqual(['/api/chats/flaky', '/api/chats/other', '/api/chats/flaky'])
  })
})
