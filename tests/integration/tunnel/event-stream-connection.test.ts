// The reconnect loop on its own, against a scripted loopback server: backoff with full jitter inside its
// bounds, Retry-After, answers that are not event streams, the only statuses that stop it, and the size
// cap that keeps a line without end from growing memory (#12.9).
import { EventEmitter, once } from 'node:events'
import { createServer, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, it } from 'vitest'
import { EventStreamConnection, type StreamState } from '../../../electron/inbox/tunnel/event-stream-connection.ts'
import { reconnectDelayMs } from '../../../electron/inbox/tunnel/reconnect-delay.ts'
import { DEFAULT_MAX_SSE_LINE, type SseEvent } from '../../../electron/inbox/tunnel/sse-parser.ts'
import { until } from './tunnel-world.ts'

let server: Server | undefined
let connection: EventStreamConnection | undefined
afterEach(async () => {
  await connection?.stop()
  server?.closeAllConnections()
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
  connection = undefined
})

/** Answers request number i (0-based) with `script(i, response)`. */
async function scriptedServer(script: (index: number, response: ServerResponse, lastEventId: string | undefined) => void): Promise<string> {
  let index = 0
  server = createServer((request, response) => script(index++, response, request.headers['last-event-id'] as string | undefined))
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/events`
}

function openStream(response: ServerResponse, body: string): void {
  response.writeHead(200, { 'content-type': 'text/event-stream' })
  response.write(body)
}

function connect(url: string, options: Partial<ConstructorParameters<typeof EventStreamConnection>[0]> = {}) {
  const states: StreamState[] = []
  const events: SseEvent[] = []
  const emitter = new EventEmitter()
  connection = new EventStreamConnection({
    request: () => ({ url, headers: { 'last-event-id': String(events.length) } }),
    onEvents: (batch) => {
      events.push(...batch)
      emitter.emit('change')
    },
    onState: (state) => {
      states.push(state)
      emitter.emit('change')
    },
    delay: { minMs: 10, maxMs: 80 },
    ...options
  })
  connection.start()
  return { states, events, emitter }
}

describe('reconnect delay', () => {
  it('stays within [min, min(max, min·2^(n-1)) + min] and honours Retry-After within bounds', () => {
    const options = { minMs: 1000, maxMs: 60_000, maxRetryAfterMs: 600_000 }
    expect(reconnectDelayMs(1, options, () => 0)).toBe(1000)
    expect(reconnectDelayMs(1, options, () => 0.999999)).toBeLessThan(2000)
    expect(reconnectDelayMs(30, options, () => 0.999999)).toBeLessThanOrEqual(60_000)
    expect(reconnectDelayMs(30, options, () => 0.999999)).toBeGreaterThan(59_000)
    expect(reconnectDelayMs(1, options, () => 0, { header: '7', nowMs: 0 })).toBe(7000)
    expect(reconnectDelayMs(1, options, () => 0, { header: 'Thu, 01 Jan 1970 00:00:30 GMT', nowMs: 0 })).toBe(30_000)
    expect(reconnectDelayMs(1, options, () => 0, { header: '0', nowMs: 0 })).toBe(1000)
    expect(reconnectDelayMs(1, options, () => 0, { header: '86400', nowMs: 0 })).toBe(600_000)
    expect(reconnectDelayMs(3, options, () => 0.5, { header: 'soon', nowMs: 0 })).toBe(1000 + Math.floor(0.5 * 4000))
  })
})

describe('EventStreamConnection', () => {
  it('backs off exponentially (full jitter at its ceiling here) while the server fails, then streams', async () => {
    const url = await scriptedServer((i, response) => {
      if (i < 5) response.writeHead(500).end('down')
      else openStream(response, 'data: finally\n\n')
    })
    const now = 1_000_000
    const { states, events, emitter } = connect(url, { random: () => 0.999999, now: () => now })
    await until(emitter, ['change'], () => events.length === 1, 5000, 'the first event')
    const waits = states.filter((s): s is Extract<StreamState, { kind: 'waiting' }> => s.kind === 'waiting').map((s) => s.nextAttemptAt - now)
    // min 10 + jitter under min(70, 10·2^(n-1)): 19, 29, 49, 79, 79
    expect(waits).toEqual([19, 29, 49, 79, 79])
    expect(states.filter((s) => s.kind === 'waiting').map((s) => (s as { reason: string }).reason)).toEqual(Array(5).fill('the relay answered HTTP 500'))
    expect(states.at(-1)).toEqual({ kind: 'open' })
  })

  it('honours Retry-After on a 503, and refuses an answer that is not an event stream', async () => {
    const url = await scriptedServer((i, response) => {
      if (i === 0) response.writeHead(503, { 'retry-after': '1' }).end()
      else if (i === 1) response.writeHead(200, { 'content-type': 'text/html' }).end('<html>captive portal</html>')
      else openStream(response, 'data: ok\n\n')
    })
    const { states, events, emitter } = connect(url, { random: () => 0 })
    const started = performance.now()
    await until(emitter, ['change'], () => events.length === 1, 5000, 'the event after the waits')
    expect(performance.now() - started).toBeGreaterThanOrEqual(950)
    const waiting = states.filter((s) => s.kind === 'waiting') as Extract<StreamState, { kind: 'waiting' }>[]
    expect(waiting.map((s) => s.reason)).toEqual(['the relay answered HTTP 503', 'the relay sent something that is not an event stream (text/html)'])
  })

  it('stops for good on 401 and on 403, with the server\'s message', async () => {
    for (const status of [401, 403]) {
      let requests = 0
      const url = await scriptedServer((_, response) => {
        requests++
        response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify({ error: 'This device was revoked.' }))
      })
      const { states, emitter } = connect(url)
      await until(emitter, ['change'], () => states.at(-1)?.kind === 'refused', 5000, 'the refusal')
      expect(states.at(-1)).toEqual({ kind: 'refused', status, message: 'This device was revoked.' })
      await connection!.stop()
      expect(requests).toBe(1)
      server!.closeAllConnections()
      await new Promise<void>((resolve) => server!.close(() => resolve()))
      server = undefined
    }
  })

  it('resumes with the header the request builder gives each attempt, and a server close is not fatal', async () => {
    const seen: Array<string | undefined> = []
    const url = await scriptedServer((i, response, lastEventId) => {
      seen.push(lastEventId)
      if (i < 2) {
        openStream(response, `id: ${i + 1}\ndata: event ${i + 1}\n\n`)
        response.end()
      } else openStream(response, ': just a comment\n\n')
    })
    const { events, emitter } = connect(url)
    await until(emitter, ['change'], () => events.length === 2 && seen.length === 3, 5000, 'two events over two connections')
    expect(events.map((e) => [e.data, e.lastEventId])).toEqual([
      ['event 1', '1'],
      ['event 2', '2']
    ])
    expect(seen).toEqual(['0', '1', '2'])
  })

  it('starts the backoff over after a stream that delivered and then broke, however often it breaks', async () => {
    const url = await scriptedServer((i, response) => {
      if (i < 6) {
        // Healthy for a moment, then the connection dies mid-stream (a dropped network, a proxy restart).
        openStream(response, `id: ${i + 1}\ndata: event ${i + 1}\n\n`)
        setTimeout(() => response.socket?.destroy(), 5)
      } else openStream(response, ': just a comment\n\n')
    })
    const { states, events, emitter } = connect(url)
    await until(emitter, ['change'], () => events.length === 6 && states.filter((s) => s.kind === 'open').length === 7, 10_000, 'six broken streams, then a steady one')
    const waits = states.filter((s) => s.kind === 'waiting') as Extract<StreamState, { kind: 'waiting' }>[]
    expect(waits).toHaveLength(6)
    expect(waits.map((w) => w.failures)).toEqual([1, 1, 1, 1, 1, 1])
  })
})

describe('a stream that never ends its line (#12.9)', () => {
  const MIB = 1024 * 1024
  const FLOOD_BYTES = 256 * MIB
  const FLOOD_CHUNK = Buffer.alloc(64 * 1024, 'x')
  const TOO_LONG = `the event stream sent a line longer than ${DEFAULT_MAX_SSE_LINE} characters`

  /** Writes `data: xxxx…` with no line end, honouring backpressure, until FLOOD_BYTES or the client hangs up. */
  async function flood(response: ServerResponse, onChunk: () => void): Promise<number> {
    response.writeHead(200, { 'content-type': 'text/event-stream' })
    let sent = 0
    response.write('data: ')
    while (sent < FLOOD_BYTES && !response.destroyed) {
      sent += FLOOD_CHUNK.length
      onChunk()
      if (!response.write(FLOOD_CHUNK)) {
        const drained = once(response, 'drain').then(() => true)
        const closed = once(response, 'close').then(() => false)
        if (!(await Promise.race([drained, closed]))) break
      }
    }
    response.end()
    return sent
  }

  it('is dropped at the cap with memory flat, counted, and retried with backoff; the next connection delivers', async () => {
    const baseline = process.memoryUsage().heapUsed
    let peakHeap = baseline
    const sample = () => (peakHeap = Math.max(peakHeap, process.memoryUsage().heapUsed))
    let floodSent: Promise<number> | null = null
    const url = await scriptedServer((i, response) => {
      if (i === 0) floodSent = flood(response, sample)
      else openStream(response, 'id: 1\nevent: webhook\ndata: after the flood\n\n')
    })
    const logs: string[] = []
    const { states, events, emitter } = connect(url, { log: (line) => logs.push(line) })
    await until(emitter, ['change'], () => events.length > 0, 20_000, 'the event after the flood')
    sample()

    // Flat: the cap (2 MiB of text) plus chunks and garbage not yet collected — not the flood.
    expect(peakHeap - baseline).toBeLessThan(48 * MIB)
    // The client stopped reading soon after the cap: the server could not push much more into the socket.
    expect(await floodSent!).toBeLessThan(32 * MIB)
    expect(events.map((e) => e.data)).toEqual(['after the flood'])
    expect(connection!.oversizedFrames).toBe(1)
    expect(states.map((s) => s.kind)).toEqual(['connecting', 'open', 'waiting', 'connecting', 'open'])
    expect(states[2]).toMatchObject({ kind: 'waiting', reason: TOO_LONG, failures: 1 })
    expect(logs).toContain(`${TOO_LONG}; dropped the connection`)
  })

  it('a server that repeats an oversized line is met with a growing backoff, not a tight loop', async () => {
    const url = await scriptedServer((_, response) => {
      response.writeHead(200, { 'content-type': 'text/event-stream' })
      response.end(`id: 1\ndata: first, and fine\n\ndata: ${'x'.repeat(DEFAULT_MAX_SSE_LINE)}\n\n`)
    })
    const { states, events, emitter } = connect(url, { delay: { minMs: 1, maxMs: 40 }, random: () => 0.999 })
    const waits = () => states.filter((s) => s.kind === 'waiting') as Extract<StreamState, { kind: 'waiting' }>[]
    await until(emitter, ['change'], () => waits().length >= 4, 20_000, 'four failed attempts')
    // Each stream delivered an event before the oversized line, and still the backoff grows.
    expect(events.length).toBeGreaterThanOrEqual(4)
    expect(waits().slice(0, 4).map((w) => w.failures)).toEqual([1, 2, 3, 4])
    expect(connection!.oversizedFrames).toBeGreaterThanOrEqual(4)
  })
})
